"""``vanban check``: does a Word file follow Nghị định 30/2020/NĐ-CP?

Works on any .docx (and .doc, through LibreOffice) — ours or hand-made. The
file is read once by ``pipeline.docread`` into a model of its structure; the
rule families apply the decree's rules to that model. Every allowed range, size,
style and fixed text comes from ``pipeline.decree.rules`` (the decree's ranges, never
vanban's chosen values), so the checker is an independent judge of what the
generator makes.

This module opens the file (``check_path``: a .doc through LibreOffice; an
unreadable file is one finding), runs the families in the order of a page
(``check_model``) and calls the OOXML schema hook. The families: ``page`` (§1
page, font, page numbers), ``header`` (§2), ``title`` (§2 number and date, §3),
``body`` (§4 text and numbering, §9 "Kính gửi"), ``closing`` (§5 signature and
"Nơi nhận", §6 appendices); they write through ``checker.Checker`` into a
``findings.Report``. The command itself is ``pipeline/commands/check.py``.

Each finding names its rule, where it is (table/row/cell/paragraph), what was
measured and what the decree allows. Severity: ``error`` — a breach of the
decree; ``warning`` — a convention; ``info`` — e.g. a draft not yet registered
("chưa vào sổ"). A rule that could not be evaluated is listed as such.
Sections (§) refer to ``docs/nd30.md``.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.check.body import check_addressees, check_body, check_numbering
from pipeline.check.checker import Checker
from pipeline.check.closing import check_appendices, check_recipients, check_signature
from pipeline.check.findings import Finding, Report
from pipeline.check.header import check_header
from pipeline.check.page import check_fonts, check_page, check_page_numbers
from pipeline.check.title import check_title
from pipeline.docread import read_docx
from pipeline.docread.convert import as_docx
from pipeline.docread.document import Document
from pipeline.ooxml import safezip


def check_model(doc: Document) -> Report:
    """The decree's rules applied to a file already read: its report."""
    report = Report(doc.path, doc.kind_words())
    c = Checker(doc, report)
    check_page(c)
    check_fonts(c)
    if doc.kind != "appendix":
        check_header(c)
        check_title(c)
    check_body(c)
    check_numbering(c)
    if doc.kind != "appendix":
        check_addressees(c)
        check_signature(c)
        check_recipients(c)
    check_appendices(c)
    check_page_numbers(c)
    return report


def schema_findings(path: Path, c: Checker) -> None:
    """Hook: schema errors of the package (``pipeline.ooxml.audit.schema_errors``), when that module is present.

    Information, not a breach: the schema is not the decree, and a file Word saved itself often breaks it
    in places Word ignores (duplicate ids of VML fallbacks). For vanban's own documents the schema is held
    to zero by ``tests/test_ooxml.py``.
    """
    try:
        from pipeline.ooxml.audit import schema_errors
    except ImportError:
        c.skip("ooxml.schema", "chưa có bộ kiểm tra lược đồ OOXML (pipeline.ooxml.audit)")
        return
    errors = list(schema_errors(path))
    if errors:
        first = errors[0]
        where_ = f"{getattr(first, 'part', '')}:{getattr(first, 'path', '')}".strip(":")[:70] or "tệp"
        shown = "; ".join(str(getattr(e, "message", e)) for e in errors[:3])
        c.fail("ooxml.schema", where_, f"{len(errors)} chỗ không đúng lược đồ OOXML (thường do phần mềm ghi tệp; "
               f"chỉ đáng lo nếu Word báo lỗi hoặc đề nghị sửa khi mở tệp): {shown}", "info",
               measured=f"{len(errors)} chỗ", allowed="0")


def check_path(path: Path, schema: bool = True) -> Report:
    """Read and check one file; an unreadable file is one finding, never an exception.
    ``schema=False`` leaves out the (slow) OOXML schema validation."""
    path = Path(path)
    with as_docx(path) as docx_path:
        try:
            doc = read_docx(docx_path, shown_as=str(path))
        except safezip.unreadable_errors() as exc:  # not a Word file, or broken beyond reading
            return Report(str(path), "không đọc được", [Finding(
                "file.unreadable", "tệp", f"không đọc được tệp Word: {type(exc).__name__}: {exc}")])
        report = check_model(doc)  # a failure here is a bug of vanban, not of the file: it is not hidden
        if schema and path.suffix.lower() != ".doc":
            schema_findings(docx_path, Checker(doc, report))
        return report


def check_file(path: Path) -> list[Finding]:
    return check_path(path).findings
