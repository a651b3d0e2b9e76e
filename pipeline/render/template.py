"""Fill a Word template with a context (docxtpl + Jinja2, in Jinja's sandbox).

Templates are rendered in ``sandbox.Environment``: Jinja's immutable sandbox, so a template (a
commune's own, which may have come from anywhere) cannot reach Python, and bounded in steps, sizes
and time (``limits``), so it cannot hang the build or exhaust its memory. That holds for every part
docxtpl renders: the body, the headers and footers, the footnotes and the core properties.
Autoescaping is always on, so input text is data: a ``&``, ``<`` or ``{{ }}`` typed into YAML
appears verbatim instead of breaking the XML. Undefined names are errors (``StrictUndefined``),
never silently empty. Compiled templates are kept by their source, so rendering the same template
again skips Jinja's compiler (the six appendices share one template). Whatever fails is a
``TemplateProblem`` naming the template, the part and the text around the tag (``problems``).

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

from lxml import etree
from docxtpl import DocxTemplate

from pipeline.errors import TemplateProblem
from pipeline.decree import forms as nd30
from pipeline.ooxml import safezip
from pipeline.ooxml.xmlns import clark
from pipeline.render import problems
from pipeline.render.limits import budget
from pipeline.render.sandbox import Environment

__all__ = ["TemplateProblem", "Prototype", "prototype", "render"]

_ENV = Environment()
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # the ones docxtpl renders
_STRICT = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_BODY, _SECT_PR = clark("w:body"), clark("w:sectPr")
_FOOTNOTES = re.compile(r"\s*(?:<\?xml[^>]*\?>\s*)?<w:footnotes[ >]")
_KEPT_SOURCES = 64  # bodies prepared for Jinja kept in one process (a watch session sees each save)


def _part_name(part) -> str:
    """A package part's name as a zip member: ``word/header1.xml``."""
    return str(part.partname).lstrip("/")


