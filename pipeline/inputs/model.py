"""The input schema: what office staff may write in ``inputs/``.

Every model forbids unknown keys (they are nearly always typos). Ids are
lower-case ASCII words (``vp``, ``tthc_01``) so they are easy to type and to
refer to from other files. Messages of our own validators are Vietnamese: they
reach the clerk as they are.

Every build loads these models, so they are written to be built once, when the
class is made: annotations are real objects (no ``from __future__ import
annotations``, which would make pydantic evaluate every one from a string), and
each model is declared after the models it holds, so none has to be built twice
(``model_rebuild``). ``Clause`` and ``Item`` hold each other: ``Item`` names
``Clause`` as a string, resolved when ``Clause`` is made.
"""

import calendar
import datetime as dt
import re
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    WithJsonSchema,
    model_validator,
)

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]


class Base(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --------------------------------------------------------------------------- dates


def _year_month(value: Any) -> Any:
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
        if not m:
            raise ValueError(f"cần tháng dạng YYYY-MM (ví dụ 2025-11), gặp '{value}'")
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"tháng {month} không tồn tại (chỉ từ 1 đến 12)")
        return YearMonth(year=year, month=month)
    if isinstance(value, (dt.date, dt.datetime)):
        raise ValueError(f"cần tháng dạng YYYY-MM, gặp một ngày đầy đủ ({value})")
    return value


class YearMonth(Base):
    model_config = ConfigDict(frozen=True)
    year: int
    month: int

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


YM = Annotated[YearMonth, BeforeValidator(_year_month),
               WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{1,2}$", "examples": ["2025-11"]})]


def _quarter(value: Any) -> Any:
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{4})-[Qq]([1-4])", value.strip())
        if not m:
            raise ValueError(f"cần quý dạng YYYY-Qn (ví dụ 2025-Q3), gặp '{value}'")
        return Quarter(year=int(m.group(1)), quarter=int(m.group(2)))
    return value


class Quarter(Base):
    model_config = ConfigDict(frozen=True)
    year: int
    quarter: int = Field(ge=1, le=4)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> dt.date:
        month = 3 * self.quarter
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])


Q = Annotated[Quarter, BeforeValidator(_quarter),
              WithJsonSchema({"type": "string", "pattern": r"^\d{4}-[Qq][1-4]$", "examples": ["2025-Q3"]})]


