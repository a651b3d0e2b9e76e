"""``vanban check FILE…``: each Word file checked against Nghị định 30/2020/NĐ-CP (``pipeline.check``),
reported line by line for a person or as JSON for another tool.

Exit codes (README): 0 when no file breaks the decree, 1 when one does (``errors.Findings``), 3 when a
file is not a readable Word document (``errors.UnreadableFiles``; its report says so), 4 when a .doc
could not be converted by LibreOffice (``errors.ExternalToolError``). Output piped into a reader that
stops early (``| head -1``) ends quietly, with the same code.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from pipeline import errors as E


def report_lines(report) -> list[str]:
    """One file's report for a person: what it was read as, its verdict, each finding, what was not judged."""
    out = [f"{report.file}: đọc như {report.kind}"]
    if not any(f.severity == "error" for f in report.findings):
        out.append(f"{report.file}: đúng thể thức (không phát hiện lỗi)")
    out += [f.format(report.file) for f in report.findings]
    out += [f"{report.file}: chưa đánh giá {x['rule']}: {x['why']}" for x in report.not_evaluated]
    return out


def report_json(reports) -> str:
    return json.dumps({r.file: {"kind": r.kind, "findings": [asdict(x) for x in r.findings],
                                "not_evaluated": r.not_evaluated} for r in reports}, ensure_ascii=False, indent=2)


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: từng dòng cho người đọc; json: cho công cụ khác.")
@click.option("--schema/--no-schema", default=None,
              help="Soát cả lược đồ OOXML (Word có phải “sửa” tệp khi mở không); chậm hơn. Mặc định: soát "
                   "tệp dưới 2 MB XML, tệp lớn hơn thì không (ghi trong mục chưa đánh giá).")
def check_command(files: tuple[Path, ...], fmt: str, schema: bool | None) -> None:
    """Kiểm tra thể thức văn bản Word (.docx, .doc) theo Nghị định 30/2020/NĐ-CP."""
    from pipeline.check.file import check_path
    from pipeline.docread.convert import ConversionError

    reports = []
    for f in files:
        try:
            reports.append(check_path(f, schema=schema))
        except ConversionError as exc:
            raise E.ExternalToolError(str(exc)) from exc
    try:
        if fmt == "json":
            click.echo(report_json(reports))
        else:
            for r in reports:
                for line in report_lines(r):
                    click.echo(line)
            click.echo(f"{len(reports)} tệp; {sum(r.errors() for r in reports)} lỗi thể thức.")
    except BrokenPipeError:  # piped into `head` or a pager that stopped reading: end quietly, with our code
        E.close_output()
    if any(f.rule == "file.unreadable" for r in reports for f in r.findings):
        raise E.UnreadableFiles()  # a file that is not a readable Word document: bad input
    if any(r.errors() for r in reports):
        raise E.Findings()
