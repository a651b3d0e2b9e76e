"""The parts of a document around its body: header block, title, signature, recipients, period."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from pipeline.decree import rules
from pipeline.decree.labels import PLACEHOLDER, roman_value
from pipeline.decree.vietnamese import slug
from pipeline.importer.textparse import (DateLine, NumberLine, SignatureLines, date_of, norm_space, number_of,
                                         parse_recipients, parse_signature)

UNIT_WORDS = ("THỊ TRẤN", "THỊ XÃ", "THÀNH PHỐ", "ĐẶC KHU", "PHƯỜNG", "HUYỆN", "QUẬN", "TỈNH", "XÃ")


@dataclass
class Head:
    parent_lines: list[str]
    agency_lines: list[str]
    number: NumberLine | None
    date: DateLine | None
    kind: str  # "KH", "CTr", "BC", …
    summary: str
    to: list[str]  # "Kính gửi"


def _lines(paras) -> list[str]:
    out = []
    for p in paras or []:
        out += [norm_space(x) for x in p.text.split("\n") if norm_space(x)]
    return out


def read_head(doc) -> Head:
    """Header block and title, as the reader found them."""
    h = doc.header
    number = date = None
    if h is not None and h.number is not None:
        number = number_of(h.number.number, h.number.symbol)
    if h is not None and h.date is not None and h.date.well_formed:
        date = date_of(h.date.place_name, h.date.day, h.date.month, h.date.year)
    agency = _lines(h.agency) if h is not None else []
    parent = _lines(h.parent) if h is not None else []
    kind = number.kind if number is not None else None
    if kind is None and doc.type_abbr:
        kind = doc.type_abbr
    summary = ""
    if doc.title is not None:
        summary = " ".join(_lines(doc.title.summary))
        if doc.title.type_name and summary.upper().startswith(doc.title.type_name + " "):
            summary = summary[len(doc.title.type_name) + 1:]
        if kind is None:
            kind = next((t.abbr for t in rules.DOC_TYPES if t.upper == doc.title.type_name), None)
    return Head(parent, agency, number, date, kind or "KH", summary, [])


def commune_names(head: Head, casing) -> tuple[str, str, str]:
    """(unit word, commune name, place) from the agency's last line and the date line."""
    last = head.agency_lines[-1] if head.agency_lines else ""
    word, name = "xã", ""
    for w in UNIT_WORDS:
        if last.upper().startswith(w + " "):
            word, name = w.lower(), last[len(w) + 1:]
            break
    place = head.date.place if head.date is not None else ""
    if name and place and place.upper() == name.upper():
        name = place
    elif name:
        name = casing.restore(name)
    return word, name or place or PLACEHOLDER, place or name or PLACEHOLDER


def province_of(texts: list[str]) -> str | None:
    found: Counter[str] = Counter()
    for t in texts:
        if "tỉnh " not in t:  # most paragraphs: not searched
            continue
        for m in re.finditer(r"\btỉnh ((?:[A-ZĐÀ-Ỹ][^\s,.;:()]*)(?: [A-ZĐÀ-Ỹ][^\s,.;:()]*)*)", t):
            found[m.group(1)] += 1
    return found.most_common(1)[0][0] if found else None


def signature_of(doc) -> SignatureLines | None:
    s = doc.signature
    if s is None:
        return None
    lines = _lines([p for p in [s.authority] + list(s.positions) if p is not None])
    seen, unique = set(), []
    for line in lines:
        if line not in seen:
            seen.add(line)
            unique.append(line)
    if s.signer is not None:
        unique.append(norm_space(s.signer.text))
    return parse_signature(unique)


def recipients_of(doc):
    r = doc.recipients
    if r is None:
        return None
    return parse_recipients([text for text, _ in r.entries])


def leader_id(position: str) -> str:
    return slug(position).replace("-", "_") or "lanh_dao"


# ------------------------------------------------------------------ the plan's period

_YEAR = r"([1-9]\d{3})(?!\d)"


def period_of(summary: str, year: int) -> tuple[dict, bool]:
    """The plan's period from its summary ('6 tháng cuối năm 2025'); False when guessed. Only years of four
    digits from 1000 are read, and quarters I–IV: "năm 0000" or "quý X" is a slip, not a period."""
    low = summary.lower()
    m = re.search(r"6 tháng (đầu|cuối) năm " + _YEAR, low)
    if m:
        y = int(m.group(2))
        start, end = ((dt.date(y, 1, 1), dt.date(y, 6, 30)) if m.group(1) == "đầu"
                      else (dt.date(y, 7, 1), dt.date(y, 12, 31)))
        return {"start": start, "end": end, "label": summary[m.start():m.end()]}, True
    m = re.search(r"quý ([ivx]+|[1-4]) năm " + _YEAR, low)
    q = (int(m.group(1)) if m.group(1).isdigit() else roman_value(m.group(1).upper()) or 1) if m else 0
    if m and 1 <= q <= 4:
        y, end_month = int(m.group(2)), 3 * q
        end = dt.date(y, end_month, calendar.monthrange(y, end_month)[1])
        return {"start": dt.date(y, end_month - 2, 1), "end": end, "label": summary[m.start():m.end()]}, True
    m = re.search(r"giai đoạn " + _YEAR + r"\s*-\s*" + _YEAR, low)
    if m:
        return {"start": dt.date(int(m.group(1)), 1, 1), "end": dt.date(int(m.group(2)), 12, 31),
                "label": summary[m.start():m.end()]}, True
    m = re.search(r"năm " + _YEAR, low)
    if m:
        y = int(m.group(1))
        return {"start": dt.date(y, 1, 1), "end": dt.date(y, 12, 31), "label": summary[m.start():m.end()]}, True
    return {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31), "label": f"năm {year}"}, False


def period_code(summary: str) -> str | None:
    """The report period a summary names: 'quý III năm 2025' -> '2025-Q3', '6 tháng cuối năm 2025' -> '2025-H2',
    'tháng 9/2025' -> '2025-09', 'năm 2025' -> '2025'."""
    low = summary.lower()
    m = re.search(r"quý ([ivx]+|[1-4])(?: năm |/)(\d{4})", low)
    if m:
        q = int(m.group(1)) if m.group(1).isdigit() else roman_value(m.group(1).upper())
        return f"{m.group(2)}-Q{q}" if q else None
    m = re.search(r"6 tháng (đầu|cuối) năm (\d{4})", low)
    if m:
        return f"{m.group(2)}-H{1 if m.group(1) == 'đầu' else 2}"
    m = re.search(r"tháng (\d{1,2})(?: năm |/)(\d{4})", low)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    m = re.search(r"năm (\d{4})", low)
    return m.group(1) if m else None
