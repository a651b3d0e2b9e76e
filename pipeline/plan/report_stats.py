"""Plan stage, reports: what the office wrote for a report, and its statistics annex (issues 29, 34).

``filled`` puts the texts the progress file holds for a report (``reports: <kind>: fields:``) in
place of the kind's drafter's notes; a note whose field is empty stays as it is. ``row_value`` is a
row's figure: counted from the tasks (``known``), a target's value (``indicator``) or typed
(``figures``); None, printed as a blank, when none of these holds one. ``annex`` is the statistics
forms as one table, a heading row per form ("Biểu mẫu 1. Công tác chỉ đạo, điều hành …").
"""

from __future__ import annotations

from typing import Any

from pipeline.decree import forms as nd30
from pipeline.decree import wml
from pipeline.decree.vietnamese import upper
from pipeline.inputs import model as m
from pipeline.inputs.report_content import ReportContent, StatRow, fields_of, stat_rows
from pipeline.plan import report_kinds as rk
from pipeline.plan.reports import BLANK

STAT_COLUMNS = [
    wml.Column("STT", 14, "center"),
    wml.Column("Chỉ tiêu thống kê", 92, "left"),
    wml.Column("Đơn vị tính", 28, "center"),
    wml.Column("Số liệu", 24, "center"),
    wml.Column("Ghi chú", 22, "left"),
]


def content(rep: rk.Report) -> ReportContent:
    """What the office wrote for this report in the period's progress file (empty when nothing)."""
    if rep.progress is None:
        return ReportContent()
    return rep.progress.reports.get(rep.kind.id) or ReportContent()


def filled(rep: rk.Report, sections: list[m.Section] | tuple[m.Section, ...]) -> list[m.Section]:
    """The sections with each drafter's note whose field has a text replaced by that text (a paragraph a line)."""
    texts = content(rep).fields
    by_note = {id(fill): texts.get(name) for name, fill in fields_of(sections)}

    def items(seq: list) -> list:
        out: list = []
        for item in seq:
            if isinstance(item, m.Fill) and (text := by_note.get(id(item))):
                out += [m.Para(p=line.strip()) for line in text.splitlines() if line.strip()]
            elif isinstance(item, m.Clause):
                out.append(item.model_copy(update={"items": items(item.items)}))
            else:
                out.append(item)
        return out

    return [sec.model_copy(update={"items": items(sec.items)}) for sec in sections]


def number(value: float) -> str:
    """'25.898', '99,2', '0': the Vietnamese way, thousands by '.', decimals by ','."""
    whole = float(value).is_integer()
    text = f"{value:,.0f}" if whole else f"{value:,.2f}".rstrip("0")
    return text.replace(",", "§").replace(".", ",").replace("§", ".")


def _known(w, rep: rk.Report, what: str) -> float | None:
    if what == "documents_issued":
        return float(len(rk.issued_documents(w.inputs, rep.data_from, rep.cutoff)))
    f = rk.figures(w.inputs, rep, rk.in_scope(w.inputs, rep))
    if what == "tasks_total":
        return float(f.total)
    if not f.entered:  # no progress entered: a count would pretend to know
        return None
    if what == "tasks_done_rate":
        return round(100 * f.done / f.total, 1) if f.total else None
    return float({"tasks_done": f.done, "tasks_on_time": f.on_time, "tasks_late": f.late,
                  "tasks_overdue": f.overdue}[what])


def row_value(w, rep: rk.Report, key: str, row: StatRow) -> float | None:
    if row.known:
        return _known(w, rep, row.known)
    if row.indicator:
        return rep.progress.indicators.get(row.indicator) if rep.progress else None
    return content(rep).figures.get(key)


def form_rows(w, rep: rk.Report, form_no: int | None) -> list[tuple[StatRow, float | None]]:
    """The rows of one form an area's text states: the targets of the plan (stated with or without a
    value) and the figures typed for the period; neither headings nor the counts the summary states."""
    if form_no is None:
        return []
    return [(row, row_value(w, rep, key, row)) for fi, key, row in stat_rows(rep.kind.statistics)
            if fi == form_no and row.unit and not row.known]


def with_unit(value: float, unit: str) -> str:
    """'99,2%', '12 văn bản'; a yes/no row ('Có = 1; Không = 0') as its word."""
    if "=" in unit:
        words = {float(v.strip()): k.strip().lower() for k, _, v in (p.partition("=") for p in unit.split(";"))
                 if _is_number(v)}
        return words.get(float(value), number(value))
    return number(value) + ("%" if unit == "%" else f" {unit[:1].lower()}{unit[1:]}")


def _is_number(text: str) -> bool:
    try:
        float(text.strip())
    except ValueError:
        return False
    return True


def annex(w, rep: rk.Report, reference: str) -> dict[str, Any]:
    """The statistics forms of the report's outline, one table, the figures known or typed, blanks elsewhere."""
    stats = rep.kind.statistics
    assert stats is not None
    rows: list[list[list[str]]] = []
    headings: set[int] = set()
    last = 0
    for fi, key, row in stat_rows(stats):
        if fi != last:
            last = fi
            headings.add(len(rows))
            rows.append([[""], [f"{stats.form_word} {fi}. {w.text(stats.forms[fi - 1].title)}"]])
        value = row_value(w, rep, key, row) if row.unit else None
        shown = number(value) if value is not None else ("" if not row.unit else BLANK)
        rows.append([[f"{row.stt}."], [w.text(row.name)], [row.unit], [shown], [""]])
    title = f"{w.text(stats.title)} {rep.period.words}"
    return {"app": {"label": "Phụ lục", "title": nd30.title(upper(title), True, "appendix_title"),
                    "reference": reference,
                    "table": wml.table(STAT_COLUMNS, rows, nd30.text_width(landscape=True), nd30.SIZE_TABLE,
                                       headings=headings)}}
