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

import re
from dataclasses import dataclass

from pipeline.docread.xmlparts import A, W, on, val

WORD_DEFAULT_FONT = "Times New Roman"  # what Word uses when no level names a font
WORD_DEFAULT_SIZE = 10.0  # pt, when no level sets w:sz
_VARIANT = re.compile(r"(\s+|,)(bold|italic|regular|oblique|đậm|nghiêng|bold italic|italic bold)$", re.IGNORECASE)


def font_family(name: str) -> str:
    """'Times New Roman Bold' -> 'Times New Roman'; 'TimesNewRomanPSMT' -> 'Times New Roman'."""
    name = name.strip()
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

    # ------------------------------------------------------------ chains
    def chain(self, style_id, default=None):
        """The style named ``style_id`` and its ``basedOn`` ancestors, nearest first."""
        seen = set()
        style = self.by_id.get(style_id) if style_id else default
        while style is not None and id(style) not in seen:
            seen.add(id(style))
            yield style
            style = self.by_id.get(val(style.find(W + "basedOn")))

    def style_name(self, style_id) -> str | None:
        s = self.by_id.get(style_id) if style_id else self.default_para
        return val(s.find(W + "name")) if s is not None else None

    def _para_styles(self, p_el, table_style=None):
        out = list(self.chain(val(p_el.find(f"{W}pPr/{W}pStyle")), self.default_para))
        if table_style:
            out += list(self.chain(table_style))
        return out

    def rpr_places(self, p_el, r_el, table_style=None):
        """Where a run's properties may come from, nearest first (Word's order)."""
        places = [r_el.find(W + "rPr")] if r_el is not None else [p_el.find(f"{W}pPr/{W}rPr")]
        rs = val(r_el.find(f"{W}rPr/{W}rStyle")) if r_el is not None else None
        if rs:
            places += [s.find(W + "rPr") for s in self.chain(rs)]
        places += [s.find(W + "rPr") for s in self._para_styles(p_el, table_style)]
        places.append(self.rpr_default)
        return [x for x in places if x is not None]

    def ppr_places(self, p_el, table_style=None):
        places = [p_el.find(W + "pPr")] + [s.find(W + "pPr") for s in self._para_styles(p_el, table_style)]
        places.append(self.ppr_default)
        return [x for x in places if x is not None]

    # ------------------------------------------------------------ runs
    def run_flag(self, places, tag: str) -> bool:
        for rpr in places:
            got = on(rpr.find(W + tag))
            if got is not None:
                return got
        return False

    def run_size(self, places) -> float:
        for rpr in places:
            sz = val(rpr.find(W + "sz"))
            if sz is not None:
                try:
                    return int(float(sz)) / 2
                except ValueError:
                    continue
        return WORD_DEFAULT_SIZE

    def run_font(self, places, text: str = "") -> Font:
        """The font of the run's Latin text: the ``ascii`` slot, or ``hAnsi`` for letters past ASCII
        (Vietnamese letters with their marks), each slot resolved on its own."""
        slot = "hAnsi" if any(ord(c) > 127 for c in text) else "ascii"
        for level, rpr in enumerate(places):
            rf = rpr.find(W + "rFonts")
            if rf is None:
                continue
            theme = rf.get(W + slot + "Theme")
            if theme:
                face = self.theme.get("major" if theme.startswith("major") else "minor") or theme
                return Font(font_family(face), f"{theme} → {face}", "theme")
            name = rf.get(W + slot)
            if name:
                src = "run" if level == 0 else ("defaults" if rpr is self.rpr_default else "style")
                return Font(font_family(name), name, src)
        return Font(WORD_DEFAULT_FONT, "(không ghi)", "word-default")

    # ------------------------------------------------------------ paragraphs
    def para_attrs(self, p_el, tag: str, table_style=None) -> dict[str, str]:
        """Attributes of ``tag`` ('ind', 'spacing', 'jc') merged nearest first, without the w: prefix."""
        found: dict[str, str] = {}
        for ppr in self.ppr_places(p_el, table_style):
            el = ppr.find(W + tag)
            if el is not None:
                for k, v in el.attrib.items():
                    found.setdefault(k.replace(W, ""), v)
        return found

    def para_element(self, p_el, tag: str, table_style=None):
        """The nearest ``tag`` element (e.g. 'pBdr', 'numPr') of the paragraph."""
        for ppr in self.ppr_places(p_el, table_style):
            el = ppr.find(W + tag)
            if el is not None:
                return el
        return None


def _theme_fonts(theme_el) -> dict[str, str]:
    out: dict[str, str] = {}
    if theme_el is None:
        return out
    for kind in ("major", "minor"):
        latin = theme_el.find(f".//{A}{kind}Font/{A}latin")
        if latin is not None and latin.get("typeface"):
            out[kind] = latin.get("typeface")
    return out
