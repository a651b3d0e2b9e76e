"""Read a .docx back as a reader sees it: effective formatting through the style chain; and a package's
parts as a zip (``zip_parts``, ``zipped``, ``with_part``): the one place tests open and make zips."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx.oxml.ns import qn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ZIP_DATE = (2026, 1, 5, 0, 0, 0)  # every member a test zips carries this date: the same bytes at every run


def zip_parts(source: bytes | Path) -> dict[str, bytes]:
    """Every member of a zip (a .docx: its bytes or its path) by name, in the zip's order."""
    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as z:
        return {n: z.read(n) for n in z.namelist()}


def zipped(members: dict[str, bytes | str]) -> bytes:
    """A deflated zip of ``members`` in their order (text as UTF-8), each dated ``ZIP_DATE``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, date_time=ZIP_DATE), data.encode("utf-8") if isinstance(data, str)
                       else data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The package ``data`` with the member ``name`` replaced by ``content``, or added, as its last member."""
    members = zip_parts(data)
    members.pop(name, None)
    return zipped(members | {name: content})


def _style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def effective_run(paragraph, run, attr: str):
    """bold / italic / size (pt) / name of ``run``: run → paragraph style chain."""
    value = getattr(run.font, attr)
    if value is not None:
        return value.pt if attr == "size" else value
    for st in _style_chain(paragraph.style):
        v = getattr(st.font, attr)
        if v is not None:
            return v.pt if attr == "size" else v
    return None


def para_format(paragraph, attr: str):
    """alignment / first_line_indent / space_after / … through the paragraph style chain."""
    value = getattr(paragraph.paragraph_format, attr)
    if value is not None:
        return value
    for st in _style_chain(paragraph.style):
        v = getattr(st.paragraph_format, attr)
        if v is not None:
            return v
    return None


def runs_with_text(paragraph):
    return [r for r in paragraph.runs if r.text.strip()]


def all_runs_are(paragraph, **expected) -> bool:
    runs = runs_with_text(paragraph)
    assert runs, f"no text in paragraph {paragraph.text!r}"
    return all(effective_run(paragraph, r, k) == v for r in runs for k, v in expected.items())


def shown(text: str) -> str:
    """Text as a reader takes it: a non-breaking space and a line break read as a space."""
    return text.replace("\u00a0", " ").replace("\n", " ")


def p_text(p_el) -> str:
    """A paragraph element's text as Word shows it: its text elements, a non-breaking hyphen
    (``w:noBreakHyphen``, held inside a document symbol "/KH-UBND") read as "-"."""
    return "".join(t.text or "" if t.tag == W + "t" else "-" for t in p_el.iter(W + "t", W + "noBreakHyphen"))


def set_p_text(p_el, text: str) -> None:
    """The paragraph's text replaced by ``text``, in its first run (as a clerk retyping it)."""
    for hyphen in list(p_el.iter(W + "noBreakHyphen")):
        hyphen.getparent().remove(hyphen)
    ts = list(p_el.iter(W + "t"))
    ts[0].text = text
    for t in ts[1:]:
        t.text = ""


def find_paragraph(paragraphs, text: str):
    for p in paragraphs:
        if shown(p.text).strip() == text:
            return p
    raise AssertionError(f"no paragraph {text!r} in {[p.text for p in paragraphs][:40]}")


def body_text(document) -> str:
    """All paragraph and table text in body order, one line per paragraph."""
    lines = []
    for el in document.element.body.iter(W + "p"):
        lines.append(shown("".join(t.text or "" if t.tag == W + "t" else "-" if t.tag == W + "noBreakHyphen" else " "
                               for t in el.iter(W + "t", W + "br", W + "noBreakHyphen"))))
    return "\n".join(lines)


def sections_xml(document):
    """Every sectPr of the body in order (paragraph-level ones, then the body's)."""
    body = document.element.body
    return body.findall(f".//{W}pPr/{W}sectPr") + [body.find(W + "sectPr")]


def page_setup(sect_pr) -> dict:
    pg = sect_pr.find(qn("w:pgSz"))
    mar = sect_pr.find(qn("w:pgMar"))
    num = sect_pr.find(qn("w:pgNumType"))
    return {
        "w": int(pg.get(qn("w:w"))), "h": int(pg.get(qn("w:h"))),
        "orient": pg.get(qn("w:orient")) or "portrait",
        "top": int(mar.get(qn("w:top"))), "bottom": int(mar.get(qn("w:bottom"))),
        "left": int(mar.get(qn("w:left"))), "right": int(mar.get(qn("w:right"))),
        "title_pg": sect_pr.find(qn("w:titlePg")) is not None,
        "start": num.get(qn("w:start")) if num is not None else None,
        "headers": {h.get(qn("w:type")): h.get(qn("r:id")) for h in sect_pr.findall(qn("w:headerReference"))},
    }


def signature_table(document):
    """The borderless table of 'Nơi nhận' (left) and the signature (right)."""
    return next(t for t in document.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:")
