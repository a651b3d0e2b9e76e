"""Report periods: a month, a quarter, a half-year or a year, with their Vietnamese words.

``parse_period_code`` reads the codes typed in progress files ('2025-Q3',
'2025-09', '2025-H2', '2025'); ``periods_in`` lists the periods of a
recurrence that end within a plan's period.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from pipeline.inputs import model as m
from pipeline.decree import forms as nd30


CUTOFF_DAY = 14  # Nghị định 09/2019/NĐ-CP, Điều 12: a report's figures close on the 14th


@dataclass(frozen=True)
class ReportPeriod:
    code: str  # "2025-Q3", "2025-09", "2025-H2", "2025"
    start: dt.date
    end: dt.date
    words: str  # "quý III năm 2025"

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def _last(y: int, mth: int) -> dt.date:
    return dt.date(y, mth, calendar.monthrange(y, mth)[1])


def month_period(y: int, mth: int) -> ReportPeriod:
    return ReportPeriod(f"{y}-{mth:02d}", dt.date(y, mth, 1), _last(y, mth),
                        f"tháng {nd30.month_str(mth)} năm {y}")


def quarter_period(y: int, q: int) -> ReportPeriod:
    return ReportPeriod(f"{y}-Q{q}", dt.date(y, 3 * q - 2, 1), _last(y, 3 * q),
                        f"quý {nd30.roman(q)} năm {y}")


def half_period(y: int, h: int) -> ReportPeriod:
    words = f"6 tháng {'đầu' if h == 1 else 'cuối'} năm {y}"
    return ReportPeriod(f"{y}-H{h}", dt.date(y, 6 * h - 5, 1), _last(y, 6 * h), words)


def year_period(y: int) -> ReportPeriod:
    return ReportPeriod(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), f"năm {y}")


_IN_YEAR = {
    "month": lambda y: [month_period(y, i) for i in range(1, 13)],
    "quarter": lambda y: [quarter_period(y, i) for i in range(1, 5)],
    "half_year": lambda y: [half_period(y, i) for i in (1, 2)],
    "year": lambda y: [year_period(y)],
}


def periods_in(recurrence: str, period: m.Period) -> list[ReportPeriod]:
    """Every period of ``recurrence`` that ends within the plan's period."""
    make = _IN_YEAR.get(recurrence, _IN_YEAR["year"])
    return [p for y in range(period.start.year, period.end.year + 1) for p in make(y)
            if period.start <= p.end <= period.end]


def parse_period_code(code: str) -> ReportPeriod | None:
    """'2025-Q3', '2025-09', '2025-H2', '2025' -> the period; None when malformed."""
    if found := re.fullmatch(r"(\d{4})-[Qq]([1-4])", code):
        return quarter_period(int(found.group(1)), int(found.group(2)))
    if found := re.fullmatch(r"(\d{4})-[Hh]([12])", code):
        return half_period(int(found.group(1)), int(found.group(2)))
    if found := re.fullmatch(r"(\d{4})-(\d{2})", code):
        if 1 <= int(found.group(2)) <= 12:
            return month_period(int(found.group(1)), int(found.group(2)))
        return None
    if re.fullmatch(r"\d{4}", code):
        return year_period(int(code))
    return None
