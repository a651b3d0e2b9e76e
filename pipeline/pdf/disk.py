"""Where the PDFs go on disk: inside their folder, each written whole or not at all.

The .docx stage never writes through a symlink leading out of the outputs folder
(``output.manifest.inside``); the PDF stage holds to the same: a PDF folder inside the outputs
folder must not lead out of it (``outputs/pdf`` a symlink elsewhere), and no PDF may lead out of
its PDF folder. A PDF made elsewhere (LibreOffice's or Word's temporary folder, perhaps another
disk) is copied beside its target under a temporary name, then renamed: a full disk or a folder
that refuses leaves the PDF that was there, never a truncated one under the real name.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.errors import EnvironmentFault

LEADS_OUT = ("đường dẫn này dẫn ra ngoài thư mục kết quả (liên kết tượng trưng trỏ ra ngoài); vanban không ghi "
             "PDF vào đó. Hãy xóa liên kết đó, hoặc chọn thư mục PDF bằng --pdf-dir")


def _real(path: Path) -> Path:
    return Path(os.path.abspath(path)).resolve()


def confine(out_root: Path, pdf_root: Path, targets: list[Path]) -> None:
    """Refuse (``EnvironmentFault``, before anything is written or removed) a PDF folder inside
    ``out_root`` that leads out of it, and a PDF whose path leads out of its PDF folder."""
    out_abs, pdf_abs = Path(os.path.abspath(out_root)), Path(os.path.abspath(pdf_root))
    pdf_real = _real(pdf_abs)
    if pdf_abs.is_relative_to(out_abs) and not pdf_real.is_relative_to(_real(out_abs)):
        raise EnvironmentFault(pdf_root, LEADS_OUT)
    for target in targets:
        if not _real(target).is_relative_to(pdf_real):
            raise EnvironmentFault(target, LEADS_OUT)


def place(made: Path, target: Path) -> None:
    """The PDF ``made`` becomes ``target``: written beside it under a temporary name, then renamed."""
    from pipeline.ooxml.package import atomic_write

    try:
        atomic_write(Path(target), Path(made).read_bytes())
    except OSError as exc:  # named by the PDF, not by its temporary name
        exc.filename = str(target)
        raise
    Path(made).unlink(missing_ok=True)
