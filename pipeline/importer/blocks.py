"""Tables that are not task tables, and numbered text outside the body's sections (an appendix's
outline), read into the inputs' body blocks (``inputs.blocks``): nothing of them is dropped."""

from __future__ import annotations

import bisect

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.importer.tables import GROUP_NUMBER_RE, cell_lines
from pipeline.inputs.blocks import MAX_COLUMNS, MAX_DEPTH  # deeper levels keep their typed label in their text
from pipeline.ooxml.xmlns import W
from pipeline.importer.textparse import Token, norm_space, token



def _heading(texts: list[str], columns: int) -> dict | None:
    """A row across the table: one cell alone, or a group's number and title with the other cells empty."""
    filled = [t for t in texts if t]
    if len(texts) == 1 and columns > 1 and filled:
        return {"heading": filled[0]}
    if (columns > 2 and len(texts) >= 2 and texts[1] and GROUP_NUMBER_RE.match(texts[0])
            and not any(texts[2:])):
        return {"heading": texts[1], "number": texts[0]}
    return None


def _span(cell) -> tuple[int, bool]:
    """How many grid columns a cell spans, and whether it continues a cell merged down (``vMerge``)."""
    tc = cell[0].el.getparent() if cell else None
    if tc is None or tc.tag != W + "tc":
        return 1, False
    span = tc.find(f"{W}tcPr/{W}gridSpan")
    merge = tc.find(f"{W}tcPr/{W}vMerge")
    width = int(span.get(W + "val", "1")) if span is not None and span.get(W + "val", "1").isdigit() else 1
    return max(1, min(width, 64)), merge is not None and merge.get(W + "val") in (None, "continue")


def _group_columns(table) -> list[dict] | None:
    """The columns of a two-row header with merged cells: a cell spanning columns in the first row is their
    group, the titles under it in the second; a column merged down both rows keeps its own title."""
    if len(table.rows) < 3:
        return None
    top = [(_span(c), "\n".join(cell_lines(c)).replace("\n", " ")) for c in table.rows[0]]
    below = [(_span(c), "\n".join(cell_lines(c)).replace("\n", " ")) for c in table.rows[1]]
    if not any(w > 1 for (w, _), _t in top):
        return None
    columns: list[dict] = []
    k = 0  # index into the second row's cells
    for (width, _), title in top:
        if width == 1:
            if k >= len(below) or not below[k][0][1]:  # not merged down: not a group header
                return None
            columns.append({"title": title or "-"})
            k += 1
            continue
        for _ in range(width):
            if k >= len(below) or below[k][0][1] or not below[k][1]:
                return None
            columns.append({"title": below[k][1], "group": title or "-"})
            k += 1
    return columns if k == len(below) else None


def table_item(table, where: str) -> tuple[dict, list[str]]:
    """A docread ``Table`` as a ``table:`` block: its first row the columns (two rows when cells merged
    across them group the columns), every other row kept, in order; a short row (cells merged across) is
    filled with empty cells. Returns the block and what the summary must say of it."""
    rows = [["\n".join(cell_lines(c)) for c in row] for row in table.rows]
    grouped = _group_columns(table)
    if grouped is not None:
        rows = rows[1:]  # the second header row is read into the columns
    rows = [r for r in rows if any(r)]
    notes: list[str] = []
    if not rows:
        return {}, [f"{where}: bảng trống, không mang sang"]
    if max(len(r) for r in rows) > MAX_COLUMNS:  # wider than the inputs take: the rest joined into the last cell
        rows = [r[:MAX_COLUMNS - 1] + [" | ".join(x for x in r[MAX_COLUMNS - 1:] if x)] if len(r) > MAX_COLUMNS else r
                for r in rows]
        notes.append(f"{where}: bảng hơn {MAX_COLUMNS} cột, các cột từ cột {MAX_COLUMNS} gộp vào cột cuối")
    width = max([len(r) for r in rows] + [len(grouped or [])])
    head = rows[0] + [""] * (width - len(rows[0]))
    columns: list = grouped or [{"title": h.replace("\n", " ")} if h else {"title": "-"} for h in head]
    if grouped is None and any(not h for h in head):
        notes.append(f"{where}: ô tiêu đề trống ghi là '-'")
    out_rows: list = []
    short = 0
    for r in rows[1:]:
        heading = _heading(r, width)
        if heading is not None:
            out_rows.append(heading)
            continue
        if len(r) < width:
            short += 1
            r = r + [""] * (width - len(r))
        out_rows.append(r)
    if short:
        notes.append(f"{where}: {short} hàng có ô gộp ngang, thêm ô trống cho đủ {width} cột")
    if not out_rows:  # a table of one row: its cells are the row, under numbered columns
        out_rows = [head]
        columns = [{"title": str(i)} for i in range(1, width + 1)]
        notes.append(f"{where}: bảng một hàng, tiêu đề cột đánh số 1, 2 …")
    columns = [c["title"] if set(c) == {"title"} else c for c in columns]
    return {"table": {"columns": columns, "rows": out_rows}}, notes


def _kind(tok: Token) -> str:
    """The label kind of ``inputs.blocks`` a typed number stands for."""
    if tok.kind == "section":
        return "roman"
    if tok.kind == "clause":
        return "number" if tok.depth == 1 else f"decimal{tok.depth}"
    return {"point": "letter", "bullet": "dash", "plus": "plus"}[tok.kind]


