"""The input files of a commune: which files are read, and how one file is read.

``discover`` lists the files of an inputs folder: the three required files and one file per
item in each item folder, each written ``.yaml`` or ``.yml`` (a ``.yaml`` and a ``.yml`` of one
name are refused: which one would count?). A name that looks meant for vanban but is not read —
Notepad's ``plan.yaml.txt``, ``X.YAML``, a YAML file outside the folders vanban reads — is named
in a warning, never silently left out. Backup copies (``plan.yaml.bak``, ``plan.yaml~``) are set
aside on purpose and are not warned about.

``read_input`` reads one file, bounded: only a regular file (a FIFO, a device such as
``/dev/zero`` or a folder named like a YAML file is refused before anything is read), at most
``MAX_FILE_BYTES``, reached through a symbolic link only when the link stays inside the commune's
folder (so that git keeps it with the commune and another machine builds the same documents),
UTF-8 with or without a byte-order mark and with any line endings, read the same. Each refusal is
a located Vietnamese ``InputIssue`` (exit 3).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import InputErrors, InputIssue

MAX_FILE_BYTES = 2 * 1024 * 1024  # one input file; the bundled ones are under 30 kB

COMMUNE_FILE = "commune.yaml"
PLAN_FILE = "plan.yaml"
APPENDICES_FILE = "appendices.yaml"
SUBPLANS_DIR = "subplans"
REPORTS_DIR = "reports"
PROGRESS_DIR = "progress"
CRITERIA_DIR = "criteria"
REQUIRED_FILES = (("commune", COMMUNE_FILE), ("plan", PLAN_FILE), ("appendices", APPENDICES_FILE))
ITEM_FOLDERS = (SUBPLANS_DIR, REPORTS_DIR, PROGRESS_DIR, CRITERIA_DIR)
SUFFIXES = (".yaml", ".yml")  # exactly so, lower case, on every system
_REQUIRED_NAMES = {name.rsplit(".", 1)[0] + suffix for _, name in REQUIRED_FILES for suffix in SUFFIXES}

# a name meant for vanban that is not read: a suffix in other letters or misspelt, Notepad's '.txt'
_NEAR_MISS = re.compile(r"\.(ya?ml|yam|ymal|yaml?\.txt|yml\.txt)$", re.IGNORECASE)
_SKIPPED = ("~$", ".")  # Word's and editors' own files, hidden files

HOW_TO_UTF8 = ("hãy lưu lại tệp với mã hóa UTF-8 — Notepad: Tệp → Lưu thành… (File → Save As…), ô Mã hóa "
               "(Encoding) chọn UTF-8; VS Code: bấm tên mã hóa ở thanh trạng thái dưới cùng → Save with "
               "Encoding → UTF-8")


@dataclass
class Discovered:
    """What an inputs folder holds: the files to read, by key; warnings and errors about the others."""

    files: list[tuple[str, Path]] = field(default_factory=list)
    notes: list[InputIssue] = field(default_factory=list)  # warnings: a name vanban does not read
    issues: list[InputIssue] = field(default_factory=list)  # errors: a .yaml and a .yml of one name


def display_name(root: Path, path: Path) -> str:
    """How messages name an input file: from the commune's folder (``inputs/plan.yaml``)."""
    try:
        return str(path.relative_to(root.parent)) if root.parent != path else str(path)
    except ValueError:
        return str(path)


def _is_input(name: str) -> bool:
    return name.endswith(SUFFIXES)


def _entries(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if not p.name.startswith(_SKIPPED))
    except OSError:
        return []


def _pick(root: Path, folder: Path, names: list[str], found: Discovered) -> list[Path]:
    """Of the inputs named ``stem.yaml`` / ``stem.yml`` in ``names``, the ones to read; both is an error."""
    by_stem: dict[str, list[str]] = {}
    for name in names:
        by_stem.setdefault(name.rsplit(".", 1)[0], []).append(name)
    chosen = []
    for stem, same in by_stem.items():
        if len(same) > 1:
            first, second = sorted(same)[:2]
            found.issues.append(InputIssue(
                display_name(root, folder / second), 1, 1, "",
                f"có hai tệp cùng tên '{stem}': {first} và {second}; vanban không biết đọc tệp nào — hãy xóa "
                "hoặc đổi tên một tệp", rule="input-file"))
        chosen.append(folder / sorted(same)[0])
    return chosen


