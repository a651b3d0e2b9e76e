"""``vanban calendar``: every deadline and report of the plan, in date order.

Entries come from the data alone: each dated deadline part of each task, and
each report that ``report_kinds.plan_reports`` derives. Relative to ``--today`` an
entry is overdue, due soon (within ``--soon`` days) or later; a task that a
progress file marks as done is shown as done. ``--ics`` writes the same
entries as an iCalendar file (all-day events, stable UIDs) for the office's
calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import click

from pipeline.inputs import deadlines
from pipeline.decree import forms as nd30
from pipeline.paths import near_option
from pipeline.decree.vietnamese import lower_first

DONE = ("done_on_time", "done_late")


@dataclass(frozen=True)
class Entry:
    uid: str
    due: dt.date
    kind: str  # "Nhiệm vụ" | "Báo cáo" | "Lịch" (a row of a schedule)
    text: str
    lead: str
    done: bool = False


def entries(inputs) -> list[Entry]:
    from pipeline.inputs.textrefs import Refs
    from pipeline.plan.report_kinds import claimed_ids, plan_reports
    from pipeline.plan.reports import is_report_part

    refs = Refs(inputs)
    index, claimed = inputs.task_refs, claimed_ids(inputs)
    done_ids = {tid for p in inputs.progress for tid, tp in p.tasks.items() if tp.status in DONE}
    out: list[Entry] = []
    for app in inputs.appendices:
        for task in app.tasks:
            lead = ", ".join(refs.unit_names(app.leads(task)))
            for i, part in enumerate(task.deadline):
                due = deadlines.due_date(part, inputs.plan.period)
                if due is None or (is_report_part(task, part) and task.id in claimed):
                    continue  # undated, or a report of its own (listed below from the report calendar)
                what = f"{part.what}: " if part.what else ""
                out.append(Entry(f"{task.id}-{i}", due, "Nhiệm vụ",
                                 f"{what}{refs.text(task.content)}", lead, task.id in done_ids))
    for n, (where, row) in enumerate(_schedule_rows(inputs), 1):
        text = " — ".join(refs.text(c) for c in row.cells if c and not c.rstrip(".").isdigit())
        for i, part in enumerate(row.when):
            due = deadlines.due_date(part, inputs.plan.period)
            if due is not None:
                out.append(Entry(f"lich-{n}-{i}", due, "Lịch", f"{text} ({where})", ""))
    for rep in plan_reports(inputs):
        lead = ", ".join(refs.unit_names(list(index[rep.task_ids[0]].leads)))
        out.append(Entry(rep.id, rep.due, "Báo cáo", f"Báo cáo {lower_first(rep.summary)}", lead,
                         rep.progress is not None and all(
                             rep.progress.tasks.get(t) and rep.progress.tasks[t].status in DONE
                             for t in rep.task_ids)))
    return sorted(out, key=lambda e: (e.due, e.kind, e.uid))


def _schedule_rows(inputs):
    """(the document it is in, row) of each dated row of a schedule, in the plan, the sub-plans and the
    appendices, in that order."""
    from pipeline.inputs.blocks import dated_rows

    docs = [(f"{nd30.type_name(inputs.plan.kind)} {lower_first(inputs.plan.summary)}", inputs.plan.sections)]
    docs += [(f"{nd30.type_name(sp.kind or 'KH')} {lower_first(sp.summary)}", sp.sections) for sp in inputs.subplans]
    for where, sections in docs:
        for sec in sections:
            yield from ((where, row) for row in dated_rows(sec.items))
    for k, app in enumerate(inputs.appendices, 1):
        yield from ((nd30.appendix_label(k, len(inputs.appendices)), row) for row in dated_rows(app.body))


def state(entry: Entry, today: dt.date, soon_days: int) -> str:
    if entry.done:
        return "đã xong"
    if entry.due < today:
        return "QUÁ HẠN"
    if (entry.due - today).days <= soon_days:
        return "sắp đến hạn"
    return ""


def write_ics(items: list[Entry], path: Path, commune: str, stamp: dt.date) -> None:
    """An iCalendar file; DTSTAMP is fixed (the plan's start) so the file is reproducible."""
    from icalendar import Calendar, Event

    from pipeline.ooxml.package import atomic_write

    cal = Calendar()
    cal.add("prodid", "-//vanban//lich ke hoach//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Kế hoạch CCHC — {commune}")
    for e in items:
        ev = Event()
        ev.add("uid", f"{e.uid}@vanban")
        ev.add("dtstamp", dt.datetime(stamp.year, stamp.month, stamp.day, tzinfo=dt.timezone.utc))
        ev.add("dtstart", e.due)
        ev.add("dtend", e.due + dt.timedelta(days=1))
        ev.add("summary", f"[{e.kind}] {e.text}")
        ev.add("description", f"Cơ quan chủ trì: {e.lead}. Hạn: {nd30.short_date(e.due)}.")
        ev.add("categories", [e.kind])
        cal.add_component(ev)
    atomic_write(path, cal.to_ical())


@click.command("calendar")
@click.option("--inputs", "inputs_dir", type=click.Path(path_type=Path), default=Path("inputs"), show_default=True,
              callback=near_option, help="Thư mục dữ liệu đầu vào (YAML).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"]), default=None,
              help="Ngày tính hạn (mặc định: hôm nay), dạng 2025-10-01 hoặc 01/10/2025.")
@click.option("--soon", "soon_days", type=int, default=14, show_default=True, help="Số ngày coi là 'sắp đến hạn'.")
@click.option("--ics", "ics_path", type=click.Path(path_type=Path), default=None,
              help="Ghi thêm tệp lịch iCalendar (.ics) để nhập vào lịch của cơ quan.")
def calendar_command(inputs_dir: Path, today, soon_days: int, ics_path: Path | None) -> None:
    """Lịch các thời hạn và báo cáo của kế hoạch: quá hạn, sắp đến hạn."""
    from rich.table import Table

    from pipeline.errors import console as plain_console
    from pipeline.inputs.validate import load_inputs

    inputs = load_inputs(inputs_dir)
    day = today.date() if today else dt.date.today()
    items = entries(inputs)
    table = Table(title=f"Lịch thực hiện — tính đến ngày {nd30.short_date(day)}", show_lines=False)
    for col in ("Hạn", "Loại", "Nội dung", "Chủ trì", "Tình trạng"):
        table.add_column(col, overflow="fold")
    counts = {"QUÁ HẠN": 0, "sắp đến hạn": 0}
    for e in items:
        st = state(e, day, soon_days)
        counts[st] = counts.get(st, 0) + 1
        style = {"QUÁ HẠN": "bold red", "sắp đến hạn": "yellow", "đã xong": "green"}.get(st, "")
        table.add_row(nd30.short_date(e.due), e.kind, e.text, e.lead, st, style=style)
    console = plain_console(soft_wrap=False)  # the tasks' text as written: no markup, no emoji
    console.print(table)
    console.print(f"Tổng: {len(items)} mốc; quá hạn: {counts['QUÁ HẠN']}; "
                  f"sắp đến hạn (≤ {soon_days} ngày): {counts['sắp đến hạn']}.")
    if ics_path:
        write_ics(items, ics_path, inputs.commune.name, inputs.plan.period.start)
        console.print(f"Đã ghi lịch: {ics_path}")
