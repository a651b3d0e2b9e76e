"""The documents to PDF through Microsoft Word (docx2pdf; Windows and macOS only)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from pipeline.errors import ExternalToolError


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
