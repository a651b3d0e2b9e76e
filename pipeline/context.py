"""Stage 3: what each document says, as plain data for the templates.

The templates only place strings; everything a reader sees is decided here,
with the decree's rules taken from ``nd30`` and the deadline words from
``deadlines``. Section numbers are computed (I., 1., 2.1., a)), never typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pipeline import deadlines, nd30, wml
from pipeline import model as m
from pipeline.textutil import lower_first, upper
from pipeline.validate import REF_RE, Inputs

TASK_COLUMNS = [
    wml.Column("TT", 12, "center"),
    wml.Column("Nhiệm vụ cụ thể", 78, "left"),
    wml.Column("Sản phẩm, kết quả", 48, "left"),
    wml.Column("Cơ quan chủ trì", 38, "center"),
    wml.Column("Cơ quan phối hợp", 40, "center"),
    wml.Column("Thời gian hoàn thành", 36, "left"),
]


def _num(value: float) -> str:
    text = f"{value:g}"
    return text.replace(".", ",")  # Vietnamese decimal comma


def target_value(t: m.Target) -> str:
    return f"{_num(t.value)}{t.unit}" if t.unit == "%" else f"{_num(t.value)} {t.unit}"


def target_phrase(t: m.Target) -> str:
    v = target_value(t)
    return {">=": f"từ {v} trở lên", ">": f"trên {v}", "=": v}[t.op]


@dataclass
class Issuer:
    parent_line: str | None
    agency_lines: list[str]
    agency_symbol: str
    full_name: str


class Writer:
    """Builds template contexts from validated inputs."""

    def __init__(self, inputs: Inputs):
        self.inputs = inputs
        self.commune = inputs.commune
        self.agency = inputs.commune.agency
        self.plan = inputs.plan
        self.appendix_count = len(inputs.appendices)
        self.documents = {d.id: d for d in [inputs.plan, *inputs.subplans]}

    # ------------------------------------------------------------ text
    def text(self, value: str) -> str:
        """Resolve {ct:…}, {pl:…} and {dv:…} references in a piece of input text."""

        def repl(match: re.Match) -> str:
            kind, ref, variant = match.groups()
            if kind == "ct":
                t = self.inputs.targets[ref]
                return target_value(t) if variant == "value" else target_phrase(t)
            if kind == "pl":
                return self.appendix_label(ref)
            if kind == "vb":
                doc = self.documents[ref]
                return self.citation(doc, short=variant == "so", with_summary=True)
            unit = self.inputs.units[ref]
            return unit.display_short if variant == "short" else unit.name

        return REF_RE.sub(repl, value)

    def appendix_label(self, appendix_id: str) -> str:
        return nd30.appendix_label(self.inputs.appendix_index[appendix_id] + 1, self.appendix_count)

    def unit_names(self, ids: list[str]) -> list[str]:
        out = []
        for uid in ids:
            if uid in self.inputs.units:
                out.append(self.inputs.units[uid].display_short)
            else:
                out.append(self.inputs.groups[uid].name)
        return nd30.list_lines(out)

    # ------------------------------------------------------------ issuers and citations
    def issuer(self, doc: m.DocumentSpec) -> Issuer:
        if doc.issuer:
            unit = self.inputs.units[doc.issuer]
            parent = self.agency.parent_line or f"{self.agency.short_name} {self.commune.name}"
            return Issuer(parent, [unit.name], unit.symbol or self.agency.symbol, unit.name)
        return Issuer(self.agency.parent_line, self.agency.name_lines, self.agency.symbol,
                      self.agency.full_name)

    def symbol(self, doc: m.DocumentSpec) -> str:
        return nd30.symbol(doc.kind, self.issuer(doc).agency_symbol)

    def citation(self, doc: m.DocumentSpec, short: bool = False, with_summary: bool = False) -> str:
        """'Kế hoạch số 05/KH-UBND ngày 15 tháng 7 năm 2025 của Ủy ban nhân dân xã X [về …]'."""
        d = doc.date
        text = nd30.citation(doc.kind, doc.number, self.symbol(doc), d.year, d.month, d.day,
                             self.issuer(doc).full_name)
        if short:
            return text.split(" ngày ")[0]
        if with_summary:
            text += " về " + lower_first(self.text(doc.summary))
        return text

    def intro(self, doc: m.DocumentSpec) -> str | None:
        """The sentence that opens the body; a sub-plan without one cites its parent plan."""
        if doc.intro:
            return self.text(doc.intro)
        if isinstance(doc, m.SubPlan):
            type_word = nd30.type_name(doc.kind)
            who = (self.inputs.units[doc.issuer].name if doc.issuer
                   else f"{self.agency.short_name} {self.commune.name}")
            return (f"Thực hiện {self.citation(self.plan, with_summary=True)}, "
                    f"{who} ban hành {type_word} "
                    f"{lower_first(self.text(doc.summary))} như sau:")
        return None

    # ------------------------------------------------------------ tables
    def task_rows(self, tasks: list[m.Task], default_lead: str | None) -> list[list[list[str]]]:
        rows = []
        for i, task in enumerate(tasks, 1):
            products = [self.text(p) for p in task.products]
            if len(products) > 1:
                products = [f"- {p}" for p in products]
            lead = task.lead or ([default_lead] if default_lead else [])
            rows.append([
                [str(i)],
                [self.text(task.content)],
                products,
                self.unit_names(lead),
                self.unit_names(task.partners),
                deadlines.lines(task.deadline, self.plan.period),
            ])
        return rows

    def task_table(self, tasks: list[m.Task], default_lead: str | None, landscape: bool):
        width = nd30.text_width(landscape)
        return wml.table(TASK_COLUMNS, self.task_rows(tasks, default_lead), width, nd30.SIZE_TABLE)

    # ------------------------------------------------------------ body
    def body(self, doc: m.DocumentSpec) -> list[dict[str, Any]]:
        blocks: list[dict[str, Any]] = []
        intro = self.intro(doc)
        if doc.bases and doc.bases_layout == "inline":
            blocks.append({"kind": "para", "text": nd30.bases_sentence([self.text(b) for b in doc.bases], intro)})
        elif intro:
            blocks.append({"kind": "para", "text": intro})
        for si, section in enumerate(doc.sections, 1):
            blocks.append({"kind": "section", "text": f"{nd30.roman(si)}. {upper(self.text(section.title))}"})
            self._items(doc, section.items, "", blocks)
        if doc.closing:
            blocks.append({"kind": "closing", "text": self.text(doc.closing)})
        elif blocks and blocks[-1]["kind"] == "para":
            blocks[-1]["kind"] = "closing"  # the last paragraph keeps the signature company
        return blocks

    def _items(self, doc: m.DocumentSpec, items: list, prefix: str, blocks: list) -> None:
        clause_no = 0
        point_no = 0
        for item in items:
            if isinstance(item, str):
                blocks.append({"kind": "para", "text": self.text(item)})
            elif isinstance(item, m.Para):
                blocks.append({"kind": "para", "text": self.text(item.p)})
            elif isinstance(item, m.Bullet):
                blocks.append({"kind": "para", "text": "- " + self.text(item.bullet)})
            elif isinstance(item, m.Point):
                blocks.append({"kind": "para", "text": f"{nd30.point_letter(point_no)}) {self.text(item.point)}"})
                point_no += 1
            elif isinstance(item, m.Numbered):
                clause_no += 1
                blocks.append({"kind": "para", "text": f"{prefix}{clause_no}. {self.text(item.numbered)}"})
            elif isinstance(item, m.Note):
                blocks.append({"kind": "note", "text": self.text(item.note)})
            elif isinstance(item, m.Fill):
                blocks.append({"kind": "fill", "text": f"[Cán bộ soạn thảo viết: {self.text(item.fill)}]"})
            elif isinstance(item, m.TaskTable):
                blocks.append({"kind": "table", "xml": self._table_for(doc, item.tasks)})
            elif isinstance(item, m.Generated):
                clause_no = self._generated(item.generated, prefix, clause_no, blocks)
            elif isinstance(item, m.Clause):
                clause_no += 1
                label = f"{prefix}{clause_no}."
                blocks.append({"kind": "clause", "text": f"{label} {self.text(item.clause)}"})
                self._items(doc, item.items, label, blocks)
            else:  # pragma: no cover - the schema admits no other item
                raise TypeError(type(item))

    def _table_for(self, doc: m.DocumentSpec, which: str):
        if which == "own":
            lead = None
            if isinstance(doc, m.SubPlan):
                app, task = self.inputs.tasks[doc.ordered_by]
                lead = app.leads(task)[0]
            return self.task_table(getattr(doc, "tasks", []), lead, landscape=False)
        app = self.inputs.appendices[self.inputs.appendix_index[which]]
        return self.task_table(app.tasks, app.lead, landscape=False)

    # ------------------------------------------------------------ documents
    def document(self, doc: m.DocumentSpec, report=None) -> dict[str, Any]:
        self.report = report
        issuer = self.issuer(doc)
        d = doc.date
        hdr = nd30.header_block(issuer.parent_line, issuer.agency_lines, doc.number, self.symbol(doc),
                                self.commune.place, d.year, d.month, d.day)
        summary = self.text(doc.summary)
        preamble = (nd30.preamble_lines([self.text(b) for b in doc.bases])
                    if doc.bases_layout == "preamble" else [])
        leader = self.inputs.leaders[doc.signature.signer]
        sig = doc.signature
        return {
            "hdr": hdr,
            "doc": {
                "type_name": nd30.type_name(doc.kind, upper=True),
                "summary": nd30.title(summary),
                "summary_rule": nd30.summary_rule(nd30.title(summary)),
                "to": nd30.to_block([self.text(t) for t in doc.to]),
                "preamble": preamble,
            },
            "body": self.body(doc),
            "sig": {
                "authority_lines": nd30.authority_lines(sig.authority, sig.for_committee, self.agency.collective,
                                                        self.agency.head_position, leader.position),
                "name": leader.name or "",
                "recipients": nd30.recipient_lines([self.text(t) for t in doc.recipients.to],
                                                   doc.recipients.archive, doc.recipients.copies),
            },
        }

    def appendix(self, index: int) -> dict[str, Any]:
        app = self.inputs.appendices[index]
        title = self.text(app.title)
        if app.lead:  # an appendix whose tasks name their own leads has none in its title
            title += f" ({self.inputs.units[app.lead].display_short} chủ trì)"
        return {
            "app": {
                "label": nd30.appendix_label(index + 1, self.appendix_count),
                "title": nd30.title(upper(title), True, "appendix_title"),
                "reference": f"(Kèm theo {self.citation(self.plan)})",
                "table": self.task_table(app.tasks, app.lead, landscape=True),
            }
        }

    # ------------------------------------------------------------ reports (pipeline/report_body.py)
    def report_document(self, rep) -> m.DocumentSpec:
        """The Báo cáo a report becomes (its kind's title, addressees, sections, closing)."""
        from pipeline import report_body

        return report_body.report_document(self, rep)

    def _generated(self, what: str, prefix: str, clause_no: int, blocks: list) -> int:
        """Write a generated part of a report; return the clause counter after it."""
        from pipeline import report_body

        if self.report is None:
            raise ValueError("'generated' items belong in reports")
        return report_body.generated(self, self.report, what, prefix, clause_no, blocks)

    def report_annex(self, rep, spec: m.DocumentSpec) -> dict[str, Any]:
        """The annex of a report: its scoring table, or its tasks with their status."""
        from pipeline import report_body

        return report_body.annex(self, rep, spec)
