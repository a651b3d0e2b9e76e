"""Which reports the inputs call for, for which periods, with which figures (issue 15).

Every report is of a kind written in ``inputs/reports/*.yaml``: the kind names
the tasks whose "Báo cáo" deadlines make it, the periods it reports on, whom it
is sent to and what it lists. A report deadline of a task no kind names makes
no document of its own: it feeds the periodic report of its area (a kind with
``collects: true`` whose scope holds the task), as the plan's periodic CCHC
reports already list every task of the plan.

Figures follow the data cut-off of Nghị định 09/2019/NĐ-CP (Điều 12): a month
runs from the 15th of the month before to the 14th; a quarter from the 15th of
the month before it to the 14th of its last month; a year from 15 December of
the year before to 14 December. A report due before its period's close (a
yearly report due in November) closes on the 14th of its own month and says
that the rest is estimated. A commune established during a period (``commune.established``:
the communes formed on 01/7/2025) gives figures from that day on, never from before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.inputs import deadlines
from pipeline.inputs import model as m
from pipeline.inputs.kinds import TaskRef, family
from pipeline.inputs.reporting import DONE
from pipeline.inputs.periods import (CUTOFF_DAY, ReportPeriod, half_period, month_period, periods_in, quarter_period,
                              year_period)
from pipeline.plan.reports import is_report_part

__all__ = ["Report", "plan_reports", "family", "in_scope", "figures", "next_tasks", "window"]

DECREE_09 = ("Nghị định số 09/2019/NĐ-CP ngày 24/01/2019 của Chính phủ quy định về chế độ báo cáo "
             "của cơ quan hành chính nhà nước")
ORDER = ("month", "quarter", "half_year", "year")


@dataclass
class Report:
    kind: m.ReportKind
    period: ReportPeriod
    due: dt.date
    task_ids: list[str]
    recurrence: str | None  # month | quarter | half_year | year; None: up to a dated deadline
    data_from: dt.date  # the data cut-off window (Nghị định 09/2019)
    cutoff: dt.date
    estimated_to: dt.date | None  # the period's close when the report is due before it
    progress: m.Progress | None = None

    @property
    def id(self) -> str:
        return f"{self.kind.id}_{self.period.code.lower().replace('-', '_')}"

    @property
    def summary(self) -> str:
        """The title under "BÁO CÁO": the kind's name as written, and the period."""
        return f"{self.kind.name[:1].upper()}{self.kind.name[1:]} {self.period.words}"


# ------------------------------------------------------------------ periods and cut-off


def _day(y: int, mth: int, d: int) -> dt.date:
    while mth < 1:
        y, mth = y - 1, mth + 12
    while mth > 12:
        y, mth = y + 1, mth - 12
    return dt.date(y, mth, d)


def window(recurrence: str | None, period: ReportPeriod, due: dt.date, plan_start: dt.date,
           established: dt.date | None = None) -> tuple[dt.date, dt.date, dt.date | None]:
    """(first day, cut-off day, estimated-to day or None) of the figures a report gives; never from
    before the commune was ``established`` (when it was established by the cut-off)."""
    end_m = period.end.month
    if recurrence == "month":
        start, close = _day(period.end.year, end_m - 1, 15), _day(period.end.year, end_m, CUTOFF_DAY)
    elif recurrence == "quarter":
        start, close = _day(period.end.year, end_m - 3, 15), _day(period.end.year, end_m, CUTOFF_DAY)
    elif recurrence == "half_year":
        start, close = _day(period.end.year, end_m - 6, 15), _day(period.end.year, end_m, CUTOFF_DAY)
    elif recurrence == "year":
        start, close = _day(period.end.year - 1, 12, 15), _day(period.end.year, 12, CUTOFF_DAY)
    else:
        start, close = plan_start, None
    # the latest cut-off a report dated in its due month can give: the 14th of that month
    latest = _day(due.year, due.month if due.day >= CUTOFF_DAY else due.month - 1, CUTOFF_DAY)
    if established is not None and start < established <= min(close or latest, latest):
        start = established
    if close is None:
        return start, latest, None
    if close > latest:
        return start, latest, close
    return start, close, None