class _Template(DocxTemplate):
    """docxtpl's template, with the body XML it prepares for Jinja kept per template, and every failure
    of a part said with where it is (``problems``).

    docxtpl re-reads the template and re-runs its tag-cleaning regexes on every
    render; the result depends only on the template, so it is computed once.
    """

    _patched: dict[tuple, str] = {}

    def __init__(self, data: bytes, key: tuple, path: Path):
        super().__init__(io.BytesIO(data))
        self._key = key
        self.path = path
        self._patching = ""  # the part whose XML docxtpl is preparing (get_xml, get_part_xml)

    def init_docx(self, reload: bool = True):
        try:
            super().init_docx(reload)
        except Exception as exc:  # python-docx raises many kinds for a damaged package
            raise problems.unreadable(self.path, exc) from exc

    def build_xml(self, context, jinja_env=None):
        return self.render_xml_part(self.body_source(), self.docx.part, context, jinja_env)

    def get_xml(self):
        self._patching = _part_name(self.docx.part)
        return super().get_xml()

    def get_part_xml(self, part):
        self._patching = _part_name(part)
        return super().get_part_xml(part)

    def patch_xml(self, src_xml):
        """docxtpl's preparation of a part's XML for Jinja, once its size and tags were checked (``check_source``)."""
        part = self._patching
        if _FOOTNOTES.match(src_xml) or not part:  # docxtpl reads the footnotes part itself
            part = next((_part_name(p) for p in self.docx.part.package.iter_parts()
                         if p.content_type.endswith("footnotes+xml")), "word/footnotes.xml")
        problems.check_source(self.path, part, src_xml)
        return super().patch_xml(src_xml)

    def body_source(self) -> str:
        """The body's XML as docxtpl prepares it for Jinja (its tags cleaned of Word's runs)."""
        xml = self._patched.pop(self._key, None)
        if xml is None:
            xml = self.patch_xml(self.get_xml())
        self._patched[self._key] = xml  # the most recently used last
        while len(self._patched) > _KEPT_SOURCES:
            del self._patched[next(iter(self._patched))]
        return xml

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        """docxtpl's, with Jinja's errors (and the sandbox's refusals) located in the part."""
        try:
            return super().render_xml_part(src_xml, part, context, jinja_env)
        except Exception as exc:
            raise problems.located(self.path, _part_name(part), exc, _lines(src_xml)) from exc

    def render_properties(self, context, jinja_env=None) -> None:
        """docxtpl's: the core properties it renders, rendered in ``jinja_env``; an error names the property."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        env = jinja_env or _ENV
        core = self.docx.core_properties
        for prop in _PROPERTIES:
            initial = getattr(core, prop)
            part = _part_name(self.docx.part.package.part_related_by(RT.CORE_PROPERTIES))
            problems.check_source(self.path, f"{part}, thuộc tính {prop}", initial)
            try:
                rendered = env.from_string(initial).render(context)
            except Exception as exc:
                raise problems.located(self.path, part, exc, initial, f"thuộc tính {prop}") from exc
            setattr(core, prop, rendered)

    def fix_tables(self, xml):
        """docxtpl's (the rendered body parsed, its tables' grids fixed), once the XML parsed without
        recovering (docxtpl's parser would silently drop what follows a tag put out of place), and with
        the body still ending in its section's properties, as Word writes every body."""
        try:
            etree.fromstring(xml, _STRICT)
            tree = super().fix_tables(xml)
        except (etree.XMLSyntaxError, AttributeError, TypeError, ValueError) as exc:
            raise problems.broken(self.path, _part_name(self.docx.part), exc) from exc
        body = tree if tree.tag == _BODY else tree.find(_BODY)
        if body is None or not len(body) or body[-1].tag != _SECT_PR:
            raise problems.broken(self.path, _part_name(self.docx.part), "thân văn bản không kết thúc bằng phần "
                                  "cài đặt trang (w:sectPr) như mọi tệp Word")
        return tree

    def map_headers_footers_xml(self, relKey, xml):  # docxtpl's name
        try:
            super().map_headers_footers_xml(relKey, xml)
        except (etree.XMLSyntaxError, ValueError) as exc:
            raise problems.broken(self.path, _part_name(self.docx.part.rels[relKey].target_part), exc) from exc

    def resolve_listing(self, xml):
        """docxtpl turns a tab, newline, bell or form feed inside a text element (``<w:t>``) into
        Word's elements, with regular expressions run over every paragraph. A paragraph none of whose
        text elements holds one comes out of that unchanged, so only the paragraphs that do are given
        to it (one by one: docxtpl finds paragraphs with this same pattern, one after another). Text
        holds no ``<``: it is escaped. Then every document symbol in the text is held together (``_held``)."""
        if _LISTING.search(xml):
            listing = super().resolve_listing
            xml = _PARAGRAPH.sub(lambda m: listing(m.group(0)) if _LISTING.search(m.group(0)) else m.group(0), xml)
        return _TEXT.sub(_held, xml)


def _held(m: re.Match) -> str:
    """A text element with its document symbols held together (``nd30.hold_citations``): each
    symbol's hyphen becomes Word's non-breaking hyphen, a run child between two text elements."""
    text = m.group(2)
    held = nd30.hold_citations(text) if "/" in text or nd30.NB_HYPHEN in text else text
    if held == text:
        return m.group(0)
    parts = held.split(nd30.NB_HYPHEN)
    opened = '<w:t xml:space="preserve">'
    return opened + f"</w:t><w:noBreakHyphen/>{opened}".join(parts) + "</w:t>"


def _lines(src_xml: str) -> str:
    """A part's XML as docxtpl gives it to Jinja: each paragraph on a line of its own."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)


_LISTING = re.compile("<w:t(?: [^>]*)?>[^<]*[\t\n\a\f]")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # docxtpl's own, in resolve_listing
_TEXT = re.compile(r"<w:t( [^>]*)?>([^<]*)</w:t>")  # text is escaped: it holds no "<"


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
    return _Template(data, key, template)


@contextmanager
def _problems(template: Path):
    """What a damaged template makes docxtpl or python-docx raise outside a part's render, as the
    Vietnamese ``TemplateProblem`` naming ``template`` (a part's own errors are located by ``_Template``)."""
    try:
        yield
    except TemplateProblem:
        raise
    except safezip.unreadable_errors() as exc:
        raise problems.unreadable(template, exc) from exc


def render(template: Path, context: dict[str, Any]):
    """Render ``template`` with ``context``; return the python-docx ``Document``."""
    template = Path(template)
    tpl = _opened(template)
    with _problems(template), budget():
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
        with _problems(template), budget():
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
            source = _lines(self.tpl.body_source())
        try:
            _ENV.from_string(source)
        except Exception as exc:
            raise problems.located(self.template, _part_name(self.part), exc, source) from exc

    def body(self, context: dict[str, Any]):
        """The rendered ``w:body`` element, as docxtpl's ``render`` makes it."""
        tpl = self.tpl
        tpl.is_rendered = False  # render_init resets what docxtpl resets for each render, without reopening
        with _problems(self.template), budget():
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
