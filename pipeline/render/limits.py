"""What a template may spend while one document is rendered: steps, sizes, time (issue 33).

A commune's own template is input like any other, and Jinja is a small programming language: a
loop over ``range(10**10)``, a ``'x' * 10**10`` or a macro that calls itself twice would hang the
build or end it in a MemoryError. ``sandbox.Environment`` calls into this module at every place a
template can spend: each loop iteration, call, filter and intercepted operator is a step
(``Budget.step``); every value it makes is weighed before it is made where it could be large
(``check_*``: the size a ``*``, ``**``, ``%``, ``str.format``, ``center``, ``join``, ``replace`` …
would make, from their operands) and after (``Budget.charge``: the value, and all values made so
far together). Exceeding any limit raises ``LimitExceeded``, a Jinja ``SecurityError`` whose
message is Vietnamese; the render reports it as a template error (exit 3).

The limits are generous for a real document (the bundled plan, the largest, makes a few hundred
kilobytes in a few thousand steps) and small for a machine: about a hundred megabytes and a few
seconds at most.
"""

from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

from jinja2.exceptions import SecurityError
from jinja2.runtime import Undefined
from jinja2.utils import Namespace
from markupsafe import Markup

STEP_LIMIT = 250_000  # loop iterations, calls, filters and operators in one document
SIZE_LIMIT = 10_000_000  # characters (or items) of any one value a template makes
MADE_LIMIT = 50_000_000  # characters of all values one document's templates make together
OUTPUT_LIMIT = 20_000_000  # characters of the XML one template part renders to
INT_BITS_LIMIT = 64_000  # bits of an integer (about 19,000 digits)
DEPTH_LIMIT = 100  # lists in lists in lists …
TIME_LIMIT = 10.0  # seconds for one document (its templates, its appended parts)
SOURCE_LIMIT = 4_000_000  # characters of a template part's XML given to Jinja (hundreds of pages)
TAG_LIMIT = 20_000  # Jinja tags in one template part


def number(n: int | float) -> str:
    """``n`` as Vietnamese writes it: 1.000.000; 0,5."""
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    return f"{n:,}".translate(str.maketrans(",.", ".,"))


class LimitExceeded(SecurityError):
    """A template went past one of this module's limits; the message is Vietnamese."""


def too_big(size: int) -> LimitExceeded:
    return LimitExceeded(f"mẫu tạo ra một giá trị quá lớn (khoảng {number(size)} ký tự hoặc phần tử; "
                         f"giới hạn {number(SIZE_LIMIT)})")


