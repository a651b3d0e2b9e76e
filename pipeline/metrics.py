"""Widths of text set in Times New Roman, for the generator and the reader alike.

The widths are Liberation Serif's advance widths (metrically identical to Times
New Roman), stored with vanban in ``pipeline/data/tnr_widths.json``. The
generator sizes rules and balances titles with them; ``vanban check`` measures a
document's rules against the text above them. (Tests measure with the font file
itself, ``tests/helpers/font_metrics.py``, so they do not trust this table.)
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


def text_width_twips(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> int:
    """Width of one line of ``text`` set in Times New Roman at ``size_pt`` (a no-break space is a space)."""
    m = _metrics()
    style = ("bold" if bold else "") + ("italic" if italic else "") or "regular"
    widths = m["widths"][style]
    fallback = widths["n"]
    units = 0
    for ch in unicodedata.normalize("NFD", text.replace("\u00a0", " ")):
        if unicodedata.combining(ch):
            continue
        units += widths.get(ch, fallback)
    return int(units / m["units_per_em"] * size_pt * 20)
