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

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from pipeline import deadlines
from pipeline import model as m
from pipeline.periods import ReportPeriod, periods_in

STATUS_WORDS = {
    "not_started": "Chưa thực hiện",
    "in_progress": "Đang thực hiện",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành trễ hạn",
}
BLANK = "……"


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
# Which reports are made, and their figures: ``report_kinds.py`` (issue 15).


@lru_cache(maxsize=1)
def default_sections() -> tuple[m.Section, ...]:
    with resources.files("pipeline").joinpath("data/report_skeleton.yaml").open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return tuple(m.Section.model_validate(s) for s in data)
