"""Vietnamese spelling in the inputs: tone marks placed the old way, glossary words with a wrong tone.

``spelling_slips`` reads one text. Old-style tone placement ("hoá", "uỷ") is a warning; a run of
words whose toneless form is a phrase of the glossary (``data/glossary.txt``) but whose tones are
not is an error ("Kê hoạch" for "Kế hoạch"). The glossary is looked up by syllable (a trie), and
words inside a correctly spelt phrase are not part of a misspelt one; the i/y spelling ("tỉ lệ")
is not a slip.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
OLD_TONE_RE = re.compile(r"(?<![qQ])(?:o[áàảãạ]|u[ýỳỷỹỵ]|o[éèẻẽẹ])(?![^\W\d_])", re.IGNORECASE)
OLD_TONE_HINT = re.compile(r"[ou][áàảãạýỳỷỹỵéèẻẽẹ](?![^\W\d_])", re.IGNORECASE)  # OLD_TONE_RE without its look-behind
NEW_TONE = {"oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "uý": "úy", "uỳ": "ùy", "uỷ": "ủy",
            "uỹ": "ũy", "uỵ": "ụy", "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe"}


@lru_cache(maxsize=65536)  # the same words come back in every text
def toneless(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def new_tone(text: str) -> str:
    return OLD_TONE_RE.sub(lambda m: _keep_case(m.group(0), NEW_TONE[m.group(0).lower()]), text)


def _may_have_old_tone(text: str) -> bool:
    """False when ``OLD_TONE_RE`` cannot match: a quick look first, as its look-behind makes it slow to scan."""
    return any(m.start() == 0 or text[m.start() - 1] not in "qQ" for m in OLD_TONE_HINT.finditer(text))


def _keep_case(src: str, dst: str) -> str:
    return dst.upper() if src.isupper() else (dst[0].upper() + dst[1:] if src[0].isupper() else dst)


@lru_cache(maxsize=1)
def glossary() -> dict[int, dict[str, list[str]]]:
    """{number of syllables: {toneless form: the correct forms}} (two words may share a toneless form)."""
    out: dict[int, dict[str, list[str]]] = {}
    text = resources.files("pipeline").joinpath("data/glossary.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = unicodedata.normalize("NFC", line.split("#", 1)[0].strip().lower())
        if line:
            out.setdefault(len(line.split()), {}).setdefault(toneless(line), []).append(line)
    return out


@lru_cache(maxsize=1)
def _glossary_trie() -> dict:
    """The glossary by syllable: {toneless syllable: {next syllable: … "": the correct forms}}.

    A phrase is reached by following its words one by one; the forms stand under "" (no syllable
    is empty) at the end of it.
    """
    root: dict = {}
    for n, table in glossary().items():
        for phrase, forms in table.items():
            syllables = phrase.split(" ")
            if len(syllables) != n or "" in syllables:
                continue  # written with other spacing: no run of words can spell it
            node = root
            for syllable in syllables:
                node = node.setdefault(syllable, {})
            node[""] = forms
    return root


Slip = tuple[int, str, str, str, str]  # offset, rule, message, fix, severity


@lru_cache(maxsize=16384)  # texts repeat (a task's products, units' names) and a batch lints many communes
def spelling_slips(text: str) -> tuple[Slip, ...]:
    """The spelling findings of one text: old-style tone marks, then glossary words with a wrong tone."""
    out: list[Slip] = []
    normal = text
    if _may_have_old_tone(text):
        for m in OLD_TONE_RE.finditer(text):
            word = _word_at(text, m.start())
            out.append((m.start(), "spelling-old-tone", f"'{word}' đặt dấu kiểu cũ", f"viết '{new_tone(word)}'",
                        "warning"))
        normal = new_tone(text)  # the same length as ``text``: offsets hold in both
    words = list(WORD_RE.finditer(normal))
    windows = _glossary_windows(normal, words)
    # words inside a correctly spelt phrase are not part of a misspelt one ("tổ chức đánh giá")
    correct = {w for a, b, found, forms in windows if found.lower() in forms for w in range(a, b + 1)}
    for a, b, found, forms in windows:
        if found.lower() in forms or any(w in correct for w in range(a, b + 1)):
            continue
        if _i_for_y(found.lower()) in {_i_for_y(f) for f in forms}:
            continue  # "tỉ lệ", "kỉ luật", "đăng kí": the i/y spelling, not a tone mark
        start = words[a].start()
        shown = text[start:words[b].end()]
        out.append((start, "spelling", f"'{shown}' sai dấu",
                    "viết " + " hoặc ".join(f"'{_keep_case(shown, f)}'" for f in forms), "error"))
    return tuple(out)


def _glossary_windows(normal: str, words: list[re.Match]) -> list[tuple[int, int, str, list[str]]]:
    """(first word, last word, the words as written, correct forms) of every run of adjacent words
    (nothing but spaces between them: "Báo  cáo" is spelt right) whose toneless form is a glossary phrase."""
    written = [w[0] for w in words]
    keys = [toneless(w) for w in written]
    trie = _glossary_trie()
    windows = []
    for i in [i for i, first in enumerate(keys) if first in trie]:
        node, j = trie[keys[i]], i
        while True:
            if "" in node:
                windows.append((i, j, " ".join(written[i:j + 1]), node[""]))
            j += 1
            if j == len(keys) or keys[j] not in node or normal[words[j - 1].end():words[j].start()].strip():
                break
            node = node[keys[j]]
    return windows


_I_FOR_Y = str.maketrans("yýỳỷỹỵ", "iíìỉĩị")


def _i_for_y(text: str) -> str:
    return text.translate(_I_FOR_Y)


def _word_at(text: str, offset: int) -> str:
    start = offset
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    end = offset
    while end < len(text) and text[end].isalpha():
        end += 1
    return text[start:end]
