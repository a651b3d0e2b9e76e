"""What each document says, as plain data for the templates.

The templates only place strings; everything a reader sees is decided here,
with the decree's rules taken from ``nd30``, references and citations from
``refs`` and the deadline words from ``deadlines``. Section numbers are
computed (I., 1., 2.1., a)), never typed. Nothing here keeps state between
calls: each function takes what it needs.
"""

from __future__ import annotations

from typing import Any, Callable

from pipeline.inputs import deadlines
from pipeline.decree import forms as nd30
from pipeline.decree import wml
from pipeline.inputs import model as m
from pipeline.plan.blocks import blocks_xml, outline_blocks, table_xml
from pipeline.inputs.textrefs import Refs
from pipeline.decree.vietnamese import lower_first, upper

# the task column keeps at least 35 % of the width, so that a task reads in a few lines on a portrait page
TASK_COLUMNS = [wml.Column(*c) for c in (
    ("TT", 12, "center"), ("Nhiệm vụ cụ thể", 90, "left", 0.35), ("Sản phẩm, kết quả", 44, "left"),
    ("Cơ quan chủ trì", 38, "center"), ("Cơ quan phối hợp", 38, "center"), ("Thời gian hoàn thành", 34, "left"))]

# writes a generated part of a report into the blocks; returns the clause counter after it
Generated = Callable[[m.Generated, str, int, list], int]


def task_rows(refs: Refs, tasks: list[m.Task], default_lead: str | None,
              extra: int = 0) -> tuple[list[list[list[str]]], set[int]]:
    """The table's rows, and which of them are group headings ("I", "Cải cách thể chế", bold, across the
    row): a task with ``group`` opens one, and the tasks are numbered 1, 2 … again in each group."""
    rows: list[list[list[str]]] = []
    headings: set[int] = set()
    period = refs.inputs.plan.period
    i = 0
    for task in tasks:
        if task.group:
            headings.add(len(rows))
            rows.append([[nd30.roman(len(headings))], [refs.text(task.group)]])
            i = 0
        i += 1
        products = [refs.text(p) for p in task.products]
        if len(products) > 1:
            products = [f"- {p}" for p in products]
        lead = task.lead or ([default_lead] if default_lead else [])
        rows.append([[str(i)], [refs.text(task.content)], products, units(refs, lead), units(refs, task.partners),
                     deadlines.lines(task.deadline, period)]
                    + [[refs.text(x) for x in cell.split("\n") if x.strip()]
                       for cell in (task.extra + [""] * extra)[:extra]])
    return rows, headings


def units(refs: Refs, ids: list[str]) -> list[str]:
    """A task's lead or partner units, one a line, each short name held whole (``nd30.held_name``)."""
    return nd30.list_lines([nd30.held_name(name) for name in refs.unit_names(ids)])


def task_table(refs: Refs, tasks: list[m.Task], default_lead: str | None, landscape: bool,
               extra_columns: list[str] | None = None, widths: list[int] | None = None):
    """``extra_columns``: titles of columns after vanban's own, filled from each task's ``extra``;
    ``widths``: a grid shared with other tables of vanban's own columns (``appendix_grid``)."""
    extra = extra_columns or []
    rows, headings = task_rows(refs, tasks, default_lead, len(extra))
    columns = TASK_COLUMNS + [wml.Column(refs.text(t), 36, "center") for t in extra]
    return wml.table(columns, rows, nd30.text_width(landscape), nd30.SIZE_TABLE, headings=headings,
                     widths=None if extra else widths)


def appendix_grid(refs: Refs) -> list[int]:
    """One grid for every appendix: vanban's own columns fitted to the rows of all of them (landscape)."""
    rows: list[list[list[str]]] = []
    for app in refs.inputs.appendices:
        found, headings = task_rows(refs, app.tasks, app.lead)
        rows += [row for ri, row in enumerate(found) if ri not in headings]
    return wml.fit_widths(TASK_COLUMNS, rows, nd30.text_width(True), nd30.SIZE_TABLE, nd30.SIZE_TABLE)


