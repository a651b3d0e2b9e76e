"""The ``vanban`` command line (click). Messages are Vietnamese; see README for exit codes.

Heavy libraries (docxtpl, docxcompose, lxml) are imported inside the commands
that need them, so ``vanban --help`` and the lint start fast.
"""

from __future__ import annotations

import importlib

import click

from pipeline import errors as E
from pipeline.commands.i18n import use_vietnamese

def utf8_output() -> None:
    """Everything vanban prints is UTF-8, whatever the console's code page and wherever it goes.

    On Windows, Python writes to a console window in Unicode, but to a file, a pipe, ``| more`` or a
    pre-commit hook in the ANSI code page (cp1258, cp1252, …), which has no letter for most of
    Vietnamese: the first message would end the command with a ``UnicodeEncodeError``. Both streams
    are made UTF-8 before anything is printed; click's ``echo`` and rich's consoles write to
    ``sys.stdout``/``sys.stderr`` when they print, so they follow. A character UTF-8 cannot carry (a
    lone surrogate from an undecodable file name) is written as an escape rather than ending the
    command. (``run`` hands the same choice on to the Python processes the program starts.)
    """
    import codecs
    import sys

    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:  # no stream (pythonw), or one a test put there
            continue
        try:
            if codecs.lookup(stream.encoding).name != "utf-8" or stream.errors == "strict":
                reconfigure(encoding="utf-8", errors="backslashreplace")
        except (AttributeError, LookupError, TypeError, ValueError, OSError):
            pass  # a closed or foreign stream: left as it is


class VanbanFormatter(click.HelpFormatter):
    """Help set for Vietnamese: its sentences run longer than English ones, so lines may too."""

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None):
        super().__init__(indent_increment, width, max_width or 100)


class VanbanContext(click.Context):
    formatter_class = VanbanFormatter


# Commands that live in their own modules: "name": "module:attribute". They are
# imported only when run, so one command's heavy imports never slow another.
LAZY_COMMANDS: dict[str, str] = {
    "build": "pipeline.commands.build:build",
    "calendar": "pipeline.commands.calendar:calendar_command",
    "lint": "pipeline.commands.lint:lint_command",
    "check": "pipeline.commands.check:check_command",
    "fix": "pipeline.commands.fix:fix_command",
    "pdf": "pipeline.commands.pdf:pdf_command",
    "init": "pipeline.commands.init:init_command",
    "schema": "pipeline.commands.schema:schema_command",
    "textconv": "pipeline.commands.textconv:textconv_command",
    "git-setup": "pipeline.commands.git_setup:git_setup",
    "diff": "pipeline.commands.diff:diff_command",
    "import": "pipeline.commands.import_:import_command",
    "watch": "pipeline.commands.watch:watch_command",
    "issue": "pipeline.commands.issue:issue_command",
    "register": "pipeline.commands.register:register_command",
    "serve": "pipeline.commands.serve:serve_command",
}
# The first paragraph of each lazy command's help: `vanban --help` lists them from here and
# imports none of them (lint and calendar would load the pydantic models: ~0.25 s).
# tests/test_cold_start.py fails when one differs from the command's own help.
LAZY_HELP: dict[str, str] = {
    "build": "Tạo lại toàn bộ văn bản từ dữ liệu đầu vào (một xã, hoặc nhiều xã song song).",
    "calendar": "Lịch các thời hạn và báo cáo của kế hoạch: quá hạn, sắp đến hạn.",
    "lint": "Soát lỗi dữ liệu đầu vào: chính tả, trích dẫn văn bản, ngày tháng, chỉ tiêu, số mục.",
    "check": "Kiểm tra thể thức văn bản Word (.docx, .doc) theo Nghị định 30/2020/NĐ-CP.",
    "fix": "Sửa lỗi thể thức của tệp Word theo Nghị định 30/2020/NĐ-CP, ghi tệp mới với thay đổi được theo dõi.",
    "pdf": "Chuyển văn bản Word sang PDF: chỉ những văn bản đã thay đổi, mỗi lõi CPU một tiến trình LibreOffice.",
    "init": "Tạo bộ dữ liệu đầu vào cho một xã mới, hoặc cho kỳ kế hoạch tiếp theo từ dữ liệu kỳ này (--from).",
    "schema": "Ghi JSON Schema của các tệp đầu vào (để VS Code gợi ý và gạch chân lỗi).",
    "textconv": "In nội dung văn bản Word (.docx) dưới dạng chữ, mỗi đoạn một dòng (dùng cho git diff).",
    "git-setup": "Cho git hiển thị thay đổi trong văn bản Word (.docx) dưới dạng chữ (git diff, git log -p, git show).",
    "diff": "So sánh văn bản: hai tệp, hai thư mục, hoặc hai phiên bản git của thư mục kết quả.",
    "import": "Chuyển tệp Word kế hoạch (hoặc kế hoạch triển khai) của xã thành dữ liệu đầu vào YAML.",
    "watch": "Tạo văn bản, rồi tạo lại ngay mỗi khi lưu một tệp đầu vào (Ctrl+C để dừng).",
    "issue": "Ghi nhận văn bản đã ký, vào sổ (số, ngày) và ban hành; từ đó vanban giữ nguyên văn bản này.",
    "register": "Sổ đăng ký văn bản đi: các văn bản đã ban hành (số, ngày, trích yếu, tệp); xuất ra Excel.",
    "serve": "Mở bàn làm việc của xã trong trình duyệt: sửa dữ liệu bằng biểu mẫu, xem văn bản, lưu phiên bản.",
}


