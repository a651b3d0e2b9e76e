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


def test_coverage_of_a_whole_build_is_written(tmp_path):
    """``coverage run -m pipeline build``: coverage saves its data in an exit handler registered before
    vanban starts, so the quick end must not cut it off."""
    import pytest

    pytest.importorskip("coverage")
    data = tmp_path / "coverage-data"
    proc = subprocess.run([sys.executable, "-m", "coverage", "run", f"--data-file={data}", "--source=pipeline",
                           "-m", "pipeline", "build", "--inputs", str(INPUTS), "--out", str(tmp_path / "out")],
                          capture_output=True, cwd=ROOT, env={**__import__("os").environ,
                                                               "VANBAN_CACHE": str(tmp_path / "cache")})
    assert proc.returncode == EXIT_OK, proc.stderr
    assert data.is_file()
    report = subprocess.run([sys.executable, "-m", "coverage", "report", f"--data-file={data}",
                             "--include=*/build/run.py"], capture_output=True, cwd=ROOT, text=True)
    assert "build/run.py" in report.stdout  # the build's own module was measured


def test_coverage_of_a_build_started_as_a_subprocess_is_written(tmp_path):
    """Measuring subprocesses: coverage starts with the interpreter (``process_startup``, what its .pth
    hook calls) and saves its data in an exit handler registered before vanban runs."""
    import os

    import pytest

    pytest.importorskip("coverage")
    config = tmp_path / ".coveragerc"
    config.write_text(f"[run]\ndata_file = {tmp_path / 'sub-data'}\nsource = pipeline\n", encoding="utf-8")
    code = ("import coverage; coverage.process_startup()\nimport sys\nfrom pipeline.cli import run\n"
            f"sys.argv = ['vanban', 'build', '--inputs', {str(INPUTS)!r}, '--out', {str(tmp_path / 'out')!r}]\nrun()\n")
    env = {**os.environ, "COVERAGE_PROCESS_START": str(config), "VANBAN_CACHE": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, env=env)
    assert proc.returncode == EXIT_OK, proc.stderr
    assert (tmp_path / "sub-data").is_file()
