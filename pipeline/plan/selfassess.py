"""The self-assessment scoring table: the province's criteria, maxima, self-scored points, evidence.

A criteria set (``inputs/criteria/<id>.yaml``, ``inputs/criteria.py``) lists areas (lĩnh vực), each
with criteria (tiêu chí) that may have parts (tiêu chí thành phần), as the province's annex does; the
office adds the points it scores itself and the evidence as the year goes. A part's points roll up into
its criterion, a criterion's into its area, the areas' into the total; a sum is printed only when every
criterion under it is scored, else a placeholder, never a zero. The result is also given as a
percentage of the maximum. Areas the province scores by a citizen survey (``survey``) are not
self-scored: the total the office scores itself leaves them out, the grand total waits for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from markupsafe import Markup

from pipeline.decree import forms as nd30
from pipeline.decree import wml
from pipeline.decree.labels import PLACEHOLDER
from pipeline.inputs import model as m
from pipeline.plan.reports import BLANK  # the one placeholder of an unfilled figure

HEADINGS = ("STT", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Điểm tự đánh giá",
            "Tài liệu kiểm chứng")
COLUMNS = [
    wml.Column(HEADINGS[0], 14, "center"),
    wml.Column(HEADINGS[1], 114, "left"),
    wml.Column(HEADINGS[2], 22, "center"),
    wml.Column(HEADINGS[3], 24, "center"),
    wml.Column(HEADINGS[4], 78, "left"),
]
TOTAL = "Tổng cộng"
SELF_TOTAL = "Tổng điểm tự đánh giá (không kể điều tra xã hội học)"
PERCENT = "Kết quả (tỷ lệ % so với tổng điểm tối đa)"

Evidence = Callable[[list[str]], list[str]]  # document ids -> how each is cited


def points(value: float | None) -> str:
    """'2,5', '10', or the placeholder when not scored."""
    if value is None:
        return BLANK
    return f"{value:g}".replace(".", ",")  # Vietnamese decimal comma


def percent(score: float | None, maximum: float) -> str:
    """'85,35%' (two decimals at most), or the placeholder."""
    if score is None:
        return BLANK
    return f"{round(score * 100 / maximum, 2):g}".replace(".", ",") + "%"


@dataclass(frozen=True)
class Subtotal:
    name: str
    max: float
    score: float | None  # None until every criterion under it is scored


def _sum(values: list[float | None]) -> float | None:
    if any(v is None for v in values):
        return None
    return round(sum(v for v in values if v is not None), 2)


def subtotals(cset: m.CriteriaSet) -> list[Subtotal]:
    return [Subtotal(a.name, round(sum(c.max for c in a.criteria), 2), _sum([c.scored for c in a.criteria]))
            for a in cset.areas]


def total(cset: m.CriteriaSet) -> Subtotal:
    subs = subtotals(cset)
    return Subtotal(TOTAL, round(sum(s.max for s in subs), 2), _sum([s.score for s in subs]))


def self_total(cset: m.CriteriaSet) -> Subtotal:
    """The points the office scores itself: every area but the survey's."""
    subs = [s for s, a in zip(subtotals(cset), cset.areas) if not a.survey]
    return Subtotal(SELF_TOTAL, round(sum(s.max for s in subs), 2), _sum([s.score for s in subs]))


def maximum(cset: m.CriteriaSet) -> float:
    """The set's maximum: as its decision states it, else the sum of its areas (validated equal)."""
    return cset.max if cset.max is not None else total(cset).max


def decision_words(cset: m.CriteriaSet) -> str:
    """'Quyết định số 1234/QĐ-UBND ngày 08/9/2025 của Ủy ban nhân dân tỉnh Lâm Đồng', CẦN ĐIỀN where unknown."""
    d = cset.decision
    day = nd30.short_date(d.date) if d.date else PLACEHOLDER
    return f"Quyết định số {d.number or PLACEHOLDER} ngày {day} của {d.issuer or PLACEHOLDER}"


