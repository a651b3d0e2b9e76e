"""The mends of ``vanban fix`` on sections and page headers (§1, §6): A4 paper, margins inside the decree's
ranges, no page number on page 1, each appendix numbered from 1, the page number's size and place.

A section's properties are its ``w:sectPr`` (``docread.parts.section_elements``: the n-th element is the
n-th ``Section`` of the model); the page number is the paragraph of the section's default header holding the
PAGE field, in that header's own part.
"""

from __future__ import annotations

from pipeline.check.page import MARGIN_TOLERANCE, margin_faults, not_a4
from pipeline.decree import rules
from pipeline.docread.document import Document
from pipeline.docread.measure import mm
from pipeline.docread.parts import page_paragraph, section_elements
from pipeline.docread.xmlparts import R_NS, W, runs_of
from pipeline.fix.edits import ALIGN_WORDS, Change, half_points
from pipeline.fix.track import Revisions, put

R = rules.RULES
SIDES = ("top", "bottom", "left", "right")


def fix_sections(doc: Document, package, rev: Revisions, rule: str) -> list[Change]:
    elements = section_elements(package.element.body)
    if len(elements) != len(doc.sections):
        return []
    changes = []
    for s, sp in zip(doc.sections, elements):
        if rule == "page.size" and not_a4(s):
            w, h = (rules.A4_H, rules.A4_W) if s.width > s.height else (rules.A4_W, rules.A4_H)
            attrs = {"w": str(w), "h": str(h)} | ({"orient": "landscape"} if w > h else {})
            if rev.edit(sp, "sectPr", lambda pr, a=attrs: put(pr, "pgSz", a, drop=("orient", "code"))):
                changes.append(Change(rule, f"phần {s.index}", f"{mm(s.width):.0f}×{mm(s.height):.0f} mm",
                                      f"{mm(w):.0f}×{mm(h):.0f} mm (A4)"))
        if rule == "page.margins" and margin_faults(s):
            new = {k: str(int(R["margin." + k].chosen)) for k in SIDES
                   if not R["margin." + k].admits(s.margins[k], MARGIN_TOLERANCE)}
            if rev.edit(sp, "sectPr", lambda pr, a=new: put(pr, "pgMar", a)):
                changes.append(Change(rule, f"phần {s.index}",
                                      ", ".join(f"{R['margin.' + k].what} {mm(s.margins[k]):.1f} mm" for k in new),
                                      ", ".join(f"{mm(int(v)):.0f} mm" for v in new.values())))
    if rule == "pagenum.first-page" and doc.sections and not doc.sections[0].header_page_field.get("first", False):
        if rev.edit(elements[0], "sectPr", lambda pr: put(pr, "titlePg", {}, drop=("val",))):
            changes.append(Change(rule, "phần 1", "trang 1 có số trang", "trang đầu khác: không hiện số trang"))
    if rule == "pagenum.appendix":
        changes += _appendix_numbering(doc, elements, rev)
    return changes


def _appendix_numbering(doc: Document, elements: list, rev: Revisions) -> list[Change]:
    first_text = next((p for p in doc.paragraphs if p.stripped), None)
    changes = []
    for n in sorted({a.section for a in doc.appendices}):
        if first_text is None or first_text.place.section == n or n > len(elements):
            continue  # an appendix that does not start a section of its own: for a person
        if doc.sections[n - 1].page_start != 1 and rev.edit(
                elements[n - 1], "sectPr", lambda pr: put(pr, "pgNumType", {"start": "1"})):
            changes.append(Change("pagenum.appendix", f"phần {n}", "số trang nối tiếp", "bắt đầu lại từ 1"))
    return changes


def fix_page_number(doc: Document, package, rev: Revisions, rule: str) -> list[Change]:
    """The size and alignment of the page number in the first section's default header."""
    elements = section_elements(package.element.body)
    p = None
    for sp in elements[:1]:
        ref = next((r for r in sp.findall(W + "headerReference") if r.get(W + "type", "default") == "default"),
                   None)
        part = package.part.related_parts.get(ref.get(f"{{{R_NS}}}id")) if ref is not None else None
        p = page_paragraph(getattr(part, "element", None))
    if p is None or not doc.sections:
        return []
    s = doc.sections[0]
    if rule == "pagenum.size":
        size = R["size.page_number"]
        n = sum(rev.edit(r, "rPr", lambda pr: put(pr, "sz", {"val": half_points(size.chosen)})) for r in runs_of(p))
        return [Change(rule, "đầu trang", f"cỡ {s.header_page_size.get('default', 0):g}", f"cỡ {size.chosen:g}")] \
            if n else []
    if rule == "pagenum.align" and rev.edit(p, "pPr", lambda pr: put(pr, "jc", {"val": "center"})):
        was = s.header_page_align.get("default", "")
        return [Change(rule, "đầu trang", f"căn {ALIGN_WORDS.get(was, was)}", "căn giữa")]
    return []
