"""What a hostile Word file cannot make the reader do: read a value as an exception, count without end, nest
without end, or take without end — and, when a file cannot be read, why, in Vietnamese.

- Numbers (``integer``, ``twips``, ``points``): a value that is not a number is taken as Word takes a
  missing one (the caller's default), and one out of range is clamped; a float that is not finite, a
  digit string Python refuses to convert (over 4300 digits), an exponent: none of them raise.
- Depth: lxml (libxml2) refuses XML nested deeper than 256 levels without its huge-tree mode, and every
  part docread reads is parsed so (python-docx's parser, ``ooxml.safezip.parse_xml``): the recursive walks
  of ``xmlparts`` stay far from Python's own limit.
- Time (``Budget``): a file still not read after ``budget_s`` seconds (a base and a share per MB of its
  XML: far more than any real file needs) ends in ``TooLong`` — an unreadable file, said as such by
  ``check`` (a ``file.unreadable`` finding) and ``import`` (exit 3). Loops whose cost a pathological
  structure could multiply call ``tick()``; with no budget running (a library call), it does nothing.
- ``why(exc)``: the Vietnamese reason for any of ``ooxml.safezip.unreadable_errors()``, the English of
  libxml2 ("Excessive depth in document"), expat, zipfile and python-docx replaced.
"""

from __future__ import annotations

import math
import re
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

from pipeline.ooxml import safezip

MAX_DEPTH = 256  # libxml2's nesting limit without huge-tree mode
BUDGET_S, BUDGET_S_PER_MB = 30.0, 3.0  # seconds to read (and check or import) one file: base + per MB of XML

_NUMBER = re.compile(r"\s*([+-]?\d{1,12}(?:\.\d{1,6})?)\s*(mm|cm|in|pt|pc|pi|px)?\s*")
_TWIPS_PER = {None: 1.0, "mm": 1440 / 25.4, "cm": 14400 / 25.4, "in": 1440.0, "pt": 20.0, "pc": 240.0, "pi": 240.0,
              "px": 15.0}


def integer(value, default: int, lo: int, hi: int) -> int:
    """An integer attribute ("3", " 2 ", "1.0"): ``default`` when it is not a number, clamped to ``lo``–``hi``."""
    m = _NUMBER.fullmatch(value) if isinstance(value, str) else None
    if m is None or m.group(2):
        return default
    return min(max(int(float(m.group(1))), lo), hi)


def twips(value, default: int = 0) -> int:
    """A length attribute in twips: a number (twips), or a measure as strict files write it ("21cm", "72pt");
    ``default`` when it is neither."""
    if value is None:
        return default
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value)  # what Word writes: plain twips
    m = _NUMBER.fullmatch(value) if isinstance(value, str) else None
    if m is None:
        return default
    return round(float(m.group(1)) * _TWIPS_PER[m.group(2)]) if m.group(2) else int(float(m.group(1)))


