"""Fill a Word template with a context (docxtpl + Jinja2).

Autoescaping is always on, so input text is data: a ``&``, ``<`` or ``{{ }}``
typed into YAML appears verbatim instead of breaking the XML. Undefined names
are errors (``StrictUndefined``), never silently empty. Compiled templates are
cached by their source, so rendering the same template again skips Jinja's
compiler (the six appendices share one template).

Two ways to render. ``render`` is docxtpl's own: open the template, render it,
return the python-docx ``Document``. ``Prototype`` opens a template once per
process and then renders only its body for each document: when nothing but the
body depends on the data (no Jinja tag in a header, footer, footnote or core
property), every other part of the package is the same for every document, so
a document is those parts' bytes, computed once, plus its body and its core
properties (``Prototype.direct``). Both give the same bytes (tests compare them).
"""

from __future__ import annotations

import io
import re
import zipfile
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate

from pipeline.ooxml import safezip
from pipeline.errors import EXIT_INVALID_INPUT, VanbanError


class TemplateProblem(VanbanError):
    """A template cannot be rendered; the message is Vietnamese and names the template (exit 3)."""

    exit_code = EXIT_INVALID_INPUT
    heading = "Lỗi mẫu văn bản"


class _CachingEnvironment(jinja2.Environment):
    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        tpl = self._compiled.get(source)
        if tpl is None:
            tpl = self._compiled[source] = super().from_string(source)
        return tpl


_ENV = _CachingEnvironment()


class _Template(DocxTemplate):
    """docxtpl's template, with the body XML it prepares for Jinja kept per template.

    docxtpl re-reads the template and re-runs its tag-cleaning regexes on every
    render; the result depends only on the template, so it is computed once.
    """

    _patched: dict[tuple, str] = {}

    def __init__(self, data: bytes, key: tuple):
        super().__init__(io.BytesIO(data))
        self._key = key

    def build_xml(self, context, jinja_env=None):
        return self.render_xml_part(self.body_source(), self.docx.part, context, jinja_env)

    def body_source(self) -> str:
        """The body's XML as docxtpl prepares it for Jinja (its tags cleaned of Word's runs)."""
        xml = self._patched.get(self._key)
        if xml is None:
            xml = self._patched[self._key] = self.patch_xml(self.get_xml())
        return xml

    def resolve_listing(self, xml):
        """docxtpl turns a tab, newline, bell or form feed inside a text element (``<w:t>``) into
        Word's elements, with regular expressions run over every paragraph. A paragraph none of whose
        text elements holds one comes out of that unchanged, so only the paragraphs that do are given
        to it (one by one: docxtpl finds paragraphs with this same pattern, one after another). Text
        holds no ``<``: it is escaped."""
        if not _LISTING.search(xml):
            return xml
        listing = super().resolve_listing
        return _PARAGRAPH.sub(lambda m: listing(m.group(0)) if _LISTING.search(m.group(0)) else m.group(0), xml)


_LISTING = re.compile("<w:t(?: [^>]*)?>[^<]*[\t\n\a\f]")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # docxtpl's own, in resolve_listing


@lru_cache(maxsize=16)
def _template_bytes(path: Path, mtime_ns: int) -> bytes:
    """The template's bytes, once it passed the reading layer's limits (a commune's own template
    is input like any other: it may be damaged, or built to exhaust memory)."""
    return safezip.read_verified(path, label=f"mẫu {path.name}")


def _key(template: Path) -> tuple[Path, int]:
    """What identifies a template's version: its path and modification time."""
    try:
        return template.resolve(), template.stat().st_mtime_ns
    except OSError as exc:
        raise TemplateProblem(f"không mở được mẫu {template}: {exc.strerror}") from exc


