"""Stage 4: fill a Word template with a context (docxtpl + Jinja2).

Autoescaping is always on, so input text is data: a ``&``, ``<`` or ``{{ }}``
typed into YAML appears verbatim instead of breaking the XML. Undefined names
are errors (``StrictUndefined``), never silently empty. Compiled templates are
cached by their source, so rendering the same template again skips Jinja's
compiler (the six appendices share one template).
"""

from __future__ import annotations

import io
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate

from pipeline import safezip
from pipeline.errors import EXIT_INVALID_INPUT, VanbanError


class TemplateProblem(VanbanError):
    """A template cannot be rendered; the message is Vietnamese and names the template (exit 3)."""

    exit_code = EXIT_INVALID_INPUT
    heading = "Lỗi mẫu văn bản"


class _CachingEnvironment(jinja2.Environment):
    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002
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
        xml = self._patched.get(self._key)
        if xml is None:
            xml = self._patched[self._key] = self.patch_xml(self.get_xml())
        return self.render_xml_part(xml, self.docx.part, context, jinja_env)


@lru_cache(maxsize=16)
def _template_bytes(path: Path, mtime_ns: int) -> bytes:
    """The template's bytes, once it passed the reading layer's limits (a commune's own template
    is input like any other: it may be damaged, or built to exhaust memory)."""
    return safezip.read_verified(path, label=f"mẫu {path.name}")


def render(template: Path, context: dict[str, Any]):
    """Render ``template`` with ``context``; return the python-docx ``Document``."""
    template = Path(template)
    try:
        key = (template.resolve(), template.stat().st_mtime_ns)
        data = _template_bytes(*key)
    except OSError as exc:
        raise TemplateProblem(f"không mở được mẫu {template}: {exc.strerror}") from exc
    except safezip.BadDocx as exc:
        raise TemplateProblem(f"{exc} ({template})") from exc
    try:
        tpl = _Template(data, key)
        tpl.render(context, jinja_env=_ENV, autoescape=True)
    except (zipfile.BadZipFile, PackageNotFoundError) as exc:
        raise TemplateProblem(f"mẫu {template.name} không phải tệp Word (.docx) đọc được") from exc
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(f"mẫu {template.name}: dùng một tên không có trong dữ liệu ({exc.message})") from exc
    except jinja2.TemplateSyntaxError as exc:
        where = " / ".join(s.strip() for s in getattr(exc, "docx_context", []) if s.strip())
        raise TemplateProblem(f"mẫu {template.name}: thẻ Jinja sai cú pháp ({exc.message}) gần: {where}") from exc
    return tpl.docx
