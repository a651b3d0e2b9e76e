"""Self-assessment criteria: inputs/criteria/<id>.yaml, a province's set as its annex lists it.

A province issues its criteria for communes by a decision (số, ngày, cơ quan ban hành), in an annex
table: STT | lĩnh vực / tiêu chí / tiêu chí thành phần | điểm tối đa | điểm tự đánh giá | tài liệu kiểm
chứng. Three levels: lĩnh vực (I, II …, ``CriteriaArea``), tiêu chí (1, 2 …, ``Criterion``), tiêu chí
thành phần (1.1, a) …, ``CriterionPart``). A criterion with parts is scored through its parts; every
maximum written (an area's, the set's) must be the sum of the maxima under it. Parts of the set the
province scores by a citizen survey (điều tra xã hội học) are areas with ``survey: true``.
"""

from pydantic import Field, model_validator

from pipeline.inputs.fields import Base, Day, HasObsolete, Id, Text

EPSILON = 0.001  # points are written with at most two decimals: sums compare within this


def _mismatch(stated: float | None, parts: list[float]) -> str | None:
    """The message when a stated maximum is not the sum of the maxima under it."""
    total = round(sum(parts), 2)
    if stated is not None and abs(stated - total) > EPSILON:
        return f"điểm tối đa {stated:g} khác tổng điểm tối đa các mục bên dưới ({total:g})"
    return None


class Decision(Base):
    """The province's decision that issues the set; what is not known yet stays empty (printed CẦN ĐIỀN)."""

    number: Text | None = None  # "1234/QĐ-UBND"
    date: Day | None = None  # 2025-09-08
    issuer: Text | None = None  # "Ủy ban nhân dân tỉnh Lâm Đồng"


class CriterionPart(Base):
    """A tiêu chí thành phần: its maximum and, once scored, the points and their evidence."""

    code: Text | None = None  # as the annex numbers it: "1.1", "a)"; default: criterion number "." index
    name: Text
    max: float = Field(gt=0)  # điểm tối đa
    score: float | None = Field(default=None, ge=0)  # điểm tự đánh giá; empty until the office scores it
    evidence: list[Text] = []  # tài liệu kiểm chứng, one per line
    documents: list[Id] = []  # documents vanban makes that prove it: "plan", a sub-plan's or a report kind's id

    @model_validator(mode="after")
    def _within(self) -> "CriterionPart":
        if self.score is not None and self.score > self.max:
            raise ValueError(f"điểm tự chấm {self.score:g} lớn hơn điểm tối đa {self.max:g}")
        return self


class Criterion(CriterionPart):
    """A tiêu chí: scored itself, or through its parts (then its score is their sum, never written)."""

    parts: list[CriterionPart] = []  # tiêu chí thành phần

    @model_validator(mode="after")
    def _rolls_up(self) -> "Criterion":
        if self.parts:
            if self.score is not None:
                raise ValueError("tiêu chí có tiêu chí thành phần (parts) thì không ghi 'score': điểm là tổng "
                                 "điểm các tiêu chí thành phần")
            wrong = _mismatch(self.max, [p.max for p in self.parts])
            if wrong:
                raise ValueError(wrong)
        return self

    @property
    def scored(self) -> float | None:
        """Its points: its own, or the sum of its parts' once every part is scored."""
        if not self.parts:
            return self.score
        scores = [p.score for p in self.parts]
        return None if any(s is None for s in scores) else round(sum(s for s in scores if s is not None), 2)


class CriteriaArea(Base):
    """A lĩnh vực (or the citizen-survey part) with its criteria."""

    code: Text | None = None  # "I"; default: its Roman numeral
    name: Text  # "Cải cách thủ tục hành chính"
    max: float | None = Field(default=None, gt=0)  # as the annex states it; checked against its criteria
    survey: bool = False  # scored by the province's citizen survey (điều tra xã hội học), not by the office
    criteria: list[Criterion] = Field(min_length=1)

    @model_validator(mode="after")
    def _adds_up(self) -> "CriteriaArea":
        wrong = _mismatch(self.max, [c.max for c in self.criteria])
        if wrong:
            raise ValueError(wrong)
        return self


class CriteriaSet(HasObsolete):
    """inputs/criteria/<id>.yaml: the province's criteria (lĩnh vực, tiêu chí, tiêu chí thành phần)."""

    OBSOLETE = {"source": "quyết định ban hành bộ tiêu chí nay ghi ở 'decision' (number, date, issuer)"}

    id: Id
    name: Text  # "Bộ tiêu chí xác định Chỉ số cải cách hành chính của Ủy ban nhân dân xã"
    decision: Decision = Decision()  # the province's decision that issues the set
    max: float | None = Field(default=None, gt=0)  # the maximum for communes the decision states (99, 100)
    scale: Text | None = None  # how the result is given: "tỷ lệ phần trăm (%) so với tổng điểm tối đa"
    sample: bool = False  # a draft shipped with vanban: it awaits the province's set (vanban import --criteria)
    areas: list[CriteriaArea] = Field(min_length=1)

    @model_validator(mode="after")
    def _adds_up(self) -> "CriteriaSet":
        wrong = _mismatch(self.max, [a.max if a.max is not None else sum(c.max for c in a.criteria)
                                     for a in self.areas])
        if wrong:
            raise ValueError(wrong)
        return self
