"""The rules of Nghị định 30/2020/NĐ-CP, each in one place.

Every document kind takes its header block, number-and-symbol, date line,
signature block and recipients list from here; templates only place the
strings and carry the styles. Section numbers refer to
``shared/spec/nd30-format.md`` (the decree's Phụ lục I and III).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from markupsafe import Markup

from pipeline import wml

# ---------------------------------------------------------------- §1 page, in twips
MM = 56.7  # twips per millimetre
A4_W, A4_H = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM = 1134, 1134  # 20 mm (rounded up, never under the minimum)
MARGIN_LEFT, MARGIN_RIGHT = 1701, 851  # 30 mm (binding edge), 15 mm
HEADER_DISTANCE = 567  # 10 mm: the page number sits in the top margin
TEXT_W_PORTRAIT = A4_W - MARGIN_LEFT - MARGIN_RIGHT
TEXT_W_LANDSCAPE = A4_H - MARGIN_LEFT - MARGIN_RIGHT
FONT = wml.FONT

# ---------------------------------------------------------------- sizes (pt), one value per range
SIZE_BODY = 14  # §4: 13–14
SIZE_NATION = 13  # §2: 12–13
SIZE_MOTTO = 14  # §2: 13–14
SIZE_AGENCY = 13  # §2: 12–13
SIZE_NUMBER = 13  # §2: 13
SIZE_PLACE_DATE = 14  # §2: 13–14
SIZE_TYPE = 14  # §3: 13–14
SIZE_SUMMARY = 14  # §3
SIZE_RECIPIENTS_TITLE = 12  # §5
SIZE_RECIPIENTS = 11  # §5
SIZE_SIGNATURE = 14  # §5: 13–14
SIZE_PAGE_NUMBER = 13  # §1: 13–14
SIZE_APPENDIX_NO = 14  # §6
SIZE_TABLE = 12
FIRST_LINE_INDENT = 720  # §4: 1.27 cm
SPACE_AFTER = 120  # §4: at least 6 pt
LINE_SPACING = 288  # §4: between single (240) and 1.5 (360) lines: 1.2
SIGNATURE_BLANK_LINES = 4  # §5: room for signature and seal

# ---------------------------------------------------------------- §2 header block
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"  # hyphen-minus with spaces, never an en dash
HEADER_LEFT_W = int(TEXT_W_PORTRAIT * 0.38)
HEADER_RIGHT_W = TEXT_W_PORTRAIT - HEADER_LEFT_W
HEADER_CELL_MARGIN = 57  # 1 mm each side, so the national name fits on one line
AGENCY_RULE_FRACTION = 0.4  # §2: 1/3 to 1/2 of the agency name
SUMMARY_RULE_FRACTION = 0.4  # §3: 1/3 to 1/2 of the summary line

# ---------------------------------------------------------------- §8 type names
DOC_TYPES = {
    "KH": ("KẾ HOẠCH", "Kế hoạch"),
    "CTr": ("CHƯƠNG TRÌNH", "Chương trình"),
    "BC": ("BÁO CÁO", "Báo cáo"),
}
TYPE_ABBREVIATIONS = {
    "Nghị quyết": "NQ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Quy chế": "QC", "Quy định": "QyĐ",
    "Thông cáo": "TC", "Thông báo": "TB", "Hướng dẫn": "HD", "Chương trình": "CTr", "Kế hoạch": "KH",
    "Phương án": "PA", "Đề án": "ĐA", "Dự án": "DA", "Báo cáo": "BC", "Biên bản": "BB", "Tờ trình": "TTr",
    "Hợp đồng": "HĐ", "Công điện": "CĐ", "Bản ghi nhớ": "BGN", "Bản thỏa thuận": "BTT",
    "Giấy ủy quyền": "GUQ", "Giấy mời": "GM", "Giấy giới thiệu": "GGT", "Giấy nghỉ phép": "GNP",
    "Phiếu gửi": "PG", "Phiếu chuyển": "PC", "Phiếu báo": "PB",
}
BLANK_NUMBER = "     "  # six spaces: filled in by hand when registered
BLANK_DAY = "    "  # with the spaces around it: "ngày      tháng"

# ---------------------------------------------------------------- numbering (§4, §6)
_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
VIET_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


def roman(n: int) -> str:
    if n < 1:
        raise ValueError(n)
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def point_letter(index: int) -> str:
    """The ``index``-th (0-based) point letter: a, b, c, d, đ, e, …"""
    return VIET_LETTERS[index]


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
    return f"{DOC_TYPES[kind][1]} số {num}/{sym}"


def citation(kind: str, number: int | None, sym: str, year: int, month: int, day: int | None,
             issuer_full_name: str) -> str:
    """How other documents cite this one: 'Kế hoạch số 05/KH-UBND ngày 15 tháng 7 năm 2025 của …'."""
    return f"{number_citation(kind, number, sym)} {date_words(year, month, day)} của {issuer_full_name}"


# ---------------------------------------------------------------- text widths (for the rules)


@lru_cache(maxsize=1)
def _metrics() -> dict:
    with resources.files("pipeline").joinpath("data/tnr_widths.json").open(encoding="utf-8") as f:
        return json.load(f)


def text_width_twips(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> int:
    """Width of ``text`` set in Times New Roman (Liberation Serif metrics, which are the same)."""
    m = _metrics()
    style = ("bold" if bold else "") + ("italic" if italic else "") or "regular"
    widths = m["widths"][style]
    fallback = widths["n"]
    units = 0
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            continue
        units += widths.get(ch, fallback)
    return int(units / m["units_per_em"] * size_pt * 20)


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
    left_box = HEADER_LEFT_W - 2 * HEADER_CELL_MARGIN
    right_box = HEADER_RIGHT_W - 2 * HEADER_CELL_MARGIN
    agency_lines = fit_lines([l.upper() for l in agency_lines], left_box, SIZE_AGENCY)
    agency_w = max(text_width_twips(l, SIZE_AGENCY, bold=True) for l in agency_lines)
    motto_w = text_width_twips(MOTTO, SIZE_MOTTO, bold=True)
    return HeaderBlock(
        parent_lines=[parent_line.upper()] if parent_line else [],
        agency_lines=[l.upper() for l in agency_lines],
        agency_rule=wml.rule_paragraph(int(agency_w * AGENCY_RULE_FRACTION), left_box),
        national_name=NATIONAL_NAME,
        motto=MOTTO,
        motto_rule=wml.rule_paragraph(motto_w, right_box),
        number_line=number_line(number, sym),
        date_line=date_line(place, year, month, day),
    )


def summary_rule(summary: str) -> Markup:
    """§3: the rule under the summary, 1/3–1/2 of the line's length (at most the text column)."""
    w = min(text_width_twips(summary, SIZE_SUMMARY, bold=True), TEXT_W_PORTRAIT)
    return wml.rule_paragraph(int(w * SUMMARY_RULE_FRACTION), TEXT_W_PORTRAIT, after_twips=SPACE_AFTER * 2)


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


def appendix_label(index: int, count: int) -> str:
    """'Phụ lục I' … with Roman numerals when there are two or more; 'Phụ lục' alone otherwise."""
    return f"Phụ lục {roman(index)}" if count > 1 else "Phụ lục"
