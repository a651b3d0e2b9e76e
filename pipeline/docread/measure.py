"""Lengths on the page: widths of text set in Times New Roman, units of measure.

The widths are Liberation Serif's advance widths (metrically identical to Times
New Roman), stored with vanban in ``pipeline/data/tnr_widths.json``.
"""

from __future__ import annotations

from pipeline.decree import metrics

TWIPS_PER_MM = 56.7


def text_width_twips(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> int:
    """The width of one line of ``text`` (without its outer spaces) set in Times New Roman at ``size_pt``."""
    return metrics.text_width_twips(text.strip(), size_pt, bold, italic)


def mm(twips: float) -> float:
    return twips / TWIPS_PER_MM