def _issue_date(value: Any) -> Any:
    """A document's date: a full date once signed, or only ``YYYY-MM`` on a draft."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return IssueDate(year=value.year, month=value.month, day=value.day)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{4}-\d{1,2}", text):
            ym = _year_month(text)
            return IssueDate(year=ym.year, month=ym.month, day=None)
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if m:
            y, mo, d = map(int, m.groups())
            try:
                dt.date(y, mo, d)
            except ValueError:
                raise ValueError(f"ngày {text} không tồn tại") from None
            return IssueDate(year=y, month=mo, day=d)
        raise ValueError(
            f"cần ngày dạng YYYY-MM-DD (ví dụ 2025-07-15) hoặc YYYY-MM khi chưa ký, gặp '{value}'"
        )
    return value


class IssueDate(Base):
    model_config = ConfigDict(frozen=True)
    year: int
    month: int = Field(ge=1, le=12)
    day: int | None = None

    @property
    def date(self) -> dt.date | None:
        return dt.date(self.year, self.month, self.day) if self.day else None


IDate = Annotated[IssueDate, BeforeValidator(_issue_date),
                  WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{1,2}(-\d{1,2})?$",
                                  "examples": ["2025-07", "2025-07-15"]})]


# --------------------------------------------------------------------------- commune


class Agency(Base):
    """The issuing body as printed in the header block."""

    name_lines: list[Text] = Field(min_length=1, max_length=3)  # ["ỦY BAN NHÂN DÂN", "XÃ A"]
    full_name: Text  # "Ủy ban nhân dân xã A"
    short_name: Text  # "UBND xã"
    symbol: Text  # "UBND": the agency part of the number symbol
    collective: Text  # "ỦY BAN NHÂN DÂN": the TM. line
    head_position: Text  # "Chủ tịch"
    parent_line: Text | None = None  # for the committee itself: none


class Leader(Base):
    id: Id
    name: Text | None = None
    position: Text  # "Phó Chủ tịch"
    also: Text | None = None  # "kiêm Giám đốc Trung tâm Phục vụ Hành chính công"


class Unit(Base):
    id: Id
    name: Text  # "Trung tâm Phục vụ Hành chính công"
    short: Text | None = None  # "Trung tâm PV HCC"
    symbol: Text | None = None  # for documents the unit issues: "KH-TTPVHCC"
    archive_code: Text | None = None  # "VP" in "Lưu: VT, VP."
    head: Text | None = None  # "Giám đốc", for documents the unit signs itself
    variants: list[Text] = []  # other spellings seen in hand-made documents (lint)

    @property
    def display_short(self) -> str:
        return self.short or self.name


class UnitGroup(Base):
    """A collective partner: 'Các phòng chuyên môn UBND xã'."""

    id: Id
    name: Text


class Commune(Base):
    province: Text  # the province's name
    name: Text  # the commune's name, without "xã"
    unit_word: Text = "xã"  # "xã" | "phường" | "đặc khu"
    place: Text  # the place name on the date line (the commune's official name)
    agency: Agency
    leaders: list[Leader] = Field(min_length=1)
    units: list[Unit] = Field(min_length=1)
    groups: list[UnitGroup] = []
    abbreviations: dict[Text, Text] = {}  # "TTHC": "thủ tục hành chính"


# --------------------------------------------------------------------------- documents


class Signature(Base):
    authority: Literal["", "TM", "KT", "Q", "TL", "TUQ"] = ""
    for_committee: bool = False  # adds "TM. ỦY BAN NHÂN DÂN" above a KT. line
    signer: Id  # a leader id


class Recipients(Base):
    to: list[Text] = Field(min_length=1)  # each a line, without "-" and ";"
    archive: list[Text] = ["VT"]  # "Lưu: VT, VP."
    copies: int | None = None


# Body items. Each is a mapping with one distinguishing key; a plain string is a paragraph.


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
    """A marked place where an officer writes (report shells)."""

    fill: Text


class TaskTable(Base):
    """A table of tasks: of one appendix of the plan, or of this document's own tasks."""

    tasks: Literal["own"] | Id


class Generated(Base):
    """A part of a report that vanban writes from the data."""

    generated: Literal["results_by_area", "indicators", "summary", "next_tasks", "task_list", "scores"]


ITEM_TAG = "item:"  # union tags in error locations start with this (validate.py drops them)


def _item_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return ITEM_TAG + "str"
    if isinstance(value, dict):
        for key in ("clause", "numbered", "bullet", "point", "note", "fill", "tasks", "generated", "p"):
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
        Annotated["Clause", Tag(ITEM_TAG + "clause")],
    ],
    Discriminator(_item_tag, custom_error_type="item_kind",
                  custom_error_message="mỗi mục phải là một đoạn văn hoặc có một trong các khóa: p, bullet, point, numbered, note, fill, tasks, generated, clause"),
]


class Clause(Base):
    clause: Text  # the title: "Cải cách thể chế"
    appendix: Id | None = None  # the appendix that details this area
    items: list[Item] = []


class Section(Base):
    title: Text  # printed upper case after its Roman numeral
    items: list[Item] = []


class Period(Base):
    start: dt.date
    end: dt.date
    label: Text  # "6 tháng cuối năm 2025"

    @model_validator(mode="after")
    def _order(self) -> "Period":
        if self.end < self.start:
            raise ValueError(f"ngày kết thúc {self.end} trước ngày bắt đầu {self.start}")
        return self


class Target(Base):
    """A numeric target, defined once and cited in text as {ct:id}."""

    id: Id
    name: Text
    op: Literal[">=", ">", "="] = ">="
    value: float
    unit: Text = "%"
    keywords: list[Text] = []  # phrases that name this indicator in free text (lint)


def _file_stem(value: Any) -> Any:
    """A plain file name: what 'output:' names must stay inside the output folder."""
    if isinstance(value, str) and (re.search(r'[/\\:*?"<>|\x00-\x1f]', value) or value.strip().startswith(".")):
        raise ValueError(f"'{value}' phải là một tên tệp đơn giản (không có '/', '\\', '..', ':' hay ký tự "
                         "đặc biệt, không bắt đầu bằng '.'): văn bản chỉ được ghi bên trong thư mục kết quả")
    return value


