"""``vanban check``: does a Word file follow Nghị định 30/2020/NĐ-CP?

Works on any .docx (and .doc, through LibreOffice) — ours or hand-made. The
file is read once by ``pipeline.docread`` into a model of its structure; this
module applies the decree's rules to that model. Every allowed range, size,
style and fixed text comes from ``pipeline.decree.rules`` (the decree's ranges, never
vanban's chosen values), so the checker is an independent judge of what the
generator makes.

Each finding names its rule, where it is (table/row/cell/paragraph), what was
measured and what the decree allows. Severity: ``error`` — a breach of the
decree; ``warning`` — a convention; ``info`` — e.g. a draft not yet registered
("chưa vào sổ"). A rule that could not be evaluated is listed as such.
Sections (§) refer to ``docs/nd30.md``.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import click

from pipeline.decree import rules
from pipeline.decree.labels import VIET_LETTERS, roman
from pipeline.docread import ConversionError, read
from pipeline.docread.blocks import AUTHORITY_RE, AUTHORITY_SLIP_RE
from pipeline.docread.measure import mm, text_width_twips
from pipeline.docread.model import Document, Para, Rule
from pipeline.docread.structure import norm

R = rules.RULES
S = rules.STYLES
SEV_WORDS = {"error": "lỗi", "warning": "cảnh báo", "info": "ghi chú"}
MARGIN_TOLERANCE = 12  # twips (0.2 mm): Word stores millimetres rounded to whole twips
INDENT_TOLERANCE = 28  # twips (0.5 mm)
MOTTO_RULE_TOLERANCE = 0.15  # a drawn line "as long as the motto", read from its geometry: ±15 %
AGENCY_RULE_TOLERANCE = 0.05  # 1/3–1/2 of the name, ±5 % of the bound
ONE_PAGE_CHARS = 3000  # about one A4 page of 13–14 pt text: with Word's saved page count of 1, a one-page file
SINGLE_LINE = 1.15  # Times New Roman's single line is 1.15 × the font size (ascent + descent)


@dataclass
class Finding:
    rule: str
    where: str
    message: str
    severity: str = "error"
    measured: str = ""
    allowed: str = ""
    section: str = ""  # § of docs/nd30.md
    page: int | None = None

    def format(self, file: str) -> str:
        return f"{file}: {SEV_WORDS[self.severity]} {self.rule} [{self.where}]: {self.message}"


@dataclass
class Report:
    file: str
    kind: str  # "văn bản hành chính — Kế hoạch (KH)" …
    findings: list[Finding] = field(default_factory=list)
    not_evaluated: list[dict] = field(default_factory=list)  # {"rule", "why"}

    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)


def where(p: Para | None, fallback: str = "đầu văn bản") -> str:
    if p is None:
        return fallback
    text = " / ".join(p.lines)
    return f"{p.place.words()}: “{text[:40]}”"


class Checker:
    """Rules applied to the model; the rule families live in the functions below."""

    def __init__(self, doc: Document, report: Report):
        self.doc = doc
        self.report = report

    def fail(self, rule: str, p, message: str, severity: str = "error", measured: str = "", allowed: str = "",
             section: str = "", count: tuple[int, int] | None = None) -> None:
        """Record a finding; a rule already found gets the new message added (one finding per rule)."""
        if count:
            message += f" ({count[0]}/{count[1]} đoạn)"
        for f in self.report.findings:
            if f.rule == rule:
                if message not in f.message:
                    f.message += "; " + message
                return
        w = p if isinstance(p, str) else where(p)
        page = 1 if not isinstance(p, str) and p is not None and self._on_first_page(p) else None
        self.report.findings.append(Finding(rule, w, message, severity, measured, allowed, section, page))

    def skip(self, rule: str, why: str) -> None:
        if not any(x["rule"] == rule for x in self.report.not_evaluated):
            self.report.not_evaluated.append({"rule": rule, "why": why})

    def _on_first_page(self, p: Para) -> bool:
        h = self.doc.header
        return h is not None and h.national is not None and p.place.table is not None \
            and p.place.table == h.national.place.table

    def style_ok(self, p: Para, key: str, upper: bool | None = None) -> list[str]:
        """What in ``p`` breaks the style rule ``key`` of rules.STYLES (empty when it follows it); when only
        some runs break it, their text is named ("cỡ 14 ở “M”")."""
        st, size = S[key], R[S[key].size]
        if not p.runs:
            return []
        tests = [
            ("không đậm", lambda r: st.bold and not r.bold), ("in đậm", lambda r: not st.bold and r.bold),
            ("không nghiêng", lambda r: st.italic and not r.italic),
            ("in nghiêng", lambda r: not st.italic and r.italic),
            ("cỡ {}", lambda r: not size.admits(r.size)),
        ]
        bad = []
        for words, broken in tests:
            runs = [r for r in p.runs if broken(r)]
            if not runs:
                continue
            text = words.format(", ".join(f"{s:g}" for s in sorted({r.size for r in runs})))
            if len(runs) < len(p.runs):
                text += " ở “" + "".join(r.text for r in runs).strip()[:20] + "”"
            bad.append(text)
        want_upper = st.upper if upper is None else upper
        if want_upper and not p.shown_upper():
            bad.append("không in hoa")
        return bad

    def style_rule(self, rule: str, p: Para | None, key: str, severity: str = "error") -> None:
        if p is None:
            return
        bad = self.style_ok(p, key)
        if bad:
            st = S[key]
            want = ", ".join(x for x in ("in hoa" if st.upper else "", "đậm" if st.bold else "không đậm",
                                         "nghiêng" if st.italic else "đứng", f"cỡ {R[st.size].words()}") if x)
            self.fail(rule, p, f"{st.what}: {', '.join(bad)}; Nghị định: {want} — {st.section}", severity,
                      ", ".join(bad), want, st.section)


def check_model(doc: Document) -> Report:
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


# ------------------------------------------------------------------ §1 page, fonts
def check_page(c: Checker) -> None:
    for s in c.doc.sections:
        if sorted((s.width, s.height)) != sorted((rules.A4_W, rules.A4_H)) and not (
                abs(min(s.width, s.height) - rules.A4_W) <= 20 and abs(max(s.width, s.height) - rules.A4_H) <= 20):
            c.fail("page.size", _section_words(c.doc, s.index), f"khổ giấy {mm(s.width):.0f}×{mm(s.height):.0f} mm, "
                   "không phải A4 (210×297 mm) — §1", measured=f"{mm(s.width):.0f}×{mm(s.height):.0f} mm",
                   allowed="210×297 mm", section="§1")
            break
    for s in c.doc.sections:
        bad = _margin_faults(s.margins)
        if bad and s.width > s.height:  # landscape: the binding edge may be the top of the turned page
            turned = {"top": s.margins["left"], "bottom": s.margins["right"],
                      "left": s.margins["bottom"], "right": s.margins["top"]}
            if not _margin_faults(turned) or not _margin_faults(dict(turned, left=turned["right"],
                                                                       right=turned["left"])):
                bad = []
        if bad:
            allowed = "; ".join(f"{R['margin.' + k].what} {R['margin.' + k].words()}"
                                for k in ("top", "bottom", "left", "right"))
            c.fail("page.margins", _section_words(c.doc, s.index), "lề không đúng: " + ", ".join(bad) + f" ({allowed}) — §1",
                   measured=", ".join(bad), allowed=allowed, section="§1")


def _section_words(doc: Document, n: int) -> str:
    """'phần 3 (từ đoạn 98: “Phụ lục I”)': a section named by where it starts."""
    first = next((p for p in doc.paragraphs if p.place.section == n and p.stripped), None)
    if first is None or len(doc.sections) == 1:
        return f"phần {n}"
    return f"phần {n} (từ đoạn {first.place.index}: “{first.lines[0][:30]}”)"


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


# ------------------------------------------------------------------ §2 header block
def check_header(c: Checker) -> None:
    h = c.doc.header
    if h is None:
        c.fail("header.national", "đầu văn bản", f"không có dòng quốc hiệu “{rules.NATIONAL_NAME}” — §2",
               allowed=rules.NATIONAL_NAME, section="§2")
        return
    nat_line = norm(h.national.lines[0])
    if nat_line != rules.NATIONAL_NAME:
        c.fail("header.national-text", h.national, f"quốc hiệu viết “{nat_line}”; Nghị định: "
               f"“{rules.NATIONAL_NAME}” — §2", "warning", nat_line, rules.NATIONAL_NAME, "§2")
    c.style_rule("header.national", _first_line_only(h.national), "national_name")
    check_motto(c)
    check_agency(c)
    check_number(c)
    check_date(c)
    for p in h.about:
        c.style_rule("header.about-style", p, "about")
    if c.doc.draft:
        blanks = [x for x, on in (("số", h.number is not None and h.number.number == ""),
                                  ("ngày", h.date is not None and h.date.day == "")) if on]
        c.fail("header.draft", h.number.para if h.number is not None else h.date.para,
               f"bản dự thảo, chưa vào sổ: để trống {' và '.join(blanks)} để văn thư điền khi đăng ký — §2", "info",
               section="§2")


def _split_first_line(p: Para) -> tuple[list, list]:
    """The runs of ``p``'s first line and of the rest (national name and motto in one paragraph)."""
    first = norm(p.lines[0]) if p.lines else ""
    head, acc = [], ""
    for r in p.runs:
        if len(norm(acc)) >= len(first):
            break
        head.append(r)
        acc += r.text
    return head, p.runs[len(head):]


