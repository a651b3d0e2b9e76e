"""``vanban fix`` for one file: read it once (``docread``, through ``safezip``), check it (``check``), mend
each finding of a fixable rule (``decree.fixes``) on the elements the model located, write the result as a new
file (reproducible bytes, written whole; never the source) and check that result.

The edits are Word tracked changes by "vanban" (``track``) unless ``accept``: the clerk sees each one in
Word's Review pane and accepts or rejects it. A draft stays a draft: its blank number and day are the
registry's, and no rule mends them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import errors as E
from pipeline.check.file import check_model, check_path
from pipeline.check.findings import Finding, Report
from pipeline.decree.fixes import FIXABLE
from pipeline.docread import limits, read_opened
from pipeline.docread.convert import as_docx
from pipeline.docread.parts import open_package
from pipeline.fix.edits import Change, fix_body, fix_chars, fix_recipient_sizes, fix_style
from pipeline.fix.fonts import fix_font
from pipeline.fix.pages import fix_page_number, fix_sections
from pipeline.fix.track import Revisions
from pipeline.ooxml import package as ooxml_package
from pipeline.ooxml import safezip

FALLBACK_DATE = "2000-01-01T00:00:00Z"
DATE_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")  # a revision's date when the file records none of its own


@dataclass
class FixResult:
    source: Path
    output: Path | None  # None: nothing was written (nothing to fix)
    changes: list[Change] = field(default_factory=list)
    before: Report | None = None
    after: Report | None = None

    def left(self) -> list[Finding]:
        """What the result still breaks: for a person."""
        return self.after.findings if self.after is not None else []


def default_output(src: Path) -> Path:
    return src.with_name(src.stem + ".fixed.docx")


def fix_file(src: Path, out: Path | None = None, accept: bool = False, force: bool = False) -> FixResult:
    """Mend ``src`` into ``out`` (default ``NAME.fixed.docx`` beside it); nothing is written when there is
    nothing to mend. Raises ``BadUsage`` for an output over the source, ``RefusedOverwrite`` for an existing
    output without ``force``, ``UnreadableDocx`` for a file that is not a readable Word document,
    ``EnvironmentFault`` when the output cannot be written."""
    src = Path(src)
    out = Path(out) if out is not None else default_output(src)
    if out.suffix.lower() != ".docx":
        raise E.BadUsage(f"tệp kết quả phải có đuôi .docx: {out}")
    if out.exists() and (out.resolve() == src.resolve() or out.samefile(src)):
        raise E.BadUsage(f"không ghi đè lên tệp gốc {src}: chọn tên khác cho tệp kết quả (-o)")
    with as_docx(src) as docx_path, limits.budget(str(src), limits.budget_s(docx_path)):
        try:
            package = open_package(docx_path)
            doc = read_opened(package, str(src))
            before = check_model(doc)
            rev = Revisions(_roots(package), _date(package), accept)
            changes = mend(doc, package, before, rev)
            data = ooxml_package.docx_bytes(package) if changes else None
        except safezip.unreadable_errors() as exc:  # limits.TooLong among them
            raise E.UnreadableDocx(f"{src}: {limits.why(exc, str(src), str(docx_path))}") from exc
    if data is None:
        return FixResult(src, None, [], before, before)
    if out.exists() and not force:
        raise E.RefusedOverwrite([out])
    try:
        ooxml_package.atomic_write(out, data)
    except OSError as exc:  # a read-only folder, a full disk, a path through a file: exit 4, nothing written
        raise E.environment_fault(out, exc) from exc
    return FixResult(src, out, changes, before, check_path(out, schema=False))


def mend(doc, package, report: Report, rev: Revisions) -> list[Change]:
    """Each finding of a fixable rule, mended in the order the checker reported them."""
    changes: list[Change] = []
    for f in report.findings:
        fx = FIXABLE.get(f.rule)
        if fx is None:
            continue
        if fx.how == "section":
            changes += fix_sections(doc, package, rev, f.rule)
        elif fx.how == "header":
            changes += fix_page_number(doc, package, rev, f.rule)
        elif fx.how == "style" and fx.style is not None:
            changes += fix_style(doc, rev, f.rule, fx.style)
        elif fx.how == "body":
            changes += fix_body(doc, rev, f.rule)
        elif fx.how == "font":
            changes += fix_font(doc, package, rev)
        elif fx.how == "size":
            changes += fix_recipient_sizes(doc, rev)
        elif fx.how == "chars":
            changes += fix_chars(doc, rev, f.rule)
    return changes


def _roots(package) -> list:
    """The XML trees revisions may go into: the body and the styles, every header and footer (ids unique across them)."""
    roots = [package.element, package.styles.element]
    for rel in package.part.rels.values():
        if not rel.is_external and rel.reltype.endswith(("/header", "/footer")):
            el = getattr(rel.target_part, "element", None)
            if el is not None:
                roots.append(el)
    return roots


def _date(package) -> str:
    """The revisions' date: the document's own (last saved, else created), so the bytes are reproducible.

    Read from the core properties part when the file has one (python-docx's ``core_properties`` would add a
    part to a file whose part it does not recognise)."""
    for part in package.part.package.iter_parts():
        if str(part.partname).lower() == "/docprops/core.xml":
            try:
                root = safezip.parse_xml(part.blob)
            except safezip.unreadable_errors():
                break
            for tag in ("modified", "created"):
                el = root.find(f"{{http://purl.org/dc/terms/}}{tag}")
                if el is not None and el.text and DATE_RE.fullmatch(el.text.strip()):
                    return el.text.strip()[:19] + "Z"
    return FALLBACK_DATE
