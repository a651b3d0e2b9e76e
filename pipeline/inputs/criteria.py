"""Self-assessment criteria: inputs/criteria/<id>.yaml (lĩnh vực, tiêu chí, điểm tối đa, điểm tự chấm)."""

from pydantic import Field, model_validator

from pipeline.inputs.fields import Base, Id, Text


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
