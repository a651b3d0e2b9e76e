"""The ``vanban`` program ends as soon as its command has (``cli.run``): the exit code is the
command's, nothing it printed is lost, and nothing an ``atexit`` handler does is skipped."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from pipeline import cli
from pipeline.errors import EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE
from tests.conftest import INPUTS, OUTPUTS, ROOT


def vanban(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, cwd=ROOT, **kw)


def test_the_exit_code_is_the_commands():
    assert vanban("--version").returncode == EXIT_OK
    assert vanban("no-such-command").returncode == EXIT_USAGE
    bad = vanban("build", "--inputs", str(ROOT / "no-such-folder"), "--check")
    assert bad.returncode == EXIT_INVALID_INPUT
    assert "không có thư mục đầu vào này" in bad.stderr.decode("utf-8")
    assert vanban("check", str(ROOT / "README.md")).returncode == EXIT_INVALID_INPUT  # not a Word file


def test_everything_printed_reaches_the_pipe_as_click_s_own_runner_sees_it():
    """Much output, read through a pipe: the process ends only after the last byte is out."""
    doc = str(OUTPUTS / "ke-hoach-cchc.docx")
    piped = vanban("textconv", doc)
    assert piped.returncode == EXIT_OK
    inside = CliRunner().invoke(cli.main, ["textconv", doc])
    assert len(piped.stdout) > 20_000
    assert piped.stdout.decode("utf-8") == inside.output


def test_a_reader_that_stops_early_gets_no_traceback():
    doc = str(OUTPUTS / "ke-hoach-cchc.docx")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "textconv", doc], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read().decode("utf-8")
    proc.wait(timeout=60)
    assert "Traceback" not in err


def test_atexit_handlers_registered_by_a_command_still_run(tmp_path):
    """The quick end is the last handler: one a library registers during the command runs first."""
    mark = tmp_path / "ran"
    code = ("import atexit, sys\nfrom pipeline import cli\n"
            "@cli.main.command('mark')\ndef mark():\n"
            f"    atexit.register(lambda: open({str(mark)!r}, 'w').write('yes'))\n"
            "sys.argv = ['vanban', 'mark']\ncli.run()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT)
    assert proc.returncode == EXIT_OK, proc.stderr
    assert mark.read_text() == "yes"


def test_lint_output_through_the_program_is_the_runner_s():
    piped = vanban("lint", "--inputs", str(INPUTS))
    inside = CliRunner().invoke(cli.main, ["lint", "--inputs", str(INPUTS)])
    assert piped.returncode == inside.exit_code
    assert piped.stdout.decode("utf-8") == inside.stdout
