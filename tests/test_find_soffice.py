"""Issue 27: one way to find LibreOffice, for the PDF stage and for reading .doc files.

The office's Windows PC has LibreOffice where its installer put it — ``C:\\Program Files``, ``Program
Files (x86)`` or a per-user install — and never on PATH. Windows and macOS are simulated here
(``sys.platform``, their environment variables, install folders in tmp_path holding an executable
stub); the last tests use the real LibreOffice of this machine with PATH not leading to it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import paths
from pipeline.cli import main
from pipeline.errors import EXIT_EXTERNAL, EXIT_USAGE, ExternalToolError
from tests.conftest import DATA, soffice_or_skip


def stub(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def machine(tmp_path, monkeypatch):
    """A machine with nothing on PATH, no VANBAN_SOFFICE, and its well-known folders under tmp_path."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    monkeypatch.delenv(paths.SOFFICE_ENV, raising=False)
    monkeypatch.setattr(paths, "UNIX_ROOT", tmp_path / "root")
    for var in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)", "LOCALAPPDATA"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def windows(monkeypatch, tmp_path: Path) -> dict[str, Path]:
    monkeypatch.setattr(sys, "platform", "win32")
    folders = {"ProgramFiles": tmp_path / "Program Files", "ProgramFiles(x86)": tmp_path / "Program Files (x86)",
               "LOCALAPPDATA": tmp_path / "Users" / "van-thu" / "AppData" / "Local"}
    for var, folder in folders.items():
        monkeypatch.setenv(var, str(folder))
    return folders


@pytest.mark.parametrize("where", ["ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA"])
def test_windows_finds_each_installers_folder(machine, monkeypatch, where):
    folders = windows(monkeypatch, machine)
    sub = ("Programs", "LibreOffice") if where == "LOCALAPPDATA" else ("LibreOffice",)
    exe = stub(folders[where].joinpath(*sub, "program", "soffice.exe"))
    assert paths.find_soffice() == str(exe)


def test_windows_prefers_program_files_and_misses_nothing_when_none_is_there(machine, monkeypatch):
    folders = windows(monkeypatch, machine)
    assert paths.find_soffice() is None
    x86 = stub(folders["ProgramFiles(x86)"] / "LibreOffice" / "program" / "soffice.exe")
    main64 = stub(folders["ProgramFiles"] / "LibreOffice" / "program" / "soffice.exe")
    assert paths.find_soffice() == str(main64)
    main64.unlink()
    assert paths.find_soffice() == str(x86)


