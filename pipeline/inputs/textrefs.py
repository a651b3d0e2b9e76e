"""References inside input text: ``{ct:…}``, ``{pl:…}``, ``{dv:…}``, ``{vb:…}``.

The grammar, its check against the inputs and its resolution live together:

- ``{ct:ontime_rate}`` a target's phrase ("từ 98% trở lên"), ``{ct:ontime_rate:value}`` its value ("98%");
- ``{pl:tthc}`` an appendix's label ("Phụ lục II");
- ``{dv:vp}`` a unit's full name, ``{dv:vp:short}`` its short name;
- ``{vb:ke_hoach_cchc}`` a document's full citation, ``{vb:ke_hoach_cchc:so}`` its type and number.

``Refs`` also answers what citing a document needs: who issued it, its
symbol, its citation. It holds nothing but the inputs and lookups derived
from them at construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from pipeline.inputs import model as m
from pipeline.decree import forms as nd30
from pipeline.inputs.validated import Inputs
from pipeline.decree.vietnamese import lower_first

REF_RE = re.compile(r"\{(ct|pl|dv|vb):([a-z][a-z0-9_]*)(?::([a-z]+))?\}")
REF_VARIANTS: dict[str, set[str | None]] = {"ct": {None, "value"}, "pl": {None}, "dv": {None, "short"}, "vb": {None, "so"}}
REF_NAMES = {"ct": "chỉ tiêu", "pl": "phụ lục", "dv": "đơn vị", "vb": "văn bản"}


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")  # Vietnamese decimal comma


def target_value(t: m.Target) -> str:
    return f"{_num(t.value)}{t.unit}" if t.unit == "%" else f"{_num(t.value)} {t.unit}"


def target_phrase(t: m.Target) -> str:
    v = target_value(t)
    return {">=": f"từ {v} trở lên", ">": f"trên {v}", "=": v}[t.op]


# ------------------------------------------------------------------ checking


@dataclass(frozen=True)
class RefProblem:
    path: tuple  # where in the file's data
    message: str
    fix: str


def ref_tables(inputs: Inputs) -> dict[str, object]:
    """What each kind of reference may name."""
    doc_ids = {inputs.plan.id} | {sp.id for sp in inputs.subplans}
    return {"ct": inputs.targets, "pl": inputs.appendix_index, "dv": inputs.units, "vb": doc_ids}


def ref_problems(text: str, path: tuple, tables: dict, suggest) -> Iterator[RefProblem]:
    """Every reference in ``text`` that names nothing, or uses a variant its kind lacks."""
    for match in REF_RE.finditer(text):
        kind, ref, variant = match.groups()
        table = tables[kind]
        if ref not in table:
            yield RefProblem(path, f"tham chiếu {match.group(0)}: không có {REF_NAMES[kind]} mã '{ref}'",
                             suggest(ref, table))
        elif variant not in REF_VARIANTS[kind]:
            yield RefProblem(path, f"tham chiếu {match.group(0)}: dạng ':{variant}' không có",
                             "các dạng: " + ", ".join(sorted(v for v in REF_VARIANTS[kind] if v)))


# ------------------------------------------------------------------ resolving


@dataclass(frozen=True)
class Issuer:
    parent_line: str | None
    agency_lines: list[str]
    agency_symbol: str
    full_name: str


class Refs:
    """Resolves references and cites documents, from validated inputs."""

    def __init__(self, inputs: Inputs):
        self.inputs = inputs
        self.documents = {d.id: d for d in [inputs.plan, *inputs.subplans]}

    def text(self, value: str) -> str:
        """``value`` with every reference replaced by what it names."""
        return REF_RE.sub(self._resolve, value)

    def _resolve(self, match: re.Match) -> str:
        kind, ref, variant = match.groups()
        if kind == "ct":
            t = self.inputs.targets[ref]
            return target_value(t) if variant == "value" else target_phrase(t)
        if kind == "pl":
            return self.appendix_label(ref)
        if kind == "vb":
            doc = self.documents[ref]
            return self.number_citation(doc) if variant == "so" else self.citation(doc, with_summary=True)
        unit = self.inputs.units[ref]
        return unit.display_short if variant == "short" else unit.name

    def appendix_label(self, appendix_id: str) -> str:
        return nd30.appendix_label(self.inputs.appendix_index[appendix_id] + 1, len(self.inputs.appendices))

    def unit_names(self, ids: list[str]) -> list[str]:
        """Short names of units, or names of unit groups."""
        units, groups = self.inputs.units, self.inputs.groups
        return [units[uid].display_short if uid in units else groups[uid].name for uid in ids]

    def issuer(self, doc: m.DocumentSpec) -> Issuer:
        agency = self.inputs.commune.agency
        if doc.issuer:
            unit = self.inputs.units[doc.issuer]
            parent = agency.parent_line or f"{agency.short_name} {self.inputs.commune.name}"
            return Issuer(parent, [unit.name], unit.symbol or agency.symbol, unit.name)
        return Issuer(agency.parent_line, agency.name_lines, agency.symbol, agency.full_name)

    def symbol(self, doc: m.DocumentSpec) -> str:
        return nd30.symbol(doc.kind, self.issuer(doc).agency_symbol)

    def number_citation(self, doc: m.DocumentSpec) -> str:
        """'Kế hoạch số 05/KH-UBND'."""
        return nd30.number_citation(doc.kind, doc.number, self.symbol(doc))

    def citation(self, doc: m.DocumentSpec, with_summary: bool = False) -> str:
        """'Kế hoạch số 05/KH-UBND ngày 15 tháng 7 năm 2025 của Ủy ban nhân dân xã X [về …]'."""
        d = doc.date
        text = nd30.citation(doc.kind, doc.number, self.symbol(doc), d.year, d.month, d.day,
                             self.issuer(doc).full_name)
        if with_summary:
            text += " về " + lower_first(self.text(doc.summary))
        return text
