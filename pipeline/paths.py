"""Where vanban finds things: a commune's folder (from any folder inside it), its templates
(beside its inputs, else the bundled ones), and its own folder in the user's cache."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLAN_TEMPLATE = "kh_ubnd.docx"
APPENDIX_TEMPLATE = "phu_luc/phu_luc.docx"


def bundled_templates() -> Path:
    """vanban's own templates: ``pipeline/templates`` in an installed package (the wheel
    carries the repository's ``templates/`` there), else ``templates/`` of this checkout."""
    from importlib import resources

    packaged = resources.files("pipeline").joinpath("templates")
    if isinstance(packaged, Path) and (packaged / PLAN_TEMPLATE).is_file():
        return packaged
    return PROJECT_ROOT / "templates"


def own_templates(inputs_dir: Path) -> Path:
    """Where a commune keeps templates of its own: ``templates/`` beside its inputs (it may not exist)."""
    return Path(inputs_dir).resolve().parent / "templates"


def templates_dir(inputs_dir: Path) -> Path:
    """``templates/`` beside the inputs when a commune has its own, else the bundled one."""
    own = own_templates(inputs_dir)
    return own if (own / PLAN_TEMPLATE).exists() else bundled_templates()


def has_own_templates(inputs_dir: Path) -> bool:
    """Whether the commune has its own templates (a change to them is the commune's, not vanban's)."""
    return templates_dir(inputs_dir).resolve() != bundled_templates().resolve()


def cache_folder() -> Path:
    """vanban's folder in the user's cache, for this machine's own state (never a document): ``vanban/``
    in ``VANBAN_CACHE``, else ``%LOCALAPPDATA%`` (Windows), ``$XDG_CACHE_HOME`` or ``~/.cache``.
    It may not exist yet."""
    import os

    base = os.environ.get("VANBAN_CACHE") or os.environ.get("LOCALAPPDATA") or os.environ.get("XDG_CACHE_HOME") \
        or str(Path.home() / ".cache")
    return Path(base) / "vanban"


COMMUNE_MARKER = Path("inputs") / "commune.yaml"


def commune_folder(start: Path | None = None) -> Path | None:
    """The nearest folder, ``start`` (default: the current one) or above, holding ``inputs/commune.yaml``:
    a clerk who opened a terminal in ``outputs/`` or ``inputs/`` still builds the commune, as git
    finds its repository from any folder inside it."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / COMMUNE_MARKER).is_file():
            return folder
    return None


def near(given: Path, name: str) -> Path:
    """``given`` as it is, unless it is the default ``name`` (``inputs``, ``outputs``) and there is no
    such folder here: then that folder of the commune this folder is inside (``commune_folder``)."""
    if Path(given) != Path(name) or Path(given).exists():
        return Path(given)
    found = commune_folder()
    return found / name if found is not None else Path(given)


def not_a_commune(given: Path, name: str = "inputs") -> str | None:
    """What to tell a clerk whose ``given`` inputs folder is the default ``name``, missing here and in
    every folder above (``near`` found no commune): this is not a commune's folder, and how to reach
    one or make one. None for any other folder (a mistyped ``--inputs``)."""
    if Path(given) != Path(name) or Path(given).exists() or commune_folder() is not None:
        return None
    return (f"thư mục đang đứng ({Path.cwd()}) không phải thư mục của một xã: ở đây và các thư mục cha không có "
            f"{COMMUNE_MARKER.as_posix()}. Hãy chuyển vào thư mục của xã rồi chạy lại (ví dụ: cd "
            "D:\\VanBan\\xa-hoa-son), hoặc tạo thư mục mới cho một xã: vanban init <thư mục> --commune \"Tên xã\" "
            "--province \"Tên tỉnh\"")


def near_option(ctx, param, value):
    """A click option callback: ``near`` for an option whose default is its folder's name."""
    return near(value, str(param.default)) if value is not None and param.default is not None else value


# --------------------------------------------------------------------------- LibreOffice

SOFFICE_ENV = "VANBAN_SOFFICE"
SOFFICE_HELP = (f"Chương trình soffice của LibreOffice (hoặc thư mục cài đặt); mặc định: biến môi trường "
                f"{SOFFICE_ENV}, PATH, rồi các thư mục cài đặt thường gặp.")  # the --soffice option's help
UNIX_ROOT = Path("/")  # where the macOS and Linux well-known folders are looked for (tests move it)