def _first_line_only(p: Para) -> Para:
    if len(p.lines) < 2:
        return p
    head, _ = _split_first_line(p)
    return replace(p, runs=head or p.runs)


def _motto_runs(h) -> Para:
    if h.motto is h.national:
        _, rest = _split_first_line(h.national)
        return replace(h.national, runs=rest or h.national.runs)
    return h.motto


def check_motto(c: Checker) -> None:
    h = c.doc.header
    if h.motto is None:
        c.fail("header.motto", h.national, f"không có tiêu ngữ “{rules.MOTTO}” dưới quốc hiệu — §2", section="§2")
        return
    if "–" in h.motto_text or "—" in h.motto_text:
        c.fail("header.motto-dash", h.motto, f"tiêu ngữ “{h.motto_text}” dùng dấu gạch ngang dài (–); Nghị định: "
               f"gạch nối “-” có cách hai bên: “{rules.MOTTO}” — §2", measured=h.motto_text, allowed=rules.MOTTO,
               section="§2")
    elif h.motto_text != rules.MOTTO:
        c.fail("header.motto", h.motto, f"tiêu ngữ viết “{h.motto_text}”; Nghị định: “{rules.MOTTO}” — §2",
               measured=h.motto_text, allowed=rules.MOTTO, section="§2")
    c.style_rule("header.motto-style", _motto_runs(h), "motto")
    size = max(_motto_runs(h).sizes(), default=R["size.motto"].lo)
    text_w = [text_width_twips(rules.MOTTO, size, bold=True)]
    check_rule(c, "header.motto-rule", h.motto_rule, h.motto, "tiêu ngữ", text_w, _box(h.motto, c.doc), "rule.motto",
               MOTTO_RULE_TOLERANCE)


