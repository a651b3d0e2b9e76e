"""Dates whose year is far from the plan's period: a year typed wrong (2205 or 2015 for 2025).

Every date field of the inputs is looked at — a document's ``date``, a deadline's ``before``,
``on``, ``month``, ``by_month`` and ``quarter``, a task's ``done_on``, a progress file's ``period``
— but not the plan's period (``start``, ``end``), which is what they are compared with. A plan is signed at
most a year before its period starts (a plan for 2026 in late 2025) and its last reports are due
at most a year after it ends, so a year outside ``[first year − 1, last year + 1]`` is a slip
(rule ``date-year``, an error). Dates written inside text (citations of older documents) are
not checked here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterator

from pipeline.inputs.validated import Inputs

DATE_FIELDS = frozenset({"date", "before", "on", "month", "by_month", "quarter", "done_on", "period"})
SLACK = 1  # years before the period's first year and after its last that a date may have
_YEAR = re.compile(r"\s*(\d{4})(?!\d)")


def _year(value: Any) -> int | None:
    if isinstance(value, dt.date):
        return value.year
    if isinstance(value, str):
        found = _YEAR.match(value)
        return int(found.group(1)) if found else None
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return value  # 'period: 2025' (a year) typed without quotes
    return None


def _dated(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, int]]:
    """(path, year) of every date field in one file's loaded data."""
    stack = [(path, data)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in DATE_FIELDS and not isinstance(value, (dict, list)):
                    year = _year(value)
                    if year is not None:
                        yield here + (key,), year
                else:
                    stack.append((here + (key,), value))
        elif isinstance(node, list):
            stack.extend((here + (i,), v) for i, v in enumerate(node))


def far_years(inputs: Inputs) -> Iterator[tuple[str, tuple, str, str]]:
    """(file key, path, message, fix) for each date whose year is far from the plan's period."""
    period = inputs.plan.period
    first, last = period.start.year, period.end.year
    span = str(first) if first == last else f"{first}–{last}"
    for key, data in inputs.raw.items():
        for path, year in _dated(data):
            if not first - SLACK <= year <= last + SLACK:
                yield (key, path, f"năm {year} cách xa kỳ kế hoạch ({period.label}, năm {span}): có gõ nhầm năm?",
                       f"kiểm tra lại năm; văn bản và thời hạn của kế hoạch này thuộc các năm {first - SLACK}–{last + SLACK}")
