"""The shared ground of the input schema: ids, text, the base model and the date types.

Every model forbids unknown keys (they are nearly always typos). Ids are
lower-case ASCII words (``vp``, ``tthc_01``) so they are easy to type and to
refer to from other files. Messages of our own validators are Vietnamese: they
reach the clerk as they are. ``model.py`` says how the schema's modules are
laid out.
"""

import calendar
import datetime as dt
import re
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from pipeline.inputs.outnames import stem_problem

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]


class Base(BaseModel):
    # a number is finite: YAML's .nan and .inf would print as 'nan%' in a document
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class HasObsolete(Base):
    """A model with keys that an older vanban read and this one does not (``OBSOLETE``: key -> why).

    A file that still has one loads as if it were not there, whatever its value; the key is in no
    schema, and ``obsolete.py`` finds it for a warning. Only models with such keys pay for the check.
    """

    OBSOLETE: ClassVar[dict[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def _drop_obsolete(cls, data: Any) -> Any:
        if isinstance(data, dict) and not cls.OBSOLETE.keys().isdisjoint(data):
            return {key: value for key, value in data.items() if key not in cls.OBSOLETE}
        return data


# --------------------------------------------------------------------------- dates

# Years a date of the inputs may have: no document of a commune is dated outside them, and every date
# vanban computes from one (the next quarter, a report's due day) stays far inside Python's calendar.
FIRST_YEAR, LAST_YEAR = 1945, 2100


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"năm {year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}: có gõ nhầm năm?")
    return year


def _day(value: dt.date) -> dt.date:
    _year(value.year)
    return value


Day = Annotated[dt.date, AfterValidator(_day)]  # a date of the inputs (YYYY-MM-DD)



def _year_month(value: Any) -> Any:
    if isinstance(value, str):
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
        if not m:
            raise ValueError(f"cần tháng dạng YYYY-MM (ví dụ 2025-11), gặp '{value}'")
        year, month = _year(int(m.group(1))), int(m.group(2))
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
        return Quarter(year=_year(int(m.group(1))), quarter=int(m.group(2)))
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
        return IssueDate(year=_year(value.year), month=value.month, day=value.day)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{4}-\d{1,2}", text):
            ym = _year_month(text)
            return IssueDate(year=ym.year, month=ym.month, day=None)
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if m:
            y, mo, d = map(int, m.groups())
            _year(y)
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


# --------------------------------------------------------------------------- names and lists


def _file_stem(value: Any) -> Any:
    """A plain file name that Windows takes: what 'output:' names must stay inside the output folder."""
    if not isinstance(value, str):
        return value
    if re.search(r'[/\\]', value) or value.strip().startswith("."):
        raise ValueError(f"'{value}' phải là một tên tệp đơn giản (không có '/', '\\', '..', ':' hay ký tự "
                         "đặc biệt, không bắt đầu bằng '.'): văn bản chỉ được ghi bên trong thư mục kết quả")
    said = stem_problem(value.strip())
    if said is not None:
        raise ValueError(said)
    return value


FileStem = Annotated[Text, BeforeValidator(_file_stem)]


def _id_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


IdList = Annotated[list[Id], BeforeValidator(_id_list),
                   WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})]
