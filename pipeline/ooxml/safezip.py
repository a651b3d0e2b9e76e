"""Bounded, DTD-free reading of .docx files: the one door every reader goes through.

A .docx is a zip of XML parts. A hostile or damaged one can declare (or hide)
a part that expands to gigabytes, or carry a DTD whose entities expand without
end. Every reader of a .docx in vanban (``check``, ``textconv`` and thus
``git diff``, ``diff``, redline, the hash check of the manifest) opens it here:

* ``open_zip(source)``: a ``zipfile.ZipFile`` whose members were all read once,
  with their declared and actual sizes bounded (``MEMBER_LIMIT`` each,
  ``TOTAL_LIMIT`` together) and their compression ratio bounded
  (``RATIO_LIMIT`` for members above ``RATIO_FLOOR``); an XML part containing a
  DTD (``<!DOCTYPE``) is refused;
* ``open_docx(source)``: a python-docx ``Document`` read from such a verified zip;
  ``read_verified(source)``: the bytes themselves (the render's templates);
* ``parse_xml(data)``: an lxml element, parsed without DTD, entities, network
  or huge-tree mode; ``parse_et(data)``: the same for ``xml.etree`` users;
* ``main_part(zf)``, ``related(zf, kind, part)``: parts found by relationship,
  as Word finds them, not by their usual names.

Every refusal is a ``BadDocx`` with a Vietnamese message naming the file.
This module imports only the standard library at load time (``textconv.py``
runs as a bare script when git calls it, and imports it from beside itself).
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

MB = 1024 * 1024
MEMBER_LIMIT = 100 * MB  # uncompressed bytes of one member
TOTAL_LIMIT = 200 * MB  # uncompressed bytes of all members together
FILE_LIMIT = 100 * MB  # the .docx file itself
RATIO_LIMIT = 100  # uncompressed / compressed, for members above RATIO_FLOOR
RATIO_FLOOR = 4 * MB
_CHUNK = 1 * MB
_DTD = b"<!DOCTYPE"


class BadDocx(Exception):
    """A .docx that vanban refuses to read (damaged, not a zip, or built to exhaust memory)."""


def unreadable_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "this Word file cannot be read" — the file's fault, not vanban's: the one
    answer every reader gives (``check`` reports the file as unreadable; ``import`` and ``textconv``
    exit 3). Use it as ``except safezip.unreadable_errors() as exc:``.

    ``BadDocx`` (refused here; this module turns zip and XML errors into it), and what a package that
    opened can still raise when it is broken inside: a missing part (``KeyError``), XML that does not
    parse, a value Word never writes (``ValueError``), python-docx's ``PackageNotFoundError``. The
    libraries' own kinds are named only once they are loaded (none can be raised before), so this
    module stays standard-library only.
    """
    import sys
    from xml.etree.ElementTree import ParseError

    kinds: list[type[BaseException]] = [BadDocx, zipfile.BadZipFile, KeyError, ValueError, ParseError]
    for module, name in (("lxml.etree", "XMLSyntaxError"), ("docx.opc.exceptions", "PackageNotFoundError")):
        loaded = sys.modules.get(module)
        if loaded is not None:
            kinds.append(getattr(loaded, name))
    return tuple(kinds)


def _name(source, label: str | None) -> str:
    if label:
        return label
    return str(source) if isinstance(source, (str, Path)) else "tệp Word"


def _read_source(source, label: str) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif isinstance(source, (str, Path)):
        try:
            size = os.path.getsize(source)
            if size > FILE_LIMIT:
                raise BadDocx(f"{label}: tệp quá lớn ({size // MB} MB, giới hạn {FILE_LIMIT // MB} MB)")
            with open(source, "rb") as f:
                data = f.read(FILE_LIMIT + 1)
        except OSError as exc:
            raise BadDocx(f"{label}: không đọc được tệp ({exc.strerror or exc})") from None
    else:  # a file object
        data = source.read(FILE_LIMIT + 1)
    if len(data) > FILE_LIMIT:
        raise BadDocx(f"{label}: tệp quá lớn (giới hạn {FILE_LIMIT // MB} MB)")
    return data


def _check_declared(zf: zipfile.ZipFile, label: str) -> None:
    total = 0
    for info in zf.infolist():
        where = f"{label}: phần '{info.filename}'"
        if info.file_size > MEMBER_LIMIT:
            raise BadDocx(f"{where} khai báo {info.file_size // MB} MB khi giải nén, vượt giới hạn "
                          f"{MEMBER_LIMIT // MB} MB — tệp hỏng hoặc cố ý làm tràn bộ nhớ; vanban không đọc")
        if info.file_size > RATIO_FLOOR and info.file_size > RATIO_LIMIT * max(info.compress_size, 1):
            raise BadDocx(f"{where} nén quá mức bình thường (tỉ lệ {info.file_size // max(info.compress_size, 1)}:1, "
                          f"giới hạn {RATIO_LIMIT}:1) — tệp hỏng hoặc cố ý làm tràn bộ nhớ; vanban không đọc")
        total += info.file_size
    if total > TOTAL_LIMIT:
        raise BadDocx(f"{label}: các phần của tệp cộng lại {total // MB} MB khi giải nén, vượt giới hạn "
                      f"{TOTAL_LIMIT // MB} MB; vanban không đọc")


