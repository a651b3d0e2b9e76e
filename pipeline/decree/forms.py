"""The rules of Nghị định 30/2020/NĐ-CP applied to text: each in one place.

Every document kind takes its header block, number-and-symbol, date line,
signature block, "Kính gửi" block, legal bases and recipients list from here;
templates only place the strings and carry the styles. The numbers (sizes,
margins, spacing, rule lengths) and fixed texts are not typed here: they are
the ``chosen`` values of ``pipeline.decree.rules``, read when a document is made.
Section numbers (§) refer to ``docs/nd30.md`` (the decree's Phụ lục I and III).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from pipeline.decree import rules
from pipeline.decree import wml
# numbering (§4, §6): Roman numerals and the decree's point letters (a, b, c, d, đ, e, …) have one home,
# ``labels``, shared with the readers; the generator calls them here: ``nd30.roman``, ``nd30.point_letter``
from pipeline.decree.labels import point_letter, roman  # noqa: F401

# ---------------------------------------------------------------- §1 page, in twips
A4_W, A4_H = rules.A4_W, rules.A4_H
FONT = rules.FONT
NATIONAL_NAME = rules.NATIONAL_NAME  # §2
MOTTO = rules.MOTTO  # §2

# vanban's own layout choices (the decree leaves them open)
HEADER_DISTANCE = rules.mm(10)  # the page number sits in the top margin (§1)
HEADER_LEFT_FRACTION = 0.38  # §2: the left column of the header block, about 40 %
HEADER_CELL_MARGIN = rules.mm(1)  # each side, so the national name fits on one line
SIGNATURE_LEFT_FRACTION = 0.45  # §5: the "Nơi nhận" column of the signature table
SIZE_TABLE = 12  # task tables: the decree sets no size for table text


def size(key: str) -> float:
    """The chosen size (pt) of an element of the decree: ``size("body")`` -> 14."""
    return rules.chosen(f"size.{key}")


def twips(key: str) -> int:
    """A chosen length in twips: ``twips("margin.left")``, ``twips("indent.first_line")``."""
    return int(rules.chosen(key))


def text_width(landscape: bool = False) -> int:
    """Width of the text column between the chosen margins (§1)."""
    page = A4_H if landscape else A4_W
    return page - twips("margin.left") - twips("margin.right")


def header_widths() -> tuple[int, int]:
    """The two columns of the header block (§2)."""
    left = int(text_width() * HEADER_LEFT_FRACTION)
    return left, text_width() - left


NBSP = "\u00a0"
BLANK_NUMBER = "     "  # six spaces: filled in by hand when registered
BLANK_DAY = "    "  # with the spaces around it: "ngày      tháng"

# ---------------------------------------------------------------- dates (§2)


def day_str(day: int) -> str:
    return f"{day:02d}"


def month_str(month: int) -> str:
    """Months 1 and 2 take a leading zero; the others none ("tháng 7")."""
    return f"{month:02d}" if month <= 2 else str(month)


def date_words(year: int, month: int, day: int | None) -> str:
    """'ngày 05 tháng 01 năm 2026'; a draft's blank day: 'ngày      tháng 7 năm 2025'."""
    d = day_str(day) if day else BLANK_DAY
    return f"ngày {d} tháng {month_str(month)} năm {year}"


def date_line(place: str, year: int, month: int, day: int | None) -> str:
    """§2: 'Xã A, ngày 05 tháng 01 năm 2026' (italic in the template)."""
    return f"{place}, {date_words(year, month, day)}"


def short_date(d: dt.date) -> str:
    """'05/3/2020', '15/7/2025', '05/01/2026' — the citation form of a date."""
    return f"{day_str(d.day)}/{month_str(d.month)}/{d.year}"


def short_month(year: int, month: int) -> str:
    return f"{month_str(month)}/{year}"


# ---------------------------------------------------------------- number and symbol (§2, §8)


def type_name(kind: str, upper: bool = False) -> str:
    """§8: the name of the type whose abbreviation is ``kind`` ("KH" -> "Kế hoạch" / "KẾ HOẠCH")."""
    t = rules.TYPE_BY_ABBR[kind]
    return t.upper if upper else t.name


def symbol(kind: str, agency_symbol: str) -> str:
    """'KH-UBND': type abbreviation, hyphen, agency; no spaces."""
    return f"{kind}-{agency_symbol}"


