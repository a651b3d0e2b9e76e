"""docread: one reader of a real Word file's structure, for ``vanban check`` and ``vanban import``.

Layered like python-docx (thin API over parts over XML):

========================  =====================================================================
``xmlparts``              namespaces; text of a paragraph; runs; block items through content controls
``styles``                formatting as Word resolves it: run → character style → paragraph style →
                          ``basedOn`` chain → table style → ``docDefaults``; theme fonts; font variants
``shapes``                rules: paragraph borders, DrawingML/VML line shapes (inline or anchored,
                          length from their geometry), paragraphs of underscores
``measure``               width of text set in Times New Roman; twips ↔ mm
``limits``                what a hostile file cannot make the reader do: numbers read defensively, nesting
                          and time bounded; why a file cannot be read, in Vietnamese
``parts``                 the package (python-docx): sections, paragraphs with places and formats,
                          tables, page numbers in headers and footers
``structure``, ``blocks`` the decree's elements: header block, type name and summary, numbered items,
                          signature, "Nơi nhận", appendices
``model``                 the dataclasses returned (see its docstring)
``convert``               .doc → temporary .docx through LibreOffice
========================  =====================================================================

``read(path)`` returns a ``document.Document``. It judges nothing: what the decree allows is in
``pipeline.decree.rules`` and is applied by ``pipeline.check`` (its rule families).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.docread import limits
from pipeline.docread.blocks import addressees, appendix_blocks, item_of, recipients_block, signature_block
from pipeline.docread.convert import as_docx
from pipeline.docread.document import Document
from pipeline.docread.parts import PartReader, open_package
from pipeline.docread.structure import header_block, title_block

__all__ = ["read", "read_docx", "read_opened", "Document"]


def read(path: Path) -> Document:
    """Read a .docx (or a .doc, through LibreOffice) into the model."""
    with as_docx(Path(path)) as docx_path:
        return read_docx(docx_path, shown_as=str(path))


def read_docx(path: Path, shown_as: str | None = None) -> Document:
    """Read a .docx into the model; ``shown_as`` names the file in places (the .doc it was converted from).

    Within a time budget (``limits.budget``) unless one is running already (``check`` and ``import`` run the
    reading and their own work in one)."""
    if limits.running():
        return _read_docx(path, shown_as)
    with limits.budget(shown_as or str(path), limits.budget_s(path)):
        return _read_docx(path, shown_as)


def _read_docx(path: Path, shown_as: str | None) -> Document:
    return read_opened(open_package(path), shown_as or str(path))


def read_opened(package, shown_as: str) -> Document:
    """The model of a python-docx package already opened (``parts.open_package``): ``vanban fix`` keeps the
    package to edit the very elements the model's ``Para.el`` point at."""
    reader = PartReader(package)
    reader.read_body()
    sections = reader.sections()
    paras = reader.paragraphs
    first_sec = sections[0] if sections else None
    text_w = (first_sec.width - first_sec.margins["left"] - first_sec.margins["right"]) if first_sec else 0
    header = header_block(paras)
    first = next((p for p in paras if p.stripped), None)
    appendices = appendix_blocks(paras)
    standalone_appendix = header is None and bool(appendices) and first is appendices[0].label
    title = title_block(paras, header, text_w) if not standalone_appendix else None
    start = _body_start(paras, header, title)
    end = appendices[0].label.position if appendices and not standalone_appendix else len(paras)
    kind, doc_type, abbr = _kind(header, title, standalone_appendix, paras)
    sig = signature_block(paras[:end], start) if not standalone_appendix else None
    rec = recipients_block(paras[:end], start) if not standalone_appendix else None
    stops = [x.position for x in (sig.authority if sig else None, rec.title if rec else None) if x is not None]
    body = [p for p in paras[start:min(stops + [end])] if p.top_level and p.stripped]
    items = [it for it in (item_of(p) for p in body) if it is not None]
    draft = header is not None and ((header.number is not None and header.number.number == "")
                                    or (header.date is not None and header.date.day == ""))
    return Document(
        path=shown_as, kind=kind, doc_type=doc_type, type_abbr=abbr, sections=sections,
        paragraphs=paras, tables=reader.tables, header=header, title=title, body=body, items=items,
        signature=sig, recipients=rec, appendices=appendices, draft=draft, pages=reader.pages(),
        addressees=addressees(body, paras[start:start + 40]), bases=[p for p in body if p.stripped.startswith("Căn cứ")],
        notes=[] if header is not None or standalone_appendix else ["không tìm thấy quốc hiệu ở đầu văn bản"])


def _body_start(paras, header, title) -> int:
    marks = []
    if title is not None:
        marks += [title.type_para] + title.summary + ([title.summary_rule.para] if title.summary_rule else [])
        marks += [title.issuer_line] if title.issuer_line is not None else []
    if header is not None:
        marks += [p for p in (header.national, header.motto) if p is not None]
        marks += [x.para for x in (header.number, header.date) if x is not None] + header.about
        if header.national.place.table is not None:
            marks += [p for p in paras if p.place.table == header.national.place.table]
    return max((p.position for p in marks), default=-1) + 1


def _kind(header, title, standalone_appendix, paras):
    from pipeline.decree import rules

    if standalone_appendix:
        return "appendix", "Phụ lục", None
    number = header.number if header is not None else None
    abbr = number.symbol.split("-")[0] if number is not None and number.symbol else None
    by_abbr = rules.TYPE_BY_ABBR.get(abbr) if abbr else None
    by_name = next((t for t in rules.DOC_TYPES if title is not None and t.upper == title.type_name), None)
    t = by_abbr or by_name
    if t is None and header is not None and (header.about or (number is not None and number.symbol)):
        t = rules.TYPE_BY_NAME.get("Công văn")
    if t is None:
        return ("unknown" if header is None else "administrative"), None, None
    legal = t.legal or (number is not None and number.year is not None)
    return ("legal" if legal else "administrative"), t.name, t.abbr
