"""§1 Times New Roman, mended where the file sets the font: on the run when the run names it, else in the
style (or the document defaults) the run takes it from — one change to a style mends every paragraph of it,
as a clerk would do it in Word (Styles → Modify)."""

from __future__ import annotations

from pipeline.decree import rules
from pipeline.docread.document import Document, Para
from pipeline.docread.parts import theme_of
from pipeline.docread.styles import Formatting
from pipeline.docread.xmlparts import W, val
from pipeline.fix.edits import Change, run_elements
from pipeline.fix.track import Revisions, put

THEME_SLOTS = ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme")


def _tnr(pr) -> None:
    put(pr, "rFonts", {"ascii": rules.FONT, "hAnsi": rules.FONT, "cs": rules.FONT}, drop=THEME_SLOTS)


def _table_style(p: Para):
    tbl = next((a for a in p.el.iterancestors(W + "tbl")), None)
    return val(tbl.find(f"{W}tblPr/{W}tblStyle")) if tbl is not None else None


def font_home(fmt: Formatting, p: Para, r_el, text: str):
    """The ``w:rPr`` that gives the run its (Latin) font: the run's own (None), a style's, the defaults'."""
    slot = "ascii" if text.isascii() else "hAnsi"
    for rpr in fmt.rpr_places(p.el, r_el, _table_style(p)):
        rf = rpr.get(W + "rFonts")
        if rf is not None and (rf.get(W + slot) or rf.get(W + slot + "Theme")):
            return None if rpr.element.getparent() is r_el else rpr.element  # (a run without a w:rPr of its
            # own starts from its paragraph style's: ``Run.font_source`` calls that "run")
    return None


def fix_font(doc: Document, package, rev: Revisions) -> list[Change]:
    fmt = Formatting(package.styles.element, theme_of(package))
    runs: dict[str, int] = {}
    homes: dict[object, str] = {}  # a style's or the defaults' rPr -> the font it gave
    for p in doc.paragraphs:
        for run, el in zip(p.runs, run_elements(p)):
            if run.font == rules.FONT:
                continue
            home = font_home(fmt, p, el, run.text)
            if home is not None and home in homes:
                continue
            owner = home.getparent() if home is not None else None
            if owner is not None and owner.tag in (W + "style", W + "rPrDefault"):
                if home not in homes and rev.edit(owner, "rPr", _tnr):
                    homes[home] = run.font_written  # mended once, for every run that takes it
            elif rev.edit(el, "rPr", _tnr):
                runs[run.font_written] = runs.get(run.font_written, 0) + 1
    out = [Change("font.family", _style_words(home), font, rules.FONT) for home, font in homes.items()]
    return out + [Change("font.family", f"{n} đoạn chữ", name, rules.FONT) for name, n in sorted(runs.items())]


def _style_words(rpr) -> str:
    owner = rpr.getparent()
    if owner.tag == W + "rPrDefault":
        return "phông mặc định của văn bản"
    name = owner.find(W + "name")
    return f"kiểu “{val(name) or owner.get(W + 'styleId')}”"
