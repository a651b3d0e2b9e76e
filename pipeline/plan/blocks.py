"""Tables and outlines of a body (``inputs.blocks``) as the templates' blocks, and a list of blocks
as WordprocessingML for an appendix (whose template places one piece of XML)."""

from __future__ import annotations

from typing import Any, Callable

from markupsafe import Markup

from pipeline.decree import forms as nd30
from pipeline.decree import wml
from pipeline.inputs import deadlines
from pipeline.inputs import model as m

NARROW = ("tt", "stt", "số tt", "số thứ tự")  # a column of row numbers: a narrow share of the width
NARROW_MM, DEFAULT_MM = 12, 40


def _share(col: m.Column) -> float:
    if col.width is not None:
        return col.width
    return NARROW_MM if col.title.strip().lower().rstrip(".") in NARROW else DEFAULT_MM


def _lines(cell: str, text: Callable[[str], str]) -> list[str]:
    return [text(line) for line in cell.split("\n") if line.strip()]


def table_xml(spec: m.TableSpec | m.ScheduleSpec, text: Callable[[str], str], landscape: bool,
              period: m.Period | None = None) -> Markup:
    """The table in the decree's style: widths in the grid and every cell, its header repeated on each
    page (two rows under merged group cells), rows that never split; heading rows bold across the table.
    A schedule's last column is each row's deadline, in the words of ``deadlines`` (``period``: the plan's)."""
    columns = [wml.Column(text(c.title), _share(c), c.align) for c in spec.columns]
    rows: list[list[list[str]]] = []
    headings: set[int] = set()
    for row in spec.rows:
        if isinstance(row, m.Heading):
            headings.add(len(rows))
            rows.append([[text(row.number)] if row.number else [], [text(row.heading)]])
        elif isinstance(row, m.Dated):
            assert period is not None, "a schedule is printed with the plan's period"
            rows.append([_lines(c, text) for c in row.cells] + [[text(x) for x in deadlines.lines(row.when, period)]])
        else:
            rows.append([_lines(c, text) for c in row])
    groups = [text(c.group) if c.group else None for c in spec.columns]
    if isinstance(spec, m.ScheduleSpec):
        columns.append(wml.Column(text(spec.when), DEFAULT_MM, "left"))
        groups.append(None)
    return wml.table(columns, rows, nd30.text_width(landscape), nd30.SIZE_TABLE, headings=headings,
                     groups=groups if any(groups) else None)


def _label(kind: str, n: int, parent: str) -> str:
    if kind == "roman":
        return f"{nd30.roman(n)}."
    if kind == "number":
        return f"{n}."
    if kind == "decimal":
        return f"{parent.rstrip('.')}.{n}." if parent[:1].isdigit() else f"{n}."
    if kind == "letter":
        return f"{nd30.point_letter(n - 1)})"
    return {"dash": "-", "plus": "+"}.get(kind, "")


def outline_blocks(spec: m.OutlineSpec, text: Callable[[str], str], blocks: list[dict[str, Any]]) -> None:
    """Each entry a paragraph with its computed label; an entry with entries under it is a title (bold)."""
    def walk(items: list, level: int, parent: str) -> None:
        for n, entry in enumerate(items, 1):
            label = _label(spec.labels[level], n, parent)
            words = text(entry if isinstance(entry, str) else entry.text)
            sub = entry.items if isinstance(entry, m.Entry) else []
            blocks.append({"kind": "clause" if sub else "para", "text": f"{label} {words}" if label else words})
            walk(sub, level + 1, label)
    walk(spec.items, 0, "")


STYLES = {"section": "VBSection", "clause": "VBClause", "note": "VBNote", "fill": "VBFill", "closing": "VBClosing"}


def blocks_xml(blocks: list[dict[str, Any]]) -> Markup:
    """Blocks as paragraphs of the template's styles and tables, for a place that takes one piece of XML."""
    out = []
    for i, b in enumerate(blocks):
        if b["kind"] == "table":
            if i and blocks[i - 1]["kind"] == "table":  # two tables side by side would be one in Word
                out.append(wml.paragraph("", style="VBBody"))
            out.append(str(b["xml"]))
        else:
            out.append(wml.paragraph(b["text"], style=STYLES.get(b["kind"], "VBBody")))
    return Markup("".join(out))