# How help names what follows a command and what each option takes ("--out THƯ_MỤC"), also in click's
# messages ("thiếu tham số 'TỆP...'"): by the parameter's name in the commands' code, else by its type
# (``vietnamese_metavars``). A choice shows its values ("[text|json]"), a flag takes none.
OPTIONS_METAVAR = "[TÙY_CHỌN]"
SUBCOMMAND_METAVAR = "LỆNH [THAM_SỐ]..."
METAVARS: dict[str, str] = {
    "inputs_dir": "THƯ_MỤC", "inputs_dirs": "THƯ_MỤC", "out_dir": "THƯ_MỤC", "out_root": "THƯ_MỤC",
    "pdf_dir": "THƯ_MỤC", "out": "THƯ_MỤC", "target": "THƯ_MỤC",
    "files": "TỆP", "source": "TỆP", "ics_path": "TỆP", "redline_path": "TỆP_HOẶC_THƯ_MỤC",
    "old": "CŨ", "new": "MỚI", "commune": "TÊN", "province": "TÊN", "today": "NGÀY", "soon_days": "SỐ_NGÀY",
    "timeout": "GIÂY", "interval": "GIÂY", "jobs": "SỐ", "context": "SỐ_DÒNG", "doc_filter": "CHUỖI",
    "command": "LỆNH", "folder": "THƯ_MỤC", "port": "CỔNG", "password": "MẬT_KHẨU",
    "document": "VĂN_BẢN", "number": "SỐ/KÝ_HIỆU", "issued_on": "NGÀY", "adopted": "TỆP",
    "xlsx_path": "TỆP",
}
METAVARS_BY_TYPE: dict[type, str] = {click.Path: "ĐƯỜNG_DẪN", click.types.IntParamType: "SỐ",
                                     click.types.FloatParamType: "SỐ", click.DateTime: "NGÀY"}


