"""Text printed as it was written (issue 27).

rich, the terminal library, reads ``[nếu có]`` as markup and drops it, and turns ``:100:`` and
``a:b:c`` into emoji: an input error on line 100 read ``appendices.yaml💯20``, ``vanban calendar``
altered the tasks' text and a PDF warning swallowed a folder named ``[…]``. Every command here runs
as a person runs it, in a terminal (``TTY_COMPATIBLE``: colours and all, stripped before reading),
on inputs, file and folder names that hold all three; what it prints must hold them verbatim.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.errors import EXIT_INVALID_INPUT, EXIT_OK, EXIT_REFUSED

ROOT = Path(__file__).resolve().parent.parent
ODD = "a:b:c [nếu có] :100:"
EMOJI = ("💯", "🅱", "🅰")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def vanban(cwd: Path, *args, terminal: bool = True) -> tuple[int, str]:
    """(exit code, what the terminal shows: both streams, without colour codes)."""
    env = dict(os.environ, VANBAN_CACHE=str(cwd / ".cache"), COLUMNS="400", GIT_CONFIG_NOSYSTEM="1")
    env.pop("NO_COLOR", None)
    if terminal:
        env["TTY_COMPATIBLE"] = "1"
    proc = subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, timeout=300)
    text = proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8")
    return proc.returncode, ANSI.sub("", text)


def verbatim(text: str, *expected: str) -> bool:
    return all(e in text for e in expected) and not any(e in text for e in EMOJI)


@pytest.fixture
def commune(tmp_path) -> Path:
    """A commune whose folder's name holds '[nếu có]', ':100:' and 'a:b:c'."""
    folder = tmp_path / f"xã {ODD}"
    shutil.copytree(ROOT / "inputs", folder / "inputs")
    return folder


def swap_in(path: Path, line: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = text
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "file"])
def test_an_input_error_on_line_100_is_located_verbatim(commune, terminal):
    appendices = commune / "inputs" / "appendices.yaml"
    before = appendices.read_text(encoding="utf-8").split("\n")
    assert before[98].strip() == "partners: cac_phong_cm" and before[99].strip().startswith("deadline:")
    swap_in(appendices, 99, before[99])
    swap_in(appendices, 100, f'        partners: "{ODD}"')
    status, text = vanban(commune, "build", terminal=terminal)
    assert status == EXIT_INVALID_INPUT
    assert verbatim(text, "Dữ liệu đầu vào có 1 lỗi", "inputs/appendices.yaml:100:9: lỗi schema "
                    "[appendices[1].tasks[2].partners]", f"gặp '{ODD}'"), text
    assert not (commune / "outputs").exists()


def test_calendar_and_lint_print_the_tasks_text_as_written(commune):
    appendices = commune / "inputs" / "appendices.yaml"
    text = appendices.read_text(encoding="utf-8")
    task = "content: Ban hành kế hoạch theo dõi thi hành pháp luật"
    assert task in text
    appendices.write_text(text.replace(task, f'content: "Ban hành Kê hoạch {ODD} theo dõi thi hành pháp luật', 1)
                          .replace("pháp luật trên địa bàn xã 6 tháng cuối năm 2025\n",
                                   'pháp luật trên địa bàn xã 6 tháng cuối năm 2025"\n', 1), encoding="utf-8")
    status, shown = vanban(commune, "calendar", "--today", "2025-07-01")
    assert status == EXIT_OK and verbatim(shown, f"Ban hành Kê hoạch {ODD} theo dõi"), shown
    status, shown = vanban(commune, "lint")
    assert status == 1 and verbatim(shown, "lỗi spelling", "'Kê hoạch' sai dấu"), shown


def test_check_import_and_diff_name_odd_files_verbatim(commune):
    docs = commune / "văn bản"
    docs.mkdir()
    old, new = docs / f"cũ {ODD}.docx", docs / f"mới {ODD}.docx"
    shutil.copy(ROOT / "outputs" / "phu-luc" / "phu-luc-I-the-che.docx", old)
    shutil.copy(ROOT / "outputs" / "phu-luc" / "phu-luc-II-tthc.docx", new)
    status, shown = vanban(commune, "check", "--no-schema", old)
    assert status == EXIT_OK and verbatim(shown, f"{old}: đọc như"), shown

    notes = docs / f"ghi chú {ODD}.txt"
    notes.write_text("không phải Word", encoding="utf-8")
    status, shown = vanban(commune, "import", notes, "--out", commune / "nhap")
    assert status == EXIT_INVALID_INPUT
    assert verbatim(shown, f"Tệp Word không đọc được: '{notes.name}' không phải tệp Word"), shown

    redline = docs / f"thay đổi {ODD}.docx"
    status, shown = vanban(commune, "diff", old, new, "--redline", redline)
    assert status == EXIT_OK and redline.is_file()
    assert verbatim(shown, str(old), str(new), f"Đã ghi {redline}:"), shown


def test_pdf_warnings_name_a_bracketed_folder(commune):
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = commune / "[nếu có]"
    folder.mkdir()
    report = folder / "bao-cao.docx"
    shutil.copy(ROOT / "outputs" / "bao-cao" / "2025-09-bc-cchc-2025-q3.docx", report)
    status, shown = vanban(commune, "pdf", report, "--out", folder, "--pdf-dir", folder / "pdf")
    assert status == EXIT_OK and (folder / "pdf" / "bao-cao.pdf").is_file()
    # the Q3 CCHC report's 16 named fields, none written yet (inputs/reports/bc_cchc.yaml)
    assert verbatim(shown, f"Chưa viết xong: {report} còn 16 chỗ", "Đã chuyển 1 văn bản sang PDF"), shown


def test_a_refused_overwrite_and_git_setup_name_odd_paths_verbatim(commune):
    assert vanban(commune, "build")[0] == EXIT_OK
    plan = commune / "outputs" / "ke-hoach-cchc.docx"
    plan.write_bytes(plan.read_bytes() + b"\0")  # edited by hand
    inputs = commune / "inputs" / "plan.yaml"
    inputs.write_text(inputs.read_text(encoding="utf-8").replace("Xuân Bình", "Xuân Bình Mới", 1), encoding="utf-8")
    status, shown = vanban(commune, "build")
    assert status == EXIT_REFUSED and verbatim(shown, "Giữ nguyên bản sửa tay:", f"sửa tay:  {plan}"), shown

    subprocess.run(["git", "init", "-q"], cwd=commune, check=True, timeout=60)
    status, shown = vanban(commune, "git-setup")
    assert status == EXIT_OK and verbatim(shown, f"thêm     {commune / '.gitattributes'}: *.docx diff=vanban"), shown


def test_a_batch_names_its_communes_verbatim(tmp_path):
    good, bad = tmp_path / "a:b:c" / "inputs", tmp_path / ":100:" / "inputs"
    shutil.copytree(ROOT / "inputs", good)
    shutil.copytree(ROOT / "inputs", bad)
    plan = bad / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("\nsummary:", "\nsumary:", 1), encoding="utf-8")
    status, shown = vanban(tmp_path, "build", "--inputs", good, "--inputs", bad, "--jobs", "2")
    assert status == EXIT_INVALID_INPUT
    assert verbatim(shown, "a:b:c", ":100: (dữ liệu sai):", "1/2 xã xong"), shown
