"""The commit: all outputs of a build land together, or none do.

A build renders every document in memory; ``write_outputs`` then commits them
into the output folder through a journal, under a lock:

1. ``.vanban-lock`` (created exclusively, holding the process id) stops a second
   build writing the same folder; a lock left by a process that no longer runs
   is taken over.
2. A commit left unfinished by an earlier build (killed, power cut) is
   finished first (``recover``): with its journal written it is rolled forward,
   without it the staging folder is simply removed (nothing had been moved yet).
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
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.output import manifest as mf
from pipeline.errors import EnvironmentFault, RefusedOverwrite, environment_fault

LOCK_NAME = ".vanban-lock"
JOURNAL = "journal.json"
STALE_AFTER = 3600  # seconds: a lock older than this is taken over even if its pid runs


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


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would send Ctrl-C there
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Lock:
    """``.vanban-lock`` in the output folder while a build writes there."""

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / LOCK_NAME
        self.held = False

    def _holder(self) -> tuple[int, str, float] | None:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace").split()
            age = time.time() - self.path.stat().st_mtime
        except FileNotFoundError:
            return None
        pid = int(text[0]) if text and text[0].isdigit() else 0
        return pid, text[1] if len(text) > 1 else "", age

    def _stale(self, holder) -> bool:
        pid, host, age = holder
        if age > STALE_AFTER:
            return True
        if not pid:
            return age > 10  # a lock being written right now has no pid for a moment
        return host == socket.gethostname() and not _alive(pid)

    def __enter__(self) -> Lock:
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if holder is None or self._stale(holder):
                    self.path.unlink(missing_ok=True)
                    continue
                raise EnvironmentFault(self.path.parent, f"một lần 'vanban build' khác (tiến trình {holder[0]}) "
                                       "đang ghi vào thư mục này; hãy đợi nó xong rồi chạy lại. Nếu chắc chắn "
                                       f"không còn lần dựng nào đang chạy, xóa tệp {self.path}") from None
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(f"{os.getpid()} {socket.gethostname()}\n")
            self.held = True
            return self
        raise EnvironmentFault(self.path, "không tạo được khóa của thư mục kết quả")

    def __exit__(self, *exc) -> None:
        if self.held:
            self.path.unlink(missing_ok=True)


# --------------------------------------------------------------------------- journal


def _staging(out_dir: Path) -> Path:
    return Path(out_dir) / mf.STAGING_DIR


def _remove_staging(out_dir: Path) -> None:
    staging = _staging(out_dir)
    if staging.is_symlink() or staging.is_file():
        staging.unlink()
    elif staging.exists():
        shutil.rmtree(staging)


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
        if src.is_file() and not src.is_symlink():
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
    if src.is_file():
        os.replace(src, root / mf.MANIFEST_NAME)
    for folder in sorted(touched):  # the renames survive a power cut too
        _fsync_dir(folder)


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def recover(out_dir: Path) -> list[str]:
    """Finish (journal written) or undo (no journal yet) a commit an earlier build left.

    Returns the outputs a finished commit wrote or removed (none when undone or nothing was left).
    """
    root = Path(out_dir).resolve()
    staging = _staging(root)
    if not (staging.exists() or staging.is_symlink()):
        return []
    journal = None
    if staging.is_dir() and not staging.is_symlink():
        try:
            journal = json.loads((staging / JOURNAL).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            journal = None
    if isinstance(journal, dict):
        journal = {k: {r: d for r, d in _mapping(journal.get(k)).items() if mf.inside(root, r)}
                   for k in ("write", "delete")}
        _roll_forward(root, journal)
        _remove_staging(root)
        notify(f"lần dựng trước bị ngắt khi đang ghi; vanban đã ghi nốt {len(journal['write'])} văn bản "
               f"vào {out_dir} như lần đó định ghi")
        return list(journal["write"]) + list(journal["delete"])
    _remove_staging(root)
    return []


# --------------------------------------------------------------------------- the commit


@dataclass
class Changes:
    writes: dict[str, bytes] = field(default_factory=dict)  # output -> new bytes
    deletes: dict[str, str] = field(default_factory=dict)  # output -> hash it must still have
    manifest: bytes | None = None  # None: unchanged
    old: dict[str, bytes | None] = field(default_factory=dict)  # what a failed commit puts back


def _changes(built, root: Path, sources: dict | None, force: bool) -> Changes:
    previous, problem = mf.read_checked(root)
    if problem:
        notify(f"tệp ghi nhận {root / mf.MANIFEST_NAME} không đọc được: {problem}. vanban không biết văn bản "
               "nào do chính nó ghi, nên mọi văn bản khác bản dựng mới đều được coi như sửa tay")
    recorded = mf.entries(previous, root, warn=notify)
    targets = {b.path: _confined(root, b.path) for b in built}
    edited = mf.hand_edited(built, root, previous, recorded)
    if edited and not force:
        raise RefusedOverwrite([root / p for p in edited])
    for rel in edited:
        mf.backup(root, rel)
    changes = Changes()
    for b in built:
        target = targets[b.path]
        if target.is_dir():
            raise EnvironmentFault(target, "ở chỗ cần ghi văn bản lại là một thư mục; hãy đổi tên thư mục đó")
        if target.is_file() and mf.file_sha256(target) == mf.sha256(b.data):
            continue
        changes.writes[b.path] = b.data
        changes.old[b.path] = target.read_bytes() if target.is_file() else None
    removable, _ = mf.obsolete(built, root, previous, recorded)
    for rel in removable:
        changes.deletes[rel] = recorded[rel]
        changes.old[rel] = (root / rel).read_bytes()
    data = mf.render(built, sources)
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
    """Commit every output and the manifest, all or nothing; return the paths written or removed.

    Outputs of the previous build that the inputs no longer make are deleted when untouched
    since vanban wrote them. Refuses (``RefusedOverwrite``, nothing written) when an output on
    disk was edited by hand since vanban wrote it; with ``force`` it is first copied to
    ``outputs/.backup/`` (see ``manifest.py``). An ``OSError`` becomes ``EnvironmentFault``.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise EnvironmentFault(out_dir, "đây là một tệp, không phải thư mục; hãy chọn thư mục khác cho --out")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        root = out_dir.resolve()
        with Lock(root):
            recovered = recover(root)
            changes = _changes(built, root, sources, force)
            if changes.writes or changes.deletes or changes.manifest is not None:
                _commit(root, changes)
    except OSError as exc:
        raise environment_fault(out_dir, exc) from None
    changed = list(changes.writes) + list(changes.deletes)
    return changed + [rel for rel in recovered if rel not in changed]


def compare_outputs(built, out_dir: Path, sources: dict | None = None) -> dict[str, list[str]]:
    """For ``--check``: outputs missing on disk, and those whose bytes differ (the manifest too, given ``sources``)."""
    missing, differ = [], []
    expected = [(b.path, b.data) for b in built]
    if sources is not None:
        expected.append((mf.MANIFEST_NAME, mf.render(built, sources)))
    for path, data in expected:
        target = Path(out_dir) / path
        if not target.is_file():
            missing.append(path)
        elif not mf.same_output(path, target, data):
            differ.append(path)
    return {"missing": missing, "differ": differ}
