"""What a report says beyond what vanban derives: its statistics annex and its named fields.

A report kind (inputs/reports/<id>.yaml) may declare a ``statistics`` annex: the forms of an
outline's figures (the Bộ Nội vụ's "Biểu mẫu 1…7" of a CCHC report; the Bộ Tài chính's amounts
saved by field of a thrift report), each a list of rows numbered (``stt``) "1", "2.1", "3.3.1", with the
unit the figure is given in. A row's figure is known to the inputs (``known``: counted from the
tasks and their progress; ``indicator``: a target's value in the progress file) or typed by the
office in the period's progress file under ``reports: <kind>: figures: {bm<form>-<row>: value}``.

Every drafter's note of a kind (a ``fill`` item of its sections) is a named field: its
``field:`` or, when it has none, its place ("muc_2_1": section II, clause 1). The office writes
the period's text under ``reports: <kind>: fields: {<name>: text}``; a report prints the text in
place of the note, and keeps the note (and lint names the field) while it is empty.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Annotated, Iterator, Literal

import yaml
from pydantic import Field

from pipeline.inputs.document import Clause, Fill, Section
from pipeline.inputs.fields import Base, Id, Text

# figures vanban counts from the inputs (the tasks of the report's scope and their progress)
KNOWN = Literal["tasks_total", "tasks_done", "tasks_done_rate", "tasks_on_time", "tasks_late", "tasks_overdue",
                "documents_issued"]


class StatRow(Base):
    stt: str = Field(pattern=r"^\d+(\.\d+)*$")  # "2.1": printed "2.1."
    name: Text  # "Số nhiệm vụ đề ra trong kế hoạch"
    unit: Text = ""  # "Nhiệm vụ", "%", "Có = 1; Không = 0"; empty on a heading row
    known: KNOWN | None = None
    indicator: Id | None = None  # a target of plan.yaml: its value in the progress file


class StatForm(Base):
    title: Text  # "Công tác chỉ đạo, điều hành cải cách hành chính"
    rows: list[StatRow] = Field(min_length=1)


class Statistics(Base):
    """The figures annex of a report, as the outline that asks for it gives it."""

    title: Text  # "Biểu mẫu thống kê số liệu báo cáo cải cách hành chính"
    form_word: Text = "Biểu mẫu"  # each form's label: "Biểu mẫu 1"
    forms: list[StatForm] = Field(min_length=1)


class ReportContent(Base):
    """What the office writes for one report of a period (``reports: <kind>:`` of a progress file)."""

    fields: dict[Id, Text | None] = {}  # a drafter's note's text, by field name
    figures: dict[str, Annotated[float, Field(allow_inf_nan=False)] | None] = {}  # a row's figure: "bm1-3.1": 2


def row_key(form_no: int, row: StatRow) -> str:
    return f"bm{form_no}-{row.stt}"


def stat_rows(stats: Statistics | None) -> Iterator[tuple[int, str, StatRow]]:
    """(form number from 1, figure key, row) of every row of an annex."""
    for fi, form in enumerate(stats.forms if stats else [], 1):
        for row in form.rows:
            yield fi, row_key(fi, row), row


def typed_rows(stats: Statistics | None) -> dict[str, StatRow]:
    """The rows whose figure the office types: neither known to the inputs nor a heading."""
    return {key: row for _, key, row in stat_rows(stats) if row.unit and not row.known and not row.indicator}


def fields_of(sections: list[Section] | tuple[Section, ...]) -> Iterator[tuple[str, Fill]]:
    """(name, fill) of every drafter's note, in the order of the report."""
    for si, sec in enumerate(sections, 1):
        yield from _fields(sec.items, f"muc_{si}")


def _fields(items: list, place: str) -> Iterator[tuple[str, Fill]]:
    clause_no = fill_no = 0
    fills = sum(isinstance(i, Fill) for i in items)
    for item in items:
        if isinstance(item, Clause):
            clause_no += 1
            yield from _fields(item.items, f"{place}_{clause_no}")
        elif isinstance(item, Fill):
            fill_no += 1
            yield item.field or (place if fills == 1 else f"{place}_{chr(96 + fill_no)}"), item


@lru_cache(maxsize=1)
def skeleton() -> tuple[Section, ...]:
    """The conventional sections of a periodic report (data/report_skeleton.yaml), for a kind with none."""
    with resources.files("pipeline").joinpath("data/report_skeleton.yaml").open(encoding="utf-8") as f:
        data = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml's, where installed
    return tuple(Section.model_validate(s) for s in data)


def kind_fields(kind) -> dict[str, Fill]:
    """The named fields of a report kind (its sections, or the skeleton's), in the order of the report."""
    return dict(fields_of(kind.sections or skeleton()))
