"""``vanban init DIR``: a commune's own folder, with or without git (issue 19).

The folder made from the installed wheel is covered end to end in ``test_wheel.py``;
these run in-process for the cases around it.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from fnmatch import fnmatch

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import ROOT

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


def test_without_git_the_folder_is_made_and_the_office_is_told_how_to_add_git(tmp_path, monkeypatch):
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # a machine where git is not installed
    result = run("init", tmp_path / "xa-a", "--commune", "An Bình", "--province", "Nghệ An")
    assert result.exit_code == 0, result.output
    assert "chưa có Git" in result.output and "git init" in result.output and "vanban git-setup" in result.output
    folder = tmp_path / "xa-a"
    assert not (folder / ".git").exists()
    for rel in ("inputs/plan.yaml", "README.md", ".gitattributes", ".vscode/settings.json", "schema/plan.schema.json"):
        assert (folder / rel).is_file(), rel
    assert (folder / "outputs").is_dir()


@needs_git
def test_inside_an_existing_repository_no_second_repository_is_made(tmp_path):
    province = tmp_path / "tinh"
    province.mkdir()
    assert git("init", "-q", cwd=province).returncode == 0
    result = run("init", province / "xa-a", "--commune", "An Bình", "--province", "Nghệ An")
    assert result.exit_code == 0, result.output
    assert not (province / "xa-a" / ".git").exists()
    assert "kho git có sẵn" in result.output
    assert git("config", "--local", "diff.vanban.xfuncname", cwd=province).stdout.strip() == "^=== .*"
    assert "textconv.py" in git("config", "--local", "diff.vanban.textconv", cwd=province).stdout


@needs_git
def test_a_new_folder_has_its_own_repository_with_the_diff_driver(tmp_path):
    result = run("init", tmp_path / "xa-b", "--commune", "An Bình", "--province", "Nghệ An")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "xa-b"
    assert git("rev-parse", "--show-toplevel", cwd=folder).stdout.strip() == str(folder.resolve())
    assert git("config", "--local", "diff.vanban.cachetextconv", cwd=folder).stdout.strip() == "true"
    assert git("check-attr", "diff", "--", "outputs/ke-hoach-cchc.docx", cwd=folder).stdout.strip() \
        == "outputs/ke-hoach-cchc.docx: diff: vanban"
    assert git("check-attr", "eol", "--", "inputs/plan.yaml", cwd=folder).stdout.strip() == "inputs/plan.yaml: eol: lf"
    settings = json.loads((folder / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema in settings["yaml.schemas"]:
        assert (folder / schema).is_file(), schema
    # every input file the scaffold wrote is tied to the schema named in its modeline
    for path in (folder / "inputs").rglob("*.yaml"):
        rel = path.relative_to(folder).as_posix()
        tied = [s for s, patterns in settings["yaml.schemas"].items() if any(fnmatch(rel, p) for p in patterns)]
        modeline = path.read_text(encoding="utf-8").splitlines()[0]
        assert len(tied) == 1 and modeline.endswith(tied[0].removeprefix("./")), (rel, tied, modeline)


def test_a_change_to_the_communes_own_templates_is_not_blamed_on_vanban(tmp_path):
    """With its own templates/, a template change is the commune's: build gives no 'vanban changed' reason."""
    assert run("init", tmp_path / "xa-c", "--commune", "An Bình", "--province", "Nghệ An").exit_code == 0
    folder = tmp_path / "xa-c"
    shutil.copytree(ROOT / "templates", folder / "templates")
    args = ("build", "--inputs", folder / "inputs", "--out", folder / "outputs")
    assert run(*args).exit_code == 0
    template = folder / "templates" / "kh_ubnd.docx"
    with zipfile.ZipFile(template) as old:
        parts = {n: old.read(n) for n in old.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"{{ doc.type_name }}", "{{ doc.type_name }} CỦA XÃ".encode("utf-8"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as new:
        for name, data in parts.items():
            new.writestr(name, data)
    template.write_bytes(buffer.getvalue())
    check = run("build", "--check", "--inputs", folder / "inputs", "--out", folder / "outputs")
    assert check.exit_code == 1 and "khác:   ke-hoach-cchc.docx" in check.output
    assert "Lý do" not in check.output
    result = run(*args)
    assert result.exit_code == 0 and "  cập nhật   " in result.output
    assert "Lý do" not in result.output and "vì vanban thay đổi" not in result.output