def number_line(number: int | None, sym: str) -> str:
    """'Số: 05/KH-UBND'; a draft: 'Số:      /KH-UBND'."""
    num = f"{number:02d}" if number else BLANK_NUMBER
    return f"Số: {num}/{sym}"


def number_citation(kind: str, number: int | None, sym: str) -> str:
    """The short citation, type and number only: 'Kế hoạch số 05/KH-UBND'."""
    num = f"{number:02d}" if number else BLANK_NUMBER
    return f"{type_name(kind)} số {num}/{sym}"


def citation(kind: str, number: int | None, sym: str, year: int, month: int, day: int | None,
             issuer_full_name: str) -> str:
    """How other documents cite this one: 'Kế hoạch số 05/KH-UBND ngày 15 tháng 7 năm 2025 của …'."""
    return f"{number_citation(kind, number, sym)} {date_words(year, month, day)} của {issuer_full_name}"


# A document symbol never breaks at its hyphen ("/KH-UBND", "76/NQ-CP", "30/2020/NĐ-CP", "/QĐ-TTg"), and
# a citation's blank number stays with its "số" and its symbol ("Kế hoạch số      /KH-UBND"): the
# registry writes the number into the blank by hand. In a .docx the hyphen becomes Word's
# non-breaking hyphen (w:noBreakHyphen), marked in the text by U+2011 until render puts it there.
NB_HYPHEN = "\u2011"
SYMBOL_RE = re.compile(r"(?<=/)[A-ZĐ]\w*(?:-\w+)+")
NUMBER_BLANK_RE = re.compile(r"(?<=\bsố) {2,}(?=\d*/[A-ZĐ])", re.IGNORECASE)


def hold_citations(text: str) -> str:
    """Every document symbol's hyphens as U+2011, and the blank of a citation's number as no-break
    spaces: 'Kế hoạch số      /KH-UBND' holds together from 'số' to 'UBND'."""
    text = NUMBER_BLANK_RE.sub(lambda m: NBSP * len(m.group(0)), text)
    return SYMBOL_RE.sub(lambda m: m.group(0).replace("-", NB_HYPHEN), text)


# ---------------------------------------------------------------- text widths (for the rules)


text_width_twips = wml.text_width_twips  # Times New Roman metrics (pipeline/decree/metrics.py; the checker reads them through docread.measure)

# a date or a year inside a title is never split across lines: "tháng 7 năm 2025", "quý III năm 2025"
HELD_RE = re.compile(r"(?:ngày\s+\S+\s+)?tháng\s+\d{1,2}\s+năm\s+\d{4}|quý\s+[IVX]+\s+năm\s+\d{4}"
                     r"|(?:tháng|năm|quý)\s+\S+\)?$", re.IGNORECASE)
FIT = 0.95  # a line is laid out only when it fills at most 95 % of its box: renderers differ a little


def hold_together(text: str) -> str:
    """Join the words of each date (and the last two words) with non-breaking spaces."""
    return HELD_RE.sub(lambda m: NBSP.join(m.group(0).split()), text)


def balanced_lines(text: str, box_twips: int, size_pt: float, bold: bool = True) -> list[str]:
    """§3, §6: a title too long for one line, cut into as few lines as fit ``box_twips``, as
    even as possible (the longest line as short as it can be), never inside a held date."""
    words = hold_together(text).split(" ")
    width = lru_cache(maxsize=None)(lambda ws: text_width_twips(" ".join(ws), size_pt, bold))
    limit = box_twips * FIT
    if len(words) < 2 or width(tuple(words)) <= limit:
        return [" ".join(words)]
    for lines in range(2, min(len(words), 5) + 1):
        best = _best_split(words, lines, width, box_twips)
        if best and max(width(tuple(line)) for line in best) <= limit:
            return [" ".join(line) for line in best]
    return [" ".join(words)]


# a title reads best when a line ends at a comma or before one of these words (a new phrase)
PHRASE_STARTS = {"của", "về", "trên", "tại", "đến", "cho", "và", "theo", "trong", "giai", "nhằm", "đối",
                 "với", "do", "để"}
SHORT_LAST = 0.6  # a last line under 60 % of the first reads as left over
BAD_BREAK = 0.25  # a break inside a phrase costs this share of the box (added to the widest line)


def _break_cost(last: str, first: str, box: int) -> int:
    if last.endswith((",", ";", ":")) or first.startswith("(") or first.lower() in PHRASE_STARTS:
        return 0
    return int(BAD_BREAK * box)


