"""A Word document with tracked changes (a "redline") between two versions of a .docx.

The redline is the NEW document whose body carries revision marks against the
OLD one: paragraphs and table rows that were added are ``w:ins``, those removed
come back as ``w:del``, and inside a changed paragraph only the changed words
are marked. Word and LibreOffice show them as revisions to accept or reject;
accepting all gives the new document, rejecting all gives the old text.

Alignment is difflib on the body blocks (paragraph text, table text), then on
table rows, then on the words of a paired paragraph. Revisions are by
``vanban`` with a fixed date (the new document's own date when it has one), and
ids count from 1, so the same two inputs always give the same bytes. Page
headers and section properties come from the new document unchanged.
"""

from __future__ import annotations

import copy
import difflib
import io
import re
import zipfile

from lxml import etree

from pipeline.ooxml import safezip
from pipeline.vcs.pairing import pair_most_similar
from pipeline.ooxml.xmlns import W, W_NS, XML_SPACE

AUTHOR = "vanban"
FALLBACK_DATE = "2000-01-01T00:00:00Z"
_TOKEN = re.compile(r"\S+\s*|\s+")

# children of a paragraph a word-level diff can rebuild (anything else: whole paragraph)
_SIMPLE_RUN_CHILDREN = {W + "rPr", W + "t", W + "tab", W + "br", W + "noBreakHyphen", W + "lastRenderedPageBreak"}


def _text(el) -> str:
    parts = []
    for node in el.iter(W + "t", W + "tab", W + "br"):
        if any(a.tag == W + "del" for a in node.iterancestors()):
            continue
        parts.append(node.text or "" if node.tag == W + "t" else "\t" if node.tag == W + "tab" else "\n")
    return "".join(parts)


def _key(el) -> str:
    if el.tag == W + "p":
        return "p:" + _text(el)
    if el.tag == W + "tbl":
        return "tbl:" + "|".join(_text(tc) for tc in el.iter(W + "tc"))
    return el.tag + ":" + _text(el)


