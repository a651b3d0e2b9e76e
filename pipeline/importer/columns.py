"""Which column of a task table holds what, from its heading, whatever words the office used.

"TT | Nội dung thực hiện | Sản phẩm, Kết quả | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn
thành" and "STT | Nhiệm vụ cụ thể | Sản phẩm | Cơ quan thực hiện | Cơ quan phối hợp | Thời gian thực
hiện" map to the same fields of a task.
"""

from __future__ import annotations

import re

from pipeline.importer.textparse import norm_space, toneless

# field -> heading words (toneless, lower case); the first field whose words a heading contains wins,
# so "phối hợp" is tried before "cơ quan".
FIELDS: list[tuple[str, tuple[str, ...]]] = [
    ("number", ("stt", "tt", "so tt", "so thu tu")),
    ("status", ("tinh trang", "muc do hoan thanh")),
    ("partners", ("phoi hop",)),
    ("deadline", ("thoi gian", "thoi han", "tien do", "hoan thanh")),
    ("products", ("san pham", "ket qua")),
    ("content", ("noi dung", "nhiem vu", "cong viec", "hoat dong")),
    ("lead", ("chu tri", "thuc hien", "co quan", "don vi", "trach nhiem")),
]
NEEDED = ("content", "products", "lead", "deadline")


def field_of(heading: str) -> str | None:
    h = toneless(norm_space(heading)).lower().rstrip(" :.")
    if not h:
        return None
    for name, words in FIELDS:
        if name == "number":
            if h in words:
                return name
            continue
        if any(w.strip() in h for w in words):
            return name
    return None


def heading_map(cells: list[str]) -> dict[str, int] | None:
    """field -> column index, when ``cells`` read as the heading row of a task table."""
    out: dict[str, int] = {}
    for i, cell in enumerate(cells):
        f = field_of(cell)
        if f == "products" and "san pham" not in toneless(cell).lower() and any(
                field_of(c) == "status" for c in cells):
            f = "result"  # a report's "Kết quả" beside its "Tình trạng": what was done, not a product
        if f and f not in out:
            out[f] = i
    if sum(1 for f in NEEDED if f in out) >= 3 and "content" in out:
        return out
    return None


def is_column_numbers(cells: list[str]) -> bool:
    """A row of column numbers under the heading: '(1) | (2) | (3)'."""
    texts = [norm_space(c) for c in cells]
    return any(texts) and all(re.fullmatch(r"\(?\d{1,2}\)?|", t) for t in texts)
