"""Stage 'write': reproducible .docx bytes, written atomically.

python-docx stamps the current time on every zip entry; we re-zip every part
in a fixed order with a fixed date (1980-01-01, the zip epoch) and fixed
permissions, so the same inputs always give the same bytes. Files are written
to a temporary file beside the target and renamed into place, so a failed
build never leaves a half-written document.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def zip_entries(entries: dict[str, bytes]) -> bytes:
    """A zip of ``entries`` with fixed timestamps, permissions, deflate level and entry order."""
    # [Content_Types].xml first (Word expects it), then the rest sorted
    order = sorted(entries, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            dst.writestr(info, entries[name])
    return out.getvalue()


def normalise_zip(data: bytes) -> bytes:
    """Re-zip ``data`` (any zip, e.g. a saved .docx) reproducibly."""
    src = zipfile.ZipFile(io.BytesIO(data))
    return zip_entries({name: src.read(name) for name in src.namelist()})


def docx_bytes(document) -> bytes:
    """The reproducible bytes of a python-docx ``Document``.

    Saved through python-docx's public ``Document.save`` into memory, then re-zipped
    with fixed dates and order (``normalise_zip``): the member bytes are python-docx's own.
    """
    buf = io.BytesIO()
    document.save(buf)
    return normalise_zip(buf.getvalue())


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def save_docx(document, path: Path) -> bytes:
    data = docx_bytes(document)
    atomic_write(Path(path), data)
    return data
