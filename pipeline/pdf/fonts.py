"""The fonts a PDF embeds, and the Times-metric faces with Vietnamese letters this machine has.

A font other than Times New Roman or a metric-compatible face (Liberation Serif, Tinos) in a PDF
means LibreOffice fell back to a face that may lack Vietnamese glyphs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

TIMES_METRIC = ("TimesNewRoman", "Times-Roman", "Times New Roman", "LiberationSerif", "Liberation Serif", "Tinos")
FONT_HINT = ("cài phông Times New Roman, hoặc trên Debian/Ubuntu: 'apt-get install fonts-liberation2' "
             "(hoặc 'fonts-croscore'); gói cũ 'fonts-liberation' 1.x không có chữ tiếng Việt")
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


def foreign_fonts_of(pdfs: list[Path]) -> list[list[str]]:
    """``foreign_fonts`` of every PDF, several pdffonts at once."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2 * (os.cpu_count() or 1)) as pool:
        return list(pool.map(foreign_fonts, pdfs))


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
