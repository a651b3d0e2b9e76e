"""pydantic's validation errors, as located Vietnamese messages.

Each pydantic error type maps to one sentence: a table of what was needed for
the type errors (``_NEEDS``), and a function for the few that say more
(``_SAYS``). Misspelt keys are folded with the missing field they stand for.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

from pipeline.inputs import model as m
from pipeline.errors import InputIssue
from pipeline.inputs.load import SourceMap, format_path

FIELD_NAMES: frozenset[str] = frozenset(
    name for cls in vars(m).values()
    if isinstance(cls, type) and issubclass(cls, BaseModel) and cls is not BaseModel
    for name in cls.model_fields)

# what a type error needed: "cần <this>, gặp <what was found>"
_NEEDS = {
    "string_type": "một đoạn văn bản",
    "int_type": "một số nguyên", "int_parsing": "một số nguyên", "int_from_float": "một số nguyên",
    "float_type": "một số", "float_parsing": "một số",
    "bool_type": "true hoặc false", "bool_parsing": "true hoặc false",
    "list_type": "một danh sách (mỗi mục một dòng bắt đầu bằng '- ')",
    "dict_type": "một mục gồm các trường 'khóa: giá trị'",
    "model_type": "một mục gồm các trường 'khóa: giá trị'",
    "model_attributes_type": "một mục gồm các trường 'khóa: giá trị'",
}
_COMPARISONS = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}


def describe(value: Any) -> str:
    """A found value as the message shows it."""
    if value is None:
        return "ô trống (chưa điền giá trị)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "một mục 'khóa: giá trị'" if value else "một mục rỗng {}"
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "…"


def _date(err: dict) -> str:
    got = err.get("input")
    parts = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", got.strip()) if isinstance(got, str) else None
    if not parts:
        return f"cần ngày dạng YYYY-MM-DD (ví dụ 2025-07-15), gặp {describe(got)}"
    try:
        day = dt.date(*map(int, parts.groups()))
    except ValueError:
        return f"ngày {got} không tồn tại"
    return f"cần ngày dạng YYYY-MM-DD, tháng và ngày đủ 2 chữ số: viết {day.isoformat()}, gặp '{got}'"


def _unknown_field(err: dict) -> str:
    import difflib  # only when something is wrong

    name = err["loc"][-1] if err["loc"] else ""
    close = difflib.get_close_matches(str(name), sorted(FIELD_NAMES), n=1, cutoff=0.6)
    hint = f"; có phải ý là '{close[0]}'?" if close else ""
    return f"trường '{name}' không có trong mẫu (gõ sai tên?){hint}"


def _literal(err: dict) -> str:
    expected = re.sub(r" or (?=')", " hoặc ", str((err.get("ctx") or {}).get("expected", "")))
    return f"giá trị phải là một trong: {expected}; gặp {describe(err.get('input'))}"


def _comparison(err: dict) -> str:
    limit = next(iter((err.get("ctx") or {}).values()), "")
    return f"giá trị phải {_COMPARISONS[err['type']]} {limit}, gặp {describe(err.get('input'))}"


_SAYS: dict[str, Callable[[dict], str]] = {
    "missing": lambda err: f"thiếu trường bắt buộc '{err['loc'][-1] if err['loc'] else ''}'",
    "extra_forbidden": _unknown_field,
    "literal_error": _literal,
    "string_pattern_mismatch": lambda err: (
        "mã (id) chỉ gồm chữ thường không dấu, chữ số và '_', bắt đầu bằng chữ cái; "
        f"gặp {describe(err.get('input'))}"),
    "string_too_short": lambda err: "không được để trống",
    "finite_number": lambda err: f"cần một số (không phải .nan hay .inf), gặp {describe(err.get('input'))}",
    "too_short": lambda err: f"cần ít nhất {(err.get('ctx') or {}).get('min_length')} mục",
    "too_long": lambda err: f"nhiều nhất {(err.get('ctx') or {}).get('max_length')} mục",
    "value_error": lambda err: str((err.get("ctx") or {}).get("error", err["msg"])),
    **{t: _comparison for t in _COMPARISONS},
}


def message(err: dict) -> str:
    """One pydantic error (``exc.errors()`` item) in Vietnamese."""
    t = err["type"]
    if t in _NEEDS:
        return f"cần {_NEEDS[t]}, gặp {describe(err.get('input'))}"
    if t in _SAYS:
        return _SAYS[t](err)
    if t.startswith(("date_", "datetime_")):
        return _date(err)
    return err["msg"]


def data_path(data: Any, loc: tuple) -> tuple:
    """Map a pydantic error location onto the data: union tags dropped, a missing field kept."""
    path: list = []
    cur = data
    for i, part in enumerate(loc):
        if isinstance(part, str) and part.startswith(m.ITEM_TAG):
            continue
        if isinstance(cur, dict) and part in cur:
            path.append(part)
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and part < len(cur):
            path.append(part)
            cur = cur[part]
        elif isinstance(cur, dict) and i == len(loc) - 1:
            path.append(part)  # a missing field: point at its mapping, name the field
            cur = None
        # otherwise a validator's name (e.g. 'function-before[...]'): skip it
    return tuple(path)


def issues_from_validation(exc: ValidationError, data: Any, source: SourceMap,
                           prefix: tuple = ()) -> list[InputIssue]:
    errors = [(prefix + data_path(data, err["loc"]), dict(err)) for err in exc.errors(include_url=False)]
    out: list[InputIssue] = []
    for path, err in fold_typos(errors):
        line, col = source.locate(path)
        text = err["_message"] if "_message" in err else message(err)
        issue = InputIssue(source.file, line, col, format_path(path), text)
        if issue not in out:
            out.append(issue)
    return out


def fold_typos(errors: list[tuple[tuple, dict]]) -> list[tuple[tuple, dict]]:
    """A misspelt key gives two errors: 'x' unknown and 'y' missing. Report it once, at the typo.

    An unknown key close to a missing field of the same mapping names that field; a body item
    with an unknown key (its missing 'p' is only the paragraph form tried last) keeps the unknown.
    """
    import difflib  # only when something is wrong

    missing = {path: err for path, err in errors if err["type"] == "missing" and path}
    drop: set[tuple] = set()
    out = []
    for path, err in errors:
        if err["type"] == "extra_forbidden" and path:
            parent, name = path[:-1], str(path[-1])
            siblings = {p[-1]: p for p in missing if p[:-1] == parent}
            close = difflib.get_close_matches(name, sorted(map(str, siblings)), n=1, cutoff=0.6)
            if close:
                drop.add(siblings[close[0]])
                err = dict(err, _message=f"trường '{name}' không có trong mẫu (gõ sai tên?); "
                                         f"có phải ý là '{close[0]}'? (trường này đang thiếu)")
            elif "p" in siblings and _is_item(parent):
                drop.add(siblings["p"])
        out.append((path, err))
    return [(path, err) for path, err in out if path not in drop or err["type"] != "missing"]


def _is_item(path: tuple) -> bool:
    """A body item: ...items[i] (a paragraph, bullet, clause …)."""
    return len(path) >= 2 and isinstance(path[-1], int) and path[-2] == "items"
