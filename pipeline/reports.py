"""Periodic reports: derived from the plan's calendar, filled from progress.

No list of reports is kept by hand. Every task deadline whose product is a
report ('Báo cáo: định kỳ hằng quý, năm', 'Báo cáo: tháng 11/2025', a task
whose only product is a report …) yields report occurrences within the plan's
period. A report kind (inputs/reports/*.yaml) claims the occurrences of its
tasks and gives them a title, addressees and sections (``report_kinds.py``);
a report deadline no kind claims feeds the periodic report of its area. Progress files (inputs/progress/*.yaml) fill
in statuses, results and indicator values.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from pipeline import deadlines, nd30
from pipeline import model as m

STATUS_WORDS = {
    "not_started": "Chưa thực hiện",
    "in_progress": "Đang thực hiện",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành trễ hạn",
}
BLANK = "……"


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


def periods_in(recurrence: str, period: m.Period) -> list[ReportPeriod]:
    """Every period of ``recurrence`` that ends within the plan's period."""
    out = []
    for y in range(period.start.year, period.end.year + 1):
        if recurrence == "month":
            cands = [month_period(y, i) for i in range(1, 13)]
        elif recurrence == "quarter":
            cands = [quarter_period(y, i) for i in range(1, 5)]
        elif recurrence == "half_year":
            cands = [half_period(y, i) for i in (1, 2)]
        else:
            cands = [year_period(y)]
        out += [p for p in cands if period.start <= p.end <= period.end]
    return out


def parse_period_code(code: str) -> ReportPeriod | None:
    """'2025-Q3', '2025-09', '2025-H2', '2025' -> the period; None when malformed."""
    import re

    if m_ := re.fullmatch(r"(\d{4})-[Qq]([1-4])", code):
        return quarter_period(int(m_.group(1)), int(m_.group(2)))
    if m_ := re.fullmatch(r"(\d{4})-[Hh]([12])", code):
        return half_period(int(m_.group(1)), int(m_.group(2)))
    if m_ := re.fullmatch(r"(\d{4})-(\d{2})", code):
        if 1 <= int(m_.group(2)) <= 12:
            return month_period(int(m_.group(1)), int(m_.group(2)))
        return None
    if re.fullmatch(r"\d{4}", code):
        return year_period(int(code))
    return None


# ------------------------------------------------------------------ occurrences


@dataclass(frozen=True)
class Occurrence:
    task_id: str
    period: ReportPeriod
    due: dt.date


def _is_report(text: str | None) -> bool:
    return bool(text) and text.lower().startswith("báo cáo")


def is_report_part(task: m.Task, part: m.DeadlinePart) -> bool:
    """A deadline part asks for a report: 'Báo cáo: …', or any part of a task whose products are all reports."""
    if part.what:
        return _is_report(part.what)
    return all(_is_report(p) for p in task.products)


def task_occurrences(task: m.Task, plan_period: m.Period) -> list[Occurrence]:
    """The reports one task calls for within the plan's period."""
    found: list[Occurrence] = []
    for part in task.deadline:
        if not is_report_part(task, part):
            continue
        if part.every:
            for rec in part.every:
                for per in periods_in(rec, plan_period):
                    found.append(Occurrence(task.id, per, per.end))
            continue
        due = deadlines.due_date(part, plan_period)
        if due:
            per = ReportPeriod(f"{due:%Y-%m}", plan_period.start, due, plan_period.label)
            found.append(Occurrence(task.id, per, due))
    # one report per due date: the yearly one stands for Q4 and December, a quarter for its last month
    best: dict[dt.date, Occurrence] = {}
    for occ in found:
        if occ.due not in best or occ.period.days > best[occ.due].period.days:
            best[occ.due] = occ
    return sorted(best.values(), key=lambda o: o.due)


def occurrences(inputs) -> list[Occurrence]:
    out = []
    for app in inputs.appendices:
        for task in app.tasks:
            out += task_occurrences(task, inputs.plan.period)
    return out


# ------------------------------------------------------------------ reports


def plan_reports(inputs):
    """Every report the report kinds call for: see ``report_kinds.plan_reports``."""
    from pipeline.report_kinds import plan_reports as planned

    return planned(inputs)


@lru_cache(maxsize=1)
def default_sections() -> tuple[m.Section, ...]:
    with resources.files("pipeline").joinpath("data/report_skeleton.yaml").open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return tuple(m.Section.model_validate(s) for s in data)
