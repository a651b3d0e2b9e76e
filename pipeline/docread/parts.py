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
from pipeline.docread import limits
from pipeline.docread.document import Para, Place, Run, Section, Table
from pipeline.docread.numbering import ListNumbers, level_of
from pipeline.docread.shapes import border_sides
from pipeline.docread.styles import Formatting, props
from pipeline.docread.xmlparts import R_NS, W, child, iter_block_items, run_text, runs_of, text_of, val

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
        body = getattr(doc.element, "body", None)
        if body is None:  # python-docx opens it; Word would not
            raise safezip.BadDocx("không có phần thân văn bản (w:body) — không phải văn bản Word hợp lệ")
        self.body = body
        self.fmt = Formatting(doc.styles.element, theme_of(doc))
        self.paragraphs: list[Para] = []
        self.tables: list[Table] = []
        self.section = 1
        self.numbering = _numbering_formats(doc)
        self.lists = ListNumbers(doc)
        self._parts: dict[str, object] = {}  # relationship id -> parsed header or footer, read once
        self._page: dict[int, tuple[bool, str | None, float | None]] = {}  # id of a parsed header -> (has a PAGE
        # field, the alignment and size of the paragraph holding it)

    def read_body(self) -> None:
        for block in iter_block_items(self.body):
            limits.tick()
            if block.tag == W + "p":
                self.paragraphs.append(self.para(block, Place(len(self.paragraphs) + 1, self.section), True))
                if _sect_of(block) is not None:
                    self.section += 1
            else:
                self.table(block)

    def table(self, tbl) -> None:
        index = len(self.tables) + 1
        style = val(tbl.find(f"{W}tblPr/{W}tblStyle"))
        rows = []
        for r, tr in enumerate(tbl.findall(W + "tr"), 1):
            limits.tick()
            row = []
            for c, tc in enumerate(tr.findall(W + "tc"), 1):
                cell = []
                for p in _cell_paragraphs(tc):  # nested tables: their text belongs to this cell
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
        ppr = child(p, W + "pPr")
        own = props(ppr) if ppr is not None else None
        style_id = val(own.get(W + "pStyle")) if own is not None else None
        style_rprs = f.from_styles(style_id, table_style)[1]
        runs = []
        for r in runs_of(p):
            t = run_text(r)
            if not t.strip():
                continue
            places = f.run_places(r, style_rprs)
            runs.append(Run(t, f.run_flag(places, "b"), f.run_flag(places, "i"), f.run_flag(places, "caps"),
                            f.font_and_size(places, t)))
        ind, sp, jc, num_pr, p_bdr = f.para_props(own, style_id, table_style)
        line = sp.get("line")
        hanging = _twips(ind.get("hanging"))
        return Para(
            el=p, text=text_of(p), place=place,
            style=f.style_name(style_id),
            align=_align(jc.get("val", "left")),
            runs=runs,
            indent_first=-hanging if hanging else _twips(ind.get("firstLine")),
            indent_left=_twips(ind.get("left", ind.get("start"))),
            indent_right=_twips(ind.get("right", ind.get("end"))),
            space_before=_twips(sp.get("before")), space_after=_twips(sp.get("after")),
            line=_twips(line) if line is not None else None, line_rule=sp.get("lineRule", "auto"),
            borders=border_sides(p_bdr),
            auto_number=self._num_format(num_pr),
            in_table=place.table is not None, top_level=top,
            number_label=self.lists.label(num_pr),
        )

    def _num_format(self, num_pr) -> str | None:
        if num_pr is None or val(child(num_pr, W + "numId")) in (None, "0"):
            return None
        key = (val(child(num_pr, W + "numId")), level_of(val(child(num_pr, W + "ilvl"))))
        return self.numbering.get(key, "decimal")

    # ------------------------------------------------------------ sections
    def sections(self) -> list[Section]:
        out = []
        inherited: dict[str, dict] = {"header": {}, "footer": {}}
        even = self.even_and_odd()
        for i, sp in enumerate(section_elements(self.body), 1):
            limits.tick()
            pg, mar = sp.find(W + "pgSz"), sp.find(W + "pgMar")
            for kind in ("header", "footer"):
                for ref in sp.findall(f"{W}{kind}Reference"):
                    inherited[kind][ref.get(W + "type", "default")] = self._part_xml(ref.get(f"{{{R_NS}}}id"))
            used = {"default"} | ({"first"} if _flag(sp.find(W + "titlePg")) else set()) | ({"even"} if even else set())
            head = {t: self._page_of(x)[0] for t, x in inherited["header"].items() if t in used}
            foot = {t: self._page_of(x)[0] for t, x in inherited["footer"].items() if t in used}
            found = {kind: self._page_of(root) for kind, root in inherited["header"].items()}
            align = {kind: f[1] for kind, f in found.items() if f[1] is not None}
            size = {kind: f[2] for kind, f in found.items() if f[2] is not None}
            out.append(Section(
                i, _twips(val(pg, "w")), _twips(val(pg, "h")),
                {k: abs(_twips(val(mar, k))) for k in ("top", "bottom", "left", "right")},
                _flag(sp.find(W + "titlePg")), _page_start(val(sp.find(W + "pgNumType"), "start")),
                head, foot, align, size))
        return out

    def even_and_odd(self) -> bool:
        """Settings → "Different odd and even pages": only then is an 'even' header or footer used."""
        return _flag(self.doc.settings.element.find(W + "evenAndOddHeaders"))

    def pages(self) -> int | None:
        """The page count Word saved in docProps/app.xml (as of the last save), if any."""
        for part in self.doc.part.package.iter_parts():
            if str(part.partname) == "/docProps/app.xml":
                m = re.search(rb"<(?:\w+:)?Pages>(\d{1,9})<", part.blob)
                return int(m.group(1)) if m else None
        return None

    def _part_xml(self, rid):
        if rid not in self._parts:  # sections that share a header or footer read it once
            part = self.doc.part.related_parts.get(rid)
            self._parts[rid] = parse_part(part.blob) if part is not None else None
        return self._parts[rid]

    def _page_of(self, root) -> tuple[bool, str | None, float | None]:
        """Whether a header or footer holds a PAGE field; the alignment ("tab": placed by tab stops) and the
        size of the first paragraph holding it (None, None when none does). Worked out once per part."""
        if id(root) not in self._page:
            self._page[id(root)] = (_has_page(root),) + self._page_para(root)
        return self._page[id(root)]

    def _page_para(self, root) -> tuple[str | None, float | None]:
        for p in root.iter(W + "p") if root is not None else ():
            if _has_page(p):
                align = "tab" if _tab_before_field(p) else _align(self.fmt.para_attrs(p, "jc").get("val", "left"))
                r = next(iter(runs_of(p)), None)
                return align, self.fmt.run_size(self.fmt.rpr_places(p, r))
        return None, None


