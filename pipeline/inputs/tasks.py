"""appendices.yaml and the sub-plans: tasks, their deadlines, the appendices that hold them."""

from typing import Literal

from pydantic import Field, model_validator

from pipeline.inputs.blocks import Cell
from pipeline.inputs.document import Clause, DocumentSpec, Item, Recipients, Signature  # noqa: F401 - Item names Clause
from pipeline.inputs.fields import Base, Id, IDate, IdList, Text
from pipeline.inputs.when import WORDINGS, Deadline, DeadlinePart, Recurrence  # noqa: F401 - their home before


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