def number(value, default: float | None = None) -> float | None:
    """A finite number ("12.5", "-3"), or ``default``."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        return float(value)
    m = _NUMBER.fullmatch(value) if isinstance(value, str) else None
    if m is None or m.group(2):
        return default
    x = float(m.group(1))
    return x if math.isfinite(x) else default


def points(value) -> float | None:
    """A CSS length of VML ("40pt", "1.5in", "12"), in points; None unless it is one."""
    m = _NUMBER.fullmatch(value) if isinstance(value, str) else None
    return float(m.group(1)) * (_TWIPS_PER[m.group(2)] / 20 if m.group(2) else 1.0) if m else None


# ------------------------------------------------------------------ time


class TooLong(safezip.BadDocx):
    """A file not read (checked, imported) within its time budget; the message is Vietnamese."""


class Budget:
    def __init__(self, label: str, seconds: float):
        self.label, self.seconds = label, seconds
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise TooLong(f"{self.label}: đọc quá {self.seconds:.0f} giây mà chưa xong — cấu trúc tệp bất thường "
                          "(Word không ghi như vậy); vanban dừng đọc tệp này")


_current: list[Budget] = []


def budget_s(path: Path) -> float:
    """The seconds a file may take: ``BUDGET_S`` and ``BUDGET_S_PER_MB`` for each MB its parts hold."""
    try:
        with zipfile.ZipFile(path) as zf:
            size = sum(i.file_size for i in zf.infolist())
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        size = 0  # not a zip: the reader will say so
    return BUDGET_S + BUDGET_S_PER_MB * min(size, safezip.TOTAL_LIMIT) / safezip.MB


@contextmanager
def budget(label: str, seconds: float):
    """Run the reading of one file within ``seconds``: ``tick()`` raises ``TooLong`` once they are spent."""
    _current.append(Budget(label, seconds))
    try:
        yield _current[-1]
    finally:
        _current.pop()


def tick() -> None:
    if _current:
        _current[-1].check()


def running() -> bool:
    return bool(_current)


# ------------------------------------------------------------------ why a file is not read

_LIBXML_WORDS = [  # libxml2's message (the start of it), what it means to a clerk
    ("Excessive depth", f"các phần tử XML lồng nhau quá sâu (quá {MAX_DEPTH} cấp, như bảng trong bảng nhiều lần) — "
                        "Word không bao giờ ghi như vậy; tệp hỏng hoặc được làm ra để làm treo chương trình đọc"),
    ("Huge input lookup", "có đoạn XML dài quá giới hạn an toàn của bộ đọc"),
    ("xmlSAX2Characters: huge text node", "có đoạn chữ dài quá giới hạn an toàn của bộ đọc"),
    ("Maximum entity amplification", "XML dùng thực thể (entity) mở rộng quá lớn"),
    ("Detected an entity reference loop", "XML dùng thực thể (entity) lồng vòng"),
    ("Unsupported encoding", "XML khai báo bảng mã ký tự không biết"),
    ("Input is not proper UTF-8", "XML có ký tự không đúng bảng mã UTF-8"),
    ("Document is empty", "phần XML trống"),
    ("Opening and ending tag mismatch", "thẻ mở và thẻ đóng của XML không khớp nhau"),
    ("Premature end of data", "XML bị cắt cụt giữa chừng"),
    ("Extra content at the end", "có nội dung thừa sau phần tử gốc của XML"),
    ("Entity", "XML dùng thực thể (entity) không được khai báo"),
    ("PCDATA invalid Char", "có ký tự không hợp lệ trong XML"),
    ("Char 0x", "có ký tự không hợp lệ trong XML"),
]
_EXPAT_WORDS = {3: "phần XML trống hoặc bị cắt cụt", 4: "có ký tự không hợp lệ trong XML", 5: "XML bị cắt cụt giữa chừng",
                7: "thẻ mở và thẻ đóng của XML không khớp nhau", 9: "có nội dung thừa sau phần tử gốc của XML",
                11: "XML dùng thực thể (entity) không được khai báo", 18: "XML khai báo bảng mã ký tự không biết"}
DAMAGED = "tệp hỏng hoặc không phải văn bản Word"
_ENGLISH_TAIL = re.compile(r" \([\x20-\x7e]*\)$")  # "… đã hỏng (Bad magic number (…))": a library's words


def why(exc: BaseException, *labels: str) -> str:
    """Why a file could not be read: Vietnamese, one line, without the file's name (any of ``labels``)."""
    for err in _chain(exc):
        words = _xml_words(err)
        if words:
            return f"{words} — {DAMAGED}" if "Word không bao giờ" not in words else words
        if isinstance(err, KeyError) and not isinstance(exc, safezip.BadDocx):
            return f"thiếu một phần của tệp Word — {DAMAGED}"
    if isinstance(exc, safezip.BadDocx):  # Vietnamese, but for a library's own words in brackets at its end
        text = " ".join(str(exc).split())
        for label in labels:
            text = text[len(label) + 2:] if label and text.startswith(label + ": ") else text
        return _ENGLISH_TAIL.sub("", text)
    return DAMAGED


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]


def _xml_words(err: BaseException) -> str | None:
    from xml.etree.ElementTree import ParseError

    if isinstance(err, ParseError):
        line, column = getattr(err, "position", (0, 0))
        return f"{_EXPAT_WORDS.get(getattr(err, 'code', 0), 'XML không hợp lệ')} (dòng {line}, cột {column})"
    if type(err).__name__ != "XMLSyntaxError":
        return None
    msg = str(getattr(err, "msg", "") or err)
    words = next((w for start, w in _LIBXML_WORDS if msg.startswith(start)), "XML không hợp lệ")
    line, column = getattr(err, "position", None) or (0, 0)
    return words if words.startswith("các phần tử") else f"{words} (dòng {line}, cột {column})"
