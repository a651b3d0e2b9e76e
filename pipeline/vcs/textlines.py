"""A .docx as canonical lines of plain text, as ``textconv`` prints them (the format is in its docstring).

Standard library only (and ``ooxml.xmlns``, ``ooxml.safezip``, ``decree.labels``): git runs ``textconv.py``
as a bare script once per file. A small hostile file must not hang git, fail it, or exhaust memory: the
reading is linear in the file's size and never raises on a value. Numbers are read defensively
(``_number``, ``_twips``; not a number: Word's default; out of range: clamped to ``MAX_LEVEL``,
``MAX_SPAN``, ``MAX_LEVEL_TEXT``); each part is walked once (a shared header is read once); structure
nested deeper than ``MAX_DEPTH`` (libxml2's own limit, which ``check`` and ``import`` meet too), or a file
not rendered within its time budget (``budget_s``), is ``Unreadable``.
"""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

from pipeline.decree.labels import word_number
from pipeline.ooxml import safezip
from pipeline.ooxml.xmlns import R, W

RULE, CELL_JOIN = "───", " / "
MAX_DEPTH = 256  # XML nesting: libxml2's limit without huge-tree mode (check and import refuse beyond it too)
MAX_LEVEL = 8  # list levels are 0–8
MAX_SPAN = 63  # Word's widest table has 63 columns
MAX_LEVEL_TEXT = 255  # characters of a list level's number format ("%1.%2.")
BUDGET_S, BUDGET_S_PER_MB = 20.0, 2.0  # time to render one file: a base and a share per MB of its main part
_SPACE = re.compile(r"\s+")
_INT = re.compile(r"\s*([+-]?\d{1,15})\s*")
_MEASURE = re.compile(r"\s*(\d{1,12}(?:\.\d{1,6})?)\s*(mm|cm|in|pt|pc|pi)?\s*")
_TWIPS_PER = {None: 1.0, "mm": 1440 / 25.4, "cm": 14400 / 25.4, "in": 1440.0, "pt": 20.0, "pc": 240.0, "pi": 240.0}
# named page sizes, in twips (portrait width, height)
_PAGE_SIZES = {(11906, 16838): "A4", (16838, 23811): "A3", (8391, 11906): "A5", (12240, 15840): "Letter"}


class Unreadable(safezip.BadDocx):
    """A file textconv does not render: nested too deep (where the depth is counted, ``RecursionError`` is
    raised and ``docx_lines`` names the file), or too slow to render; the message is Vietnamese."""


