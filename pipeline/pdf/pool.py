"""A pool of LibreOffice processes, one per core, each converting its share of the files.

LibreOffice converts many files per call ~10× faster than one call per file (it starts once), but
one call keeps one core busy. So the files are split over one ``soffice`` process per core, each on
its own private profile (``soffice.Profiles``) and each converting its share, balanced by text size,
in as few calls as LibreOffice's launcher allows (``SOFFICE_MAX_ARGS``: it drops further files
silently, and exits 0). ``soffice`` exits 0 even when a file fails to load: every expected PDF is
checked, and an ``Error:`` line on stderr is a failure. Every process runs in its own process group
and is killed with it on a timeout, Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TypedDict

from pipeline.errors import ExternalToolError
from pipeline.paths import find_soffice, soffice_missing
from pipeline.pdf.disk import place
from pipeline.pdf.soffice import Profiles
from pipeline.shares import balance

# LibreOffice's launcher on Linux and macOS (oosplash) starts soffice.bin through osl_executeProcess,
# which passes on at most 253 arguments (sal/osl/unx/process.cxx: MAX_ARGS 255, less the program
# name and the closing NULL), and adds one of its own (--splash-pipe=N). Every argument past that is
# dropped without a word: soffice.bin converts the files it was given and exits 0 — a call of 400
# files made the PDFs of the first 246 only. So a call carries at most 252 arguments of ours.
SOFFICE_MAX_ARGS = 252
PER_FILE_WEIGHT = 20_000  # opening and writing a file costs about as much as ~2 pages of text


def work_weight(docx: Path) -> int:
    """About how long LibreOffice takes on ``docx``: the size of its text part (pages follow it closely;
    the zipped size does not: a 14-page plan is 20 kB zipped, a 3-page report 13 kB), plus a fixed cost."""
    import zipfile

    from pipeline.ooxml import safezip

    try:
        with zipfile.ZipFile(docx) as z:
            return z.getinfo(safezip.main_part(z)).file_size + PER_FILE_WEIGHT
    except (OSError, KeyError, zipfile.BadZipFile, safezip.BadDocx):
        return Path(docx).stat().st_size + PER_FILE_WEIGHT


def _link_or_copy(src: Path, dst: Path) -> None:
    """``dst`` as a hard link to ``src`` (nothing to copy, nothing to free afterwards), else a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


class LibreOfficePool:
    """One ``soffice`` process per core, each with its own profile (``Profiles``), each converting its share.

    Files are linked (or copied) under short unique names into one folder (documents of
    different communes share their names); each slot gets a share of about equal total size
    (the biggest documents spread first) and runs it in calls of at most ``per_call`` files
    one after another: as many as LibreOffice's launcher passes on (``SOFFICE_MAX_ARGS``).
    Every process is started in its own process group, so ``kill`` stops oosplash and
    soffice.bin too.
    """

    def __init__(self, exe: str, work: Path, files: list[Path], jobs: int):
        self.exe, self.work = exe, Path(work)
        self.src, self.out = self.work / "in", self.work / "out"
        self.src.mkdir()
        self.out.mkdir()
        self.names = [f"{i:05d}.docx" for i in range(len(files))]
        for f, name in zip(files, self.names):
            _link_or_copy(f, self.src / name)
        groups = balance([work_weight(self.src / n) for n in self.names], max(1, min(jobs, len(files))))
        self.per_call = SOFFICE_MAX_ARGS - (len(self.command(self.work / "profile", [])) - 1)
        self.queues = [[g[i:i + self.per_call] for i in range(0, len(g), self.per_call)] for g in groups]
        self.running: list[subprocess.Popen | None] = [None] * len(groups)
        self.profile_of: dict[int, Path] = {}  # slot -> the profile of its latest call
        self.started = [0.0] * len(groups)
        self.logs: list[Path] = []
        self.exit_codes: list[int] = []
        self.profiles = Profiles(exe, self.work)

    def command(self, profile: Path, batch: list[int]) -> list[str]:
        """The soffice call converting files ``batch`` on ``profile``."""
        return [self.exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                "--convert-to", "pdf", "--outdir", str(self.out), *[str(self.src / self.names[i]) for i in batch]]

    def _start(self, slot: int) -> None:
        batch = self.queues[slot].pop(0)
        self.profile_of[slot] = self.profiles.take()
        cmd = self.command(self.profile_of[slot], batch)
        # stdout/stderr go to files, not pipes: soffice prints a line per file, and a full pipe
        # that nobody reads while we poll would block it (hundreds of files in a batch).
        log = self.work / f"log-{slot}-{len(self.logs)}"
        self.logs.append(log)
        self.started[slot] = time.monotonic()
        with open(log.with_suffix(".out"), "wb") as fo, open(log.with_suffix(".err"), "wb") as fe:
            try:
                self.running[slot] = subprocess.Popen(cmd, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL,
                                                      **_own_group())
            except OSError as exc:  # not a program, or not one this machine runs
                raise ExternalToolError(f"không chạy được LibreOffice {self.exe}: {exc.strerror or exc}") from None

    def step(self) -> bool:
        """Start what can start, collect what finished; True while any process runs."""
        for slot, proc in enumerate(self.running):
            if proc is not None and proc.poll() is not None:
                self.exit_codes.append(proc.returncode)
                if proc.returncode == 0:
                    self.profiles.give_back(self.profile_of[slot])
                self.running[slot] = proc = None
            if proc is None and self.queues[slot]:
                self._start(slot)
        return any(p is not None for p in self.running)

    def overdue(self, timeout: float) -> bool:
        """True when a call has run longer than ``timeout`` seconds."""
        now = time.monotonic()
        return any(p is not None and now - t > timeout for p, t in zip(self.running, self.started))

    def converted(self) -> int:
        return sum(1 for e in os.scandir(self.out) if e.name.endswith(".pdf"))

    def pdf(self, i: int) -> Path | None:
        """The PDF of file ``i`` when LibreOffice made one (soffice exits 0 even when it did not)."""
        p = self.out / self.names[i].replace(".docx", ".pdf")
        return p if p.is_file() and p.stat().st_size > 0 else None

    def errors(self) -> list[str]:
        lines = []
        for log in self.logs:
            text = log.with_suffix(".err").read_text(encoding="utf-8", errors="replace")
            lines += [l.strip() for l in text.splitlines() if l.strip().startswith("Error")]
        return lines + [f"mã thoát {c}" for c in self.exit_codes if c != 0]

    def kill(self) -> None:
        for slot, proc in enumerate(self.running):
            if proc is not None:
                _kill_tree(proc)
                self.running[slot] = None