def check_rule(c: Checker, rule_id: str, rule: Rule | None, under: Para, what: str, widths: list[int], box: int,
               key: str, tol: float) -> None:
    """A rule under ``under``: present, drawn as a line, and of the decree's length for ``key``.

    ``widths`` are the element's lines as typed. A line that fits its ``box`` (cell or text column) is as long
    as measured; a longer one wraps, and is then taken as between 80 % and 100 % of the box. With several
    lines the rule may be read against any of them: a finding is made only when the rule is wrong for every
    length in that interval.
    """
    r = R[key]
    if rule is None:
        c.fail(rule_id, under, f"thiếu đường kẻ ngang nét liền dưới {what} — {r.section}", section=r.section)
        return
    if rule.shape.kind == "underscores":
        c.fail(rule_id + "-form", rule.para, f"đường kẻ dưới {what} gõ bằng dấu gạch dưới “____”; Nghị định "
               "dùng đường kẻ nét liền (vẽ đường thẳng hoặc viền đoạn văn)", "info", section=r.section)
        return
    if rule.length is None:
        c.skip(rule_id + ".length", f"độ dài đường kẻ dưới {what}: tệp không ghi kích thước ({rule.shape.words()})")
        return
    spans = [(w, w) if not box or w <= box else (0.8 * box, box) for w in widths]
    line_lo, line_hi = min(s[0] for s in spans), max(s[1] for s in spans)
    short = rule.length / line_lo < r.lo * (1 - tol)
    long_ = rule.length / line_hi > r.hi * (1 + tol)
    if short or long_:
        want = "bằng độ dài dòng chữ" if r.lo == r.hi else f"từ {r.lo:.2g} đến {r.hi:.2g} độ dài dòng chữ"
        line = f"{mm(line_hi):.0f} mm" if line_lo == line_hi else f"{mm(line_lo):.0f}–{mm(line_hi):.0f} mm (xuống dòng)"
        c.fail(rule_id, rule.para, f"đường kẻ dưới {what} dài {mm(rule.length):.0f} mm, "
               f"{'quá ngắn' if short else 'quá dài'} so với dòng chữ {line}; Nghị định: {want} — {r.section}",
               measured=f"{mm(rule.length):.0f} mm",
               allowed=f"{mm(r.lo * line_lo):.0f}–{mm(r.hi * line_hi):.0f} mm", section=r.section)


