"""YAML for people: block style, strings quoted only where YAML would misread them, and comments.

``Noted(value, comment)`` puts ``# comment`` at the end of the value's line (for a mapping or a
list: on its key's line). Any text a Word file holds survives the trip into YAML: a string is written
plain only when YAML's own rules read it back as that very string (its characters, its first character,
its implicit types: numbers, booleans, null, dates), and quoted otherwise, with every character YAML
does not take raw (controls, NEL, line and paragraph separators) escaped. The rules are checked once per
string, in constant time; no file is parsed again to check them (a plan of 20,000 paragraphs would
double the import's time).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

REVIEW = "CẦN KIỂM TRA"


@dataclass
class Noted:
    value: Any
    comment: str


_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*$")
# characters YAML reads only escaped: controls (tab included: not plain), NEL, line and paragraph separators, BOM,
# non-characters (and the surrogates Python strings may hold)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) and not value.is_integer() else str(int(value)) \
            if isinstance(value, float) else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if (_PLAIN.match(text) and ": " not in text and " #" not in text and not text.endswith((":", " "))
            and not _UNSAFE.search(text) and _a_string(text)):
        return text
    return quoted(text)


def quoted(text: str) -> str:
    """``text`` double-quoted: JSON's escapes are YAML's, and what YAML does not take raw is escaped too."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _a_string(text: str) -> bool:
    """A plain scalar YAML takes for a string, by its rules of implicit types (numbers, booleans, null, dates)."""
    if text[:1] not in _RESOLVER.yaml_implicit_resolvers:  # no implicit type starts with this character
        return True
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR


class Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.notes: list[tuple[int, str]] = []  # (line number, comment)

    def emit(self, line: str, comment: str | None = None) -> None:
        if comment:
            comment = " ".join(comment.split())
            line += "  # " + comment
            self.notes.append((len(self.lines) + 1, comment))
        self.lines.append(line)

    def comment(self, text: str, indent: int = 0) -> None:
        for line in text.splitlines() or [""]:
            self.lines.append(" " * indent + ("# " + line if line else "#"))

    def blank(self) -> None:
        self.lines.append("")

    def mapping(self, data: dict, indent: int = 0, first_prefix: str | None = None) -> None:
        pad = " " * indent
        for i, (k, v) in enumerate(data.items()):
            lead = first_prefix if (i == 0 and first_prefix is not None) else pad
            k = scalar(k)  # "on" is a boolean to YAML 1.1 readers unless quoted
            note = None
            if isinstance(v, Noted):
                v, note = v.value, v.comment
            if isinstance(v, dict) and v:
                self.emit(f"{lead}{k}:", note)
                self.mapping(v, indent + 2)
            elif isinstance(v, list) and v:
                self.emit(f"{lead}{k}:", note)
                self.sequence(v, indent + 2)
            elif isinstance(v, (list, dict)):
                self.emit(f"{lead}{k}: {'[]' if isinstance(v, list) else '{}'}", note)
            else:
                self.emit(f"{lead}{k}: {scalar(v)}", note)

    def sequence(self, items: list, indent: int) -> None:
        pad = " " * indent
        for item in items:
            note = None
            if isinstance(item, Noted):
                item, note = item.value, item.comment
            if isinstance(item, dict) and item:
                if note:
                    self.comment(f"{REVIEW}: {note}" if not note.startswith(REVIEW) else note, indent)
                    self.notes.append((len(self.lines), note))
                self.mapping(item, indent + 2, first_prefix=pad + "- ")
            elif isinstance(item, list):  # a table's row: its cells on one line, each in double quotes
                if any(isinstance(c, (list, dict, Noted)) for c in item):
                    raise TypeError("a row holds cells of text only")
                cells = ", ".join(json.dumps(str(c), ensure_ascii=False) for c in item)
                self.emit(f"{pad}- [{cells}]", note)
            else:
                self.emit(f"{pad}- {scalar(item)}", note)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def dump(data: dict, header: str = "") -> tuple[str, list[tuple[int, str]]]:
    """The YAML text of ``data`` and the (line, comment) of every comment attached to a value."""
    w = Writer()
    if header:
        w.comment(header)
        w.blank()
    w.mapping(data)
    return w.text(), w.notes


def plain(data: Any) -> Any:
    """``data`` without its notes."""
    if isinstance(data, Noted):
        return plain(data.value)
    if isinstance(data, dict):
        return {k: plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    return data
