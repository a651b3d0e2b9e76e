"""Stage 5: one issued file — the plan followed by its appendices.

docxcompose merges styles, numbering and relationships, but it drops the
section properties of every appended document (so a landscape appendix would
come out portrait) and draws list ids from ``random``. Here each appended
document keeps its own section: the section before it is closed with a copy of
its properties, and the appended document's properties (landscape, page
numbers restarting at 1, no number on its first page) become the new last
section, pointing at the master's page-number header. ``random`` is seeded for
the duration, so ids are the same on every build.
"""

from __future__ import annotations

import copy
import random
from contextlib import contextmanager

from docx.oxml.ns import qn
from docxcompose.composer import Composer

_HDR_FTR = (qn("w:headerReference"), qn("w:footerReference"))


@contextmanager
def _seeded_random(seed: int = 30_2020):
    state = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(state)


def _body_sectpr(doc):
    return doc.element.body.find(qn("w:sectPr"))


def _close_section(doc) -> None:
    """End the document's current last section with a paragraph carrying a copy of its properties."""
    body = doc.element.body
    sect_pr = _body_sectpr(doc)
    p = body.makeelement(qn("w:p"), {})
    ppr = p.makeelement(qn("w:pPr"), {})
    ppr.append(copy.deepcopy(sect_pr))
    p.append(ppr)
    sect_pr.addprevious(p)


def _adopt_section(master, part, header_refs) -> None:
    """Make ``part``'s section properties the master's last section, with the master's headers."""
    new = copy.deepcopy(_body_sectpr(part))
    for el in [e for e in new if e.tag in _HDR_FTR]:
        new.remove(el)
    for ref in reversed(header_refs):
        new.insert(0, copy.deepcopy(ref))  # header/footer references come first in sectPr
    old = _body_sectpr(master)
    old.addprevious(new)
    old.getparent().remove(old)


def compose(master, parts):
    """Append each document of ``parts`` to ``master`` in its own section; return ``master``."""
    header_refs = [e for e in _body_sectpr(master) if e.tag in _HDR_FTR]
    with _seeded_random():
        composer = Composer(master)
        for part in parts:
            _close_section(master)
            composer.append(part)
            _adopt_section(master, part, header_refs)
    return master
