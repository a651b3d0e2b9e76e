"""The body of a document: hand-typed numbering turned into vanban's nested sections.

Numbers are dropped (vanban computes them): a section "II." opens a section, "1." / "2.1." open
clauses (or numbered paragraphs, when the line reads as a sentence rather than a title), "a)" is a
point, "-" a bullet; "+" lines and unnumbered paragraphs are kept as they are. A duplicated "2.5."
simply becomes the next number; every typed number that vanban will print differently is listed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.decree.labels import roman
from pipeline.importer.blocks import table_item
from pipeline.importer.textparse import Token, norm_space, token
from pipeline.importer.yamlout import REVIEW, Noted
from pipeline.decree.vietnamese import upper

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MARKS = frozenset('.:;(-"“')  # after these (and a space), or at a text's start, a word opens a sentence


def _own_case_words(texts: list[str]):
    """The words (``WORD``) of ``texts`` that do not open a sentence — a sentence's first word says nothing about
    the word's own case —, in order: after a character that is not a space or one of ``_MARKS``, with one space
    between. Texts in capitals are left out. A word made of letters alone is a whole token: no pattern for it."""
    for text in texts:
        if text == text.upper():
            continue
        before = None  # the last character before the current token (None: the text's start)
        for tok in text.split(" "):
            if tok.isalpha():
                if before is not None and before not in _MARKS:
                    yield tok
            else:
                for m in WORD.finditer(tok):
                    mark = before if m.start() == 0 else tok[m.start() - 1]
                    if mark is not None and mark not in _MARKS:
                        yield m.group()
            if tok:
                before = tok[-1]


class Casing:
    """Restores the case of a heading printed in capitals from how the body writes its words."""

    def __init__(self, texts: list[str]):
        """``texts``: the document's paragraphs, their spaces normalised (``textparse.norm_space``)."""
        seen = Counter(_own_case_words(texts))  # each spelling of a word where its case is its own; first seen first
        forms: dict[str, Counter] = {}
        for w, n in seen.items():
            forms.setdefault(w.lower(), Counter())[w] += n
        self.forms = {k: c.most_common(1)[0][0] for k, c in forms.items()}

    def restore(self, text: str) -> str:
        if text != text.upper():
            return text
        out = WORD.sub(lambda m: self.forms.get(m.group(0).lower(), m.group(0).lower()), text)
        return out[:1].upper() + out[1:] if upper(out) == text else text


@dataclass
class Line:
    """One body paragraph as the mapping needs it."""

    text: str
    bold: bool = False
    italic: bool = False
    auto_label: str = ""  # Word's own list number, when the paragraph has one
    table: object | None = None  # a table found among the body's paragraphs
    task: bool = True  # the table reads as a task table (else it is kept as a table of the body)


@dataclass
class BodyResult:
    sections: list[dict]
    closing: str | None
    renumbered: list[tuple[str, str, str]] = field(default_factory=list)  # typed, printed, title
    kept: list[str] = field(default_factory=list)  # what could not be placed exactly
    paragraphs: int = 0
    tables: list = field(default_factory=list)  # (items list, index, table) to fill in later
    body_tables: list = field(default_factory=list)  # the other tables, as ``table:`` blocks
    dropped: list[str] = field(default_factory=list)  # what is not carried


def _title_like(text: str) -> bool:
    return len(text) <= 160 and not text.rstrip().endswith((".", ";", "./."))


