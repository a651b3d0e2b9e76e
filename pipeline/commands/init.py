"""``vanban init DIR --commune NAME --province NAME``: a new commune's inputs in one command.

Writes ``DIR/inputs/`` from the scaffold in ``pipeline/data/scaffold`` (the
bundled plan's structure — sections, the seven reform areas, six appendices and
their tasks, the report kinds — with the commune's and province's names filled
in); the rest of the commune's own folder (outputs/, README, schemas and
editor settings, git) is made by ``init_folder.py``. The result builds at
once; what only the office can know (leaders' names, the province's own plan)
is marked "CẦN ĐIỀN", which the lint reports until it is filled.
"""

from __future__ import annotations

import unicodedata
from importlib import resources
from pathlib import Path

import click

COMMUNE = "«Xã»"
COMMUNE_UPPER = "«XÃ»"
PROVINCE = "«Tỉnh»"
SCAFFOLD = Path(__file__).resolve().parent.parent / "data" / "scaffold"


def scaffold_files() -> dict[str, str]:
    """{relative path: text} of the scaffold."""
    base = resources.files("pipeline").joinpath("data/scaffold")
    out = {}
    for folder in ("", "reports", "criteria"):
        node = base.joinpath(folder) if folder else base
        for entry in sorted(node.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".yaml"):
                out[f"{folder}/{entry.name}".lstrip("/")] = entry.read_text(encoding="utf-8")
    return out


def title_case(name: str) -> str:
    """'hòa sơn' -> 'Hòa Sơn' (each syllable capitalised, as place names are written)."""
    return " ".join(w[:1].upper() + w[1:] for w in unicodedata.normalize("NFC", name).split())


def plain_name(value: str, option: str) -> str:
    """A place name as typed, title-cased; an empty name, a newline or other control character is refused (exit 2)."""
    if not value.strip():
        raise click.BadParameter("tên không được để trống (văn bản nào cũng ghi tên này ở phần đầu); hãy gõ tên, "
                                 "ví dụ \"Hòa Sơn\"", param_hint=option)
    bad = next((ch for ch in value if unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029"), None)
    if bad is not None:
        what = "ký tự xuống dòng" if bad in "\r\n\u2028\u2029\x85" else f"ký tự điều khiển U+{ord(bad):04X}"
        raise click.BadParameter(f"tên không được chứa {what}; hãy viết tên trên một dòng", param_hint=option)
    return title_case(value)


def yaml_scalar(value: str) -> str:
    """``value`` as a double-quoted YAML scalar (PyYAML's own emitter): reads back verbatim."""
    import yaml

    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=float("inf")).rstrip("\n")


def fill_yaml(text: str, values: dict[str, str]) -> str:
    """``text`` with each placeholder replaced inside the YAML scalars that hold it.

    Every scalar that contains a placeholder is re-emitted whole as a quoted scalar, so a
    name with '#', ': ', quotes, backslashes or a leading '*' stays text; comments keep
    the plain name.
    """
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    spans, stack = [], [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack += [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
        elif isinstance(node, yaml.ScalarNode) and any(p in node.value for p in values):
            spans.append((node.start_mark.index, node.end_mark.index, _substitute(node.value, values)))
    for start, end, value in sorted(spans, reverse=True):
        text = text[:start] + yaml_scalar(value) + text[end:]
    return _substitute(text, values)  # what is left is in comments


def _substitute(text: str, values: dict[str, str]) -> str:
    for placeholder in sorted(values, key=len, reverse=True):
        text = text.replace(placeholder, values[placeholder])
    return text


def init(target: Path, commune: str, province: str) -> list[Path]:
    from pipeline.commands.init_folder import write_folder_files
    from pipeline.ooxml.package import atomic_write

    commune, province = plain_name(commune, "--commune"), plain_name(province, "--province")
    inputs = Path(target) / "inputs"
    written = []
    for rel, text in scaffold_files().items():
        text = fill_yaml(text, {COMMUNE_UPPER: commune.upper(), COMMUNE: commune, PROVINCE: province})
        path = inputs / rel
        atomic_write(path, text.encode("utf-8"))
        written.append(path)
    return written + write_folder_files(Path(target), commune, province)


def refuse_target(target: Path) -> None:
    """``BadUsage`` (nothing written) when ``target`` is a file or a folder that already holds something."""
    from pipeline.errors import BadUsage

    if target.exists() and not target.is_dir():
        raise BadUsage(f"{target} là một tệp, không phải thư mục; hãy chọn tên một thư mục mới cho xã "
                       "(vanban không ghi đè).")
    if target.is_dir() and any(target.iterdir()):
        raise BadUsage(f"thư mục {target} đã có nội dung; hãy chọn một thư mục mới (không ghi đè).")


def make_folder(target: Path, commune: str, province: str) -> list[Path]:
    """``init`` into a new folder; should the disk refuse (read-only, full, a file on the way), what
    was made is removed and an ``EnvironmentFault`` names the path (exit 4)."""
    import shutil
    from contextlib import suppress

    from pipeline.errors import environment_fault

    plain_name(commune, "--commune")  # a bad name is refused before anything is made
    plain_name(province, "--province")
    made = not target.exists()
    try:
        return init(target, commune, province)
    except OSError as exc:
        for path in ([target] if made else list(target.iterdir())):
            with suppress(OSError):
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        raise environment_fault(target, exc) from None


@click.command("init")
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--commune", required=True, help="Tên xã, ví dụ \"Hòa Sơn\" (không kèm chữ \"xã\").")
@click.option("--province", required=True, help="Tên tỉnh, ví dụ \"Nghệ An\".")
def init_command(target: Path, commune: str, province: str) -> None:
    """Tạo bộ dữ liệu đầu vào cho một xã mới (sửa các chỗ 'CẦN ĐIỀN' rồi chạy vanban build)."""
    refuse_target(target)
    from pipeline.commands.init_folder import setup_git

    files = make_folder(target, commune, province)
    click.echo(f"Đã tạo thư mục của xã {title_case(commune)}: {target} ({len(files)} tệp; dữ liệu trong "
               f"{target / 'inputs'}, hướng dẫn trong {target / 'README.md'}).")
    for note in setup_git(target):
        click.echo(note)
    click.echo(f"Tiếp theo: chuyển vào thư mục đó ('cd {target}'), điền các chỗ đánh dấu 'CẦN ĐIỀN' "
               "(xem 'vanban lint'), rồi chạy 'vanban build'.")
