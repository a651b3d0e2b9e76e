"""Words of a hand-made document turned into the inputs' structured form.

Everything here works on plain strings, so it serves any reader of a Word file:
hand-typed numbers ("I.", "2.1.", "a)", "-", "+"), deadlines ("Quý III/2025",
"Kế hoạch: trước ngày 15/7/2025; Báo cáo: tháng 11/2025"), the number and date
lines of the header, the signature's authority lines and the recipients.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.decree.labels import roman_value
from pipeline.inputs.when import WORDINGS


def toneless(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def norm_space(text: str) -> str:
    """Runs of whitespace (non-breaking spaces too) as one space, none at the ends."""
    return " ".join(text.split())


# --------------------------------------------------------------------------- numbering


@dataclass(frozen=True)
class Token:
    """The hand-typed number (or bullet) that opens a paragraph."""

    kind: str  # "section" | "clause" | "point" | "bullet" | "plus" | "none"
    depth: int  # section 0, "1." 1, "2.1." 2, "2.1.3." 3; points and bullets 0
    label: str  # as typed: "2.5."
    text: str  # the rest of the paragraph

    @property
    def numbers(self) -> tuple[int, ...]:
        if self.kind == "section":
            return (roman_value(self.label.rstrip(".")) or 0,)
        return tuple(int(n) for n in re.findall(r"\d+", self.label)) if self.kind == "clause" else ()


_SECTION = re.compile(r"^([IVXLC]{1,6})\s*[./]\s*(?=\S)")
_CLAUSE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})(?:\.\s*|\)\s+|\s+(?=[A-ZĐÀ-Ỹ]))(?=\S)")
# a point: a letter typed by a person ("đ)"), or Word's automatic letters past "z" ("aa)", "bb)")
_POINT = re.compile(r"^([a-zđ]|([a-z])\2+)\)\s*(?=\S)")
_BULLET = re.compile(r"^[-–—•·▪●]\s*(?=\S)")
_PLUS = re.compile(r"^\+\s*(?=\S)")


def token(text: str, auto_label: str = "") -> Token:
    """Split the typed number from the text; ``auto_label`` is Word's own list number, if any."""
    text = norm_space(text)
    if auto_label:
        return token(f"{auto_label.strip()} {text}")
    m = _SECTION.match(text)
    if m and roman_value(m.group(1)) and not re.match(r"^[IVXLC]+\.\s*\d", text):
        return Token("section", 0, m.group(1) + ".", text[m.end():])
    m = _CLAUSE.match(text)
    if m and not re.match(r"^\d+\.\d+\s*%", text):
        label = m.group(1)
        return Token("clause", label.count(".") + 1, label + ".", text[m.end():])
    m = _POINT.match(text)
    if m:
        return Token("point", 0, m.group(1) + ")", text[m.end():])
    m = _BULLET.match(text)
    if m:
        return Token("bullet", 0, "-", text[m.end():])
    m = _PLUS.match(text)
    if m:
        return Token("plus", 0, "+", text[m.end():])
    return Token("none", 0, "", text)


# --------------------------------------------------------------------------- deadlines


@dataclass
class Deadline:
    parts: list[dict]  # DeadlinePart fields, as written to YAML
    exact: bool  # every part was read by a rule for its exact words, not found inside a longer phrase
    source: str  # the cell's text
    unread: list[str] = field(default_factory=list)  # pieces no rule could read


_DATE = r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"
_MONTH = r"(\d{1,2})\s*/\s*(\d{4})"
_QUARTER = r"([IV]{1,3}|[1-4])\s*(?:/|\s+năm\s+)\s*(\d{4})"
RECURRENCE = {"tháng": "month", "quý": "quarter", "6 tháng": "half_year", "sáu tháng": "half_year", "năm": "year"}


