"""Short forms a document spells out at their first use, read back as the commune's declared ones.

A document vanban made writes "cải cách hành chính (CCHC)" at the first use of each short form in it
(``plan.firstuse``); a hand-made one often does the same. The import declares each such short form
once (``commune.yaml``: ``abbreviations``) and writes the text with the short form alone, so that a
build of the imported inputs spells it out again where a reader first meets it — in each document
the plan, its appendices and its sub-plans become.
"""

from __future__ import annotations

import re

from pipeline.decree.vietnamese import lower_first
from pipeline.lint.spelling import toneless

DEFINED_RE = re.compile(r"\(([A-ZĐ][A-ZĐ0-9]{1,})\)")
WORD_RE = re.compile(r"[^\W\d_][\w]*", re.UNICODE)
MAX_WORDS = 10


def _initial(word: str) -> str:
    return toneless(word[:1]).upper().replace("Đ", "D")


def words_before(text: str, end: int, short: str) -> str | None:
    """The words just before ``end`` whose initials spell ``short`` ("cán bộ, công chức" for CBCC; the
    first words of "Mặt trận Tổ quốc Việt Nam" for MTTQ), or None."""
    words = list(WORD_RE.finditer(text[:end]))
    want = toneless(short).upper().replace("Đ", "D")
    for exact in (True, False):
        for k in range(1, min(len(words), MAX_WORDS) + 1):
            chosen = words[-k:]
            initials = "".join(_initial(w.group(0)) for w in chosen)
            if initials == want or (not exact and initials.startswith(want) and k > len(want)):
                said = text[chosen[0].start():end].rstrip()
                if "(" in said or ")" in said or ";" in said:
                    return None
                later = said.split()[1:]
                return lower_first(said) if all(w[:1].islower() or not w[:1].isalpha() for w in later) else said
    return None


def harvest(texts: list[str]) -> dict[str, str]:
    """Each short form the texts spell out, with its words as first written."""
    found: dict[str, str] = {}
    for text in texts:
        if "(" not in text:
            continue
        for m in DEFINED_RE.finditer(text):
            full = words_before(text, m.start(), m.group(1))
            if full and m.group(1) not in found:
                found[m.group(1)] = full
    return found


def shorten(text: str, found: dict[str, str]) -> str:
    """``text`` with each spelled-out short form of ``found`` written as the short form alone."""
    if "(" not in text:
        return text
    for short, full in found.items():
        if f"({short})" in text:
            spelled = "(?i:" + re.escape(full[:1]) + ")" + re.escape(full[1:]) + r"\s*\(" + re.escape(short) + r"\)"
            text = re.sub(spelled, short, text)
    return text


def read_back(doc) -> dict[str, str]:
    """Declare the short forms ``doc`` spells out and write its paragraphs (table cells included) with the
    short forms alone; the importer's own read of the file, changed in place before anything reads it."""
    found = harvest([p.text for p in doc.paragraphs])
    if found:
        for p in doc.paragraphs:
            p.text = shorten(p.text, found)
    return found
