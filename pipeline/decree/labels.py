"""Labels of numbered items, and the placeholder marker: one home for every reader and the generator.

Two alphabets meet in a commune's Word files, and they must not be confused:

* the decree's points are lettered in the **Vietnamese alphabet**, "a) b) c) d) đ) e) g) h) i) k) …"
  (``VIET_LETTERS``): what vanban's generator writes and what a clerk types by hand;
* Word's **automatic** numbering (``w:numFmt`` ``lowerLetter``/``upperLetter``) counts in the Latin
  alphabet, "a) b) c) d) e) f) …", and after "z" doubles the letter: "aa", "bb", "cc" … (ECMA-376
  Part 1, §17.18.59 ``ST_NumberFormat``). A reader shows Word's labels as Word shows them
  (``word_number``), and typed labels as typed.

Roman numerals (``roman``, ``roman_value``) serve headings ("II."), quarters ("quý III") and
appendices ("Phụ lục IV").

Every label is made in constant time, whatever number a file asks for: a list may declare that it
starts at 10^12. A number above ``LABEL_MAX`` (3999, the largest standard Roman numeral, far beyond any
list a document holds) is written in Arabic figures in every format, Roman or lettered.

Standard library only: ``pipeline/vcs/textconv.py`` runs as a bare script that git starts once per
file, and imports this module.
"""

from __future__ import annotations

import re

PLACEHOLDER = "CẦN ĐIỀN"  # marks a place the office must fill in (``vanban init``, ``vanban import``)

VIET_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()  # the decree's point letters

_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
_ROMAN_VALUES = dict((letters, value) for value, letters in _ROMAN if len(letters) == 1)
LABEL_MAX = 3999  # MMMCMXCIX: above it, labels are Arabic figures (constant time, constant length)
_ROMAN_RE = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")


def roman(n: int) -> str:
    """``n`` (1 or more) in Roman numerals: 4 → "IV"; above ``LABEL_MAX``, the Arabic number."""
    if n < 1:
        raise ValueError(n)
    if n > LABEL_MAX:
        return str(n)
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def roman_value(s: str) -> int | None:
    """The number a well-formed Roman numeral stands for ("XIV" → 14); None for anything else."""
    if not s or not _ROMAN_RE.fullmatch(s):
        return None
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = _ROMAN_VALUES[a]
        total += -v if _ROMAN_VALUES.get(b, 0) > v else v
    return total


def point_letter(index: int) -> str:
    """The ``index``-th (0-based) point letter of the decree: a, b, c, d, đ, e, …"""
    return VIET_LETTERS[index]


def point_value(letter: str) -> int | None:
    """The place (1-based) of a typed point letter in the Vietnamese alphabet: "đ" → 5; None if not one."""
    return _POINT_VALUES.get(letter)


_POINT_VALUES = {letter: place for place, letter in enumerate(VIET_LETTERS, 1)}


def word_letter(n: int) -> str:
    """Word's ``lowerLetter`` number ``n``: a … z, then aa, bb, … zz, then aaa …; "" below 1; above
    ``LABEL_MAX``, the Arabic number (not a letter repeated a billion times)."""
    if n < 1:
        return ""
    if n > LABEL_MAX:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def word_number(n: int, fmt: str) -> str:
    """How Word shows number ``n`` of a list level whose ``w:numFmt`` is ``fmt``.

    Formats vanban does not know are shown as decimals; "bullet" and "none" show no number.
    """
    if fmt in ("none", "bullet"):
        return ""
    if fmt in ("lowerLetter", "upperLetter"):
        letters = word_letter(n)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("upperRoman", "lowerRoman"):
        numeral = roman(n) if n >= 1 else ""
        return numeral.lower() if fmt == "lowerRoman" else numeral
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)
