"""The new inputs written into place: every file or none, each headed by what the clerk must review."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from pipeline.decree.labels import PLACEHOLDER
from pipeline.importer.yamlout import REVIEW, dump

HEADER = ("Nhập từ tệp {src} bằng 'vanban import'.\n"
          f"Dòng có chú thích '{REVIEW}' là chỗ chương trình không chắc: hãy đọc lại, sửa, rồi xóa chú thích.\n"
          f"Dòng có '{PLACEHOLDER}' là chỗ văn bản gốc không có thông tin: hãy điền.")


def write_inputs(result, source: Path, target: Path) -> dict[str, list[tuple[int, str]]]:
    """All files into a temporary folder beside ``target``, then renamed into place: all or nothing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".vanban-import-", dir=target.parent))
    notes: dict[str, list[tuple[int, str]]] = {}
    try:
        for rel, data in result.files.items():
            head = HEADER.format(src=source.name)
            if rel == "plan.yaml" and result.summary.targets and result.summary.kind == "plan":
                head += "\n\n" + targets_comment(result.summary.targets)
            text, found = dump(data, head)
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")  # LF on every platform
            notes[rel] = found
        if target.exists():
            target.rmdir()  # empty (checked before)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return notes


def targets_comment(hints: list[str]) -> str:
    lines = ["Gợi ý chỉ tiêu: các tỷ lệ % trong văn bản có thể là chỉ tiêu. Khai báo mỗi chỉ tiêu một lần ở",
             "'targets' (xem README), rồi trong lời văn thay con số bằng {ct:mã}. Tìm thấy:"]
    lines += [f"  {h}" for h in hints]
    return "\n".join(lines)
