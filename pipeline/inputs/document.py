"""What every generated document with a type name has, and the plan itself (plan.yaml).

Body items: each is a mapping with one distinguishing key; a plain string is a
paragraph. ``Clause`` and ``Item`` hold each other: ``Item`` names ``Clause``
as a string, resolved when ``Clause`` is made.
"""

import datetime as dt
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, Discriminator, Field, Tag, ValidationInfo, field_validator, model_validator

from pipeline.inputs.blocks import Outline, Schedule, Table
from pipeline.inputs.fields import Base, Day, FileStem, Id, IDate, Text


class Signature(Base):
    authority: Literal["", "TM", "KT", "Q", "TL", "TUQ"] = ""
    for_committee: bool = False  # adds "TM. ỦY BAN NHÂN DÂN" above a KT. line
    signer: Id  # a leader id


class Recipients(Base):
    to: list[Text] = Field(min_length=1)  # each a line, without "-" and ";"
    archive: list[Text] = ["VT"]  # "Lưu: VT, VP."
    copies: int | None = None


class Para(Base):
    p: Text


class Bullet(Base):
    bullet: Text


class Point(Base):
    point: Text


class Numbered(Base):
    numbered: Text  # "1. text" in normal weight: a clause without a title


class Note(Base):
    note: Text  # italic paragraph, e.g. "(Chi tiết tại các Phụ lục kèm theo)"


class Fill(Base):
    """A marked place where an officer writes (report shells): the drafter's note, kept until the
    report's content (``reports:`` of the progress file) gives its named ``field`` a text."""

    fill: Text
    field: Id | None = None  # default: its place, "muc_2_1" (section II, clause 1)


class TaskTable(Base):
    """A table of tasks: of one appendix of the plan, or of this document's own tasks."""

    tasks: Literal["own"] | Id


class Generated(Base):
    """A part of a report that vanban writes from the data."""

    generated: Literal["results_by_area", "indicators", "summary", "next_tasks", "task_list", "scores", "results",
                       "documents"]
    # ``results``: what the progress file holds for these tasks or appendices, and the figures of
    # ``form`` (a form of the kind's statistics annex, from 1), written as prose, never a task list;
    # with neither tasks, areas nor form: the results of all the report's tasks.
    # ``documents``: the plan and sub-plans of the set issued within the report's data window, cited
    areas: list[Id] = []
    tasks: list[Id] = []
    form: int | None = Field(default=None, ge=1)


ITEM_TAG = "item:"  # union tags in error locations start with this (validate.py drops them)


def _item_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return ITEM_TAG + "str"
    if isinstance(value, dict):
        for key in ("clause", "numbered", "bullet", "point", "note", "fill", "generated", "tasks", "table", "schedule",
                    "outline", "p"):
            if key in value:
                return ITEM_TAG + key
        return ITEM_TAG + "p"  # reports the missing/unknown keys against the paragraph form
    return None


Item = Annotated[
    Union[
        Annotated[Text, Tag(ITEM_TAG + "str")],
        Annotated[Para, Tag(ITEM_TAG + "p")],
        Annotated[Bullet, Tag(ITEM_TAG + "bullet")],
        Annotated[Point, Tag(ITEM_TAG + "point")],
        Annotated[Numbered, Tag(ITEM_TAG + "numbered")],
        Annotated[Note, Tag(ITEM_TAG + "note")],
        Annotated[Fill, Tag(ITEM_TAG + "fill")],
        Annotated[TaskTable, Tag(ITEM_TAG + "tasks")],
        Annotated[Generated, Tag(ITEM_TAG + "generated")],
        Annotated[Table, Tag(ITEM_TAG + "table")],
        Annotated[Schedule, Tag(ITEM_TAG + "schedule")],
        Annotated[Outline, Tag(ITEM_TAG + "outline")],
        Annotated["Clause", Tag(ITEM_TAG + "clause")],
    ],
    Discriminator(_item_tag, custom_error_type="item_kind",
                  custom_error_message="mỗi mục phải là một đoạn văn hoặc có một trong các khóa: p, bullet, point, numbered, note, fill, tasks, generated, table, schedule, outline, clause"),
]


class Clause(Base):
    clause: Text  # the title: "Cải cách thể chế"
    appendix: Id | None = None  # the appendix that details this area
    items: list[Item] = []


class Section(Base):
    title: Text  # printed upper case after its Roman numeral
    items: list[Item] = []


MAX_PERIOD_MONTHS = 60  # a plan of five years (2026–2030) is the longest a commune issues


class Period(Base):
    start: Day
    end: Day
    label: Text  # "6 tháng cuối năm 2025"

    @field_validator("end")
    @classmethod
    def _span(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        """At most five years: a typo such as 2205 would otherwise plan thousands of reports."""
        start = info.data.get("start")  # validated before it (absent when it was wrong)
        if start is not None and (end.year - start.year) * 12 + end.month - start.month >= MAX_PERIOD_MONTHS:
            raise ValueError(f"kỳ kế hoạch từ {start.isoformat()} đến {end.isoformat()} dài hơn 5 năm: kế hoạch dài "
                             "nhất của xã là kế hoạch 5 năm (ví dụ 2026–2030) — có gõ nhầm năm?")
        return end

    @model_validator(mode="after")
    def _order(self) -> "Period":
        if self.end < self.start:
            raise ValueError(f"ngày kết thúc {self.end} trước ngày bắt đầu {self.start}")
        return self


def _not_negative(value: float) -> float:
    if value < 0:
        raise ValueError(f"chỉ tiêu là một số không âm (tỷ lệ, số lượng), gặp {value:g}")
    return value


class Target(Base):
    """A numeric target, defined once and cited in text as {ct:id}."""

    id: Id
    name: Text
    op: Literal[">=", ">", "="] = ">="
    value: Annotated[float, AfterValidator(_not_negative)]
    unit: Text = "%"
    keywords: list[Text] = []  # phrases that name this indicator in free text (lint)


class DocumentSpec(Base):
    """What every generated document with a type name has (Kế hoạch, Chương trình, Báo cáo)."""

    id: Id
    kind: Literal["KH", "CTr", "BC"]
    issuer: Id | None = None  # a unit id when a unit issues in its own name
    number: int | None = Field(default=None, ge=1)
    date: IDate
    summary: Text
    to: list[Text] = []  # "Kính gửi" (reports sent upward)
    bases: list[Text] = []
    bases_layout: Literal["inline", "preamble"] = "inline"
    intro: Text | None = None
    sections: list[Section] = Field(min_length=1)
    closing: Text | None = None
    signature: Signature
    recipients: Recipients
    output: FileStem | None = None  # file name stem; derived from the summary when absent


class Plan(DocumentSpec):
    period: Period
    targets: list[Target] = []