def _opened(template: Path) -> _Template:
    """docxtpl's template of ``template`` (its bytes checked by the reading layer), not yet opened."""
    key = _key(template)
    try:
        data = _template_bytes(*key)
    except OSError as exc:
        raise TemplateProblem(f"không mở được mẫu {template}: {exc.strerror}") from exc
    except safezip.BadDocx as exc:
        raise TemplateProblem(f"{exc} ({template})") from exc
    return _Template(data, key)


@contextmanager
def _problems(template: Path):
    """docxtpl's and Jinja's errors as the Vietnamese ``TemplateProblem`` naming ``template``."""
    try:
        yield
    except (zipfile.BadZipFile, PackageNotFoundError) as exc:
        raise TemplateProblem(f"mẫu {template.name} không phải tệp Word (.docx) đọc được") from exc
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(f"mẫu {template.name}: dùng một tên không có trong dữ liệu ({exc.message})") from exc
    except jinja2.TemplateSyntaxError as exc:
        where = " / ".join(s.strip() for s in getattr(exc, "docx_context", []) if s.strip())
        raise TemplateProblem(f"mẫu {template.name}: thẻ Jinja sai cú pháp ({exc.message}) gần: {where}") from exc


def render(template: Path, context: dict[str, Any]):
    """Render ``template`` with ``context``; return the python-docx ``Document``."""
    template = Path(template)
    tpl = _opened(template)
    with _problems(template):
        tpl.render(context, jinja_env=_ENV, autoescape=True)
    return tpl.docx


_JINJA = ("{{", "{%", "{#")