def _best_split(words: list[str], lines: int, width, box: int) -> list[list[str]] | None:
    """``words`` in ``lines`` consecutive groups: the widest group as narrow as it can be, plus
    the cost of each break inside a phrase (ties: the lines closest in width)."""
    n = len(words)
    best, best_score = None, None
    for cuts in itertools.combinations(range(1, n), lines - 1):
        bounds = (0, *cuts, n)
        groups = [words[a:b] for a, b in zip(bounds, bounds[1:])]
        widths = [width(tuple(g)) for g in groups]
        cost = sum(_break_cost(words[c - 1], words[c], box) for c in cuts)
        if widths[-1] < SHORT_LAST * widths[0]:
            cost += box
        score = (max(widths) + cost, sum(w * w for w in widths))
        if best_score is None or score < best_score:
            best, best_score = groups, score
    return best


def title(text: str, landscape: bool = False, size_key: str = "summary") -> str:
    """A title (trích yếu, appendix title) with its line breaks ("\n") placed for balance."""
    return "\n".join(balanced_lines(text, text_width(landscape), size(size_key), bold=True))


# ---------------------------------------------------------------- the header block (§2)


@dataclass(frozen=True)
class HeaderBlock:
    parent_lines: list[str]  # upright, not bold
    agency_lines: list[str]  # bold
    agency_rule: Markup
    national_name: str
    motto: str
    motto_rule: Markup
    number_line: str
    date_line: str


def fit_lines(lines: list[str], box_twips: int, size_pt: float, bold: bool = True) -> list[str]:
    """Split a line too wide for ``box_twips`` at the word that balances the two halves (§2: a
    long agency name may take two lines), so the rule under it can be sized from what is printed."""
    out = []
    for line in lines:
        words = line.split()
        if text_width_twips(line, size_pt, bold) <= box_twips or len(words) < 2:
            out.append(line)
            continue
        best = min(range(1, len(words)), key=lambda i: max(
            text_width_twips(" ".join(words[:i]), size_pt, bold), text_width_twips(" ".join(words[i:]), size_pt, bold)))
        out += [" ".join(words[:best]), " ".join(words[best:])]
    return out


def header_block(parent_line: str | None, agency_lines: list[str], number: int | None, sym: str,
                 place: str, year: int, month: int, day: int | None) -> HeaderBlock:
    left_w, right_w = header_widths()
    left_box = left_w - 2 * HEADER_CELL_MARGIN
    right_box = right_w - 2 * HEADER_CELL_MARGIN
    agency_lines = fit_lines([l.upper() for l in agency_lines], left_box, size("agency"))
    agency_w = max(text_width_twips(l, size("agency"), bold=True) for l in agency_lines)
    motto_w = text_width_twips(MOTTO, size("motto"), bold=True)
    return HeaderBlock(
        parent_lines=[parent_line.upper()] if parent_line else [],
        agency_lines=[l.upper() for l in agency_lines],
        agency_rule=wml.rule_paragraph(int(agency_w * rules.chosen("rule.agency")), left_box),
        national_name=NATIONAL_NAME,
        motto=MOTTO,
        motto_rule=wml.rule_paragraph(int(motto_w * rules.chosen("rule.motto")), right_box),
        number_line=number_line(number, sym),
        date_line=date_line(place, year, month, day),
    )


def summary_rule(summary: str) -> Markup:
    """§3: the rule under the summary, 1/3–1/2 of the line's length (at most the text column)."""
    column = text_width()
    w = min(max(text_width_twips(line, size("summary"), bold=True) for line in summary.split("\n")), column)
    return wml.rule_paragraph(int(w * rules.chosen("rule.summary")), column,
                              after_twips=twips("spacing.after") * 2)


# ---------------------------------------------------------------- Kính gửi and legal bases (§9, §4)


TO_LABEL = "Kính gửi:"


def to_lines(recipients: list[str]) -> list[str]:
    """§9: 'Kính gửi: X.' for one recipient; for several, 'Kính gửi:' then '- X;' … '- Z.'."""
    if len(recipients) == 1:
        return [f"{TO_LABEL} {recipients[0]}."]
    if not recipients:
        return []
    return [TO_LABEL] + [f"- {t};" for t in recipients[:-1]] + [f"- {recipients[-1]}."]


