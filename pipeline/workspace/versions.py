"""Versions: the commune's inputs and outputs committed to git, listed, and compared.

A version is a git commit of ``inputs/`` and ``outputs/`` (``vcs.git.git``) with the clerk's note as
its message; the history lists the commits that touched the folder, who made them and when; a
version's changes are ``vcs.diff.compare`` of the outputs at that commit and at its parent (each
document's text as ``vanban diff`` shows it), and the tracked-changes file is ``vcs.redline``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.vcs.git import git

FALLBACK_NAME = "Văn thư"  # the author when this machine's git has no name set (the office may set one later)
FALLBACK_EMAIL = "van-thu@localhost"
LOG_LIMIT = 200


@dataclass
class Version:
    sha: str
    author: str
    when: str  # ISO date and time, the committer's zone
    message: str


def _identity(root: Path) -> list[str]:
    args = []
    if not git(["config", "user.name"], root, check=False).stdout.strip():
        args += ["-c", f"user.name={FALLBACK_NAME}"]
    if not git(["config", "user.email"], root, check=False).stdout.strip():
        args += ["-c", f"user.email={FALLBACK_EMAIL}"]
    return args


def is_repository(root: Path) -> bool:
    return git(["rev-parse", "--show-toplevel"], root, check=False).returncode == 0


def save_version(root: Path, message: str) -> str | None:
    """Commit the inputs and outputs with ``message``; the new commit, or None when nothing changed."""
    scope = [p for p in ("inputs", "outputs") if (root / p).exists()]
    git(["add", "-A", "--", *scope], root)
    if git(["diff", "--cached", "--quiet", "--", *scope], root, check=False).returncode == 0:
        return None
    git([*_identity(root), "commit", "-q", "-m", message, "--", *scope], root)
    return git(["rev-parse", "HEAD"], root).stdout.decode().strip()


def history(root: Path) -> list[Version]:
    if git(["rev-parse", "--verify", "--quiet", "HEAD"], root, check=False).returncode != 0:
        return []
    out = git(["log", f"-n{LOG_LIMIT}", "--format=%H%x1f%an%x1f%ad%x1f%s%x1e", "--date=format:%d/%m/%Y %H:%M",
               "--", "."], root).stdout.decode("utf-8", "replace")
    versions = []
    for record in out.split("\x1e"):
        fields = record.strip("\n").split("\x1f")
        if len(fields) == 4:
            versions.append(Version(*fields))
    return versions


def known(root: Path, sha: str) -> bool:
    return all(c in "0123456789abcdef" for c in sha) and len(sha) == 40 and \
        git(["cat-file", "-e", f"{sha}^{{commit}}"], root, check=False).returncode == 0


def changes(root: Path, sha: str) -> list:
    """The documents that version ``sha`` changed (``vcs.diff.Change``), against its parent."""
    from pipeline.vcs.diff import Side, compare, side_at

    out_dir = root / "outputs"
    parent = git(["rev-parse", "--verify", "--quiet", f"{sha}^"], root, check=False)
    old = side_at(parent.stdout.decode().strip(), out_dir) if parent.returncode == 0 else Side("trống", {})
    return compare(old, side_at(sha, out_dir))
