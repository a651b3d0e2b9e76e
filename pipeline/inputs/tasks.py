"""appendices.yaml and the sub-plans: tasks, their deadlines, the appendices that hold them."""

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from pipeline.inputs.blocks import Cell
from pipeline.inputs.document import Clause, DocumentSpec, Item, Recipients, Signature  # noqa: F401 - Item names Clause
from pipeline.inputs.fields import YM, Base, Day, Id, IDate, IdList, Q, Text

Recurrence = Literal["month", "quarter", "half_year", "year"]

# the words a deadline may open with, as offices type them, by its 'when' (the first is vanban's own);
# for "ongoing" the words are the whole deadline
WORDINGS: dict[str, tuple[str, ...]] = {
    "before": ("Trước ngày", "Chậm nhất là ngày", "Chậm nhất ngày", "Chậm nhất trước ngày", "Hạn chót ngày",
               "Hoàn thành trước ngày"),
    "on": ("Ngày", "Trong ngày"),
    "month": ("Tháng", "Trong tháng"),
    "by_month": ("Chậm nhất tháng", "Chậm nhất là tháng", "Chậm nhất trong tháng", "Chậm nhất là trong tháng"),
    "quarter": ("Quý", "Trong quý"),
    "ongoing": ("Thường xuyên", "Thường xuyên, liên tục", "Thường xuyên trong năm", "Hằng ngày", "Hằng năm"),
    "every": ("Định kỳ hằng", "Hằng"),
}


class DeadlinePart(Base):
    """One 'when' of a task, with an optional product it applies to.

    Exactly one of the 'when' fields is given.
    """

    what: Text | None = None  # "Kế hoạch", "Báo cáo"
    before: Day | None = None  # "Trước ngày 10/12/2025"
    on: Day | None = None  # "Ngày 15/7/2025"
    month: YM | None = None  # "Tháng 11/2025"
    by_month: YM | None = None  # "Chậm nhất tháng 11/2025"
    quarter: Q | None = None  # "Quý III/2025"
    ongoing: bool | None = None  # "Thường xuyên"
    rest_of_period: bool | None = None  # "Thường xuyên trong 6 tháng còn lại năm 2025"
    within_period: bool | None = None  # "Trong 6 tháng cuối năm 2025"
    every: list[Recurrence] | None = None  # "Định kỳ hằng quý, năm"
    as_planned: bool | None = None  # "Theo kế hoạch"
    as_regulated: bool | None = None  # "Theo quy định"
    wording: Text | None = None  # the words it opens with, as typed: "Chậm nhất là ngày" (``WORDINGS``)
    text: Text | None = None  # the whole deadline as the office wrote it, printed as is; the 'when' gives its date

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
        words = WORDINGS.get(given[0], ())
        if self.wording is not None and self.wording.lower() not in [w.lower() for w in words]:
            raise ValueError(f"cách ghi '{self.wording}' không dùng được với '{given[0]}'"
                             + (": dùng một trong " + ", ".join(f"'{w}'" for w in words) if words else
                                ": thời hạn này không có cách ghi nào khác"))
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


class Task(Base):
    id: Id
    group: Text | None = None  # opens a group of the table: a heading row "I | Cải cách thể chế" above this task
    content: Text
    products: list[Text] = Field(min_length=1)
    lead: IdList | None = None  # unit ids; the appendix's lead when absent
    partners: IdList = []  # unit or group ids
    deadline: Deadline
    extra: list[Cell] = []  # its cells of the appendix's ``extra_columns``, in their order


class Appendix(Base):
    id: Id
    title: Text  # "Cải cách thể chế"
    lead: Id | None = None  # the unit responsible for the area; none when every task names its own
    tasks: list[Task] = []
    body: list[Item] = []  # what the appendix says besides a task table: a schedule, an outline … (above it)
    extra_columns: list[Text] = []  # columns after vanban's own ("Theo dõi, kiểm tra, đôn đốc"), filled by ``extra``

    @model_validator(mode="after")
    def _led(self) -> "Appendix":
        if not self.tasks and not self.body:
            raise ValueError("phụ lục cần bảng nhiệm vụ ('tasks') hoặc nội dung ('body': bảng, dàn ý, đoạn văn)")
        wrong = [t.id for t in self.tasks if len(t.extra) > len(self.extra_columns)]
        if wrong:
            raise ValueError(f"nhiệm vụ {', '.join(wrong)} ghi 'extra' nhiều ô hơn số cột 'extra_columns' "
                             f"({len(self.extra_columns)}) của phụ lục")
        if self.lead is None:
            missing = [t.id for t in self.tasks if not t.lead]
            if missing:
                raise ValueError("phụ lục không có đơn vị chủ trì chung ('lead') thì mỗi nhiệm vụ phải ghi "
                                 f"'lead'; còn thiếu ở: {', '.join(missing)}")
        return self

    def leads(self, task: Task) -> list[str]:
        """The lead units of one of its tasks: the task's own, else the appendix's."""
        if task.lead:
            return task.lead
        assert self.lead is not None, "_led: an appendix without a lead has one on every task"
        return [self.lead]


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