def _box(p: Para, doc: Document) -> int:
    """The width ``p``'s text can take: its cell, or the page's text column, less its indents."""
    from pipeline.docread.structure import cell_width

    if p.in_table:
        w = cell_width(p)
    else:
        sec = doc.sections[min(p.place.section, len(doc.sections)) - 1] if doc.sections else None
        w = sec.width - sec.margins["left"] - sec.margins["right"] if sec else 0
    return max(w - max(p.indent_left, 0) - max(p.indent_right, 0), 0) if w else 0


def check_agency(c: Checker) -> None:
    h = c.doc.header
    if not h.agency:
        c.fail("header.agency", "đầu văn bản", "không tìm thấy tên cơ quan ban hành (in hoa, đậm) — §2", section="§2")
        return
    for p in h.agency:
        c.style_rule("header.agency-style", p, "agency")
    for p in h.parent:
        c.style_rule("header.parent-style", p, "parent_agency")
    size = max((s for p in h.agency for s in p.sizes()), default=R["size.agency"].lo)
    text_w = [text_width_twips(line, size, bold=True) for p in h.agency for line in p.lines]
    box = min(_box(p, c.doc) for p in h.agency)
    check_rule(c, "header.agency-rule", h.agency_rule, h.agency[-1], "tên cơ quan ban hành", text_w, box,
               "rule.agency", AGENCY_RULE_TOLERANCE)


def check_number(c: Checker) -> None:
    n = c.doc.header.number
    if n is None:
        c.fail("header.number", "đầu văn bản", "không có dòng “Số: …/…” (số, ký hiệu văn bản) — §2", section="§2")
        return
    legal = c.doc.kind == "legal"
    form = "“Số: 30/2020/NĐ-CP” (số/năm/ký hiệu)" if legal else "“Số: 05/KH-UBND”"
    if not n.well_formed:
        c.fail("header.number", n.para, f"“{n.text}” sai dạng {form}: “Số” có dấu hai chấm, “/” giữa số và "
               "ký hiệu, “-” giữa các nhóm chữ của ký hiệu, không có dấu cách — §2", measured=n.text, allowed=form,
               section="§2")
    elif c.doc.doc_type == "Công văn" and "-" not in n.symbol:
        c.fail("header.number", n.para, f"ký hiệu công văn “{n.symbol}” thiếu chữ viết tắt đơn vị soạn thảo "
               "hoặc lĩnh vực (dạng “UBND-VP”) — §2, §8", measured=n.symbol, allowed="CQ-ĐV", section="§2")
    if n.number and int(n.number) < 10 and len(n.number) < 2:
        c.fail("header.number-zero", n.para, f"số {n.number} nhỏ hơn 10 phải có số 0 phía trước "
               f"(“0{n.number}”) — §2", measured=n.number, allowed=f"0{n.number}", section="§2")
    c.style_rule("header.number-style", n.para, "number")


def check_date(c: Checker) -> None:
    d = c.doc.header.date
    if d is None:
        c.fail("header.date", "đầu văn bản", "không có dòng địa danh, ngày tháng năm — §2", section="§2")
        return
    allowed = "“Hà Nội, ngày 05 tháng 01 năm 2026”"
    if not d.well_formed:
        c.fail("header.date", d.para, f"“{d.text}” sai dạng {allowed} — §2", measured=d.text, allowed=allowed,
               section="§2")
    else:
        faults = []
        if d.day and (len(d.day) != 2 or not d.day.isdigit()):
            faults.append(f"“ngày {d.day}”: ngày nhỏ hơn 10 phải có số 0 phía trước (“ngày 0{d.day}”)")
        if d.month and d.month.isdigit():
            m = int(d.month)
            if (m <= 2 and len(d.month) != 2) or (m > 2 and d.month.startswith("0")):
                faults.append(f"“tháng {d.month}”: tháng 1, 2 viết “01”, “02”; các tháng khác không có số 0 "
                              "(“tháng 7”)")
        if faults:
            c.fail("header.date-zero", d.para, "; ".join(faults) + " — §2", measured=d.text, allowed=allowed,
                   section="§2")
    c.style_rule("header.date-style", d.para, "place_date")


