"""``vanban lint``: the findings of ``pipeline.lint.linter`` on an inputs folder, as text or JSON."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.errors import InputIssue
from pipeline.paths import near_option


def print_findings(findings: list[InputIssue], fmt: str = "text") -> None:
    """The findings on standard output, where ``vanban lint > loi.txt`` puts them (text or JSON)."""
    if fmt == "json":
        import json

        click.echo(json.dumps([f.__dict__ for f in findings], ensure_ascii=False, indent=2))
        return
    for f in findings:  # click, not rich: one coloured line each (plain in a file), and 0.03 s less to start
        click.secho(f.format(), fg="red" if f.severity == "error" else "yellow")
    errors = sum(f.severity == "error" for f in findings)
    click.echo(f"{errors} lỗi, {len(findings) - errors} cảnh báo.")


@click.command("lint", epilog=(
    "Danh sách lỗi in ra đầu ra chuẩn (stdout), nên có thể ghi vào tệp: 'vanban lint > loi.txt'. "
    "Mã thoát: 0 không có lỗi; 1 có lỗi (với --strict: cả cảnh báo); 3 dữ liệu không đọc được hết "
    "(sai cú pháp YAML, tên trường, mã không có): các lỗi đó được liệt kê như trên, sửa xong chạy lại "
    "để soát tiếp."))
@click.option("--inputs", "inputs_dir", type=click.Path(path_type=Path), default=Path("inputs"), show_default=True,
              callback=near_option, help="Thư mục dữ liệu đầu vào (YAML).")
@click.option("--strict", is_flag=True, help="Coi cảnh báo là lỗi.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Dạng kết quả: text (để đọc) hoặc json (cho trình soạn thảo, CI).")
def lint_command(inputs_dir: Path, strict: bool, fmt: str) -> None:
    """Soát lỗi dữ liệu đầu vào: chính tả, trích dẫn văn bản, ngày tháng, chỉ tiêu, số mục."""
    from pipeline.errors import Findings, InputErrors, InputErrorsShown
    from pipeline.inputs.validate import load_inputs
    from pipeline.lint.linter import lint

    try:
        findings = lint(load_inputs(inputs_dir))
    except InputErrors as exc:
        if exc.whole_sentence:
            raise  # not a finding in a file: a sentence on where to go (standard error, exit 3)
        # what stops the inputs loading (YAML syntax, field names, references) is listed as any finding,
        # in the same place and shape; the exit code (3) tells it from the lint's own findings
        print_findings(sorted(exc.issues), fmt)
        if fmt == "text":
            click.echo("Dữ liệu chưa đọc được hết nên chưa soát chính tả, trích dẫn, ngày tháng…: sửa các lỗi "
                       "trên rồi chạy lại 'vanban lint'.")
        raise InputErrorsShown(exc.issues) from exc
    print_findings(findings, fmt)
    if any(f.severity == "error" or strict for f in findings):
        raise Findings()
