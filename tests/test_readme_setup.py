"""The README's first commands as a clerk types them (issue 27): one command a line, each one a
Windows PowerShell 5.1 or cmd window (which know no ``&&``) and a bash shell run as typed; ``py`` on
Windows, ``python3`` elsewhere, in a virtual environment (Debian 12 and Ubuntu 23.04+ refuse to
install into the system's Python); the tests are the maintainers' business, with the same command
in the README as in CI."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
OFFICE, MAINTAINERS = README.split("\n## For maintainers\n")
FENCE = re.compile(r"^```\n(.*?)^```$", re.S | re.M)


def blocks(text: str) -> list[list[str]]:
    return [[line for line in b.split("\n") if line.strip()] for b in FENCE.findall(text)]


PROGRAMS = re.compile(r"^(py|python3?|pip|pipx|vanban|git|cd|brew|sudo|\.|\.venv\\\S+|~/\S+)( |$)")


def test_the_office_part_has_one_command_a_line_that_every_shell_runs():
    lines = [line for block in blocks(OFFICE) for line in block if PROGRAMS.match(line)]  # not the examples' output
    assert len(lines) > 10
    for line in lines:
        assert not re.search(r"&&|\|\||;\s|\$\(|`", line), line  # PowerShell 5.1 and cmd know none of these
    assert not any("pytest" in line for line in lines) and "pytest" not in OFFICE


def test_the_quick_start_makes_a_virtual_environment_then_installs_and_builds():
    # the office part opens with the workspace (issue 30); the set-up comes right after it
    first, second = OFFICE.split("\n### ")[1:3]
    assert first.startswith("Bàn làm việc trong trình duyệt") and second.startswith("Cài đặt")
    quick = second.split("\n### ", 1)[0]
    windows, elsewhere = blocks(quick)[:2]
    install = 'pip install -e ".[workspace]"'  # the workspace's own libraries with vanban
    assert windows == ["py -m venv .venv", r".venv\Scripts\activate", install, "vanban build"]
    assert elsewhere == ["python3 -m venv .venv", ". .venv/bin/activate", install, "vanban build"]
    assert not any(re.match(r"python\b", line) for block in blocks(OFFICE) for line in block)
    assert "Set-ExecutionPolicy -Scope CurrentUser RemoteSigned" in quick  # PowerShell's first refusal
    assert "python3-venv" in quick  # Debian's and Ubuntu's


def test_the_maintainers_set_up_is_the_install_and_build_then_the_tests_ci_runs():
    setup = blocks(MAINTAINERS)[0]
    assert setup == ['python -m pip install -e ".[test]" && vanban build', "python -m pytest"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert setup[1] in ci and 'python -m pip install -q --disable-pip-version-check -e ".[test]"' in ci