# ------------------------------------------------------------------ §3 type name and summary
def check_title(c: Checker) -> None:
    t = c.doc.title
    if t is None:
        if c.doc.doc_type not in (None, "Công văn"):
            c.skip("title.type", "không tìm thấy dòng tên loại văn bản (in hoa, căn giữa) dưới phần đầu")
        return
    if t.summary and t.summary[0] is t.type_para:
        c.fail("title.type-line", t.type_para, f"tên loại “{t.type_name}” và trích yếu viết chung một dòng; "
               "Nghị định: tên loại một dòng riêng, trích yếu ngay dưới — §3", section="§3")
    else:
        c.style_rule("title.type", t.type_para, "type_name")
    if t.type_para.align != "center":
        c.fail("title.type", t.type_para, "tên loại văn bản phải căn giữa — §3", measured=t.type_para.align,
               allowed="center", section="§3")
    if not t.summary:
        c.fail("title.summary", t.type_para, "không có trích yếu ngay dưới tên loại văn bản — §3", section="§3")
        return
    for p in t.summary:
        c.style_rule("title.summary", p if p is not t.type_para else None, "summary", )
    summary_text = " ".join(line for p in t.summary for line in p.lines).strip()
    if summary_text.endswith(("…", "...")) or " … " in summary_text:
        c.fail("title.summary-cut", t.summary[-1], f"trích yếu bị cắt cụt bằng “…”: “{summary_text[-50:]}”; "
               "trích yếu phải nêu đủ nội dung chính của văn bản — §3", "warning", measured=summary_text[-50:],
               allowed="trích yếu đầy đủ", section="§3")
    size = max((s for p in t.summary for s in p.sizes()), default=R["size.summary"].lo)
    text_w = [text_width_twips(line, size, bold=True) for p in t.summary for line in p.lines]
    box = min(_box(p, c.doc) for p in t.summary)
    check_rule(c, "title.summary-rule", t.summary_rule, t.summary[-1], "trích yếu", text_w, box, "rule.summary",
               AGENCY_RULE_TOLERANCE)


# ------------------------------------------------------------------ §4 body
def body_paragraphs(doc: Document) -> list[Para]:
    """Running text: paragraphs of the body long enough to be more than a heading, not centred."""
    return [p for p in doc.body if len(p.stripped) >= 60 and p.align != "center"
            and not p.stripped.startswith("Kính gửi") and not placeholder(p.stripped)
            and p.stripped != p.stripped.upper()]


def placeholder(text: str) -> bool:
    """A line of a model form, mostly dots to be filled in ("Căn cứ ......................")."""
    return sum(ch in ".…_" for ch in text) >= 0.3 * len(text)


def line_spacing(p: Para) -> float:
    """Line spacing in lines (1.0 = single): 'auto' in 240ths, 'exact'/'atLeast' against the font's line."""
    if p.line is None:
        return 1.0
    if p.line_rule == "auto":
        return p.line / 240
    single = max(p.sizes(), default=R["size.body"].lo) * 20 * SINGLE_LINE
    return p.line / single if p.line_rule == "exact" else max(1.0, p.line / single)


def model_forms(doc: Document) -> bool:
    """The file is a set of the decree's model forms (“Mẫu 1.1 …”), with blanks to fill in."""
    return sum(it.level == "form" for it in doc.items) >= 2


def check_body(c: Checker) -> None:
    paras = body_paragraphs(c.doc)
    if model_forms(c.doc):
        c.skip("body", "tệp là tập mẫu văn bản có chỗ trống để điền: không đánh giá định dạng phần nội dung")
        return
    if not paras:
        c.skip("body", "không có đoạn văn nội dung đủ dài (từ 60 ký tự) để đánh giá")
        return
    ind, sp, ln = R["indent.first_line"], R["spacing.after"], R["spacing.line"]
    checks = [
        ("body.align", lambda p: p.align == "both", "đoạn văn phải căn đều hai bên", "căn đều"),
        ("body.indent", lambda p: ind.admits(p.indent_left + p.indent_first, INDENT_TOLERANCE),
         f"{ind.what} phải {ind.words()}", ind.words()),
        ("body.spacing", lambda p: sp.admits(max(p.space_before, p.space_after)),
         f"{sp.what} tối thiểu {sp.lo / 20:g} pt", f"≥ {sp.lo / 20:g} pt"),
        ("body.line-spacing", lambda p: ln.admits(line_spacing(p) * 240, 12), f"{ln.what} {ln.words()}", ln.words()),
        ("body.size", lambda p: all(R["size.body"].admits(s) for s in p.sizes()),
         f"{R['size.body'].what} {R['size.body'].words()}", R["size.body"].words()),
    ]
    measure = {
        "body.align": lambda p: p.align,
        "body.indent": lambda p: f"{(p.indent_left + p.indent_first) / 567:.2f} cm",
        "body.spacing": lambda p: f"trước {p.space_before / 20:g} pt, sau {p.space_after / 20:g} pt",
        "body.line-spacing": lambda p: f"{line_spacing(p):.2f} dòng",
        "body.size": lambda p: ", ".join(f"{s:g}" for s in sorted(p.sizes())),
    }
    for rule, ok, message, allowed in checks:
        bad = [p for p in paras if not ok(p)]
        if bad:
            got = measure[rule](bad[0])
            c.fail(rule, bad[0], f"{message}; đoạn đầu tiên sai: {got} — §4", measured=got, allowed=allowed,
                   section="§4", count=(len(bad), len(paras)))


