"""The same documents and the same manifest whatever the line endings (issue 27).

Git for Windows checks text files out with CRLF by default (``core.autocrlf=true``), Notepad saves
with CRLF, and a colleague's clone may have LF: a YAML file saved with CRLF, built and committed
made ``vanban build --check`` fail on the other clone ("khác: .vanban-manifest.json"). Here real git
clones with ``core.autocrlf=true`` stand for the Windows computers, and Python's own text mode with
Windows' line separator for the files vanban writes there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_INVALID_INPUT, EXIT_OK

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ".vanban-manifest.json"


def env(cache: Path) -> dict[str, str]:
    return dict(os.environ, VANBAN_CACHE=str(cache), GIT_AUTHOR_NAME="Văn thư", GIT_AUTHOR_EMAIL="vt@xa.vn",
                GIT_COMMITTER_NAME="Văn thư", GIT_COMMITTER_EMAIL="vt@xa.vn", GIT_CONFIG_NOSYSTEM="1",
                HOME=str(cache))  # no global git settings of this machine


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, env=env(cwd.parent / "cache"), capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return proc.stdout.decode("utf-8")


def vanban(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env(cwd.parent / "cache"),
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def to_crlf(folder: Path, pattern: str = "*.yaml") -> None:
    """Every ``pattern`` file of ``folder`` saved again with CRLF line endings, as Notepad saves it."""
    for p in Path(folder).rglob(pattern):
        p.write_bytes(p.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))


def test_crlf_inputs_build_the_very_documents_and_manifest_of_the_lf_ones(tmp_path):
    """The bundled inputs saved with CRLF: the same 25 documents, and a manifest byte for byte the
    committed one (its source hashes and every document's key included)."""
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    to_crlf(tmp_path / "inputs")
    assert b"\r\n" in (tmp_path / "inputs" / "plan.yaml").read_bytes()
    result = vanban(tmp_path, "build", "--out", "outputs")
    assert result.returncode == EXIT_OK, result.stderr
    for path in sorted((ROOT / "outputs").rglob("*.docx")):
        rel = path.relative_to(ROOT / "outputs")
        assert (tmp_path / "outputs" / rel).read_bytes() == path.read_bytes(), rel
    assert (tmp_path / "outputs" / MANIFEST).read_bytes() == (ROOT / "outputs" / MANIFEST).read_bytes()


def test_a_crlf_input_is_read_as_its_lf_original_errors_on_the_same_line(tmp_path):
    runner = CliRunner()
    said = {}
    for name, crlf in (("lf", False), ("crlf", True)):
        inputs = tmp_path / name / "inputs"
        shutil.copytree(ROOT / "inputs", inputs)
        plan = inputs / "plan.yaml"
        plan.write_text(plan.read_text(encoding="utf-8").replace("117/2013/NĐ-CP", "117/2013/NĐCP", 1)
                        .replace("\nsignature:", "\nsignatur:", 1), encoding="utf-8")
        if crlf:
            to_crlf(inputs)
        result = runner.invoke(main, ["lint", "--inputs", str(inputs)])
        assert result.exit_code == EXIT_INVALID_INPUT
        said[name] = result.stdout.replace(str(inputs), "inputs")
    assert said["crlf"] == said["lf"]
    assert "lỗi schema [signatur]: trường 'signatur' không có trong mẫu" in said["crlf"]


def test_build_check_compares_the_manifest_by_content(tmp_path):
    """A manifest checked out with CRLF (git without .gitattributes, an editor) still matches."""
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    shutil.copytree(ROOT / "outputs", tmp_path / "outputs")
    to_crlf(tmp_path / "outputs", MANIFEST)
    assert b"\r\n" in (tmp_path / "outputs" / MANIFEST).read_bytes()
    result = vanban(tmp_path, "build", "--check")
    assert result.returncode == EXIT_OK and "Khớp: 25 văn bản" in result.stdout, result.stdout + result.stderr
    # what the manifest records still counts: another content is "khác"
    data = json.loads((tmp_path / "outputs" / MANIFEST).read_text(encoding="utf-8"))
    data["outputs"]["ke-hoach-cchc.docx"]["title"] = "Kế hoạch khác"
    (tmp_path / "outputs" / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    result = vanban(tmp_path, "build", "--check")
    assert result.returncode == 1 and f"khác:   {MANIFEST}" in result.stderr, result.stderr


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    """The repository's inputs, outputs, templates and .gitattributes, committed (LF) as in git."""
    repo = tmp_path_factory.mktemp("kho") / "vanban"
    for folder in ("inputs", "outputs", "templates"):
        shutil.copytree(ROOT / folder, repo / folder)
    shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    git(repo.parent, "init", "-q", str(repo))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Kho")
    return repo


def test_the_repository_cloned_as_git_for_windows_does_passes_build_check(repository, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "-c", "core.autocrlf=true", str(repository), str(clone))
    assert b"\r\n" not in (clone / "inputs" / "plan.yaml").read_bytes()  # .gitattributes: eol=lf
    assert (clone / "outputs" / "ke-hoach-cchc.docx").read_bytes() == (ROOT / "outputs" / "ke-hoach-cchc.docx").read_bytes()
    result = vanban(clone, "build", "--check")
    assert result.returncode == EXIT_OK and "Khớp: 25 văn bản" in result.stdout, result.stdout + result.stderr


def test_without_gitattributes_a_crlf_clone_passes_build_check_too(repository, tmp_path):
    """A repository or commune folder made before .gitattributes: git for Windows gives every YAML
    file and the manifest CRLF line endings; vanban reads them as the committed LF files."""
    old = tmp_path / "old"
    shutil.copytree(repository, old)
    (old / ".gitattributes").unlink()
    git(old, "add", "-A")
    git(old, "commit", "-q", "-m", "Trước .gitattributes")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "-c", "core.autocrlf=true", str(old), str(clone))
    assert b"\r\n" in (clone / "inputs" / "plan.yaml").read_bytes()
    assert b"\r\n" in (clone / "outputs" / MANIFEST).read_bytes()
    result = vanban(clone, "build", "--check")
    assert result.returncode == EXIT_OK and "Khớp: 25 văn bản" in result.stdout, result.stdout + result.stderr


def test_a_commune_saved_with_crlf_and_committed_checks_on_every_clone(tmp_path):
    """``vanban init``'s folder; the clerk's editor saves the inputs with CRLF, vanban builds, git (as on
    Windows) commits; colleagues clone with and without ``core.autocrlf``: ``build --check`` passes."""
    folder = tmp_path / "xa-quang-phu"
    assert CliRunner().invoke(main, ["init", str(folder), "--commune", "Quảng Phú", "--province", "Thanh Hóa"],
                              env=env(tmp_path / "cache")).exit_code == EXIT_OK
    git(folder, "config", "core.autocrlf", "true")
    to_crlf(folder / "inputs")
    built = vanban(folder, "build")
    assert built.returncode == EXIT_OK, built.stderr
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "Khởi tạo")
    assert vanban(folder, "build", "--check").returncode == EXIT_OK
    for autocrlf in ("true", "false"):
        clone = tmp_path / f"clone-{autocrlf}"
        git(tmp_path, "clone", "-q", "-c", f"core.autocrlf={autocrlf}", str(folder), str(clone))
        result = vanban(clone, "build", "--check")
        assert result.returncode == EXIT_OK and "Khớp:" in result.stdout, result.stdout + result.stderr


