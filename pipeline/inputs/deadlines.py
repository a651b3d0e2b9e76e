"""Structured deadlines: the words printed in a table, and the dates they mean.

A task's deadline is a list of parts (``DeadlinePart``), each with one 'when'
and an optional product it applies to. The printed words are generated here in
one style for every table; the due dates feed the calendar and the lint.
"""

from __future__ import annotations

import datetime as dt

from pipeline.decree import forms as nd30
from pipeline.inputs.model import DeadlinePart, Period
from pipeline.inputs.when import WORDINGS
from pipeline.decree.vietnamese import lower_first

RECURRENCE_WORDS = {"month": "tháng", "quarter": "quý", "half_year": "6 tháng", "year": "năm"}


def phrase(part: DeadlinePart, period: Period) -> str:
    """'Trước ngày 10/12/2025', 'Quý III/2025', 'Thường xuyên', … (capitalised), opening with the part's own
    ``wording`` when it has one ('Chậm nhất là ngày 31/12/2025', 'Trong tháng 01/2026', 'Hằng quý')."""
    if part.text is not None:  # "Ban hành kế hoạch chậm nhất là ngày 31/12/2025 và tổ chức thực hiện"
        return part.text
    text = _phrase(part, period)
    if part.wording is None:
        return text
    words = part.wording[:1].upper() + part.wording[1:]
    if part.when == "ongoing":
        return words
    default = WORDINGS[part.when][0]
    return words + text[len(default):] if text.startswith(default) else text


def _phrase(part: DeadlinePart, period: Period) -> str:
    w = part.when  # the one field given; one that holds a value is tested on the value, in the same order
    if part.before is not None:
        return f"Trước ngày {nd30.short_date(part.before)}"
    if part.on is not None:
        return f"Ngày {nd30.short_date(part.on)}"
    if part.month is not None:
        return f"Tháng {nd30.short_month(part.month.year, part.month.month)}"
    if part.by_month is not None:
        return f"Chậm nhất tháng {nd30.short_month(part.by_month.year, part.by_month.month)}"
    if part.quarter is not None:
        return f"Quý {nd30.roman(part.quarter.quarter)}/{part.quarter.year}"
    if w == "ongoing":
        return "Thường xuyên"
    if w == "rest_of_period":
        return f"Thường xuyên trong {period.label}"
    if w == "within_period":
        return f"Trong {period.label}"
    if part.every:
        return "Định kỳ hằng " + ", ".join(RECURRENCE_WORDS[r] for r in part.every)
    if w == "as_planned":
        return "Theo kế hoạch"
    if w == "as_regulated":
        return "Theo quy định"
    raise AssertionError(w)  # pragma: no cover - the model admits no other


def lines(parts: list[DeadlinePart], period: Period) -> list[str]:
    """One line per part: 'Kế hoạch: trước ngày 15/7/2025'; a part with its own ``text``, that text."""
    out = []
    for part in parts:
        text = phrase(part, period)
        out.append(f"{part.what}: {lower_first(text)}" if part.what and part.text is None else text)
    return out


def due_date(part: DeadlinePart, period: Period) -> dt.date | None:
    """The last day the part allows, or None when it has no single date (ongoing, recurring)."""
    if part.before is not None:
        return part.before
    if part.on is not None:
        return part.on
    if part.month is not None:
        return part.month.last_day
    if part.by_month is not None:
        return part.by_month.last_day
    if part.quarter is not None:
        return part.quarter.last_day
    if part.when == "within_period":
        return period.end
    return None


RUNS_TO_PERIOD_END = ("ongoing", "rest_of_period", "every")


def task_due(parts: list[DeadlinePart], period: Period) -> dt.date | None:
    """When the whole task must be finished: its last dated part; ongoing or recurring
    work runs to the end of the plan's period. None for 'as planned / as regulated' only."""
    dates = [d for d in (due_date(p, period) for p in parts) if d]
    dates += [period.end for p in parts if p.when in RUNS_TO_PERIOD_END]
    return max(dates) if dates else None
