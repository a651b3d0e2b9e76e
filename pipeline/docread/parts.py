"""The parts layer: a .docx package read into sections, paragraphs and tables.

Opens the package with python-docx (its public part API: ``Document.part``,
``part.related_parts``, ``part.rels``) and reads the XML of the main document,
its styles, its theme and its headers and footers. Formatting of every run is
resolved through ``styles.Formatting``.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.ooxml import safezip
from pipeline.docread.document import Para, Place, Run, Section, Table
from pipeline.docread.numbering import ListNumbers
from pipeline.docread.shapes import border_sides, line_shapes
from pipeline.docread.styles import Formatting
from pipeline.docread.xmlparts import R_NS, W, iter_block_items, run_text, runs_of, text_of, val

PAGE_FIELD = re.compile(r"(?<![A-Z])PAGE(?![A-Z])")


def open_package(path: Path):
    """The python-docx Document of ``path`` — the one place a .docx is opened, through ``safezip`` (sizes,
    compression ratios and DTDs bounded before python-docx reads it; ``safezip.BadDocx`` when refused)."""
    return safezip.open_docx(path)


def parse_part(blob: bytes):
    """A part's XML (theme, header, footer) through ``safezip``: no DTD, no entities, no huge tree."""
    return safezip.parse_xml(blob)


def theme_of(doc):
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/theme") and not rel.is_external:
            return parse_part(rel.target_part.blob)
    return None


