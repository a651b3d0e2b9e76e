"""Word's automatic list numbers: the label Word shows before a numbered paragraph ("1.", "2.1.", "a)",
"II.") — it is not in the paragraph's text. Counted in reading order, per abstract list, as Word does,
and written as Word writes them (``decree.labels.word_number``: Latin letters a, b, c, d, e, f, …).

A level (``w:ilvl``) is 0–8: one that is not a number is level 0, one out of range is clamped
(``level_of``); a start that is not a number is 1; a number format is read up to ``MAX_LEVEL_TEXT``
characters. So a label costs the same for any file."""

from __future__ import annotations

import re

from pipeline.decree.labels import word_number
from pipeline.docread import limits
from pipeline.docread.xmlparts import W, child, val

MAX_LEVEL = 8  # Word's list levels are 0–8
MAX_LEVEL_TEXT = 255  # characters of a level's number format ("%1.%2.")


def level_of(value) -> int:
    """A ``w:ilvl`` as Word takes it: 0–8, 0 when it is not a number."""
    return limits.integer(value, 0, 0, MAX_LEVEL)


class ListNumbers:
    """Reads numbering.xml once; ``label(numPr)`` gives the next label of that list level."""

    def __init__(self, doc) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (fmt, lvlText, start)
        self.list_of: dict[str, str] = {}  # numId -> abstractNumId (lists sharing one count together)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(W + "abstractNumId"): {level_of(lvl.get(W + "ilvl")): _level(lvl)
                                                 for lvl in a.findall(W + "lvl")}
                    for a in root.findall(W + "abstractNum")}
        for num in root.findall(W + "num"):
            aid = val(num.find(W + "abstractNumId"))
            levels = dict(abstract.get(aid, {}))
            for ov in num.findall(W + "lvlOverride"):
                lvl = ov.find(W + "lvl")
                if lvl is not None:
                    levels[level_of(ov.get(W + "ilvl"))] = _level(lvl)
            self.levels[num.get(W + "numId")] = levels
            self.list_of[num.get(W + "numId")] = aid or num.get(W + "numId")

    def label(self, num_pr) -> str:
        """'1.', '2.1.', 'a)', 'II.'; '-' for a bullet; '' when the paragraph is not numbered."""
        if num_pr is None:
            return ""
        nid, ilvl = val(child(num_pr, W + "numId")), level_of(val(child(num_pr, W + "ilvl")))
        levels = self.levels.get(nid)
        if not nid or nid == "0" or levels is None:
            return ""
        fmt, text, start = levels.get(ilvl, ("decimal", f"%{ilvl + 1}.", 1))
        if fmt == "bullet":
            return "-"
        counters = self.counters.setdefault(self.list_of[nid], {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def one(m: re.Match) -> str:
            lv = int(m.group(1)) - 1
            lv_fmt, _, lv_start = levels.get(lv, ("decimal", "", 1))
            return word_number(counters.get(lv, lv_start), lv_fmt)

        return re.sub(r"%(\d)", one, text).strip()


def _level(lvl) -> tuple[str, str, int]:
    return (val(lvl.find(W + "numFmt"), default="decimal"),
            (val(lvl.find(W + "lvlText"), default="") or "")[:MAX_LEVEL_TEXT],
            limits.integer(val(lvl.find(W + "start")), 1, 0, 10**15))
