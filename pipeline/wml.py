"""Small builders of WordprocessingML (the XML inside a .docx).

Used where a piece of a document is made in code rather than typed into a
template: the short rules of the header block and the tables. The output is
inserted by docxtpl with ``{{p ...}}`` (it replaces that paragraph), so every
builder returns a ``Markup`` string that autoescaping leaves alone; all text
that goes into it is escaped here.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from markupsafe import Markup

FONT = "Times New Roman"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


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
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
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


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    align: str = "left"  # body cells: left | center | both


def table(columns: list[Column], rows: list[list[list[str]]], total_twips: int,
          size_pt: float = 12, header_size_pt: float | None = None,
          bold_rows: frozenset[int] | set[int] = frozenset()) -> Markup:
    """A bordered table with explicit widths in both ``tblGrid`` and every cell.

    ``rows`` holds, per row, per cell, the paragraphs of that cell; the rows
    whose index is in ``bold_rows`` (subtotals, totals) are bold. The header
    row repeats on every page; no row breaks across a page.
    """
    header_size_pt = header_size_pt or size_pt
    total_mm = sum(c.width_mm for c in columns)
    widths = [int(total_twips * c.width_mm / total_mm) for c in columns]
    widths[-1] += total_twips - sum(widths)  # rounding goes to the last column
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [
        "<w:tbl><w:tblPr>",
        f'<w:tblW w:w="{total_twips}" w:type="dxa"/><w:jc w:val="center"/>',
        f"<w:tblBorders>{borders}</w:tblBorders>",
        '<w:tblLayout w:type="fixed"/>',
        '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
        '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>',
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>',
        "</w:tblPr><w:tblGrid>",
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]

    def cell(paras: list[str], width: int, align: str, bold: bool, size: float) -> str:
        body = "".join(
            paragraph(p, style="VBTableText", align=align, size_pt=size, bold=bold) for p in paras
        ) or paragraph("", style="VBTableText")
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            f"{body}</w:tc>"
        )

    out.append('<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>')
    for col, width in zip(columns, widths):
        out.append(cell([col.title], width, "center", True, header_size_pt))
    out.append("</w:tr>")
    for ri, row in enumerate(rows):
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for col, width, paras in zip(columns, widths, row):
            out.append(cell(paras, width, col.align, ri in bold_rows, size_pt))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return Markup("".join(out))
