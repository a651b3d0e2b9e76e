"""What the reports are made of: report kinds and progress records (the self-assessment criteria: ``criteria``)."""

import datetime as dt
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from pipeline.inputs.document import Recipients, Section, Signature
from pipeline.inputs.fields import Base, Day, Id, Text
from pipeline.inputs.report_content import ReportContent, Statistics, fields_of
from pipeline.inputs.tasks import Recurrence


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
    source: Text | None = None  # the outline it follows: "Đề cương … kèm theo Công văn số …/BNV-CCHC"
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
    statistics: Statistics | None = None  # the figures annex of its outline (Biểu mẫu 1…7)
    signature: Signature | None = None
    recipients: Recipients | None = None

    @model_validator(mode="after")
    def _named_once(self) -> "ReportKind":
        seen: set[str] = set()
        for name, _ in fields_of(self.sections or []):
            if name in seen:
                raise ValueError(f"tên mục cần viết (field) '{name}' dùng hai lần trong báo cáo; mỗi mục một tên")
            seen.add(name)
        return self

    @model_validator(mode="after")
    def _addressed(self) -> "ReportKind":
        if self.to and self.internal:
            raise ValueError("báo cáo có 'to' (Kính gửi) thì không ghi 'internal: true'")
        if not self.to and not self.internal:
            raise ValueError("cần ghi nơi nhận báo cáo ở 'to' (Kính gửi), hoặc 'internal: true' nếu là báo cáo nội bộ")
        return self


TaskStatus = Literal["not_started", "in_progress", "done_on_time", "done_late"]
DONE: tuple[TaskStatus, ...] = ("done_on_time", "done_late")


class TaskProgress(Base):
    status: TaskStatus
    result: Text | None = None
    done_on: Day | None = Field(default=None, description=(
        "Ngày hoàn thành (YYYY-MM-DD), khi status là done_on_time hoặc done_late. Báo cáo in ngày này sau "
        "tình trạng: 'Hoàn thành trễ hạn (ngày 22/7/2025)'. Không được sau ngày cuối của kỳ (period); "
        "hoàn thành đúng hạn thì không được sau thời hạn của nhiệm vụ."))

    @field_validator("done_on")
    @classmethod
    def _only_when_done(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        status = info.data.get("status")  # validated before it (absent when it was wrong)
        if value is not None and status is not None and status not in DONE:
            raise ValueError(f"ngày hoàn thành chỉ ghi khi nhiệm vụ đã hoàn thành (status: done_on_time hoặc "
                             f"done_late); status đang là '{status}'")
        return value


class Progress(Base):
    """inputs/progress/<period>.yaml: what was done by the end of a period."""

    period: Text  # "2025-Q3", "2025-09", "2025-H2", "2025"
    tasks: dict[Id, TaskProgress] = {}
    indicators: dict[Id, float] = {}
    reports: dict[Id, ReportContent] = {}  # what the office writes in each report of the period, by kind