def intro(refs: Refs, doc: m.DocumentSpec) -> str | None:
    """The sentence that opens the body; a sub-plan without one cites its parent plan."""
    if doc.intro:
        return refs.text(doc.intro)
    if isinstance(doc, m.SubPlan):
        assert doc.kind is not None, "a sub-plan's kind is resolved from its ordering task (inputs.ordering)"
        inputs = refs.inputs
        agency = inputs.commune.agency
        who = inputs.units[doc.issuer].name if doc.issuer else f"{agency.short_name} {inputs.commune.name}"
        return (f"Thực hiện {refs.citation(inputs.plan, with_summary=True)}, "
                f"{who} ban hành {nd30.type_name(doc.kind)} "
                f"{lower_first(refs.text(doc.summary))} như sau:")
    return None


class Body:
    """The body blocks of one document: paragraphs, numbered clauses, tables, generated parts."""

    def __init__(self, refs: Refs, doc: m.DocumentSpec, generated: Generated | None = None,
                 landscape: bool = False):
        self.refs = refs
        self.doc = doc
        self.generated = generated
        self.landscape = landscape  # the page its tables are sized for (an appendix's is landscape)

    def blocks(self) -> list[dict[str, Any]]:
        text, doc = self.refs.text, self.doc
        blocks: list[dict[str, Any]] = []
        opening = intro(self.refs, doc)
        if doc.bases and doc.bases_layout == "inline":
            blocks.append({"kind": "para", "text": nd30.bases_sentence([text(b) for b in doc.bases], opening)})
        elif opening:
            blocks.append({"kind": "para", "text": opening})
        for si, section in enumerate(doc.sections, 1):
            blocks.append({"kind": "section", "text": f"{nd30.roman(si)}. {upper(text(section.title))}"})
            self.items(section.items, "", blocks)
        if doc.closing:
            blocks.append({"kind": "closing", "text": text(doc.closing)})
        elif blocks and blocks[-1]["kind"] == "para":
            blocks[-1]["kind"] = "closing"  # the last paragraph keeps the signature company
        return blocks

    def items(self, items: list, prefix: str, blocks: list) -> None:
        text = self.refs.text
        clause_no = point_no = 0
        for item in items:
            if isinstance(item, (str, m.Para, m.Bullet, m.Note, m.Fill)):
                blocks.append(_plain(item, text))
            elif isinstance(item, m.Point):
                blocks.append({"kind": "para", "text": f"{nd30.point_letter(point_no)}) {text(item.point)}"})
                point_no += 1
            elif isinstance(item, m.Numbered):
                clause_no += 1
                blocks.append({"kind": "para", "text": f"{prefix}{clause_no}. {text(item.numbered)}"})
            elif isinstance(item, m.TaskTable):
                blocks.append({"kind": "table", "xml": self.table(item.tasks)})
            elif isinstance(item, m.Table):
                blocks.append({"kind": "table", "xml": table_xml(item.table, text, self.landscape)})
            elif isinstance(item, m.Schedule):
                blocks.append({"kind": "table", "xml": table_xml(item.schedule, text, self.landscape,
                                                                 self.refs.inputs.plan.period)})
            elif isinstance(item, m.Outline):
                outline_blocks(item.outline, text, blocks)
            elif isinstance(item, m.Generated):
                if self.generated is None:
                    raise ValueError("'generated' items belong in reports")
                clause_no = self.generated(item, prefix, clause_no, blocks)
            elif isinstance(item, m.Clause):
                clause_no += 1
                label = f"{prefix}{clause_no}."
                blocks.append({"kind": "clause", "text": f"{label} {text(item.clause)}"})
                self.items(item.items, label, blocks)
            else:  # pragma: no cover - the schema admits no other item
                raise TypeError(type(item))

    def table(self, which: str):
        inputs = self.refs.inputs
        if which == "own":
            lead = None
            if isinstance(self.doc, m.SubPlan):
                app, task = inputs.tasks[self.doc.ordered_by]
                lead = app.leads(task)[0]
            return task_table(self.refs, getattr(self.doc, "tasks", []), lead, landscape=False)
        app = inputs.appendices[inputs.appendix_index[which]]
        return task_table(self.refs, app.tasks, app.lead, landscape=False, extra_columns=app.extra_columns)


