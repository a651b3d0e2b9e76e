"""The period's words in free text, moved to another period (used by ``carry``).

What is moved: the old period's label ("6 tháng cuối năm 2025" -> "năm 2026"), and the
half-years, quarters, months, dates and years that lie inside the old period, each by the
rules of ``periodmap.DateMap`` and written in the form it was typed in ("Quý III/2025",
"quý III năm 2025", "tháng 11/2025", "15/12/2025", "ngày 15 tháng 12 năm 2025", "năm 2025").
Comments also have their ISO forms moved ("2025-07-15", "2025-11", "2025-Q3"), as the
files' comments give examples in them.

What is kept: legal citations, from a document's symbol ("150/2025/NĐ-CP", "57-NQ/TW") to
the end of its clause, so "Nghị định số 150/2025/NĐ-CP ngày 12/6/2025" and the title after
it stay as issued; dates outside the old period (events before it); and a multi-year phase
("giai đoạn 2021 - 2025") or horizon ("đến năm 2025"). Each kept text that names a time
the new period has passed is returned as a reason for the office to review it.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.decree import forms as nd30
from pipeline.inputs.periodmap import DateMap

SYMBOL = re.compile(r"\b\d+(?:/\d{4})?/[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-Za-zĐđ0-9]+)*"  # 150/2025/NĐ-CP, 76/NQ-CP
                    r"|\b\d+-[A-ZĐ][A-Za-zĐđ0-9]*/[A-ZĐ][A-Za-zĐđ0-9]*")  # 57-NQ/TW
CLAUSE_END = re.compile(r";|\.(?=\s|$)")
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
WORDS = (
    r"(?P<phase>giai đoạn\s+(?P<p1>\d{4})\s*[-–]\s*(?P<p2>\d{4}))"
    r"|(?P<until>đến năm\s+(?P<uy>\d{4}))"
    r"|(?P<label>{label})"
    r"|(?P<half>6 tháng (?P<hw>đầu|cuối) năm (?P<hy>\d{4}))"
    r"|(?P<quarter>(?P<qw>[Qq]uý) (?P<qn>IV|I{1,3}|[1-4])(?P<qsep> năm |/)(?P<qy>\d{4}))"
    r"|(?P<wdate>ngày (?P<wd>\d{1,2}) tháng (?P<wm>\d{1,2}) năm (?P<wy>\d{4}))"
    r"|(?P<date>(?<![\d/])(?P<dd>\d{1,2})/(?P<dm>\d{1,2})/(?P<dy>\d{4})(?![\d/]))"
    r"|(?P<month>(?P<mw>[Tt]háng) (?P<mm>\d{1,2})(?P<msep>/| năm )(?P<my>\d{4}))"
    r"|(?P<year>(?P<yw>[Nn]ăm) (?P<yy>\d{4}))"
)
ISO = (
    r"|(?P<iso>(?<![\d/-])(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?!\d))"
    r"|(?P<isoq>(?<![\d/-])(?P<iqy>\d{4})-Q(?P<iqn>[1-4]))"
    r"|(?P<isom>(?<![\d/-])(?P<imy>\d{4})-(?P<imm>\d{1,2})(?![\d-]))"
)


def _valid(year: str, month: str, day: str = "1") -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


class PeriodWords:
    """Moves the words of ``dates.old`` in a text to ``dates.new`` (the module's docstring says which)."""

    def __init__(self, dates: DateMap):
        self.dates = dates
        label = re.escape(dates.old.label) if dates.old.label else r"(?!)"
        self._words = re.compile(WORDS.replace("{label}", label))
        self._comment_words = re.compile(WORDS.replace("{label}", label) + ISO)
        self._years = range(dates.old.start.year, dates.old.end.year + 1)

    def text(self, value: str) -> tuple[str, list[str]]:
        """(``value`` with its period words moved, the reasons to review what was kept)."""
        return self._move(value, self._words)

    def comment(self, value: str) -> str:
        return self._move(value, self._comment_words)[0]

    def _move(self, value: str, words: re.Pattern) -> tuple[str, list[str]]:
        if not any(ch.isdigit() for ch in value):
            return value, []
        reasons: list[str] = []
        out, at = [], 0
        for cited in SYMBOL.finditer(value):
            if cited.start() < at:
                continue
            end = CLAUSE_END.search(value, cited.end())
            stop = end.start() if end else len(value)
            out.append(words.sub(lambda found: self._word(found, reasons), value[at:cited.start()]))
            out.append(value[cited.start():stop])
            self._review_citation(value[cited.start():stop], words, reasons)
            at = stop
        out.append(words.sub(lambda found: self._word(found, reasons), value[at:]))
        return "".join(out), reasons

    def _review_citation(self, cited: str, words: re.Pattern, reasons: list[str]) -> None:
        """A citation naming the old period is kept and reviewed; one naming a phase or horizon that has
        passed too, unless its title reaches beyond the new period ("… đến năm 2025, định hướng đến năm 2030")."""
        found = list(words.finditer(cited))
        horizon = max((int(f.group("p2") or f.group("uy")) for f in found if f.lastgroup in ("phase", "until")),
                      default=0)
        for one in found:
            kind = one.lastgroup
            if kind == "label" or kind == "year" and int(one.group("yy")) in self._years:
                reasons.append(f"trích dẫn văn bản có nhắc '{one.group(0)}': đã giữ nguyên như văn bản được trích")
            elif kind in ("phase", "until") and horizon < self.dates.new.end.year:
                self._word(one, reasons)

    def _word(self, found: re.Match, reasons: list[str]) -> str:
        kind, text = found.lastgroup, found.group(0)
        new = self.dates.new
        if kind == "phase":
            if int(found.group("p2")) < new.end.year:
                reasons.append(f"'{text}' đã kết thúc trước {new.label}: giữ nguyên, hãy xem còn phù hợp không")
            return text
        if kind == "until":
            if int(found.group("uy")) < new.end.year:
                reasons.append(f"'{text}' là mốc đã qua ở {new.label}: giữ nguyên, hãy xem còn phù hợp không")
            return text
        if kind == "label":
            return new.label
        return self._moved(found, kind, text)

    def _moved(self, found: re.Match, kind: str | None, text: str) -> str:
        dm, g = self.dates, found.group
        if kind == "half":
            h = 1 if g("hw") == "đầu" else 2
            if dm.contains(dt.date(int(g("hy")), 6 * h, 30)):
                y, h = dm.half(int(g("hy")), h)
                return f"6 tháng {'đầu' if h == 1 else 'cuối'} năm {y}"
        elif kind == "quarter":
            q = ROMAN.get(g("qn")) or int(g("qn"))
            if dm.contains(dt.date(int(g("qy")), 3 * q, 1)):
                y, q = dm.quarter(int(g("qy")), q)
                number = nd30.roman(q) if g("qn") in ROMAN else str(q)
                return f"{g('qw')} {number}{g('qsep')}{y}"
        elif kind in ("wdate", "date", "iso"):
            y, mo, d = (g("wy"), g("wm"), g("wd")) if kind == "wdate" else (
                (g("dy"), g("dm"), g("dd")) if kind == "date" else (g("iy"), g("im"), g("id")))
            day = _valid(y, mo, d)
            if day and dm.contains(day):
                moved = dm.date(day)
                if kind == "iso":
                    return moved.isoformat()
                if kind == "date":
                    return nd30.short_date(moved)
                return f"ngày {nd30.day_str(moved.day)} tháng {nd30.month_str(moved.month)} năm {moved.year}"
        elif kind in ("month", "isom"):
            y, mo = (g("my"), g("mm")) if kind == "month" else (g("imy"), g("imm"))
            first = _valid(y, mo)
            if first and dm.contains(first):
                y2, m2 = dm.month(first.year, first.month)
                if kind == "isom":
                    return f"{y2}-{m2:02d}"
                sep = g("msep")
                return f"{g('mw')} {nd30.month_str(m2) if sep == '/' else m2}{sep}{y2}"
        elif kind == "isoq":
            q = int(g("iqn"))
            if dm.contains(dt.date(int(g("iqy")), 3 * q, 1)):
                y, q = dm.quarter(int(g("iqy")), q)
                return f"{y}-Q{q}"
        elif kind == "year" and int(g("yy")) in self._years:
            return f"{g('yw')} {dm.year(int(g('yy')))}"
        return text
