"""Unit names found in a document's tables, gathered into the units of ``commune.yaml``.

Spellings of one name ("Phòng VH-XH", "Phòng VHXH", "Phòng Văn hóa – Xã hội") become one unit
whose other spellings are kept as ``variants`` (the lint then points them out); a printed short
name ("Trung tâm PV HCC") is matched with its full name in the text when the initials agree.
Collective partners ("Các phòng chuyên môn UBND xã") become groups.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.importer.textparse import norm_space, toneless
from pipeline.decree.vietnamese import slug

EXPAND_MAX = 50  # short names looked up in full in the text (the most used first)
_OLD_TONE = {"oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "uý": "úy", "uỳ": "ùy", "uỷ": "ủy",
             "uỹ": "ũy", "uỵ": "ụy"}


def key(name: str) -> str:
    """What two spellings of one unit share: case, dashes, spaces and tone placement aside."""
    t = norm_space(name).lower()
    for old, new in _OLD_TONE.items():
        t = t.replace(old, new)
    t = re.sub(r"\s*[-–—]\s*", "", t)
    return re.sub(r"\s+", " ", t)


def split_names(lines: list[str]) -> list[str]:
    """The unit names of one table cell: one per line, or several on a line, joined by ';', or by ','
    when every piece starts with a capital ('Phòng Kinh tế, Công an xã'); 'Các cơ quan, bộ phận
    có liên quan' stays whole, and so does 'Sở Tư pháp; UBND các xã, phường' after its ';'."""
    out = []
    for line in lines:
        line = re.sub(r"^[-–+•]\s*", "", norm_space(line)).rstrip(";.,")
        for part in (p.strip() for p in line.split(";")):  # ';' always separates names; ',' only some
            pieces = [p.strip() for p in part.split(",") if p.strip()]
            if len(pieces) > 1 and all(p[:1].isupper() for p in pieces):
                out += pieces
            elif part:
                out.append(part)
    return out


def is_group(name: str) -> bool:
    return bool(re.match(r"^(Các|Những|Tất cả|Toàn thể)\b", name))


@dataclass
class Found:
    id: str
    name: str  # as printed most often in the tables
    full: str | None = None  # the full name found in the text, when the printed one is short
    variants: list[str] = field(default_factory=list)
    group: bool = False
    count: int = 0


def _initials_pattern(short: str) -> re.Pattern | None:
    """'Trung tâm PV HCC' -> a pattern for 'Trung tâm P… V… H… C… C…' words."""
    words = short.split()
    if not any(len(w) >= 2 and w.isupper() and w.isalpha() for w in words):
        return None
    parts = []
    for w in words:
        if len(w) >= 2 and w.replace("-", "").isupper() and w.replace("-", "").isalpha():
            for letter in w.replace("-", ""):
                parts.append(rf"{letter}\w*(?:\s*[-–]\s*|\s+)")
        else:
            parts.append(re.escape(w) + r"\s+")
    body = "".join(parts)
    body = body[: body.rfind("(?:")] if body.endswith(r"|\s+)") else body[:-3]
    return re.compile(r"\b" + body, re.IGNORECASE)  # from a word's start: each word is tried once


def expand(short: str, texts: list[str], plains: list[str] | None = None) -> str | None:
    """The full name whose initials give the abbreviated words of ``short``, if the text has it; ``plains``:
    ``texts`` without their tone marks, when the caller has them already (made once for every unit)."""
    pat = _initials_pattern(toneless(short))
    if pat is None:
        return None
    for text, plain in zip(texts, plains if plains is not None else map(toneless, texts)):
        for m in pat.finditer(plain):
            full = text[m.start():m.end()].strip()
            if full != short and not any(w.isupper() and len(w) > 1 for w in full.split()[len(short.split()) - 1:]):
                return full
    return None


