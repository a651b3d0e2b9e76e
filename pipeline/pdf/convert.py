"""Stage 'pdf': the documents to PDF through a pool of LibreOffice processes (or through Word).

LibreOffice converts many files per call ~10× faster than one call per file (it
starts once), but one call keeps one core busy. So the files are split over one
``soffice`` process per core (``LibreOfficePool``), each with its own private
profile (two runs on one profile collide silently; ``Profiles``) and each
converting its share, balanced by text size, in as few calls as LibreOffice's
launcher allows (``SOFFICE_MAX_ARGS``: it drops further files silently, and
exits 0). Only documents whose .docx changed
since their PDF are converted: ``.vanban-pdf.json`` beside the PDFs records the
sha256 of the .docx each PDF was made from and of the PDF itself, so a PDF is
never stale and a second run with nothing changed converts nothing.

``soffice`` exits 0 even when a file fails to load: every expected PDF is
checked, and an ``Error:`` line on stderr is a failure; the error names the
files without a PDF. Every process runs in its own process group and is killed
with it on a timeout, Ctrl+C or SIGTERM. PDFs are written under
``outputs/pdf/`` mirroring the outputs tree; git ignores them (LibreOffice's
PDFs are not byte-reproducible). After converting, the fonts each PDF embeds are
checked: a font other than Times New Roman or a metric-compatible face
(Liberation Serif, Tinos) means LibreOffice fell back to a face without
Vietnamese glyphs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import ExternalToolError
from pipeline.shares import balance

TIMES_METRIC = ("TimesNewRoman", "Times-Roman", "Times New Roman", "LiberationSerif", "Liberation Serif", "Tinos")
# LibreOffice's launcher on Linux and macOS (oosplash) starts soffice.bin through osl_executeProcess,
# which passes on at most 253 arguments (sal/osl/unx/process.cxx: MAX_ARGS 255, less the program
# name and the closing NULL), and adds one of its own (--splash-pipe=N). Every argument past that is
# dropped without a word: soffice.bin converts the files it was given and exits 0 — a call of 400
# files made the PDFs of the first 246 only. So a call carries at most 252 arguments of ours.
SOFFICE_MAX_ARGS = 252
FONT_HINT = ("cài phông Times New Roman, hoặc trên Debian/Ubuntu: 'apt-get install fonts-liberation2' "
             "(hoặc 'fonts-croscore'); gói cũ 'fonts-liberation' 1.x không có chữ tiếng Việt")


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        exe = shutil.which(name)
        if exe:
            return exe
    for candidate in (r"C:\Program Files\LibreOffice\program\soffice.exe",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if Path(candidate).exists():
            return candidate
    return None


def pdf_path(docx: Path, out_root: Path, pdf_root: Path) -> Path:
    """outputs/bao-cao/x.docx -> outputs/pdf/bao-cao/x.pdf"""
    try:
        rel = Path(docx).resolve().relative_to(Path(out_root).resolve())
    except ValueError:
        rel = Path(Path(docx).name)
    return Path(pdf_root) / rel.with_suffix(".pdf")


class Profiles:
    """Where the private profile of each LibreOffice call comes from, and where it goes afterwards.

    A call never shares its profile: two processes on one profile collide silently. A call takes,
    in this order: a spare — the profile of an earlier call that exited cleanly, kept beside the
    template and taken by renaming it into this run's folder (atomic: two runs never get the same
    one; a conversion leaves its profile as it found it); a copy of the template, a profile an
    earlier clean run left in the cache (``profile_template``: LibreOffice then skips setting a new
    one up); or a new profile seeded with the installed version (``seed_profile``). Taking and
    giving back a spare are renames, where copying and deleting a profile's 65 folders took
    ~0.2 s at each end of a run.
    """

    SPARES = 8  # at most this many kept, whatever the number of cores or runs

    def __init__(self, exe: str, work: Path):
        self.exe, self.work, self.made = exe, work, 0
        self.template = profile_template(exe)
        self.spares = None if self.template is None else self.template.with_name(self.template.name + "-spare")
        self.first: Path | None = None

    def take(self) -> Path:
        profile = self.work / f"profile-{self.made}"
        self.made += 1
        if not self._claim_spare(profile) and self.template is not None and self.template.is_dir():
            try:
                shutil.copytree(self.template, profile, symlinks=True)
            except OSError:  # removed meanwhile by another run: LibreOffice makes a new one
                shutil.rmtree(profile, ignore_errors=True)
        if not profile.is_dir():
            seed_profile(profile, self.exe)
        self.first = self.first or profile
        return profile

    def _claim_spare(self, profile: Path) -> bool:
        try:
            spares = [e.path for e in os.scandir(self.spares)] if self.spares else []
        except OSError:
            return False
        for spare in spares:
            try:
                os.rename(spare, profile)  # fails if another run took it first, or across file systems
                return True
            except OSError:
                continue
        return False

    def give_back(self, profile: Path) -> None:
        """Keep the profile of a call that exited cleanly as a spare (once the template exists)."""
        if self.spares is None or self.template is None or not self.template.is_dir():
            return
        try:
            self.spares.mkdir(exist_ok=True)
            if sum(1 for _ in os.scandir(self.spares)) < self.SPARES:
                os.rename(profile, self.spares / f"{os.getpid()}-{profile.name}-{time.monotonic_ns()}")
        except OSError:
            pass  # deleted with the run's folder

    def keep(self) -> None:
        """After a clean run, keep the first call's profile (set up by LibreOffice) as the template of later runs."""
        made = self.first
        if self.template is None or self.template.is_dir() or made is None or not made.is_dir():
            return
        staging = Path(tempfile.mkdtemp(prefix=".profile-", dir=self.template.parent))
        try:
            shutil.copytree(made, staging / "p", symlinks=True)
            os.replace(staging / "p", self.template)  # atomic: another run may be doing the same
        except OSError:
            pass
        finally:
            shutil.rmtree(staging, ignore_errors=True)


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
        self.profile_of: list[Path | None] = [None] * len(groups)
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
            self.running[slot] = subprocess.Popen(
                cmd, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL,
                **({"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if os.name == "nt"
                   else {"start_new_session": True}))

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


SETUP_VERSION = re.compile(rb'oor:name="ooSetupVersion">\s*<value>([0-9.]+)</value>')


def office_version(exe: str) -> str | None:
    """The installed LibreOffice's version ("7.4"), read from its registry (``share/registry/main.xcd``)."""
    program = Path(os.path.realpath(exe)).parent
    for main in (program.parent / "share" / "registry" / "main.xcd",  # Linux, Windows
                 program.parent / "Resources" / "registry" / "main.xcd"):  # macOS
        try:
            found = SETUP_VERSION.search(main.read_bytes())
        except OSError:
            continue
        if found:
            return found.group(1).decode()
    return None


def seed_profile(profile: Path, exe: str) -> None:
    """Start a new profile with its last-used version set to the installed one.

    A profile that has never recorded the version it was last used with (``ooSetupLastVersion``;
    LibreOffice's window sets it on the first start, a headless conversion never does) counts as
    "upgraded", and every start on it runs LibreOffice's graphics render tests first: bitmaps of
    4096×4096 pixels drawn and read back, about a second of CPU — longer than converting ten
    documents. Recorded here, every process of the pool starts without them.
    """
    version = office_version(exe)
    if version is None:
        return  # an unknown layout: LibreOffice makes the profile on its own, as before
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse">'
        f"<value>{version}</value></prop></item>\n</oor:items>\n", encoding="utf-8")


