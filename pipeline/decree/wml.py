"""Small builders of WordprocessingML (the XML inside a .docx).

Used where a piece of a document is made in code rather than typed into a
template: the short rules of the header block and the tables. The output is
inserted by docxtpl with ``{{p ...}}`` (it replaces that paragraph), so every
builder returns a ``Markup`` string that autoescaping leaves alone; all text
that goes into it is escaped here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape as _escape  # not xml.sax.saxutils: it imports urllib.request, http.client, ssl

from markupsafe import Markup

from pipeline.decree import rules
from pipeline.decree.metrics import text_width_twips

FONT = rules.FONT  # §1
CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


def set_core(document, **values: str) -> None:
    """Set core properties of the ``cp:`` namespace (lastModifiedBy="…", revision="1") by full name.

    Importing docxcompose re-points python-docx's ``cp`` prefix to the custom-properties
    namespace, after which ``core_properties.last_modified_by = …`` adds an element there
    that Word's schema rejects; this writes the right element whatever was imported.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    document.core_properties  # noqa: B018  (python-docx adds the part if the package has none)
    core = document.part.package.part_related_by(RT.CORE_PROPERTIES).element  # wherever the package keeps it
    for name, value in values.items():
        el = core.find(f"{{{CORE_NS}}}{name}")
        if el is None:
            el = core.makeelement(f"{{{CORE_NS}}}{name}", {})
            core.append(el)
        el.text = value




