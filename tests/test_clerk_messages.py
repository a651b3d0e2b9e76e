"""What a clerk reads (issue 27): ``vanban diff`` before the first commit, where ``vanban lint`` puts
its findings, help without English, and a build's report telling created documents from updated ones."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import LAZY_COMMANDS, main
from pipeline.errors import EXIT_EXTERNAL, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

ROOT = Path(__file__).resolve().parent.parent


def env(home: Path) -> dict[str, str]:
    return dict(os.environ, VANBAN_CACHE=str(home / "cache"), HOME=str(home), GIT_CONFIG_NOSYSTEM="1",
                GIT_AUTHOR_NAME="Văn thư", GIT_AUTHOR_EMAIL="vt@xa.vn", GIT_COMMITTER_NAME="Văn thư",
                GIT_COMMITTER_EMAIL="vt@xa.vn")


def vanban(cwd: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd, env=env(cwd.parent),
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


@pytest.fixture
def new_commune(tmp_path) -> Path:
    """The commune README's steps 1–2 done in a folder ``vanban init`` made: built, nothing committed."""
    folder = tmp_path / "xa-quang-phu"
    made = vanban(tmp_path, "init", folder, "--commune", "Quảng Phú", "--province", "Thanh Hóa")
    assert made.returncode == EXIT_OK, made.stderr
    assert vanban(folder, "build").returncode == EXIT_OK
    return folder


def test_diff_before_the_first_commit_shows_what_the_commit_will_record(new_commune):
    """Step 3 of the commune README, on the day the folder was made."""
    result = vanban(new_commune, "diff", "--stat")
    assert result.returncode == EXIT_OK, result.stderr
    assert "fatal" not in result.stdout + result.stderr and result.stderr == ""
    assert result.stdout.startswith("Kho git chưa có lần commit nào: chưa có phiên bản cũ để so với outputs.")
    assert "'git add -A' rồi 'git commit -m" in result.stdout
    documents = sorted(p.relative_to(new_commune / "outputs").as_posix()
                       for p in (new_commune / "outputs").rglob("*.docx"))
    assert len(documents) > 10
    assert re.findall(r"^thêm mới: (\S+)$", result.stdout, re.M) == documents
    # with the documents' text, and the answer to --exit-code: there are differences
    full = vanban(new_commune, "diff", "HEAD", "--exit-code")
    assert full.returncode == EXIT_FINDINGS and "+++ b/ke-hoach-cchc.docx" in full.stdout
    assert "+KẾ HOẠCH" in full.stdout
    # once committed, the same command compares with that commit
    for args in (["add", "-A"], ["commit", "-q", "-m", "Khởi tạo"]):
        subprocess.run(["git", *args], cwd=new_commune, env=env(new_commune.parent), check=True, timeout=60)
    after = vanban(new_commune, "diff")
    assert after.returncode == EXIT_OK and after.stdout.startswith("Không có văn bản nào khác nhau giữa HEAD:outputs")


def test_diff_outside_any_repository_says_so(tmp_path):
    shutil.copytree(ROOT / "outputs", tmp_path / "xa" / "outputs")
    result = vanban(tmp_path / "xa", "diff")
    assert result.returncode == EXIT_EXTERNAL
    assert "không nằm trong một kho git; hãy chạy 'git init'" in result.stderr and "fatal" not in result.stderr


def test_lint_help_says_where_the_findings_go():
    shown = " ".join(CliRunner().invoke(main, ["lint", "--help"]).output.split())
    assert "đầu ra chuẩn (stdout)" in shown and "'vanban lint > loi.txt'" in shown


ENGLISH = re.compile(r"\b(OPTIONS|COMMAND|ARGS|PATH|TEXT|INTEGER|FLOAT|RANGE|FILES?|DIRECTORY|TARGET|SOURCE|OLD|"
                     r"NEW|BOOLEAN)\b|%[A-Za-z]")
