"""``vanban import FILE.docx --out DIR``: a commune's own Word plan becomes vanban's inputs.

The file is read by ``pipeline.docread`` (the reader ``vanban check`` uses too); ``importer.assemble`` maps
what it finds onto the inputs' model — header, title, bases, the sections with their hand-typed
numbers dropped, appendix tables under any of the usual headings, units, deadlines, signature and
recipients. Nothing is dropped: what cannot be mapped exactly is kept verbatim with a
``# CẦN KIỂM TRA: …`` comment on its line. The new inputs are written all at once
(``importer.write``), then linted, so the source file's own slips come back as a to-do list with file
and line (``importer.summary``).

With ``--criteria`` the file is instead a province's annex of self-assessment criteria (.docx or .xlsx),
written to ``DIR/inputs/criteria/`` (``import_criteria``).

(The module is ``import_`` because ``import`` is a Python keyword; the command is ``vanban import``.)
Exit codes (README): 0, or 1 when the to-do list holds errors that stop a build (``errors.Findings``);
3 when the file is missing, not a Word file or unreadable (``errors.UnreadableDocx``); 4 when LibreOffice
could not convert a .doc (``errors.ExternalToolError``); 5 when ``DIR/inputs`` already holds files
(``errors.FolderNotEmpty``).
"""

from __future__ import annotations

from pathlib import Path

import click

from pipeline import errors as E


def read_document(path: Path):
    """The docread model of ``path``, or the error that ends the command."""
    from pipeline.docread import limits, read
    from pipeline.docread.convert import ConversionError
    from pipeline.ooxml.safezip import unreadable_errors

    if not path.is_file():
        raise E.UnreadableDocx(f"không có tệp '{path}'")
    if path.suffix.lower() not in (".docx", ".doc", ".docm"):
        raise E.UnreadableDocx(f"'{path.name}' không phải tệp Word (.docx hoặc .doc)")
    try:
        return read(path)
    except ConversionError as exc:
        raise E.ExternalToolError(str(exc)) from None
    except unreadable_errors() as exc:  # the file is not a readable Word package
        raise E.UnreadableDocx(f"{path}: {limits.why(exc, str(path))} — hãy mở bằng Word và lưu lại dạng .docx") \
            from None


@click.command(name="import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Thư mục ghi kết quả: dữ liệu đầu vào được ghi vào <--out>/inputs.")
@click.option("--criteria", is_flag=True,
              help="Tệp là phụ lục bộ tiêu chí chấm điểm của tỉnh (.docx hoặc .xlsx): ghi vào "
                   "<--out>/inputs/criteria/<--id>.yaml, thay bản dự thảo của chương trình.")
@click.option("--id", "set_id", default=None, metavar="MÃ",
              help="Với --criteria: mã bộ tiêu chí (mặc định chi_so_cchc, bộ mà báo cáo tự chấm điểm dùng).")
def import_command(source: Path, out_dir: Path, criteria: bool, set_id: str | None) -> None:
    """Chuyển tệp Word kế hoạch (hoặc kế hoạch triển khai) của xã thành dữ liệu đầu vào YAML."""
    if criteria:
        from pipeline.commands.import_criteria import import_criteria

        import_criteria(source, out_dir, set_id, read_document)
        return
    if set_id is not None:
        raise E.BadUsage("--id chỉ dùng cùng --criteria")
    from pipeline.docread import limits
    from pipeline.importer.assemble import Assembler
    from pipeline.importer.summary import print_summary, todo_list
    from pipeline.importer.write import write_inputs

    target = out_dir / "inputs"
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise E.FolderNotEmpty(f"thư mục {target} đã có dữ liệu. Chọn --out khác, hoặc tự xóa thư mục đó "
                               "nếu chắc chắn không cần.")
    with limits.budget(str(source), limits.budget_s(source)):  # reading and mapping: one time budget
        doc = read_document(source)
        try:
            result = Assembler(doc, source.stem).run()
        except limits.TooLong as exc:
            raise E.UnreadableDocx(f"{exc} — hãy mở bằng Word và lưu lại dạng .docx") from None
    notes = write_inputs(result, source, target)
    try:
        print_summary(result, source, target)
        errors = todo_list(target, notes, result.files)
    except BrokenPipeError:  # the output piped into a pager or `head` that stopped reading: files are written
        E.close_output()
        errors = 0
    if errors:
        raise E.Findings()  # the to-do list holds errors that stop a build
