"""§1 the page: size, margins, font; §1 and §6 page numbers (top centre, none on page 1, each appendix
from 1)."""

from __future__ import annotations

from pipeline.check.checker import R, Checker
from pipeline.decree import rules
from pipeline.docread.measure import mm
from pipeline.docread.document import Document, Para, Section

MARGIN_TOLERANCE = 12  # twips (0.2 mm): Word stores millimetres rounded to whole twips
ONE_PAGE_CHARS = 3000  # about one A4 page of 13–14 pt text: with Word's saved page count of 1, a one-page file


def check_page(c: Checker) -> None:
    starts = _section_starts(c.doc)
    for s in c.doc.sections:
        if not_a4(s):
            c.fail("page.size", _section_words(c.doc, s.index, starts), f"khổ giấy {mm(s.width):.0f}×{mm(s.height):.0f} mm, "
                   "không phải A4 (210×297 mm) — §1", measured=f"{mm(s.width):.0f}×{mm(s.height):.0f} mm",
                   allowed="210×297 mm", section="§1")
            break
    for s in c.doc.sections:
        bad = margin_faults(s)
        if bad:
            allowed = "; ".join(f"{R['margin.' + k].what} {R['margin.' + k].words()}"
                                for k in ("top", "bottom", "left", "right"))
            c.fail("page.margins", _section_words(c.doc, s.index, starts), "lề không đúng: " + ", ".join(bad) + f" ({allowed}) — §1",
                   measured=", ".join(bad), allowed=allowed, section="§1")


def _section_starts(doc: Document) -> dict[int, Para]:
    """Section number -> its first paragraph with text (one pass over the paragraphs)."""
    starts: dict[int, Para] = {}
    for p in doc.paragraphs:
        if p.stripped:
            starts.setdefault(p.place.section, p)
    return starts


def _section_words(doc: Document, n: int, starts: dict[int, Para]) -> str:
    """'phần 3 (từ đoạn 98: “Phụ lục I”)': a section named by where it starts."""
    first = starts.get(n)
    if first is None or len(doc.sections) == 1:
        return f"phần {n}"
    return f"phần {n} (từ đoạn {first.place.index}: “{first.lines[0][:30]}”)"


def margin_faults(s: Section) -> list[str]:
    """What is wrong with a section's margins (empty when they follow §1); a landscape page may be bound at
    the top of the turned page."""
    bad = _margin_faults(s.margins)
    if bad and s.width > s.height:  # landscape: the binding edge may be the top of the turned page
        turned = {"top": s.margins["left"], "bottom": s.margins["right"],
                  "left": s.margins["bottom"], "right": s.margins["top"]}
        if not _margin_faults(turned) or not _margin_faults(dict(turned, left=turned["right"],
                                                                   right=turned["left"])):
            return []
    return bad


def not_a4(s: Section) -> bool:
    """The section's paper is not A4 (either way round; 20 twips of rounding allowed)."""
    return sorted((s.width, s.height)) != sorted((rules.A4_W, rules.A4_H)) and not (
        abs(min(s.width, s.height) - rules.A4_W) <= 20 and abs(max(s.width, s.height) - rules.A4_H) <= 20)


def _margin_faults(margins: dict[str, int]) -> list[str]:
    return [f"{R['margin.' + k].what} {mm(v):.1f} mm" for k, v in margins.items()
            if not R["margin." + k].admits(v, MARGIN_TOLERANCE)]


def check_fonts(c: Checker) -> None:
    bad: dict[str, list[Para]] = {}
    for p in c.doc.paragraphs:
        for r in p.runs:
            if r.font != rules.FONT:
                name = r.font_written + (" (phông chủ đề)" if r.font_source == "theme" else "")
                bad.setdefault(name, []).append(p)
    if bad:
        first = min((ps[0] for ps in bad.values()), key=lambda p: p.place.index)
        names = ", ".join(f"{n} ({len(set(map(id, ps)))} đoạn)" for n, ps in sorted(bad.items()))
        c.fail("font.family", first, f"phông chữ không phải {rules.FONT}: {names} — §1",
               measured=names, allowed=rules.FONT, section="§1")


def check_page_numbers(c: Checker) -> None:
    secs = c.doc.sections
    if not secs:
        return
    first = secs[0]
    header_ok = first.header_page_field.get("default", False)
    if not header_ok:
        chars = sum(len(p.stripped) for p in c.doc.paragraphs)
        if c.doc.pages == 1 and chars < ONE_PAGE_CHARS:
            c.skip("pagenum.missing", f"văn bản một trang (Word lưu 1 trang, {chars} ký tự): trang 1 không đánh số")
        else:
            c.fail("pagenum.missing", "phần 1", "không có số trang ở đầu trang (trường PAGE trong phần đầu trang) "
                   "— §1", section="§1")
    feet = [(s.index, t) for s in secs for t, on in s.footer_page_field.items() if on]
    if feet:
        c.fail("pagenum.footer", f"chân trang, phần {feet[0][0]}", "số trang đặt ở chân trang; Nghị định: "
               "ở giữa, phía trên (lề trên) — §1", measured="chân trang", allowed="đầu trang, căn giữa", section="§1")
    shown_on_first = (not first.title_page and header_ok) or first.header_page_field.get("first", False)
    if shown_on_first:
        c.fail("pagenum.first-page", "phần 1", "trang 1 không được hiện số trang (chọn “Trang đầu khác” — "
               "Different First Page) — §1", section="§1")
    if header_ok:
        align = first.header_page_align.get("default")
        if align == "tab":
            c.skip("pagenum.align", "số trang đặt bằng điểm dừng tab: vị trí không đo được")
        elif align is not None and align != "center":  # None: no header paragraph holds the PAGE field
            c.fail("pagenum.align", "đầu trang", f"số trang căn “{align}”; Nghị định: căn giữa lề trên — §1",
                   measured=align, allowed="center", section="§1")
        size = first.header_page_size.get("default")
        if size is not None and not R["size.page_number"].admits(size):
            c.fail("pagenum.size", "đầu trang", f"số trang cỡ {size:g}; Nghị định: {R['size.page_number'].words()} "
                   "— §1", measured=f"{size:g}", allowed=R["size.page_number"].words(), section="§1")
    check_appendix_pages(c)


def check_appendix_pages(c: Checker) -> None:
    """§6: each appendix in the same file starts a section whose page numbers restart at 1."""
    doc = c.doc
    if doc.kind == "appendix":
        return
    first_text = next((p for p in doc.paragraphs if p.stripped), None)
    seen = set()
    for a in doc.appendices:
        n = a.section
        if n in seen:
            continue
        seen.add(n)
        if first_text is not None and first_text.place.section == n:
            c.fail("pagenum.appendix", a.label, "phụ lục phải bắt đầu một phần (section) mới, đánh số trang lại từ 1 "
                   "— §6", section="§6")
            break
        sec = doc.sections[n - 1] if n <= len(doc.sections) else None
        if sec is None or sec.page_start != 1:
            c.fail("pagenum.appendix", a.label, "số trang của phụ lục phải bắt đầu lại từ 1 (Định dạng số trang → "
                   "Bắt đầu từ 1) — §6", section="§6")
            break