class Redliner:
    def __init__(self, date: str = FALLBACK_DATE, author: str = AUTHOR):
        self.date = date
        self.author = author
        self.next_id = 1
        self.counts = {"ins": 0, "del": 0}

    # ---------------------------------------------------------------- marks
    def _mark(self, kind: str):
        el = etree.Element(W + kind, nsmap={"w": W_NS})
        el.set(W + "id", str(self.next_id))
        el.set(W + "author", self.author)
        el.set(W + "date", self.date)
        self.next_id += 1
        self.counts[kind] += 1
        return el

    def _mark_paragraph_mark(self, p, kind: str) -> None:
        """Mark the paragraph mark itself as inserted/deleted (pPr/rPr/w:ins|w:del)."""
        ppr = p.find(W + "pPr")
        if ppr is None:
            ppr = etree.SubElement(p, W + "pPr")
            p.remove(ppr)
            p.insert(0, ppr)
        rpr = ppr.find(W + "rPr")
        if rpr is None:
            rpr = etree.Element(W + "rPr")
            anchor = ppr.find(W + "sectPr")
            if anchor is None:
                anchor = ppr.find(W + "pPrChange")
            if anchor is not None:
                anchor.addprevious(rpr)
            else:
                ppr.append(rpr)
        rpr.insert(0, self._mark(kind))

    def _wrap_runs(self, p, kind: str) -> None:
        runs = [r for r in p.iter(W + "r") if r.getparent().tag not in (W + "ins", W + "del")]
        for run in runs:
            wrapper = self._mark(kind)
            run.addprevious(wrapper)
            wrapper.append(run)
            if kind == "del":
                _to_deleted_text(run)

    def mark_paragraph(self, p, kind: str) -> None:
        if kind == "del":
            ppr = p.find(W + "pPr")
            if ppr is not None and ppr.find(W + "sectPr") is not None:
                ppr.remove(ppr.find(W + "sectPr"))  # a removed paragraph must not end a section
        self._wrap_runs(p, kind)
        self._mark_paragraph_mark(p, kind)

    def mark_row(self, tr, kind: str) -> None:
        trpr = tr.find(W + "trPr")
        if trpr is None:
            trpr = etree.Element(W + "trPr")
            prex = tr.find(W + "tblPrEx")
            if prex is not None:
                prex.addnext(trpr)
            else:
                tr.insert(0, trpr)
        change = trpr.find(W + "trPrChange")
        if change is not None:
            change.addprevious(self._mark(kind))
        else:
            trpr.append(self._mark(kind))
        for p in tr.iter(W + "p"):
            self.mark_paragraph(p, kind)

    def mark_block(self, el, kind: str) -> None:
        if el.tag == W + "p":
            self.mark_paragraph(el, kind)
        elif el.tag == W + "tbl":
            for tr in el.findall(W + "tr"):
                self.mark_row(tr, kind)
        else:
            for p in el.iter(W + "p"):
                self.mark_paragraph(p, kind)

    # ---------------------------------------------------------------- diff
    def blocks(self, old: list, new: list) -> list:
        """The merged, marked sequence of block elements (p, tbl, sdt) of a body or cell."""
        out: list = []
        sm = difflib.SequenceMatcher(None, [_key(e) for e in old], [_key(e) for e in new], autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                out.extend(new[j1:j2])
            elif op == "delete":
                out.extend(self._deleted(old[i1:i2]))
            elif op == "insert":
                out.extend(self._inserted(new[j1:j2]))
            else:
                out.extend(self._replace(old[i1:i2], new[j1:j2]))
        return _separate_tables(out, self)

    def _deleted(self, els: list) -> list:
        copies = [copy.deepcopy(e) for e in els]
        for c in copies:
            self.mark_block(c, "del")
        return copies

    def _inserted(self, els: list) -> list:
        for e in els:
            self.mark_block(e, "ins")
        return list(els)

    def _replace(self, old: list, new: list) -> list:
        """Pair the most similar old/new blocks of the same kind; the rest are deleted or inserted."""
        out: list = []
        for o, n in pair_most_similar(old, new, key=_key, can_pair=lambda o, n: o.tag == n.tag):
            out.extend(self._inserted([n]) if o is None else self._deleted([o]) if n is None else self._pair(o, n))
        return out

    def _pair(self, old, new) -> list:
        if new.tag == W + "p" and _simple(old) and _simple(new):
            return [self.paragraph(old, new)]
        if new.tag == W + "tbl" and _columns(old) == _columns(new):
            return [self.table(old, new)]
        return self._deleted([old]) + self._inserted([new])

    def paragraph(self, old, new):
        """The new paragraph with word-level w:del / w:ins against the old one."""
        a, b = _tokens(old), _tokens(new)
        sm = difflib.SequenceMatcher(None, [t for t, _ in a], [t for t, _ in b], autojunk=False)
        p = etree.Element(W + "p", nsmap=new.nsmap)
        for k, v in new.attrib.items():
            p.set(k, v)
        ppr = new.find(W + "pPr")
        if ppr is not None:
            p.append(copy.deepcopy(ppr))
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op in ("delete", "replace"):
                wrapper = self._mark("del")
                for run in _runs(a[i1:i2], deleted=True):
                    wrapper.append(run)
                p.append(wrapper)
            if op in ("insert", "replace"):
                wrapper = self._mark("ins")
                for run in _runs(b[j1:j2]):
                    wrapper.append(run)
                p.append(wrapper)
            if op == "equal":
                for run in _runs(b[j1:j2]):
                    p.append(run)
        return p

    def table(self, old, new):
        """The new table with rows aligned against the old one; changed rows diffed cell by cell."""
        orows, nrows = old.findall(W + "tr"), new.findall(W + "tr")
        sm = difflib.SequenceMatcher(None, [_key(r) for r in orows], [_key(r) for r in nrows], autojunk=False)
        merged = []
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                merged.extend(nrows[j1:j2])
                continue
            olds, news = orows[i1:i2], nrows[j1:j2]
            k = min(len(olds), len(news)) if op == "replace" else 0
            for o, n in zip(olds[:k], news[:k]):
                merged.extend(self.row(o, n))
            for o in olds[k:]:
                c = copy.deepcopy(o)
                self.mark_row(c, "del")
                merged.append(c)
            for n in news[k:]:
                self.mark_row(n, "ins")
                merged.append(n)
        for r in nrows:
            new.remove(r)
        for r in merged:
            new.append(r)
        return new

    def row(self, old, new):
        ocells, ncells = old.findall(W + "tc"), new.findall(W + "tc")
        if len(ocells) != len(ncells):
            # different shape: old row removed, new row added (kept together)
            c = copy.deepcopy(old)
            self.mark_row(c, "del")
            self.mark_row(new, "ins")
            return [c, new]
        for oc, nc in zip(ocells, ncells):
            oblocks = [e for e in oc if e.tag in (W + "p", W + "tbl", W + "sdt")]
            nblocks = [e for e in nc if e.tag in (W + "p", W + "tbl", W + "sdt")]
            merged = self.blocks(oblocks, nblocks)
            for e in nblocks:
                nc.remove(e)
            for e in merged:
                nc.append(e)
        return [new]


def _separate_tables(blocks: list, rl: Redliner) -> list:
    """Keep a deleted table from merging into an adjacent inserted table."""
    out: list = []
    for b in blocks:
        if out and out[-1].tag == W + "tbl" and b.tag == W + "tbl":
            spacer = etree.Element(W + "p")
            rl.mark_paragraph(spacer, "ins")
            out.append(spacer)
        out.append(b)
    return out


def _simple(p) -> bool:
    for child in p:
        if child.tag == W + "pPr":
            continue
        if child.tag in (W + "bookmarkStart", W + "bookmarkEnd", W + "proofErr"):
            continue
        if child.tag != W + "r":
            return False
        if any(c.tag not in _SIMPLE_RUN_CHILDREN for c in child):
            return False
    return True


def _columns(tbl) -> int:
    grid = tbl.find(W + "tblGrid")
    return len(grid.findall(W + "gridCol")) if grid is not None else -1


def _tokens(p) -> list[tuple[str, object]]:
    """(token, rPr) pairs of a simple paragraph: words with their trailing space, tabs, breaks."""
    out: list[tuple[str, object]] = []
    for r in p.findall(W + "r"):
        rpr = r.find(W + "rPr")
        for c in r:
            if c.tag == W + "t":
                out.extend((tok, rpr) for tok in _TOKEN.findall(c.text or ""))
            elif c.tag == W + "tab":
                out.append(("\t", rpr))
            elif c.tag == W + "br":
                out.append(("\n" if c.get(W + "type") != "page" else "\f", rpr))
            elif c.tag == W + "noBreakHyphen":
                out.append(("\u2011", rpr))
    return out


def _runs(tokens: list, deleted: bool = False) -> list:
    """Runs for a token sequence; consecutive tokens with the same formatting share a run."""
    runs = []
    current = None
    current_key = None
    text_tag = W + ("delText" if deleted else "t")
    for tok, rpr in tokens:
        key = None if rpr is None else etree.tostring(rpr)
        if current is None or key != current_key:
            current = etree.Element(W + "r")
            if rpr is not None:
                current.append(copy.deepcopy(rpr))
            runs.append(current)
            current_key = key
        if tok == "\t":
            etree.SubElement(current, W + "tab")
        elif tok in ("\n", "\f"):
            br = etree.SubElement(current, W + "br")
            if tok == "\f":
                br.set(W + "type", "page")
        elif tok == "\u2011":
            etree.SubElement(current, W + "noBreakHyphen")
        else:
            last = current[-1] if len(current) else None
            if last is not None and last.tag == text_tag:
                last.text += tok
            else:
                t = etree.SubElement(current, text_tag)
                t.text = tok
            current[-1].set(XML_SPACE, "preserve")
    return runs


def _to_deleted_text(run) -> None:
    for t in run.iter(W + "t"):
        t.tag = W + "delText"
    for t in run.iter(W + "instrText"):
        t.tag = W + "delInstrText"


def _doc_date(zf: zipfile.ZipFile) -> str:
    """The new document's own modified date (fixed by the build), else a constant."""
    name = safezip.related(zf, "core-properties")  # found by relationship: not always docProps/core.xml
    if name is None:
        return FALLBACK_DATE
    core = safezip.parse_xml(zf.read(name))
    for el in core:
        if etree.QName(el).localname == "modified" and el.text:
            text = el.text.strip()
            if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", text):
                return text
    return FALLBACK_DATE


def redline(old: bytes, new: bytes) -> tuple[bytes, dict[str, int]]:
    """The bytes of NEW with tracked changes against OLD, and counts of marked blocks."""
    from pipeline.ooxml.package import normalise_zip

    with safezip.open_zip(old) as zo:
        old_root = safezip.parse_xml(safezip.read_member(zo, safezip.main_part(zo)))
    with safezip.open_zip(new) as zn:
        main = safezip.main_part(zn)  # by relationship: Word for the web names it word/document2.xml
        new_xml = safezip.read_member(zn, main)
        date = _doc_date(zn)
        parts = {name: zn.read(name) for name in zn.namelist()}
    new_root = safezip.parse_xml(new_xml)
    old_body, new_body = old_root.find(W + "body"), new_root.find(W + "body")
    kinds = (W + "p", W + "tbl", W + "sdt")
    old_blocks = [e for e in old_body if e.tag in kinds]
    new_blocks = [e for e in new_body if e.tag in kinds]
    rl = Redliner(date=date)
    merged = rl.blocks(old_blocks, new_blocks)
    sect = new_body.find(W + "sectPr")
    for e in list(new_body):
        if e.tag in kinds:
            new_body.remove(e)
    for e in merged:
        if sect is not None:
            sect.addprevious(e)
        else:
            new_body.append(e)
    parts[main] = etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return normalise_zip(buf.getvalue()), dict(rl.counts)
