"""The document layer, continued: the body's numbered structure, signature, recipients, appendices."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from pipeline.decree.labels import point_value, roman_value
from pipeline.docread.document import Appendix, Item, Para, Recipients, Signature
from pipeline.docread.structure import norm, same_column

AUTHORITY_RE = re.compile(r"^(TM|KT|Q|TL|TUQ)\.\s*\S")
# slips: "T/M", "K/T", "T.M", "KT CHỦ TỊCH" (no full stop), "KT.CHỦ TỊCH" (no space)
AUTHORITY_SLIP_RE = re.compile(r"^(T/M|K/T|T\.M\.?|K\.T\.?|T/L|TM|KT|TL|TUQ)(\s|\.(?=\S))", re.IGNORECASE)
# "Phụ lục II" alone, or with its title after a colon on the same line ("PHỤ LỤC SỐ 01: CẢI CÁCH THỂ CHẾ")
# "(Kèm theo Kế hoạch số …)"; "(Ban hành kèm theo Quyết định số …)" for a regulation a decision issues
REFERENCE_RE = re.compile(r"^\(\s*(?:ban\s+hành\s+)?kèm\s+theo\b", re.IGNORECASE)
APPENDIX_RE = re.compile(r"^ph[ụu] l[ụu]c(\s+(số\s+)?[0-9IVXLC]+)?\s*([:.\-–]\s*\S.*)?$", re.IGNORECASE)
_HEAD_END = r"(?=\s*$|\s*[.:\-–]\s*\S|\s+[A-ZĐÀ-Ỹ]{2})"  # a heading line: the label alone, or with its title
ITEM_RES = [
    # a model form of the decree ("Mẫu 1.2 - Quyết định …"): a document of its own inside the file
    ("form", re.compile(r"^Mẫu\s+(?P<label>\d+(?:\.\d+)*|văn bản)\b")),
    ("part", re.compile(r"^Phần\s+(?P<label>thứ\s+\w+|[IVXLC]+|\d+)" + _HEAD_END)),
    ("chapter", re.compile(r"^Chương\s+(?P<label>[IVXLC]+|\d+)" + _HEAD_END)),
    ("section", re.compile(r"^Mục\s+(?P<label>\d+|[IVXLC]+)(\.|\s*$|\s+[A-ZĐ])")),
    ("article", re.compile(r"^Điều\s+(?P<label>\d+)\s*\.")),
    ("roman", re.compile(r"^(?P<label>[IVXLC]+)\.\s")),
    ("decimal", re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s*(?=[^\d\s.,/%])")),
    ("arabic", re.compile(r"^(?P<label>\d{1,2})\.(?!\d)\s*\S")),
    ("letter", re.compile(r"^(?P<label>[a-zđ])\)\s")),
    ("dash", re.compile(r"^(?P<label>-)\s")),
    ("plus", re.compile(r"^(?P<label>\+)\s")),
]


AUTO_LEVELS = {"upperRoman": "roman", "decimal": "arabic", "lowerLetter": "letter", "bullet": "dash"}
# the characters each label can start with: a paragraph is tried only against the patterns its first
# character allows (the same first match, without trying eleven patterns on every paragraph)
_STARTS = {"form": "M", "part": "P", "chapter": "C", "section": "M", "article": "Đ", "roman": "IVXLC",
           "letter": "abcdefghijklmnopqrstuvwxyzđ", "dash": "-", "plus": "+"}  # decimal, arabic: a digit


def _patterns_for(first: str) -> list:
    if first not in _BY_FIRST:
        _BY_FIRST[first] = [(level, rx) for level, rx in ITEM_RES
                            if first in _STARTS.get(level, "") or (level in ("decimal", "arabic") and first.isdecimal())]
    return _BY_FIRST[first]


_BY_FIRST: dict[str, list] = {}


def item_of(p: Para) -> Item | None:
    """The numbered item ``p`` starts, from its typed label or from Word's automatic numbering
    (then its label is the one Word shows and its value None: Word counts it, so it is in sequence
    by construction)."""
    if p.auto_number:
        level = AUTO_LEVELS.get(p.auto_number)
        return Item(p, level, p.number_label, None) if level else None
    t = p.stripped
    for level, rx in _patterns_for(t[:1]):
        m = rx.match(t)
        if not m:
            continue
        label = m.group("label")
        if level in ("roman", "part", "chapter", "section") and re.fullmatch(r"[IVXLC]+", label):
            value = roman_value(label)
        elif level == "letter":
            value = point_value(label)  # typed by a person: the decree's Vietnamese alphabet
        elif level == "decimal":
            value = int(label.split(".")[-1])
            return Item(p, level, label, value, label.count(".") + 1)
        elif label.isdigit() and level != "form":
            value = int(label)
        else:
            value = None
        return Item(p, level, label, value)
    return None


def _lines_after(paras: list[Para], p: Para, skip: int, limit: int = 40) -> list[tuple[str, Para]]:
    """(line, paragraph) pairs from ``p``'s line ``skip`` on, then the next paragraphs of its column
    (or of the body); empty lines (blank paragraphs, doubled line breaks) are kept as ''."""
    column = same_column(paras, p) if p.place.table is not None else paras
    out = [(x.strip(), p) for x in p.text.split("\n")[skip:]]
    for q in column[column.index(p) + 1:column.index(p) + 1 + limit]:
        out += [(x.strip(), q) for x in q.text.split("\n")]
    return out


def _after_table(paras: list[Para], p: Para) -> list[tuple[str, Para]]:
    """The first paragraphs after ``p``'s table: a signer's name typed below the signature table."""
    if p.place.table is None:
        return []
    later = itertools.islice((q for q in paras[p.position:] if q.place.table != p.place.table), 4)
    return [(x.strip(), q) for q in later for x in q.text.split("\n")]


def _is_recipients_title(line: str) -> bool:
    return len(line) < 40 and line.rstrip(":").strip().lower() == "nơi nhận"


def signature_block(paras: list[Para], start: int) -> Signature | None:
    """The authority line (TM./KT./Q./TL./TUQ.), the position(s), and the signer under the blank lines."""
    tail = paras[start:]
    auth = next((p for p in reversed(tail) if AUTHORITY_RE.match(p.first_line) and len(p.first_line) < 80),
                None)
    m = AUTHORITY_RE.match(auth.lines[0]) if auth is not None else None
    form = m.group(1) if m else None
    if auth is None:  # the head signs personally: the position is the upper line beside "Nơi nhận"
        recip = next((p for p in tail if p.first_line and _is_recipients_title(p.first_line)), None)
        beside = [p for p in tail if recip is not None and recip.place.table is not None
                  and p.place.table == recip.place.table and p.place.cell != recip.place.cell]
        auth = next((p for p in beside if p.lines and p.lines[0] == p.lines[0].upper()), None)
        if auth is None:
            return None
    positions, blanks, signer = [auth], 0, None
    for line, p in _lines_after(paras, auth, 1, 16) + _after_table(paras, auth):
        if not line:
            blanks += 1 if positions else 0
            continue
        if line == line.upper():
            if blanks == 0 and p not in positions:
                positions.append(p)
            continue
        signer = p
        break
    return Signature(auth, form, positions if form is None else positions[1:], signer, blanks)


def recipients_block(paras: list[Para], start: int) -> Recipients | None:
    title = next((p for p in paras[start:] if p.first_line and _is_recipients_title(p.first_line)), None)
    if title is None:
        return None
    entries: list[tuple[str, list[Para]]] = []
    for line, p in _lines_after(paras, title, 1, 30):
        t = norm(line)
        if not t:
            continue
        if t.startswith(("-", "+", "–")) or not entries:
            entries.append((t, [p]))
        else:  # a recipient continued on the next paragraph
            text, ps = entries[-1]
            entries[-1] = (text + " " + t, ps if p in ps else ps + [p])
        if re.match(r"^[-–]\s*Lưu\b", t):
            break
    return Recipients(title, entries)


def appendix_blocks(paras: list[Para]) -> list[Appendix]:
    out = []
    for i, p in enumerate(paras):
        if not p.top_level or not APPENDIX_RE.match(p.stripped):
            continue
        title, ref = [], None
        for q in paras[i + 1:i + 7]:
            if not q.stripped:
                continue
            if REFERENCE_RE.match(q.stripped):
                ref = q
                break
            if q.align != "center" or q.in_table:
                break
            title.append(q)
        out.append(Appendix(p, title, ref, p.place.section))
    return out


def addressees(body: list[Para], after_title: Sequence[Para] = ()) -> list[str]:
    """ "Kính gửi: Sở Nội vụ." on one line, or "Kính gửi:" followed by "- …;" lines; or a borderless
    two-cell row, "Kính gửi:" in the first cell and the addressees in the second (``after_title``)."""
    for p in list(after_title)[:12]:
        if p.place.table is not None and norm(p.stripped).rstrip(":").strip() == "Kính gửi":
            cells = [q for q in after_title if (q.place.table, q.place.row) == (p.place.table, p.place.row)
                     and q.place.cell != p.place.cell and q.stripped]
            return [norm(q.stripped).lstrip("-– ").strip() for q in cells]  # punctuation kept, as above
    for i, p in enumerate(body[:8]):
        t = norm(p.stripped)
        if not t.startswith("Kính gửi"):
            continue
        rest = t.split(":", 1)[1].strip() if ":" in t else ""
        if rest:
            return [rest]
        out = []
        for q in body[i + 1:i + 30]:
            line = norm(q.stripped)
            if not line.startswith(("-", "–")):
                break
            out.append(line.lstrip("-– ").strip())
        return out
    return []