def _link_or_copy(src: Path, dst: Path) -> None:
    """``dst`` as a hard link to ``src`` (nothing to copy, nothing to free afterwards), else a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def profile_template(exe: str) -> Path | None:
    """Where a LibreOffice profile made by an earlier run is kept, one per LibreOffice installation.

    In the user's cache folder (``VANBAN_CACHE``, else ``%LOCALAPPDATA%``, ``$XDG_CACHE_HOME`` or
    ``~/.cache``), under ``vanban/``. Every process gets its own copy: a profile is never shared.
    """
    import hashlib

    from pipeline.paths import cache_folder

    try:
        real = os.path.realpath(exe)
        key = hashlib.sha256(f"{real}|{os.stat(real).st_mtime_ns}|seeded".encode()).hexdigest()[:16]
        folder = cache_folder()
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder / f"libreoffice-profile-{key}"


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


def libreoffice(files: list[Path], targets: list[Path], timeout: float = 600, progress=None,
                jobs: int | None = None, started=None) -> None:
    """Convert ``files`` to ``targets`` with a pool of soffice processes; raise ``ExternalToolError`` on any failure.

    ``timeout`` bounds each soffice call (at most ``SOFFICE_MAX_ARGS`` arguments), so a
    province-sized batch needs no larger one. The PDFs LibreOffice did make are moved to their
    targets even when another file failed; the error names every file without a PDF. On a
    timeout or an interrupt every process is killed and no PDF is moved. ``started()`` is called
    once every process has been started (work done meanwhile does not delay LibreOffice).
    """
    exe = find_soffice()
    if exe is None:
        raise ExternalToolError("không tìm thấy LibreOffice (soffice). Hãy cài LibreOffice "
                                "(Debian/Ubuntu: 'apt-get install libreoffice-writer'), hoặc trên Windows/macOS "
                                "có Word dùng '--pdf-backend word'.")
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
                Path(target).parent.mkdir(parents=True, exist_ok=True)
                shutil.move(made, target)  # a rename, or a copy when the temporary folder is on another disk
        errors = pool.errors()
        if not errors and not missing:
            pool.profiles.keep()
        elif pool.profiles.template is not None and len(missing) == len(files):  # perhaps the kept one failed
            shutil.rmtree(pool.profiles.template, ignore_errors=True)
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


def word(files: list[Path], targets: list[Path], progress=None) -> None:
    """Convert with Microsoft Word through docx2pdf (Windows and macOS only)."""
    if sys.platform not in ("win32", "darwin"):
        raise ExternalToolError("'--pdf-backend word' chỉ dùng được trên Windows hoặc macOS có cài Word.")
    try:
        from docx2pdf import convert
    except ImportError as exc:
        raise ExternalToolError("thiếu gói docx2pdf: 'python -m pip install docx2pdf'") from exc
    # docx2pdf opens Word once per call: give it a folder of every file, so one Word session does all
    with tempfile.TemporaryDirectory(prefix="vanban-word-") as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        src.mkdir()
        out.mkdir()
        names = [f"{i:04d}-{Path(f).stem}" for i, f in enumerate(files)]
        for f, n in zip(files, names):
            shutil.copyfile(f, src / f"{n}.docx")
        try:
            convert(str(src), str(out))
        except Exception as exc:  # Word's own errors come through COM/AppleScript
            raise ExternalToolError(f"Word không chuyển được sang PDF: {exc}") from exc
        missing = [str(f) for f, n in zip(files, names) if not (out / f"{n}.pdf").is_file()]
        if missing:
            raise ExternalToolError("Word không tạo được PDF của: " + ", ".join(missing[:5]))
        for n, t in zip(names, targets):
            t.parent.mkdir(parents=True, exist_ok=True)
            os.replace(out / f"{n}.pdf", t)
    if progress:
        progress(len(files))


INDEX_NAME = ".vanban-pdf.json"


def sha256_file(path: Path) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_index(pdf_root: Path) -> dict:
    """``{pdf path relative to pdf_root: {"docx": sha256, "pdf": sha256, "fonts": [foreign fonts]}}``."""
    import json

    try:
        data = json.loads((Path(pdf_root) / INDEX_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("pdfs", {}) if isinstance(data, dict) and isinstance(data.get("pdfs"), dict) else {}


def write_index(pdf_root: Path, entries: dict) -> None:
    import json

    from pipeline.ooxml.package import atomic_write

    text = json.dumps({"format": 1, "pdfs": entries}, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    atomic_write(Path(pdf_root) / INDEX_NAME, text.encode("utf-8"))


def _index_key(target: Path, pdf_root: Path) -> str:
    try:
        return Path(target).resolve().relative_to(Path(pdf_root).resolve()).as_posix()
    except ValueError:
        return Path(target).resolve().as_posix()


def stale(files: list[Path], targets: list[Path], pdf_root: Path, index: dict) -> tuple[list[int], dict[int, str]]:
    """(indices of the files to convert, the sha256 of every file): a PDF is current only when the
    index records the sha256 of this very .docx for it and the PDF on disk is the one recorded."""
    todo, digests = [], {}
    for i, (f, t) in enumerate(zip(files, targets)):
        digests[i] = sha256_file(f)
        entry = index.get(_index_key(t, pdf_root))
        if not (isinstance(entry, dict) and entry.get("docx") == digests[i] and Path(t).is_file()
                and entry.get("pdf") == sha256_file(t)):
            todo.append(i)
    return todo, digests


def _check_fonts(pdfs: list[Path]) -> list[list[str]]:
    """``foreign_fonts`` of every PDF, several pdffonts at once."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2 * (os.cpu_count() or 1)) as pool:
        return list(pool.map(foreign_fonts, pdfs))