ORDINALS = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
LEVELS = ["form", "part", "chapter", "section", "article", "roman", "arabic", "decimal", "letter"]


def _value(item) -> int | None:
    if item.level == "part" and item.label.startswith("thứ"):
        return ORDINALS.get(item.label.split()[-1].lower())
    return item.value


def check_numbering(c: Checker) -> None:
    """§4: parts, chapters, articles, sections, clauses and points in sequence, no gaps or repeats; clauses
    restart in each Điều (and each Roman section), points in each clause."""
    if model_forms(c.doc):
        c.skip("body.numbering", "tệp là tập mẫu văn bản: mỗi mẫu đánh số riêng")
        return
    expected: dict[tuple, int] = {}
    slips = []
    for item in c.doc.items:
        if item.level in ("dash", "plus"):
            continue
        key = (item.level, item.depth, item.label.rsplit(".", 1)[0] if item.level == "decimal" else "")
        rank = LEVELS.index(item.level)
        for k in [k for k in expected if LEVELS.index(k[0]) > rank or (k[0] == item.level == "decimal"
                                                                         and k[1] > item.depth)]:
            if k[0] == "article" and item.level in ("part", "chapter", "section"):
                continue  # articles run on through chapters
            del expected[k]
        want, got = expected.get(key, 1), _value(item)
        if got is not None and got != want:
            slips.append((item, want, got))
        expected[key] = (got if got is not None else want) + 1
    if slips:
        item, want, got = slips[0]
        what = "trùng" if got < want else "bỏ cách"
        label = _label(item, want)
        more = f"; còn {len(slips) - 1} chỗ khác: " + ", ".join(f"“{s[0].label}” ({s[0].para.place.words()})"
                                                                for s in slips[1:4]) if len(slips) > 1 else ""
        c.fail("body.numbering", item.para, f"số thứ tự “{item.label}” {what}: cần “{label}” — đánh số liên tục, "
               f"không trùng, không bỏ cách{more} — §4", measured=item.label, allowed=label, section="§4")


def _label(item, want: int) -> str:
    if item.level in ("roman",) or (item.level in ("part", "chapter") and not item.label.isdigit()
                                    and not item.label.startswith("thứ")):
        return roman(want)
    if item.level == "letter":
        return VIET_LETTERS[want - 1] + ")" if want <= len(VIET_LETTERS) else "?"
    if item.level == "decimal":
        return item.label.rsplit(".", 1)[0] + f".{want}"
    return str(want)


# ------------------------------------------------------------------ §9 "Kính gửi" (convention of the decree's models)
def check_addressees(c: Checker) -> None:
    names = c.doc.addressees
    head = next((p for p in c.doc.body[:8] if p.stripped.startswith("Kính gửi")), None)
    if head is None or not names:
        return
    c.style_rule("to.style", head, "to", "warning")
    if len(names) == 1 and not names[0].endswith("."):
        c.fail("to.form", head, f"“Kính gửi: {names[0]}”: một nơi nhận viết cùng dòng, kết thúc bằng dấu chấm — §9",
               "warning", measured=names[0], allowed="Kính gửi: ….", section="§9")
    elif len(names) > 1 and not (all(n.endswith(";") for n in names[:-1]) and names[-1].endswith(".")):
        c.fail("to.form", head, "nhiều nơi nhận: mỗi dòng bắt đầu bằng “-”, kết thúc bằng “;”, dòng cuối bằng "
               "“.” — §9", "warning", section="§9")


