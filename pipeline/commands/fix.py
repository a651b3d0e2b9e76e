"""``vanban fix FILE [-o OUT]``: the decree's format faults of a Word file that ``check`` finds and the
decree settles outright, mended into a new file as Word tracked changes (``pipeline.fix``).

Prints what was mended (rule, place, from → to) and what the result still breaks, for a person; ``--format
json`` for another tool. Exit codes (README): 0 when nothing is left for a person, 1 when something is
(``errors.Findings``), 2 for bad usage (an output over the source), 3 when the file is not a readable Word
document, 4 when a .doc could not be converted or the output cannot be written, 5 when the output exists
(without ``--force``).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from pipeline import errors as E


def result_lines(res) -> list[str]:
    name = str(res.source)
    if res.output is None:
        out = [f"{name}: không có lỗi thể thức nào sửa được tự động; không ghi tệp mới."]
    else:
        out = [f"{name}: đã sửa {len(res.changes)} chỗ, ghi vào {res.output} (mỗi chỗ là một thay đổi được "
               "theo dõi của “vanban”: mở bằng Word, thẻ Xem lại — Review — để chấp nhận hoặc từ chối)."]
        out += [f"  đã sửa {c.rule} [{c.where}]: {c.before} → {c.after}" for c in res.changes]
    left = res.left()
    if left:
        out.append(f"{name}: còn {len(left)} điểm cần người xem:")
        out += ["  " + f.format(name).split(": ", 1)[1] for f in left]
    else:
        out.append(f"{name}: không còn lỗi thể thức.")
    return out


def result_json(res) -> str:
    return json.dumps({"file": str(res.source), "output": str(res.output) if res.output else None,
                       "fixed": [asdict(c) for c in res.changes], "left": [asdict(f) for f in res.left()]},
                      ensure_ascii=False, indent=2)


@click.command("fix")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Tệp kết quả (.docx). Mặc định: TÊN.fixed.docx bên cạnh tệp gốc.")
@click.option("--accept", is_flag=True, help="Ghi các sửa đổi đã chấp nhận sẵn (không hiện thay đổi được theo dõi).")
@click.option("--force", is_flag=True, help="Ghi đè tệp kết quả nếu đã có.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: từng dòng cho người đọc; json: cho công cụ khác.")
def fix_command(source: Path, out_file: Path | None, accept: bool, force: bool, fmt: str) -> None:
    """Sửa lỗi thể thức của tệp Word theo Nghị định 30/2020/NĐ-CP, ghi tệp mới với thay đổi được theo dõi."""
    from pipeline.docread.convert import ConversionError
    from pipeline.fix.run import fix_file

    try:
        res = fix_file(source, out_file, accept=accept, force=force)
    except ConversionError as exc:
        raise E.ExternalToolError(str(exc)) from exc
    try:
        if fmt == "json":
            click.echo(result_json(res))
        else:
            for line in result_lines(res):
                click.echo(line)
    except BrokenPipeError:
        E.close_output()
    if any(f.severity == "error" for f in res.left()):
        raise E.Findings()
