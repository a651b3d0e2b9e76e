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
"Nơi nhận", §6 appendices), ``fill`` (places still marked "CẦN ĐIỀN"); they write through ``checker.Checker`` into a
``findings.Report``. The command itself is ``pipeline/commands/check.py``.

Each finding names its rule, where it is (table/row/cell/paragraph), what was
measured and what the decree allows. Severity: ``error`` — a breach of the
decree; ``warning`` — a convention; ``info`` — e.g. a draft not yet registered
("chưa vào sổ"). A rule that could not be evaluated is listed as such.
Sections (§) refer to ``docs/nd30.md``.
"""

from __future__ import annotations

import zipfile
from contextlib import contextmanager
from pathlib import Path

from pipeline.check.body import check_addressees, check_body, check_numbering
from pipeline.check.checker import Checker
from pipeline.check.closing import check_appendices, check_recipients, check_signature
from pipeline.check.fill import check_placeholders
from pipeline.check.findings import Finding, Report
from pipeline.check.header import check_header
from pipeline.check.page import check_fonts, check_page, check_page_numbers
from pipeline.check.title import check_title
from pipeline.docread import limits, read_docx
from pipeline.docread.convert import as_docx
from pipeline.docread.document import Document
from pipeline.ooxml import safezip

SCHEMA_AUTO_BYTES = 2 * safezip.MB  # XML the schema validation reads when not asked (a few seconds; 20,000 paragraphs: 6 MB)


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
    check_placeholders(c)
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
    with _positions_counted_once():
        errors = list(schema_errors(path))
    if errors:
        first = errors[0]
        where_ = f"{getattr(first, 'part', '')}:{getattr(first, 'path', '')}".strip(":")[:70] or "tệp"
        shown = "; ".join(str(getattr(e, "message", e)) for e in errors[:3])
        c.fail("ooxml.schema", where_, f"{len(errors)} chỗ không đúng lược đồ OOXML (thường do phần mềm ghi tệp; "
               f"chỉ đáng lo nếu Word báo lỗi hoặc đề nghị sửa khi mở tệp): {shown}", "info",
               measured=f"{len(errors)} chỗ", allowed="0")


@contextmanager
def _positions_counted_once():
    """openxml-audit (0.8) names each element it visits by its position among its siblings, and finds it by
    counting the siblings before it: the square of a body's paragraphs (50 s for 20,000). While it runs, the
    positions of a parent's children are counted once, in one pass, and remembered: the same numbers."""
    try:
        from openxml_audit import context
    except ImportError:
        yield
        return
    original = getattr(context, "_sibling_position", None)
    if original is None:  # a version without it: nothing to replace
        yield
        return
    known: dict = {}  # parent element -> {child element: its position among the children of its tag}

    def position(element) -> int:
        parent = element.getparent()
        if parent is None:
            return 1
        if parent not in known:
            table: dict = {}
            counts: dict = {}
            for child in parent.iterchildren():
                counts[child.tag] = table[child] = counts.get(child.tag, 0) + 1
            known[parent] = table
        return known[parent].get(element) or original(element)

    context._sibling_position = position
    try:
        yield
    finally:
        context._sibling_position = original
        known.clear()


def xml_bytes(path: Path) -> int:
    """How much XML the package holds, uncompressed (0 when it is not a zip: the reader says why)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return sum(i.file_size for i in zf.infolist() if i.filename.endswith((".xml", ".rels")))
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        return 0


def check_path(path: Path, schema: bool | None = None) -> Report:
    """Read and check one file; an unreadable file is one finding, never an exception.

    ``schema``: True runs the (slow) OOXML schema validation, False leaves it out, None (the default) runs it
    for a file of up to ``SCHEMA_AUTO_BYTES`` of XML and says it was not run for a larger one. Reading and
    checking run within the file's time budget (``docread.limits``): a structure that would take far longer
    than its size calls for makes the file unreadable, as a damaged one is."""
    path = Path(path)
    with as_docx(path) as docx_path, limits.budget(str(path), limits.budget_s(docx_path)):
        try:
            doc = read_docx(docx_path, shown_as=str(path))
        except safezip.unreadable_errors() as exc:  # not a Word file, or broken beyond reading
            return unreadable(path, exc, str(docx_path))
        try:
            report = check_model(doc)  # any other failure here is a bug of vanban, not of the file: not hidden
        except limits.TooLong as exc:
            return unreadable(path, exc)
        size = xml_bytes(docx_path)
        if schema is None and size > SCHEMA_AUTO_BYTES:
            Checker(doc, report).skip("ooxml.schema", f"tệp lớn ({size / safezip.MB:.1f} MB XML): không soát lược đồ "
                                      "OOXML khi không yêu cầu; thêm --schema để soát (chậm)")
        elif schema is not False and path.suffix.lower() != ".doc":
            schema_findings(docx_path, Checker(doc, report))
        return report


def unreadable(path: Path, exc: BaseException, *labels: str) -> Report:
    """The report of a file that could not be read: one finding that says why, in Vietnamese."""
    return Report(str(path), "không đọc được", [Finding(
        "file.unreadable", "tệp", f"không đọc được tệp Word: {limits.why(exc, str(path), *labels)}")])


def check_file(path: Path) -> list[Finding]:
    return check_path(path).findings
