"""A plan's period and how its dates move to another period (``vanban init --year --period``, ``--from``).

The three periods an office plans for are named as on the command line: ``ca-nam`` (the whole
year), ``6-thang-dau`` (the first half), ``6-thang-cuoi`` (the second half).

Moving a date from the old period to the new one (``DateMap``) counts whole months from the
period's start:

- a period of the same length (the same kind a year later, or one half-year to the other)
  keeps every date's month offset: dates move by whole years (or by six months), the day
  of the month kept;
- a period of another length keeps each date's distance to the *nearer end* of the period:
  a date in the first half of the old period keeps its months from the start (the plan's
  own "issue the plan by the 15th of the first month" stays at the start), one in the
  second half keeps its months to the end (a yearly report due "before 15 December" stays
  before the year's or half-year's last month). The day of the month is kept and the date
  clamped into the new period.

A quarter or a half-year moves as its last month does. Dates outside the old period (a
citation's date, an event before it) are not moved by the text rules (``carry_text``).

Report periods (``recurrences``): a month, quarter, half-year or year that does not end
inside the new period gives way to the longest that does (no yearly report in a plan of the
first half-year: a half-yearly one instead), and a half-yearly report that stood for the
year in a first-half plan is joined again by the yearly one in a plan that reaches the
year's end.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from pipeline.inputs import model as m
from pipeline.inputs.periods import periods_in

# the command line's names of a plan's period -> (first month, last month, label before the year)
PERIOD_KINDS = {
    "ca-nam": (1, 12, "năm"),
    "6-thang-dau": (1, 6, "6 tháng đầu năm"),
    "6-thang-cuoi": (7, 12, "6 tháng cuối năm"),
}
ORDER = ("month", "quarter", "half_year", "year")


def period_of(kind: str, year: int) -> m.Period:
    """The plan period of ``kind`` (a key of PERIOD_KINDS) in ``year``."""
    first, last, words = PERIOD_KINDS[kind]
    return m.Period(start=dt.date(year, first, 1), end=dt.date(year, last, calendar.monthrange(year, last)[1]),
                    label=f"{words} {year}")


def kind_of(period: m.Period) -> str | None:
    """The name of ``period`` when it is one of the three, else None."""
    for kind in PERIOD_KINDS:
        known = period_of(kind, period.start.year)
        if (known.start, known.end) == (period.start, period.end):
            return kind
    return None


def following(period: m.Period) -> tuple[str, int]:
    """(kind, year) of the period right after ``period``, of the same length: the next year after a
    whole year, the second half after the first, the next year's first half after the second."""
    kind = kind_of(period)
    if kind == "6-thang-dau":
        return "6-thang-cuoi", period.start.year
    if kind == "6-thang-cuoi":
        return "6-thang-dau", period.start.year + 1
    return "ca-nam", period.end.year + 1


def first_year_after(kind: str, period: m.Period) -> int:
    """The first year in which a period of ``kind`` starts after ``period`` ends."""
    year = period.end.year
    while period_of(kind, year).start <= period.end:
        year += 1
    return year


def _index(year: int, month: int, start: dt.date) -> int:
    return (year - start.year) * 12 + (month - start.month)


def _add_months(start: dt.date, months: int) -> tuple[int, int]:
    total = start.year * 12 + start.month - 1 + months
    return total // 12, total % 12 + 1


@dataclass(frozen=True)
class DateMap:
    """Where the old period's dates go in the new one (the module's docstring says how)."""

    old: m.Period
    new: m.Period

    @property
    def same_length(self) -> bool:
        return self._months(self.old) == self._months(self.new)

    @staticmethod
    def _months(period: m.Period) -> int:
        return _index(period.end.year, period.end.month, period.start) + 1

    def contains(self, day: dt.date) -> bool:
        return self.old.start <= day <= self.old.end

    def month(self, year: int, month: int) -> tuple[int, int]:
        i, n, new_n = _index(year, month, self.old.start), self._months(self.old), self._months(self.new)
        if i < 0:
            j = i  # before the old period: as far before the new one
        elif i >= n:
            j = new_n + (i - n)  # after it: as far after
        elif 2 * i < n:
            j = min(i, new_n - 1)  # first half: months from the start
        else:
            j = max(new_n - (n - i), 0)  # second half: months to the end
        return _add_months(self.new.start, j)

    def date(self, day: dt.date) -> dt.date:
        year, month = self.month(day.year, day.month)
        out = dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
        if self.contains(day):
            out = min(max(out, self.new.start), self.new.end)
        return out

    def quarter(self, year: int, quarter: int) -> tuple[int, int]:
        y, mo = self.month(year, 3 * quarter)
        return y, (mo - 1) // 3 + 1

    def half(self, year: int, half: int) -> tuple[int, int]:
        y, mo = self.month(year, 6 * half)
        return y, 1 if mo <= 6 else 2

    def year(self, year: int) -> int:
        """A year of the old period, named in words ('năm 2025'), as the new period's."""
        return year + (self.new.end.year - self.old.end.year)

    def recurrences(self, recs: list[str]) -> list[str]:
        """``recs`` (month, quarter, half_year, year) for the new period: the module's docstring says how."""
        def fits(rec: str, period: m.Period) -> bool:
            return bool(periods_in(rec, period))

        out: list[str] = []
        for rec in recs:
            if rec in ORDER and not fits(rec, self.new):
                rec = next((r for r in reversed(ORDER[:ORDER.index(rec)]) if fits(r, self.new)), "")
            if rec and rec not in out:
                out.append(rec)
        if "half_year" in recs and "year" not in out and not fits("year", self.old) and fits("year", self.new):
            out.append("year")
        return recs if out == recs else sorted(out, key=ORDER.index)
