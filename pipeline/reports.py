"""Periodic reports: derived from the plan's calendar, filled from progress.

No list of reports is kept by hand. Every task deadline whose product is a
report ('Báo cáo: định kỳ hằng quý, năm', 'Báo cáo: tháng 11/2025', a task
whose only product is a report …) yields report occurrences within the plan's
period. A report kind (inputs/reports/*.yaml) claims the occurrences of its
tasks and gives them a title, addressees and sections; what no kind claims
gets a generic kind of its own. Progress files (inputs/progress/*.yaml) fill
in statuses, results and indicator values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from pipeline import deadlines
from pipeline import model as m
from pipeline.periods import ReportPeriod, periods_in
from pipeline.refs import Refs
from pipeline.textutil import lower_first

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


@dataclass
class Report:
    kind: m.ReportKind
    period: ReportPeriod
    due: dt.date
    task_ids: list[str]
    progress: m.Progress | None = None
    generic: bool = False

    @property
    def id(self) -> str:
        return f"{self.kind.id}_{self.period.code.lower().replace('-', '_')}"

    @property
    def summary(self) -> str:
        return f"{self.kind.name[:1].upper()}{self.kind.name[1:]} {self.period.words}"


def _short(text: str, words: int = 14) -> str:
    parts = text.split()
    return " ".join(parts[:words]).rstrip(",;:.") + ("…" if len(parts) > words else "")


def generic_kind(task: m.Task, content: str) -> m.ReportKind:
    """The kind of a report no report kind claims: named after its task (``content``, resolved, shortened)."""
    return m.ReportKind(id=f"bc_{task.id}", name=f"kết quả thực hiện nhiệm vụ {lower_first(_short(content))}",
                        tasks=[task.id], scope="own")


def plan_reports(inputs) -> list[Report]:
    """Every report the plan calls for, in due-date order, with its progress if there is one."""
    text = Refs(inputs).text
    claimed = {tid: kind for kind in inputs.report_kinds for tid in kind.tasks}
    groups: dict[tuple[str, str], Report] = {}
    for occ in occurrences(inputs):
        kind = claimed.get(occ.task_id)
        generic = kind is None
        if generic:
            task = inputs.tasks[occ.task_id][1]
            kind = generic_kind(task, text(task.content))
        key = (kind.id, occ.period.code)
        if key in groups:
            rep = groups[key]
            rep.task_ids.append(occ.task_id)
            rep.due = min(rep.due, occ.due)
        else:
            groups[key] = Report(kind, occ.period, occ.due, [occ.task_id], generic=generic)
    progress = {p.period: p for p in inputs.progress}
    reports = sorted(groups.values(), key=lambda r: (r.due, r.kind.id))
    for rep in reports:
        rep.progress = progress.get(rep.period.code)
    return reports


@lru_cache(maxsize=1)
def default_sections() -> tuple[m.Section, ...]:
    with resources.files("pipeline").joinpath("data/report_skeleton.yaml").open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    return tuple(m.Section.model_validate(s) for s in data)


# ------------------------------------------------------------------ figures


@dataclass
class Figures:
    due: int = 0
    done: int = 0
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0
    unknown: int = 0
    overdue_ids: list[str] = field(default_factory=list)


def in_scope(report: Report, task: m.Task) -> bool:
    """Whether the report's kind answers for ``task`` (a kind of scope 'own' only for its tasks)."""
    return report.kind.scope != "own" or task.id in report.kind.tasks


def tasks_in_scope(inputs, report: Report) -> list[tuple[m.Appendix, m.Task]]:
    """The tasks the report answers for: due in or before its period, or ongoing."""
    chosen = []
    for app in inputs.appendices:
        for task in (t for t in app.tasks if in_scope(report, t)):
            start = min((d for d in (deadlines.due_date(p, inputs.plan.period) for p in task.deadline) if d),
                        default=None)
            if start is not None and start > report.period.end:
                continue
            chosen.append((app, task))
    return chosen


def figures(inputs, report: Report, tasks) -> Figures:
    f = Figures()
    prog = report.progress.tasks if report.progress else {}
    for _, task in tasks:
        f.due += 1
        tp = prog.get(task.id)
        due = deadlines.task_due(task.deadline, inputs.plan.period)
        if tp is None:
            f.unknown += 1
            continue
        if tp.status == "done_on_time":
            f.done += 1
            f.on_time += 1
        elif tp.status == "done_late":
            f.done += 1
            f.late += 1
        elif tp.status == "in_progress":
            f.in_progress += 1
        else:
            f.not_started += 1
        if tp.status in ("in_progress", "not_started") and due is not None and due <= report.period.end:
            f.overdue += 1
            f.overdue_ids.append(task.id)
    return f


def next_tasks(inputs, report: Report) -> list[tuple[m.Task, str]]:
    """Tasks with a dated deadline falling in the three months after the report's period."""
    start = report.period.end + dt.timedelta(days=1)
    end = start + dt.timedelta(days=92)
    out = []
    for app in inputs.appendices:
        for task in (t for t in app.tasks if in_scope(report, t)):
            for part in task.deadline:
                due = deadlines.due_date(part, inputs.plan.period)
                if due and start <= due < end:
                    text = deadlines.lines([part], inputs.plan.period)[0]
                    out.append((task, text))
                    break
    return out
