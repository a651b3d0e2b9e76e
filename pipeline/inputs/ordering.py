"""The links between documents: a sub-plan takes from the task that orders it.

A sub-plan's YAML names its ordering task (``ordered_by``). What that task
already says is not typed again: the kind of document it asks for, the month
it is due (the draft's date), the lead unit (who archives a copy), and — from
the parent plan — the signature and the recipients.
"""

from __future__ import annotations

import datetime as dt

from pipeline.inputs import deadlines
from pipeline.decree import rules
from pipeline.inputs import model as m
from pipeline.errors import InputIssue
from pipeline.inputs.kinds import superiors

# the types a task may order, as the words that name them in its text (§8)
KIND_WORDS = {abbr: rules.TYPE_BY_ABBR[abbr].name.lower() for abbr in ("KH", "CTr")}


def kind_from_task(task: m.Task) -> str | None:
    """The type the task orders: the first of 'kế hoạch' / 'chương trình' in its content, then products."""
    for text in [task.content] + list(task.products):
        low = text.lower()
        hits = [(low.find(word), kind) for kind, word in KIND_WORDS.items() if word in low]
        if hits:
            return min(hits)[1]
    return None


def due_for(task: m.Task, kind: str, period: m.Period) -> dt.date | None:
    """When the ordered document is due: the deadline part for that product, else the task's first date."""
    word = KIND_WORDS[kind]
    for part in task.deadline:
        if part.what and part.what.lower().startswith(word):
            return deadlines.due_date(part, period)
    for part in task.deadline:
        d = deadlines.due_date(part, period)
        if d:
            return d
    return None


def archive_code(unit: m.Unit) -> str:
    """The drafting unit's code on the 'Lưu:' line: its own, else the initials of its short name."""
    if unit.archive_code:
        return unit.archive_code
    return "".join(w[0] for w in unit.display_short.split() if w[0].isalpha()).upper()


def default_recipients(to: list[str], lead: m.Unit) -> m.Recipients:
    """Who gets a document that lists none: ``to``, and the archive with the drafting unit's copy."""
    return m.Recipients(to=to, archive=["VT", archive_code(lead)])


def resolve_subplan(inputs, key: str, sp: m.SubPlan) -> tuple[m.SubPlan, list[InputIssue]]:
    """Fill what ``sp`` leaves out from its ordering task and the plan; report what cannot be."""
    app, task = inputs.tasks[sp.ordered_by]

    def cannot(message: str) -> tuple[m.SubPlan, list[InputIssue]]:
        src = inputs.sources[key]
        line, col = src.locate(("ordered_by",))
        return sp, [InputIssue(src.file, line, col, "ordered_by", message, rule="ref")]

    kind = sp.kind or kind_from_task(task)
    if kind is None:
        return cannot(f"nhiệm vụ '{task.id}' không nói ban hành kế hoạch hay chương trình; "
                      "hãy ghi 'kind: KH' hoặc 'kind: CTr'")
    date = sp.date
    if date is None:
        due = due_for(task, kind, inputs.plan.period)
        if due is None:
            return cannot(f"nhiệm vụ '{task.id}' không có thời hạn cụ thể; hãy ghi 'date: YYYY-MM' cho văn bản này")
        date = m.IssueDate(year=due.year, month=due.month, day=None)
    lead = inputs.units[app.leads(task)[0]]
    plan = inputs.plan
    # a sub-plan that lists no recipients is sent first to the departments it reports to, then where the
    # plan is sent but to the plan's own departments (the CCHC plan's Sở Nội vụ is not the thrift programme's)
    own = superiors(inputs, sp)
    recipients = sp.recipients or default_recipients([*own, *(t for t in plan.recipients.to if not t.startswith("Sở "))],
                                                     lead)
    resolved = sp.model_copy(update={
        "kind": kind, "date": date,
        "signature": sp.signature or plan.signature,
        "recipients": recipients,
    })
    return resolved, []
