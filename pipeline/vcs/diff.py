"""Two sets of documents compared as text: each side a file, a folder, or a git revision of one.

``resolve_sides`` reads the sides, ``compare`` lists the documents added, removed or changed with
their ``textconv`` lines, ``unified`` prints one change as a unified diff. ``vanban diff``
(``commands/diff.py``) shows them; ``--redline`` writes Word tracked changes (``redline.py``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import click

from pipeline import errors as E
from pipeline.vcs.git import git, is_revision, repo_root

SKIP_DIRS = {".backup", ".git"}


@dataclass
class Side:
    label: str
    docs: dict[str, bytes]  # relative path -> bytes


def _docx_files(folder: Path) -> dict[str, bytes]:
    """The Word documents under ``folder`` as ``paths.word_documents`` finds them (no hidden folders, no Word
    lock files); a file named .docx that is no document is left out with a note."""
    from pipeline.paths import word_documents

    docs, skipped = word_documents(folder)
    for path, why in skipped:
        click.echo(f"Bỏ qua {path}: {why}.", err=True)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in docs}


def _from_path(path: Path) -> Side:
    if path.is_dir():
        return Side(str(path), _docx_files(path))
    return Side(str(path), {path.name: path.read_bytes()})


def _from_git(rev: str, scope: Path) -> Side:
    """The .docx files under ``scope`` (file or folder of the working tree) at revision ``rev``."""
    root = repo_root(scope if scope.is_dir() else scope.parent if scope.parent.exists() else ".")
    try:
        rel = scope.resolve().relative_to(root.resolve()).as_posix()
    except ValueError as exc:
        raise E.ExternalToolError(f"{scope} không nằm trong kho git {root}") from exc
    listing = git(["ls-tree", "-r", "-z", "--name-only", rev, "--", rel if rel != "." else ""], root).stdout
    names = [n for n in listing.decode("utf-8").split("\0") if n.endswith(".docx")]
    docs = {}
    for name in names:
        inner = PurePosixPath(name)
        if scope.is_file() or (not scope.exists() and rel == name):
            key = inner.name
        else:
            key = inner.relative_to(rel).as_posix() if rel != "." else name
        if any(part in SKIP_DIRS for part in PurePosixPath(key).parts[:-1]):
            continue
        docs[key] = git(["cat-file", "blob", f"{rev}:{name}"], root).stdout
    return Side(f"{rev}:{rel}", docs)


def side_at(rev: str, scope: Path) -> Side:
    """The .docx files under ``scope`` at git revision ``rev`` (the workspace's history of versions)."""
    return _from_git(rev, scope)


def resolve_sides(old: str | None, new: str | None, out_dir: Path) -> tuple[Side, Side]:
    """OLD and NEW (shown as CŨ and MỚI) are paths or git revisions; the folder/file a revision is read at is
    the first path given, else ``out_dir``. No NEW: the working tree; no OLD either: HEAD."""
    args = [a for a in (old, new) if a is not None]
    paths = [Path(a) for a in args if Path(a).exists()]
    for a in args:
        if not Path(a).exists() and not is_revision(a):
            raise click.BadParameter(f"'{a}' không phải tệp, thư mục hay phiên bản git (commit) nào", param_hint="CŨ/MỚI")
    if len(args) == 1 and paths:  # `vanban diff FILE_OR_FOLDER`: last commit vs the working tree
        args = ["HEAD", args[0]]
    elif len(args) == 0:
        args = ["HEAD"]
    if len(args) == 1:
        args.append(str(out_dir))
    scope = paths[0] if paths else Path(out_dir)
    sides = []
    for a in args:
        p = Path(a)
        sides.append(_from_path(p) if p.exists() else _from_git(a, scope))
    old_side, new_side = sides
    if len(old_side.docs) == 1 and len(new_side.docs) == 1 and set(old_side.docs) != set(new_side.docs):
        # two single files with different names: compare them with each other
        (od,) = old_side.docs.values()
        (nk,) = new_side.docs
        old_side = Side(old_side.label, {nk: od})
    return old_side, new_side


@dataclass
class Change:
    path: str
    status: str  # "added" | "removed" | "changed"
    old: bytes | None
    new: bytes | None
    old_lines: list[str]
    new_lines: list[str]


STATUS_VI = {"added": "thêm mới", "removed": "bị xóa", "changed": "thay đổi"}


def compare(old: Side, new: Side) -> list[Change]:
    from pipeline.vcs.textconv import docx_lines

    changes = []
    for path in sorted(set(old.docs) | set(new.docs)):
        a, b = old.docs.get(path), new.docs.get(path)
        if a == b:
            continue
        la = docx_lines(a, f"{old.label} ({path})") if a is not None else []
        lb = docx_lines(b, f"{new.label} ({path})") if b is not None else []
        # "changed" with equal lines: the bytes differ but not the text (formatting, metadata)
        status = "added" if a is None else "removed" if b is None else "changed"
        changes.append(Change(path, status, a, b, la, lb))
    return changes


def unified(change: Change, old_label: str, new_label: str, context: int = 2) -> list[str]:
    return list(difflib.unified_diff(change.old_lines, change.new_lines, f"{old_label}/{change.path}",
                                     f"{new_label}/{change.path}", n=context, lineterm=""))
