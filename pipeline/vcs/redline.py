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

Any two files, however hostile, take time linear in their size: difflib (whose
worst case is the product of the two lengths) aligns at most ``MAX_ALIGN`` pairs
of items in one stretch — beyond it the common start and end are kept and the
middle is one change; changed blocks are paired by similarity only in stretches
of at most ``MAX_PAIRS`` pairs and keys of at most ``MAX_KEY`` characters; text
is gathered once per run. A file that cannot be read is said so in Vietnamese.
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
MAX_ALIGN = 1_000_000  # pairs difflib may compare in one stretch (a 1,000-paragraph document against another)
MAX_PAIRS = 2_500  # changed old/new blocks paired by similarity in one stretch (50 × 50)
MAX_KEY = 20_000  # characters of a block's text compared for similarity
_TOKEN = re.compile(r"\S+\s*|\s+")
_VISIBLE = etree.XPath("descendant::w:t[not(ancestor::w:del)] | descendant::w:tab[not(ancestor::w:del)]"
                       " | descendant::w:br[not(ancestor::w:del)]", namespaces={"w": W_NS})

# children of a paragraph a word-level diff can rebuild (anything else: whole paragraph)
_SIMPLE_RUN_CHILDREN = {W + "rPr", W + "t", W + "tab", W + "br", W + "noBreakHyphen", W + "lastRenderedPageBreak"}


def _text(el) -> str:
    """The text a block shows (deletions left out), found by libxml2 in one pass."""
    return "".join(node.text or "" if node.tag == W + "t" else "\t" if node.tag == W + "tab" else "\n"
                   for node in _VISIBLE(el))


def _key(el) -> str:
    if el.tag == W + "p":
        return "p:" + _text(el)
    if el.tag == W + "tbl":  # its own cells (a nested table's text is in the cell that holds it)
        return "tbl:" + "|".join(_text(tc) for tr in el.findall(W + "tr") for tc in tr.findall(W + "tc"))
    return el.tag + ":" + _text(el)


