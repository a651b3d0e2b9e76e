"""``vanban import FILE.docx --out DIR``: a commune's own Word plan becomes vanban's inputs.

The file is read by ``pipeline.docread`` (the reader ``vanban check`` uses too); ``assemble`` maps
what it finds onto the inputs' model — header, title, bases, the sections with their hand-typed
numbers dropped, appendix tables under any of the usual headings, units, deadlines, signature and
recipients. Nothing is dropped: what cannot be mapped exactly is kept verbatim with a
``# CẦN KIỂM TRA: …`` comment on its line. The new inputs are then linted, so the source file's own
slips come back as a to-do list with file and line.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import click

from pipeline import errors as E

HEADER = ("Nhập từ tệp {src} bằng 'vanban import'.\n"
          "Dòng có chú thích 'CẦN KIỂM TRA' là chỗ chương trình không chắc: hãy đọc lại, sửa, rồi xóa chú thích.\n"
          "Dòng có 'CẦN ĐIỀN' là chỗ văn bản gốc không có thông tin: hãy điền.")


def _fail(message: str, code: int) -> None:
    click.echo(f"Lỗi: {message}", err=True)
    sys.exit(code)


def read_document(path: Path):
    from pipeline.docread import ConversionError, read
    from pipeline.ooxml.safezip import BadDocx, unreadable_errors

    if not path.is_file():
        _fail(f"không có tệp '{path}'", E.EXIT_INVALID_INPUT)
    if path.suffix.lower() not in (".docx", ".doc", ".docm"):
        _fail(f"'{path.name}' không phải tệp Word (.docx hoặc .doc)", E.EXIT_INVALID_INPUT)
    try:
        return read(path)
    except ConversionError as exc:
        _fail(str(exc), E.EXIT_EXTERNAL)
    except unreadable_errors() as exc:  # the file is not a readable Word package
        what = str(exc) if isinstance(exc, BadDocx) else \
            f"không đọc được '{path.name}' như một tệp Word (.docx): tệp hỏng hoặc không phải văn bản Word"
        _fail(f"{what} — hãy mở bằng Word và lưu lại dạng .docx", E.EXIT_INVALID_INPUT)


def write_inputs(result, source: Path, target: Path) -> dict[str, list[tuple[int, str]]]:
    """All files into a temporary folder beside ``target``, then renamed into place: all or nothing."""
    from pipeline.importer.yamlout import dump

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
            path.write_text(text, encoding="utf-8")
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


@click.command(name="import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Thư mục ghi kết quả: dữ liệu đầu vào được ghi vào <--out>/inputs.")
def import_command(source: Path, out_dir: Path) -> None:
    """Chuyển tệp Word kế hoạch (hoặc kế hoạch triển khai) của xã thành dữ liệu đầu vào YAML."""
    from pipeline.importer.assemble import Assembler
    from pipeline.importer.summary import print_summary, todo_list

    target = out_dir / "inputs"
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        click.echo(f"Không ghi gì cả: thư mục {target} đã có dữ liệu. Chọn --out khác, hoặc tự xóa thư mục đó "
                   "nếu chắc chắn không cần.", err=True)
        sys.exit(E.EXIT_REFUSED)
    doc = read_document(source)
    result = Assembler(doc, source.stem).run()
    notes = write_inputs(result, source, target)
    try:
        print_summary(result, source, target)
        errors = todo_list(target, notes)
    except BrokenPipeError:  # the output piped into a pager or `head` that stopped reading: files are written
        sys.stdout = open(os.devnull, "w")
        errors = 0
    sys.exit(E.EXIT_FINDINGS if errors else E.EXIT_OK)
