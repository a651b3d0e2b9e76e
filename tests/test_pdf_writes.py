"""Issues 33 and 27: the PDF stage on a real disk — confined to its folders like the .docx stage,
each PDF written whole or not at all, a full or read-only disk said in Vietnamese (exit 4) with the
PDFs already made kept, a time limit that is one, Word's lock files and other non-documents skipped,
and the Word route that never closes the clerk's Word.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_EXTERNAL, EXIT_USAGE
from pipeline.pdf.index import INDEX_NAME
from tests.conftest import DATA, soffice_or_skip

VANBAN = [sys.executable, "-m", "pipeline"]
TIMEOUT = 300
MINI_DOCS = ["bao-cao/2026-12-bc-nam-2026-12", "ke-hoach-con/kh-cong-khai-tthc", "ke-hoach-thu", "phu-luc/phu-luc-tthc"]


def run(cwd: Path, *args) -> subprocess.CompletedProcess:
    env = dict(os.environ, VANBAN_CACHE=str(cwd / "cache"))
    return subprocess.run([*VANBAN, *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT)


@pytest.fixture
def project(tmp_path):
    """The mini commune built into outputs/ (four documents)."""
    shutil.copytree(DATA / "mini", tmp_path / "inputs")
    assert run(tmp_path, "build").returncode == 0
    assert sorted(p.relative_to(tmp_path / "outputs").with_suffix("").as_posix()
                  for p in (tmp_path / "outputs").rglob("*.docx")) == MINI_DOCS
    return tmp_path


def whole_pdf(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".vanban-probe")]


# --------------------------------------------------------------------------- confined like the .docx stage


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
@pytest.mark.parametrize("command", [("pdf",), ("build", "--pdf")])
def test_an_outputs_pdf_symlink_leading_out_is_refused_and_nothing_outside_touched(project, command):
    outside = project / "outside"
    outside.mkdir()
    (outside / "ke-hoach-thu.pdf").write_bytes(b"the office's own PDF")
    (project / "outputs" / "pdf").symlink_to(outside, target_is_directory=True)
    proc = run(project, *command)
    assert proc.returncode == EXIT_EXTERNAL, proc.stderr
    assert "dẫn ra ngoài thư mục kết quả" in proc.stderr and "outputs/pdf" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert [p.name for p in outside.iterdir()] == ["ke-hoach-thu.pdf"]
    assert (outside / "ke-hoach-thu.pdf").read_bytes() == b"the office's own PDF"


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_pdf_symlink_leading_out_of_the_pdf_folder_is_refused(project):
    outside = project / "outside.pdf"
    outside.write_bytes(b"the office's own PDF")
    (project / "outputs" / "pdf").mkdir()
    (project / "outputs" / "pdf" / "ke-hoach-thu.pdf").symlink_to(outside)
    proc = run(project, "pdf")
    assert proc.returncode == EXIT_EXTERNAL and "ke-hoach-thu.pdf" in proc.stderr, proc.stderr
    assert outside.read_bytes() == b"the office's own PDF"


# --------------------------------------------------------------------------- a disk that refuses


@pytest.fixture
def small_disk(tmp_path):
    """A 120 kB tmpfs (room for two of the mini commune's PDFs of 40–60 kB, not four); skipped where
    this machine does not let the tests mount one."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if sys.platform != "linux" or shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=120k", "tmpfs", str(disk)], capture_output=True,
            timeout=30).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (the ENOSPC test below stands in)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True, timeout=30)


def test_a_full_disk_keeps_whole_pdfs_only_and_says_so(project, small_disk):
    soffice_or_skip()
    pdfs = small_disk / "pdf"
    proc = run(project, "pdf", "--pdf-dir", pdfs)
    assert proc.returncode == EXIT_EXTERNAL, proc.stdout + proc.stderr
    assert "ổ đĩa đã đầy" in proc.stderr and str(pdfs) in proc.stderr and "Traceback" not in proc.stderr
    made = sorted(pdfs.rglob("*.pdf"))
    assert 1 <= len(made) < 4, made
    assert all(whole_pdf(p) for p in made), "no truncated PDF under a real name"
    assert leftovers(small_disk) == []
    subprocess.run(["mount", "-o", "remount,size=2m", str(small_disk)], check=True, timeout=30)
    again = run(project, "pdf", "--pdf-dir", pdfs)
    assert again.returncode == 0, again.stderr
    assert sorted(p.relative_to(pdfs).with_suffix("").as_posix() for p in pdfs.rglob("*.pdf")) == MINI_DOCS
    assert all(whole_pdf(p) for p in pdfs.rglob("*.pdf"))