def section_elements(body) -> list:
    """The body's ``w:sectPr`` elements in order, one per section; not the old properties a tracked change
    keeps (``w:sectPrChange/w:sectPr``)."""
    return [sp for sp in body.iter(W + "sectPr") if sp.getparent().tag != W + "sectPrChange"]


def page_paragraph(root):
    """The first paragraph of a header or footer that holds a PAGE field, or None."""
    return next((p for p in root.iter(W + "p") if _has_page(p)), None) if root is not None else None


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


def _numbering_formats(doc) -> dict[tuple[str, int], str]:
    """(numId, ilvl) -> the level's w:numFmt ('decimal', 'upperRoman', 'lowerLetter', 'bullet', …)."""
    try:
        root = doc.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {a.get(W + "abstractNumId"): {level_of(lvl.get(W + "ilvl")): val(lvl.find(W + "numFmt"),
                                                                                 default="decimal")
                                            for lvl in a.findall(W + "lvl")}
                for a in root.findall(W + "abstractNum")}
    out = {}
    for num in root.findall(W + "num"):
        levels = dict(abstract.get(val(num.find(W + "abstractNumId")), {}))
        for ov in num.findall(W + "lvlOverride"):
            lvl = ov.find(W + "lvl")
            if lvl is not None and lvl.find(W + "numFmt") is not None:
                levels[level_of(ov.get(W + "ilvl"))] = val(lvl.find(W + "numFmt"))
        for ilvl, fmt in levels.items():
            out[(num.get(W + "numId"), ilvl)] = fmt
    return out


def _flag(el) -> bool:
    return el is not None and el.get(W + "val", "1") not in ("0", "false", "off")


def _align(jc: str) -> str:
    return {"start": "left", "end": "right", "distribute": "both"}.get(jc, jc)


_twips = limits.twips  # a length in twips; 0 when the file gives none, or none that is a number


def _sect_of(p):
    ppr = child(p, W + "pPr")
    return child(ppr, W + "sectPr") if ppr is not None else None


def _page_start(v) -> int | None:
    return None if v in (None, "") else limits.integer(v, 0, 0, 2**31 - 1)


def _cell_paragraphs(tc):
    """The paragraphs of a table cell in reading order, those of nested tables and content controls included,
    a text box's not (it sits inside a paragraph): each element visited once, without recursion."""
    stack = [iter(tc)]
    while stack:
        for el in stack[-1]:
            if el.tag == W + "p":
                yield el
            elif len(el):
                stack.append(iter(el))
                break
        else:
            stack.pop()
