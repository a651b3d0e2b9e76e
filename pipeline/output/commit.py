"""The commit: all outputs of a build land together, or none do.

A build renders every document in memory; ``write_outputs`` then commits them
into the output folder through a journal, under a lock:

1. ``.vanban-lock``, locked by the operating system (``filelock``), stops a second
   build writing the same folder; the lock ends with its process, so one left by a
   killed build, a reused pid or another computer never blocks (``Lock``).
2. A commit left unfinished by an earlier build (killed, power cut) is
   finished first (``recover``): with its journal written it is rolled forward,
   without it the staging folder is simply removed (nothing had been moved yet).
   The staging folder is never followed through a symlink or junction.
3. Every path is checked to lie inside the output folder (``manifest.inside``:
   no ``..``, no absolute path, no symlink leading out). Manifest entries that
   fail the check are ignored with a warning, never deleted.
4. The new bytes and the new manifest are written into ``.vanban-staging/`` (the
   same file system, so moving them is a rename); each target folder is probed
   for writing; then ``journal.json`` records the intended set: the commit point.
5. Staged files are renamed into place, obsolete outputs deleted, the manifest
   renamed last; the staging folder is removed. Should a rename fail (a file
   open in Word, a folder made read-only meanwhile), what was moved is put back.

Any ``OSError`` becomes an ``EnvironmentFault`` (exit 4, a Vietnamese message
naming the path). ``VANBAN_COMMIT_PAUSE`` (seconds) makes each rename wait, so
tests can kill a build in the middle of a commit.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.output import manifest as mf
from pipeline.output.issued import Issue, apply as apply_issue
from pipeline.errors import EnvironmentFault, environment_fault

if TYPE_CHECKING:
    from filelock import BaseFileLock

LOCK_NAME = ".vanban-lock"
JOURNAL = "journal.json"


def notify(text: str) -> None:
    """A warning for the user (Vietnamese), on stderr."""
    sys.stderr.write(f"Cảnh báo: {text}\n")


def _pause() -> None:
    delay = os.environ.get("VANBAN_COMMIT_PAUSE")
    if delay:
        time.sleep(float(delay))


def _confined(root: Path, rel: str) -> Path:
    target = mf.inside(root, rel)
    if target is None:
        raise EnvironmentFault(root / rel, "đường dẫn này dẫn ra ngoài thư mục kết quả (có '..', đường dẫn "
                                           "tuyệt đối hoặc liên kết tượng trưng trỏ ra ngoài); vanban không ghi")
    return target


def _fsync_write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:  # a full disk names no file by itself
        exc.filename = exc.filename or str(path)
        raise


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- the lock


class Lock:
    """``.vanban-lock`` in the output folder, locked by the operating system while a build writes there.

    The lock is the system's (``filelock``: ``flock`` on POSIX, a byte-range lock on Windows), not the
    file's being there: it ends with the process holding it, however that ends, so a lock file left
    by a killed build, a pid used again or another computer on a shared folder never blocks, and two
    builds never write at once (the second is refused at once, exit 4). What a killed build left half
    done is the journal's to finish or undo (``recover``), under the lock. The file itself stays on
    POSIX (removing it would let two processes lock two files of one name); git ignores it.
    """

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / LOCK_NAME
        self.lock: BaseFileLock | None = None

    def __enter__(self) -> Lock:
        from filelock import FileLock, Timeout

        if _is_link(self.path):  # the lock is a file of ours, never a way elsewhere
            _unlink_link(self.path)
        lock = FileLock(str(self.path), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise EnvironmentFault(self.path.parent, "một lần 'vanban build' khác đang ghi vào thư mục này; hãy đợi "
                                   "nó xong rồi chạy lại") from None
        self.lock = lock
        return self

    def __exit__(self, *exc) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None


# --------------------------------------------------------------------------- journal


def _staging(out_dir: Path) -> Path:
    return Path(out_dir) / mf.STAGING_DIR


def _is_link(path: Path) -> bool:
    """A symlink, or on Windows a junction or another reparse point: the commit never goes through one."""
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    return stat.S_ISLNK(st.st_mode) or bool(getattr(st, "st_file_attributes", 0) & 0x400)  # REPARSE_POINT


def _unlink_link(path: Path) -> None:
    """Remove the link itself, never what it leads to."""
    try:
        os.unlink(path)
    except (IsADirectoryError, PermissionError):  # a junction on Windows is removed as a folder
        os.rmdir(path)


def _remove_staging(out_dir: Path) -> None:
    staging = _staging(out_dir)
    if _is_link(staging):
        _unlink_link(staging)
    elif staging.is_file():
        staging.unlink()
    elif staging.exists():
        shutil.rmtree(staging)  # removes the links inside, never follows them


def _prune(root: Path, folder: Path) -> None:
    while folder != root and folder.is_relative_to(root) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _roll_forward(root: Path, journal: dict, done: list | None = None) -> None:
    """Move the journal's staged files into place, delete, then place the manifest (idempotent)."""
    staging = _staging(root)
    touched = {root}
    for rel in journal.get("write", {}):
        src, dst = staging / "files" / rel, _confined(root, rel)
        if src.is_file() and not _link_on_way(staging, f"files/{rel}"):
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
            touched.add(dst.parent)
            if done is not None:
                done.append(rel)
            _pause()
    for rel, digest in journal.get("delete", {}).items():
        dst = _confined(root, rel)
        if dst.is_file() and mf.file_sha256(dst) == digest:
            dst.unlink()
            if done is not None:
                done.append(rel)
            _prune(root, dst.parent)
    src = staging / mf.MANIFEST_NAME
    if src.is_file() and not _is_link(src):
        os.replace(src, root / mf.MANIFEST_NAME)
    for folder in sorted(touched):  # the renames survive a power cut too
        _fsync_dir(folder)


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _link_on_way(staging: Path, rel: str) -> bool:
    """Whether ``staging/rel`` or a folder on the way to it is a link (then it may lead anywhere)."""
    path = staging
    for part in rel.split("/"):
        path = path / part
        if _is_link(path):
            return True
    return False


