"""Short forms spelled out at their first use in each document.

A commune declares its short forms once (``commune.abbreviations``: "CCHC: cải cách hành chính"). A
reader of any one document — a standalone appendix or a sub-plan too, which have no body of their own
to define them in — meets "cải cách hành chính (CCHC)" the first time and "CCHC" after. This is done
here, on the finished context of each part of a document, in the order the reader meets its text:
the title, "Kính gửi", the body (tables cell by cell), so every kind of document gets it without a
word of its text written twice. The header, the number and date line, the citations under an
appendix title, the signature and "Nơi nhận" are left as written (the decree's forms).
"""

from __future__ import annotations

import html
import re
from typing import Any

from markupsafe import Markup

from pipeline.decree.forms import NBSP  # joins the words of a name held whole in a table (held_name)
from pipeline.decree.vietnamese import upper

# parts of a context that are the decree's fixed forms, not prose a short form is defined in
LEFT_AS_WRITTEN = frozenset({"hdr", "sig", "reference", "label", "preamble", "summary_rule", "type_name"})
TEXT_RUN = re.compile(r"(<w:t(?:\s[^>]*)?>)([^<]*)(</w:t>)")
SHORTS_ONLY = re.compile(r"[A-ZĐ0-9]+(?:[,;]?\s*[A-ZĐ0-9]+)*")
SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|^-\s+|\n)$")


def short_form_pattern(shorts) -> re.Pattern[str] | None:
    """A short form as a whole token: not inside a longer one, nor in a number symbol ("KH-TTPVHCC")."""
    if not shorts:
        return None
    alternatives = "|".join(re.escape(s) for s in sorted(shorts, key=len, reverse=True))
    return re.compile(r"(?<![\w/\-])(" + alternatives + r")(?![\w/\-])")


class FirstUse:
    """Spells out each short form the first time a text passed to it holds it; keeps it after."""

    def __init__(self, abbreviations: dict[str, str]):
        self.full = abbreviations
        self.pattern = short_form_pattern(abbreviations)
        self.defined: set[str] = set()

    def __call__(self, text: str) -> str:
        if self.pattern is None or not self.pattern.search(text):
            return text
        rest = self.pattern.sub("", text)
        capitals = any(c.isalpha() for c in rest) and not any(c.islower() for c in rest)  # a title in capitals
        out, last = [], 0
        for found in self.pattern.finditer(text):
            short = found.group(1)
            if short in self.defined:
                continue
            self.defined.add(short)
            if _in_parentheses(text, found.start(), found.end()):
                continue  # defined where it is written: "cải cách hành chính (CCHC)", "… (THTK, CLP)"
            full = self.full[short]
            if capitals:
                full = upper(full)
            elif SENTENCE_START.search(text[:found.start()]):
                full = full[:1].upper() + full[1:]
            before = text[last:found.start()]
            if before.endswith(NBSP):  # a unit's name held whole ("Phòng VHXH"): spelled out, it is long
                before = before[:-1] + " "
            out += [before, f"{full} ({short})"]
            last = found.end()
        return "".join(out) + text[last:]


def _in_parentheses(text: str, start: int, end: int) -> bool:
    """The short form stands in parentheses that hold only short forms: "(CCHC)", "(THTK, CLP)"."""
    opened, closed = text.rfind("(", 0, start), text.find(")", end)
    return opened >= 0 and closed >= 0 and bool(SHORTS_ONLY.fullmatch(text[opened + 1:closed]))


def spell_out(context: dict[str, Any], first: FirstUse) -> dict[str, Any]:
    """``context`` with the short forms ``first`` has not met yet spelled out at their first use (a new
    context); ``first`` remembers them for the next part of the same document."""
    return _walk(context, first)


def _walk(value: Any, first: FirstUse) -> Any:
    if isinstance(value, Markup):  # a table or paragraph built as WordprocessingML: its text runs, in order
        def run(found: re.Match) -> str:
            said = first(html.unescape(found.group(2)))
            return found.group(1) + html.escape(said, quote=False) + found.group(3)

        return Markup(TEXT_RUN.sub(run, str(value)))
    if isinstance(value, str):
        return first(value)
    if isinstance(value, dict):
        return {k: v if k in LEFT_AS_WRITTEN else _walk(v, first) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, first) for v in value]
    if isinstance(value, tuple):
        return tuple(_walk(v, first) for v in value)
    return value
