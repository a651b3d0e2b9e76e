"""Placeholders are drafts, not prints: documents that still hold ``CẦN ĐIỀN``, and the draft copies their PDF
is made from.

``unfilled`` finds, in Word documents, the paragraphs holding the marker ``decree.labels.PLACEHOLDER`` (what
``vanban init`` and ``vanban import`` leave where only the office knows what to write). The PDF step refuses
such a document (``errors.PlaceholdersLeft``) unless the clerk asks for a draft; then ``draft_copy`` writes a
temporary copy that says so — a boxed "DỰ THẢO" line at the top of page 1 (the usual mark of a draft,
upper case, bold, in a box) and "DỰ THẢO — " before the title in the document properties, which becomes the
PDF's title — and the PDF is made from that copy. The .docx in the outputs folder is never touched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.decree.labels import PLACEHOLDER
from pipeline.ooxml import safezip
from pipeline.ooxml.xmlns import W, W_NS

DRAFT_MARK = "DỰ THẢO"
DRAFT_HELP = ("In cả văn bản còn chỗ 'CẦN ĐIỀN' chưa điền, thành bản dự thảo (PDF ghi “DỰ THẢO”); "
              "không có tùy chọn này, văn bản còn chỗ chưa điền không được chuyển sang PDF.")  # --draft's help
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
CORE_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp='
            b'"http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            b'xmlns:dc="http://purl.org/dc/elements/1.1/"/>')


@dataclass(frozen=True)
class Unfilled:
    """A document holding the marker: how many of its paragraphs do, and the first one's words."""

    path: Path
    count: int
    first: str  # from the marker on, on one line: "CẦN ĐIỀN họ và tên Chủ tịch"


def paragraph_texts(xml: bytes, label: str) -> list[str]:
    """The text of every paragraph of a part, in order (a paragraph inside a text box counted on its own)."""
    root = safezip.parse_et(xml, label)  # the standard library's parser: a run with nothing to convert loads no lxml
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def unfilled(files: list[Path]) -> list[Unfilled]:
    """The ``files`` that still hold the marker in their main part, those with the most places first (else in
    their order). A file that cannot be read is left to the conversion, which says so."""
    found = []
    for f in files:
        try:
            zf = safezip.open_zip(Path(f))
            texts = paragraph_texts(safezip.read_member(zf, safezip.main_part(zf)), str(f))
        except safezip.unreadable_errors():
            continue
        holding = [t for t in texts if PLACEHOLDER in t]
        if holding:
            first = " ".join(holding[0][holding[0].index(PLACEHOLDER):].split())
            found.append(Unfilled(Path(f), len(holding), first[:60] + ("…" if len(first) > 60 else "")))
    return sorted(found, key=lambda u: -u.count)


def mark_paragraph():
    """The "DỰ THẢO" line: right-aligned, bold, 14 pt, boxed (a run border), a little space after it."""
    from pipeline.decree import wml

    xml = wml.paragraph(DRAFT_MARK, align="right", size_pt=14, bold=True, extra_ppr='<w:spacing w:after="120"/>')
    boxed = xml.replace("</w:rPr>", '<w:bdr w:val="single" w:sz="8" w:space="2" w:color="auto"/></w:rPr>', 1)
    return safezip.parse_xml(boxed.replace("<w:p>", f'<w:p xmlns:w="{W_NS}">', 1).encode("utf-8"), DRAFT_MARK)


def draft_copy(source: Path, target: Path) -> Path:
    """Write to ``target`` a copy of the .docx ``source`` marked as a draft (see the module's text)."""
    from lxml import etree

    from pipeline.ooxml.package import Deflated, zip_entries

    zf = safezip.open_zip(Path(source))
    entries: dict[str, bytes | Deflated] = {name: safezip.read_member(zf, name) for name in zf.namelist() if not name.endswith("/")}
    main = safezip.main_part(zf)
    root = safezip.parse_xml(safezip.read_member(zf, main), main)
    body = root.find(f"{W}body")
    if body is not None:
        body.insert(0, mark_paragraph())
    entries[main] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    core_name = safezip.related(zf, "core-properties")
    if core_name is not None:  # a package without core properties keeps none: the mark on the page says it
        core = safezip.parse_xml(safezip.read_member(zf, core_name) if core_name in entries else CORE_XML, core_name)
        title = core.find(DC_TITLE)
        if title is None:
            title = etree.SubElement(core, DC_TITLE)
        title.text = f"{DRAFT_MARK} — {title.text}" if (title.text or "").strip() else DRAFT_MARK
        entries[core_name] = etree.tostring(core, xml_declaration=True, encoding="UTF-8", standalone=True)
    Path(target).write_bytes(zip_entries(entries))
    return Path(target)


@contextmanager
def draft_sources(files: list[Path], drafts: frozenset[Path]) -> Iterator[list[Path]]:
    """``files``, each of ``drafts`` among them replaced by its marked copy in a temporary folder that is
    removed afterwards."""
    if not drafts.intersection(files):
        yield files
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="vanban-draft-") as folder:
        out = []
        for n, f in enumerate(files):  # a copy keeps its file's name (an error names it), in a folder of its own
            if f in drafts:
                (Path(folder) / str(n)).mkdir()
                f = draft_copy(f, Path(folder) / str(n) / f.name)
            out.append(f)
        yield out