def _plain(item, text: Callable[[str], str]) -> dict[str, str]:
    """A block that only carries its own text: paragraph, bullet, note, fill."""
    if isinstance(item, str):
        return {"kind": "para", "text": text(item)}
    if isinstance(item, m.Para):
        return {"kind": "para", "text": text(item.p)}
    if isinstance(item, m.Bullet):
        return {"kind": "para", "text": "- " + text(item.bullet)}
    if isinstance(item, m.Note):
        return {"kind": "note", "text": text(item.note)}
    return {"kind": "fill", "text": f"[Cán bộ soạn thảo viết: {text(item.fill)}]"}


def document_context(refs: Refs, doc: m.DocumentSpec, generated: Generated | None = None) -> dict[str, Any]:
    """The context of a document with a type name (Kế hoạch, Chương trình, Báo cáo)."""
    inputs = refs.inputs
    agency = inputs.commune.agency
    issuer, d, sig = refs.issuer(doc), doc.date, doc.signature
    hdr = nd30.header_block(issuer.parent_line, issuer.agency_lines, doc.number, refs.symbol(doc),
                            inputs.commune.place, d.year, d.month, d.day)
    summary = nd30.title(refs.text(doc.summary))
    leader = inputs.leaders[sig.signer]
    return {
        "hdr": hdr,
        "doc": {
            "type_name": nd30.type_name(doc.kind, upper=True),
            "summary": summary,
            "summary_rule": nd30.summary_rule(summary),
            "to": nd30.to_block([refs.text(t) for t in doc.to]),
            "preamble": (nd30.preamble_lines([refs.text(b) for b in doc.bases])
                         if doc.bases_layout == "preamble" else []),
        },
        "body": Body(refs, doc, generated).blocks(),
        "sig": {
            "authority_lines": nd30.authority_lines(sig.authority, sig.for_committee, agency.collective,
                                                    agency.head_position, leader.position),
            "name": leader.name or "",
            "recipients": nd30.recipient_lines([refs.text(t) for t in doc.recipients.to],
                                               doc.recipients.archive, doc.recipients.copies),
        },
    }


def appendix_context(refs: Refs, index: int, grid: list[int] | None = None) -> dict[str, Any]:
    inputs = refs.inputs
    app = inputs.appendices[index]
    title = refs.text(app.title)
    if app.lead:  # an appendix whose tasks name their own leads has none in its title
        title += f" ({inputs.units[app.lead].name} chủ trì)"
    return {
        "app": {
            "label": nd30.appendix_label(index + 1, len(inputs.appendices)),
            "title": nd30.title(upper(title), True, "appendix_title"),
            "reference": f"(Kèm theo {refs.citation(inputs.plan)})",
            "table": _appendix_content(refs, app, grid or appendix_grid(refs)),
        }
    }


def _appendix_content(refs: Refs, app: m.Appendix, grid: list[int]):
    """The appendix's task table (on the grid all appendices share), below what its ``body`` says
    (a schedule, an outline …)."""
    if not app.body:
        return task_table(refs, app.tasks, app.lead, landscape=True, extra_columns=app.extra_columns, widths=grid)
    blocks: list[dict[str, Any]] = []
    Body(refs, refs.inputs.plan, landscape=True).items(app.body, "", blocks)
    if app.tasks:
        blocks.append({"kind": "table", "xml": task_table(refs, app.tasks, app.lead, landscape=True,
                                                          extra_columns=app.extra_columns, widths=grid)})
    return blocks_xml(blocks)
