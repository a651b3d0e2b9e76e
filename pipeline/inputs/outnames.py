"""The names of the files a build writes, as the office's Windows PC (and a Mac) will take them.

A name Windows refuses (``CON``, ``aux``, ``NUL.txt``, ``com1``; ``:``, ``?``, ``"``), two names
that Windows and macOS hold for one file (``KeHoach`` and ``kehoach``; the same letters composed
or not), or a path too long for Windows would lose a document without a word. ``name_problem``
and ``path_problem`` say what is wrong with one name or path, ``fold`` is how a name is compared;
the schema checks each ``output:`` with them (``fields.FileStem``) and ``plan.documents`` checks
every planned path before anything is written.

The length limit: Windows refuses a path of 260 characters or more (MAX_PATH, counting the drive,
every folder and the name). A path inside the outputs folder is held to ``MAX_PATH_IN_OUTPUTS``
= 120 characters, so that the outputs folder itself may take about 110 (``C:\\Users\\<name>\\
Documents\\<commune>\\outputs\\`` takes 60 to 90) and vanban's own additions under it (the staging
folder of a commit, the ``.backup`` and ``pdf`` copies, about 30) still fit.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.decree.vietnamese import slug

MAX_PATH_IN_OUTPUTS = 120  # characters of a path inside the outputs folder (see above)
MAX_STEM = 100  # characters of an ``output:`` name: a sub-plan's path is ``ke-hoach-con/<stem>.docx``
_DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"{port}{n}" for port in ("COM", "LPT")
                                                               for n in "0123456789¹²³"}
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def fold(path: str) -> str:
    """``path`` as Windows and macOS compare names: without case, composed characters as one."""
    return unicodedata.normalize("NFC", path).casefold()


def length(path: str) -> int:
    """Characters as Windows counts them (UTF-16 units)."""
    return len(path.encode("utf-16-le")) // 2


def name_problem(name: str) -> str | None:
    """What Windows will not take in one file or folder name, in Vietnamese; None when it takes it."""
    bad = _FORBIDDEN.search(name)
    if bad is not None:
        shown = repr(bad.group()) if bad.group() < " " else f"'{bad.group()}'"
        return f"tên '{name}' có ký tự {shown} mà Windows không cho dùng trong tên tệp"
    base = name.split(".", 1)[0].rstrip(" ").upper()
    if base in _DEVICES:
        return (f"tên '{name}' là tên thiết bị dành riêng của Windows ({base}): Windows không tạo được tệp tên "
                "này — hãy đặt tên khác")
    if name.endswith((" ", ".")):
        return f"tên '{name}' kết thúc bằng dấu cách hay dấu chấm, Windows bỏ chúng đi — hãy đặt tên khác"
    return None


def path_problem(path: str) -> str | None:
    """What Windows will not take in a path inside the outputs folder ('/' between its parts)."""
    for part in path.split("/"):
        said = name_problem(part)
        if said is not None:
            return said
    if length(path) > MAX_PATH_IN_OUTPUTS:
        return (f"đường dẫn '{path}' dài {length(path)} ký tự, quá {MAX_PATH_IN_OUTPUTS} ký tự: Windows không mở được "
                "tệp có đường dẫn đầy đủ quá 260 ký tự — hãy đặt tên ngắn hơn")
    return None


def stem_problem(stem: str) -> str | None:
    """What is wrong with an ``output:`` name (a file name without '.docx'), or None."""
    if stem.startswith("."):
        return f"tên '{stem}' không được bắt đầu bằng '.'"
    said = name_problem(stem + ".docx")
    if said is None and length(stem) > MAX_STEM:
        said = f"tên '{stem[:40]}…' dài {length(stem)} ký tự, quá {MAX_STEM} ký tự — hãy đặt tên ngắn hơn"
    return said


def file_stem(doc) -> str:
    """The name of a document's file, without '.docx': its ``output:``, else its id as a slug."""
    return doc.output or slug(doc.id)