def test_macos_finds_the_application(machine, monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("HOME", str(machine / "home"))
    assert paths.find_soffice() is None
    mine = stub(machine / "home" / "Applications" / "LibreOffice.app" / "Contents" / "MacOS" / "soffice")
    assert paths.find_soffice() == str(mine)
    everyone = stub(machine / "root" / "Applications" / "LibreOffice.app" / "Contents" / "MacOS" / "soffice")
    assert paths.find_soffice() == str(everyone)


def test_linux_finds_the_distributions_and_the_newest_opt_package(machine, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    root = machine / "root"
    stub(root / "opt" / "libreoffice7.6" / "program" / "soffice")
    newest = stub(root / "opt" / "libreoffice24.8" / "program" / "soffice")
    assert paths.find_soffice() == str(newest)
    debian = stub(root / "usr" / "lib" / "libreoffice" / "program" / "soffice")
    assert paths.find_soffice() == str(debian)


def test_a_file_that_is_not_a_program_is_not_taken(machine, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    found = machine / "root" / "usr" / "bin" / "soffice"
    found.parent.mkdir(parents=True)
    found.write_text("not executable")
    assert paths.find_soffice() is None


def test_the_variable_and_the_option_come_before_path_and_folders(machine, monkeypatch):
    folders = windows(monkeypatch, machine)
    stub(folders["ProgramFiles"] / "LibreOffice" / "program" / "soffice.exe")
    on_path = stub(machine / "empty-path" / "soffice")
    monkeypatch.setattr(sys, "platform", "linux")  # shutil.which reads PATH the POSIX way
    assert paths.find_soffice() == str(on_path)
    monkeypatch.setattr(sys, "platform", "win32")
    portable = stub(machine / "D" / "LibreOfficePortable" / "App" / "libreoffice" / "program" / "soffice.exe")
    monkeypatch.setenv(paths.SOFFICE_ENV, str(portable.parent.parent))  # an install folder names it too
    assert paths.find_soffice() == str(portable)
    other = stub(machine / "E" / "soffice.exe")
    assert paths.find_soffice(str(other)) == str(other), "the option wins over the variable"


def test_a_variable_naming_no_libreoffice_is_said_not_skipped(machine, monkeypatch):
    monkeypatch.setenv(paths.SOFFICE_ENV, str(machine / "khong-co" / "soffice.exe"))
    with pytest.raises(ExternalToolError) as exc:
        paths.find_soffice()
    assert "VANBAN_SOFFICE" in str(exc.value) and "khong-co" in str(exc.value)
    assert exc.value.exit_code == EXIT_EXTERNAL


def test_pdf_without_libreoffice_says_where_it_looked_and_how_to_name_it(machine, monkeypatch, tmp_path):
    folders = windows(monkeypatch, machine)
    doc = tmp_path / "out" / "a.docx"
    doc.parent.mkdir()
    doc.write_bytes((DATA / "docx" / next(p.name for p in (DATA / "docx").glob("*.docx"))).read_bytes())
    result = CliRunner().invoke(main, ["pdf", "--out", str(doc.parent), "--pdf-backend", "libreoffice"])
    assert result.exit_code == EXIT_EXTERNAL, result.output
    assert "không tìm thấy LibreOffice" in result.output and "VANBAN_SOFFICE" in result.output
    assert str(folders["ProgramFiles(x86)"]) in result.output and "--soffice" in result.output


def test_pdf_soffice_option_must_exist(tmp_path):
    result = CliRunner().invoke(main, ["pdf", "--out", str(tmp_path), "--soffice", str(tmp_path / "khong-co.exe")])
    assert result.exit_code == EXIT_USAGE and "khong-co.exe" in result.output


# --------------------------------------------------------------------------- the real LibreOffice


@pytest.fixture
def real_soffice_off_path(monkeypatch, tmp_path):
    """This machine's LibreOffice, with PATH leading to no soffice (as after the Windows installer)."""
    exe = Path(soffice_or_skip()).resolve()
    monkeypatch.delenv(paths.SOFFICE_ENV, raising=False)
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name in ("soffice", "libreoffice")
                        else real_which(name, *a, **k))
    found = paths.find_soffice()
    if found is None:
        pytest.skip(f"LibreOffice at {exe}, none of the well-known folders")
    return found


def test_vanban_pdf_finds_the_real_libreoffice_off_path(real_soffice_off_path, tmp_path):
    out = tmp_path / "outputs"
    assert CliRunner().invoke(main, ["build", "--inputs", str(DATA / "mini"), "--out", str(out)]).exit_code == 0
    result = CliRunner().invoke(main, ["pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Đã chuyển 4 văn bản sang PDF" in result.output
    assert (out / "pdf" / "ke-hoach-thu.pdf").read_bytes().startswith(b"%PDF")


def test_a_doc_file_is_read_with_the_real_libreoffice_off_path(real_soffice_off_path, tmp_path):
    import subprocess

    source = tmp_path / "outputs"
    assert CliRunner().invoke(main, ["build", "--inputs", str(DATA / "mini"), "--out", str(source)]).exit_code == 0
    subprocess.run([real_soffice_off_path, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(tmp_path), str(source / "ke-hoach-thu.docx")],
                   capture_output=True, timeout=180, check=False)
    doc = tmp_path / "ke-hoach-thu.doc"
    assert doc.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # a Word 97-2003 file
    result = CliRunner().invoke(main, ["check", "--no-schema", str(doc)])
    assert result.exit_code in (0, 1), result.output  # read and judged: findings or none, not "no LibreOffice"
    assert "ke-hoach-thu.doc" in result.output and "LibreOffice" not in result.output
