"""Output that does not depend on the console's code page (issue 27).

On Windows, Python writes to a console window in Unicode but to a file, a pipe, ``| more`` or a
pre-commit hook in the ANSI code page: cp1258 on a Vietnamese Windows, cp1252 on an English one,
cp437 in an old console. None of them has most Vietnamese letters, so ``vanban build > log.txt``
ended with exit 70 and a traceback (``UnicodeEncodeError``) and ``vanban lint`` wrote ``l\\u1ed7i``.
No Windows machine runs these tests: ``PYTHONIOENCODING`` gives Python the same streams as Windows
gives it when the output is redirected, and every command runs so, its output in a file, which must
be readable UTF-8 with the command's Vietnamese words, no traceback and the README's exit code.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.errors import EXIT_FINDINGS, EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE

ROOT = Path(__file__).resolve().parent.parent
CODE_PAGES = ("cp1258", "cp1252", "cp437")
PLAN = ROOT / "outputs" / "ke-hoach-cchc.docx"
SUBPLAN = ROOT / "outputs" / "ke-hoach-con" / "kh-chuyen-doi-so.docx"
APPENDIX = ROOT / "outputs" / "phu-luc" / "phu-luc-I-the-che.docx"


def env_for(code_page: str, cache: Path) -> dict[str, str]:
    return dict(os.environ, PYTHONIOENCODING=code_page, VANBAN_CACHE=str(cache), NO_COLOR="1",
                GIT_AUTHOR_NAME="Văn thư", GIT_AUTHOR_EMAIL="vt@xa.vn", GIT_COMMITTER_NAME="Văn thư",
                GIT_COMMITTER_EMAIL="vt@xa.vn")


def redirected(args: list, cwd: Path, code_page: str, timeout: float = 120) -> tuple[int, str]:
    """``vanban ARGS > log.txt 2>&1`` with the code page of a Windows console: (exit code, the file as UTF-8)."""
    log = cwd / f"log-{code_page}.txt"
    with open(log, "wb") as out:
        proc = subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd, stdout=out,
                              stderr=subprocess.STDOUT, env=env_for(code_page, cwd / "cache"), timeout=timeout)
    return proc.returncode, log.read_bytes().decode("utf-8")  # strict: the file is UTF-8 or this fails


def readable(text: str) -> bool:
    """No traceback, and no letter written as an escape or a replacement instead of itself."""
    return "Traceback" not in text and "\\u" not in text and "\\x" not in text and "\ufffd" not in text


@pytest.fixture(scope="module")
def commune(tmp_path_factory) -> Path:
    """A commune folder (the bundled inputs) inside a git repository with one commit."""
    root = tmp_path_factory.mktemp("xa")
    shutil.copytree(ROOT / "inputs", root / "inputs")
    shutil.copytree(ROOT / "outputs", root / "outputs")
    env = env_for("utf-8", root / "cache")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "Kế hoạch"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, timeout=60)
    return root


# (arguments, the exit code of the README, words the file must hold); "{d}" is a folder of the test's own
COMMANDS = {
    "build": (["build", "--inputs", "inputs", "--out", "{d}/ra"], EXIT_OK, ["tạo mới", "Xong: 25 văn bản"]),
    "build --check": (["build", "--check"], EXIT_OK, ["Khớp: 25 văn bản"]),
    "build, bad inputs": (["build", "--inputs", "{d}/khong-co", "--out", "{d}/ra"], EXIT_INVALID_INPUT,
                          ["không có thư mục đầu vào"]),
    "calendar": (["calendar", "--today", "2025-10-01"], EXIT_OK, ["Lịch thực hiện", "QUÁ HẠN", "Tổng:"]),
    "lint": (["lint"], EXIT_OK, ["0 lỗi, 0 cảnh báo."]),
    "check": (["check", "--no-schema", APPENDIX], EXIT_OK, ["đọc như", "0 lỗi thể thức"]),
    "check, not Word": (["check", "--no-schema", ROOT / "README.md"], EXIT_INVALID_INPUT, ["không"]),
    "diff": (["diff", PLAN, SUBPLAN, "--stat"], EXIT_OK, ["thay đổi:"]),
    "diff HEAD": (["diff"], EXIT_OK, ["Không có văn bản nào khác nhau"]),
    "init": (["init", "{d}/xa-quang-phu", "--commune", "Quảng Phú", "--province", "Thanh Hóa"], EXIT_OK,
             ["Đã tạo thư mục của xã Quảng Phú", "Tiếp theo"]),
    "import": (["import", SUBPLAN, "--out", "{d}/nhap"], EXIT_OK, ["Đã nhập", "Việc cần làm"]),
    "schema": (["schema", "--out", "{d}/schema"], EXIT_OK, ["đã ghi"]),
    "textconv": (["textconv", PLAN], EXIT_OK, ["KẾ HOẠCH", "Cải cách hành chính"]),
    "git-setup": (["git-setup"], EXIT_OK, ["Xong:", "git config diff.vanban.textconv", "dạng chữ"]),
    "pdf": (["pdf", APPENDIX, "--pdf-dir", "{d}/pdf"], EXIT_OK, ["Đã chuyển 1 văn bản sang PDF"]),
    "usage error": (["calendar", "--soon", "nhiều"], EXIT_USAGE, ["Lỗi: giá trị không hợp lệ"]),
    "help": (["--help"], EXIT_OK, ["Cách dùng:", "Tạo lại toàn bộ văn bản"]),
}


@pytest.mark.parametrize("code_page", CODE_PAGES)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_writes_utf8_to_a_file_whatever_the_code_page(commune, tmp_path, name, code_page):
    if name == "pdf" and not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) is not installed")
    args, code, words = COMMANDS[name]
    args = [str(a).replace("{d}", str(tmp_path)) for a in args]
    status, text = redirected(args, commune, code_page)
    assert status == code, text
    assert readable(text), text
    assert all(w in text for w in words), text


@pytest.mark.parametrize("code_page", CODE_PAGES)
def test_watch_writes_utf8_to_a_file_and_stops_on_ctrl_c(commune, tmp_path, code_page):
    shutil.copytree(commune / "inputs", tmp_path / "inputs")
    log = tmp_path / "log.txt"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "watch", "--out", "ra"], cwd=tmp_path, stdout=out,
                                stderr=subprocess.STDOUT, env=env_for(code_page, tmp_path / "cache"))
        try:
            deadline = time.monotonic() + 60
            while "Xong:" not in log.read_bytes().decode("utf-8", "replace") and proc.poll() is None:
                assert time.monotonic() < deadline, log.read_bytes()
                time.sleep(0.1)
            proc.send_signal(signal.SIGINT)  # Ctrl+C
            status = proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    text = log.read_bytes().decode("utf-8")
    assert status == EXIT_OK and readable(text), text
    assert "Theo dõi" in text and "tạo mới" in text and "Đã dừng theo dõi." in text


@pytest.mark.parametrize("code_page", CODE_PAGES)
def test_lint_findings_and_input_errors_reach_the_file(commune, tmp_path, code_page):
    """``vanban lint > loi.txt``: the findings are in the file (standard output), in Vietnamese."""
    shutil.copytree(commune / "inputs", tmp_path / "inputs")
    plan = tmp_path / "inputs" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("117/2013/NĐ-CP", "117/2013/NĐCP", 1), encoding="utf-8")
    loi = tmp_path / "loi.txt"
    with open(loi, "wb") as out:  # only standard output goes to the file, as with '>'
        proc = subprocess.run([sys.executable, "-m", "pipeline", "lint"], cwd=tmp_path, stdout=out,
                              stderr=subprocess.PIPE, env=env_for(code_page, tmp_path / "cache"), timeout=120)
    found = loi.read_bytes().decode("utf-8")
    assert proc.returncode == EXIT_FINDINGS and readable(found), found
    assert "inputs/plan.yaml:" in found and "lỗi citation-hyphen" in found and "→ gợi ý: viết 'NĐ-CP'" in found
    assert found.rstrip().endswith("1 lỗi, 0 cảnh báo.") and proc.stderr == b""

    plan.write_text(text.replace("\nsummary:", "\nsumary:", 1), encoding="utf-8")
    line = text[:text.index("\nsummary:")].count("\n") + 2
    with open(loi, "wb") as out:
        proc = subprocess.run([sys.executable, "-m", "pipeline", "lint"], cwd=tmp_path, stdout=out,
                              stderr=subprocess.PIPE, env=env_for(code_page, tmp_path / "cache"), timeout=120)
    found = loi.read_bytes().decode("utf-8")
    assert proc.returncode == EXIT_INVALID_INPUT and readable(found), found
    assert f"inputs/plan.yaml:{line}:1: lỗi schema [sumary]" in found and "chạy lại 'vanban lint'" in found


# Python run as a program writing to a file: (its code, the code page of the console, the file's exact text)
PROGRAMS = {
    # where processes are spawned (Windows: the batch's workers), a child's own warnings go to the same file:
    # the program hands its choice of UTF-8 on to them
    "child process": (
        "import subprocess, sys; from pipeline import cli\n"
        "sys.argv = ['vanban', 'child']\n"
        "@cli.main.command('child')\n"
        "def child():\n"
        "    subprocess.run([sys.executable, '-c', 'import sys; sys.stderr.write(\"Cảnh báo: thư mục\\\\n\")'])\n"
        "cli.run()\n", "cp1258", "Cảnh báo: thư mục\n"),
    # on a Windows console without colour codes rich prints through the console's API (``LegacyWindowsTerm``),
    # which is no way to write a file. Simulated: rich believes it is on such a Windows, and standard output
    # is a file; the text must be written as it is (the console API, were it used, does not exist here)
    "rich on a legacy Windows console": (
        "import rich.console\n"
        "rich.console.WINDOWS = True\n"
        "rich.console.detect_legacy_windows = lambda: True\n"
        "from pipeline import errors as E\n"
        "E.console().print(E.styled(('Xong:', 'green'), ' outputs/[nếu có]/a:b:c.docx'))\n",
        "utf-8", "Xong: outputs/[nếu có]/a:b:c.docx\n"),
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_text_reaches_a_file_as_utf8_exactly(tmp_path, name):
    code, code_page, expected = PROGRAMS[name]
    log = tmp_path / "log.txt"
    with open(log, "wb") as out:
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                              env=env_for(code_page, tmp_path / "cache"), timeout=60)
    assert proc.returncode == EXIT_OK, log.read_bytes()
    assert log.read_bytes().decode("utf-8") == expected
