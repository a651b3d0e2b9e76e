"""The ``Checker`` the rule families write their findings through, and the measures several families share:
an element's first line (national name and motto in one paragraph), the width its text can take, and the
length of a rule drawn under it."""

from __future__ import annotations

from dataclasses import replace

from pipeline.check.findings import Finding, Report, where
from pipeline.decree import rules
from pipeline.docread.measure import mm
from pipeline.docread.document import Document, Para, Rule
from pipeline.docread.structure import cell_width, norm

R = rules.RULES
S = rules.STYLES
MOTTO_RULE_TOLERANCE = 0.15  # a drawn line "as long as the motto", read from its geometry: ±15 %
AGENCY_RULE_TOLERANCE = 0.05  # 1/3–1/2 of the name, ±5 % of the bound
MAX_MESSAGES = 5  # distinct messages one finding gathers


class Checker:
    """Rules applied to the model; the rule families (``page``, ``header``, ``title``, ``body``, ``closing``) are
    functions of a ``Checker``."""

    def __init__(self, doc: Document, report: Report):
        self.doc = doc
        self.report = report
        self.merged: dict[str, int] = {}  # rule -> messages its finding holds (``MAX_MESSAGES`` at most)

    def fail(self, rule: str, p, message: str, severity: str = "error", measured: str = "", allowed: str = "",
             section: str = "", count: tuple[int, int] | None = None) -> None:
        """Record a finding; a rule already found gets the new message added (one finding per rule, with
        ``MAX_MESSAGES`` messages at most: a file of 20,000 sections, each wrong its own way, makes one line)."""
        if count:
            message += f" ({count[0]}/{count[1]} đoạn)"
        for f in self.report.findings:
            if f.rule == rule:
                if message not in f.message and self.merged.get(rule, 1) < MAX_MESSAGES:
                    f.message += "; " + message
                    self.merged[rule] = self.merged.get(rule, 1) + 1
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


def split_first_line(p: Para) -> tuple[list, list]:
    """The runs of ``p``'s first line and of the rest (national name and motto in one paragraph)."""
    first = norm(p.lines[0]) if p.lines else ""
    head, acc = [], ""
    for r in p.runs:
        if len(norm(acc)) >= len(first):
            break
        head.append(r)
        acc += r.text
    return head, p.runs[len(head):]


def first_line_only(p: Para) -> Para:
    if len(p.lines) < 2:
        return p
    head, _ = split_first_line(p)
    return replace(p, runs=head or p.runs)


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


def text_box(p: Para, doc: Document) -> int:
    """The width ``p``'s text can take: its cell, or the page's text column, less its indents."""
    if p.in_table:
        w = cell_width(p)
    else:
        sec = doc.sections[min(p.place.section, len(doc.sections)) - 1] if doc.sections else None
        w = sec.width - sec.margins["left"] - sec.margins["right"] if sec else 0
    return max(w - max(p.indent_left, 0) - max(p.indent_right, 0), 0) if w else 0