# ------------------------------------------------------------------ §5 signature, recipients
def check_signature(c: Checker) -> None:
    slips = [p for p in c.doc.paragraphs if p.lines and len(p.lines[0]) < 60
             and AUTHORITY_SLIP_RE.match(p.lines[0]) and not AUTHORITY_RE.match(p.lines[0])]
    if slips:
        t = slips[0].lines[0]
        c.fail("signature.form", slips[0], f"“{t}”: thẩm quyền ký viết “TM.”, “KT.”, “Q.”, “TL.”, “TUQ.” (in hoa, "
               "dấu chấm, một dấu cách), ví dụ “KT. CHỦ TỊCH” — §5", measured=t, allowed="KT. CHỦ TỊCH", section="§5")
    s = c.doc.signature
    if s is None:
        if not slips:
            c.skip("signature", "không tìm thấy khối chữ ký (thẩm quyền, chức vụ, họ tên người ký)")
        return
    for p in ([s.authority] if s.form else []) + s.positions:
        c.style_rule("signature.style", _first_line_only(p), "authority")
    t = s.authority.lines[0]
    if s.form and t != t.upper():
        c.fail("signature.form", s.authority, f"“{t}” phải in hoa — §5", measured=t, allowed=t.upper(), section="§5")
    if s.form in ("KT", "TL", "TUQ") and not s.positions and len(s.authority.lines) < 2:
        c.fail("signature.form", s.authority, f"sau “{s.form}. …” phải có chức vụ người ký — §5", section="§5")
    if s.signer is None:
        c.fail("signature.name", s.authority, "không thấy họ tên người ký dưới chỗ ký — §5", section="§5")
        return
    c.style_rule("signature.name", s.signer, "signer")
    if s.signer.place.table != s.authority.place.table:
        c.fail("signature.name", s.signer, "họ tên người ký nằm ngoài khối chữ ký (gõ bằng dấu cách ở dòng riêng); "
               "nên đặt dưới chức vụ, cùng ô — §5", "warning", section="§5")




def check_recipients(c: Checker) -> None:
    r = c.doc.recipients
    if r is None:
        c.fail("recipients.missing", "cuối văn bản", "không có phần “Nơi nhận:” — §5", "warning", section="§5")
        return
    first = r.title.lines[0]
    if norm(first) != "Nơi nhận:":
        c.fail("recipients.title", r.title, f"viết “{first}”; Nghị định: “Nơi nhận:” (có dấu hai chấm) — §5",
               measured=first, allowed="Nơi nhận:", section="§5")
    c.style_rule("recipients.title", _first_line_only(r.title), "recipients_title")
    if not r.entries:
        c.fail("recipients.entry", r.title, "“Nơi nhận:” không có dòng nào — §5", section="§5")
        return
    size = R["size.recipients"]
    lines = [p for _, ps in r.entries for p in ps if p is not r.title]
    bad = [p for p in lines if any(not size.admits(s) for s in p.sizes())]
    if bad:
        got = ", ".join(f"{s:g}" for s in sorted(bad[0].sizes()))
        c.fail("recipients.size", bad[0], f"{size.what} {size.words()}, gặp cỡ {got} — §5", measured=got,
               allowed=size.words(), section="§5", count=(len(bad), len(lines)))
    texts = [t for t, _ in r.entries]
    wrong = [(t, ps) for t, ps in r.entries[:-1] if not (t.startswith("-") and t.endswith(";"))]
    if wrong:
        c.fail("recipients.entry", wrong[0][1][0], f"“{wrong[0][0][:50]}”: mỗi nơi nhận bắt đầu bằng “-” và "
               "kết thúc bằng “;” — §5", measured=wrong[0][0][:50], allowed="- …;", section="§5")
    if c.doc.addressees and norm(texts[0]) != rules.AS_ABOVE and len(texts) > 1:
        c.fail("recipients.as-above", r.entries[0][1][0], f"văn bản có “Kính gửi” thì nơi nhận đầu tiên là "
               f"“{rules.AS_ABOVE}”, gặp “{texts[0][:50]}” — §9", "warning", measured=texts[0][:50],
               allowed=rules.AS_ABOVE, section="§9")
    why = _archive_fault(texts[-1])
    if why:
        c.fail("recipients.archive", r.entries[-1][1][-1], f"dòng cuối “{texts[-1]}”: {why}; Nghị định: "
               "“- Lưu: VT, <đơn vị soạn thảo>.” — §5", measured=texts[-1], allowed="- Lưu: VT, ….", section="§5")