def test_enospc_while_placing_a_pdf_is_exit_4_and_the_pdfs_made_are_kept(project, monkeypatch):
    """Stands in for the tmpfs test where no tmpfs can be mounted: the write of the third PDF fails
    with ENOSPC, as a full disk makes it fail (the index still fits)."""
    soffice_or_skip()
    from pipeline.ooxml import package

    real, placed = package.atomic_write, []

    def full_after_two(path, data):
        if Path(path).suffix == ".pdf":
            if len(placed) == 2:
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            placed.append(Path(path))
        real(path, data)

    monkeypatch.setattr(package, "atomic_write", full_after_two)
    monkeypatch.setenv("VANBAN_CACHE", str(project / "cache"))
    out = project / "outputs"
    result = CliRunner().invoke(main, ["pdf", "--out", str(out)])
    assert result.exit_code == EXIT_EXTERNAL, result.output
    assert "ổ đĩa đã đầy" in result.output and "Traceback" not in result.output
    assert sorted(out.joinpath("pdf").rglob("*.pdf")) == sorted(placed) and all(whole_pdf(p) for p in placed)
    monkeypatch.setattr(package, "atomic_write", real)
    again = CliRunner().invoke(main, ["pdf", "--out", str(out)])
    assert again.exit_code == 0 and "Đã chuyển 2 văn bản sang PDF (2 tệp khác không đổi" in again.output, again.output


@pytest.fixture
def read_only(project):
    """``outputs/pdf`` refusing changes: chmod for a user, chattr +i for root (who ignores modes)."""
    folder = project / "outputs" / "pdf"
    folder.mkdir()

    def make(on: bool) -> None:
        if os.geteuid() == 0:
            if not shutil.which("chattr") or subprocess.run(["chattr", "+i" if on else "-i", str(folder)],
                                                            capture_output=True).returncode != 0:
                pytest.skip("running as root without chattr")
        else:
            folder.chmod(0o555 if on else 0o755)

    yield folder, make
    make(False)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_read_only_pdf_folder_is_exit_4_naming_it(project, read_only):
    soffice_or_skip()
    folder, make = read_only
    make(True)
    proc = run(project, "pdf")
    assert proc.returncode == EXIT_EXTERNAL, proc.stderr
    assert "outputs/pdf" in proc.stderr and ("chỉ cho đọc" in proc.stderr or "không được phép" in proc.stderr)
    assert "Traceback" not in proc.stderr and list(folder.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_stale_pdf_in_a_read_only_folder_is_exit_4_and_every_pdf_stays(project, read_only):
    soffice_or_skip()
    folder, make = read_only
    assert run(project, "pdf").returncode == 0
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    yaml = project / "inputs" / "commune.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("place: Hòa Sơn", "place: Hòa Sơn Bắc"),
                    encoding="utf-8")
    assert run(project, "build").returncode == 0
    make(True)
    proc = run(project, "pdf")
    assert proc.returncode == EXIT_EXTERNAL and "Traceback" not in proc.stderr, proc.stderr
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-5", "0"])
def test_a_timeout_that_is_no_limit_is_a_usage_error(tmp_path, value):
    result = CliRunner().invoke(main, ["pdf", "--out", str(tmp_path), f"--timeout={value}"])
    assert result.exit_code == EXIT_USAGE, result.output
    assert "--timeout" in result.output and "lớn hơn 0" in result.output


