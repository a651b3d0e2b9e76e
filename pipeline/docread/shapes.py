"""Rules (horizontal lines) as real files draw them.

Four forms are read:

- ``border``: a paragraph border (top or bottom) — Word's "Borders" button, vanban's own form;
- ``drawingml``: a DrawingML shape (``wps:wsp``) whose geometry is a line or straight connector,
  or any shape at most 3 pt high; inline or anchored. Its length is ``wp:extent/@cx``;
- ``vml``: the legacy form (``v:line``, a straight-connector ``v:shape``, a flat ``v:rect``), alone
  or as the fallback of a DrawingML shape. Its length comes from ``from``/``to`` or ``width``;
- ``underscores``: a paragraph of underscores ("________"), as the decree's own text has it.

Pictures and text boxes are not rules. A DrawingML shape and its VML fallback count once.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.docread import limits
from pipeline.docread.xmlparts import EMU_PER_TWIP, MC, PIC, V, W, WP, text_of

FLAT_EMU = 38100  # 3 pt: a shape no higher than this is drawn as a line
MAX_EMU = 2**40  # far beyond any page: a larger (or unreadable) extent is none


@dataclass(frozen=True)
class LineShape:
    kind: str  # "drawingml", "vml", "border", "underscores"
    length: int | None  # twips, when the file gives the geometry
    anchored: bool = False  # floating (wp:anchor / position:absolute) rather than in the line of text
    offset_x: int | None = None  # twips from the anchor's column/paragraph start, when given

    def words(self) -> str:
        names = {"drawingml": "đường kẻ vẽ (DrawingML)", "vml": "đường kẻ vẽ (VML)",
                 "border": "đường viền đoạn văn", "underscores": "dòng gạch dưới “____”"}
        return names[self.kind]


def _pt(value: str | None) -> float | None:
    return limits.points(value)


def _emu(value: str | None) -> int:
    """A DrawingML length (EMU); 0 when it is not a number or is beyond any page."""
    return limits.integer(value, 0, -MAX_EMU, MAX_EMU)


def _point(xy: str) -> tuple[float, float] | None:
    """A VML point "x,y" in points; None unless it is two lengths."""
    xs = [_pt(c) for c in xy.split(",")]
    if len(xs) != 2 or xs[0] is None or xs[1] is None:
        return None
    return xs[0], xs[1]


def _style(style: str) -> dict[str, str]:
    return {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in (style or "").split(";")) if k}


def drawingml_lines(p_el) -> list[LineShape]:
    out = []
    for d in p_el.iter(W + "drawing"):
        if any(True for _ in d.iter(PIC + "pic")) or any(isinstance(x.tag, str) and x.tag.endswith("}txbx")
                                                          for x in d.iter()):
            continue
        frame = next((x for x in d if x.tag in (WP + "anchor", WP + "inline")), None)
        ext = frame.find(WP + "extent") if frame is not None else None
        if frame is None or ext is None:
            continue
        cx, cy = _emu(ext.get("cx")), _emu(ext.get("cy"))
        geom = next((x.get("prst") for x in d.iter() if isinstance(x.tag, str) and x.tag.endswith("}prstGeom")), None)
        is_line = geom in ("line", "straightConnector1") or any(
            isinstance(x.tag, str) and x.tag.endswith("}cxnSp") for x in d.iter())
        if not is_line and not (cy <= FLAT_EMU and cx > 4 * cy):
            continue
        if cy > cx:  # a vertical line is no rule
            continue
        off = frame.find(f"{WP}positionH/{WP}posOffset")
        out.append(LineShape("drawingml", round(cx / EMU_PER_TWIP) if cx else None, frame.tag == WP + "anchor",
                             round(_emu(off.text) / EMU_PER_TWIP) if off is not None and off.text else None))
    return out


def vml_lines(p_el) -> list[LineShape]:
    out = []
    for pict in p_el.iter(W + "pict"):
        if not _outside_fallback(pict):
            continue  # the VML copy of a DrawingML shape (mc:Fallback): read once, as DrawingML
        for x in pict.iter(V + "line", V + "shape", V + "rect"):
            st = _style(x.get("style", ""))
            anchored = st.get("position") == "absolute"
            if x.tag == V + "line":
                a, b = _point(x.get("from") or "0,0"), _point(x.get("to") or "0,0")
                if a is None or b is None:
                    out.append(LineShape("vml", None, anchored))
                    continue
                dx, dy = abs(b[0] - a[0]), abs(b[1] - a[1])
                if dy <= dx:
                    out.append(LineShape("vml", round(dx * 20) or None, anchored, round(min(a[0], b[0]) * 20)))
                continue
            w, h = _pt(st.get("width")), _pt(st.get("height"))
            connector = "_x0000_t32" in (x.get("type") or "") or x.get(
                "{urn:schemas-microsoft-com:office:office}connectortype") == "straight"
            if (connector and (h is None or w is None or h <= (w or 0))) or (h is not None and h <= 3 and (w or 0) > h):
                left = _pt(st.get("margin-left"))
                out.append(LineShape("vml", round(w * 20) if w else None, anchored,
                                     round(left * 20) if left is not None else None))
    return out


def line_shapes(p_el) -> list[LineShape]:
    """The drawn lines anchored in paragraph ``p_el``; a VML copy of a DrawingML line counts once."""
    dml = drawingml_lines(p_el)
    vml = vml_lines(p_el)
    for d in dml:  # LibreOffice writes a line twice (drawing, then pict) without mc:AlternateContent
        twin = next((v for v in vml if v.length is None or d.length is None
                     or abs(v.length - d.length) <= max(20, 0.05 * d.length)), None)
        if twin is not None:
            vml.remove(twin)
    return dml + vml


def is_underscore_rule(p_el) -> bool:
    t = text_of(p_el).strip()
    return len(t) >= 3 and set(t) <= {"_"}


def border_sides(p_bdr) -> set[str]:
    """The drawn sides of a ``w:pBdr`` ('top', 'bottom', …), leaving out 'none'/'nil'."""
    if p_bdr is None:
        return set()
    return {c.tag.replace(W, "") for c in p_bdr if isinstance(c.tag, str) and c.get(W + "val") not in (None, "none", "nil")}


def _outside_fallback(pict) -> bool:
    el = pict.getparent()
    while el is not None:
        if el.tag == MC + "Fallback":
            return False
        el = el.getparent()
    return True