CLICK_ENGLISH = re.compile(r"\b(Usage|Options|Commands|Arguments|Show this|default|required)\b")


@pytest.mark.parametrize("command", ["", *sorted(LAZY_COMMANDS)])
def test_help_is_vietnamese_through_and_through(command):
    """``vanban --help`` and each command's: click's words, and the names of what a command and its options
    take (the usage line, and each option's first column; the descriptions are our own Vietnamese, which
    may name an environment variable such as PATH)."""
    result = CliRunner().invoke(main, [*command.split(), "--help"])
    assert result.exit_code == EXIT_OK
    assert CLICK_ENGLISH.findall(result.output) == [], result.output
    usage = [line for line in result.output.splitlines() if line.startswith("Cách dùng:")]
    names = [re.split(r"\s{2,}", line.strip())[0] for line in result.output.splitlines()
             if line.lstrip().startswith("-")]
    assert len(usage) == 1 and (names or not command)
    assert ENGLISH.findall("\n".join(usage + names)) == [], result.output
    assert result.output.startswith(f"Cách dùng: vanban {command + ' ' if command else ''}[TÙY_CHỌN]")


def test_help_names_what_each_command_takes():
    usage = {
        (): "vanban [TÙY_CHỌN] LỆNH [THAM_SỐ]...",
        ("check",): "vanban check [TÙY_CHỌN] TỆP...",
        ("pdf",): "vanban pdf [TÙY_CHỌN] [TỆP]...",
        ("diff",): "vanban diff [TÙY_CHỌN] [CŨ] [MỚI]",
        ("init",): "vanban init [TÙY_CHỌN] THƯ_MỤC",
        ("import",): "vanban import [TÙY_CHỌN] TỆP",
    }
    for args, line in usage.items():
        assert f"Cách dùng: {line}\n" in CliRunner().invoke(main, [*args, "--help"]).output
    options = CliRunner().invoke(main, ["calendar", "--help"]).output
    for option in ("--inputs THƯ_MỤC", "--today NGÀY", "--soon SỐ_NGÀY", "--ics TỆP"):
        assert option in options
    missing = CliRunner().invoke(main, ["check"])
    assert missing.exit_code == EXIT_USAGE and "Lỗi: thiếu tham số 'TỆP...'." in missing.output


def test_the_build_report_tells_created_from_updated_documents(tmp_path):
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    first = vanban(tmp_path, "build")
    assert first.returncode == EXIT_OK
    marks = re.findall(r"^  (tạo mới|cập nhật|không đổi|đã xóa) +\S*outputs/(\S+)", first.stdout, re.M)
    assert len(marks) == 25 and {m for m, _ in marks} == {"tạo mới"}
    plan = tmp_path / "inputs" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("Xuân Bình", "Xuân Bình Mới"), encoding="utf-8")
    (tmp_path / "outputs" / "phu-luc" / "phu-luc-II-tthc.docx").unlink()
    again = vanban(tmp_path, "build")
    assert again.returncode == EXIT_OK
    marks = dict(reversed(m) for m in re.findall(r"^  (tạo mới|cập nhật|không đổi) +\S*outputs/(\S+)", again.stdout,
                                                   re.M))
    assert marks["phu-luc/phu-luc-II-tthc.docx"] == "tạo mới"
    assert marks["ke-hoach-cchc.docx"] == "cập nhật"
    assert "ghi mới" not in again.stdout
    assert re.search(r"^Xong: 25 văn bản \((\d+) thay đổi\)", again.stdout, re.M)


def test_a_reader_that_stops_reading_ends_the_command_quietly(new_commune):
    """``vanban diff | more`` left after the first page (here: the first line), as a pager does."""
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "diff"], cwd=new_commune, env=env(new_commune.parent),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout is not None and proc.stdout.readline().startswith("Kho git chưa có".encode("utf-8"))
        proc.stdout.close()  # far more than a pipe holds is still to come: the next write finds no reader
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == EXIT_EXTERNAL and err == b""
