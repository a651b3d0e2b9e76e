"""Widths of text set in Times New Roman, for the generator and the reader alike.

The widths are Liberation Serif's advance widths (metrically identical to Times
New Roman), stored with vanban in ``pipeline/data/tnr_widths.json``. The
generator sizes rules and balances titles with them; ``vanban check`` measures a
document's rules against the text above them. (Tests measure with the font file
itself, ``tests/helpers/font_metrics.py``, so they do not trust this table.)

A build measures the same words thousands of times (every table cell, every
title), so each character's width and each text's width are remembered.
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _metrics() -> dict:
    with resources.files("pipeline").joinpath("data/tnr_widths.json").open(encoding="utf-8") as f:
        return json.load(f)


class _CharUnits(dict):
    """Font units of each character in one style, filled as characters are met.

    A character counts as the letters of its canonical decomposition without the
    marks ("ế" is "e"); a letter the table lacks counts as "n"; a no-break space is
    a space. Adding up the characters of a text gives what decomposing the whole
    text gives: decomposition works character by character and only reorders marks.
    """

    def __init__(self, widths: dict[str, int]):
        super().__init__()
        self.widths = widths
        self.fallback = widths["n"]

    def __missing__(self, ch: str) -> int:
        parts = unicodedata.normalize("NFD", " " if ch == "\u00a0" else ch)
        units = sum(self.widths.get(c, self.fallback) for c in parts if not unicodedata.combining(c))
        self[ch] = units
        return units


@lru_cache(maxsize=None)
def _char_units(style: str) -> _CharUnits:
    return _CharUnits(_metrics()["widths"][style])


@lru_cache(maxsize=65536)
def text_width_twips(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> int:
    """Width of one line of ``text`` set in Times New Roman at ``size_pt`` (a no-break space is a space)."""
    style = ("bold" if bold else "") + ("italic" if italic else "") or "regular"
    units = sum(map(_char_units(style).__getitem__, text))
    return int(units / _metrics()["units_per_em"] * size_pt * 20)
