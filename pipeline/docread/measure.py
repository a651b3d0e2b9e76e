"""Lengths on the page: widths of text set in Times New Roman, units of measure.

The widths are Liberation Serif's advance widths (metrically identical to Times
New Roman), stored with vanban in ``pipeline/data/tnr_widths.json``.
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from importlib import resources

TWIPS_PER_MM = 56.7


@lru_cache(maxsize=1)
def _metrics() -> dict:
    with resources.files("pipeline").joinpath("data/tnr_widths.json").open(encoding="utf-8") as f:
        return json.load(f)


def text_width_twips(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> int:
    """The width of one line of ``text`` set in Times New Roman at ``size_pt``."""
    m = _metrics()
    style = ("bold" if bold else "") + ("italic" if italic else "") or "regular"
    widths = m["widths"][style]
    fallback = widths["n"]
    units = sum(widths.get(ch, fallback) for ch in unicodedata.normalize("NFD", text.strip())
                if not unicodedata.combining(ch))
    return int(units / m["units_per_em"] * size_pt * 20)


def mm(twips: float) -> float:
    return twips / TWIPS_PER_MM
