"""Stage 3: what each document says, as plain data for the templates.

The templates only place strings; everything a reader sees is decided here,
with the decree's rules taken from ``nd30`` and the deadline words from
``deadlines``. Section numbers are computed (I., 1., 2.1., a)), never typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pipeline import deadlines, nd30, wml
from pipeline import model as m
from pipeline.validate import REF_RE, Inputs

TASK_COLUMNS = [
    wml.Column("TT", 10, "center"),
    wml.Column("Nhiệm vụ cụ thể", 80, "both"),
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


def slug(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def upper(text: str) -> str:
    return unicodedata.normalize("NFC", text.upper())


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
        return out

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

    def citation(self, doc: m.DocumentSpec) -> str:
        d = doc.date
        return nd30.citation(doc.kind, doc.number, self.symbol(doc), d.year, d.month, d.day,
                             self.issuer(doc).full_name)

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
        width = nd30.TEXT_W_LANDSCAPE if landscape else nd30.TEXT_W_PORTRAIT
        return wml.table(TASK_COLUMNS, self.task_rows(tasks, default_lead), width, nd30.SIZE_TABLE)

    # ------------------------------------------------------------ body
    def body(self, doc: m.DocumentSpec) -> list[dict[str, Any]]:
        blocks: list[dict[str, Any]] = []
        if doc.bases and doc.bases_layout == "inline":
            lead = "Căn cứ " + "; ".join(self.text(b) for b in doc.bases)
            blocks.append({"kind": "para", "text": lead + ("; " + self.text(doc.intro) if doc.intro else ".")})
        elif doc.intro:
            blocks.append({"kind": "para", "text": self.text(doc.intro)})
        for si, section in enumerate(doc.sections, 1):
            blocks.append({"kind": "section", "text": f"{nd30.roman(si)}. {upper(self.text(section.title))}"})
            self._items(doc, section.items, "", blocks)
        if doc.closing:
            blocks.append({"kind": "para", "text": self.text(doc.closing)})
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
                blocks.append({"kind": "fill", "text": self.text(item.fill)})
            elif isinstance(item, m.TaskTable):
                blocks.append({"kind": "table", "xml": self._table_for(doc, item.tasks)})
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
                lead = (task.lead or [app.lead])[0]
            return self.task_table(getattr(doc, "tasks", []), lead, landscape=False)
        app = self.inputs.appendices[self.inputs.appendix_index[which]]
        return self.task_table(app.tasks, app.lead, landscape=False)

    # ------------------------------------------------------------ documents
    def document(self, doc: m.DocumentSpec) -> dict[str, Any]:
        issuer = self.issuer(doc)
        d = doc.date
        hdr = nd30.header_block(issuer.parent_line, issuer.agency_lines, doc.number, self.symbol(doc),
                                self.commune.place, d.year, d.month, d.day)
        summary = self.text(doc.summary)
        to = [self.text(t) for t in doc.to]
        if len(to) == 1:
            to_lines = [f"Kính gửi: {to[0]}."]
        elif to:
            to_lines = ["Kính gửi:"] + [f"- {t};" for t in to[:-1]] + [f"- {to[-1]}."]
        else:
            to_lines = []
        preamble = []
        if doc.bases and doc.bases_layout == "preamble":
            preamble = [f"Căn cứ {self.text(b)};" for b in doc.bases]
            preamble[-1] = preamble[-1][:-1] + "."
        leader = self.inputs.leaders[doc.signature.signer]
        sig = doc.signature
        return {
            "hdr": hdr,
            "doc": {
                "type_name": nd30.DOC_TYPES[doc.kind][0],
                "summary": summary,
                "summary_rule": nd30.summary_rule(summary),
                "to": to_lines,
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
        lead = self.inputs.units[app.lead].display_short
        return {
            "app": {
                "label": nd30.appendix_label(index + 1, self.appendix_count),
                "title": upper(f"{self.text(app.title)} ({lead} chủ trì)"),
                "reference": f"(Kèm theo {self.citation(self.plan)})",
                "table": self.task_table(app.tasks, app.lead, landscape=True),
            }
        }