def vietnamese_metavars(command: click.Command) -> click.Command:
    """``command`` with its help's words for the values it takes in Vietnamese, where click would say
    ``[OPTIONS]``, ``PATH``, ``TEXT``, ``INTEGER``, ``FILES...``."""
    if command.options_metavar == "[OPTIONS]":
        command.options_metavar = OPTIONS_METAVAR
    for param in command.params:
        if param.metavar is not None or isinstance(param.type, click.Choice) or getattr(param, "is_flag", False):
            continue
        word = METAVARS.get(param.name or "") or next(
            (w for kind, w in METAVARS_BY_TYPE.items() if isinstance(param.type, kind)), "GIÁ_TRỊ")
        if isinstance(param, click.Argument):  # click writes an argument's metavar as given
            word = (word if param.required else f"[{word}]") + ("..." if param.nargs != 1 else "")
        param.metavar = word
    return command


class VanbanGroup(click.Group):
    """vanban's commands: click's messages in Vietnamese, commands loaded when run, bugs exit 70.

    Our failures are ``click.ClickException`` subclasses (``pipeline.errors``) that carry their exit
    code; click's standalone mode shows them and exits. Any other exception is a bug.
    """

    context_class = VanbanContext

    def main(self, *args, **kwargs):
        utf8_output()
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
        return vietnamese_metavars(command)

    def resolve_command(self, ctx, args):
        """click suggests a close name from the commands it holds; ours are loaded when run."""
        name = click.utils.make_str(args[0])
        if not ctx.resilient_parsing and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise click.exceptions.NoSuchCommand(name, possibilities=self.list_commands(ctx), ctx=ctx)
        return super().resolve_command(ctx, args)

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
        except BrokenPipeError:  # the output's reader stopped reading (`| head`, a pager quit early)
            _discard_output()
            raise click.exceptions.Exit(E.EXIT_EXTERNAL) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort, EOFError, SystemExit):
            raise
        except Exception as exc:  # a bug: say so plainly, keep the traceback for maintainers
            raise E.Bug(exc) from exc


@click.group(name="vanban", cls=VanbanGroup, context_settings={"help_option_names": ["-h", "--help"]},
             options_metavar=OPTIONS_METAVAR, subcommand_metavar=SUBCOMMAND_METAVAR)
@click.version_option(package_name="vanban", message="vanban %(version)s", help="Hiện phiên bản rồi thoát.")
def main() -> None:
    """vanban — soạn văn bản của UBND xã theo Nghị định 30/2020/NĐ-CP từ dữ liệu YAML."""


def _discard_output() -> None:
    """Standard output goes nowhere from now on: nobody reads it, and what is still buffered would
    fail again when the program ends."""
    import os
    import sys

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no file behind it (click's test runner)
        pass


def run() -> None:
    """The ``vanban`` program (its console script, and ``python -m pipeline``): a command, then a quick end.

    Once a command has returned, its files are written and closed; Python then joins the threads
    still running and calls every ``atexit`` handler, and would go on to free every module and
    object one by one: 60–100 ms after a build (the input models, the templates, the documents).
    The handler registered here flushes the output and ends the process with the command's exit
    code. Handlers run last-registered first, so every handler a command or library registers
    while the command runs still runs before it; one registered before ``run`` was called would
    not. Coverage measurement (``coverage run``, or its subprocess hook) and profilers register
    theirs that early, so with either loaded the program ends the ordinary way (``_quick_end_safe``).
    An uncaught exception is not a command's end: Python's own exit takes it. ``main`` itself
    (click's testing runner calls it) ends as any click program does.
    """
    import atexit
    import os

    # Python processes started from here (the batch's workers, where processes are spawned as on
    # Windows) write UTF-8 too, as ``utf8_output`` makes this one.
    os.environ["PYTHONIOENCODING"] = "utf-8:backslashreplace"
    status: list[int] = []

    def end_now() -> None:
        import sys

        if not status or not _quick_end_safe():
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


def _quick_end_safe() -> bool:
    """No exit handler registered before ``run`` must run: no coverage measurement, no trace or profile."""
    import sys

    return "coverage" not in sys.modules and sys.gettrace() is None and sys.getprofile() is None