def test_git_reads_the_attributes_vanban_asks_for(repository, tmp_path):
    """What git itself makes of the repository's .gitattributes and of the one ``vanban init`` writes:
    YAML and JSON kept with LF everywhere, Word files binary and shown by the vanban diff driver."""
    folder = tmp_path / "xa"
    assert CliRunner().invoke(main, ["init", str(folder), "--commune", "A", "--province", "B"],
                              env=env(tmp_path / "cache")).exit_code == EXIT_OK
    for repo in (repository, folder):
        said = git(repo, "check-attr", "text", "eol", "diff", "merge", "--", "inputs/plan.yaml", "inputs/x.yml",
                   "outputs/.vanban-manifest.json", "outputs/ke-hoach-cchc.docx")
        for path in ("inputs/plan.yaml", "inputs/x.yml", "outputs/.vanban-manifest.json"):
            assert f"{path}: text: set" in said and f"{path}: eol: lf" in said, said
        for attribute in ("text: unset", "merge: unset", "diff: vanban"):
            assert f"outputs/ke-hoach-cchc.docx: {attribute}" in said, said


def test_every_text_file_vanban_writes_is_lf_in_windows_text_mode(tmp_path, monkeypatch):
    """Python on Windows writes "\\r\\n" for each "\\n" of a file opened as text. Simulated with Python's
    own text layer (``_pyio``, which takes the line separator from ``os.linesep``): init, import,
    schema, git-setup and calendar write what they write; no text file of theirs holds a CRLF, except
    the iCalendar file, whose lines end with CRLF by its standard (RFC 5545), and the workspace's shortcut
    for Windows (``Mo-ban-lam-viec.cmd``), which cmd.exe reads line by line with CRLF endings."""
    import _pyio
    import builtins
    import io

    runner = CliRunner()
    folder, imported = tmp_path / "xa", tmp_path / "nhap"
    monkeypatch.setattr(os, "linesep", "\r\n")
    monkeypatch.setattr(io, "open", _pyio.open)
    monkeypatch.setattr(builtins, "open", _pyio.open)
    with open(tmp_path / "probe.txt", "w", encoding="utf-8") as f:  # the simulation is Windows' text mode
        f.write("a\n")
    assert (tmp_path / "probe.txt").read_bytes() == b"a\r\n"
    commands = [
        ["init", str(folder), "--commune", "Quảng Phú", "--province", "Thanh Hóa"],
        ["import", str(ROOT / "outputs" / "ke-hoach-con" / "kh-chuyen-doi-so.docx"), "--out", str(imported)],
        ["schema", "--out", str(folder / "schema-moi")],
        ["calendar", "--inputs", str(ROOT / "inputs"), "--today", "2025-10-01", "--ics", str(folder / "lich.ics")],
    ]
    for args in commands:
        result = runner.invoke(main, args, env=env(tmp_path / "cache"))
        assert result.exit_code == EXIT_OK, (args, result.output)
    monkeypatch.chdir(folder)
    (folder / ".gitattributes").unlink()
    assert runner.invoke(main, ["git-setup"], env=env(tmp_path / "cache")).exit_code == EXIT_OK
    monkeypatch.undo()
    written = [p for p in [*folder.rglob("*"), *imported.rglob("*")] if p.is_file() and ".git" not in p.parts]
    assert len(written) > 20 and (imported / "inputs" / "plan.yaml") in written
    text = {p: p.read_bytes() for p in written if p.suffix != ".docx" and b"\0" not in p.read_bytes()}
    assert [p for p, data in text.items() if b"\r\n" in data and p.suffix not in (".ics", ".cmd")] == []
    shortcut = text[folder / "Mo-ban-lam-viec.cmd"]
    assert shortcut.count(b"\r\n") == shortcut.count(b"\n") > 2
    ics = text[folder / "lich.ics"]
    assert ics.count(b"\r\n") == ics.count(b"\n") > 10
