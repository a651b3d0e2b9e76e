"""The ``vanban`` command line (click). Messages are Vietnamese; see README for exit codes.

Heavy libraries (docxtpl, docxcompose, lxml) are imported inside the commands
that need them, so ``vanban --help`` and the lint start fast.
"""

from __future__ import annotations

import importlib
import time
from pathlib import Path

import click

from pipeline import errors as E
from pipeline.i18n import use_vietnamese

DEFAULT_INPUTS = Path("inputs")
DEFAULT_OUT = Path("outputs")


class VanbanFormatter(click.HelpFormatter):
    """Help set for Vietnamese: its sentences run longer than English ones, so lines may too."""

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None):
        super().__init__(indent_increment, width, max_width or 100)


class VanbanContext(click.Context):
    formatter_class = VanbanFormatter


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
    "watch": "pipeline.watch:watch_command",
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
    "watch": "Tạo văn bản, rồi tạo lại ngay mỗi khi lưu một tệp đầu vào (Ctrl+C để dừng).",
}


class VanbanGroup(click.Group):
    """vanban's commands: click's messages in Vietnamese, commands loaded when run, bugs exit 70.

    Our failures are ``click.ClickException`` subclasses (``pipeline.errors``) that carry their exit
    code; click's standalone mode shows them and exits. Any other exception is a bug.
    """

    context_class = VanbanContext

    def main(self, *args, **kwargs):
        use_vietnamese()
        return super().main(*args, **kwargs)

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx, name):
        if name not in LAZY_COMMANDS:
            return super().get_command(ctx, name)
        if ctx.meta.get("vanban.listing") and name in LAZY_HELP:
            return click.Command(name, help=LAZY_HELP[name])
        module, attr = LAZY_COMMANDS[name].split(":")
        command = getattr(importlib.import_module(module), attr)
        command.context_class = VanbanContext  # its help laid out like the group's
        return command

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
        except E.BadDocx as exc:  # a damaged or hostile .docx, refused by the reading layer
            raise E.UnreadableDocx(str(exc)) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort, EOFError, SystemExit):
            raise
        except Exception as exc:  # a bug: say so plainly, keep the traceback for maintainers
            raise E.Bug(exc) from exc