class PartReader:
    """Reads the body of one document into ``Para`` and ``Table`` objects, in reading order."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.fmt = Formatting(doc.styles.element, theme_of(doc))
        self.paragraphs: list[Para] = []
        self.tables: list[Table] = []
        self.section = 1
        self.numbering = _numbering_formats(doc)
        self.lists = ListNumbers(doc)

    def read_body(self) -> None:
        for block in iter_block_items(self.doc.element.body):
            if block.tag == W + "p":
                self.paragraphs.append(self.para(block, Place(len(self.paragraphs) + 1, self.section), True))
                if block.find(f"{W}pPr/{W}sectPr") is not None:
                    self.section += 1
            else:
                self.table(block)

    def table(self, tbl) -> None:
        index = len(self.tables) + 1
        style = val(tbl.find(f"{W}tblPr/{W}tblStyle"))
        rows = []
        for r, tr in enumerate(tbl.findall(W + "tr"), 1):
            row = []
            for c, tc in enumerate(tr.findall(W + "tc"), 1):
                cell = []
                for p in tc.iter(W + "p"):  # nested tables: their text belongs to this cell
                    if any(a.tag == W + "txbxContent" for a in p.iterancestors()):
                        continue
                    para = self.para(p, Place(len(self.paragraphs) + 1, self.section, index, r, c), False, style)
                    self.paragraphs.append(para)
                    cell.append(para)
                row.append(cell)
            rows.append(row)
        visible = any(b.get(W + "val") not in (None, "none", "nil")
                      for tag in ("tblBorders", "tcBorders") for bs in tbl.iter(W + tag) for b in bs)
        self.tables.append(Table(index, rows, visible))

    def para(self, p, place: Place, top: bool, table_style=None) -> Para:
        f = self.fmt
        runs = []
        for r in runs_of(p):
            t = run_text(r)
            if not t.strip():
                continue
            places = f.rpr_places(p, r, table_style)
            font = f.run_font(places, t)
            runs.append(Run(t, font.family, font.written, font.source, f.run_size(places),
                            f.run_flag(places, "b"), f.run_flag(places, "i"), f.run_flag(places, "caps")))
        ind = f.para_attrs(p, "ind", table_style)
        sp = f.para_attrs(p, "spacing", table_style)
        line = sp.get("line")
        hanging = _int(ind.get("hanging"))
        return Para(
            el=p, text=text_of(p), place=place,
            style=f.style_name(val(p.find(f"{W}pPr/{W}pStyle"))),
            align=_align(f.para_attrs(p, "jc", table_style).get("val", "left")),
            runs=runs,
            indent_first=-hanging if hanging else _int(ind.get("firstLine")),
            indent_left=_int(ind.get("left", ind.get("start"))), indent_right=_int(ind.get("right", ind.get("end"))),
            space_before=_int(sp.get("before")), space_after=_int(sp.get("after")),
            line=_int(line) if line is not None else None, line_rule=sp.get("lineRule", "auto"),
            borders=border_sides(f.para_element(p, "pBdr", table_style)),
            shapes=line_shapes(p),
            auto_number=self._num_format(f.para_element(p, "numPr", table_style)),
            in_table=place.table is not None, top_level=top,
            number_label=self.lists.label(f.para_element(p, "numPr", table_style)),
        )

    def _num_format(self, num_pr) -> str | None:
        if num_pr is None or val(num_pr.find(W + "numId")) in (None, "0"):
            return None
        key = (val(num_pr.find(W + "numId")), val(num_pr.find(W + "ilvl"), default="0"))
        return self.numbering.get(key, "decimal")

    # ------------------------------------------------------------ sections
    def sections(self) -> list[Section]:
        out = []
        inherited: dict[str, dict] = {"header": {}, "footer": {}}
        for i, sp in enumerate(self.doc.element.body.iter(W + "sectPr"), 1):
            pg, mar = sp.find(W + "pgSz"), sp.find(W + "pgMar")
            for kind in ("header", "footer"):
                for ref in sp.findall(f"{W}{kind}Reference"):
                    inherited[kind][ref.get(W + "type", "default")] = self._part_xml(ref.get(f"{{{R_NS}}}id"))
            used = {"default"} | ({"first"} if _flag(sp.find(W + "titlePg")) else set()) | \
                ({"even"} if self.even_and_odd() else set())
            head = {t: _has_page(x) for t, x in inherited["header"].items() if t in used}
            foot = {t: _has_page(x) for t, x in inherited["footer"].items() if t in used}
            align, size = self._page_para(inherited["header"])
            out.append(Section(
                i, _int(val(pg, "w")), _int(val(pg, "h")),
                {k: abs(_int(val(mar, k))) for k in ("top", "bottom", "left", "right")},
                _flag(sp.find(W + "titlePg")), _int_or_none(val(sp.find(W + "pgNumType"), "start")),
                head, foot, align, size))
        return out

    def even_and_odd(self) -> bool:
        """Settings → "Different odd and even pages": only then is an 'even' header or footer used."""
        return _flag(self.doc.settings.element.find(W + "evenAndOddHeaders"))

    def pages(self) -> int | None:
        """The page count Word saved in docProps/app.xml (as of the last save), if any."""
        for part in self.doc.part.package.iter_parts():
            if str(part.partname) == "/docProps/app.xml":
                m = re.search(rb"<(?:\w+:)?Pages>(\d+)<", part.blob)
                return int(m.group(1)) if m else None
        return None

    def _part_xml(self, rid):
        part = self.doc.part.related_parts.get(rid)
        return parse_part(part.blob) if part is not None else None

    def _page_para(self, headers: dict):
        align, size = {}, {}
        for kind, root in headers.items():
            if root is None:
                continue
            for p in root.iter(W + "p"):
                if _has_page(p):
                    part = self.fmt
                    align[kind] = _align(part.para_attrs(p, "jc").get("val", "left"))
                    if _tab_before_field(p):
                        align[kind] = "tab"  # placed by tab stops: its position is not read here
                    r = next(iter(runs_of(p)), None)
                    size[kind] = part.run_size(part.rpr_places(p, r))
                    break
        return align, size


def _tab_before_field(p) -> bool:
    for r in runs_of(p):
        if r.find(W + "tab") is not None:
            return True
        if r.find(W + "fldChar") is not None or r.find(W + "instrText") is not None:
            return False
    return False


def _has_page(root) -> bool:
    if root is None:
        return False
    instr = [x.get(W + "instr", "") for x in root.iter(W + "fldSimple")]
    instr += [x.text or "" for x in root.iter(W + "instrText")]
    return any(PAGE_FIELD.search(i.strip().split(" ")[0] if i.strip() else "") for i in instr)


def _numbering_formats(doc) -> dict[tuple[str, str], str]:
    """(numId, ilvl) -> the level's w:numFmt ('decimal', 'upperRoman', 'lowerLetter', 'bullet', …)."""
    try:
        root = doc.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {a.get(W + "abstractNumId"): {lvl.get(W + "ilvl"): val(lvl.find(W + "numFmt"), default="decimal")
                                            for lvl in a.findall(W + "lvl")}
                for a in root.findall(W + "abstractNum")}
    out = {}
    for num in root.findall(W + "num"):
        levels = dict(abstract.get(val(num.find(W + "abstractNumId")), {}))
        for ov in num.findall(W + "lvlOverride"):
            lvl = ov.find(W + "lvl")
            if lvl is not None and lvl.find(W + "numFmt") is not None:
                levels[ov.get(W + "ilvl")] = val(lvl.find(W + "numFmt"))
        for ilvl, fmt in levels.items():
            out[(num.get(W + "numId"), ilvl)] = fmt
    return out


def _flag(el) -> bool:
    return el is not None and el.get(W + "val", "1") not in ("0", "false", "off")


def _align(jc: str) -> str:
    return {"start": "left", "end": "right", "distribute": "both"}.get(jc, jc)


def _int(v) -> int:
    try:
        return int(float(v)) if v not in (None, "") else 0
    except ValueError:
        return 0


def _int_or_none(v):
    return _int(v) if v not in (None, "") else None
