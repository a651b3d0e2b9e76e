"""The command line speaks Vietnamese through click's own mechanisms: gettext for click's
messages, ``ClickException`` subclasses for exit codes."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_CRASH, EXIT_INVALID_INPUT, EXIT_USAGE
from pipeline.commands.i18n import LOCALE_DIR

ROOT = Path(__file__).resolve().parent.parent
PO = LOCALE_DIR / "vi" / "LC_MESSAGES" / "vanban.po"


def _make_locale():
    spec = importlib.util.spec_from_file_location("make_locale", ROOT / "tools" / "make_locale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_catalogue_is_compiled_from_the_po_file():
    assert (PO.with_suffix(".mo")).read_bytes() == _make_locale().compiled(PO)


def test_every_translated_message_is_one_click_prints():
    import click

    used = {"required"}  # click translates this one through a variable: _(extra["required"])
    for _, _, msg, _, _ in extract_from_dir(Path(click.__file__).parent, method_map=[("**.py", "python")]):
        used.add(msg[0] if isinstance(msg, tuple) else msg)
    with PO.open("rb") as f:
        ours = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(f) if m.id}
    assert ours - used == set()


def test_help_shows_defaults_and_headings_in_vietnamese():
    out = CliRunner().invoke(main, ["calendar", "--help"]).output
    assert "Cách dùng: vanban calendar" in out and "Tùy chọn:" in out
    assert "[mặc định: 14]" in out and "default:" not in out
    assert "Hiện hướng dẫn này rồi thoát." in out
    top = CliRunner().invoke(main, ["--help"]).output
    assert "Lệnh:" in top and "Hiện phiên bản rồi thoát." in top and "Show" not in top


def test_usage_errors_are_vietnamese_with_exit_code_2():
    result = CliRunner().invoke(main, ["calendar", "--soon", "nhiều"])
    assert result.exit_code == EXIT_USAGE
    assert "Lỗi: giá trị không hợp lệ cho '--soon': 'nhiều' không phải một số hợp lệ." in result.output
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == EXIT_USAGE and "Lỗi:" in result.output and "Error" not in result.output


def test_bad_inputs_and_a_broken_template_exit_3(tmp_path):
    result = CliRunner().invoke(main, ["build", "--inputs", str(tmp_path / "khong-co"), "--out", str(tmp_path / "o")])
    assert result.exit_code == EXIT_INVALID_INPUT and "không có thư mục đầu vào này" in result.output
    shutil.copytree(ROOT / "inputs", tmp_path / "xa" / "inputs")
    shutil.copytree(ROOT / "templates", tmp_path / "xa" / "templates")
    (tmp_path / "xa" / "templates" / "kh_ubnd.docx").write_bytes(b"not a zip")
    result = CliRunner().invoke(main, ["build", "--inputs", str(tmp_path / "xa" / "inputs"),
                                       "--out", str(tmp_path / "xa" / "outputs")])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "Lỗi mẫu văn bản: mẫu kh_ubnd.docx: không phải tệp Word (.docx) hợp lệ" in result.output
    assert "zip file" not in result.output  # no English from the zip library
    assert not (tmp_path / "xa" / "outputs").exists()


def test_an_unexpected_exception_is_a_bug_exit_70_with_its_traceback():
    import click

    from pipeline.cli import VanbanGroup

    @click.group(cls=VanbanGroup)
    def group():
        pass

    @group.command()
    def divide():
        print(1 / 0)

    result = CliRunner().invoke(group, ["divide"])
    assert result.exit_code == EXIT_CRASH
    assert "Lỗi nội bộ của vanban" in result.output and "ZeroDivisionError" in result.output