@click.group(name="vanban", cls=VanbanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vanban", message="vanban %(version)s", help="Hiện phiên bản rồi thoát.")
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
@click.option("--jobs", type=click.IntRange(min=0), default=0,
              help="Số tiến trình song song (mặc định: số lõi CPU); 1: dựng trong một tiến trình.")
@click.pass_context
def build(ctx: click.Context, inputs_dirs: tuple[Path, ...], out_dir: Path | None, check: bool, force: bool,
          strict: bool, make_pdf: bool, pdf_backend: str, jobs: int) -> None:
    """Tạo lại toàn bộ văn bản từ dữ liệu đầu vào (một xã, hoặc nhiều xã song song)."""
    from pipeline.paths import near

    dirs = expand_inputs(inputs_dirs) or [near(DEFAULT_INPUTS, "inputs")]
    if len(dirs) > 1:
        from pipeline.batch import batch_build

        if check or make_pdf:
            raise click.UsageError("--check và --pdf dùng cho từng xã một")
        ctx.exit(batch_build(dirs, out_dir, strict=strict, force=force, jobs=jobs or None))
    inputs_dir, out_dir = dirs[0], out_dir or (DEFAULT_OUT if inputs_dirs else near(DEFAULT_OUT, "outputs"))
    started = time.perf_counter()
    if check:
        check_outputs(inputs_dir, out_dir, strict)
        return
    from pipeline import manifest as mf
    from pipeline.build import run_build

    edited_before = mf.hand_edited_on_disk(out_dir) if force else []
    result = run_build(inputs_dir, out_dir, strict=strict, force=force, jobs=jobs or None)
    report_build(result, out_dir, time.perf_counter() - started, edited_before)
    if make_pdf:
        from pipeline.pdf import pdf_command_impl

        pdfs = pdf_command_impl([out_dir / p for p, _ in result.built], out_dir, out_dir / "pdf", pdf_backend, 600)
        click.echo(f"PDF: {len(pdfs)} tệp trong {out_dir / 'pdf'}.")


def report_build(result, out_dir: Path, secs: float, edited_before: list, only_changed: bool = False) -> None:
    """What a build did: each output written or unchanged (``only_changed``: those written), removed
    outputs, the lint's warnings."""
    if result.unchanged_sources:  # nothing was loaded or rendered
        if result.warnings:
            click.echo(f"Soát lỗi: {len(result.warnings)} cảnh báo (như lần tạo trước):", err=True)
            for line in result.warnings:
                click.echo(line, err=True)
        click.echo(f"Không có gì thay đổi: {len(result.built)} văn bản trong {out_dir} đã đúng với dữ liệu "
                   f"({secs:.2f} giây).")
        return
    say, Y = click.echo, _yellow
    if result.warnings:
        say(f"{Y('Soát lỗi: %d cảnh báo' % len(result.warnings))} (không dừng; thêm --strict để dừng):", err=True)
        for f in result.warnings:
            say(f.format(), err=True)
    for rel, backup in edited_before:
        say(f"  {Y('đã lưu bản sửa tay')} {out_dir / rel} → {backup}")
    for path, title in result.built:
        if only_changed and path not in result.changed:
            continue
        mark = Y("ghi mới") if path in result.changed else click.style("không đổi", dim=True)
        say(f"  {mark}  {out_dir / path}  {click.style(f'— {title}', dim=True)}")
    made = {p for p, _ in result.built}
    for rel in result.changed:
        if rel not in made:
            say(f"  {Y('đã xóa')}  {out_dir / rel}  {click.style('— không còn trong dữ liệu đầu vào', dim=True)}")
    if result.reason:
        say(f"{Y('Lý do:')} {result.reason}")
    say(f"{click.style('Xong:', fg='green')} {len(result.built)} văn bản ({len(result.changed)} thay đổi) "
        f"trong {secs:.2f} giây.")


def _yellow(text: str) -> str:
    return click.style(text, fg="yellow")


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
    from pipeline.build import check_build
    from pipeline.paths import has_own_templates

    built, result = check_build(inputs_dir, out_dir, strict)
    stale = result["missing"] + result["differ"]
    if stale:
        heading = click.style(f"{len(stale)} văn bản trong {out_dir} không khớp bản dựng mới", fg="red", bold=True)
        click.echo(f"{heading} (hãy chạy 'vanban build' rồi commit):", err=True)
        for p in result["missing"]:
            click.echo(f"  thiếu:  {p}", err=True)
        for p in result["differ"]:
            click.echo(f"  khác:   {p}", err=True)
        reason = mf.why_changed(mf.read(out_dir), mf.sources_for(inputs_dir), result["differ"],
                                has_own_templates(inputs_dir))
        if reason:
            click.echo(f"Lý do: {reason}", err=True)
        raise E.Findings()
    click.echo(f"{click.style('Khớp:', fg='green')} {len(built)} văn bản trong {out_dir} đúng với bản dựng mới.")


def run() -> None:
    """The ``vanban`` program (its console script, and ``python -m pipeline``): a command, then a quick end.

    Once a command has returned, its files are written and closed; Python then joins the threads
    still running and calls every ``atexit`` handler, and would go on to free every module and
    object one by one: 60–100 ms after a build (the input models, the templates, the documents),
    measured in ``bench/run.py``'s cold build. The handler registered here, first, is called last
    (they run in reverse order): it flushes the output and ends the process with the command's exit
    code. An uncaught exception is not a command's end: Python's own exit takes it. ``main`` itself
    (click's testing runner calls it) ends as any click program does.
    """
    import atexit

    status: list[int] = []

    def end_now() -> None:
        import os
        import sys

        if not status:
            return
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):  # a closed pipe (| head), a closed or absent stream
                pass
        os._exit(status[0])

    atexit.register(end_now)
    try:
        main()
    except SystemExit as exc:
        code = exc.code
        status.append(code if isinstance(code, int) else 0 if code is None else 1)
        raise
