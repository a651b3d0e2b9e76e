"""A command loads only what it needs (issue 17): which libraries each command imports, in a fresh
interpreter. Speed itself is measured by bench/run.py, never here."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from pipeline import cli
from tests.conftest import INPUTS, OUTPUTS, ROOT

HEAVY = ("pydantic", "docx", "docxtpl", "docxcompose", "jinja2", "lxml", "rich", "yaml", "urllib.request", "asyncio")


def loaded_by(*args: str) -> set[str]:
    """The heavy libraries a fresh `vanban ARGS` has imported by the time it exits."""
    code = ("import json, sys\nfrom pipeline.cli import main\nsys.argv = ['vanban'] + sys.argv[1:]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print('MODULES=' + json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    line = [l for l in proc.stdout.splitlines() if l.startswith("MODULES=")]
    assert line, proc.stdout + proc.stderr
    return set(json.loads(line[-1][len("MODULES="):]))


def test_help_lists_the_lazy_commands_as_their_own_help_says(monkeypatch):
    import click

    assert set(cli.LAZY_HELP) == set(cli.LAZY_COMMANDS)
    ctx = click.Context(cli.main)
    for name, first_paragraph in cli.LAZY_HELP.items():
        assert cli.main.get_command(ctx, name).help.split("\n\n")[0] == first_paragraph, name
    listed = CliRunner().invoke(cli.main, ["--help"], terminal_width=100)
    monkeypatch.setattr(cli, "LAZY_HELP", {})  # every command imported for its help
    loaded = CliRunner().invoke(cli.main, ["--help"], terminal_width=100)
    assert listed.exit_code == loaded.exit_code == 0
    assert listed.output == loaded.output


def test_help_loads_no_library_of_any_command():
    assert loaded_by("--help") == set()


def test_check_loads_neither_the_input_models_nor_the_renderer():
    assert loaded_by("check", str(OUTPUTS / "ke-hoach-cchc.docx")) & {"pydantic", "docxtpl", "docxcompose",
                                                                      "jinja2"} == set()


def test_lint_loads_neither_the_renderer_nor_word_files_nor_rich():
    loaded = loaded_by("lint", "--inputs", str(INPUTS))
    assert loaded & {"docx", "docxtpl", "docxcompose", "jinja2", "lxml", "rich"} == set()
    assert "pydantic" in loaded and "asyncio" not in loaded  # typing_extensions 4.15 imported it for pydantic


def test_a_pdf_run_with_nothing_to_convert_loads_only_the_command_line(tmp_path):
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path / "outputs"
    shutil.copytree(OUTPUTS, out, ignore=shutil.ignore_patterns("pdf", "bao-cao", "ke-hoach-con", "ke-hoach-cchc*"))
    first = CliRunner().invoke(cli.main, ["pdf", "--out", str(out)])
    assert first.exit_code == 0, first.output
    assert loaded_by("pdf", "--out", str(out)) == set()


def test_a_cold_build_loads_neither_urllib_nor_rich(tmp_path):
    """xml.sax.saxutils (for one escape function) used to bring urllib.request, http.client and ssl;
    the build's report is a list of lines, printed by click (rich costs ~0.06 s to import)."""
    loaded = loaded_by("build", "--inputs", str(INPUTS), "--out", str(tmp_path / "o"))
    assert "urllib.request" not in loaded and "rich" not in loaded


@pytest.mark.skipif(sys.platform != "linux" or len(__import__("os").sched_getaffinity(0)) < 2,
                    reason="render workers are forked on Linux with two cores or more")
def test_a_build_on_several_cores_renders_in_workers_that_import_the_renderer_themselves(tmp_path):
    """The build's own process imports the input models, loads, lints and plans; the workers it forked
    at its start import python-docx, docxtpl and docxcompose meanwhile."""
    loaded = loaded_by("build", "--inputs", str(INPUTS), "--out", str(tmp_path / "o"))
    assert (tmp_path / "o" / "ke-hoach-cchc.docx").is_file()
    assert "pydantic" in loaded and loaded & {"docx", "docxtpl", "docxcompose", "jinja2"} == set()
    serial = loaded_by("build", "--jobs", "1", "--inputs", str(INPUTS), "--out", str(tmp_path / "p"))
    assert {"docxtpl", "docxcompose"} <= serial
