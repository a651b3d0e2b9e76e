"""The documents to PDF through Microsoft Word (docx2pdf; Windows and macOS only).

Word is the clerk's own program, often open with documents of the day. docx2pdf attaches to the
Word that runs (``Dispatch("Word.Application")`` on Windows, AppleScript on macOS) and, unless told
``keep_active=True``, quits it when done: closing the clerk's documents. So vanban always passes
``keep_active=True`` and never quits a Word the clerk started; a Word that was not running before
is one docx2pdf started for vanban, hidden: it is quit afterwards when no document is open in it
(a hidden Word left running would take the next document the clerk opens, out of sight).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from importlib import import_module
from pathlib import Path

from pipeline.errors import ExternalToolError
from pipeline.pdf.disk import place

MAC_RUNNING = 'application "Microsoft Word" is running'
MAC_QUIT_IDLE = 'tell application "Microsoft Word" to if (count of documents) is 0 then quit'


def word_running() -> bool:
    """Whether Word runs now (then it is the clerk's: vanban never quits it). Unknown counts as running."""
    try:
        if sys.platform == "win32":
            client = import_module("win32com.client")  # pywin32, installed with docx2pdf

            try:
                client.GetActiveObject("Word.Application")
            except Exception:  # pywintypes.com_error: no running Word registered
                return False
            return True
        out = subprocess.run(["osascript", "-e", MAC_RUNNING], capture_output=True, text=True, timeout=30)
        return out.stdout.strip() != "false"
    except Exception:
        return True


def quit_idle_word() -> None:
    """Quit the Word docx2pdf started for vanban, if no document is open in it (best effort)."""
    try:
        if sys.platform == "win32":
            app = import_module("win32com.client").Dispatch("Word.Application")  # the Word docx2pdf used
            if app.Documents.Count == 0:
                app.Quit()
        else:
            subprocess.run(["osascript", "-e", MAC_QUIT_IDLE], capture_output=True, timeout=30)
    except Exception:
        pass


def word(files: list[Path], targets: list[Path], progress=None) -> None:
    """Convert with Microsoft Word through docx2pdf (Windows and macOS only), keeping the clerk's Word open."""
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
        ours = not word_running()
        try:
            convert(str(src), str(out), keep_active=True)  # never Word's Quit: the clerk's documents stay open
        except (Exception, SystemExit) as exc:  # Word's errors come through COM/AppleScript; on macOS sys.exit(1)
            raise ExternalToolError(f"Word không chuyển được sang PDF: {exc}") from None
        finally:
            if ours:
                quit_idle_word()
        missing = [str(f) for f, n in zip(files, names) if not (out / f"{n}.pdf").is_file()]
        if missing:
            raise ExternalToolError("Word không tạo được PDF của: " + ", ".join(missing[:5]))
        for n, t in zip(names, targets):
            place(out / f"{n}.pdf", Path(t))
    if progress:
        progress(len(files))
