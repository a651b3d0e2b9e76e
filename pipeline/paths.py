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