def _period_of(rec: str, d: dt.date) -> ReportPeriod:
    if rec == "month":
        return month_period(d.year, d.month)
    if rec == "quarter":
        return quarter_period(d.year, (d.month - 1) // 3 + 1)
    if rec == "half_year":
        return half_period(d.year, 1 if d.month <= 6 else 2)
    return year_period(d.year)


def next_period(rec: str | None, period: ReportPeriod) -> ReportPeriod | None:
    """The period after ``period`` ("quý IV năm 2025" after "quý III năm 2025")."""
    if rec is None:
        return None
    return _period_of(rec, period.end + dt.timedelta(days=1))


# ------------------------------------------------------------------ occurrences


def task_reports(task: m.Task, kind: m.ReportKind, plan_period: m.Period):
    """(period, recurrence, due) of every report ``task`` asks of ``kind`` within the plan's period."""
    found: list[tuple[ReportPeriod, str | None, dt.date]] = []
    for part in task.deadline:
        if not is_report_part(task, part):
            continue
        if part.every:
            for rec in part.every:
                if kind.periods is None or rec in kind.periods:
                    found += [(per, rec, per.end) for per in periods_in(rec, plan_period)]
            continue
        due = deadlines.due_date(part, plan_period)
        if due is None:
            continue
        if part.when == "before":
            due -= dt.timedelta(days=1)  # "trước ngày 01/11/2025": at the latest on 31/10/2025
        if kind.periods:
            rec = min(kind.periods, key=ORDER.index)  # the shortest of its periods holding the date
            found.append((_period_of(rec, due), rec, due))
        else:
            found.append((ReportPeriod(f"{due:%Y-%m}", plan_period.start, due, plan_period.label), None, due))
    # one report per due date: the yearly one stands for Q4 and December, a quarter for its last month
    best: dict[dt.date, tuple] = {}
    for occ in found:
        if occ[2] not in best or occ[0].days > best[occ[2]][0].days:
            best[occ[2]] = occ
    return [best[d] for d in sorted(best)]


def claimed_ids(inputs) -> set[str]:
    """Tasks whose report deadlines make a report of their own (named by a kind)."""
    return {tid for kind in inputs.report_kinds for tid in kind.tasks}


def plan_reports(inputs) -> list[Report]:
    """Every report the kinds call for, in due-date order, with its cut-off and progress."""
    index = inputs.task_refs
    plan = inputs.plan
    progress = {p.period: p for p in inputs.progress}
    out: list[Report] = []
    for kind in inputs.report_kinds:
        groups: dict[str, tuple[ReportPeriod, str | None, dt.date, list[str]]] = {}
        for tid in kind.tasks:
            for per, rec, due in task_reports(index[tid].task, kind, plan.period):
                _, _, first, ids = groups.get(per.code, (per, rec, due, []))
                groups[per.code] = (per, rec, min(first, due), [*ids, tid])
        for per, rec, due, ids in groups.values():
            data_from, cutoff, estimated_to = window(rec, per, due, plan.period.start, inputs.commune.established)
            out.append(Report(kind, per, due, ids, rec, data_from, cutoff, estimated_to, progress.get(per.code)))
    return sorted(out, key=lambda r: (r.due, r.kind.id))


# ------------------------------------------------------------------ scope and figures


def first_due(ref: TaskRef, period: m.Period) -> dt.date | None:
    """The task's first dated deadline; work "within the period" runs from its start, as ongoing work does."""
    if any(p.when == "within_period" for p in ref.task.deadline):
        return period.start
    return min((d for d in (deadlines.due_date(p, period) for p in ref.task.deadline) if d), default=None)


def in_scope(inputs, rep: Report) -> list[TaskRef]:
    """The report's tasks that have begun to be due by the end of its period (or run all along);
    never its own making (a task of the kind whose products are all reports: the report itself)."""
    period = inputs.plan.period
    return [ref for ref in family(inputs, rep.kind)
            if (first_due(ref, period) or period.start) <= rep.period.end
            and not (_only_reports(ref.task) and ref.task.id in rep.kind.tasks)]


def _only_reports(task: m.Task) -> bool:
    return bool(task.products) and all(p.lower().startswith("báo cáo") for p in task.products)


def issued_on(doc: m.DocumentSpec) -> dt.date | None:
    """The day a document of the set is issued by: its date, or its month's last day when undated to the day."""
    if doc.date is None:
        return None
    return doc.date.date or _day(doc.date.year, doc.date.month + 1, 1) - dt.timedelta(days=1)


def issued_documents(inputs, start: dt.date, end: dt.date) -> list[m.DocumentSpec]:
    """The plan and sub-plans of the set issued within a report's data window."""
    return [d for d in (inputs.plan, *inputs.subplans) if (day := issued_on(d)) is not None and start <= day <= end]


def issued_subplan(inputs, task_id: str, cutoff: dt.date):
    """The sub-plan a task orders when it is issued by the cut-off (``issued_on``)."""
    for sp in inputs.subplans:
        if sp.ordered_by == task_id and (day := issued_on(sp)) is not None and day <= cutoff:
            return sp
    return None


def progress_of(inputs, rep: Report, ref: TaskRef) -> m.TaskProgress | None:
    """The task's progress at the cut-off: as entered; or, when none was entered and the sub-plan it
    orders is issued, done (the set says so: never asked twice)."""
    tp = rep.progress.tasks.get(ref.task.id) if rep.progress else None
    if tp is None and issued_subplan(inputs, ref.task.id, rep.cutoff) is not None:
        return m.TaskProgress(status="done_on_time")
    return tp


@dataclass
class Figures:
    total: int = 0
    done: int = 0
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    in_progress_overdue: int = 0
    not_started: int = 0
    not_started_overdue: int = 0
    unknown: int = 0
    entered: bool = False  # any progress entered for these tasks: else every count is a placeholder
    overdue_ids: list[str] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return self.in_progress_overdue + self.not_started_overdue


def is_overdue(inputs, ref: TaskRef, status: str | None, cutoff: dt.date) -> bool:
    """Unfinished and past its last deadline at the data cut-off."""
    due = deadlines.task_due(ref.task.deadline, inputs.plan.period)
    return (status in ("in_progress", "not_started") and due is not None and due <= cutoff
            and issued_subplan(inputs, ref.task.id, cutoff) is None)


def figures(inputs, rep: Report, refs: list[TaskRef]) -> Figures:
    """Counts that add up: total = done + in progress + not started + not updated."""
    f = Figures(total=len(refs))
    for ref in refs:
        tp = progress_of(inputs, rep, ref)
        if tp is None:
            f.unknown += 1
            continue
        f.entered = True
        late = is_overdue(inputs, ref, tp.status, rep.cutoff)
        if tp.status == "done_on_time":
            f.done, f.on_time = f.done + 1, f.on_time + 1
        elif tp.status == "done_late":
            f.done, f.late = f.done + 1, f.late + 1
        elif tp.status == "in_progress":
            f.in_progress += 1
            f.in_progress_overdue += late
        else:
            f.not_started += 1
            f.not_started_overdue += late
        if late:
            f.overdue_ids.append(ref.task.id)
    return f


def next_tasks(inputs, rep: Report) -> list[tuple[TaskRef, str, m.DeadlinePart]] | None:
    """Tasks with a dated deadline in the next period (with its words and the part itself), not
    reported done; None when that period lies beyond the plan."""
    nxt = next_period(rep.recurrence, rep.period)
    plan_end = inputs.plan.period.end
    if nxt is None:
        start, end = rep.period.end + dt.timedelta(days=1), rep.period.end + dt.timedelta(days=92)
    else:
        start, end = nxt.start, nxt.end
    if start > plan_end:
        return None
    out = []
    for ref in family(inputs, rep.kind):
        tp = progress_of(inputs, rep, ref)
        if tp is not None and tp.status in DONE and not _only_reports(ref.task):
            continue  # what is reported done is not the next period's task
        if ref.task.id in rep.kind.tasks and _only_reports(ref.task):
            continue  # nor is the making of this report
        for part in ref.task.deadline:
            due = deadlines.due_date(part, inputs.plan.period)
            if due and start <= due <= end:
                out.append((ref, deadlines.lines([part], inputs.plan.period)[0], part))
                break
    return out
