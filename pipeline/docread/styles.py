"""The formatting layer: what Word shows for a run or a paragraph, resolved as Word resolves it.

A property comes from the nearest place that sets it: the run's own ``rPr``,
its character style (and that style's ``basedOn`` chain), the paragraph's
style chain (the default paragraph style when none is named), the table's
style chain for text in a table, then ``docDefaults``. Attributes of
``w:ind``/``w:spacing`` merge slot by slot, as do the font slots of
``w:rFonts``. A theme font (``minorHAnsi``) is looked up in the theme part.
Font names written with their style variant ("Times New Roman Bold") are
reduced to their family.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from pipeline.docread import limits
from pipeline.docread.xmlparts import A, W, child, on, val

WORD_DEFAULT_FONT = "Times New Roman"  # what Word uses when no level names a font
WORD_DEFAULT_SIZE = 10.0  # pt, when no level sets w:sz
MAX_HALF_POINTS = 3276  # Word's largest font size, 1638 pt
MAX_FONT_NAME = 64
MAX_CHAIN = 64  # styles in a basedOn chain that are read (a real one has a handful): a cost bounded per run
_VARIANT = re.compile(r"(\s+|,)(bold|italic|regular|oblique|đậm|nghiêng|bold italic|italic bold)$", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def font_family(name: str) -> str:
    """'Times New Roman Bold' -> 'Times New Roman'; 'TimesNewRomanPSMT' -> 'Times New Roman'. A name is read up
    to ``MAX_FONT_NAME`` characters (Windows' own limit is 31)."""
    name = name.strip()[:MAX_FONT_NAME]
    while True:
        shorter = _VARIANT.sub("", name).strip()
        if shorter == name:
            break
        name = shorter
    if re.fullmatch(r"TimesNewRoman(PS)?(MT)?(-\w+)?", name):
        return "Times New Roman"
    return name


@dataclass(frozen=True)
class Font:
    family: str  # the family Word uses for the run's Latin text
    written: str  # as written in the file (a theme slot is shown as "minorHAnsi → Calibri")
    source: str  # "run", "style", "defaults", "theme", "word-default"


class Formatting:
    """Effective run and paragraph properties of one document part (body, header …)."""

    def __init__(self, styles_el, theme_el=None):
        self.by_id = {}
        self.default_para = None
        self.rpr_default = self.ppr_default = None
        if styles_el is not None:
            for s in styles_el.findall(W + "style"):
                self.by_id[s.get(W + "styleId")] = s
                if s.get(W + "type") == "paragraph" and s.get(W + "default") in ("1", "true", "on"):
                    self.default_para = s
            defaults = styles_el.find(W + "docDefaults")
            if defaults is not None:
                self.rpr_default = defaults.find(f"{W}rPrDefault/{W}rPr")
                self.ppr_default = defaults.find(f"{W}pPrDefault/{W}pPr")
        self.theme = _theme_fonts(theme_el)
        self._chains: dict[tuple, tuple[list, list]] = {}  # (style id, table style) -> (pPr, rPr) of its styles
        self._names: dict[str | None, str | None] = {}  # style id -> its name
        self._merged: dict[tuple, tuple] = {}  # (style id, table style) -> its styles' para_props

    # ------------------------------------------------------------ chains
    def chain(self, style_id, default=None):
        """The style named ``style_id`` and its ``basedOn`` ancestors, nearest first (``MAX_CHAIN`` at most)."""
        seen = set()
        style = self.by_id.get(style_id) if style_id else default
        while style is not None and id(style) not in seen and len(seen) < MAX_CHAIN:
            seen.add(id(style))
            yield style
            style = self.by_id.get(val(style.find(W + "basedOn")))

    def style_name(self, style_id) -> str | None:
        if style_id not in self._names:
            s = self.by_id.get(style_id) if style_id else self.default_para
            self._names[style_id] = val(child(s, W + "name")) if s is not None else None
        return self._names[style_id]

    def from_styles(self, style_id, table_style=None) -> tuple[list, list]:
        """The properties (``props``) of the pPr and of the rPr of a paragraph style's chain (``style_id``;
        None: the default paragraph style), of its table style's chain and of the defaults, nearest first:
        worked out once per style."""
        got = self._chains.get((style_id, table_style))
        if got is None:
            styles = list(self.chain(style_id, self.default_para)) + (list(self.chain(table_style)) if table_style
                                                                       else [])
            got = self._chains[(style_id, table_style)] = (
                [props(x) for x in [s.find(W + "pPr") for s in styles] + [self.ppr_default] if x is not None],
                [props(x) for x in [s.find(W + "rPr") for s in styles] + [self.rpr_default] if x is not None])
        return got

    def para_props(self, own, style_id, table_style=None) -> tuple[dict, dict, dict, object, object]:
        """A paragraph's ``w:ind``, ``w:spacing`` and ``w:jc`` attributes merged nearest first, and its nearest
        ``w:numPr`` and ``w:pBdr``: ``own`` (its pPr's ``props``, or None) over its styles', which are merged
        once per style."""
        key = ("p", style_id, table_style)
        if key not in self._merged:
            self._merged[key] = _merge(self.from_styles(style_id, table_style)[0])
        styled = self._merged[key]
        if own is None or not (_IND in own or _SPACING in own or _JC in own or _NUMPR in own or _PBDR in own):
            return styled
        ind, spacing, jc = (_attrs(own.get(tag)) for tag in (_IND, _SPACING, _JC))
        num_pr, p_bdr = own.get(_NUMPR), own.get(_PBDR)
        return ({**styled[0], **ind} if ind else styled[0], {**styled[1], **spacing} if spacing else styled[1],
                {**styled[2], **jc} if jc else styled[2], styled[3] if num_pr is None else num_pr,
                styled[4] if p_bdr is None else p_bdr)

    def run_places(self, r_el, style_rprs: list) -> list:
        """Where a run's properties come from, nearest first: its own rPr, its character style's chain, then
        ``style_rprs`` (its paragraph's ``from_styles``)."""
        rpr = child(r_el, W + "rPr")
        if rpr is None:
            return style_rprs
        own = props(rpr)
        rs = val(own.get(W + "rStyle"))
        if not rs:
            return [own, *style_rprs]
        if ("r", rs) not in self._chains:
            self._chains[("r", rs)] = ([], [props(x) for x in (s.find(W + "rPr") for s in self.chain(rs))
                                            if x is not None])
        return [own, *self._chains[("r", rs)][1], *style_rprs]

    def rpr_places(self, p_el, r_el, table_style=None):
        """Where a run's properties may come from, nearest first (Word's order); with no run, the paragraph
        mark's."""
        style_rprs = self.from_styles(val(p_el.find(f"{W}pPr/{W}pStyle")), table_style)[1]
        if r_el is not None:
            return self.run_places(r_el, style_rprs)
        mark = p_el.find(f"{W}pPr/{W}rPr")
        return [props(mark), *style_rprs] if mark is not None else style_rprs

    def ppr_places(self, p_el, table_style=None):
        ppr = p_el.find(W + "pPr")
        own = props(ppr) if ppr is not None else None
        styles = self.from_styles(val(own.get(W + "pStyle")) if own is not None else None, table_style)[0]
        return [own, *styles] if own is not None else styles

    # ------------------------------------------------------------ runs
    def run_flag(self, places, tag: str) -> bool:
        for rpr in places:
            got = on(rpr.get(W + tag))
            if got is not None:
                return got
        return False

    def run_size(self, places) -> float:
        """The size in points (``w:sz`` counts half-points); a size that is not a number is not set there."""
        for rpr in places:
            sz = limits.number(val(rpr.get(W + "sz")))
            if sz is not None:
                return int(min(max(sz, 0), MAX_HALF_POINTS)) / 2
        return WORD_DEFAULT_SIZE

    def font_and_size(self, places, text: str):
        """A function giving the run's (family, as written, where from, size): what ``Run`` asks when it needs it."""
        def resolve() -> tuple[str, str, str, float]:
            font = self.run_font(places, text)
            return font.family, font.written, font.source, self.run_size(places)
        return resolve

    def run_font(self, places, text: str = "") -> Font:
        """The font of the run's Latin text: the ``ascii`` slot, or ``hAnsi`` for letters past ASCII
        (Vietnamese letters with their marks), each slot resolved on its own."""
        slot = "ascii" if text.isascii() else "hAnsi"
        for level, rpr in enumerate(places):
            rf = rpr.get(W + "rFonts")
            if rf is None:
                continue
            theme = rf.get(W + slot + "Theme")
            if theme:
                face = self.theme.get("major" if theme.startswith("major") else "minor") or theme
                return Font(font_family(face), f"{theme} → {face}", "theme")
            name = rf.get(W + slot)
            if name:
                src = "run" if level == 0 else ("defaults" if rpr.element is self.rpr_default else "style")
                return Font(font_family(name), name, src)
        return Font(WORD_DEFAULT_FONT, "(không ghi)", "word-default")

    # ------------------------------------------------------------ paragraphs
    def para_attrs(self, p_el, tag: str, table_style=None, places=None) -> dict[str, str]:
        """Attributes of ``tag`` ('ind', 'spacing', 'jc') merged nearest first, without the w: prefix;
        ``places``: the paragraph's ``ppr_places`` when the caller has them already."""
        found: dict[str, str] = {}
        for ppr in self.ppr_places(p_el, table_style) if places is None else places:
            el = ppr.get(W + tag)
            if el is not None:
                for k, v in el.items():
                    found.setdefault(k[_W_LEN:] if k.startswith(W) else k, v)
        return found

    def para_element(self, p_el, tag: str, table_style=None, places=None):
        """The nearest ``tag`` element (e.g. 'pBdr', 'numPr') of the paragraph."""
        for ppr in self.ppr_places(p_el, table_style) if places is None else places:
            el = ppr.get(W + tag)
            if el is not None:
                return el
        return None


_W_LEN = len(W)
_IND, _SPACING, _JC, _NUMPR, _PBDR = W + "ind", W + "spacing", W + "jc", W + "numPr", W + "pBdr"


def _attrs(el) -> dict[str, str]:
    """An element's attributes without the w: prefix (an empty dict for no element)."""
    return {} if el is None else {k[_W_LEN:] if k.startswith(W) else k: v for k, v in el.items()}


def _merge(places: list) -> tuple[dict, dict, dict, object, object]:
    """``para_props`` of a list of pPr ``props``, nearest first."""
    ind: dict[str, str] = {}
    spacing: dict[str, str] = {}
    jc: dict[str, str] = {}
    num_pr = p_bdr = None
    for ppr in places:
        for tag, found in ((_IND, ind), (_SPACING, spacing), (_JC, jc)):
            el = ppr.get(tag)
            if el is not None:
                for k, v in el.items():
                    found.setdefault(k[_W_LEN:] if k.startswith(W) else k, v)
        num_pr = ppr.get(_NUMPR) if num_pr is None else num_pr
        p_bdr = ppr.get(_PBDR) if p_bdr is None else p_bdr
    return ind, spacing, jc, num_pr, p_bdr


class Props(dict):
    """The children of a pPr or rPr by tag (the first of each, as ``find`` gives it): one pass over them
    instead of one search per property; ``element`` is the pPr or rPr itself."""

    __slots__ = ("element",)
    element: Any


def props(el) -> Props:
    out = Props((c.tag, c) for c in reversed(el))
    out.element = el
    return out


def _theme_fonts(theme_el) -> dict[str, str]:
    out: dict[str, str] = {}
    if theme_el is None:
        return out
    for kind in ("major", "minor"):
        latin = theme_el.find(f".//{A}{kind}Font/{A}latin")
        if latin is not None and latin.get("typeface"):
            out[kind] = latin.get("typeface")
    return out