def opcodes(a: list, b: list) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes of ``a`` against ``b``. When they would compare more than ``MAX_ALIGN`` pairs, the
    common start and end are kept and the middle is aligned only if it is small enough, else one change."""
    if len(a) * len(b) <= MAX_ALIGN:
        return list(difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes())
    n = min(len(a), len(b))
    start = next((i for i in range(n) if a[i] != b[i]), n)
    end = next((i for i in range(n - start) if a[len(a) - 1 - i] != b[len(b) - 1 - i]), n - start)
    ia, ib = len(a) - end, len(b) - end
    ops: list[tuple[str, int, int, int, int]] = [("equal", 0, start, 0, start)] if start else []
    if (ia - start) * (ib - start) <= MAX_ALIGN:
        ops += [(op, i1 + start, i2 + start, j1 + start, j2 + start) for op, i1, i2, j1, j2 in
                difflib.SequenceMatcher(None, a[start:ia], b[start:ib], autojunk=False).get_opcodes()]
    else:
        ops.append(("replace", start, ia, start, ib))
    return ops + ([("equal", ia, len(a), ib, len(b))] if end else [])


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
        for op, i1, i2, j1, j2 in opcodes([_key(e) for e in old], [_key(e) for e in new]):
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
        """Pair the most similar old/new blocks of the same kind; the rest are deleted or inserted. A long
        stretch, or a block of long text, is not compared for similarity (its cost is their product)."""
        if len(old) * len(new) > MAX_PAIRS:
            return self._deleted(old) + self._inserted(new)
        short = {id(e) for e in old + new if len(_key(e)) <= MAX_KEY}
        out: list = []
        for o, n in pair_most_similar(old, new, key=_key,
                                      can_pair=lambda o, n: o.tag == n.tag and id(o) in short and id(n) in short):
            out.extend(self._inserted([n]) if o is None else self._deleted([o]) if n is None else self._pair(o, n))
        return out

    def _pair(self, old, new) -> list:
        if new.tag == W + "p" and _simple(old) and _simple(new):
            a, b = _tokens(old), _tokens(new)
            if len(a) * len(b) <= MAX_ALIGN:
                return [self.paragraph(old, new, a, b)]
        if new.tag == W + "tbl" and _columns(old) == _columns(new):
            return [self.table(old, new)]
        return self._deleted([old]) + self._inserted([new])

    def paragraph(self, old, new, a: list | None = None, b: list | None = None):
        """The new paragraph with word-level w:del / w:ins against the old one (``a``, ``b``: their tokens)."""
        a = _tokens(old) if a is None else a
        b = _tokens(new) if b is None else b
        p = etree.Element(W + "p", nsmap=new.nsmap)
        for k, v in new.attrib.items():
            p.set(k, v)
        ppr = new.find(W + "pPr")
        if ppr is not None:
            p.append(copy.deepcopy(ppr))
        for op, i1, i2, j1, j2 in opcodes([t for t, _ in a], [t for t, _ in b]):
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
        merged = []
        for op, i1, i2, j1, j2 in opcodes([_key(r) for r in orows], [_key(r) for r in nrows]):
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
    """Runs for a token sequence; consecutive tokens with the same formatting share a run (their text is
    gathered, then set once: a run of 100,000 words is joined once, not copied 100,000 times)."""
    runs = []
    current = None
    current_key = None
    text_tag = W + ("delText" if deleted else "t")
    pending: list[str] = []  # the text of the run's last text element, not set yet

    def flush() -> None:
        if pending:
            current[-1].text = "".join(pending)  # type: ignore[index]
            pending.clear()

    for tok, rpr in tokens:
        key = None if rpr is None else etree.tostring(rpr)
        if current is None or key != current_key:
            flush()
            current = etree.Element(W + "r")
            if rpr is not None:
                current.append(copy.deepcopy(rpr))
            runs.append(current)
            current_key = key
        if tok in ("\t", "\n", "\f", "\u2011"):
            flush()
            if tok == "\t":
                etree.SubElement(current, W + "tab")
            elif tok == "\u2011":
                etree.SubElement(current, W + "noBreakHyphen")
            else:
                br = etree.SubElement(current, W + "br")
                if tok == "\f":
                    br.set(W + "type", "page")
        else:
            last = current[-1] if len(current) else None
            if last is None or last.tag != text_tag:
                t = etree.SubElement(current, text_tag)
                t.set(XML_SPACE, "preserve")
            pending.append(tok)
    flush()
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
    try:
        core = safezip.parse_xml(zf.read(name))
    except safezip.BadDocx:  # the date only stamps the revisions
        return FALLBACK_DATE
    for el in core:
        if etree.QName(el).localname == "modified" and el.text:
            text = el.text.strip()
            if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", text):
                return text
    return FALLBACK_DATE


def _body(data: bytes, label: str):
    """The main part's root and its body; a file that cannot be read is ``BadDocx`` with a Vietnamese reason."""
    from pipeline.docread.limits import why

    try:
        with safezip.open_zip(data, label) as zf:
            main = safezip.main_part(zf)  # by relationship: Word for the web names it word/document2.xml
            root = safezip.parse_xml(safezip.read_member(zf, main, label), label)
    except safezip.BadDocx as exc:
        raise safezip.BadDocx(f"{label}: {why(exc, label)}") from None
    body = root.find(W + "body")
    if body is None:
        raise safezip.BadDocx(f"{label}: không có phần thân văn bản (w:body) — không phải văn bản Word hợp lệ")
    return root, body


def redline(old: bytes, new: bytes, old_label: str = "bản cũ", new_label: str = "bản mới"
            ) -> tuple[bytes, dict[str, int]]:
    """The bytes of NEW with tracked changes against OLD, and counts of marked blocks."""
    from pipeline.ooxml.package import normalise_zip

    old_root, old_body = _body(old, old_label)
    new_root, new_body = _body(new, new_label)
    with safezip.open_zip(new, new_label) as zn:
        main = safezip.main_part(zn)
        date = _doc_date(zn)
        parts = {name: zn.read(name) for name in zn.namelist()}
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