def _record(files, targets, todo, digests, pdf_root, index) -> None:
    """Index every PDF just made whose .docx did not change while it was converted."""
    made = [i for i in todo if Path(targets[i]).is_file()]
    fonts = _check_fonts([targets[i] for i in made])
    for i, bad in zip(made, fonts):
        if sha256_file(files[i]) == digests[i]:
            index[_index_key(targets[i], pdf_root)] = {"docx": digests[i], "pdf": sha256_file(targets[i]),
                                                       "fonts": bad}
    write_index(pdf_root, index)


def convert(files: list[Path], out_root: Path, pdf_root: Path, backend: str = "auto",
            timeout: float = 600, show_progress: bool = True, jobs: int | None = None,
            before=None) -> tuple[list[Path], int]:
    """Convert the ``files`` (under ``out_root``) whose PDF under ``pdf_root`` is missing or stale.

    Returns (every file's PDF path, how many were converted). A PDF whose .docx
    changed is removed before converting, so a failed conversion leaves no stale PDF.
    ``before(backend)`` is called when there is something to convert, once LibreOffice has started.
    """
    files = [Path(f) for f in files]
    targets = [pdf_path(f, out_root, pdf_root) for f in files]
    index = read_index(pdf_root)
    todo, digests = stale(files, targets, pdf_root, index)
    if not todo:
        return targets, 0
    for i in todo:
        index.pop(_index_key(targets[i], pdf_root), None)
        Path(targets[i]).unlink(missing_ok=True)
    if backend == "auto":
        backend = "libreoffice" if find_soffice() or sys.platform not in ("win32", "darwin") else "word"
    some, some_targets = [files[i] for i in todo], [targets[i] for i in todo]
    started = (lambda: before(backend)) if before else None
    if backend == "word" and started:
        started()
    run = (lambda progress: libreoffice(some, some_targets, timeout, progress, jobs, started)) \
        if backend == "libreoffice" else (lambda progress: word(some, some_targets, progress))
    bar = ProgressLine(len(todo)) if show_progress else None
    try:
        run(bar)
    finally:
        if bar:
            bar.close()
        _record(files, targets, todo, digests, pdf_root, index)
    return targets, len(todo)


