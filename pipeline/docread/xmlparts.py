"""The XML layer: namespaces and the few walks every other layer needs.

Nothing here knows the decree. ``iter_block_items`` walks a body (or a header,
a table cell) in reading order the way Word lays it out: paragraphs, tables
and their rows and cells, and the content of content controls (``w:sdt``) and
tracked insertions, which Word shows as ordinary text.
"""

from __future__ import annotations

from typing import Iterator

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
V = "{urn:schemas-microsoft-com:vml}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

EMU_PER_TWIP = 635
TWIPS_PER_PT = 20

TRANSPARENT = frozenset({W + "sdt", W + "sdtContent", W + "ins", W + "customXml", W + "smartTag", W + "hyperlink",
                         W + "fldSimple"})


def child(el, tag: str):
    """The first child of ``el`` with ``tag``, or None: ``el.find(tag)`` without lxml's path machinery (several
    times faster, on the paths every paragraph takes)."""
    for c in el.iterchildren(tag):
        return c
    return None


def val(el, attr: str = "val", default=None):
    """``w:val`` (or another w: attribute) of ``el``; ``default`` when ``el`` is None or lacks it."""
    if el is None:
        return default
    return el.get(W + attr, default)


def on(el) -> bool | None:
    """An on/off property (``<w:b/>``, ``<w:b w:val="0"/>``): None when not set here."""
    if el is None:
        return None
    return el.get(W + "val", "true") not in ("0", "false", "off", "none")


def text_of(p_el) -> str:
    """A paragraph's text as Word shows it: a manual line break (Shift+Enter) is a newline, a tab a tab.

    Deleted text (tracked ``w:del``) and the fallback copy of a drawing (``mc:Fallback``) are skipped;
    text inside text boxes is not the paragraph's own and is skipped too.
    """
    out: list[str] = []
    _collect(p_el, out)
    return "".join(out)


_SKIPPED = frozenset((W + "del", MC + "Fallback", W + "drawing", W + "pict", W + "txbxContent", W + "pPr", W + "rPr"))
_T, _BREAKS, _TAB, _HYPHEN, _R = W + "t", (W + "br", W + "cr"), W + "tab", W + "noBreakHyphen", W + "r"
_THROUGH = TRANSPARENT | {MC + "AlternateContent"}
_BLOCKS, _OPENED = (W + "p", W + "tbl"), (W + "sdt", W + "sdtContent", W + "customXml", W + "ins")


def _collect(el, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == _T:
            out.append(child.text or "")
        elif tag in _BREAKS:
            if child.get(W + "type") in (None, "textWrapping"):
                out.append("\n")
        elif tag == _TAB:
            out.append("\t")
        elif tag == _HYPHEN:
            out.append("-")
        else:
            _collect(child, out)


def runs_of(p_el) -> Iterator:
    """The paragraph's own runs, through hyperlinks, content controls and insertions (not deletions,
    not text boxes)."""
    for child in p_el:
        if child.tag == _R:
            yield child
        elif child.tag in _THROUGH:
            yield from runs_of(child)


def run_text(r_el) -> str:
    return "".join(t.text or "" for t in r_el.iterchildren(_T))


def iter_block_items(container) -> Iterator:
    """Paragraphs and tables directly in ``container`` (body, cell, header), content controls opened."""
    for child in container:
        if child.tag in _BLOCKS:
            yield child
        elif child.tag in _OPENED:
            yield from iter_block_items(child)
