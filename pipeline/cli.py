"""The ``vanban`` command line (click). Messages are Vietnamese; see README for exit codes.

Heavy libraries (docxtpl, docxcompose, lxml) are imported inside the commands
that need them, so ``vanban --help`` and the lint start fast.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

import click

from pipeline import errors as E

DEFAULT_INPUTS = Path("inputs")
DEFAULT_OUT = Path("outputs")


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _escape(exc: Exception) -> str:
    from rich.markup import escape

    return escape(str(exc))


def report_input_errors(exc: E.InputErrors) -> None:
    err = _console(stderr=True)
    n = sum(1 for i in exc.issues if i.severity == "error")
    w = len(exc.issues) - n
    counts = f"{n} lỗi" + (f", {w} cảnh báo" if w else "")
    err.print(f"[bold red]Dữ liệu đầu vào có {counts}[/] — không tạo văn bản nào, thư mục kết quả giữ nguyên:")
    for issue in sorted(exc.issues):
        err.print(issue.format(), markup=False)


def report_refused(exc: E.RefusedOverwrite) -> None:
    err = _console(stderr=True)
    err.print(f"[bold red]Không ghi gì cả:[/] {len(exc.paths)} văn bản đã bị sửa tay sau lần vanban tạo ra nó, "
              "ghi đè sẽ làm mất phần sửa đó:")
    for p in exc.paths:
        err.print(f"  sửa tay:  {p}", markup=False)
    err.print("Muốn giữ phần sửa: đưa nội dung đó vào dữ liệu đầu vào (các tệp YAML trong thư mục inputs) "
              "rồi chạy lại 'vanban build'. Xem phần đã sửa: 'vanban diff' (so với lần commit gần nhất).")
    err.print("Muốn bỏ phần sửa và tạo lại: 'vanban build --force' — bản sửa tay được lưu sang thư mục "
              ".backup bên cạnh trước khi ghi đè.", markup=False)


# click's own words, in Vietnamese: help headings and the usual usage errors.
HEADINGS = {"Options": "Tùy chọn", "Commands": "Lệnh", "Arguments": "Tham số"}
USAGE_ERRORS = [
    (r"No such option:? '?(.+?)'?\.?(?: Did you mean '?(.+?)'?\?)?$",
     lambda m: f"không có tùy chọn {m[1]}" + (f" (có phải ý là {m[2]}?)" if m[2] else "")),
    (r"No such command '(.+?)'\.(?: Did you mean '(.+?)'\?)?$",
     lambda m: f"không có lệnh '{m[1]}'" + (f" (có phải ý là '{m[2]}'?)" if m[2] else " (xem 'vanban --help')")),
    (r"Missing argument '(.+)'\.$", lambda m: f"thiếu tham số {m[1]}"),
    (r"Missing option '(.+)'\.$", lambda m: f"thiếu tùy chọn {m[1]}"),
    (r"Option '(.+)' requires an argument\.$", lambda m: f"tùy chọn {m[1]} cần một giá trị"),
    (r"Invalid value for (.+?): '(.+)' does not match the formats? (.+)\.$",
     lambda m: f"giá trị không hợp lệ cho {m[1]}: '{m[2]}' không đúng dạng {m[3]}"),
    (r"Invalid value for (.+?): (.+)$", lambda m: f"giá trị không hợp lệ cho {m[1]}: {m[2]}"),
    (r"Got unexpected extra arguments? \((.+)\)$", lambda m: f"thừa tham số: {m[1]}"),
]


def usage_message(message: str) -> str:
    import re

    for pattern, say in USAGE_ERRORS:
        found = re.match(pattern, message.strip())
        if found:
            return say(found)
    return message


class VietnameseFormatter(click.HelpFormatter):
    def write_usage(self, prog, args="", prefix=None):
        super().write_usage(prog, args, prefix="Cách dùng: " if prefix is None else prefix)

    def write_heading(self, heading):
        super().write_heading(HEADINGS.get(heading, heading))


click.Context.formatter_class = VietnameseFormatter
_help_option = click.Command.get_help_option


def _vietnamese_help_option(self, ctx):
    option = _help_option(self, ctx)
    if option is not None:
        option.help = "Hiện hướng dẫn này rồi thoát."
    return option


click.Command.get_help_option = _vietnamese_help_option  # every command, the lazily loaded ones too


# Commands that live in their own modules: "name": "module:attribute". They are
# imported only when run, so one command's heavy imports never slow another.
LAZY_COMMANDS: dict[str, str] = {
    "calendar": "pipeline.agenda:calendar_command",
    "lint": "pipeline.lint:lint_command",
    "check": "pipeline.check:check_command",
    "pdf": "pipeline.pdf:pdf_command",
    "init": "pipeline.scaffold:init_command",
    "schema": "pipeline.schema:schema_command",
    "textconv": "pipeline.textconv:textconv_command",
    "git-setup": "pipeline.gitdiff:git_setup",
    "diff": "pipeline.gitdiff:diff_command",
    "import": "pipeline.importer:import_command",
}
# The first paragraph of each lazy command's help: `vanban --help` lists them from here and
# imports none of them (lint and calendar would load the pydantic models: ~0.25 s).
# tests/test_cold_start.py fails when one differs from the command's own help.
LAZY_HELP: dict[str, str] = {
    "calendar": "Lịch các thời hạn và báo cáo của kế hoạch: quá hạn, sắp đến hạn.",
    "lint": "Soát lỗi dữ liệu đầu vào: chính tả, trích dẫn văn bản, ngày tháng, chỉ tiêu, số mục.",
    "check": "Kiểm tra thể thức văn bản Word (.docx, .doc) theo Nghị định 30/2020/NĐ-CP.",
    "pdf": "Chuyển văn bản Word sang PDF: chỉ những văn bản đã thay đổi, mỗi lõi CPU một tiến trình LibreOffice.",
    "init": "Tạo bộ dữ liệu đầu vào cho một xã mới (sửa các chỗ 'CẦN ĐIỀN' rồi chạy vanban build).",
    "schema": "Ghi JSON Schema của các tệp đầu vào (để VS Code gợi ý và gạch chân lỗi).",
    "textconv": "In nội dung văn bản Word (.docx) dưới dạng chữ, mỗi đoạn một dòng (dùng cho git diff).",
    "git-setup": "Cho git hiển thị thay đổi trong văn bản Word (.docx) dưới dạng chữ (git diff, git log -p, git show).",
    "diff": "So sánh văn bản: hai tệp, hai thư mục, hoặc hai phiên bản git của thư mục kết quả.",
    "import": "Chuyển tệp Word kế hoạch (hoặc kế hoạch triển khai) của xã thành dữ liệu đầu vào YAML.",
}


class VanbanGroup(click.Group):
    """Turns our exceptions into Vietnamese messages and exit codes; loads commands lazily."""

    def main(self, *args, **kwargs):
        kwargs.setdefault("standalone_mode", True)
        try:
            return super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.UsageError as exc:
            if exc.ctx is not None:
                click.echo(exc.ctx.get_usage(), err=True)
            click.echo(f"Lỗi: {usage_message(exc.format_message())}", err=True)
            sys.exit(E.EXIT_USAGE)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("Đã dừng.", err=True)
            sys.exit(1)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx, name):
        if name in LAZY_COMMANDS:
            if ctx.meta.get("vanban.listing") and name in LAZY_HELP:
                return click.Command(name, help=LAZY_HELP[name])
            module, attr = LAZY_COMMANDS[name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        """Click's list of commands; the lazy ones are described from ``LAZY_HELP``, not imported."""
        ctx.meta["vanban.listing"] = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            ctx.meta.pop("vanban.listing", None)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except E.InputErrors as exc:
            report_input_errors(exc)
            sys.exit(E.EXIT_INVALID_INPUT)
        except E.EnvironmentFault as exc:  # the disk or a folder refused: nothing was changed
            _console(stderr=True).print(f"[bold red]Không ghi được:[/] {_escape(exc)}")
            sys.exit(E.EXIT_EXTERNAL)
        except E.BadDocx as exc:  # a damaged or hostile .docx, refused by the reading layer
            _console(stderr=True).print(f"[bold red]Tệp Word không đọc được:[/] {_escape(exc)}")
            sys.exit(E.EXIT_INVALID_INPUT)
        except E.ExternalToolError as exc:
            _console(stderr=True).print(f"[bold red]Lỗi công cụ bên ngoài:[/] {exc}")
            sys.exit(E.EXIT_EXTERNAL)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as exc:  # a bug: say so plainly, keep the traceback for maintainers
            from pipeline.render import TemplateProblem

            if isinstance(exc, TemplateProblem):
                _console(stderr=True).print(f"[bold red]Lỗi mẫu văn bản:[/] {exc}", markup=True)
                sys.exit(E.EXIT_INVALID_INPUT)
            err = _console(stderr=True)
            err.print("[bold red]Lỗi nội bộ của vanban[/] (lỗi phần mềm, không phải do dữ liệu). "
                      "Hãy gửi nội dung dưới đây cho người bảo trì:")
            import traceback

            traceback.print_exc()
            sys.exit(E.EXIT_CRASH)


