"""Forms shaped from an input file's own data, field by field, named by their YAML paths.

Nothing here knows the schema beyond a few words: every string, number or date becomes a field
labelled in Vietnamese (``LABELS``; an unknown key keeps its own name), a list of rows (mappings)
becomes a table with buttons to add, move and remove rows, a ``content`` is a text box named
"Nội dung", a ``lead`` or ``partners`` is picked from the commune's units and groups, a ``status``
from the four states of progress. A field a later input model adds appears without code here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Union

from pipeline.workspace.editing import path_text

LABELS = {
    "province": "Tỉnh", "name": "Tên", "unit_word": "Cấp (xã, phường, đặc khu)", "place": "Địa danh",
    "agency": "Cơ quan ban hành", "symbol": "Ký hiệu cơ quan", "collective": "Tập thể ký thay mặt",
    "head_position": "Chức danh người đứng đầu", "leaders": "Lãnh đạo", "position": "Chức vụ",
    "units": "Các đơn vị", "short": "Tên ngắn", "archive_code": "Mã lưu", "variants": "Cách viết khác",
    "groups": "Nhóm đơn vị", "id": "Mã", "kind": "Loại văn bản", "number": "Số văn bản", "date": "Ngày",
    "summary": "Trích yếu", "period": "Thời gian thực hiện", "start": "Từ ngày", "end": "Đến ngày",
    "label": "Cách ghi", "bases_layout": "Cách trình bày căn cứ", "bases": "Căn cứ", "intro": "Câu mở đầu",
    "targets": "Chỉ tiêu", "op": "So sánh", "value": "Giá trị", "keywords": "Từ khóa", "sections": "Các mục",
    "title": "Tiêu đề", "items": "Các ý", "bullet": "Gạch đầu dòng", "clause": "Khoản", "point": "Điểm",
    "content": "Nội dung", "products": "Sản phẩm", "lead": "Chủ trì", "partners": "Phối hợp",
    "deadline": "Thời hạn", "tasks": "Nhiệm vụ", "appendices": "Phụ lục", "appendix": "Phụ lục",
    "closing": "Câu kết", "ordered_by": "Theo nhiệm vụ", "status": "Tình trạng", "result": "Kết quả",
    "done_on": "Ngày hoàn thành", "indicators": "Chỉ tiêu đạt được", "periods": "Kỳ báo cáo",
    "to": "Kính gửi", "recipients": "Nơi nhận", "outlook": "Phương hướng", "signer": "Người ký",
    "note": "Ghi chú", "scope": "Phạm vi", "collects": "Tổng hợp", "areas": "Lĩnh vực", "criteria": "Tiêu chí",
    "max": "Điểm tối đa", "sample": "Mẫu", "authority": "Thẩm quyền ký", "signature": "Chữ ký",
}
STATUSES = {"not_started": "chưa thực hiện", "in_progress": "đang thực hiện",
            "done_on_time": "hoàn thành đúng hạn", "done_late": "hoàn thành trễ hạn"}
UNIT_KEYS = ("lead", "partners")
LONG = 70  # a text longer than this is edited in a box of several lines


@dataclass
class Field:
    path: str  # the YAML path, also the form field's name
    label: str
    value: str
    kind: str = "text"  # text | textarea | select | unit | readonly
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, shown) of a select


@dataclass
class Table:
    path: str
    label: str
    columns: list[str]
    rows: list[list[Field]]  # the fields of each row, one per column (None-free: missing ones are empty readonly)
    ids: list[str]  # each row's id (or its number)


@dataclass
class Group:
    label: str
    parts: list[Part]
    path: str = ""


Part = Union[Field, Table, Group]


def label_of(key: Any) -> str:
    return LABELS.get(str(key), str(key))


def shown_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _inline(value: Any) -> str:
    import yaml

    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000).strip()


def scalar_field(path: tuple, key: Any, value: Any, units: list[tuple[str, str]]) -> Field:
    p, label, shown = path_text(path), label_of(key), shown_text(value)
    if key == "status" and isinstance(value, str):
        return Field(p, label, shown, "select", list(STATUSES.items()))
    if key in UNIT_KEYS and isinstance(value, str):
        return Field(p, label, shown, "unit", units)
    if isinstance(value, bool) or key == "id":  # a code other files cite: renamed in the YAML, with its citations
        return Field(p, label, shown, "readonly")
    return Field(p, label, shown, "textarea" if key == "content" or len(shown) > LONG else "text")


def _is_table(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _cell(path: tuple, key: str, value: Any, units) -> Field:
    if isinstance(value, (dict, list)):
        if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value) and value \
                and key not in UNIT_KEYS:
            return Field(path_text(path), label_of(key), "\n".join(shown_text(v) for v in value), "readonly")
        return Field(path_text(path), label_of(key), _inline(value), "readonly")
    if value is None:
        return Field(path_text(path), label_of(key), "", "readonly")
    return scalar_field(path, key, value, units)


def _holds_rows(value: Any) -> bool:
    """A list of rows whose rows hold rows themselves (appendices → tasks → deadlines): shown as groups,
    each with its own table, rather than one table whose cells would be tables."""
    return _is_table(value) and any(_is_table(v) for row in value for v in row.values())


def table(path: tuple, key: Any, rows: list[dict], units) -> Table:
    columns = [k for row in rows for k in row if k != "id"]
    columns = list(dict.fromkeys(["content", *columns])) if any("content" in r for r in rows) \
        else list(dict.fromkeys(columns))
    out = []
    for i, row in enumerate(rows):
        out.append([_cell(path + (i, c), c, row[c], units) if c in row
                    else Field(path_text(path + (i, c)), label_of(c), "", "readonly") for c in columns])
    ids = [str(r.get("id", i + 1)) for i, r in enumerate(rows)]
    return Table(path_text(path), label_of(key), columns, out, ids)


def parts_of(data: Any, units: list[tuple[str, str]], path: tuple = (), names: dict[str, str] | None = None
             ) -> list[Part]:
    """The form of ``data`` (a mapping read from an input file). ``names``: what a code means (a task's
    content by its id), shown beside a group keyed by that code (progress files key tasks by id)."""
    names = names or {}
    parts: list[Part] = []
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        here = path + (key,)
        if isinstance(value, dict):
            label = f"{key} — {names[key]}" if isinstance(key, str) and key in names else _group_label(key, value)
            parts.append(Group(label, parts_of(value, units, here, names), path_text(here)))
        elif _is_table(value) and not any(_holds_rows(v) for row in value for v in row.values()):
            parts.append(table(here, key, value, units))
        elif isinstance(value, list):
            parts.append(Group(label_of(key), parts_of(value, units, here, names), path_text(here)))
        elif isinstance(key, int):
            parts.append(scalar_field(here, path[-1] if path else key, value, units))
            parts[-1].label = f"{label_of(path[-1]) if path else ''} {key + 1}".strip()
        else:
            parts.append(scalar_field(here, key, value, units))
    return parts


def _group_label(key: Any, value: dict) -> str:
    if isinstance(key, int):
        return str(value.get("title") or value.get("id") or key + 1)
    return label_of(key)


def units_of(commune: dict) -> list[tuple[str, str]]:
    """(code, name) of each unit and group of units of the commune: the choices of a unit picker."""
    out = [(str(u.get("id")), str(u.get("short") or u.get("name") or u.get("id")))
           for u in commune.get("units") or [] if isinstance(u, dict)]
    out += [(str(g.get("id")), str(g.get("name") or g.get("id")))
            for g in commune.get("groups") or [] if isinstance(g, dict)]
    return out


KINDS = {"subplans": "Kế hoạch triển khai", "progress": "Tiến độ", "reports": "Báo cáo", "criteria": "Bộ tiêu chí"}
KIND_ORDER = ["Xã và kế hoạch", "Kế hoạch triển khai", "Tiến độ", "Báo cáo", "Bộ tiêu chí", "Khác"]


def kind_of(rel: str) -> str:
    """The heading an input file is listed under on the first page."""
    head = rel.split("/")[0]
    return "Xã và kế hoạch" if "/" not in rel else KINDS.get(head, "Khác")


def page_title(rel: str, data: Any) -> str:
    """What the office calls an input file."""
    head = rel.split("/")[0]
    name = ""
    if isinstance(data, dict):
        name = str(data.get("summary") or data.get("name") or data.get("period") or "")
    fixed = {"commune.yaml": "Thông tin xã", "plan.yaml": "Kế hoạch", "appendices.yaml": "Phụ lục (bảng nhiệm vụ)"}
    if rel in fixed:
        return fixed[rel]
    return f"{KINDS.get(head, head)}: {name or rel}"


def names_of(data: Any, out: dict[str, str] | None = None) -> dict[str, str]:
    """Each ``id`` in ``data`` with the text that says what it is (its content, name or title)."""
    out = {} if out is None else out
    if isinstance(data, dict):
        text = data.get("content") or data.get("name") or data.get("title")
        if isinstance(data.get("id"), str) and isinstance(text, str):
            out[data["id"]] = text if len(text) <= 90 else text[:89] + "…"
        for value in data.values():
            names_of(value, out)
    elif isinstance(data, list):
        for value in data:
            names_of(value, out)
    return out