def _read_journal(root: Path) -> dict | None:
    """The journal of an unfinished commit, its entries restricted to paths inside ``root``; None without one."""
    staging = _staging(root)
    if _is_link(staging) or not staging.is_dir() or _link_on_way(staging, JOURNAL):
        return None
    try:
        journal = json.loads((staging / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(journal, dict):
        return None
    return {k: {r: d for r, d in _mapping(journal.get(k)).items() if isinstance(d, str) and mf.inside(root, r)}
            for k in ("write", "delete")}


def _unusable(staging: Path, journal: dict) -> str | None:
    """Why the staged files cannot be what the journal recorded (a link, other bytes), or None."""
    if _link_on_way(staging, mf.MANIFEST_NAME):
        return f"{mf.MANIFEST_NAME} là một liên kết"
    for rel, digest in journal["write"].items():
        src = staging / "files" / rel
        if _link_on_way(staging, f"files/{rel}"):
            return f"{rel} đi qua một liên kết tượng trưng"
        if src.is_file() and mf.file_sha256(src) != digest:
            return f"{rel} không phải bản đã ghi nhận"
    return None


def recover(out_dir: Path) -> list[str]:
    """Finish (journal written) or undo (no journal yet) a commit an earlier build left.

    The staging folder is never followed through a symlink (or a Windows junction): a link in its
    place is removed, and a journal whose staged files go through a link or differ from the bytes it
    recorded is not rolled forward. Nothing outside the output folder is read into it or touched.
    Returns the outputs a finished commit wrote or removed (none when undone or nothing was left).
    """
    root = Path(out_dir).resolve()
    staging = _staging(root)
    if not (staging.exists() or _is_link(staging)):
        return []
    journal = _read_journal(root)
    problem = _unusable(staging, journal) if journal is not None else None
    if journal is not None and problem is None:
        _roll_forward(root, journal)
        _remove_staging(root)
        notify(f"lần dựng trước bị ngắt khi đang ghi; vanban đã ghi nốt {len(journal['write'])} văn bản "
               f"vào {out_dir} như lần đó định ghi")
        return list(journal["write"]) + list(journal["delete"])
    if problem is not None:
        notify(f"{staging}: phần dở dang của lần dựng trước không dùng được ({problem}); vanban xóa nó, "
               "không ghi nốt và không đụng đến tệp nào khác")
    _remove_staging(root)
    return []


# --------------------------------------------------------------------------- the commit


@dataclass
class Changes:
    writes: dict[str, bytes] = field(default_factory=dict)  # output -> new bytes
    deletes: dict[str, str] = field(default_factory=dict)  # output -> hash it must still have
    manifest: bytes | None = None  # None: unchanged
    old: dict[str, bytes | None] = field(default_factory=dict)  # what a failed commit puts back
    kept: list[str] = field(default_factory=list)  # outputs edited by hand, left as they are


def _hold_edited(built: list, root: Path, previous: dict | None, recorded: dict[str, str], force: bool,
                 issue: Issue | None, version: str) -> tuple[list, list[str]]:
    """Outputs edited by hand since vanban wrote them: backed up then overwritten with ``force`` (or when
    the office adopts another file as the issued version), otherwise held as they are, named in ``kept``."""
    edited = mf.hand_edited([b for b in built if not b.held], root, previous, recorded)
    kept = [] if force else [rel for rel in edited if issue is None or rel != issue.path]
    for rel in edited:
        if rel not in kept:
            mf.backup(root, rel)
    entries = (previous or {}).get("outputs") or {}
    out = []
    for b in built:
        if b.path in kept:
            old = entries.get(b.path)
            entry = dict(old) if isinstance(old, dict) and b.path in recorded else {
                "output": mf.sha256(b.data), "source": b.source, "title": b.title, "vanban": version}
            b = replace(b, held="edited", entry={**entry, "held": "edited"})
        out.append(b)
    return out, kept


def _changes(built, root: Path, sources: dict | None, force: bool, issue: Issue | None = None) -> Changes:
    previous, problem = mf.read_checked(root)
    if problem:
        notify(f"tệp ghi nhận {root / mf.MANIFEST_NAME} không đọc được: {problem}. vanban không biết văn bản "
               "nào do chính nó ghi, nên mọi văn bản khác bản dựng mới đều được coi như sửa tay")
    recorded = mf.entries(previous, root, warn=notify)
    version = (sources or {}).get("vanban", "")
    built, extra, issued = apply_issue(built, issue, previous, root, version)
    targets = {b.path: _confined(root, b.path) for b in built}
    built, kept = _hold_edited(built, root, previous, recorded, force, issue, version)
    changes = Changes(kept=kept)
    for b in built:
        target = targets[b.path]
        if target.is_dir():
            raise EnvironmentFault(target, "ở chỗ cần ghi văn bản lại là một thư mục; hãy đổi tên thư mục đó")
        if b.held or (target.is_file() and mf.file_sha256(target) == mf.sha256(b.data)):
            continue
        changes.writes[b.path] = b.data
        changes.old[b.path] = target.read_bytes() if target.is_file() else None
    for rel, data in extra.items():
        target = _confined(root, rel)
        changes.writes[rel] = data
        changes.old[rel] = target.read_bytes() if target.is_file() else None
    removable, _ = mf.obsolete(built, root, previous, recorded)
    for rel in removable:
        if rel not in issued:  # an issued document stays, even when the inputs no longer make it
            changes.deletes[rel] = recorded[rel]
            changes.old[rel] = (root / rel).read_bytes()
    data = mf.render(built, sources, issued)
    manifest = root / mf.MANIFEST_NAME
    if not (manifest.is_file() and manifest.read_bytes() == data):
        changes.manifest = data
    return changes


def _preflight(root: Path, changes: Changes) -> None:
    """Every folder the commit renames into exists and takes a new file, before the commit point."""
    import tempfile

    folders = {(root / rel).parent for rel in list(changes.writes) + list(changes.deletes)} | {root}
    for folder in sorted(folders):
        if folder != root:
            _confined(root, folder.relative_to(root).as_posix())
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".vanban-probe.", dir=folder)
        os.close(fd)
        os.unlink(probe)


def _undo(root: Path, changes: Changes, done: list[str]) -> None:
    """Put back what a failed roll-forward already moved (best effort, newest first)."""
    from pipeline.ooxml.package import atomic_write

    for rel in reversed(done):
        old = changes.old.get(rel)
        target = root / rel
        try:
            if old is None:
                target.unlink(missing_ok=True)
            else:
                atomic_write(target, old)
        except OSError:
            pass


def _commit(root: Path, changes: Changes) -> None:
    staging = _staging(root)
    staging.mkdir()  # new, made by this build: recover removed any other (a link is never written through)
    try:
        for rel, data in changes.writes.items():
            _fsync_write(staging / "files" / rel, data)
        if changes.manifest is not None:
            _fsync_write(staging / mf.MANIFEST_NAME, changes.manifest)
        _preflight(root, changes)
        journal = {"write": {rel: mf.sha256(d) for rel, d in changes.writes.items()}, "delete": changes.deletes}
        _fsync_write(staging / (JOURNAL + ".tmp"), json.dumps(journal, ensure_ascii=False).encode("utf-8"))
        os.replace(staging / (JOURNAL + ".tmp"), staging / JOURNAL)  # the commit point
        _fsync_dir(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _pause()
    done: list[str] = []
    try:
        _roll_forward(root, journal, done)
    except OSError:
        _undo(root, changes, done)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _remove_staging(root)


def write_outputs(built, out_dir: Path, sources: dict | None = None, force: bool = False) -> list[str]:
    """``commit_outputs``' paths written or removed."""
    return commit_outputs(built, out_dir, sources, force)[0]


def commit_outputs(built, out_dir: Path, sources: dict | None = None, force: bool = False,
                   issue: Issue | None = None) -> tuple[list[str], list[str]]:
    """Commit every output and the manifest, all or nothing; return (the paths written or removed,
    the outputs edited by hand and kept as they are).

    Outputs of the previous build that the inputs no longer make are deleted when untouched
    since vanban wrote them (never an issued one). An output edited by hand since vanban wrote it
    is kept as it is and named, the others are written; with ``force`` it is first copied to
    ``outputs/.backup/`` and overwritten (see ``manifest.py``). A held document (``held``: issued)
    is never written. ``issue`` records a document as issued in the same commit. An ``OSError``
    becomes ``EnvironmentFault``.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise EnvironmentFault(out_dir, "đây là một tệp, không phải thư mục; hãy chọn thư mục khác cho --out")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        root = out_dir.resolve()
        with Lock(root):
            recovered = recover(root)
            changes = _changes(built, root, sources, force, issue)
            if changes.writes or changes.deletes or changes.manifest is not None:
                _commit(root, changes)
    except OSError as exc:
        raise environment_fault(out_dir, exc) from None
    changed = list(changes.writes) + list(changes.deletes)
    return changed + [rel for rel in recovered if rel not in changed], changes.kept


def compare_outputs(built, out_dir: Path, sources: dict | None = None,
                    issued: dict | None = None) -> dict[str, list[str]]:
    """For ``--check``: outputs missing on disk, and those whose bytes differ (the manifest too, given ``sources``)."""
    missing, differ = [], []
    expected = [(b.path, b.data) for b in built]
    if sources is not None:
        expected.append((mf.MANIFEST_NAME, mf.render(built, sources, issued)))
    for path, data in expected:
        target = Path(out_dir) / path
        if not target.is_file():
            missing.append(path)
        elif not mf.same_output(path, target, data):
            differ.append(path)
    return {"missing": missing, "differ": differ}
