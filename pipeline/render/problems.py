"""A template that cannot be rendered, said in Vietnamese with where it is (``errors.TemplateProblem``, exit 3).

The message names the template file, the part of it (``word/document.xml``, ``word/header1.xml``,
``docProps/core.xml`` and which property) and the text of the paragraph around the tag, then says
what went wrong: a tag the sandbox refused, a name the data does not have, a syntax error, a limit
the template went past (``limits``), a damaged file. It never depends on where the template was
rendered, so a share a render worker could not make, made again by the build itself, fails with
the same words.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateSyntaxError, UndefinedError

from pipeline.errors import TemplateProblem
from pipeline.render import limits
from pipeline.render.limits import LimitExceeded, number

EXCERPT = 160  # characters of the text shown around a tag


def located(template: Path, part: str, exc: BaseException, source: str | None = None,
            field: str = "") -> TemplateProblem:
    """``exc``, raised while Jinja compiled or rendered ``source`` (a part's XML as docxtpl gives it to
    Jinja, one paragraph a line; or a property's text, ``field`` naming it), as a ``TemplateProblem``."""
    where = ", ".join([f"mẫu {template.name}", f"phần {part}", *([field] if field else [])])
    message = f"{where}: {explain(exc)}"
    # the text of the paragraph (a line of ``source``) where Jinja stopped; not its number: docxtpl removed
    # the paragraphs that held {%p %} tags before Jinja counted its lines
    text = excerpt(source, _line(exc)) if source is not None else ""
    if text:
        message += f"\n    gần: «{text}»"
    return TemplateProblem(f"{message}\n    tệp mẫu: {template}")


def broken(template: Path, part: str, exc: BaseException | str) -> TemplateProblem:
    """The XML a part rendered to does not parse (a ``{%p %}`` or ``{%tr %}`` misplaced, text put in with ``|safe``)."""
    return TemplateProblem(f"mẫu {template.name}, phần {part}: sau khi điền dữ liệu, phần này không còn là XML "
                           f"hợp lệ ({_detail(exc)}) — thường do một thẻ {{%p %}}, {{%tr %}} đặt lệch chỗ hoặc chữ chèn "
                           f"bằng |safe\n    tệp mẫu: {template}")


def unreadable(template: Path, exc: BaseException) -> TemplateProblem:
    """The template file is not a Word file that opens (damaged, or a part missing or not XML)."""
    return TemplateProblem(f"mẫu {template.name} không phải tệp Word (.docx) đọc được: tệp hỏng hoặc thiếu phần "
                           f"({_detail(exc)})\n    tệp mẫu: {template}")


_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}


def check_source(template: Path, part: str, xml: str) -> None:
    """A part's XML (or a property's text) within ``SOURCE_LIMIT`` and ``TAG_LIMIT``, and every Jinja tag in
    it closed before the next tag of its kind opens; else a ``TemplateProblem``, before docxtpl or Jinja
    read it.

    Jinja's compiler takes memory and time with a part's size and tags (9 MB of XML: 1.3 GB, 12 s); and
    docxtpl first runs regular expressions over a part whose time grows with the square of its unclosed
    tags (100 KB of ``{{``: minutes). This scan is linear."""
    where = f"mẫu {template.name}, phần {part}"
    if len(xml) > limits.SOURCE_LIMIT:
        raise TemplateProblem(f"{where}: phần này quá lớn để điền dữ liệu ({number(len(xml))} ký tự XML; giới hạn "
                              f"{number(limits.SOURCE_LIMIT)})\n    tệp mẫu: {template}")
    text = re.sub(r"<[^>]*>", "", xml)
    tags = 0
    for opener, closer in _CLOSERS.items():
        at = 0
        while (start := text.find(opener, at)) >= 0:
            end = text.find(closer, start + 2)
            if end < 0 or text.find(opener, start + 2, end) >= 0:
                around = _text(html.unescape(text[max(start - 40, 0):start + 120]))
                raise TemplateProblem(f"{where}: thẻ Jinja sai cú pháp (một thẻ «{opener}» không được đóng bằng "
                                      f"«{closer}» trước thẻ «{opener}» tiếp theo)\n    gần: «{around}»"
                                      f"\n    tệp mẫu: {template}")
            tags += 1
            at = end + 2
    if tags > limits.TAG_LIMIT:
        raise TemplateProblem(f"{where}: quá nhiều thẻ Jinja ({number(tags)}; giới hạn {number(limits.TAG_LIMIT)})"
                              f"\n    tệp mẫu: {template}")


def explain(exc: BaseException) -> str:
    """What went wrong, for the person who made the template."""
    detail = _detail(exc)
    if isinstance(exc, LimitExceeded):
        return detail
    if isinstance(exc, SecurityError):
        return ("vanban chặn một thẻ Jinja không an toàn (đọc thuộc tính ẩn hoặc gọi hàm bị cấm trong mẫu văn bản); "
                f"không có lệnh nào được chạy ({detail})")
    if isinstance(exc, UndefinedError):
        return f"dùng một tên không có trong dữ liệu ({detail})"
    if isinstance(exc, TemplateSyntaxError):
        return f"thẻ Jinja sai cú pháp ({detail})"
    if isinstance(exc, TemplateNotFound) or "no loader" in detail:
        return f"mẫu văn bản không được nạp mẫu khác (include, import, extends) ({detail})"
    if isinstance(exc, OverflowError) and "range" in detail.lower():
        return f"range() quá lớn: một vòng lặp của mẫu chạy tối đa {number(100_000)} lần ({detail})"
    if isinstance(exc, RecursionError):
        return "một macro hoặc vòng lặp của mẫu gọi lại chính nó quá nhiều tầng"
    if isinstance(exc, MemoryError):
        return "mẫu làm tràn bộ nhớ"
    return f"thẻ Jinja gây lỗi khi điền dữ liệu ({type(exc).__name__}: {detail})"


def _detail(exc: BaseException | str) -> str:
    text = getattr(exc, "message", None) or str(exc)
    return " ".join(str(text).split())[:300]


def _line(exc: BaseException) -> int | None:
    """The template's line: a syntax error's own, else the last frame Jinja gave the template's lines."""
    if isinstance(exc, TemplateSyntaxError):
        return exc.lineno
    line, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def excerpt(source: str, line: int | None) -> str:
    """The text (tags removed) of ``source``'s ``line``, or of the nearest line that has text; the whole
    source when no line is known and it is short."""
    lines = source.splitlines() or [""]
    if line is None:
        return _text(source) if len(source) <= EXCERPT else ""
    at = min(max(line, 1), len(lines)) - 1
    for k in (at + d for d in (0, -1, 1, -2, 2, -3, 3)):
        text = _text(lines[k]) if 0 <= k < len(lines) else ""
        if text:
            return text
    return ""


def _text(xml: str) -> str:
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", xml)).split())
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"