@click.group(name="vanban", cls=VanbanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vanban", message="vanban %(version)s")
def main() -> None:
    """vanban — soạn văn bản của UBND xã theo Nghị định 30/2020/NĐ-CP từ dữ liệu YAML."""


@main.command()
@click.option("--inputs", "inputs_dirs", type=click.Path(path_type=Path), multiple=True,
              help="Thư mục dữ liệu đầu vào (YAML); mặc định 'inputs'. Nhiều xã: nhắc lại --inputs, "
                   "hoặc --inputs 'communes/*/inputs'.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Thư mục ghi văn bản; mặc định 'outputs' (nhiều xã: 'outputs' cạnh mỗi thư mục inputs).")
@click.option("--check", is_flag=True, help="Không ghi gì; báo lỗi nếu văn bản trong --out khác bản dựng mới.")
@click.option("--force", is_flag=True,
              help="Ghi đè cả văn bản đã bị sửa tay (bản sửa tay được lưu vào <--out>/.backup/ trước).")
@click.option("--strict", is_flag=True, help="Dừng cả khi soát lỗi (lint) chỉ có cảnh báo.")
@click.option("--pdf", "make_pdf", is_flag=True, help="Chuyển thêm mọi văn bản sang PDF (thư mục <--out>/pdf).")
@click.option("--pdf-backend", type=click.Choice(["auto", "libreoffice", "word"]), default="auto", show_default=True,
              help="Công cụ tạo PDF: LibreOffice, hoặc Word (Windows/macOS).")
@click.option("--jobs", type=int, default=0, help="Số tiến trình song song khi dựng nhiều xã (mặc định: số lõi CPU).")
def build(inputs_dirs: tuple[Path, ...], out_dir: Path | None, check: bool, force: bool, strict: bool,
          make_pdf: bool, pdf_backend: str, jobs: int) -> None:
    """Tạo lại toàn bộ văn bản từ dữ liệu đầu vào (một xã, hoặc nhiều xã song song)."""
    dirs = expand_inputs(inputs_dirs) or [DEFAULT_INPUTS]
    if len(dirs) > 1:
        from pipeline.batch import batch_build

        if check or make_pdf:
            raise click.UsageError("--check và --pdf dùng cho từng xã một")
        sys.exit(batch_build(dirs, out_dir, strict=strict, force=force, jobs=jobs or None))
    inputs_dir, out_dir = dirs[0], out_dir or DEFAULT_OUT
    started = time.perf_counter()
    if check:
        check_outputs(inputs_dir, out_dir, strict)
        return
    from pipeline import manifest as mf
    from pipeline.build import run_build

    edited_before = mf.hand_edited_on_disk(out_dir) if force else []
    try:
        result = run_build(inputs_dir, out_dir, strict=strict, force=force)
    except E.RefusedOverwrite as exc:
        report_refused(exc)
        sys.exit(E.EXIT_REFUSED)
    secs = time.perf_counter() - started
    if result.unchanged_sources:  # fast path: print plainly, without loading rich
        if result.warnings:
            click.echo(f"Soát lỗi: {len(result.warnings)} cảnh báo (như lần tạo trước):", err=True)
            for line in result.warnings:
                click.echo(line, err=True)
        click.echo(f"Không có gì thay đổi: {len(result.built)} văn bản trong {out_dir} đã đúng với dữ liệu "
                   f"({secs:.2f} giây).")
    else:
        out = _console()
        if result.warnings:
            err = _console(stderr=True)
            err.print(f"[yellow]Soát lỗi: {len(result.warnings)} cảnh báo[/] (không dừng; thêm --strict để dừng):")
            for f in result.warnings:
                err.print(f.format(), markup=False)
        for rel, backup in edited_before:
            out.print(f"  [yellow]đã lưu bản sửa tay[/] {out_dir / rel} → {backup}", markup=True)
        for path, title in result.built:
            mark = "[yellow]ghi mới[/]" if path in result.changed else "[dim]không đổi[/]"
            out.print(f"  {mark}  {out_dir / path}  [dim]— {title}[/]")
        made = {p for p, _ in result.built}
        for rel in result.changed:
            if rel not in made:
                out.print(f"  [yellow]đã xóa[/]  {out_dir / rel}  [dim]— không còn trong dữ liệu đầu vào[/]")
        if result.reason:
            out.print(f"[yellow]Lý do:[/] {result.reason}")
        out.print(f"[green]Xong:[/] {len(result.built)} văn bản ({len(result.changed)} thay đổi) trong {secs:.2f} giây.")
    if make_pdf:
        from pipeline.pdf import pdf_command_impl

        pdfs = pdf_command_impl([out_dir / p for p, _ in result.built], out_dir, out_dir / "pdf", pdf_backend, 600)
        click.echo(f"PDF: {len(pdfs)} tệp trong {out_dir / 'pdf'}.")


def expand_inputs(given: tuple[Path, ...]) -> list[Path]:
    """--inputs values, with shell-style patterns expanded (Windows shells do not expand them)."""
    import glob

    out: list[Path] = []
    for p in given:
        text = str(p)
        matches = sorted(glob.glob(text)) if any(ch in text for ch in "*?[") else [text]
        out += [Path(m) for m in matches]
    return out


def check_outputs(inputs_dir: Path, out_dir: Path, strict: bool) -> None:
    """--check: build in memory, compare with what is on disk (outputs and manifest), write nothing."""
    from pipeline import manifest as mf
    from pipeline.build import build_documents, compare_outputs, has_own_templates
    from pipeline.lint import lint_gate
    from pipeline.validate import load_inputs

    inputs = load_inputs(inputs_dir)
    lint_gate(inputs, strict)
    built = build_documents(inputs)
    sources = mf.sources_for(inputs_dir)
    result = compare_outputs(built, out_dir, sources)
    stale = result["missing"] + result["differ"]
    if stale:
        err = _console(stderr=True)
        err.print(f"[bold red]{len(stale)} văn bản trong {out_dir} không khớp bản dựng mới[/] "
                  "(hãy chạy 'vanban build' rồi commit):")
        for p in result["missing"]:
            err.print(f"  thiếu:  {p}", markup=False)
        for p in result["differ"]:
            err.print(f"  khác:   {p}", markup=False)
        reason = mf.why_changed(mf.read(out_dir), sources, result["differ"], has_own_templates(inputs_dir))
        if reason:
            err.print(f"Lý do: {reason}", markup=False)
        sys.exit(E.EXIT_FINDINGS)
    _console().print(f"[green]Khớp:[/] {len(built)} văn bản trong {out_dir} đúng với bản dựng mới.")
