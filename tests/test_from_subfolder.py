"""A clerk whose terminal is in a folder inside the commune's (outputs/, inputs/, any other) runs
`vanban build`, `lint`, `calendar`, `pdf` as from the commune folder itself, as git finds its
repository; outside any commune folder the defaults stay `inputs` and `outputs` of the current folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.errors import EXIT_INVALID_INPUT
from pipeline.paths import commune_folder

ROOT = Path(__file__).resolve().parent.parent


def vanban(cwd: Path, *args: str, cache: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, VANBAN_CACHE=str(cache))
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env, capture_output=True,
                          text=True)


def test_a_build_from_a_folder_inside_the_commune_builds_the_commune(tmp_path):
    commune = tmp_path / "xa"
    shutil.copytree(ROOT / "inputs", commune / "inputs")
    deep = commune / "ho-so" / "2025"
    deep.mkdir(parents=True)
    assert commune_folder(deep) == commune.resolve()
    result = vanban(deep, "build", cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert (commune / "outputs" / "ke-hoach-cchc.docx").is_file()
    assert sorted(p.name for p in deep.iterdir()) == []  # nothing written where the terminal was
    assert str(commune / "outputs") in result.stdout  # the report names where the documents went
    again = vanban(commune / "outputs", "build", cache=tmp_path / "cache")
    assert again.returncode == 0 and "Không có gì thay đổi" in again.stdout, again.stdout + again.stderr
    lint = vanban(commune / "inputs", "lint", cache=tmp_path / "cache")
    assert lint.returncode == 0, lint.stderr


def test_outside_any_commune_folder_the_defaults_are_the_current_folders(tmp_path):
    assert commune_folder(tmp_path) is None
    result = vanban(tmp_path, "build", cache=tmp_path / "cache")
    assert result.returncode == EXIT_INVALID_INPUT
    assert "inputs" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "outputs").exists()
