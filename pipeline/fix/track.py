"""Edits of WordprocessingML shown as Word's tracked changes (or made outright, ``accept``).

Each edit of a property element keeps the old properties in its ``*Change`` element — ``w:rPrChange`` (last
child of ``w:rPr``, holding the old ``w:rPr``), ``w:pPrChange`` (last of ``w:pPr``; the old ``w:pPr`` without its
mark's ``w:rPr``, ``w:sectPr`` and change), ``w:sectPrChange`` (last of ``w:sectPr``; the old one without its
header and footer references) — and a few characters become a ``w:del``/``w:ins`` pair around the run they
were in. Children are put where ECMA-376's sequences place them (``*_ORDER``), so Word opens the file
without "repairing" it. Every revision is by ``AUTHOR`` at one fixed date (reproducible bytes), its ``w:id``
above every id the document already uses.
"""

from __future__ import annotations

import copy

from lxml import etree

from pipeline.docread.xmlparts import W

AUTHOR = "vanban"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

RPR_ORDER = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
             "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
             "vertAlign rtl cs em lang eastAsianLayout specVanish oMath rPrChange").split()
PPR_ORDER = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
             "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
             "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
             "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()
SECT_ORDER = ("headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
              "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings "
              "sectPrChange").split()
ORDERS = {"rPr": RPR_ORDER, "pPr": PPR_ORDER, "sectPr": SECT_ORDER}
CHANGE = {"rPr": "rPrChange", "pPr": "pPrChange", "sectPr": "sectPrChange"}
NOT_IN_OLD = {"rPr": {"rPrChange", "ins", "del", "moveFrom", "moveTo"}, "pPr": {"rPr", "sectPr", "pPrChange"},
              "sectPr": {"headerReference", "footerReference", "sectPrChange"}}
RUN_PARENTS = {W + "p", W + "hyperlink", W + "sdtContent", W + "smartTag", W + "customXml", W + "fldSimple"}


def local(el) -> str:
    return etree.QName(el).localname


def put(pr, name: str, attrs: dict[str, str], drop: tuple[str, ...] = ()):
    """Set child ``w:name`` of the property element ``pr`` (made in its schema place when absent) with
    ``attrs`` (w: attribute names), removing the attributes named in ``drop``."""
    el = pr.find(W + name)
    if el is None:
        order = ORDERS[local(pr)]
        el = pr.makeelement(W + name, {})
        rank = order.index(name)
        after = next((c for c in pr if isinstance(c.tag, str) and c.tag.startswith(W)
                      and local(c) in order and order.index(local(c)) > rank), None)
        if after is None:
            pr.append(el)
        else:
            after.addprevious(el)
    for a in drop:
        el.attrib.pop(W + a, None)
    for k, v in attrs.items():
        el.set(W + k, v)
    return el


def remove(pr, name: str) -> None:
    for el in pr.findall(W + name):
        pr.remove(el)


class Revisions:
    """Makes the edits of one document: tracked (``accept`` False) or accepted."""

    def __init__(self, roots, date: str, accept: bool):
        self.accept = accept
        self.date = date
        self.next_id = 1 + max((int(v) for root in roots for el in root.iter()
                                if isinstance(el.tag, str) and (v := el.get(W + "id", "")).isdigit()
                                and len(v) < 10), default=0)

    def stamp(self, el):
        el.set(W + "id", str(self.next_id))
        el.set(W + "author", AUTHOR)
        el.set(W + "date", self.date)
        self.next_id += 1
        return el

    def props(self, owner, kind: str):
        """``owner``'s ``w:rPr``/``w:pPr`` (made when absent), or ``owner`` itself when it is a ``w:sectPr``."""
        if kind == "sectPr":
            return owner
        pr = owner.find(W + kind)
        if pr is None:
            pr = owner.makeelement(W + kind, {})
            owner.insert(0, pr)
        return pr

    def edit(self, owner, kind: str, change) -> bool:
        """Apply ``change(pr)`` to ``owner``'s properties; when it changed them and edits are tracked, keep the
        old ones in a ``*Change`` element (an existing one already holds the older state: kept as it is)."""
        pr = self.props(owner, kind)
        before = etree.tostring(pr)
        old = copy.deepcopy(pr)
        change(pr)
        if etree.tostring(pr) == before:
            return False
        if self.accept or pr.find(W + CHANGE[kind]) is not None:
            return True
        for c in list(old):
            if not isinstance(c.tag, str) or local(c) in NOT_IN_OLD[kind]:
                old.remove(c)
        for a in list(old.attrib):
            if kind != "sectPr":
                del old.attrib[a]
        put(pr, CHANGE[kind], {}).append(old)
        self.stamp(pr.find(W + CHANGE[kind]))
        return True

    def replace(self, t, start: int, end: int, new: str) -> bool:
        """Replace ``t.text[start:end]`` of the ``w:t`` ``t`` with ``new``: a ``w:del``/``w:ins`` pair in a run
        split around it (tracked), or the text itself (accepted). False when the run cannot be split here."""
        r = t.getparent()
        text = t.text or ""
        if self.accept:
            t.text = text[:start] + new + text[end:]
            t.set(XML_SPACE, "preserve")
            return True
        if r is None or r.tag != W + "r" or r.getparent() is None or r.getparent().tag not in RUN_PARENTS:
            return False
        pieces = self._split(r, t)
        before_t = pieces[t]
        parts = []
        rpr = r.find(W + "rPr")  # still on the emptied run
        if start:
            parts.append(self._run(rpr, text[:start], "t"))
        if end > start:
            parts.append(self.stamp(etree.Element(W + "del")))
            parts[-1].append(self._run(rpr, text[start:end], "delText"))
        if new:
            parts.append(self.stamp(etree.Element(W + "ins")))
            parts[-1].append(self._run(rpr, new, "t"))
        if end < len(text):
            parts.append(self._run(rpr, text[end:], "t"))
        for el in parts:
            before_t.addprevious(el)
        before_t.getparent().remove(before_t)
        return True

    def _split(self, r, t) -> dict:
        """Split run ``r`` into runs of one content child each (same properties); -> content child -> its run."""
        rpr = r.find(W + "rPr")
        content = [c for c in r if c is not rpr]
        out = {}
        for c in content:
            nr = r.makeelement(W + "r", dict(r.attrib))
            if rpr is not None:
                nr.append(self._fresh(rpr))
            nr.append(c)
            r.addprevious(nr)
            out[c] = nr
        r.getparent().remove(r)
        return out

    def _run(self, rpr, text: str, tag: str):
        r = etree.Element(W + "r")
        if rpr is not None:
            r.append(self._fresh(rpr))
        t = etree.SubElement(r, W + tag)
        t.text = text
        t.set(XML_SPACE, "preserve")
        return r

    def _fresh(self, rpr):
        """A copy of ``rpr`` whose revision (if any) has an id of its own."""
        out = copy.deepcopy(rpr)
        for ch in out.findall(W + "rPrChange"):
            if self.accept:
                out.remove(ch)
            else:
                self.stamp(ch)
        return out