class BodyBuilder:
    def __init__(self, casing: Casing):
        self.casing = casing

    def build(self, lines: list[Line]) -> BodyResult:
        res = BodyResult([], None)
        lines, res.closing = self._closing(lines)
        stack: list[tuple[int, list, str]] = []  # (depth, items, printed label)
        counters: dict[int, int] = {}
        tokens = [token(line.text, line.auto_label) if line.table is None else None for line in lines]
        for i, line in enumerate(lines):
            res.paragraphs += 1
            if line.table is not None:
                if not stack:  # a table before the first section: in a first section of its own
                    stack = self._opening(res, "bảng trước mục I.")
                if not line.task:
                    item, notes = table_item(line.table, f"bảng {len(res.body_tables) + 1} trong nội dung")
                    res.body_tables.append(item)
                    (res.kept if item else res.dropped).extend(notes)
                    if item:
                        stack[-1][1].append(item)
                    continue
                item = {"tasks": "own"}
                stack[-1][1].append(item)
                res.tables.append((stack[-1][1], len(stack[-1][1]) - 1, line.table))
                continue
            tok = tokens[i]
            assert tok is not None  # a line that is not a table has its token
            if tok.kind == "section":
                res.sections.append({"title": self.casing.restore(tok.text), "items": []})
                stack = [(0, res.sections[-1]["items"], f"{len(res.sections)}")]
                counters = {}
                self._check_label(tok, self._roman(len(res.sections)), tok.text, res)
                continue
            if not stack:  # text before the first section: kept in a first section of its own
                stack = self._opening(res, f"đoạn trước mục I.: '{line.text[:60]}'")
            self._place(tok, line, tokens[i + 1] if i + 1 < len(lines) else None, i + 1 < len(lines), stack,
                        counters, res)
        return res

    @staticmethod
    def _opening(res: BodyResult, what: str) -> list[tuple[int, list, str]]:
        """A first section for what stands before section I.: its title is vanban's, to review."""
        res.sections.append({"title": Noted("Mở đầu", f"{REVIEW}: văn bản không có mục I. ở đây"), "items": []})
        res.kept.append(what + " — đặt vào mục 'Mở đầu' do vanban thêm")
        return [(0, res.sections[-1]["items"], "")]

    @staticmethod
    def _roman(n: int) -> str:
        return roman(n) + "."

    def _closing(self, lines: list[Line]) -> tuple[list[Line], str | None]:
        if lines and lines[-1].table is None:
            last = lines[-1]
            tok = token(last.text, last.auto_label)
            if tok.kind == "none" and norm_space(last.text).endswith("/."):
                return lines[:-1], norm_space(last.text)
        return lines, None

    def _place(self, tok: Token, line: Line, nxt_tok: Token | None, more: bool, stack: list, counters: dict,
               res: BodyResult) -> None:
        """``nxt_tok``: the next line's token (None for a table or the end); ``more``: whether a line follows."""
        if tok.kind == "clause":
            depth = min(tok.depth, stack[-1][0] + 1)
            while len(stack) > 1 and stack[-1][0] >= depth:
                stack.pop()
            depth = stack[-1][0] + 1
            counters[depth] = counters.get(depth, 0) + 1
            for deeper in [d for d in counters if d > depth]:
                del counters[deeper]
            parent_label = stack[-1][2] if depth > 1 else ""
            printed = (parent_label + "." if parent_label else "") + str(counters[depth])
            self._check_label(tok, printed + ".", tok.text, res)
            has_children = more and (nxt_tok is None or nxt_tok.kind != "section"
                                     and not (nxt_tok.kind == "clause" and nxt_tok.depth <= tok.depth))
            if line.bold or (has_children and _title_like(tok.text)):
                clause = {"clause": tok.text, "items": []}
                stack[-1][1].append(clause)
                stack.append((depth, clause["items"], printed))
            else:
                stack[-1][1].append({"numbered": tok.text})
            return
        items = stack[-1][1]
        if tok.kind == "bullet":
            items.append({"bullet": tok.text})
        elif tok.kind == "point":
            items.append({"point": tok.text})
        elif line.italic and tok.text.startswith("("):
            items.append({"note": tok.text})
        elif tok.kind == "plus":  # no second-level bullet in vanban: kept as a paragraph with its '+'
            items.append(norm_space(line.text))
            text = norm_space(line.text)
            res.kept.append(f"dòng '+' giữ nguyên là đoạn văn: '{text[:60]}{'…' if len(text) > 60 else ''}'")
        else:
            items.append(tok.text)

    @staticmethod
    def _check_label(tok: Token, printed: str, title: str, res: BodyResult) -> None:
        if tok.label != printed:
            res.renumbered.append((tok.label, printed, title[:60]))


def clean_empty_clauses(items: list) -> None:
    """A clause with no items is a numbered line after all (same printed text, no bold title)."""
    for item in items:
        if isinstance(item, dict) and "clause" in item:
            if item["items"]:
                clean_empty_clauses(item["items"])
            else:
                del item["items"]
