"""vanban installed from its wheel, outside the repository, in a commune's own folder (issue 19).

The wheel is built from a clean copy of the working tree and installed into a new
virtual environment whose only vanban is the wheel's (the dependencies come from the
running Python, so no download). A template, data file or schema left out of the
package makes init, build or check fail here.
"""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from tools.try_wheel import (build_wheel, clean_env, docx_files, first_sequence, make_venv, run, source_files,
                             text_diff_after_edit)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed for a commune's folder")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("dist"))


def installed(tmp: Path, wheel: Path) -> tuple[Path, dict, Path]:
    """(scripts folder of a new venv with the wheel, environment, an empty working folder)."""
    bindir = make_venv(tmp / "venv", wheel, reuse_deps=True)
    work = tmp / "work"
    work.mkdir()
    env = clean_env(tmp)
    env["PATH"] = os.pathsep.join([str(bindir), env.get("PATH", "")])
    return bindir, env, work


@pytest.fixture(scope="module")
def commune(wheel, tmp_path_factory) -> tuple[Path, dict, Path]:
    """(scripts folder, environment, the commune's folder) after init → build → check → build --check."""
    tmp = tmp_path_factory.mktemp("installed")
    bindir, env, work = installed(tmp, wheel)
    return bindir, env, first_sequence(bindir, work, env)  # each step exits 0


def version_of(wheel: Path) -> str:
    return wheel.name.split("-")[1]


