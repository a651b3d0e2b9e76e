"""A canonical, line-oriented plain-text rendering of a .docx, for diffs.

``vanban textconv FILE.docx`` prints it; git runs it as the ``textconv`` of the
``vanban`` diff driver (see ``git.py``), so ``git diff``, ``git log -p`` and
``git show`` print document changes as text. One line per paragraph, in body
order (paragraphs and tables interleaved):

* each section opens with a line giving its page size, orientation, margins
  and page numbering, followed by its page headers;
* a table prints one line per row, ``| cell | cell |``; the paragraphs of one
  cell are joined with `` / ``;
* auto-numbered paragraphs carry their computed number (typed numbers are text);
* a paragraph that is only a border (the rules of the header block) is ``───``;
  empty paragraphs are dropped; whitespace is collapsed.

The file also runs as a script (``python pipeline/vcs/textconv.py FILE``): git
starts it once per file, so it has to start fast. It imports only modules of
the standard library and three of the package's that use nothing else: the
namespace table (``ooxml.xmlns``), bounded zip reading (``ooxml.safezip``) and
the list labels (``decree.labels``).
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

if not __package__:  # run as a script (git's textconv): make the package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from pipeline.decree.labels import word_number
from pipeline.ooxml import safezip
from pipeline.ooxml.xmlns import R, W

RULE = "───"
CELL_JOIN = " / "
_SPACE = re.compile(r"\s+")

# named page sizes, in twips (portrait width, height)
_PAGE_SIZES = {(11906, 16838): "A4", (16838, 23811): "A3", (8391, 11906): "A5", (12240, 15840): "Letter"}


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def _mm(twips: str | None) -> str:
    return str(round(int(twips or 0) * 25.4 / 1440)) if twips else "?"


# --------------------------------------------------------------------- numbering


class Numbering:
    """Computes the number Word shows before an auto-numbered paragraph."""

    def __init__(self, numbering_xml: bytes | None, styles_xml: bytes | None):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (fmt, text, start)
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        if numbering_xml:
            root = safezip.parse_et(numbering_xml)
            abstract = {}
            for an in root.findall(f"{W}abstractNum"):
                lv = {}
                for lvl in an.findall(f"{W}lvl"):
                    ilvl = int(lvl.get(f"{W}ilvl", "0"))
                    fmt = _val(lvl.find(f"{W}numFmt")) or "decimal"
                    text = _val(lvl.find(f"{W}lvlText")) or ""
                    start = int(_val(lvl.find(f"{W}start")) or 1)
                    lv[ilvl] = (fmt, text, start)
                abstract[an.get(f"{W}abstractNumId")] = lv
            for num in root.findall(f"{W}num"):
                aid = _val(num.find(f"{W}abstractNumId"))
                self.levels[num.get(f"{W}numId")] = abstract.get(aid, {})
                self.abstract_of[num.get(f"{W}numId")] = aid or ""
        if styles_xml:
            for st in safezip.parse_et(styles_xml).findall(f"{W}style"):
                numpr = st.find(f"{W}pPr/{W}numPr")
                if numpr is not None:
                    nid = _val(numpr.find(f"{W}numId"))
                    if nid:
                        self.style_num[st.get(f"{W}styleId")] = (nid, int(_val(numpr.find(f"{W}ilvl")) or 0))

    def label(self, ppr) -> str:
        if ppr is None:
            return ""
        numpr = ppr.find(f"{W}numPr")
        nid, ilvl = None, 0
        if numpr is not None:
            nid = _val(numpr.find(f"{W}numId"))
            ilvl = int(_val(numpr.find(f"{W}ilvl")) or 0)
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


# --------------------------------------------------------------------- text


class _Text:
    """Collects the visible text of a paragraph: runs, tabs, breaks and fields."""

    def __init__(self, footnotes: dict[str, str]):
        self.parts: list[str] = []
        self.page_breaks = 0
        self.field_depth = 0  # inside a complex field's instruction
        self.field_instr: list[str] = []
        self.skip_result = [False]
        self.footnotes = footnotes

    def walk(self, el) -> None:
        tag = el.tag
        if tag in (f"{W}delText", f"{W}del", f"{W}moveFrom", f"{W}pPr", f"{W}rPr"):
            return
        if tag == f"{W}t":
            if not self.skip_result[-1]:
                self.parts.append(el.text or "")
            return
        if tag == f"{W}tab" or tag == f"{W}ptab":
            self.parts.append(" ")
            return
        if tag in (f"{W}br", f"{W}cr"):
            if el.get(f"{W}type") == "page":
                self.page_breaks += 1
            else:
                self.parts.append(" ")
            return
        if tag == f"{W}noBreakHyphen":
            self.parts.append("-")
            return
        if tag == f"{W}sym":
            self.parts.append("□")
            return
        if tag == f"{W}fldSimple":
            self.parts.append("{" + _norm(el.get(f"{W}instr", "")).split(" ")[0] + "}")
            return
        if tag == f"{W}fldChar":
            kind = el.get(f"{W}fldCharType")
            if kind == "begin":
                self.field_depth += 1
                self.field_instr = []
            elif kind == "separate":
                self.parts.append("{" + (_norm("".join(self.field_instr)).split(" ") or [""])[0] + "}")
                self.skip_result.append(True)
                self.field_depth -= 1
            elif kind == "end":
                if len(self.skip_result) > 1:
                    self.skip_result.pop()
                elif self.field_depth:  # a field without a result
                    self.parts.append("{" + (_norm("".join(self.field_instr)).split(" ") or [""])[0] + "}")
                    self.field_depth -= 1
            return
        if tag == f"{W}instrText":
            self.field_instr.append(el.text or "")
            return
        if tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
            fid = el.get(f"{W}id")
            self.parts.append(f"[^{fid}]")
            return
        if tag in (f"{W}drawing", f"{W}pict", f"{W}object"):
            self.parts.append("[hình]")
            return
        for child in el:
            self.walk(child)


class Renderer:
    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        names = set(zf.namelist())
        self.names = names
        self.main = safezip.main_part(zf)  # found by relationship, as Word finds it (not always document.xml)
        links = safezip.relationships(zf, self.main)
        self.rels = {rid: target for rid, _, target in links}
        self.parts = {kind: target for _, kind, target in links if target in names}

        def read(kind):
            return zf.read(self.parts[kind]) if kind in self.parts else None

        self.numbering = Numbering(read("numbering"), read("styles"))
        self.footnotes: dict[str, str] = {}

    # paragraphs ------------------------------------------------------------
    def paragraph(self, p) -> tuple[str, int]:
        """The paragraph's line (may be '') and the page breaks it holds."""
        t = _Text(self.footnotes)
        for child in p:
            t.walk(child)
        text = _norm("".join(t.parts))
        ppr = p.find(f"{W}pPr")
        label = self.numbering.label(ppr)
        if label:
            text = f"{label} {text}".strip()
        if not text and ppr is not None and ppr.find(f"{W}pBdr") is not None:
            text = RULE
        if ppr is not None and ppr.find(f"{W}pageBreakBefore") is not None:
            t.page_breaks += 1
        return text, t.page_breaks

    def cell_text(self, tc) -> str:
        lines = []
        for el in tc:
            if el.tag == f"{W}p":
                text, _ = self.paragraph(el)
                if text:
                    lines.append(text)
            elif el.tag == f"{W}tbl":
                lines.extend(self.table(el))
            elif el.tag == f"{W}sdt":
                content = el.find(f"{W}sdtContent")
                if content is not None:
                    lines.append(self.cell_text(content))
        return CELL_JOIN.join(x for x in lines if x)

    def table(self, tbl) -> list[str]:
        rows = []
        for tr in tbl.findall(f"{W}tr"):
            cells = []
            for tc in tr.findall(f"{W}tc"):
                tcpr = tc.find(f"{W}tcPr")
                vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
                if vmerge is not None and vmerge.get(f"{W}val") in (None, "continue"):
                    cells.append("^")  # continues the merged cell above
                    continue
                text = self.cell_text(tc)
                span = int(_val(tcpr.find(f"{W}gridSpan")) or 1) if tcpr is not None else 1
                cells.append(text)
                cells.extend(["<"] * (span - 1))  # merged with the cell to its left
            rows.append("| " + " | ".join(c.replace("|", "¦") for c in cells) + " |")
        return rows

    # body ------------------------------------------------------------------
    def blocks(self, container, out: list[tuple[str, object]]) -> None:
        """Flatten a body into ('line', text) and ('sect', sectPr) events, in order."""
        for el in container:
            tag = el.tag
            if tag == f"{W}p":
                text, breaks = self.paragraph(el)
                if breaks:
                    out.append(("line", "--- ngắt trang ---"))
                if text:
                    out.append(("line", text))
                sect = el.find(f"{W}pPr/{W}sectPr")
                if sect is not None:
                    out.append(("sect", sect))
            elif tag == f"{W}tbl":
                for row in self.table(el):
                    out.append(("line", row))
            elif tag in (f"{W}sdt", f"{W}customXml", f"{W}ins"):
                content = el.find(f"{W}sdtContent")
                self.blocks(content if content is not None else el, out)
            elif tag == f"{W}sectPr":
                out.append(("sect", el))

    def header_text(self, rid: str) -> str:
        name = self.rels.get(rid)
        if not name or name not in self.names:
            return ""
        root = safezip.parse_et(self.zf.read(name))
        lines = []
        for el in root:
            if el.tag == f"{W}p":
                text, _ = self.paragraph(el)
                if text and text != RULE:
                    lines.append(text)
            elif el.tag == f"{W}tbl":
                lines.extend(self.table(el))
        return CELL_JOIN.join(lines)

    def section_lines(self, number: int, sect, previous_headers: dict) -> list[str]:
        pgsz = sect.find(f"{W}pgSz")
        desc = []
        if pgsz is not None:
            w, h = int(pgsz.get(f"{W}w", "0")), int(pgsz.get(f"{W}h", "0"))
            landscape = pgsz.get(f"{W}orient") == "landscape" or w > h
            name = _PAGE_SIZES.get((min(w, h), max(w, h)), f"{_mm(str(min(w, h)))}×{_mm(str(max(w, h)))} mm")
            desc.append(f"{name} {'ngang' if landscape else 'dọc'}")
        mar = sect.find(f"{W}pgMar")
        if mar is not None:
            desc.append("lề trên {} dưới {} trái {} phải {} mm".format(
                *(_mm(mar.get(f"{W}{side}")) for side in ("top", "bottom", "left", "right"))))
        num = sect.find(f"{W}pgNumType")
        if num is not None and num.get(f"{W}start"):
            desc.append(f"số trang bắt đầu lại từ {num.get(W + 'start')}")
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
        body = safezip.parse_et(self.zf.read(self.main)).find(f"{W}body")
        events: list[tuple[str, object]] = []
        self.blocks(body, events)
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
            for note in safezip.parse_et(self.zf.read(self.parts[kind])):
                nid = note.get(f"{W}id")
                if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = " ".join(t for t, _ in (self.paragraph(p) for p in note.iter(f"{W}p")) if t)
                if text:
                    lines.append(f"[^{nid}] ({title}) {text}")
        return lines


def docx_lines(source, label: str | None = None) -> list[str]:
    """The text lines of a .docx given as a path, a file object or bytes (``label`` names it in errors)."""
    with safezip.open_zip(source, label) as zf:
        return Renderer(zf).render()


def docx_text(source) -> str:
    return "\n".join(docx_lines(source)) + "\n"


def emit(path: str) -> int:
    """Print one file's lines to stdout; the exit code of that file (its error went to stderr)."""
    try:
        text = docx_text(path)
    except safezip.BadDocx as exc:  # damaged, not a Word document, or built to exhaust memory
        sys.stderr.write(f"vanban textconv: không đọc được tệp Word — {exc}\n")
        return 3
    except safezip.unreadable_errors() as exc:  # opened, but broken inside (a part missing, a bad value)
        sys.stderr.write(f"vanban textconv: {path}: không đọc được tệp Word ({exc})\n")
        return 3
    except OSError as exc:
        sys.stderr.write(f"vanban textconv: {path}: {exc.strerror}\n")
        return 4
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":  # git runs: python /path/to/pipeline/vcs/textconv.py FILE
    sys.exit(max([emit(a) for a in sys.argv[1:]] or [2]))