def libreoffice(files: list[Path], targets: list[Path], timeout: float = 600, progress=None,
                jobs: int | None = None, started=None, soffice: str | None = None) -> None:
    """Convert ``files`` to ``targets`` with a pool of soffice processes; raise ``ExternalToolError`` on any failure.

    ``timeout`` bounds each soffice call (at most ``SOFFICE_MAX_ARGS`` arguments), so a
    province-sized batch needs no larger one. The PDFs LibreOffice did make are moved to their
    targets even when another file failed; the error names every file without a PDF. On a
    timeout or an interrupt every process is killed and no PDF is moved. ``started()`` is called
    once every process has been started (work done meanwhile does not delay LibreOffice). ``soffice``
    is the program a ``--soffice`` option named (``paths.find_soffice``). Each PDF is placed whole
    or not at all (``disk.place``); an ``OSError`` placing one is left to the caller.
    """
    exe = find_soffice(soffice)
    if exe is None:
        raise ExternalToolError(soffice_missing() + ", hoặc trên Windows/macOS có Word dùng '--pdf-backend word'.")
    with tempfile.TemporaryDirectory(prefix="vanban-pdf-") as tmp:
        pool = LibreOfficePool(exe, Path(tmp), [Path(f) for f in files], jobs or os.cpu_count() or 1)
        try:
            with _terminate_as_interrupt():
                pool.step()
                if started:
                    started()
                _drive(pool, timeout, progress)
        finally:
            pool.kill()  # an interrupt (Ctrl+C, SIGTERM) or an error: no LibreOffice is left running
        missing = [f for i, f in enumerate(files) if pool.pdf(i) is None]
        for i, target in enumerate(targets):
            made = pool.pdf(i)
            if made is not None:
                place(made, Path(target))
        errors = pool.errors()
        if not errors and not missing:
            pool.profiles.keep()
        elif pool.profiles.template is not None and len(missing) == len(files):  # perhaps the kept one failed
            shutil.rmtree(pool.profiles.template, ignore_errors=True)
            assert pool.profiles.spares is not None  # set with the template
            shutil.rmtree(pool.profiles.spares, ignore_errors=True)
        if missing or errors:
            detail = "; ".join(errors[:3]) or "không rõ lý do"
            raise ExternalToolError(f"LibreOffice không chuyển được sang PDF ({detail})"
                                    + (f"; thiếu PDF của: {', '.join(str(m) for m in missing[:5])}"
                                       + (f" và {len(missing) - 5} tệp khác" if len(missing) > 5 else "")
                                       if missing else ""))
        if progress:
            progress(len(files))


def _drive(pool: LibreOfficePool, timeout: float, progress) -> None:
    """Run the pool's queued calls to the end, reporting progress; stop everything past ``timeout``."""
    while pool.step():
        if progress:
            progress(pool.converted())
        if pool.overdue(timeout):
            pool.kill()
            raise ExternalToolError(f"LibreOffice chạy quá {timeout:.0f} giây và đã bị dừng; lần này chưa ghi PDF nào. "
                                    "Hãy thử lại, hoặc tăng thời gian chờ (--timeout).")
        time.sleep(0.05)


class _GroupArgs(TypedDict, total=False):
    creationflags: int
    start_new_session: bool


def _own_group() -> _GroupArgs:
    """What ``Popen`` needs to start a process in a process group of its own."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _kill_tree(proc: subprocess.Popen) -> None:
    """Stop soffice and what it started (oosplash, soffice.bin): its whole process group on POSIX."""
    try:
        if os.name == "nt":
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True)
        else:
            import signal

            os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, OSError):
        pass
    proc.wait()


@contextmanager
def _terminate_as_interrupt():
    """While converting, a SIGTERM to vanban stops it like Ctrl+C (so the LibreOffice processes are killed)."""
    import signal
    import threading

    if os.name == "nt" or threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