class UnitBook:
    """Every unit name seen, merged by spelling, with ids."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()
        self.leads: set[str] = set()  # keys of names seen as a lead: those are units, even "Các sở, ngành"

    def add(self, names: list[str], lead: bool = False) -> None:
        self.seen.update(names)
        if lead:
            self.leads |= {key(n) for n in names}

    def build(self, texts: list[str]) -> list[Found]:
        by_key: dict[str, list[str]] = {}
        # most used first; on a tie the spelling without dashes and with today's tone marks
        ranked = sorted(self.seen, key=lambda n: (-self.seen[n], "-" in n or "–" in n, key(n) != n.lower(), n))
        for name in ranked:
            by_key.setdefault(key(name), []).append(name)
        found: list[Found] = []
        ids = Ids()
        expansions = 0
        plains: list[str] | None = None  # the texts without tone marks, made when a first unit needs them
        for spellings in by_key.values():
            name = spellings[0]
            unit = Found("", name, variants=spellings[1:], group=is_group(name) and key(name) not in self.leads,
                         count=sum(self.seen[s] for s in spellings))
            if not unit.group and expansions < EXPAND_MAX and _initials_pattern(toneless(name)) is not None:
                expansions += 1  # the most used first: a real plan has a few dozen units
                plains = [toneless(t) for t in texts] if plains is None else plains
                unit.full = expand(name, texts, plains)
            found.append(unit)
        by_full: dict[str, list[Found]] = {}
        for u in found:
            if u.full:
                by_full.setdefault(key(u.full), []).append(u)
        merged: set[int] = set()
        for unit in found:  # "Phòng Văn hóa - Xã hội" printed in full once and short elsewhere
            other = next((u for u in by_full.get(key(unit.name), []) if u is not unit and id(u) not in merged), None)
            if other is not None:
                other.variants += [v for v in [unit.name] + unit.variants if v not in (other.full, other.name)]
                other.count += unit.count
                merged.add(id(unit))
        found = [u for u in found if id(u) not in merged]
        for unit in found:
            unit.id = _new_id(unit.full or unit.name, ids)
        return found

    @staticmethod
    def lookup(found: list[Found], name: str) -> Found | None:
        return index_units(found).get(key(name))


def index_units(found: list[Found]) -> dict[str, Found]:
    """Every spelling of every unit (name, variants, full name) -> the first unit that has it: one lookup per
    name, however many units a table names."""
    index: dict[str, Found] = {}
    for u in found:
        for k in [key(u.name), *(key(v) for v in u.variants), *([key(u.full)] if u.full else [])]:
            index.setdefault(k, u)
    return index


# phrases every office writes short, as its clerks do in ids ("vp_hdnd_ubnd", "tt_pvhcc")
_SHORT = (("uy ban nhan dan", "ubnd"), ("hoi dong nhan dan", "hdnd"), ("van phong", "vp"),
          ("phuc vu hanh chinh cong", "pvhcc"), ("trung tam", "tt"), ("mat tran to quoc", "mttq"),
          ("cong nghe thong tin", "cntt"))
ID_WORDS, ID_CHARS = 7, 32


def _new_id(name: str, taken: Ids) -> str:
    """A readable id for a unit: its name's words without tone marks, common phrases short, whole words up
    to ``ID_WORDS`` and ``ID_CHARS`` ("Sở Tư pháp" → ``so_tu_phap``, "Văn phòng HĐND và UBND" →
    ``vp_hdnd_ubnd``); ``_2``, ``_3`` … when taken."""
    name = re.sub(r"^Phòng\s+(?=\S+\s+\S)", "", name)  # "Phòng Kinh tế" → kinh_te; "Phòng VHXH" stays whole
    text = " " + " ".join(slug(name).split("-")) + " "
    for phrase, short in _SHORT:
        text = text.replace(f" {phrase} ", f" {short} ")
    base = ""
    for word in [w for w in text.split() if w not in ("va", "cua")][:ID_WORDS]:
        if base and len(base) + 1 + len(word) > ID_CHARS:
            break
        base = f"{base}_{word}" if base else word
    base = base or "don_vi"
    if not base[0].isalpha():
        base = "dv_" + base
    return taken.new(base)


class Ids:
    """The ids given so far in one file; ``new(base)`` gives ``base``, else ``base_2``, ``base_3`` … the first
    free one. The count of each base goes on where it stopped: 20,000 alike cost 20,000 steps, not 200 million."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next: dict[str, int] = {}

    def new(self, base: str) -> str:
        out, n = base, self.next.get(base, 2)
        while out in self.taken:
            out, n = f"{base}_{n}", n + 1
        self.next[base] = n
        self.taken.add(out)
        return out