def test_word_lock_files_and_other_non_documents_are_skipped_with_a_note(project):
    soffice_or_skip()
    out = project / "outputs"
    (out / "~$ hoach-thu.docx").write_bytes(b"\x0bvan-thu" + bytes(154))  # Word's owner file: 162 bytes
    (out / "bao-cao" / "rong.docx").write_bytes(b"")
    (out / "ghi-chu.docx").write_text("không phải văn bản Word", encoding="utf-8")
    proc = run(project, "pdf")
    assert proc.returncode == 0, proc.stderr
    for name, why in (("~$ hoach-thu.docx", "tệp khóa Word"), ("bao-cao/rong.docx", "tệp rỗng"),
                      ("ghi-chu.docx", "không phải tệp Word")):
        line = next((l for l in proc.stderr.splitlines() if f"outputs/{name}" in l), "")
        assert line.startswith("Bỏ qua") and why in line, proc.stderr
    assert "Đã chuyển 4 văn bản sang PDF" in proc.stdout
    assert sorted(p.relative_to(out / "pdf").with_suffix("").as_posix()
                  for p in (out / "pdf").rglob("*.pdf")) == MINI_DOCS
    assert (out / "pdf" / INDEX_NAME).is_file()


def test_only_non_documents_is_nothing_to_convert(tmp_path):
    (tmp_path / "~$ke-hoach.docx").write_bytes(bytes(162))
    result = CliRunner().invoke(main, ["pdf", "--out", str(tmp_path)])
    assert result.exit_code == 3 and "không có tệp .docx nào để chuyển" in result.output
    assert "Bỏ qua" in result.output and "~$ke-hoach.docx" in result.output


# --------------------------------------------------------------------------- the Word route (docx2pdf, faked)


class FakeDocx2pdf(types.ModuleType):
    """docx2pdf's public ``convert(input_path, output_path=None, keep_active=False)``, recording each call
    and writing a PDF for every .docx of the input folder, as docx2pdf's batch mode does."""

    def __init__(self, fail: BaseException | None = None):
        super().__init__("docx2pdf")
        self.calls: list[tuple[str, str, bool]] = []
        self.fail = fail

    def convert(self, input_path, output_path=None, keep_active=False):
        self.calls.append((input_path, output_path, keep_active))
        if self.fail is not None:
            raise self.fail
        for docx in sorted(Path(input_path).glob("*.docx")):
            (Path(output_path) / f"{docx.stem}.pdf").write_bytes(b"%PDF-1.7\n% Word\n%%EOF\n")


@pytest.fixture
def word_machine(monkeypatch, project):
    """A Windows PC without LibreOffice: the default route is Word's."""
    from pipeline.pdf import word

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr("pipeline.pdf.convert.find_soffice", lambda given=None: None)
    quits: list[bool] = []
    monkeypatch.setattr(word, "quit_idle_word", lambda: quits.append(True))
    monkeypatch.setenv("VANBAN_CACHE", str(project / "cache"))

    def install(fake: FakeDocx2pdf, running: bool) -> list[bool]:
        monkeypatch.setitem(sys.modules, "docx2pdf", fake)
        monkeypatch.setattr(word, "word_running", lambda: running)
        return quits

    return install


@pytest.mark.parametrize("running", [True, False], ids=["the clerk's Word is open", "Word is not running"])
def test_word_is_always_kept_open_and_only_vanbans_own_idle_word_is_quit(project, word_machine, running):
    fake = FakeDocx2pdf()
    quits = word_machine(fake, running)
    result = CliRunner().invoke(main, ["pdf", "--out", str(project / "outputs")])
    assert result.exit_code == 0, result.output
    assert [keep for _, _, keep in fake.calls] == [True], "one call, keep_active=True: Word's Quit is never sent"
    assert quits == ([] if running else [True])
    assert "Đã chuyển 4 văn bản sang PDF" in result.output
    assert all(whole_pdf(p) for p in (project / "outputs" / "pdf").rglob("*.pdf"))


def test_docx2pdf_ending_the_process_is_a_word_error_not_an_exit(project, word_machine):
    """docx2pdf's macOS route calls sys.exit(1) when Word fails on a file."""
    word_machine(FakeDocx2pdf(fail=SystemExit(1)), running=True)
    result = CliRunner().invoke(main, ["pdf", "--out", str(project / "outputs")])
    assert result.exit_code == EXIT_EXTERNAL, result.output
    assert "Word không chuyển được sang PDF" in result.output
