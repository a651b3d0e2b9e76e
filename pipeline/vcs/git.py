"""git as vanban uses it: the plumbing, and the ``vanban`` diff driver that shows .docx as text.

The driver: ``.gitattributes`` gets ``*.docx diff=vanban`` and the repository's config gets
``diff.vanban.textconv`` (this Python running ``textconv.py`` directly: git starts it once per
file, so no click), ``cachetextconv``, and a hunk header that names the document section.
``vanban git-setup`` and ``vanban init`` write the same settings (``driver_settings``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline import errors as E

DRIVER = "vanban"
ATTRIBUTE_LINE = "*.docx diff=vanban"
HUNK_HEADER = "^=== .*"  # hunks are titled with their section line


def git(args: list[str], cwd: Path | str = ".", check: bool = True) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(["git", *args], cwd=str(cwd), capture_output=True)
    except FileNotFoundError as exc:
        raise E.ExternalToolError("không tìm thấy chương trình git; hãy cài Git rồi chạy lại") from exc
    if check and proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip()
        raise E.ExternalToolError(f"lệnh 'git {' '.join(args)}' thất bại: {msg}")
    return proc


def repo_root(cwd: Path | str = ".") -> Path:
    proc = git(["rev-parse", "--show-toplevel"], cwd, check=False)
    if proc.returncode != 0:
        raise E.ExternalToolError(
            f"thư mục {Path(cwd).resolve()} không nằm trong một kho git; hãy chạy 'git init' (hoặc mở đúng thư mục) trước")
    return Path(proc.stdout.decode("utf-8").strip())


def is_revision(rev: str, cwd: Path | str = ".") -> bool:
    return git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd, check=False).returncode == 0


def driver_command() -> str:
    """The command git runs: this Python running textconv.py directly (no click, starts fast)."""
    script = Path(__file__).resolve().with_name("textconv.py")
    return f'"{Path(sys.executable).as_posix()}" "{script.as_posix()}"'


def driver_settings(command: str | None = None) -> dict[str, str]:
    """The repository config of the ``vanban`` diff driver; ``command``: another textconv command."""
    return {
        f"diff.{DRIVER}.textconv": command or driver_command(),
        f"diff.{DRIVER}.cachetextconv": "true",
        f"diff.{DRIVER}.xfuncname": HUNK_HEADER,
    }