def _date(d: str, m: str, y: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def _ym(m: str, y: str) -> str | None:
    return f"{int(y)}-{int(m):02d}" if 1 <= int(m) <= 12 else None


def _quarter(q: str, y: str) -> str | None:
    n = int(q) if q.isdigit() else roman_value(q)
    return f"{y}-Q{n}" if n and 1 <= n <= 4 else None


def _when(text: str, period_label: str | None) -> dict | None:
    """One 'when' from its words, or None. Exact phrases first, then looser forms."""
    t = norm_space(text).rstrip(".;,")
    low = t.lower()
    if period_label:
        lab = period_label.lower()
        if low == f"thường xuyên trong {lab}":
            return {"rest_of_period": True}
        if low == f"trong {lab}":
            return {"within_period": True}
    if low in ("thường xuyên", "hằng ngày", "hàng ngày", "thường xuyên, liên tục", "thường xuyên trong năm",
               "thường xuyên, hằng năm", "thường xuyên hằng năm", "hằng năm", "hàng năm", "cả năm"):
        return worded({"ongoing": True}, low)
    if low in ("theo kế hoạch",):
        return {"as_planned": True}
    if low in ("theo quy định",):
        return {"as_regulated": True}
    m = re.fullmatch(r"(định kỳ )?(?:hằng|hàng) (.+)", low)
    if m:
        every = [RECURRENCE.get(w.strip()) for w in m.group(2).split(",")]
        if all(every):
            return worded({"every": every}, "định kỳ hằng" if m.group(1) else "hằng")
    m = re.fullmatch(r"((?:trước|chậm nhất|hạn chót)(?: là)?(?: trước)? ngày) " + _DATE, low)
    if m and _date(*m.groups()[1:]):
        return worded({"before": _date(*m.groups()[1:])}, m.group(1))
    m = re.fullmatch(r"((?:trong )?ngày) " + _DATE, low)
    if m and _date(*m.groups()[1:]):
        return worded({"on": _date(*m.groups()[1:])}, m.group(1))
    m = re.fullmatch(r"(chậm nhất(?: là)?(?: trong)? tháng) " + _MONTH, low)
    if m and _ym(*m.groups()[1:]):
        return worded({"by_month": _ym(*m.groups()[1:])}, m.group(1))
    m = re.fullmatch(r"((?:trong )?tháng) " + _MONTH, low)
    if m and _ym(*m.groups()[1:]):
        return worded({"month": _ym(*m.groups()[1:])}, m.group(1))
    m = re.fullmatch(r"((?:trong )?quý) " + _QUARTER, t, re.IGNORECASE)
    if m and _quarter(m.group(2).upper(), m.group(3)):
        return worded({"quarter": _quarter(m.group(2).upper(), m.group(3))}, m.group(1))
    return None


def worded(when: dict, words: str) -> dict:
    """``when`` with its opening words as typed, when they are not vanban's own ('chậm nhất là ngày')
    and are one of the wordings the inputs take (``tasks.WORDINGS``)."""
    key = next(iter(when))
    known = [w for w in WORDINGS.get(key, ()) if w.lower() == norm_space(words).lower()]
    if not known or known[0] == WORDINGS[key][0]:
        return when
    return when | {"wording": known[0]}


def _loose_when(text: str) -> dict | None:
    """A date, month or quarter found anywhere in a longer phrase ('ban hành tháng 7/2025'); 'Theo …' is
    as planned (or as regulated); the date of a cited document ('Nghị định số 52/2015/NĐ-CP ngày 28/5/2015')
    is not a deadline."""
    low = text.lower().strip()
    if low.startswith("theo quy định"):
        return {"as_regulated": True}
    if low.startswith("theo "):
        return {"as_planned": True}
    low = re.sub(r"(?:số\s+)?\d+(?:/\d{4})?/[a-zđ][a-zđ0-9\-]*(?:\s+ngày\s+" + _DATE + ")?", " ", low)
    m = re.search(r"trước tháng " + _MONTH, low)
    if m and _ym(*m.groups()) and _date("1", m.group(1), m.group(2)):
        return {"before": _date("1", m.group(1), m.group(2))}
    m = re.search(r"((?:trước|chậm nhất|hạn chót)(?: là)?(?: trước)?(?: ngày)?) " + _DATE, low)
    if m and _date(*m.groups()[1:]):
        return worded({"before": _date(*m.groups()[1:])}, m.group(1))
    m = re.search(_DATE, low)
    if m and _date(*m.groups()):
        return {"on": _date(*m.groups())}
    m = re.search(r"quý " + _QUARTER, text, re.IGNORECASE)
    if m and _quarter(m.group(1).upper(), m.group(2)):
        return {"quarter": _quarter(m.group(1).upper(), m.group(2))}
    m = re.search(r"(?<![\d/])" + _MONTH + r"(?![\d/])", low)
    if m and _ym(*m.groups()):
        return {"month": _ym(*m.groups())}
    if "thường xuyên" in low:
        return {"ongoing": True}
    return None


MAX_DEADLINE = 500  # characters of one line of a deadline cell that are parsed (a real one is a few dozen)


def _pieces(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        line = norm_space(line)
        if len(line) > MAX_DEADLINE:  # not a deadline: kept as written, not searched (the searches cost its square)
            out.append(line)
            continue
        line = re.sub(r"^[-–+•]\s*", "", line)
        # "Kế hoạch: …; Báo cáo: …" or "- Kế hoạch … - Báo cáo …" in one paragraph
        for piece in re.split(r";\s*|\s+-\s+(?=[A-ZĐÀ-Ỹa-zđ]+[^:]*:)", line):
            if piece.strip():
                out.append(piece.strip())
    return out


def parse_deadline(lines: list[str], period_label: str | None, products: Sequence[str] = ()) -> Deadline:
    """The parts of one deadline cell (one paragraph per line of the cell). A part read from inside longer
    words keeps them (``text``: printed as written); a piece with no date in it is such a part too."""
    source = " / ".join(norm_space(l) for l in lines if l.strip())
    parts, exact, unread = [], True, []
    for piece in _pieces(lines):
        if len(piece) > MAX_DEADLINE:
            unread.append(piece)
            continue
        what, body = None, piece
        m = re.match(r"^([^:]{1,40}):\s*(.+)$", piece)
        if m:
            what, body = m.group(1).strip(), m.group(2)
        when = _when(body, period_label)
        if when is None and what is None:
            for prod in sorted({p.split()[0] for p in products if p.split()} | {"Kế hoạch", "Báo cáo"}, key=len,
                               reverse=True):
                if body.lower().startswith(prod.lower() + " "):
                    what, body = prod[:1].upper() + prod[1:], body[len(prod):].strip()
                    break
        words = {}
        if when is None:  # found inside longer words, or none at all: the words are kept as written
            when, exact = _loose_when(body), False
            words = {"text": piece.rstrip(";")}
        if when is None:  # no date in it ("Trước ngày 05 của tháng liền kề")
            unread.append(piece)
            when = {"as_planned": True}
        parts.append(({"what": what[:1].upper() + what[1:]} if what else {}) | when | words)
    if not parts:
        return Deadline([{"as_planned": True} | ({"text": source} if source else {})], False, source,
                        unread or [source])
    return Deadline(parts, exact and not unread, source, unread)


# --------------------------------------------------------------------------- header lines


@dataclass
class NumberLine:
    number: int | None
    kind: str  # "KH"
    agency_symbol: str  # "UBND"


def number_of(number: str, symbol: str) -> NumberLine | None:
    """From the reader's number line: digits ('' when left blank) and symbol ('KH-UBND')."""
    kind, _, agency = symbol.partition("-")
    if not kind or not agency:
        return None
    return NumberLine(int(number) if number.isdigit() and len(number) <= 9 else None, kind, agency)


@dataclass
class DateLine:
    place: str
    year: int
    month: int | None  # None: left blank too (a draft dated only by its year)
    day: int | None


def date_of(place: str, day: str, month: str, year: str) -> DateLine | None:
    """From the reader's date line; a blank day (or month) stays None."""
    if not (year.isdigit() and len(year) == 4 and year >= "1000") or (
            month and not (month.isdigit() and len(month) <= 2 and 1 <= int(month) <= 12)):
        return None  # a year of four digits, as the decree writes it (a calendar's year 0 or 20255 is none)
    return DateLine(place, int(year), int(month) if month else None,
                    int(day) if day.isdigit() and len(day) <= 2 and month else None)


# --------------------------------------------------------------------------- signature, recipients

POSITIONS = {"CHỦ TỊCH": "Chủ tịch", "PHÓ CHỦ TỊCH": "Phó Chủ tịch", "GIÁM ĐỐC": "Giám đốc",
             "PHÓ GIÁM ĐỐC": "Phó Giám đốc", "TRƯỞNG PHÒNG": "Trưởng phòng", "PHÓ TRƯỞNG PHÒNG": "Phó Trưởng phòng",
             "CHÁNH VĂN PHÒNG": "Chánh Văn phòng", "PHÓ CHÁNH VĂN PHÒNG": "Phó Chánh Văn phòng",
             "TRƯỞNG BAN": "Trưởng ban", "PHÓ TRƯỞNG BAN": "Phó Trưởng ban", "BÍ THƯ": "Bí thư"}


def position_words(upper_text: str) -> str:
    """'PHÓ CHỦ TỊCH' -> 'Phó Chủ tịch' (known titles), else sentence case."""
    t = norm_space(upper_text).upper()
    if t in POSITIONS:
        return POSITIONS[t]
    return t[:1] + t[1:].lower()


@dataclass
class SignatureLines:
    authority: str  # "", "TM", "KT", "Q", "TL", "TUQ"
    for_committee: bool
    collective: str | None  # "ỦY BAN NHÂN DÂN" of a "TM." line
    head_position: str | None  # "Chủ tịch" of "KT. CHỦ TỊCH"
    position: str  # the signer's position: "Phó Chủ tịch"
    name: str | None


def parse_signature(lines: list[str]) -> SignatureLines | None:
    """The authority lines (upper case), then blank room, then the signer's name."""
    lines = [norm_space(l) for l in lines if norm_space(l)]
    caps = [l for l in lines if l == l.upper()]
    rest = [l for l in lines if l != l.upper()]
    if not caps:
        return None
    authority, collective, head, for_committee = "", None, None, False
    forms = []
    for line in caps:
        m = re.match(r"^(TM|KT|Q|TL|TUQ)\s*\.\s*(.+)$", line)
        if m:
            forms.append((m.group(1), m.group(2)))
    position = caps[-1]
    if forms and forms[0][0] == "TM":
        collective = forms[0][1]
        if len(forms) > 1:
            for_committee, authority, head = True, forms[1][0], position_words(forms[1][1])
        else:
            authority = "TM"
    elif forms:
        authority, head = forms[0][0], position_words(forms[0][1])
    if re.match(r"^(TM|KT|Q|TL|TUQ)\s*\.", position):
        position = re.sub(r"^(TM|KT|Q|TL|TUQ)\s*\.\s*", "", position)  # "Q. CHỦ TỊCH" signs as head
        if authority == "Q":
            head = position_words(position)
    return SignatureLines(authority, for_committee, collective, head, position_words(position),
                          rest[-1] if rest else None)


@dataclass
class RecipientLines:
    to: list[str]
    archive: list[str]
    copies: int | None
    extra: list[str]  # lines that are neither a recipient nor the archive line


def parse_recipients(lines: list[str]) -> RecipientLines:
    to, archive, copies = [], ["VT"], None
    extra: list[str] = []
    for line in (norm_space(l) for l in lines):
        if not line or re.match(r"^Nơi nhận\s*:?$", line, re.IGNORECASE):
            continue
        body = re.sub(r"^[-–+•]\s*", "", line)
        m = re.match(r"^Lưu\s*:?\s*(.+?)(?:\s*\((\d+)\s*bản\))?\s*\.?$", body)
        if m:
            archive = [a.strip() for a in re.split(r"[,;]", m.group(1)) if a.strip()]
            copies = int(m.group(2)) if m.group(2) else None
            continue
        if body:
            to.append(body.rstrip(";.,").strip())
    return RecipientLines(to, archive, copies, extra)
