"""The self-assessment scoring table: criteria, maximum points, self-scored points, evidence (issue 15).

A criteria set (``inputs/criteria/<id>.yaml``) lists reform areas (lĩnh vực),
each with criteria (tiêu chí) and their maximum points; the office adds the
points it scores itself and the evidence as the year goes. A subtotal or total
is printed only when every criterion under it is scored; until then it is a
placeholder, never a zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.inputs import model as m
from pipeline.decree import forms as nd30
from pipeline.decree import wml
from pipeline.plan.reports import BLANK  # the one placeholder of an unfilled figure


COLUMNS = [
    wml.Column("TT", 12, "center"),
    wml.Column("Lĩnh vực, tiêu chí", 118, "left"),
    wml.Column("Điểm tối đa", 24, "center"),
    wml.Column("Điểm tự chấm", 24, "center"),
    wml.Column("Tài liệu kiểm chứng", 74, "left"),
]


def points(value: float | None) -> str:
    """'2,5', '10', or the placeholder when not scored."""
    if value is None:
        return BLANK
    return f"{value:g}".replace(".", ",")  # Vietnamese decimal comma


@dataclass(frozen=True)
class Subtotal:
    name: str
    max: float
    score: float | None  # None until every criterion of the area is scored


def _sum(values: list[float | None]) -> float | None:
    if any(v is None for v in values):
        return None
    return round(sum(v for v in values if v is not None), 2)


def subtotals(cset: m.CriteriaSet) -> list[Subtotal]:
    return [Subtotal(a.name, round(sum(c.max for c in a.criteria), 2), _sum([c.score for c in a.criteria]))
            for a in cset.areas]


def total(cset: m.CriteriaSet) -> Subtotal:
    subs = subtotals(cset)
    return Subtotal("Tổng cộng", round(sum(s.max for s in subs), 2), _sum([s.score for s in subs]))


def rows(cset: m.CriteriaSet) -> tuple[list[list[list[str]]], set[int]]:
    """The table's rows (area row with its subtotal, then its criteria; the total last) and the bold ones."""
    out: list[list[list[str]]] = []
    bold: set[int] = set()
    for ai, (area, sub) in enumerate(zip(cset.areas, subtotals(cset)), 1):
        bold.add(len(out))
        out.append([[nd30.roman(ai)], [area.name], [points(sub.max)], [points(sub.score)], [""]])
        for ci, c in enumerate(area.criteria, 1):
            out.append([[str(ci)], [c.name], [points(c.max)], [points(c.score)],
                        [f"- {e}" for e in c.evidence] if len(c.evidence) > 1 else list(c.evidence) or [""]])
    tot = total(cset)
    bold.add(len(out))
    out.append([[""], [tot.name], [points(tot.max)], [points(tot.score)], [""]])
    return out, bold


def table(cset: m.CriteriaSet):
    body, bold = rows(cset)
    return wml.table(COLUMNS, body, nd30.text_width(landscape=True), nd30.SIZE_TABLE, bold_rows=bold)


def summary_lines(cset: m.CriteriaSet) -> list[str]:
    """'Tổng điểm tự chấm: ……/100 điểm.' and one line per area."""
    tot = total(cset)
    out = [f"Tổng điểm tự chấm: {points(tot.score)}/{points(tot.max)} điểm; cụ thể:"]
    out += [f"- {s.name}: {points(s.score)}/{points(s.max)} điểm;" for s in subtotals(cset)]
    out[-1] = out[-1][:-1] + "."
    return out