def citation_line(cset: m.CriteriaSet) -> str:
    """The line above the table: the set, its decision, its maximum and how the result is given."""
    scale = cset.scale or "tỷ lệ phần trăm (%) giữa tổng điểm đạt được và tổng điểm tối đa"
    line = (f"{cset.name} ban hành kèm theo {decision_words(cset)}; tổng điểm tối đa: "
            f"{points(maximum(cset))} điểm; kết quả tính theo {scale.rstrip('.')}.")
    if cset.sample:
        line += (" Bộ tiêu chí này là bản dự thảo của chương trình, chờ bộ tiêu chí do UBND tỉnh ban hành: "
                 "chưa dùng để chấm điểm chính thức.")
    return line


def _evidence(item: m.CriterionPart, cite: Evidence) -> list[str]:
    lines = list(item.evidence) + cite(list(item.documents))
    return [f"- {e}" for e in lines] if len(lines) > 1 else lines or [""]


def rows(cset: m.CriteriaSet, cite: Evidence) -> tuple[list[list[list[str]]], set[int]]:
    """The table's rows (area row with its subtotal, its criteria, their parts; the totals last) and the bold ones."""
    out: list[list[list[str]]] = []
    bold: set[int] = set()
    for ai, (area, sub) in enumerate(zip(cset.areas, subtotals(cset)), 1):
        bold.add(len(out))
        out.append([[area.code or nd30.roman(ai)], [area.name], [points(sub.max)], [points(sub.score)], [""]])
        for ci, c in enumerate(area.criteria, 1):
            code = c.code or str(ci)
            out.append([[code], [c.name], [points(c.max)], [points(c.scored)], _evidence(c, cite)])
            for pi, part in enumerate(c.parts, 1):
                out.append([[part.code or f"{code}.{pi}"], [part.name], [points(part.max)], [points(part.score)],
                            _evidence(part, cite)])
    tot = total(cset)
    if any(a.survey for a in cset.areas):
        own = self_total(cset)
        bold.add(len(out))
        out.append([[""], [own.name], [points(own.max)], [points(own.score)], [""]])
    bold.add(len(out))
    out.append([[""], [tot.name], [points(tot.max)], [points(tot.score)], [""]])
    bold.add(len(out))
    out.append([[""], [PERCENT], ["100%"], [percent(tot.score, tot.max)], [""]])
    return out, bold


def table(cset: m.CriteriaSet, cite: Evidence):
    """The citation line, then the bordered table (landscape text width)."""
    body, bold = rows(cset, cite)
    line = wml.paragraph(citation_line(cset), style="VBTableText", align="both", size_pt=nd30.SIZE_TABLE,
                         italic=True)
    grid = wml.table(COLUMNS, body, nd30.text_width(landscape=True), nd30.SIZE_TABLE, bold_rows=bold)
    return Markup(line) + grid


def summary_lines(cset: m.CriteriaSet) -> list[str]:
    """The body's lines: the set and its decision, the total, the percentage, one line per area."""
    tot, mx = total(cset), maximum(cset)
    out = [f"Căn cứ {cset.name[:1].lower()}{cset.name[1:]} ban hành kèm theo {decision_words(cset)} "
           f"(tổng điểm tối đa {points(mx)} điểm), kết quả tự đánh giá, chấm điểm như sau:"]
    if any(a.survey for a in cset.areas):
        own = self_total(cset)
        out.append(f"- Tổng điểm tự đánh giá: {points(own.score)}/{points(own.max)} điểm (không kể "
                   f"{points(round(tot.max - own.max, 2))} điểm điều tra xã hội học do UBND tỉnh đánh giá);")
    out.append(f"- Tổng điểm: {points(tot.score)}/{points(tot.max)} điểm, đạt {percent(tot.score, tot.max)}; "
               "cụ thể:")
    out += [f"+ {s.name}: {points(s.score)}/{points(s.max)} điểm;" for s in subtotals(cset)]
    out[-1] = out[-1][:-1] + "."
    return out