def _note(found: Discovered, root: Path, path: Path, message: str) -> None:
    found.notes.append(InputIssue(display_name(root, path), 1, 1, "", message, severity="warning",
                                  rule="input-file-name"))


def _near_miss(name: str) -> str | None:
    """What is wrong with a name meant for vanban (``x.yaml.txt``, ``x.YAML``), or None."""
    found = _NEAR_MISS.search(name)
    if found is None or _is_input(name):
        return None
    stem = name[:found.start()]
    if found.group(1).lower().endswith(".txt"):
        return (f"tệp không được đọc: tên có thêm đuôi '.txt' (Notepad tự thêm khi lưu) — đổi tên thành "
                f"'{stem}.yaml'; khi lưu trong Notepad, gõ tên trong ngoặc kép, ví dụ \"{stem}.yaml\"")
    return f"tệp không được đọc: đuôi tên tệp phải là '.yaml' (hay '.yml'), viết thường — đổi tên thành '{stem}.yaml'"


def discover(root: Path) -> Discovered:
    """The input files under ``root`` (the required ones, then each item folder's), with warnings
    for the names that look meant for vanban but are not read."""
    found = Discovered()
    entries = _entries(root)
    names = {p.name for p in entries}
    for key, name in REQUIRED_FILES:
        stem = name.rsplit(".", 1)[0]
        given = [stem + s for s in SUFFIXES if stem + s in names]
        chosen = _pick(root, root, given, found) if given else [root / name]
        found.files.append((key, chosen[0]))
    for path in entries:
        if path.name in ITEM_FOLDERS and path.is_dir():
            folder = [p for p in _entries(path) if _is_input(p.name)]
            chosen = _pick(root, path, [p.name for p in folder], found)
            found.files += [(f"{path.name}/{p.name}", p) for p in chosen]
            for other in _entries(path):
                if (why := _near_miss(other.name)) is not None:
                    _note(found, root, other, why)
        elif path.name not in _REQUIRED_NAMES:
            _stray(found, root, path)
    return found


def _stray(found: Discovered, root: Path, path: Path) -> None:
    """A warning for a YAML-looking name in the inputs folder that vanban does not read."""
    if path.is_dir():
        if any(_is_input(p.name) or _near_miss(p.name) for p in _entries(path)):
            import difflib

            close = difflib.get_close_matches(path.name, ITEM_FOLDERS, n=1, cutoff=0.6)
            hint = f"có phải ý là '{close[0]}'? " if close else ""
            _note(found, root, path, f"thư mục '{path.name}' không được đọc: {hint}vanban chỉ đọc các thư mục "
                                     + ", ".join(ITEM_FOLDERS))
        return
    why = _near_miss(path.name)
    if path.name.lower() in _REQUIRED_NAMES:
        why = f"tệp không được đọc: tên tệp phải viết thường — đổi tên thành '{path.name.lower()}'"
    elif why is None and _is_input(path.name):
        why = ("tệp không được đọc: ở thư mục inputs vanban chỉ đọc commune.yaml, plan.yaml và appendices.yaml; "
               "kế hoạch con đặt trong subplans/, loại báo cáo trong reports/, tiến độ trong progress/, "
               "bộ tiêu chí trong criteria/")
    if why is not None:
        _note(found, root, path, why)


# --------------------------------------------------------------------------- reading one file

_KINDS = ((stat.S_ISDIR, "một thư mục"), (stat.S_ISFIFO, "một ống dẫn (FIFO)"),
          (stat.S_ISCHR, "một thiết bị (ví dụ /dev/zero)"), (stat.S_ISBLK, "một thiết bị lưu trữ"),
          (stat.S_ISSOCK, "một socket"))
