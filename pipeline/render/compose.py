"""One issued file — the plan followed by its appendices.

docxcompose merges styles, numbering and relationships, but it drops the
section properties of every appended document (so a landscape appendix would
come out portrait) and draws list ids from ``random``. Here each appended
document keeps its own section: the section before it is closed with a copy of
its properties, and the appended document's properties (landscape, page
numbers restarting at 1, no number on its first page) become the new last
section, pointing at the master's page-number header. ``random`` is seeded for
the duration, so ids are the same on every build.

``compose`` works on python-docx documents. ``concatenate`` does the same on
bodies alone, for documents rendered from prototypes (``render.Prototype``),
where ``appends_plainly`` shows that docxcompose would only copy each element:
the part uses no numbering, footnote, relationship, bookmark or drawing, and
each of its styles is the master's style of the same id and name. Then the
master's other parts are left as they were, and the result is byte for byte
what ``compose`` gives (tests compare them).
"""

from __future__ import annotations

import copy
import random
from contextlib import contextmanager
from dataclasses import dataclass

from docx.oxml.ns import qn
from docxcompose.composer import Composer
from lxml import etree

from pipeline.ooxml.xmlns import NS, clark

_HDR_FTR = (qn("w:headerReference"), qn("w:footerReference"))
_SECT_PR = qn("w:sectPr")
# what docxcompose's append changes when a part's element holds it: numbering, footnotes, sections and
# their headers, bookmarks (renumbered), drawings and pictures (renumbered, their images copied),
# diagrams, and anything pointing at a relationship (copied with its target)
_ACTED_ON = ("w:numId", "w:numPr", "w:footnoteReference", "w:headerReference", "w:footerReference",
             "w:sectPr", "w:bookmarkStart", "w:bookmarkEnd", "wp:docPr", "pic:cNvPr", "v:imagedata",
             "dgm:relIds")
_ACTED_TAGS = tuple(clark(t) for t in _ACTED_ON)
# docxcompose skips the part's own (body-level) sectPr
_POINTS_AT_PART = etree.XPath("boolean(./*[not(self::w:sectPr)]/descendant-or-self::*/@r:*)", namespaces=NS)
_P_STYLE = qn("w:pStyle")
_STYLE_TAGS = (_P_STYLE, qn("w:rStyle"), qn("w:tblStyle"))
_RENUMBERS = etree.XPath("boolean(.//w:bookmarkStart|.//w:bookmarkEnd|.//wp:docPr|.//pic:cNvPr)", namespaces=NS)
_VAL = qn("w:val")


@contextmanager
def _seeded_random(seed: int = 30_2020):
    state = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(state)


def _close_section(body) -> None:
    """End the body's current last section with a paragraph carrying a copy of its properties."""
    sect_pr = body.find(_SECT_PR)
    p = body.makeelement(qn("w:p"), {})
    ppr = p.makeelement(qn("w:pPr"), {})
    ppr.append(copy.deepcopy(sect_pr))
    p.append(ppr)
    sect_pr.addprevious(p)


def _adopt_section(body, part_body, header_refs) -> None:
    """Make ``part_body``'s section properties the body's last section, with the master's headers."""
    new = copy.deepcopy(part_body.find(_SECT_PR))
    for el in [e for e in new if e.tag in _HDR_FTR]:
        new.remove(el)
    for ref in reversed(header_refs):
        new.insert(0, copy.deepcopy(ref))  # header/footer references come first in sectPr
    old = body.find(_SECT_PR)
    old.addprevious(new)
    old.getparent().remove(old)


def _header_refs(body) -> list:
    return [e for e in body.find(_SECT_PR) if e.tag in _HDR_FTR]


def compose(master, parts):
    """Append each document of ``parts`` to ``master`` in its own section; return ``master``."""
    body = master.element.body
    header_refs = _header_refs(body)
    with _seeded_random():
        composer = Composer(master)
        for part in parts:
            _close_section(body)
            composer.append(part)
            _adopt_section(body, part.element.body, header_refs)
    return master


@dataclass(frozen=True)
class Styles:
    """What docxcompose reads of a document's styles to map a part's styles onto the master's."""

    id2name: dict
    name2id: dict
    numbered: frozenset  # ids of styles that carry numbering (docxcompose restarts their lists)

    @classmethod
    def of(cls, document) -> Styles:
        styles = list(document.styles)
        return cls({s.style_id: s.name for s in styles}, {s.name: s.style_id for s in styles},
                   frozenset(s.style_id for s in styles if s.element.find(".//" + qn("w:numId")) is not None))


def appends_plainly(master: Styles, part: Styles, part_body) -> bool:
    """Whether docxcompose's append of ``part_body`` would only copy its elements (see the module)."""
    appended = [el for el in part_body if el.tag != _SECT_PR]
    if _POINTS_AT_PART(part_body) or any(next(el.iter(*_ACTED_TAGS), None) is not None for el in appended):
        return False
    for tag, sid in {(ref.tag, ref.get(_VAL)) for el in appended for ref in el.iter(*_STYLE_TAGS)}:
        if sid not in part.id2name or master.name2id.get(part.id2name[sid]) != sid:
            return False  # docxcompose would map it to another id, or copy the style in
        if tag == _P_STYLE and sid in master.numbered:
            return False  # docxcompose would restart the list of the style
    return True


def renumbers(body) -> bool:
    """Whether the master's body holds what docxcompose renumbers after every append."""
    return _RENUMBERS(body)


def concatenate(body, part_bodies) -> None:
    """``compose`` on bodies: each part's elements copied into ``body`` in its own section.
    Only where ``appends_plainly`` holds for every part and ``renumbers`` not for the master."""
    header_refs = _header_refs(body)
    for part_body in part_bodies:
        _close_section(body)
        end = body.find(_SECT_PR)
        for el in part_body:
            if el.tag != _SECT_PR:
                end.addprevious(copy.deepcopy(el))
        _adopt_section(body, part_body, header_refs)