class Budget:
    """The steps, characters and time one document's templates have spent."""

    __slots__ = ("steps", "made", "deadline")

    def __init__(self) -> None:
        self.steps = 0
        self.made = 0
        self.deadline = time.monotonic() + TIME_LIMIT

    def step(self) -> None:
        self.steps += 1
        if self.steps > STEP_LIMIT:
            raise LimitExceeded(f"mẫu chạy quá {number(STEP_LIMIT)} bước (vòng lặp, lời gọi hàm, bộ lọc, phép tính) "
                                "— có thể là một vòng lặp không dừng hoặc một macro tự gọi lại chính nó")
        self.clock()

    def clock(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitExceeded(f"mẫu chạy quá {number(TIME_LIMIT)} giây cho một văn bản")

    def charge(self, value: Any) -> Any:
        """``value``, made by the template: within ``SIZE_LIMIT``, and counted towards ``MADE_LIMIT``."""
        size = weight(value)
        if size > SIZE_LIMIT:
            raise too_big(size)
        self.made += size
        if self.made > MADE_LIMIT:
            raise LimitExceeded(f"mẫu tạo ra quá nhiều dữ liệu cho một văn bản (hơn {number(MADE_LIMIT)} ký tự)")
        return value


_local = threading.local()


def current() -> Budget:
    """The budget of the document being rendered (outside a render, e.g. while Jinja folds constants
    at compile time, a fresh one: the sizes are still checked)."""
    return getattr(_local, "budget", None) or Budget()


@contextmanager
def budget() -> Iterator[Budget]:
    """One document's budget, for everything rendered inside (a budget already open is kept)."""
    active = getattr(_local, "budget", None)
    if active is not None:
        yield active
        return
    _local.budget = Budget()
    try:
        yield _local.budget
    finally:
        _local.budget = None


_TEXT = (str, bytes, bytearray)
_SMALL = (bool, float, complex, type(None))
_VIEWS: tuple[type, ...] = (type({}.keys()), type({}.values()), type({}.items()))
_ITEMS = (list, tuple, set, frozenset, *_VIEWS)


def weight(value: Any, limit: int = SIZE_LIMIT) -> int:
    """About how many characters ``str(value)`` would make: the length of a text, the digits of a number,
    the items of a list or a dictionary with their separators (a list holding the same long text a
    thousand times weighs a thousand texts). Walked no further than ``limit``."""
    kind = type(value)
    if kind is str or kind is Markup:  # most values: at once
        return len(value)
    if kind is int:
        return value.bit_length() // 3 + 1
    return _walk(value, limit)


def weights(args: tuple, kwargs: dict) -> int:
    """The weight of a call's arguments (Jinja's own ``_loop_vars`` and ``_block_vars`` left out)."""
    total = 0
    for value in args:
        total += weight(value)
    for key, value in kwargs.items():
        if key not in ("_loop_vars", "_block_vars"):
            total += weight(value)
    return total


def _walk(value: Any, limit: int) -> int:
    total = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, _TEXT):
            total += len(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            total += item.bit_length() // 3 + 1
        elif isinstance(item, _SMALL) or isinstance(item, Undefined):
            total += 5
        else:
            children = _children(item)
            if children is None:
                total += 1
                continue
            total += 2 * len(children) + 2
            if total > limit:
                return total
            if depth >= DEPTH_LIMIT:
                raise LimitExceeded(f"mẫu tạo ra dữ liệu lồng nhau quá sâu (hơn {DEPTH_LIMIT} tầng)")
            stack.extend((child, depth + 1) for child in children)
        if total > limit:
            return total
    return total


def _children(item: Any) -> list | tuple | None:
    if isinstance(item, dict):
        return [*item.keys(), *item.values()]
    if isinstance(item, (list, tuple)):
        return item
    if isinstance(item, _ITEMS):  # sets, dictionary views
        iterable: Any = item
        return list(iterable)
    if isinstance(item, Namespace):
        attrs = object.__getattribute__(item, "_Namespace__attrs")
        return [*attrs.keys(), *attrs.values()]
    return None


def check(size: int) -> None:
    if size > SIZE_LIMIT:
        raise too_big(size)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) else None


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``left <operator> right`` before Python makes it, when what it makes would be too large."""
    if operator == "*":
        a, b = _int(left), _int(right)
        if a is not None and b is not None:
            if a.bit_length() + b.bit_length() > INT_BITS_LIMIT:
                raise _too_many_digits()
        elif a is not None or b is not None:
            times, seq = (a, right) if a is not None else (b, left)
            if isinstance(seq, (*_TEXT, list, tuple)):
                check(weight(seq) * max(times or 0, 0))
    elif operator == "**":
        a, b = _int(left), _int(right)
        if a is not None and b is not None and b > 0 and max(a.bit_length(), 1) * b > INT_BITS_LIMIT:
            raise _too_many_digits()
    elif operator == "+":
        if not isinstance(left, (int, float)) or not isinstance(right, (int, float)):
            check(weight(left) + weight(right))
    elif operator == "%" and isinstance(left, _TEXT):
        check_format(left, right if isinstance(right, tuple) else (right,), {}, printf=True)


def _too_many_digits() -> LimitExceeded:
    return LimitExceeded(f"mẫu tính ra một số quá lớn (hơn {number(INT_BITS_LIMIT)} bit, khoảng "
                         f"{number(INT_BITS_LIMIT * 3 // 10)} chữ số)")


_WIDTHS = re.compile(r"\d+")


def check_format(fmt: Any, args: tuple, kwargs: dict, printf: bool = False) -> None:
    """A format string filled in (``%``, ``|format``, ``str.format``): its own length, every width written
    in it, and the size of every value put into it; a width taken from the values (``%*s``, ``{:{}}``)
    counts as that many characters."""
    text = fmt.decode("latin-1") if isinstance(fmt, (bytes, bytearray)) else str(fmt)
    size = len(text)
    for digits in _WIDTHS.findall(text):
        size += int(digits) if len(digits) < 10 else SIZE_LIMIT + 1
    values = [*args, *kwargs.values()]
    if len(values) == 1 and isinstance(values[0], dict) and printf:  # '%(name)s' % mapping
        values = list(values[0].values())
    dynamic = "*" in text if printf else re.search(r"\{[^{}]*\{", text) is not None
    for value in values:
        n = _int(value)
        size += abs(n) if dynamic and n is not None else weight(value)
        check(size)
    check(size)


def check_method(method: Any, args: tuple, kwargs: dict) -> None:
    """Refuse a call of a text's (or a number's) own method whose result would be too large: ``center``,
    ``ljust``, ``rjust``, ``zfill`` (a width), ``expandtabs`` (a tab size), ``replace`` (a replacement
    times its occurrences), ``translate`` (a table of long texts), ``to_bytes`` (a length)."""
    owner: Any = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if isinstance(owner, _TEXT):
        n = len(owner)
        first = args[0] if args else None
        width = _int(first)
        if name in ("center", "ljust", "rjust", "zfill") and width is not None:
            check(n + max(width, 0))
        elif name == "expandtabs":
            tab = _int(first if args else kwargs.get("tabsize", 8)) or 0
            tab_char: Any = "\t" if isinstance(owner, str) else b"\t"
            check(n + owner.count(tab_char) * max(tab, 0))
        elif name == "replace" and len(args) >= 2:
            check_replace(owner, args[0], args[1], args[2] if len(args) > 2 else kwargs.get("count", -1))
        elif name == "translate" and isinstance(first, dict):
            check(n * max([weight(v) for v in first.values()] or [1]))
    elif isinstance(owner, int) and name == "to_bytes":
        length = _int(args[0] if args else kwargs.get("length", 1))
        check(length or 0)


def check_replace(text: Any, old: Any, new: Any, count: Any = -1) -> None:
    """``text.replace(old, new, count)``: each occurrence replaced (every gap, when ``old`` is empty)."""
    if not isinstance(text, _TEXT) or not isinstance(old, _TEXT) or not isinstance(new, _TEXT):
        return
    needle: Any = old
    times = text.count(needle) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    check(len(text) + times * len(new))


def check_join(separator: Any, items: list) -> None:
    size = max(len(items) - 1, 0) * (len(separator) if isinstance(separator, _TEXT) else weight(separator))
    for item in items:
        size += weight(item)
        check(size)


def _arg(args: tuple, kwargs: dict, i: int, name: str, default: Any = None) -> Any:
    return args[i] if len(args) > i else kwargs.get(name, default)


def _materialized(args: tuple, i: int = 0) -> tuple:
    """``args`` with its ``i``-th argument (an iterable a filter would consume) made a list, once."""
    if len(args) > i and not isinstance(args[i], (list, tuple, *_TEXT, dict, Undefined)):
        args = (*args[:i], list(args[i]), *args[i + 1:])
    return args


def _center(args: tuple, kwargs: dict) -> tuple:
    width = _int(_arg(args, kwargs, 1, "width", 80))
    check(weight(args[0]) + max(width or 0, 0))
    return args


def _indent(args: tuple, kwargs: dict) -> tuple:
    text, width = args[0], _arg(args, kwargs, 1, "width", 4)
    per_line = len(width) if isinstance(width, str) else max(_int(width) or 0, 0)
    lines = text.count("\n") + 1 if isinstance(text, str) else 1
    check(weight(text) + lines * per_line)
    return args


def _wordwrap(args: tuple, kwargs: dict) -> tuple:
    text, width = args[0], _int(_arg(args, kwargs, 1, "width", 79)) or 1
    wrap = _arg(args, kwargs, 3, "wrapstring") or "\n"
    size = weight(text)
    check(size + (size // max(width, 1) + 1) * weight(wrap))
    return args


def _format(args: tuple, kwargs: dict) -> tuple:
    check_format(args[0], args[1:], kwargs, printf=True)
    return args


def _join(args: tuple, kwargs: dict) -> tuple:
    args = _materialized(args)
    items = args[0] if isinstance(args[0], (list, tuple)) else [args[0]]
    check_join(_arg(args, kwargs, 1, "d", ""), list(items))
    return args


def _replace(args: tuple, kwargs: dict) -> tuple:
    count = _arg(args, kwargs, 3, "count")
    check_replace(args[0], _arg(args, kwargs, 1, "old"), _arg(args, kwargs, 2, "new"), -1 if count is None else count)
    return args


def _filled(args: tuple, kwargs: dict) -> tuple:
    """``batch`` and ``slice``: as many lists as asked, filled with ``fill_with``."""
    count = max(_int(_arg(args, kwargs, 1, "linecount", _arg(args, kwargs, 1, "slices", 0))) or 0, 0)
    fill = _arg(args, kwargs, 2, "fill_with")
    check(weight(args[0]) + count * (2 + (weight(fill) if fill is not None else 0)))
    return args


def _sum(args: tuple, kwargs: dict) -> tuple:
    start = _arg(args, kwargs, 2, "start", 0)
    if isinstance(start, (int, float)):
        return args
    args = _materialized(args)
    items = args[0] if isinstance(args[0], (list, tuple)) else []
    check((len(items) + 1) * (weight(start) + weight(items)))  # each partial sum is copied
    return args


FILTER_CHECKS = {"center": _center, "indent": _indent, "wordwrap": _wordwrap, "format": _format, "join": _join,
                 "replace": _replace, "batch": _filled, "slice": _filled, "sum": _sum}
"""The filters that can make more than their arguments hold, each with what it would make checked
before it runs (and an iterable it would consume made a list first)."""