def _check_actual(zf: zipfile.ZipFile, label: str) -> None:
    """Read every member once: actual sizes within the limits, no DTD in an XML part."""
    total = 0
    for info in zf.infolist():
        where = f"{label}: phần '{info.filename}'"
        is_xml = info.filename.endswith((".xml", ".rels"))
        size, tail = 0, b""
        with zf.open(info) as member:
            while True:
                chunk = member.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                total += len(chunk)
                if size > MEMBER_LIMIT or total > TOTAL_LIMIT:
                    raise BadDocx(f"{where} giải nén ra hơn giới hạn {MEMBER_LIMIT // MB} MB; vanban không đọc")
                if is_xml and _DTD in tail + chunk:
                    raise BadDocx(f"{where} có khai báo DTD (<!DOCTYPE>), điều Word không bao giờ ghi; "
                                  "vanban không đọc tệp này")
                tail = chunk[-len(_DTD):]


def open_zip(source, label: str | None = None) -> zipfile.ZipFile:
    """A verified ``ZipFile`` of ``source`` (path, bytes or file object); ``BadDocx`` when refused."""
    return _verified(source, _name(source, label))[1]


def read_verified(source, label: str | None = None) -> bytes:
    """The bytes of ``source``, read once, after ``open_zip``'s checks passed on them."""
    return _verified(source, _name(source, label))[0]


def _verified(source, label: str) -> tuple[bytes, zipfile.ZipFile]:
    data = _read_source(source, label)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        _check_declared(zf, label)
        _check_actual(zf, label)
    except BadDocx:
        raise
    except zipfile.BadZipFile:
        raise BadDocx(f"{label}: không phải tệp Word (.docx) hợp lệ hoặc tệp đã hỏng (không đọc được như "
                      "một tệp nén zip)") from None
    except (zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError, RuntimeError, OSError) as exc:
        raise BadDocx(f"{label}: không phải tệp Word (.docx) hợp lệ hoặc tệp đã hỏng ({exc})") from None
    return data, zf


def read_member(zf: zipfile.ZipFile, name: str, label: str = "tệp Word") -> bytes:
    """One member's bytes (the zip was verified by ``open_zip``); a missing part is ``BadDocx``."""
    try:
        return zf.read(name)
    except KeyError:
        raise BadDocx(f"{label}: thiếu phần '{name}' — không phải tệp Word hợp lệ") from None


def _join(base_dir: str, target: str) -> str:
    """A relationship's target as a zip member name: relative to its source part's folder unless absolute."""
    import posixpath

    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base_dir, target)).lstrip("/")


def rels_name(part: str) -> str:
    """The zip name of ``part``'s relationships: ``word/document2.xml`` → ``word/_rels/document2.xml.rels``."""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def relationships(zf: zipfile.ZipFile, part: str = "") -> list[tuple[str, str, str]]:
    """(id, type's last word, zip name of the target) of each internal relationship of ``part`` ("" is the
    package itself: ``_rels/.rels``); none when the part has no relationships part."""
    name = rels_name(part) if part else "_rels/.rels"
    try:
        with zf.open(name) as f:
            data = f.read(MEMBER_LIMIT + 1)  # bounded even in a zip that open_zip did not verify
    except KeyError:
        return []
    if len(data) > MEMBER_LIMIT:
        raise BadDocx(f"{name}: phần quan hệ lớn hơn giới hạn {MEMBER_LIMIT // MB} MB; vanban không đọc")
    folder = part.rpartition("/")[0]
    out = []
    for rel in parse_et(data, name):
        if rel.get("TargetMode") == "External" or not rel.get("Target"):
            continue
        out.append((rel.get("Id", ""), rel.get("Type", "").rsplit("/", 1)[-1], _join(folder, rel.get("Target", ""))))
    return out


def related(zf: zipfile.ZipFile, kind: str, part: str = "", default: str | None = None) -> str | None:
    """The zip name of the part related to ``part`` by a relationship of type ``kind`` (the type's last
    word: "officeDocument", "core-properties", "styles", "numbering", "footnotes" …), or ``default``.

    Parts are found by relationship, never by name: Word for the web saves the main part as
    ``word/document2.xml``, and other programs choose other names again."""
    names = set(zf.namelist())
    for _, typ, target in relationships(zf, part):
        if typ == kind and target in names:
            return target
    return default


def main_part(zf: zipfile.ZipFile) -> str:
    """The zip name of the document's main part (``word/document.xml`` unless the package says otherwise)."""
    return related(zf, "officeDocument", default="word/document.xml")  # type: ignore[return-value]


def open_docx(source, label: str | None = None):
    """A python-docx ``Document`` of ``source``, read only after ``open_zip`` verified it."""
    from docx import Document

    label = _name(source, label)
    data, _ = _verified(source, label)
    try:
        return Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise BadDocx(f"{label}: không phải tệp Word (.docx) hợp lệ hoặc tệp đã hỏng ({exc})") from None


_lxml_parser = None


def parse_xml(data: bytes, label: str = "tệp Word"):
    """An lxml element of ``data``: no DTD loaded, no entity resolved, no network, no huge tree."""
    global _lxml_parser
    from lxml import etree

    if _lxml_parser is None:
        _lxml_parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                                       load_dtd=False, dtd_validation=False)
    _refuse_dtd(data, label)
    try:
        return etree.fromstring(data, _lxml_parser)
    except etree.XMLSyntaxError as exc:
        raise BadDocx(f"{label}: XML hỏng ({exc})") from None


def parse_et(data: bytes, label: str = "tệp Word"):
    """An ``xml.etree`` element of ``data``, refusing any DTD (so no entity can be declared)."""
    from xml.etree import ElementTree as ET

    _refuse_dtd(data, label)
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise BadDocx(f"{label}: XML hỏng ({exc})") from None


def _refuse_dtd(data: bytes, label: str) -> None:
    text = data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        try:
            text = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise BadDocx(f"{label}: XML có mã hóa không đọc được") from None
    if _DTD in text:
        raise BadDocx(f"{label}: XML có khai báo DTD (<!DOCTYPE>); vanban không đọc")