class ProgressLine:
    """One line of progress (rich), made at its first update: rich loads while LibreOffice starts."""

    def __init__(self, total: int):
        self.total, self.bar, self.task = total, None, None

    def __call__(self, done: int) -> None:
        if self.bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("Chuyển sang PDF"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), transient=False)
            self.bar.start()
            self.task = self.bar.add_task("pdf", total=self.total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


BASE_FONT = re.compile(rb"/BaseFont\s*/([^\s/<>\[\]()%{}]+)")


def pdf_fonts(pdf: Path) -> list[str]:
    """The base names of the fonts a PDF uses, subset prefixes removed.

    Read from the file itself when every object of it is plain text (no object streams:
    LibreOffice's PDFs have none), so each font dictionary's ``/BaseFont`` is there to read;
    otherwise, or when no font is found that way, from poppler's ``pdffonts``.
    """
    data = Path(pdf).read_bytes()
    names = [] if b"/ObjStm" in data else [_pdf_name(m) for m in BASE_FONT.findall(data)]
    exe = shutil.which("pdffonts")
    if not names and exe:
        out = subprocess.run([exe, str(pdf)], capture_output=True, text=True, timeout=60).stdout
        names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    return sorted({n.split("+", 1)[-1] for n in names})


def _pdf_name(raw: bytes) -> str:
    """A PDF name's text: ``#xx`` escapes decoded (``Times#20New#20Roman`` is "Times New Roman")."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")


def foreign_fonts(pdf: Path) -> list[str]:
    """Fonts in ``pdf`` that are not Times New Roman or metric-compatible with it."""
    return [f for f in pdf_fonts(pdf) if not any(f.replace(" ", "").startswith(t.replace(" ", "")) for t in TIMES_METRIC)]


TIMES_FAMILIES = ("Times New Roman", "Liberation Serif", "Tinos")
VIETNAMESE_PROBE = "1ea1 1ec7 1edd 1ef1"  # ạ ệ ờ ự: letters only a Vietnamese-capable face has


def vietnamese_times_faces() -> list[str] | None:
    """Installed Times-metric families that have Vietnamese letters (fontconfig), or None if unknown.

    Debian's old fonts-liberation (1.x) has a Liberation Serif without them: it is not listed here.
    """
    exe = shutil.which("fc-list")
    if not exe:
        return None  # Windows/macOS without fontconfig: Times New Roman comes with the system
    try:
        out = subprocess.run([exe, f":charset={VIETNAMESE_PROBE}", "family"], capture_output=True,
                             text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families = {f.strip() for line in out.splitlines() for f in line.split(",")}
    return [f for f in TIMES_FAMILIES if f in families]


class _Stderr:
    """rich's console on stderr, made at the first message: a run with nothing to say loads no rich."""

    def __init__(self):
        self.console = None

    def print(self, *args, **kwargs) -> None:
        if self.console is None:
            from rich.console import Console

            self.console = Console(stderr=True, highlight=False)
        self.console.print(*args, **kwargs)


def warn_drafter_notes(files: list[Path], err) -> list[tuple[Path, int]]:
    """Warn about each document that still holds "[Cán bộ soạn thảo viết: …]" places; return them."""
    import re
    import zipfile

    from pipeline.ooxml import safezip

    found = []
    for f in files:
        try:  # the main part as the package names it (Word for the web: word/document2.xml), bounded
            with zipfile.ZipFile(f) as z, z.open(safezip.main_part(z)) as part:
                xml = part.read(safezip.MEMBER_LIMIT).decode("utf-8", "replace")
        except (OSError, KeyError, EOFError, zipfile.BadZipFile, safezip.BadDocx):
            continue  # the conversion reports a file it cannot read
        n = re.sub(r"<[^>]+>", "", xml).count("[Cán bộ soạn thảo viết:")
        if n:
            found.append((f, n))
            err.print(f"[yellow]Chưa viết xong:[/] {f} còn {n} chỗ “[Cán bộ soạn thảo viết: …]” — "
                      "hãy viết nội dung vào các chỗ đó trước khi in, gửi.")
    return found


def pdf_command_impl(files: list[Path], out_root: Path, pdf_root: Path, backend: str, timeout: float,
                     jobs: int | None = None) -> list[Path]:
    """Shared by `vanban pdf` and `vanban build --pdf`: convert what changed, then report font fallbacks."""
    err = _Stderr()

    def warn_missing_fonts(backend: str) -> None:
        if backend != "word" and vietnamese_times_faces() == []:
            err.print("[yellow]Cảnh báo phông chữ:[/] máy này không có Times New Roman hay phông cùng cỡ chữ có dấu "
                      f"tiếng Việt (Liberation Serif 2.x, Tinos); PDF sẽ dùng phông khác. Hãy {FONT_HINT}.")

    warned = []

    def warn_before_converting(backend: str) -> None:  # while LibreOffice starts
        warned.append(warn_drafter_notes(files, err))
        warn_missing_fonts(backend)

    targets, converted = convert(files, out_root, pdf_root, backend, timeout, jobs=jobs, before=warn_before_converting)
    if not warned:
        warn_drafter_notes(files, err)
    index = read_index(pdf_root)
    for t in targets:
        bad = (index.get(_index_key(t, pdf_root)) or {}).get("fonts") or []
        if bad:
            err.print(f"[yellow]Cảnh báo phông chữ:[/] {t} dùng {', '.join(bad)} thay cho Times New Roman — "
                      f"chữ tiếng Việt có thể sai. Hãy {FONT_HINT}.")
    if converted == 0:
        click.echo(f"Không có văn bản nào thay đổi: {len(targets)} tệp PDF trong {pdf_root} đã khớp với văn bản, "
                   "không chuyển lại tệp nào.")
    else:
        click.echo(f"Đã chuyển {converted} văn bản sang PDF"
                   + (f" ({len(targets) - converted} tệp khác không đổi, giữ nguyên)." if converted < len(targets)
                      else "."))
    return targets


import click  # noqa: E402  (the command below; the conversion above needs no click)

from pipeline.paths import near_option  # noqa: E402


@click.command("pdf")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_root", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True,
              callback=near_option, help="Thư mục văn bản (mặc định chuyển mọi .docx trong đó).")