FileStem = Annotated[Text, BeforeValidator(_file_stem)]


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


# --------------------------------------------------------------------------- tasks


Recurrence = Literal["month", "quarter", "half_year", "year"]


class DeadlinePart(Base):
    """One 'when' of a task, with an optional product it applies to.

    Exactly one of the 'when' fields is given.
    """

    what: Text | None = None  # "Kế hoạch", "Báo cáo"
    before: dt.date | None = None  # "Trước ngày 10/12/2025"
    on: dt.date | None = None  # "Ngày 15/7/2025"
    month: YM | None = None  # "Tháng 11/2025"
    by_month: YM | None = None  # "Chậm nhất tháng 11/2025"
    quarter: Q | None = None  # "Quý III/2025"
    ongoing: bool | None = None  # "Thường xuyên"
    rest_of_period: bool | None = None  # "Thường xuyên trong 6 tháng còn lại năm 2025"
    within_period: bool | None = None  # "Trong 6 tháng cuối năm 2025"
    every: list[Recurrence] | None = None  # "Định kỳ hằng quý, năm"
    as_planned: bool | None = None  # "Theo kế hoạch"
    as_regulated: bool | None = None  # "Theo quy định"

    WHEN: ClassVar[tuple[str, ...]] = ("before", "on", "month", "by_month", "quarter", "ongoing", "rest_of_period",
            "within_period", "every", "as_planned", "as_regulated")

    @model_validator(mode="after")
    def _one_when(self) -> "DeadlinePart":
        given = [k for k in self.WHEN if getattr(self, k) not in (None, False, [])]
        if len(given) != 1:
            raise ValueError(
                "mỗi mốc thời hạn cần đúng một trong các khóa: " + ", ".join(self.WHEN)
                + (f"; đang có {len(given)}: {', '.join(given)}" if given else "; đang không có khóa nào")
            )
        return self

    @property
    def when(self) -> str:
        return next(k for k in self.WHEN if getattr(self, k) not in (None, False, []))


def _deadline_list(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


Deadline = Annotated[list[DeadlinePart], BeforeValidator(_deadline_list), Field(min_length=1),
                     WithJsonSchema({"anyOf": [{"x-ref": "DeadlinePart"},  # schema.py makes these $refs
                                               {"type": "array", "minItems": 1,
                                                "items": {"x-ref": "DeadlinePart"}}]})]


def _id_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


IdList = Annotated[list[Id], BeforeValidator(_id_list),
                   WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})]


class Task(Base):
    id: Id
    group: Text | None = None  # opens a group of the table: a heading row "I | Cải cách thể chế" above this task
    content: Text
    products: list[Text] = Field(min_length=1)
    lead: IdList | None = None  # unit ids; the appendix's lead when absent
    partners: IdList = []  # unit or group ids
    deadline: Deadline


class Appendix(Base):
    id: Id
    title: Text  # "Cải cách thể chế"
    lead: Id | None = None  # the unit responsible for the area; none when every task names its own
    tasks: list[Task] = Field(min_length=1)

    @model_validator(mode="after")
    def _led(self) -> "Appendix":
        if self.lead is None:
            missing = [t.id for t in self.tasks if not t.lead]
            if missing:
                raise ValueError("phụ lục không có đơn vị chủ trì chung ('lead') thì mỗi nhiệm vụ phải ghi "
                                 f"'lead'; còn thiếu ở: {', '.join(missing)}")
        return self

    def leads(self, task: Task) -> list[str]:
        """The lead units of one of its tasks: the task's own, else the appendix's."""
        return task.lead or [self.lead]


class Appendices(Base):
    appendices: list[Appendix] = Field(min_length=1)


class SubPlan(DocumentSpec):
    """A document ordered by a task of the plan (Phụ lục I, task 1 …).

    What the ordering task already says is taken from it when left out here:
    the kind (the type name the task asks for), the date (a draft dated in the
    month the task is due), the signature and the recipients (the plan's, with
    the lead unit archiving a copy).
    """

    ordered_by: Id  # the task id
    kind: Literal["KH", "CTr"] | None = None  # type: ignore[assignment]
    date: IDate | None = None  # type: ignore[assignment]
    signature: Signature | None = None  # type: ignore[assignment]
    recipients: Recipients | None = None  # type: ignore[assignment]
    tasks: list[Task] = []  # its own tasks, shown with {tasks: own}