class Prototype:
    """A template opened once in this process, for rendering the body of many documents.

    ``direct``: only the body depends on the data, so ``entries`` gives a whole document from a
    rendered body. The headers, footers and core properties are rendered once here, as docxtpl
    renders them for every document, and every part but the body and the core properties is
    serialized once, as python-docx saves it. ``document`` is the python-docx ``Document`` the
    bodies go into: stamp its core properties before calling ``entries``.
    """

    def __init__(self, template: Path):
        self.template = template = Path(template)
        self.tpl = tpl = _opened(template)
        with _problems(template):
            tpl.render_init()
            self.direct = self._context_free()
            if self.direct:
                for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
                    for rel, xml in list(tpl.build_headers_footers_xml({}, uri, _ENV)):
                        tpl.map_headers_footers_xml(rel, xml)
                tpl.render_properties({}, _ENV)
        self.document = tpl.docx
        self.part = tpl.docx.part
        self.derived: dict = {}  # what later stages work out once from the template (its parts never change)
        self.rels = len(self.part.rels)
        if self.direct:
            self.direct = self._shell()
        if self.direct:
            from docx.opc.constants import RELATIONSHIP_TYPE as RT

            self.core = self.part.package.part_related_by(RT.CORE_PROPERTIES)  # made by core_properties
            # the members a document makes itself, by their names in this package (Word for the web
            # saves the main part as word/document2.xml)
            self.names = (self.part.partname.membername, self.core.partname.membername)
            buf = io.BytesIO()
            self.document.save(buf)
            with zipfile.ZipFile(buf) as z:
                self.constant = {n: z.read(n) for n in z.namelist() if n not in self.names}

    def _shell(self) -> bool:
        """The document part's text around its body, to parse a rendered body in place.

        docxtpl renders the body alone, with the document's namespaces declared on it, and moves it
        into the document, where lxml re-resolves every element's namespace. Parsing the whole part
        at once gives the same tree at a fraction of the cost: the body's start tag is the
        template's, so its declarations can be left to the document element when they are the same.
        """
        body = self.document.element.body
        found = re.match(r"<[^>]*>", self.tpl.get_xml())
        if found is None:
            raise ValueError("the body part does not start with a tag")
        start = found.group(0)
        declared = dict(re.findall(r'\sxmlns:(\w+)="([^"]*)"', start))
        bare = f"<{body.prefix}:body>"
        if body.attrib or declared != body.getparent().nsmap or len(start) != len(bare) + sum(
                len(f' xmlns:{k}="{v}"') for k, v in declared.items()):
            return False
        text = self.part.blob.decode("utf-8")
        head = re.match(r"<\?xml[^>]*\?>\s*", text)
        i, j = text.find(bare), text.rfind(f"</{body.prefix}:body>")
        if not head or i < 0 or j < 0:
            return False
        self._start, self._open, self._close = start, text[head.end():i] + bare, text[j:]
        self._end, self._body = f"</{body.prefix}:body>", body.tag
        return True

    def _context_free(self) -> bool:
        """No Jinja tag outside the body, no footnotes, no drawing in a header or footer (docxcompose
        renumbers those), and no custom properties (docxcompose rewrites their fields)."""
        tpl = self.tpl
        for part in tpl.docx.part.package.iter_parts():
            kind = part.content_type
            if kind.endswith(("footnotes+xml", "custom-properties+xml")):
                return False
            if kind.endswith(("header+xml", "footer+xml")):
                xml = tpl.patch_xml(tpl.get_part_xml(part))
                if any(tag in xml for tag in _JINJA) or "docPr" in xml or "cNvPr" in xml:
                    return False
        cp = tpl.docx.core_properties
        props = (cp.author, cp.comments, cp.identifier, cp.language, cp.subject, cp.title)
        return not any(tag in (value or "") for value in props for tag in _JINJA)

    def compile(self) -> None:
        """Compile the body's Jinja template now, as docxtpl's ``render_xml_part`` will ask for it (each
        paragraph on a line of its own): a worker does it while it waits for its first document, and
        ``_ENV`` keeps it by its source. Not needed for the bytes; ≈ 25 ms of a first render."""
        with _problems(self.template):
            _ENV.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", self.tpl.body_source()))

    def body(self, context: dict[str, Any]):
        """The rendered ``w:body`` element, as docxtpl's ``render`` makes it."""
        tpl = self.tpl
        tpl.is_rendered = False  # render_init resets what docxtpl resets for each render, without reopening
        with _problems(self.template):
            tpl.render_init()
            xml = tpl.build_xml(context, _ENV)
            if self.direct and xml.startswith(self._start) and xml.endswith(self._end):  # see _shell
                tree = tpl.fix_tables(self._open + xml[len(self._start):-len(self._end)] + self._close)
                tpl.fix_docpr_ids(tree)
                tree = tree.find(self._body)
            else:
                tree = tpl.fix_tables(xml)
                tpl.fix_docpr_ids(tree)
        tpl.is_rendered = True
        return tree

    def entries(self, body) -> dict[str, bytes]:
        """The zip entries of a document whose body is ``body`` (``direct`` prototypes only)."""
        root = body.getparent()
        if root is None:  # rendered alone (see body): moved into the document as docxtpl moves it
            self.tpl.map_tree(body)
            document = self.part.blob
        else:  # as python-docx serializes a part
            document = etree.tostring(root, encoding="UTF-8", standalone=True)
        return {**self.constant, self.names[0]: document, self.names[1]: self.core.blob}

    def still_direct(self) -> bool:
        """False when rendering added a relationship (an image, a link, a sub-document in the data):
        the parts are no longer the template's."""
        return len(self.part.rels) == self.rels


_PROTOTYPES: dict[tuple, Prototype] = {}
_KEPT = 16  # prototypes kept in one process (a batch's communes may each have their own templates)


def prototype(template: Path) -> Prototype:
    """The ``Prototype`` of ``template`` in this process (a new one when the file changed)."""
    template = Path(template)
    key = _key(template)
    proto = _PROTOTYPES.pop(key, None)
    if proto is None or not proto.still_direct():
        proto = Prototype(template)
    _PROTOTYPES[key] = proto  # the most recently used last
    while len(_PROTOTYPES) > _KEPT:
        del _PROTOTYPES[next(iter(_PROTOTYPES))]
    return proto