@click.option("--pdf-dir", type=click.Path(path_type=Path), default=None, help="Nơi ghi PDF (mặc định <--out>/pdf).")
@click.option("--pdf-backend", "backend", type=click.Choice(["auto", "libreoffice", "word"]), default="auto",
              show_default=True, help="LibreOffice, hoặc Word (Windows/macOS, qua docx2pdf).")
@click.option("--timeout", type=float, default=600, show_default=True,
              help="Thời gian tối đa của mỗi lần gọi LibreOffice (giây; mỗi lần tối đa 245 tệp).")
@click.option("--jobs", type=int, default=0, help="Số tiến trình LibreOffice chạy song song (mặc định: số lõi CPU).")
def pdf_command(files, out_root: Path, pdf_dir: Path | None, backend: str, timeout: float, jobs: int) -> None:
    """Chuyển văn bản Word sang PDF: chỉ những văn bản đã thay đổi, mỗi lõi CPU một tiến trình LibreOffice."""
    files = list(files) or sorted(p for p in Path(out_root).rglob("*.docx")
                                  if "pdf" not in p.relative_to(out_root).parts[:1] and ".backup" not in p.parts)
    if not files:
        raise click.ClickException("không có tệp .docx nào để chuyển")
    pdf_root = pdf_dir or Path(out_root) / "pdf"
    targets = pdf_command_impl(files, out_root, pdf_root, backend, timeout, jobs or None)
    click.echo(f"PDF: {len(targets)} tệp trong {pdf_root}.")