# --------------------------------------------------------------------------- reports


class ReportKind(Base):
    """inputs/reports/<id>.yaml: one kind of report the plan or a sub-plan calls for.

    The reports themselves (which periods, which due dates) are not listed:
    they come from the 'Báo cáo' deadlines of the tasks named in ``tasks``
    (see ``report_kinds.py``). Everything a reader sees is written here: the
    title, the addressees, the sections, the indicators it lists.
    """

    id: Id
    name: Text  # the title after "BÁO CÁO", without its period: "Kết quả thực hiện công tác cải cách hành chính"
    tasks: list[Id] = Field(min_length=1)  # tasks (of the appendices or of a sub-plan) whose report deadlines make this report
    periods: list[Recurrence] | None = None  # the periods it reports on; a dated deadline falls in the period holding it
    collects: bool = False  # report deadlines of other tasks in its scope are answered here, not in a report of their own
    scope: Literal["plan", "own"] = "plan"  # plan: every task of the Kế hoạch; own: its tasks, their sub-plans, ``areas``
    areas: list[Id] = []  # appendices whose tasks are also in scope (with scope: own)
    to: list[Text] = []  # "Kính gửi"
    internal: bool = False  # sent to no higher body: no "Kính gửi" (say so, rather than forget the addressee)
    indicators: list[Id] | Literal["all"] = []  # targets of plan.yaml whose values it reports
    criteria: Id | None = None  # a criteria set (inputs/criteria/<id>.yaml): the self-assessment scoring table
    outlook: list[Text] = []  # the next period's tasks when that period lies beyond the plan (annual reports)
    closing: Text | None = None  # default: "Trên đây là báo cáo … ./."
    issuer: Id | None = None
    sections: list[Section] | None = None  # default: the conventional skeleton (data/report_skeleton.yaml)
    signature: Signature | None = None
    recipients: Recipients | None = None

    @model_validator(mode="after")
    def _addressed(self) -> "ReportKind":
        if self.to and self.internal:
            raise ValueError("báo cáo có 'to' (Kính gửi) thì không ghi 'internal: true'")
        if not self.to and not self.internal:
            raise ValueError("cần ghi nơi nhận báo cáo ở 'to' (Kính gửi), hoặc 'internal: true' nếu là báo cáo nội bộ")
        return self


# --------------------------------------------------------------------------- self-assessment


class Criterion(Base):
    """One criterion of a self-assessment: its maximum and, once scored, the points and their evidence."""

    name: Text  # "Ban hành kế hoạch CCHC năm kịp thời"
    max: float = Field(gt=0)  # điểm tối đa
    score: float | None = Field(default=None, ge=0)  # điểm tự chấm; empty until the office scores it
    evidence: list[Text] = []  # tài liệu kiểm chứng

    @model_validator(mode="after")
    def _within(self) -> "Criterion":
        if self.score is not None and self.score > self.max:
            raise ValueError(f"điểm tự chấm {self.score:g} lớn hơn điểm tối đa {self.max:g}")
        return self


class CriteriaArea(Base):
    name: Text  # lĩnh vực: "Cải cách thủ tục hành chính"
    criteria: list[Criterion] = Field(min_length=1)


class CriteriaSet(Base):
    """inputs/criteria/<id>.yaml: a set of criteria (lĩnh vực, tiêu chí, điểm tối đa)."""

    id: Id
    name: Text  # "Bộ tiêu chí xác định Chỉ số cải cách hành chính của Ủy ban nhân dân xã"
    source: Text | None = None  # the province's decision that issues the set
    sample: bool = False  # a sample set shipped with vanban: the report asks the office to replace it
    areas: list[CriteriaArea] = Field(min_length=1)


TaskStatus = Literal["not_started", "in_progress", "done_on_time", "done_late"]


class TaskProgress(Base):
    status: TaskStatus
    result: Text | None = None
    done_on: dt.date | None = None


class Progress(Base):
    """inputs/progress/<period>.yaml: what was done by the end of a period."""

    period: Text  # "2025-Q3", "2025-09", "2025-H2", "2025"
    tasks: dict[Id, TaskProgress] = {}
    indicators: dict[Id, float] = {}
