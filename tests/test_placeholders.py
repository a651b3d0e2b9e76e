"""Places to fill are Word content controls showing their placeholder (issue 29, point 5).

The marking words ("[Cán bộ soạn thảo viết: …]") are italic on yellow; text typed in their place is
body text, as Word makes it: it removes ``w:showingPlcHdr`` and puts the typed text in a run without
the placeholder's run properties. The look is read back through the styles as Word resolves it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from docx.oxml.ns import qn
from docx.text.run import Run
from lxml import etree

from pipeline.ooxml.audit import schema_errors
from tests.conftest import open_docx, soffice_or_skip
from tests.docx_read import W, p_text

REPORT = "bao-cao/2025-12-bc-cchc-2025.docx"
NOTE = "[Cán bộ soạn thảo viết:"
TYPED = "Ủy ban nhân dân xã đã ban hành 05 văn bản chỉ đạo về cải cách hành chính."


def _chain(style):
    while style is not None:
        yield style
        style = style.base_style


def look(doc, paragraph, run) -> tuple[bool, str | None]:
    """(italic, shading fill) of ``run`` as Word resolves them: the run's own properties, its character
    style, then the paragraph's style chain."""
    italic, fill = run.font.italic, None
    own = run._r.rPr.find(qn("w:shd")) if run._r.rPr is not None else None
    fill = own.get(qn("w:fill")) if own is not None else None
    styles = list(_chain(run.style)) if run._r.rPr is not None and run._r.rPr.find(qn("w:rStyle")) is not None else []
    for st in styles + list(_chain(paragraph.style)):
        if italic is None:
            italic = st.font.italic
        shd = st.element.rPr.find(qn("w:shd")) if st.element.rPr is not None else None
        if fill is None and shd is not None:
            fill = shd.get(qn("w:fill"))
    return bool(italic), fill


def written(p) -> str:
    """A paragraph's text, that of its content controls included (python-docx's ``text`` skips them)."""
    return p_text(p._p)


def fill_paragraphs(doc):
    return [p for p in doc.paragraphs if p._p.find(qn("w:sdt")) is not None]


def test_a_place_to_fill_is_a_content_control_showing_its_placeholder(built):
    doc = open_docx(built[REPORT].data)
    places = fill_paragraphs(doc)
    assert len(places) >= 5
    for p in places:
        sdt = p._p.find(qn("w:sdt"))
        assert sdt.find(f"{W}sdtPr/{W}showingPlcHdr") is not None
        runs = sdt.findall(f"{W}sdtContent/{W}r")
        assert len(runs) == 1 and "".join(runs[0].itertext()).startswith(NOTE)
        assert look(doc, p, Run(runs[0], p)) == (True, "FFF2CC"), "marked: italic on yellow"


def test_the_content_controls_are_schema_valid(built, tmp_path):
    for name, data in ((REPORT, built[REPORT].data), ("typed", typed_over(built[REPORT].data))):
        path = tmp_path / "r.docx"
        path.write_bytes(data)
        assert schema_errors(path) == [], name


def typed_over(data: bytes) -> bytes:
    """What Word saves once the first place is typed over: no showingPlcHdr, the placeholder run replaced
    by a run of the typed text with no run properties."""
    src = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(src.read("word/document.xml"))
    sdt = next(root.iter(f"{W}sdt"))
    sdt.find(f"{W}sdtPr").remove(sdt.find(f"{W}sdtPr/{W}showingPlcHdr"))
    content = sdt.find(f"{W}sdtContent")
    for r in list(content):
        content.remove(r)
    run = etree.SubElement(content, f"{W}r")
    t = etree.SubElement(run, f"{W}t")
    t.text = TYPED
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) \
                if item.filename == "word/document.xml" else src.read(item.filename)
            z.writestr(item, body)
    return out.getvalue()


def test_text_typed_over_a_placeholder_is_body_text(built):
    data = typed_over(built[REPORT].data)
    doc = open_docx(data)
    p = next(p for p in doc.paragraphs if written(p) == TYPED)
    run = Run(p._p.find(f"{W}sdt/{W}sdtContent/{W}r"), p)
    assert look(doc, p, run) == (False, None), "typed text: upright, unshaded, as the body"
    body = next(q for q in doc.paragraphs if q.style.name == "VB Body" and q.text.strip())
    assert p.style.font.size == body.style.font.size and p.style.font.name == body.style.font.name


def test_check_textconv_and_libreoffice_read_the_placeholder_text(built, tmp_path):
    from pipeline import docread
    from pipeline.vcs.textlines import docx_lines

    assert any(NOTE in line for line in docx_lines(built[REPORT].data))  # git's textconv, import
    src = tmp_path / "r.docx"
    src.write_bytes(typed_over(built[REPORT].data))
    read = docread.read(src)  # vanban check's reader: the typed text and the marked places, in the body
    assert any(p.text == TYPED for p in read.body) and any(p.text.startswith(NOTE) for p in read.body)
    soffice = soffice_or_skip()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=180)
    text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert TYPED in text and NOTE in text  # the typed place, and the places still marked