_OS_WORDS = {errno.EACCES: "không có quyền đọc tệp", errno.EPERM: "không được phép đọc tệp",
             errno.ENOENT: "không tìm thấy tệp", errno.ELOOP: "liên kết (symlink) vòng quanh, không dẫn tới tệp nào",
             errno.EISDIR: "đây là một thư mục, không phải tệp", errno.EBUSY: "tệp đang bị chương trình khác khóa"}


def _refuse(display: str, message: str, rule: str = "input-file", line: int = 1, column: int = 1) -> InputErrors:
    return InputErrors([InputIssue(display, line, column, "", message, rule=rule)])


def _os_words(exc: OSError) -> str:
    return _OS_WORDS.get(exc.errno or 0) or f"không đọc được tệp (lỗi hệ thống {errno.errorcode.get(exc.errno or 0, exc.errno)})"


def _kind(mode: int) -> str:
    return next((words for test, words in _KINDS if test(mode)), "không phải tệp thường")


def _check_link(path: Path, display: str, within: Path | None) -> None:
    """A symbolic link is followed only when it stays inside ``within`` (the commune's folder)."""
    if within is None:
        return
    target = Path(os.path.realpath(path))
    if not target.is_relative_to(Path(os.path.realpath(within))):
        raise _refuse(display, f"là liên kết (symlink) dẫn ra ngoài thư mục của xã, tới {target}: vanban chỉ "
                               "đọc dữ liệu nằm trong thư mục của xã (để git lưu cùng và máy khác tạo ra đúng các "
                               "văn bản này) — hãy chép tệp đó vào đây")


def read_bytes(path: Path, display: str, within: Path | None = None) -> bytes:
    """The bytes of a regular file of at most ``MAX_FILE_BYTES``; anything else refused, nothing read."""
    try:
        before = os.stat(path)  # follows a link; never blocks, whatever the file is
    except OSError as exc:
        gone = os.path.islink(path) and exc.errno == errno.ENOENT
        raise _refuse(display, "là liên kết (symlink) tới một tệp không còn nữa" if gone else _os_words(exc)) from None
    if not stat.S_ISREG(before.st_mode):
        raise _refuse(display, f"không phải tệp dữ liệu: đây là {_kind(before.st_mode)}; vanban chỉ đọc tệp thường")
    _check_link(path, display, within)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)  # non-blocking: a FIFO put in its place meanwhile cannot hang the build
    except OSError as exc:
        raise _refuse(display, _os_words(exc)) from None
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode):
            raise _refuse(display, f"không phải tệp dữ liệu: đây là {_kind(now.st_mode)}; vanban chỉ đọc tệp thường")
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise _refuse(display, _os_words(exc)) from None
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        raise _refuse(display, f"tệp lớn quá: hơn {MAX_FILE_BYTES // (1024 * 1024)} MB (tệp dữ liệu của một xã "
                               "thường dưới 100 kB); có lẽ đã chép nhầm tệp khác vào đây — vanban không đọc tệp này",
                      rule="input-too-big")
    return b"".join(chunks)


def decode(data: bytes, display: str) -> str:
    """UTF-8 text, with or without a byte-order mark, its line endings made '\\n'; anything else refused
    at the line of the first byte that is not UTF-8, with how to save the file again."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data.count(b"\x00") > len(data) // 4 > 0:
        raise _refuse(display, f"tệp được lưu với mã hóa UTF-16 (Unicode), vanban chỉ đọc UTF-8: {HOW_TO_UTF8}",
                      rule="encoding")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[start:exc.start].decode("utf-8", "replace")) + 1
        raise _refuse(display, f"tệp không lưu bằng mã UTF-8: byte 0x{data[exc.start]:02X} ở dòng {line}, cột {column} "
                               "không phải chữ UTF-8 (thường do tệp được lưu bằng mã ANSI/Windows-1258, hay bằng "
                               f"bảng mã TCVN3/VNI của bộ gõ cũ); {HOW_TO_UTF8}", rule="encoding",
                      line=line, column=column) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_input(path: Path, display: str, within: Path | None = None) -> str:
    """The text of one input file (``read_bytes`` then ``decode``)."""
    return decode(read_bytes(path, display, within), display)
