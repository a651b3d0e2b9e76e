"""A deadline as the inputs write it: one or more parts, each with one 'when' (and the words it is
printed with, when they are the office's own rather than vanban's)."""

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from pipeline.inputs.fields import YM, Base, Day, Q, Text

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
