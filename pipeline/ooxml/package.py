"""Reproducible .docx bytes, written atomically.

python-docx stamps the current time on every zip entry; we re-zip every part
in a fixed order with a fixed date (1980-01-01, the zip epoch) and fixed
permissions, so the same inputs always give the same bytes. Files are written
to a temporary file beside the target and renamed into place, so a failed
build never leaves a half-written document.
"""

from __future__ import annotations

import io
import os
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

FIXED_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Deflated:
    """A zip member compressed once, exactly as ``zipfile`` compresses it at level 6 (one raw deflate
    stream: ``compressobj(6, DEFLATED, -15)``), to be written into many zips: a template's parts that
    every document of it carries unchanged are compressed once per process, not once per document."""

    crc: int
    size: int
    data: bytes

    @classmethod
    def of(cls, raw: bytes) -> Deflated:
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        return cls(zlib.crc32(raw), len(raw), c.compress(raw) + c.flush())


# APPNOTE 4.3.7, 4.3.12, 4.3.16: local file header, central directory header, end of central directory
_LOCAL, _CENTRAL, _END = struct.Struct("<4s2B4HL2L2H"), struct.Struct("<4s4B4HL2L5H2L"), struct.Struct("<4s4H2LH")
_DOS_DATE = (FIXED_DATE[0] - 1980) << 9 | FIXED_DATE[1] << 5 | FIXED_DATE[2]
_DOS_TIME = FIXED_DATE[3] << 11 | FIXED_DATE[4] << 5 | FIXED_DATE[5] // 2
_VERSION, _DEFLATED, _UTF8_NAME, _MODE = 20, 8, 0x800, 0o644 << 16


def zip_entries(entries: dict[str, bytes | Deflated]) -> bytes:
    """A zip of ``entries`` with fixed timestamps, permissions, deflate level and entry order.

    The bytes are those ``zipfile`` writes for ``ZipInfo(name, FIXED_DATE)`` members, deflated at
    level 6, with mode 0644 and system 0 (``tests/test_write.py`` compares them); written here so
    that a member already compressed (``Deflated``) is copied, not compressed again. No zip64:
    a document is far below 4 GB and 65,535 members."""
    # [Content_Types].xml first (Word expects it), then the rest sorted
    order = sorted(entries, key=lambda n: (n != "[Content_Types].xml", n))
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name in order:
        member = entries[name]
        if not isinstance(member, Deflated):
            member = Deflated.of(member)
        try:
            raw_name, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            raw_name, flags = name.encode("utf-8"), _UTF8_NAME
        local = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, _DOS_TIME, _DOS_DATE, member.crc,
                            len(member.data), member.size, len(raw_name), 0)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, 0, _VERSION, 0, flags, _DEFLATED, _DOS_TIME, _DOS_DATE,
                                     member.crc, len(member.data), member.size, len(raw_name), 0, 0, 0, 0, _MODE,
                                     offset) + raw_name)
        out += (local, raw_name, member.data)
        offset += len(local) + len(raw_name) + len(member.data)
    directory = b"".join(central)
    if offset + len(directory) > 0xFFFFFFFF or len(central) > 0xFFFF:
        raise ValueError("a document too large for a zip without zip64")
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(out) + directory + end


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