def soffice_folders() -> list[Path]:
    """Where LibreOffice's installers put ``soffice`` on this system, in the order they are tried.

    Windows (the installer does not change PATH; no registry read): ``%ProgramFiles%``, the 64-bit
    one a 32-bit Python does not see (``%ProgramW6432%``), ``%ProgramFiles(x86)%`` and a per-user
    install in ``%LOCALAPPDATA%\\Programs``. macOS: the application in ``/Applications`` or
    ``~/Applications``. Linux: ``/usr/bin``, ``/usr/lib/libreoffice/program``, then the newest of
    libreoffice.org's own packages in ``/opt/libreoffice*/program``, then the snap.
    """
    import os
    import sys

    if sys.platform == "win32":
        env = os.environ
        bases = [env.get("ProgramFiles") or r"C:\Program Files", env.get("ProgramW6432"),
                 env.get("ProgramFiles(x86)") or r"C:\Program Files (x86)"]
        folders = [Path(b) / "LibreOffice" for b in bases if b]
        if env.get("LOCALAPPDATA"):
            folders.append(Path(env["LOCALAPPDATA"]) / "Programs" / "LibreOffice")
        return list(dict.fromkeys(f / "program" / "soffice.exe" for f in folders))
    if sys.platform == "darwin":
        app = Path("LibreOffice.app") / "Contents" / "MacOS" / "soffice"
        return [UNIX_ROOT / "Applications" / app, Path.home() / "Applications" / app]
    opt = sorted(UNIX_ROOT.joinpath("opt").glob("libreoffice*/program/soffice"), key=_version_key, reverse=True)
    return [UNIX_ROOT / "usr" / "bin" / "soffice", UNIX_ROOT / "usr" / "bin" / "libreoffice",
            UNIX_ROOT / "usr" / "lib" / "libreoffice" / "program" / "soffice", *opt,
            UNIX_ROOT / "snap" / "bin" / "libreoffice"]


def _version_key(path: Path) -> tuple[int, ...]:
    """``/opt/libreoffice24.8/program/soffice`` -> (24, 8): the newest install sorts last."""
    import re

    return tuple(int(n) for n in re.findall(r"\d+", path.parent.parent.name))


def _program(path: Path) -> Path | None:
    """``path`` when it is a program file; for a folder, the ``soffice`` in it or in its ``program/``."""
    import os
    import sys

    names = ("soffice.exe", "soffice") if sys.platform == "win32" else ("soffice",)
    for candidate in [path] + [path / sub / name for sub in ("", "program") for name in names]:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_soffice(given: str | Path | None = None) -> str | None:
    """LibreOffice's ``soffice``, the one way every stage finds it (PDF, reading .doc files).

    In order: ``given`` (a ``--soffice`` option), the environment variable ``VANBAN_SOFFICE``, PATH
    (``soffice``, ``libreoffice``), then the well-known folders (``soffice_folders``). A program
    file or its install folder may be named. A place named by the option or the variable that
    holds no LibreOffice is an ``ExternalToolError`` (exit 4), not a silent search elsewhere.
    None when LibreOffice is nowhere.
    """
    import os
    import shutil

    for value, where in ((given, "--soffice"), (os.environ.get(SOFFICE_ENV), f"biến môi trường {SOFFICE_ENV}")):
        if value:
            found = _program(Path(value).expanduser())
            if found is None:
                from pipeline.errors import ExternalToolError

                raise ExternalToolError(f"{where} chỉ tới {value}, nhưng ở đó không có chương trình LibreOffice "
                                        "(soffice). Hãy sửa lại đường dẫn (ví dụ C:\\Program Files\\LibreOffice\\"
                                        "program\\soffice.exe), hoặc bỏ đi để vanban tự tìm.")
            return str(found)
    for name in ("soffice", "libreoffice"):
        exe = shutil.which(name)
        if exe:
            return exe
    return next((str(p) for p in soffice_folders() if _program(p) == p), None)


def soffice_missing() -> str:
    """The Vietnamese sentence for a machine where ``find_soffice`` found no LibreOffice."""
    places = ", ".join(str(p) for p in soffice_folders())
    return (f"không tìm thấy LibreOffice (soffice): không có trong PATH, cũng không có ở {places}. Hãy cài "
            "LibreOffice (https://www.libreoffice.org; Debian/Ubuntu: 'apt-get install libreoffice-writer'), hoặc "
            f"chỉ đường dẫn tới soffice bằng biến môi trường {SOFFICE_ENV} (hay tùy chọn --soffice của 'vanban pdf')")


# --------------------------------------------------------------------------- a folder of Word documents

WORD_LOCK_PREFIX = "~$"  # Word's owner file beside a document open in it: "~$ hoach.docx", 162 bytes


def word_documents(folder: Path, leave_out: tuple[str, ...] = ()) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(the Word documents under ``folder``, the .docx files that are not documents, each with why).

    Not a document, and so skipped with a note: Word's lock file ``~$….docx`` of a document open in
    it, an empty file, a file that is not a zip package. Not walked: hidden folders (``.backup/``,
    ``.vanban-staging/``, ``.git/``), the first-level folders named in ``leave_out`` (``pdf``), and
    symlinked folders.
    """
    import os
    import zipfile

    docs, skipped = [], []
    for here, dirs, names in os.walk(folder):
        top = Path(here) == Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (top and d in leave_out))
        for name in sorted(names):
            path = Path(here) / name
            if not name.lower().endswith(".docx") or name.startswith("."):
                continue
            if name.startswith(WORD_LOCK_PREFIX):
                skipped.append((path, "tệp khóa Word tạo ra khi văn bản đang mở, không phải văn bản"))
            elif not path.is_file() or path.stat().st_size == 0:
                skipped.append((path, "tệp rỗng, không phải văn bản"))
            elif not zipfile.is_zipfile(path):
                skipped.append((path, "không phải tệp Word .docx (nội dung không phải gói .docx)"))
            else:
                docs.append(path)
    return docs, skipped
