"""A commune's own folder, made by ``vanban init DIR`` around its ``inputs/``.

Besides the inputs (``init.py``), the folder gets what an office needs to
work in it with nothing else set up:

- ``outputs/`` for the documents, and a short Vietnamese ``README.md`` with the
  three commands the office uses, and ``Mo-ban-lam-viec.cmd``: on Windows a double click opens
  the workspace (``vanban serve``) of this folder;
- ``schema/`` (the JSON Schemas this vanban carries) and ``.vscode/settings.json``
  tying each input file to its schema, so VS Code completes and underlines;
- ``.gitattributes`` (the .docx diff driver; YAML and JSON kept byte for byte),
  ``.gitignore`` and ``.pre-commit-config.yaml`` (lint and ``build --check``);
- a git repository with the ``vanban`` diff driver configured, so ``git diff``
  shows the documents' text — or, without git, a note saying how to add it.

The fixed texts live in ``pipeline/data/commune_folder/``. ``vanban build`` run
inside the folder finds ``inputs/`` and ``outputs/`` by default.
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

from pipeline.ooxml.package import atomic_write

DATA = "data/commune_folder"
# file in DATA -> where it goes in the commune's folder
FIXED_FILES = {
    "README.md": "README.md",
    "gitattributes": ".gitattributes",
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "serve.cmd": "Mo-ban-lam-viec.cmd",  # Windows: a double click opens `vanban serve` here (its README says so)
}
SCHEMA_DIR = "schema"
YAML_EXTENSION = "redhat.vscode-yaml"


def bundled_schemas() -> Path:
    """The JSON Schemas of this vanban: ``pipeline/schemas`` in an installed package (the
    wheel carries the repository's ``schema/`` there), else ``schema/`` of this checkout."""
    from pipeline.paths import PROJECT_ROOT

    packaged = resources.files("pipeline").joinpath("schemas")
    if isinstance(packaged, Path) and any(packaged.glob("*.schema.json")):
        return packaged
    return PROJECT_ROOT / "schema"


def fixed_text(name: str, commune: str, province: str, unit_word: str = "xã") -> str:
    from pipeline import __version__

    text = resources.files("pipeline").joinpath(f"{DATA}/{name}").read_text(encoding="utf-8")
    return (text.replace("«Xã»", commune).replace("«Tỉnh»", province).replace("«xã/phường»", unit_word)
            .replace("«phiên bản»", __version__))


def editor_settings() -> dict[str, dict]:
    """{path in the folder: JSON} of the VS Code settings: each input file pattern to its schema."""
    from pipeline.inputs.schema import FILES

    by_schema: dict[str, list[str]] = {}
    for pattern, name in FILES.items():
        by_schema.setdefault(f"./{SCHEMA_DIR}/{name}.schema.json", []).append(f"inputs/{pattern}")
    settings = {
        "yaml.schemas": by_schema,
        "files.encoding": "utf8",
        "[yaml]": {"editor.insertSpaces": True, "editor.tabSize": 2, "files.eol": "\n"},
    }
    return {".vscode/settings.json": settings,
            ".vscode/extensions.json": {"recommendations": [YAML_EXTENSION]}}


def write_folder_files(target: Path, commune: str, province: str, unit_word: str = "xã") -> list[Path]:
    """Everything but the inputs and git: outputs/, README, git and editor settings, schemas."""
    target = Path(target)
    written = []
    for name, rel in FIXED_FILES.items():
        text = fixed_text(name, commune, province, unit_word)
        if rel.endswith(".cmd"):  # cmd.exe reads a batch file's lines by CRLF
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
        atomic_write(target / rel, text.encode("utf-8"))
        written.append(target / rel)
    for rel, data in editor_settings().items():
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        atomic_write(target / rel, text.encode("utf-8"))
        written.append(target / rel)
    for schema in sorted(bundled_schemas().glob("*.schema.json")):
        atomic_write(target / SCHEMA_DIR / schema.name, schema.read_bytes())
        written.append(target / SCHEMA_DIR / schema.name)
    (target / "outputs").mkdir(parents=True, exist_ok=True)
    return written


def inputs_of(source: Path) -> Path:
    """The inputs folder of ``source``: a commune's folder (its ``inputs/``) or an inputs folder itself."""
    source = Path(source)
    if (source / "inputs").is_dir() or not (source / "plan.yaml").exists():
        return source / "inputs"
    return source


def own_templates(source: Path) -> Path | None:
    """The commune's own Word templates (``templates/`` beside its inputs), if it has them."""
    own = Path(source) / "templates"
    return own if inputs_of(source) != Path(source) and own.is_dir() else None


NO_GIT = ("Máy này chưa có Git nên chưa tạo kho lưu phiên bản. Cài Git (https://git-scm.com, trên Windows chọn "
          "mặc định) rồi chạy trong thư mục {target}: 'git init' và 'vanban git-setup'.")


NO_NAME = ("Git chưa biết tên người lưu phiên bản (cần cho 'git commit' và 'git diff'), chạy một lần trên máy này: "
           "git config --global user.name \"Họ và tên\" và git config --global user.email \"thu@dien.tu\".")


def setup_git(target: Path) -> list[str]:
    """A git repository in ``target`` (unless it already lies in one) with the vanban diff driver.

    Returns what was done, in Vietnamese, for the office; without git, the note how to add it.
    """
    from pipeline.vcs.git import driver_settings, git

    if shutil.which("git") is None:
        return [NO_GIT.format(target=target)]
    notes = []
    inside = git(["rev-parse", "--show-toplevel"], target, check=False)
    if inside.returncode == 0:
        root = Path(inside.stdout.decode("utf-8").strip())
        notes.append(f"Thư mục nằm trong kho git có sẵn {root}: dùng kho đó, không tạo kho mới.")
    else:
        git(["init", "-q", "."], target)
        root = Path(target)
        notes.append(f"Đã tạo kho git trong {target}.")
    for key, value in driver_settings().items():
        git(["config", "--local", key, value], root)
    notes.append("Đã cài bộ so sánh văn bản: 'git diff' in nội dung các tệp .docx dưới dạng chữ.")
    if not git(["config", "user.email"], root, check=False).stdout.strip():
        notes.append(NO_NAME)
    return notes