@dataclass
class OutlineReader:
    """Numbered lines into outline blocks; a line without a number stands between them as a paragraph."""

    items: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _labels: list[str] = field(default_factory=list)
    _stack: list[list] = field(default_factory=list)  # the entries' lists, by level

    def line(self, text: str, auto_label: str = "") -> None:
        tok = token(text, auto_label)
        if tok.kind == "none":
            self.close()
            self.items.append(norm_space(text))
            return
        kind = _kind(tok)
        if kind in self._labels:
            level = self._labels.index(kind)
        elif len(self._labels) < MAX_DEPTH:
            level = len(self._labels)
            self._labels.append(kind)
        else:  # deeper than an outline goes: kept with its typed number, as a line of the deepest level
            self.notes.append(f"dòng sâu hơn {MAX_DEPTH} cấp giữ số gõ tay: '{norm_space(text)[:60]}'")
            self._add(min(len(self._labels) - 1, len(self._stack)), norm_space(text))
            return
        if level > len(self._stack):  # a level skipped ("a)" right under "I."): the outline starts again
            self.close()
            self._labels = [kind]
            level = 0
        self._add(level, tok.text)

    def _add(self, level: int, text: str) -> None:
        if not self._stack:
            self._stack = [[]]
        del self._stack[level + 1:]
        if level == len(self._stack):
            parent = self._stack[-1][-1]
            if isinstance(parent, str):
                parent = self._stack[-1][-1] = {"text": parent, "items": []}
            self._stack.append(parent["items"])
        self._stack[level].append(text)

    def table(self, item: dict) -> None:
        self.close()
        self.items.append(item)

    def close(self) -> None:
        if self._stack:
            labels = [("decimal" if k.startswith("decimal") else k) for k in self._labels]
            out: dict = {"items": self._stack[0]}
            if labels != ["roman", "number", "letter", "dash"][:len(labels)]:
                out = {"labels": labels} | out
            self.items.append({"outline": out})
        self._stack, self._labels = [], []


def body_items(doc) -> list[tuple[int, Any]]:
    """The document's top-level paragraphs with text and its tables, by where they start (in reading
    order): read once, then each appendix takes its stretch of them (``appendix_body``)."""
    found: list[tuple[int, Any]] = []  # docread paragraphs and tables, by where they start
    for p in doc.paragraphs:
        if p.top_level and norm_space(p.text):
            found.append((p.position, p))
    for t in doc.tables:
        at = next((p.position for row in t.rows for cell in row for p in cell), None)
        if at is not None:
            found.append((at, t))
    return sorted(found, key=lambda x: x[0])


def appendix_body(items: list[tuple[int, Any]], start: int, end: int, skip: set[int], task_table,
                  where: str) -> tuple[list, list[str]]:
    """What an appendix holds between its label (``start``) and the next (``end``) besides its title,
    reference (``skip``: their positions) and its task table: paragraphs, outlines, other tables.
    ``items``: ``body_items`` of the document."""
    first = bisect.bisect_right(items, start, key=lambda x: x[0])
    last = bisect.bisect_left(items, end, key=lambda x: x[0])
    reader = OutlineReader()
    tables = 0
    for at, what in items[first:last]:
        if what is task_table or (at in skip and not hasattr(what, "rows")):
            continue
        if hasattr(what, "rows"):
            tables += 1
            item, notes = table_item(what, f"{where}, bảng {tables}")
            reader.notes += notes
            if item:
                reader.table(item)
        elif not re.fullmatch(r"[_\-–—.\s]*", what.text):  # not a rule typed as underscores
            reader.line(what.text, what.number_label)
    reader.close()
    return reader.items, [f"{where}: {n}" if not n.startswith(where) else n for n in reader.notes]


WHEN_TITLE = re.compile(r"^(?:thời gian|thời hạn)\b", re.IGNORECASE)


def _as_schedule(spec: dict, period) -> dict | None:
    """A table whose last column is 'Thời gian …' and whose every row's last cell is a deadline that reads
    exactly and prints back in the same words: a ``schedule:`` (its dates as data), else None."""
    from pipeline.importer.tables import printed_deadline
    from pipeline.importer.textparse import parse_deadline

    columns, rows = spec["columns"], spec["rows"]
    last = columns[-1] if isinstance(columns[-1], str) else columns[-1].get("title", "")
    if len(columns) < 2 or not WHEN_TITLE.match(last) or not isinstance(columns[-1], str):
        return None
    out_rows: list = []
    for row in rows:
        if isinstance(row, dict):  # a heading row
            out_rows.append(row)
            continue
        lines = [x for x in row[-1].split("\n") if x.strip()]
        d = parse_deadline(lines, period.label)
        if not lines or not d.exact or printed_deadline(d.parts, period) != lines:
            return None
        out_rows.append({"cells": row[:-1], "when": d.parts if len(d.parts) > 1 else d.parts[0]})
    if not any(isinstance(r, dict) and "cells" in r for r in out_rows):
        return None
    return {"columns": columns[:-1], "when": last, "rows": out_rows}


def dated_tables(data: Any, period) -> int:
    """Every ``table:`` block in ``data`` (a file's YAML, notes and all) that is a schedule becomes one, in
    place; returns how many did."""
    from pipeline.importer.yamlout import Noted

    count = 0
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, Noted):
            stack.append(item.value)
        elif isinstance(item, dict):
            if isinstance(item.get("table"), dict) and len(item) == 1:
                schedule = _as_schedule(item["table"], period)
                if schedule is not None:
                    del item["table"]
                    item["schedule"] = schedule
                    count += 1
                    continue
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count
