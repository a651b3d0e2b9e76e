"""The zip writer (``write.zip_entries``) against Python's own ``zipfile``: the same bytes member for
member, whether a member is given raw or compressed once beforehand (``write.Deflated``), and a zip
that ``zipfile`` reads back whole."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from pipeline.ooxml.package import FIXED_DATE, Deflated, zip_entries

ROOT = Path(__file__).resolve().parent.parent


def zipfile_writes(entries: dict[str, bytes]) -> bytes:
    """What ``zipfile`` writes for the same members: fixed date, mode 0644, system 0, deflate level 6."""
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


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return {i.filename: z.read(i) for i in z.infolist()}


def test_every_committed_document_is_what_zipfile_writes_for_its_members():
    docs = sorted((ROOT / "outputs").rglob("*.docx"))
    assert len(docs) == 25
    for path in docs:
        entries = members(path.read_bytes())
        assert list(entries)[0] == "[Content_Types].xml"
        assert zip_entries(entries) == zipfile_writes(entries) == path.read_bytes(), path.name


def test_members_compressed_beforehand_give_the_same_bytes():
    entries = members((ROOT / "outputs" / "ke-hoach-cchc.docx").read_bytes())
    once = {name: Deflated.of(data) for name, data in entries.items() if name != "word/document.xml"}
    assert zip_entries({**entries, **once}) == zipfile_writes(entries)


def test_names_outside_ascii_empty_and_incompressible_members():
    import os

    entries = {"word/tệp ảnh.xml": "Xuân Bình".encode("utf-8") * 500, "empty.xml": b"",
               "random.bin": os.urandom(70_000), "[Content_Types].xml": b"<Types/>"}
    data = zip_entries(entries)
    assert data == zipfile_writes(entries)
    assert members(data) == entries
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert [i.filename for i in z.infolist()][0] == "[Content_Types].xml"
        assert all(i.date_time == FIXED_DATE and i.external_attr == 0o644 << 16 for i in z.infolist())