def norm(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def _number(text: str | None, default: int, lo: int, hi: int) -> int:
    """An integer attribute as Word takes it: ``default`` when it is not a number, clamped to ``lo``–``hi``."""
    m = _INT.fullmatch(text or "")
    return min(max(int(m.group(1)), lo), hi) if m else default


def _twips(text: str | None) -> int | None:
    """A length in twips (a number, or a measure such as "21cm" as strict files write them); None if not one."""
    m = _MEASURE.fullmatch(text or "")
    return round(float(m.group(1)) * _TWIPS_PER[m.group(2)]) if m else None


def _mm(text: str | None) -> str:
    twips = _twips(text)
    return "?" if twips is None else str(round(twips * 25.4 / 1440))


# --------------------------------------------------------------------- numbering


class Numbering:
    """Computes the number Word shows before an auto-numbered paragraph."""

    def __init__(self, numbering, styles):
        """``numbering``, ``styles``: the roots of those parts (None when the file has none)."""
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (fmt, text, start)
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        if numbering is not None:
            abstract = {}
            for an in numbering.findall(f"{W}abstractNum"):
                lv = {}
                for lvl in an.findall(f"{W}lvl"):
                    ilvl = _level(lvl.get(f"{W}ilvl"))
                    fmt = _val(lvl.find(f"{W}numFmt")) or "decimal"
                    text = (_val(lvl.find(f"{W}lvlText")) or "")[:MAX_LEVEL_TEXT]
                    start = _number(_val(lvl.find(f"{W}start")), 1, 0, 10**15)
                    lv[ilvl] = (fmt, text, start)
                abstract[an.get(f"{W}abstractNumId")] = lv
            for num in numbering.findall(f"{W}num"):
                aid = _val(num.find(f"{W}abstractNumId"))
                self.levels[num.get(f"{W}numId")] = abstract.get(aid, {})
                self.abstract_of[num.get(f"{W}numId")] = aid or ""
        if styles is not None:
            for st in styles.findall(f"{W}style"):
                numpr = st.find(f"{W}pPr/{W}numPr")
                if numpr is not None:
                    nid = _val(numpr.find(f"{W}numId"))
                    if nid:
                        self.style_num[st.get(f"{W}styleId")] = (nid, _level(_val(numpr.find(f"{W}ilvl"))))

    def label(self, ppr) -> str:
        if ppr is None:
            return ""
        numpr = ppr.find(f"{W}numPr")
        nid, ilvl = None, 0
        if numpr is not None:
            nid = _val(numpr.find(f"{W}numId"))
            ilvl = _level(_val(numpr.find(f"{W}ilvl")))
        else:
            style = _val(ppr.find(f"{W}pStyle"))
            if style in self.style_num:
                nid, ilvl = self.style_num[style]
        if not nid or nid == "0" or nid not in self.levels:
            return ""
        levels = self.levels[nid]
        key = self.abstract_of.get(nid, nid)
        counters = self.counters.setdefault(key, {})
        counters[ilvl] = counters.get(ilvl, levels.get(ilvl, ("", "", 1))[2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        fmt, text, _ = levels.get(ilvl, ("decimal", f"%{ilvl + 1}.", 1))
        if fmt == "bullet":
            return "•"

        def repl(m: re.Match) -> str:
            lv = int(m.group(1)) - 1
            n = counters.get(lv, levels.get(lv, ("", "", 1))[2])
            return word_number(n, levels.get(lv, ("decimal", "", 1))[0])

        return re.sub(r"%(\d)", repl, text)


def _val(el) -> str | None:
    return None if el is None else el.get(f"{W}val")


def _level(text: str | None) -> int:
    return _number(text, 0, 0, MAX_LEVEL)


# --------------------------------------------------------------------- text


_SKIPPED = {f"{W}delText", f"{W}del", f"{W}moveFrom", f"{W}pPr", f"{W}rPr"}
_SHOWN_AS = {f"{W}tab": " ", f"{W}ptab": " ", f"{W}noBreakHyphen": "-", f"{W}sym": "□",
             f"{W}drawing": "[hình]", f"{W}pict": "[hình]", f"{W}object": "[hình]"}


class _Text:
    """Collects the visible text of a paragraph: runs, tabs, breaks and fields."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.page_breaks = 0
        self.field_depth = 0  # inside a complex field's instruction
        self.field_instr: list[str] = []
        self.skip_result = [False]

    def walk(self, el, depth: int) -> None:
        """Collect ``el`` (``depth`` levels below the part's root) and what it holds."""
        if depth > MAX_DEPTH:
            raise RecursionError
        tag = el.tag
        if tag in _SKIPPED:
            return
        if tag in _SHOWN_AS:
            self.parts.append(_SHOWN_AS[tag])
        elif tag == f"{W}t":
            if not self.skip_result[-1]:
                self.parts.append(el.text or "")
        elif tag in (f"{W}br", f"{W}cr"):
            if el.get(f"{W}type") == "page":
                self.page_breaks += 1
            else:
                self.parts.append(" ")
        elif tag == f"{W}fldSimple":
            self.parts.append("{" + norm(el.get(f"{W}instr", "")).split(" ")[0] + "}")
        elif tag == f"{W}fldChar":
            self.field_char(el.get(f"{W}fldCharType"))
        elif tag == f"{W}instrText":
            self.field_instr.append(el.text or "")
        elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
            self.parts.append(f"[^{el.get(f'{W}id')}]")
        else:
            for child in el:
                self.walk(child, depth + 1)

    def field_char(self, kind: str | None) -> None:
        if kind == "begin":
            self.field_depth += 1
            self.field_instr = []
        elif kind == "separate":
            self.parts.append("{" + (norm("".join(self.field_instr)).split(" ") or [""])[0] + "}")
            self.skip_result.append(True)
            self.field_depth -= 1
        elif kind == "end":
            if len(self.skip_result) > 1:
                self.skip_result.pop()
            elif self.field_depth:  # a field without a result
                self.parts.append("{" + (norm("".join(self.field_instr)).split(" ") or [""])[0] + "}")
                self.field_depth -= 1


TOO_DEEP = (f"các phần tử XML lồng nhau quá sâu (quá {MAX_DEPTH} cấp, như bảng trong bảng nhiều lần) — Word "
            "không bao giờ ghi như vậy; tệp hỏng hoặc được làm ra để làm treo chương trình đọc")
_BLOCK_CONTAINERS = (f"{W}tbl", f"{W}tr", f"{W}tc", f"{W}sdt", f"{W}sdtContent", f"{W}customXml")


def _block_paragraphs(root, depth: int):
    """(paragraph, its depth) of ``root`` in reading order, through tables and content controls, never
    inside a paragraph (a text box's paragraphs are not the note's own): no recursion, no repeats."""
    stack = [(iter(root), depth + 1)]
    while stack:
        children, level = stack[-1]
        for el in children:
            if el.tag == f"{W}p":
                yield el, level
            elif el.tag in _BLOCK_CONTAINERS:
                if level >= MAX_DEPTH:
                    raise RecursionError
                stack.append((iter(el), level + 1))
                break
        else:
            stack.pop()


class Renderer:
    def __init__(self, zf: zipfile.ZipFile, label: str = "tệp Word"):
        self.zf = zf
        self.label = label
        names = set(zf.namelist())
        self.names = names
        self.main = safezip.main_part(zf)  # found by relationship, as Word finds it (not always document.xml)
        links = safezip.relationships(zf, self.main)
        self.rels = {rid: target for rid, _, target in links}
        self.parts = {kind: target for _, kind, target in links if target in names}
        self.main_xml = safezip.read_member(zf, self.main, label)
        self.deadline = time.monotonic() + budget_s(len(self.main_xml))
        self.numbering = Numbering(*(self.parse(self.parts[k]) if k in self.parts else None
                                     for k in ("numbering", "styles")))
        self.headers: dict[str | None, str] = {}  # relationship id -> the header's text, read once

    def tick(self) -> None:
        """Stop a file that has taken its whole time budget (a structure that costs far more than its size)."""
        if time.monotonic() > self.deadline:
            raise Unreadable(f"{self.label}: đọc quá {budget_s(len(self.main_xml)):.0f} giây mà chưa xong — cấu trúc tệp bất "
                             "thường (Word không ghi như vậy); vanban dừng đọc")

    # paragraphs ------------------------------------------------------------
    def paragraph(self, p, depth: int) -> tuple[str, int]:
        """The paragraph's line (may be '') and the page breaks it holds; ``depth``: the paragraph's."""
        t = _Text()
        for child in p:
            t.walk(child, depth + 1)
        text = norm("".join(t.parts))
        ppr = p.find(f"{W}pPr")
        label = self.numbering.label(ppr)
        if label:
            text = f"{label} {text}".strip()
        if not text and ppr is not None and ppr.find(f"{W}pBdr") is not None:
            text = RULE
        if ppr is not None and ppr.find(f"{W}pageBreakBefore") is not None:
            t.page_breaks += 1
        return text, t.page_breaks

    def cell_text(self, tc, depth: int) -> str:
        if depth > MAX_DEPTH:
            raise RecursionError
        lines: list[str] = []
        for el in tc:
            if el.tag == f"{W}p":
                text, _ = self.paragraph(el, depth + 1)
                if text:
                    lines.append(text)
            elif el.tag == f"{W}tbl":
                lines.extend(self.table(el, depth + 1))
            elif el.tag == f"{W}sdt":
                content = el.find(f"{W}sdtContent")
                if content is not None:
                    lines.append(self.cell_text(content, depth + 2))
        return CELL_JOIN.join(x for x in lines if x)

    def table(self, tbl, depth: int) -> list[str]:
        rows = []
        for tr in tbl.findall(f"{W}tr"):
            self.tick()
            cells = []
            for tc in tr.findall(f"{W}tc"):
                tcpr = tc.find(f"{W}tcPr")
                vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
                if vmerge is not None and vmerge.get(f"{W}val") in (None, "continue"):
                    cells.append("^")  # continues the merged cell above
                    continue
                text = self.cell_text(tc, depth + 2)
                span = _number(_val(tcpr.find(f"{W}gridSpan")), 1, 1, MAX_SPAN) if tcpr is not None else 1
                cells.append(text)
                cells.extend(["<"] * (span - 1))  # merged with the cell to its left
            rows.append("| " + " | ".join(c.replace("|", "¦") for c in cells) + " |")
        return rows

    # body ------------------------------------------------------------------
    def blocks(self, container, out: list[tuple[str, object]], depth: int) -> None:
        """Flatten a body into ('line', text) and ('sect', sectPr) events, in order."""
        if depth > MAX_DEPTH:
            raise RecursionError
        for el in container:
            self.tick()
            tag = el.tag
            if tag == f"{W}p":
                text, breaks = self.paragraph(el, depth + 1)
                if breaks:
                    out.append(("line", "--- ngắt trang ---"))
                if text:
                    out.append(("line", text))
                sect = el.find(f"{W}pPr/{W}sectPr")
                if sect is not None:
                    out.append(("sect", sect))
            elif tag == f"{W}tbl":
                for row in self.table(el, depth + 1):
                    out.append(("line", row))
            elif tag in (f"{W}sdt", f"{W}customXml", f"{W}ins"):
                content = el.find(f"{W}sdtContent")
                self.blocks(content if content is not None else el, out, depth + (2 if content is not None else 1))
            elif tag == f"{W}sectPr":
                out.append(("sect", el))

    def header_text(self, rid: str | None) -> str:
        if rid not in self.headers:  # sections that share a header read it once
            self.headers[rid] = self._header_text(rid)
        return self.headers[rid]

    def _header_text(self, rid: str | None) -> str:
        name = self.rels.get(rid or "")
        if not name or name not in self.names:
            return ""
        lines = []
        for el in self.parse(name):
            self.tick()
            if el.tag == f"{W}p":
                text, _ = self.paragraph(el, 2)
                if text and text != RULE:
                    lines.append(text)
            elif el.tag == f"{W}tbl":
                lines.extend(self.table(el, 2))
        return CELL_JOIN.join(lines)

    def parse(self, name: str, data: bytes | None = None):
        """A part's XML root; a part in an encoding no reader knows makes the file unreadable."""
        try:
            return safezip.parse_et(self.zf.read(name) if data is None else data, f"{self.label}: phần '{name}'")
        except (LookupError, ValueError):  # an encoding declared that Python does not have
            raise Unreadable(f"{self.label}: phần '{name}' khai báo bảng mã ký tự không đọc được") from None

    def section_lines(self, number: int, sect, previous_headers: dict) -> list[str]:
        desc = []
        pgsz = sect.find(f"{W}pgSz")
        if pgsz is not None:
            desc.append(_page_size(pgsz))
        mar = sect.find(f"{W}pgMar")
        if mar is not None:
            desc.append("lề trên {} dưới {} trái {} phải {} mm".format(
                *(_mm(mar.get(f"{W}{side}")) for side in ("top", "bottom", "left", "right"))))
        num = sect.find(f"{W}pgNumType")
        start = _number(num.get(f"{W}start"), -1, -1, 2**31 - 1) if num is not None else -1
        if start >= 0:
            desc.append(f"số trang bắt đầu lại từ {start}")
        kind = _val(sect.find(f"{W}type"))
        if kind and kind != "nextPage":
            desc.append(f"kiểu ngắt {kind}")
        lines = [f"=== Phần {number}: {', '.join(desc)} ==="]
        headers = dict(previous_headers)  # a section without references inherits them
        for ref in sect.findall(f"{W}headerReference"):
            headers[ref.get(f"{W}type", "default")] = self.header_text(ref.get(f"{R}id"))
        previous_headers.clear()
        previous_headers.update(headers)
        title_pg = sect.find(f"{W}titlePg") is not None and _val(sect.find(f"{W}titlePg")) not in ("0", "false")
        default = headers.get("default", "")
        if title_pg:
            first = headers.get("first", "")
            lines.append(f"[Đầu trang đầu tiên] {first or '(trống)'}")
            lines.append(f"[Đầu trang các trang sau] {default or '(trống)'}")
        elif default:
            lines.append(f"[Đầu trang] {default}")
        return lines

    def render(self) -> list[str]:
        body = self.parse(self.main, self.main_xml).find(f"{W}body")
        if body is None:
            raise Unreadable(f"{self.label}: không có phần thân văn bản (w:body) — không phải văn bản Word hợp lệ")
        events: list[tuple[str, object]] = []  # the body's lines and section ends, in order
        self.blocks(body, events, 2)
        out: list[str] = []
        pending: list[str] = []
        headers: dict[str, str] = {}
        number = 0
        for kind, value in events:
            if kind == "line":
                pending.append(value)  # type: ignore[arg-type]
            else:
                number += 1
                out.extend(self.section_lines(number, value, headers))
                out.extend(pending)
                pending = []
        if pending:  # content after the last section mark (malformed, but show it)
            out.extend(pending)
        out.extend(self.notes())
        return out

    def notes(self) -> list[str]:
        lines = []
        for kind, title in (("footnotes", "Chú thích"), ("endnotes", "Chú thích cuối")):
            if kind not in self.parts:
                continue
            for note in self.parse(self.parts[kind]):
                self.tick()
                nid = note.get(f"{W}id")
                if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = " ".join(t for t, _ in (self.paragraph(p, d) for p, d in _block_paragraphs(note, 2)) if t)
                if text:
                    lines.append(f"[^{nid}] ({title}) {text}")
        return lines


def _page_size(pgsz) -> str:
    """"A4 dọc", "A3 ngang", "200×300 mm dọc"; a side that is not a length shows as "?"."""
    w, h = _twips(pgsz.get(f"{W}w")), _twips(pgsz.get(f"{W}h"))
    landscape = pgsz.get(f"{W}orient") == "landscape" or (w is not None and h is not None and w > h)
    if w is None or h is None:
        name = f"{_mm(pgsz.get(f'{W}w'))}×{_mm(pgsz.get(f'{W}h'))} mm"
    else:
        name = _PAGE_SIZES.get((min(w, h), max(w, h)), f"{_mm(str(min(w, h)))}×{_mm(str(max(w, h)))} mm")
    return f"{name} {'ngang' if landscape else 'dọc'}"


def budget_s(main_bytes: int) -> float:
    """Seconds one file may take: far more than any real file needs."""
    return BUDGET_S + BUDGET_S_PER_MB * main_bytes / safezip.MB


def docx_lines(source, label: str | None = None) -> list[str]:
    """The text lines of a .docx given as a path, a file object or bytes (``label`` names it in errors)."""
    name = label or (str(source) if isinstance(source, (str, Path)) else "tệp Word")
    with safezip.open_zip(source, label) as zf:
        try:
            return Renderer(zf, name).render()
        except RecursionError:
            raise Unreadable(f"{name}: {TOO_DEEP}") from None


def docx_text(source) -> str:
    return "\n".join(docx_lines(source)) + "\n"