def run_props(size_pt: float | None = None, bold: bool = False, italic: bool = False) -> str:
    parts = [f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>']
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if size_pt:
        half = int(round(size_pt * 2))
        parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>"


def run(text: str, size_pt: float | None = None, bold: bool = False, italic: bool = False) -> str:
    return (
        f"<w:r>{run_props(size_pt, bold, italic)}"
        f'<w:t xml:space="preserve">{_escape(text, quote=False)}</w:t></w:r>'
    )


def paragraph(
    text: str = "",
    style: str | None = None,
    align: str | None = None,
    size_pt: float | None = None,
    bold: bool = False,
    italic: bool = False,
    extra_ppr: str = "",
) -> str:
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    ppr += extra_ppr
    if align:
        ppr += f'<w:jc w:val="{align}"/>'
    body = run(text, size_pt, bold, italic) if text else ""
    return f"<w:p><w:pPr>{ppr}</w:pPr>{body}</w:p>"


def rule_paragraph(rule_twips: int, box_twips: int, after_twips: int = 0) -> Markup:
    """An empty paragraph whose bottom border is a centred solid rule ``rule_twips`` long.

    The paragraph sits in a box (a table cell or the text column) ``box_twips``
    wide; its left and right indents shrink the border to the wanted length.
    Its line is exactly 6 pt high: the rule sits a little under the text above it.
    """
    indent = max(0, (box_twips - rule_twips) // 2)
    ppr = (
        '<w:pStyle w:val="VBRule"/>'
        '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/></w:pBdr>'
        f'<w:spacing w:before="0" w:after="{after_twips}" w:line="120" w:lineRule="exact"/>'
        f'<w:ind w:left="{indent}" w:right="{indent}" w:firstLine="0"/>'
        '<w:jc w:val="center"/>'
    )
    return Markup(f'<w:p><w:pPr>{ppr}<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>')


def plain_table(widths: list[int], rows: list[list[str]]) -> Markup:
    """A borderless table, centred, one row per item of ``rows`` holding each cell's paragraphs (XML)."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/>'
        '<w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>",
    ]
    for row in rows:
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        out += [f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{xml}</w:tc>' for w, xml in zip(widths, row)]
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return Markup("".join(out))


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    align: str = "left"  # body cells: left | center | both
    min_share: float = 0.0  # the least part of the table's width the column keeps ("Nhiệm vụ cụ thể": 35 %)


CELL_MARGIN = rules.mm(1.75)  # text stands 1.75 mm off the cell borders, left and right
SHORT_LINES = (3400, 2900, 2400, 2000, 1500)  # twips: names in centred columns kept whole, if room
SHORT_TEXT = 1400  # twips: elsewhere a line this short stays whole ("Quý IV/2025")


_WORD_BREAKS = re.compile(r"[ \t\n]+")  # where a line may break: not at a no-break space (a name held whole)
NBSP = "\u00a0"
_HELD = re.compile(r"[^ \t\n]*\u00a0[^ \t\n]*")  # a piece of text no line may break inside


def _measure(paras: list[str], size: float, bold: bool) -> list[tuple[int, int | None]]:
    """Per paragraph: its width as one line, and the width of its widest word, words joined by no-break
    spaces counted as one (None: no word)."""
    out = []
    for p in paras:
        whole = text_width_twips(p, size, bold)
        words = max((text_width_twips(w, size, bold) for w in _WORD_BREAKS.split(p) if w), default=None)
        out.append((whole, words))
    return out


def fit_widths(columns: list[Column], rows: list[list[list[str]]], total: int, size: float,
               header_size: float) -> list[int]:
    """Column widths: the proportions of ``width_mm``, widened so that no column is narrower than
    what it must hold unbroken (short names and dates whole, the longest word elsewhere), the
    room taken from the columns that have some to spare; names in centred columns are kept whole
    up to the longest length that leaves every column at least 80 % of its share. Sums to ``total``."""
    total_mm = sum(c.width_mm for c in columns)
    base = [int(total * c.width_mm / total_mm) for c in columns]
    titles = [max((text_width_twips(w, header_size, True) for w in c.title.split()), default=None) for c in columns]
    cells = [[m for row in rows for m in _measure(row[i], size, False)] for i in range(len(columns))]
    for short in SHORT_LINES:
        need = _needs(columns, titles, cells, short)
        widths = _widen(base, need, total)
        if all(w >= 0.8 * b for w, b in zip(widths, base)):
            break
    return _floors(columns, widths, total, (need, _needs(columns, titles, cells, 0)))


def _floors(columns: list[Column], widths: list[int], total: int, needs: tuple[list[int], ...]) -> list[int]:
    """A column below its ``min_share`` of ``total`` widened to it (a task column that no short names
    may squeeze), the room taken from what the others have beyond what they need: beyond their short
    lines kept whole if that is enough, else beyond their unbreakable words (a name held whole keeps
    its room), else that and the rest in proportion to their widths (``table`` then lets a held name
    that no longer fits break between its words)."""
    floor = [int(total * c.min_share) for c in columns]
    short = sum(max(0, f - w) for f, w in zip(floor, widths))
    if not short:
        return widths
    for need in needs:
        spare = [0 if f else max(0, w - n) for f, w, n in zip(floor, widths, need)]
        if sum(spare) >= short:
            out = [max(f, w) if f else w - -(-short * s // sum(spare)) for f, w, s in zip(floor, widths, spare)]
            break
    else:  # all the room beyond the unbreakable words, the rest from the others in proportion to their widths
        left = short - sum(spare)
        cut = [w - s for w, s in zip(widths, spare)]
        rest = sum(c for f, c in zip(floor, cut) if not f)
        out = [max(f, w) if f else c - left * c // rest for f, w, c in zip(floor, widths, cut)]
    out[-1] += total - sum(out)
    return out


def _needs(columns: list[Column], titles: list[int | None], cells: list[list[tuple[int, int | None]]],
           short: int) -> list[int]:
    """What each column must hold unbroken: its title's widest word; per paragraph of its cells,
    the paragraph whole when it is no wider than ``short`` (else its widest word)."""
    need = []
    for col, title, measured in zip(columns, titles, cells):
        keep = short if col.align == "center" else min(short, SHORT_TEXT)
        atoms = [title] + [whole if whole <= keep else word for whole, word in measured]
        need.append(max((a for a in atoms if a is not None), default=0) + 2 * CELL_MARGIN + 40)
    return need


def _widen(base: list[int], need: list[int], total: int) -> list[int]:
    widths = [max(b, n) for b, n in zip(base, need)]
    excess = sum(widths) - total
    spare = [max(0, w - n) for w, n in zip(widths, need)]
    if excess > 0 and sum(spare) >= excess:
        widths = [w - excess * s // sum(spare) for w, s in zip(widths, spare)]
    elif excess > 0:
        widths = [total * n // sum(need) for n in need]
    widths[-1] += total - sum(widths)  # rounding goes to the last column
    return widths


def table(columns: list[Column], rows: list[list[list[str]]], total_twips: int,
          size_pt: float = 12, header_size_pt: float | None = None,
          bold_rows: frozenset[int] | set[int] = frozenset(),
          headings: frozenset[int] | set[int] = frozenset(),
          groups: list[str | None] | None = None, widths: list[int] | None = None) -> Markup:
    """A bordered table with explicit widths in both ``tblGrid`` and every cell.

    ``rows`` holds, per row, per cell, the paragraphs of that cell; the rows
    whose index is in ``bold_rows`` (subtotals, totals) are bold. A row whose index
    is in ``headings`` is a group's heading: its number, then its title in one cell
    across the other columns, bold, kept on the page of the row below it. The header
    row repeats on every page; no row breaks across a page. ``groups`` (one per column, or
    None) puts a merged header cell above each run of columns of the same group: the header is
    then two rows, the columns without a group merged down both (``vMerge``). ``widths``: a grid fitted
    for several tables at once (``fit_widths`` over all their rows), else this one's.
    """
    header_size_pt = header_size_pt or size_pt
    if widths is None:
        measured = [row for ri, row in enumerate(rows) if ri not in headings]  # a heading spans the row
        widths = fit_widths(columns, measured, total_twips, size_pt, header_size_pt)
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [
        "<w:tbl><w:tblPr>",
        f'<w:tblW w:w="{total_twips}" w:type="dxa"/><w:jc w:val="center"/>',
        f"<w:tblBorders>{borders}</w:tblBorders>",
        '<w:tblLayout w:type="fixed"/>',
        f'<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="{CELL_MARGIN}" w:type="dxa"/>'
        f'<w:bottom w:w="40" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>',
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>',
        "</w:tblPr><w:tblGrid>",
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]

    def cell(paras: list[str], width: int, align: str, bold: bool, size: float, span: int = 1,
             keep: str = "") -> str:
        body = "".join(
            paragraph(_released(p, width - 2 * CELL_MARGIN, size, bold), style="VBTableText", align=align,
                      size_pt=size, bold=bold, extra_ppr=keep) for p in paras
        ) or paragraph("", style="VBTableText", extra_ppr=keep)
        spans = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{spans}<w:vAlign w:val="center"/></w:tcPr>'
            f"{body}</w:tc>"
        )

    out += _group_header(columns, widths, groups or [None] * len(columns), header_size_pt)
    for ri, row in enumerate(rows):
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        if ri in headings:  # "I" | "Cải cách thể chế" across the rest of the row
            keep = "<w:keepNext/>"  # Word and LibreOffice keep the row with the next one
            out.append(cell(row[0], widths[0], columns[0].align, True, size_pt, keep=keep))
            out.append(cell(row[1], sum(widths[1:]), "left", True, size_pt, span=len(columns) - 1, keep=keep))
        else:
            for col, width, paras in zip(columns, widths, row):
                out.append(cell(paras, width, col.align, ri in bold_rows, size_pt))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return Markup("".join(out))


def _released(text: str, room: int, size: float, bold: bool) -> str:
    """``text`` with each name held whole (words joined by no-break spaces) that is wider than the
    cell's ``room`` let go again: it breaks between its words rather than inside one."""
    if NBSP not in text:
        return text
    return _HELD.sub(lambda m: m.group(0).replace(NBSP, " ")
                     if text_width_twips(m.group(0), size, bold) > room else m.group(0), text)


def _header_cell(text: str, width: int, size: float, extra: str = "") -> str:
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{extra}<w:vAlign w:val="center"/></w:tcPr>'
            + paragraph(text, style="VBTableText", align="center", size_pt=size, bold=True) + "</w:tc>")


def _group_header(columns: list[Column], widths: list[int], groups: list[str | None], size: float) -> list[str]:
    """The header row; with groups, two: a group's title across its columns above their own titles, a
    column without a group spanning both rows (merged down)."""
    head = '<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>'
    if not any(groups):
        return [head, *(_header_cell(c.title, w, size) for c, w in zip(columns, widths)), "</w:tr>"]
    top, bottom = [], []
    i = 0
    while i < len(columns):
        g = groups[i]
        if g is None:
            top.append(_header_cell(columns[i].title, widths[i], size, '<w:vMerge w:val="restart"/>'))
            bottom.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[i]}" w:type="dxa"/><w:vMerge/>'
                          '<w:vAlign w:val="center"/></w:tcPr>' + paragraph("", style="VBTableText") + "</w:tc>")
            i += 1
            continue
        j = i
        while j < len(columns) and groups[j] == g:
            bottom.append(_header_cell(columns[j].title, widths[j], size))
            j += 1
        span = f'<w:gridSpan w:val="{j - i}"/>' if j - i > 1 else ""
        top.append(_header_cell(g, sum(widths[i:j]), size, span))
        i = j
    return [head, *top, "</w:tr>", head, *bottom, "</w:tr>"]