def test_the_wheel_carries_the_templates_schemas_and_data_of_the_repository(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    # the package's source files (as git lists them): the code and data, and the two mapped folders
    where = {"pipeline/": "pipeline/", "templates/": "pipeline/templates/", "schema/": "pipeline/schemas/"}
    expected = [where[top] + rel.removeprefix(top) for rel in source_files(ROOT) for top in where
                if rel.startswith(top)]
    assert "pipeline/templates/phu_luc/phu_luc.docx" in expected and len(expected) > 40
    assert sorted(set(expected) - names) == []
    assert not any(n.startswith(("templates/", "schema/", "inputs/", "outputs/", "tests/")) for n in names)


def test_init_build_check_in_an_empty_folder_from_the_wheel(wheel, commune):
    bindir, env, folder = commune
    venv = bindir.parent
    where = run([bindir / "python", "-c", "import pipeline; print(pipeline.__file__)"], cwd=folder, env=env).stdout
    assert Path(where.strip()).is_relative_to(venv), "vanban runs from the wheel, not the checkout"
    for rel in ("README.md", ".gitattributes", ".gitignore", ".pre-commit-config.yaml", ".vscode/settings.json",
                "schema/plan.schema.json", "inputs/plan.yaml", "outputs/.vanban-manifest.json"):
        assert (folder / rel).is_file(), rel
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "Quảng Phú" in readme and "Nghệ An" in readme
    for command in ("vanban lint", "vanban build", "vanban diff"):
        assert f"`{command}`" in readme
    settings = json.loads((folder / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./schema/plan.schema.json"] == ["inputs/plan.yaml"]
    assert settings["yaml.schemas"]["./schema/subplan.schema.json"] == ["inputs/subplans/*.yaml"]
    assert (folder / "schema/plan.schema.json").read_bytes() == (ROOT / "schema/plan.schema.json").read_bytes()
    assert "*.docx diff=vanban" in (folder / ".gitattributes").read_text(encoding="utf-8").splitlines()
    textconv = run(["git", "config", "diff.vanban.textconv"], cwd=folder, env=env).stdout
    assert str(venv) in textconv, "git runs the installed vanban's textconv"
    manifest = json.loads((folder / "outputs/.vanban-manifest.json").read_text(encoding="utf-8"))
    assert {e["vanban"] for e in manifest["outputs"].values()} == {version_of(wheel)}
    assert sorted(manifest["outputs"]) == docx_files(folder / "outputs")

    again = folder.parent / "schema-again"
    run([bindir / "vanban", "schema", "--out", again], cwd=folder, env=env)
    for path in (ROOT / "schema").glob("*.schema.json"):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name

    diff = text_diff_after_edit(bindir, folder, env)
    removed = [line for line in diff.splitlines() if line.startswith("-") and "Quảng Phú xây dựng Kế hoạch" in line]
    added = [line for line in diff.splitlines() if line.startswith("+") and "Quảng Phú ban hành Kế hoạch" in line]
    assert len(removed) == 1 and len(added) == 1, diff[:3000]


def test_the_pre_commit_hooks_of_the_folder_run_the_installed_vanban(commune):
    pytest.importorskip("pre_commit")
    bindir, env, folder = commune
    hooks = yaml.safe_load((folder / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]
    assert {h["id"]: shlex.split(h["entry"])[:2] for h in hooks} == {
        "vanban-lint": ["vanban", "lint"], "vanban-check": ["vanban", "build"]}
    run(["git", "add", "-A"], cwd=folder, env=env)
    done = run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=folder, env=env, ok=(1,))
    # the scaffold's "CẦN ĐIỀN" places stop a commit until filled; the outputs match the inputs
    assert re.search(r"vanban lint .*Failed", done.stdout) and "placeholder" in done.stdout, done.stdout
    assert re.search(r"vanban build --check .*Passed", done.stdout), done.stdout


def _new_vanban(src: Path) -> None:
    """The next release, as a copy of the source: a higher version and a changed plan template."""
    init = src / "pipeline" / "__init__.py"
    init.write_text(re.sub(r'__version__ = "([^"]+)"', r'__version__ = "\1.post1"', init.read_text(encoding="utf-8")),
                    encoding="utf-8")
    template = src / "templates" / "kh_ubnd.docx"
    with zipfile.ZipFile(template) as old:
        parts = {n: old.read(n) for n in old.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    assert xml.count("{{ doc.type_name }}") == 1
    parts["word/document.xml"] = xml.replace("{{ doc.type_name }}", "{{ doc.type_name }} MẪU MỚI").encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    template.write_bytes(buffer.getvalue())


def test_after_an_upgrade_build_says_which_documents_vanban_changed(wheel, commune, tmp_path):
    bindir, env, work = installed(tmp_path, wheel)  # its own install, to upgrade
    folder = work / commune[2].name
    shutil.copytree(commune[2], folder)
    run(["git", "config", "diff.vanban.textconv", f'"{bindir / "vanban"}" textconv'], cwd=folder, env=env)
    run(["git", "add", "-A"], cwd=folder, env=env)
    run(["git", "commit", "-q", "-m", "Khởi tạo"], cwd=folder, env=env)
    newer = build_wheel(tmp_path / "dist2", edit=_new_vanban)
    old_v, new_v = version_of(wheel), version_of(newer)
    assert new_v == f"{old_v}.post1"
    run([sys.executable, "-m", "pip", "--python", bindir / "python", "install", "-q", "--no-deps",
         "--force-reinstall", newer], env=env)
    why = f"vì vanban thay đổi (phiên bản {old_v} → {new_v}; mẫu văn bản mới: kh_ubnd.docx), " \
          "không phải vì dữ liệu đầu vào"

    check = run([bindir / "vanban", "build", "--check"], cwd=folder, env=env, ok=(1,))
    differ = [line.split()[-1] for line in check.stderr.splitlines() if line.strip().startswith("khác:")]
    changed_docs = [p for p in differ if p.endswith(".docx")]
    # the plan template changed: the plan, sub-plans and reports; the appendices (own template) did not
    assert "ke-hoach-cchc.docx" in changed_docs and not any(p.startswith("phu-luc/") for p in changed_docs)
    assert f"Lý do: {len(changed_docs)} văn bản thay đổi {why}" in check.stderr, check.stderr

    build = run([bindir / "vanban", "build"], cwd=folder, env=env)
    written = [line.split()[2].removeprefix("outputs/") for line in build.stdout.splitlines()
               if line.strip().startswith("cập nhật")]
    assert sorted(written) == sorted(changed_docs)
    assert f"Lý do: {len(changed_docs)} văn bản thay đổi {why}" in build.stdout, build.stdout
    run([bindir / "vanban", "build", "--check"], cwd=folder, env=env)
    manifest = json.loads((folder / "outputs/.vanban-manifest.json").read_text(encoding="utf-8"))
    assert {e["vanban"] for e in manifest["outputs"].values()} == {new_v}
    diff = run(["git", "diff", "--", "outputs/ke-hoach-cchc.docx"], cwd=folder, env=env).stdout
    assert "+KẾ HOẠCH MẪU MỚI" in diff.splitlines(), diff[:2000]
    assert run(["git", "diff", "--stat", "--", "inputs"], cwd=folder, env=env).stdout == ""