def to_block(recipients: list[str]) -> Markup:
    """§9 as in the decree's models: one recipient centred on the "Kính gửi:" line; several as a
    block centred on the page: "Kính gửi:" in the first column of a borderless table, the
    recipients one per line in the second, so their dashes stand under one another."""
    lines = to_lines(recipients)
    if len(lines) <= 1:
        return Markup("".join(wml.paragraph(line, style="VBTo") for line in lines))
    items, pt, gap = lines[1:], size("to"), twips("spacing.after")
    label_w = text_width_twips(TO_LABEL + " ", pt) + wml.CELL_MARGIN
    items_w = max(text_width_twips(t, pt) for t in items) + 2 * wml.CELL_MARGIN
    items_w = min(items_w, text_width() - label_w)

    def line(text: str, first: bool, last: bool, align: str) -> str:
        spacing = f'<w:spacing w:before="{gap if first else 0}" w:after="{gap if last else 0}"/>'
        return wml.paragraph(text, style="VBTo", align=align, extra_ppr=spacing + '<w:ind w:firstLine="0"/>')

    label = line(TO_LABEL, True, False, "left")  # the cell is wider than the label by a space and a margin
    names = "".join(line(t, i == 0, i == len(items) - 1, "left") for i, t in enumerate(items))
    return wml.plain_table([label_w, items_w], [[label, names]])


def preamble_lines(bases: list[str]) -> list[str]:
    """§4: the legal bases as a preamble, 'Căn cứ …;' one per line, the last ending with '.'."""
    lines = [f"Căn cứ {b};" for b in bases]
    if lines:
        lines[-1] = lines[-1][:-1] + "."
    return lines


def bases_sentence(bases: list[str], intro: str | None) -> str:
    """§4: the legal bases run into the opening sentence: 'Căn cứ A; B; <intro>' (or '… B.')."""
    lead = "Căn cứ " + "; ".join(bases)
    return lead + ("; " + intro if intro else ".")


# ---------------------------------------------------------------- signature (§5)

AUTHORITY_FORMS = ("", "TM", "KT", "Q", "TL", "TUQ")


def authority_lines(authority: str, for_committee: bool, collective: str, head_position: str,
                    signer_position: str) -> list[str]:
    """The bold upper-case lines above the signature.

    - ""  : the head signs personally      -> CHỦ TỊCH
    - TM  : on behalf of a collective body -> TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH
    - KT  : a deputy for the head          -> KT. CHỦ TỊCH / PHÓ CHỦ TỊCH
    - Q   : acting head                    -> Q. CHỦ TỊCH
    - TL, TUQ: by order / by authorisation -> TL. CHỦ TỊCH / <signer's position>
    ``for_committee`` puts "TM. <collective>" above a KT./Q. line.
    """
    head, pos = head_position.upper(), signer_position.upper()
    if authority not in AUTHORITY_FORMS:
        raise ValueError(authority)
    lines: list[str] = []
    if authority == "TM" or (for_committee and authority in ("KT", "Q")):
        lines.append(f"TM. {collective.upper()}")
    if authority == "":
        lines.append(pos)
    elif authority == "TM":
        lines.append(pos)
    elif authority == "Q":
        lines.append(f"Q. {head}")
    else:
        lines.extend([f"{authority}. {head}", pos])
    return lines


def recipient_lines(to: list[str], archive: list[str], copies: int | None = None) -> list[str]:
    """§5: '- X;' per line, the last '- Lưu: VT, VP.' (optionally with the copies)."""
    lines = [f"- {t.rstrip(';. ')};" for t in to]
    last = "- Lưu: " + ", ".join(archive)
    if copies:
        last += f" ({copies:02d} bản)" if copies < 10 else f" ({copies} bản)"
    return lines + [last + "."]


# ---------------------------------------------------------------- appendices (§6)


HELD_NAME = 2000  # twips at the table's size (≈ 3.5 cm): a unit's name this short never breaks in a table


def held_name(name: str, size_pt: float = SIZE_TABLE) -> str:
    """A unit's name in a table cell, its spaces no-break ones when it is short enough to stay on
    one line ("Trung tâm PV HCC", "Phòng VHXH"); a longer name may still break between words."""
    if text_width_twips(name, size_pt, False) > HELD_NAME:
        return name
    return NBSP.join(name.split())


def list_lines(items: list[str]) -> list[str]:
    """Several names in one table cell, one per line, each but the last closed with ";"."""
    return [f"{t};" for t in items[:-1]] + items[-1:] if len(items) > 1 else list(items)


def appendix_label(index: int, count: int) -> str:
    """'Phụ lục I' … with Roman numerals when there are two or more; 'Phụ lục' alone otherwise."""
    return f"Phụ lục {roman(index)}" if count > 1 else "Phụ lục"
