"""Stage 'pdf': every document to PDF, in one LibreOffice call (or through Word).

LibreOffice converts many files per call ~7× faster than one call per file,
so all documents go to one ``soffice --convert-to pdf`` run with a private
profile (two runs on one profile collide silently). ``soffice`` exits 0 even
when a file fails to load: every expected PDF is checked, and an ``Error:``
line on stderr is a failure. PDFs are written under ``outputs/pdf/``
mirroring the outputs tree; git ignores them (LibreOffice's PDFs are not
byte-reproducible). After converting, the fonts each PDF embeds are checked:
a font other than Times New Roman or a metric-compatible face (Liberation
Serif, Tinos) means LibreOffice fell back to a face without Vietnamese glyphs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.errors import ExternalToolError

TIMES_METRIC = ("TimesNewRoman", "Times-Roman", "Times New Roman", "LiberationSerif", "Liberation Serif", "Tinos")
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


def libreoffice(files: list[Path], targets: list[Path], timeout: float = 600, progress=None) -> None:
    """Convert ``files`` to ``targets`` with one soffice call; raise ``ExternalToolError`` on any failure."""
    exe = find_soffice()
    if exe is None:
        raise ExternalToolError("không tìm thấy LibreOffice (soffice). Hãy cài LibreOffice "
                                "(Debian/Ubuntu: 'apt-get install libreoffice-writer'), hoặc trên Windows/macOS "
                                "có Word dùng '--pdf-backend word'.")
    with tempfile.TemporaryDirectory(prefix="vanban-pdf-") as tmp:
        tmp = Path(tmp)
        src, out, profile = tmp / "in", tmp / "out", tmp / "profile"
        src.mkdir()
        names = []
        for i, f in enumerate(files):  # unique flat names: one --outdir for every file
            name = f"{i:04d}-{Path(f).stem}.docx"
            shutil.copyfile(f, src / name)
            names.append(name)
        cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(out), *[str(src / n) for n in names]]
        # stdout/stderr go to files, not pipes: soffice prints a line per file, and a full pipe
        # that nobody reads while we poll would block it (hundreds of files in a batch).
        log_out, log_err = tmp / "stdout.txt", tmp / "stderr.txt"
        with open(log_out, "wb") as fo, open(log_err, "wb") as fe:
            proc = subprocess.Popen(cmd, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL,
                                    **({} if os.name == "nt" else {"start_new_session": True}))
            started = time.monotonic()
            while proc.poll() is None:
                if progress:
                    progress(len(list(out.glob("*.pdf"))) if out.exists() else 0)
                if time.monotonic() - started > timeout:
                    _kill_tree(proc)
                    raise ExternalToolError(
                        f"LibreOffice chạy quá {timeout:.0f} giây và đã bị dừng; chưa tạo PDF nào. "
                        "Hãy thử lại, hoặc tăng thời gian chờ (--timeout).")
                time.sleep(0.1)
        stderr = log_err.read_text(encoding="utf-8", errors="replace")
        errors = [l for l in stderr.splitlines() if l.strip().startswith("Error")]
        missing = [f for f, n in zip(files, names) if not (out / n.replace(".docx", ".pdf")).is_file()
                   or (out / n.replace(".docx", ".pdf")).stat().st_size == 0]
        if proc.returncode != 0 or errors or missing:
            detail = "; ".join(errors[:3]) or f"mã thoát {proc.returncode}"
            names_missing = ", ".join(str(m) for m in missing[:5])
            raise ExternalToolError(f"LibreOffice không chuyển được sang PDF ({detail})"
                                    + (f"; thiếu PDF của: {names_missing}" if missing else ""))
        for n, target in zip(names, targets):
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(out / n.replace(".docx", ".pdf"), target)
        if progress:
            progress(len(files))


def _kill_tree(proc: subprocess.Popen) -> None:
    """Stop soffice and what it started (oosplash, soffice.bin): its whole process group on POSIX."""
    try:
        if os.name == "nt":
            proc.kill()
        else:
            import signal

            os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
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


def convert(files: list[Path], out_root: Path, pdf_root: Path, backend: str = "auto",
            timeout: float = 600, show_progress: bool = True) -> list[Path]:
    """Convert ``files`` (under ``out_root``) to PDFs under ``pdf_root``; return the PDF paths."""
    files = [Path(f) for f in files]
    targets = [pdf_path(f, out_root, pdf_root) for f in files]
    if backend == "auto":
        backend = "libreoffice" if find_soffice() or sys.platform not in ("win32", "darwin") else "word"
    run = (lambda progress: libreoffice(files, targets, timeout, progress)) if backend == "libreoffice" \
        else (lambda progress: word(files, targets, progress))
    if not show_progress:
        run(None)
        return targets
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("Chuyển sang PDF"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=False) as bar:
        task = bar.add_task("pdf", total=len(files))
        run(lambda done: bar.update(task, completed=done))
    return targets


def pdf_fonts(pdf: Path) -> list[str]:
    """The base names of the fonts a PDF uses (via poppler's pdffonts, else a scan of the file)."""
    exe = shutil.which("pdffonts")
    if exe:
        out = subprocess.run([exe, str(pdf)], capture_output=True, text=True, timeout=60).stdout
        names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    else:
        data = Path(pdf).read_bytes()
        names = [m.decode("latin-1") for m in re.findall(rb"/BaseFont\s*/([A-Za-z0-9+\-,_]+)", data)]
    return sorted({n.split("+", 1)[-1] for n in names})


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


def warn_drafter_notes(files: list[Path], err) -> list[tuple[Path, int]]:
    """Warn about each document that still holds "[Cán bộ soạn thảo viết: …]" places; return them."""
    import re
    import zipfile

    found = []
    for f in files:
        try:
            xml = zipfile.ZipFile(f).read("word/document.xml").decode("utf-8")
        except (OSError, KeyError, zipfile.BadZipFile):
            continue  # the conversion reports a file it cannot read
        n = re.sub(r"<[^>]+>", "", xml).count("[Cán bộ soạn thảo viết:")
        if n:
            found.append((f, n))
            err.print(f"[yellow]Chưa viết xong:[/] {f} còn {n} chỗ “[Cán bộ soạn thảo viết: …]” — "
                      "hãy viết nội dung vào các chỗ đó trước khi in, gửi.")
    return found


def pdf_command_impl(files: list[Path], out_root: Path, pdf_root: Path, backend: str, timeout: float) -> list[Path]:
    """Shared by `vanban pdf` and `vanban build --pdf`: convert, then report font fallbacks."""
    from rich.console import Console

    err = Console(stderr=True, highlight=False)
    if backend != "word" and vietnamese_times_faces() == []:
        err.print("[yellow]Cảnh báo phông chữ:[/] máy này không có Times New Roman hay phông cùng cỡ chữ có dấu "
                  f"tiếng Việt (Liberation Serif 2.x, Tinos); PDF sẽ dùng phông khác. Hãy {FONT_HINT}.")
    warn_drafter_notes(files, err)
    targets = convert(files, out_root, pdf_root, backend, timeout)
    for t in targets:
        bad = foreign_fonts(t)
        if bad:
            err.print(f"[yellow]Cảnh báo phông chữ:[/] {t} dùng {', '.join(bad)} thay cho Times New Roman — "
                      f"chữ tiếng Việt có thể sai. Hãy {FONT_HINT}.")
    return targets


import click  # noqa: E402  (the command below; the conversion above needs no click)


@click.command("pdf")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_root", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True,
              help="Thư mục văn bản (mặc định chuyển mọi .docx trong đó).")
@click.option("--pdf-dir", type=click.Path(path_type=Path), default=None, help="Nơi ghi PDF (mặc định <--out>/pdf).")
@click.option("--pdf-backend", "backend", type=click.Choice(["auto", "libreoffice", "word"]), default="auto",
              show_default=True, help="LibreOffice, hoặc Word (Windows/macOS, qua docx2pdf).")
@click.option("--timeout", type=float, default=600, show_default=True, help="Thời gian tối đa (giây).")
def pdf_command(files, out_root: Path, pdf_dir: Path | None, backend: str, timeout: float) -> None:
    """Chuyển văn bản Word sang PDF (một lần gọi LibreOffice cho mọi tệp)."""
    files = list(files) or sorted(p for p in Path(out_root).rglob("*.docx")
                                  if "pdf" not in p.relative_to(out_root).parts[:1] and ".backup" not in p.parts)
    if not files:
        raise click.ClickException("không có tệp .docx nào để chuyển")
    targets = pdf_command_impl(files, out_root, pdf_dir or Path(out_root) / "pdf", backend, timeout)
    click.echo(f"Đã ghi {len(targets)} tệp PDF vào {pdf_dir or Path(out_root) / 'pdf'}.")
