"""Word 97–2003 (.doc) files: converted with LibreOffice to a temporary .docx, then read as any other.

LibreOffice runs headless with its own profile (two soffice on one profile collide) and a time
limit; ``soffice --convert-to`` exits 0 even when it fails, so the output file is checked.
"""

from __future__ import annotations

import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from pipeline.paths import find_soffice

TIMEOUT_S = 120


class ConversionError(Exception):
    """The .doc could not be converted; the message is Vietnamese."""


def soffice() -> str | None:
    return find_soffice()  # VANBAN_SOFFICE, PATH, then where the installers put it


@contextmanager
def as_docx(path: Path):
    """Yield a .docx path for ``path``: itself, or a temporary conversion of a .doc (removed afterwards)."""
    path = Path(path)
    if path.suffix.lower() != ".doc":
        yield path
        return
    exe = soffice()
    if exe is None:
        raise ConversionError(f"{path.name}: tệp .doc (Word 97–2003) cần LibreOffice để chuyển sang .docx "
                              "nhưng máy chưa cài LibreOffice (lệnh soffice). Hãy cài LibreOffice, hoặc mở tệp "
                              "bằng Word và lưu lại dạng .docx (Lưu thành → Word Document).")
    with tempfile.TemporaryDirectory(prefix="vanban-doc-") as tmp:
        tmpdir = Path(tmp)
        cmd = [exe, f"-env:UserInstallation={(tmpdir / 'profile').as_uri()}", "--headless",
               "--convert-to", "docx", "--outdir", str(tmpdir), str(path.resolve())]
        try:
            subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise ConversionError(f"{path.name}: LibreOffice không chuyển xong tệp .doc trong {TIMEOUT_S} giây.") from None
        out = tmpdir / (path.resolve().stem + ".docx")
        if not out.exists() or out.stat().st_size == 0:
            raise ConversionError(f"{path.name}: LibreOffice không chuyển được tệp .doc sang .docx "
                                  "(tệp hỏng hoặc không phải văn bản Word).")
        yield out