def _archive_fault(line: str) -> str | None:
    """What is wrong with the last line of “Nơi nhận” (§5: “- Lưu: VT, <drafting unit>.”), or None."""
    if re.fullmatch(r"- Lưu: VT(, [^;]+?)?\.", line):
        return None
    if not re.match(r"[-–]\s*Lưu\b", line):
        return "không phải dòng “- Lưu: …” (nơi lưu văn bản)"
    if not line.startswith("- Lưu: "):
        return "viết “- Lưu: ” (gạch ngang, chữ “Lưu”, dấu hai chấm, một dấu cách)"
    if not re.match(r"- Lưu: VT\b", line):
        return "nơi lưu đầu tiên là “VT” (văn thư)"
    if not line.endswith("."):
        return "thiếu dấu chấm ở cuối dòng"
    return "sau “VT” là dấu phẩy rồi tên viết tắt của đơn vị soạn thảo"


# ------------------------------------------------------------------ §6 appendices
def check_appendices(c: Checker) -> None:
    labels = c.doc.appendices
    for a in labels:
        t = a.label.stripped
        if not t.startswith("Phụ lục"):
            c.fail("appendix.case", a.label, f"“{t[:30]}”: viết “Phụ lục” (chữ thường), không in hoa cả — §6",
                   measured=t[:30], allowed="Phụ lục", section="§6")
            break
    numbered = [a for a in labels if re.match(r"^ph[ụu] l[ụu]c\s+(số\s+)?\d", a.label.stripped, re.IGNORECASE)]
    if len(labels) > 1 and numbered:
        c.fail("appendix.numbering", numbered[0].label, "có từ hai phụ lục trở lên phải đánh số La Mã: "
               "“Phụ lục I”, “Phụ lục II” — §6", measured=numbered[0].label.stripped, allowed="Phụ lục I",
               section="§6")
    for a in labels:
        bad = c.style_ok(a.label, "appendix_label", upper=False)
        bad += ["không căn giữa"] if a.label.align != "center" else []
        if bad:
            c.fail("appendix.style", a.label, f"dòng “Phụ lục …”: {', '.join(bad)}; Nghị định: đậm, đứng, cỡ "
                   f"{R['size.appendix_label'].words()}, căn giữa — §6", measured=", ".join(bad), section="§6")
            break
    for a in labels:
        if a.reference is not None and (not a.reference.all("italic") or a.reference.align != "center"):
            c.fail("appendix.reference", a.reference, "dòng “(Kèm theo …)” phải in nghiêng, căn giữa — §6",
                   section="§6")
            break


# ------------------------------------------------------------------ §1, §6 page numbers
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
        elif align != "center":
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


# ------------------------------------------------------------------ the file
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
    from pipeline.docread import read_docx
    from pipeline.docread.convert import as_docx
    from pipeline.ooxml import safezip

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


def _text(report: Report) -> list[str]:
    out = [f"{report.file}: đọc như {report.kind}"]
    if not any(f.severity == "error" for f in report.findings):
        out.append(f"{report.file}: đúng thể thức (không phát hiện lỗi)")
    out += [f.format(report.file) for f in report.findings]
    out += [f"{report.file}: chưa đánh giá {x['rule']}: {x['why']}" for x in report.not_evaluated]
    return out


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: từng dòng cho người đọc; json: cho công cụ khác.")
@click.option("--schema/--no-schema", default=True,
              help="Soát cả lược đồ OOXML (Word có phải “sửa” tệp khi mở không); chậm hơn.")
def check_command(files: tuple[Path, ...], fmt: str, schema: bool) -> None:
    """Kiểm tra thể thức văn bản Word (.docx, .doc) theo Nghị định 30/2020/NĐ-CP."""
    from pipeline.errors import EXIT_FINDINGS, EXIT_INVALID_INPUT, ExternalToolError

    reports = []
    for f in files:
        try:
            reports.append(check_path(f, schema=schema))
        except ConversionError as exc:
            raise ExternalToolError(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps({r.file: {"kind": r.kind, "findings": [asdict(x) for x in r.findings],
                                        "not_evaluated": r.not_evaluated} for r in reports},
                              ensure_ascii=False, indent=2))
    else:
        for r in reports:
            for line in _text(r):
                click.echo(line)
        errors = sum(r.errors() for r in reports)
        click.echo(f"{len(reports)} tệp; {errors} lỗi thể thức.")
    if any(f.rule == "file.unreadable" for r in reports for f in r.findings):
        sys.exit(EXIT_INVALID_INPUT)  # a file that is not a readable Word document: bad input
    if any(r.errors() for r in reports):
        sys.exit(EXIT_FINDINGS)
