"""``vanban init DIR``: a commune's folder for a period, new (``--commune --province``) or from the last one (``--from``).

A new commune (``--commune``, ``--province``) gets the whole set of the scaffold in
``pipeline/data/scaffold`` (made by ``tools/make_scaffold.py``: the plan, its six appendices,
the four sub-plans with their ordering tasks, every report kind, a criteria set and a
progress file) with its names filled in, carried to the period asked for
(``--year``, ``--period``; by default the current year, whole: ``ca-nam``, or its second half when
the commune was formed during the year, up to 1 July: ``established`` in the scaffold) by
``pipeline.inputs.carry``. ``--commune`` may carry its unit word ("xã Hòa Lộc", "phường …",
"đặc khu …": ``init_names.py``). What only the office can know (leaders' names, the
province's own plan) is marked "CẦN ĐIỀN", which the lint reports until it is filled.

``--from OLD`` makes the next period's folder from a commune's current inputs with the same
carrying (by default the period right after the old one, of the same length) and prints
what it carried, cleared and wants reviewed; the old folder is only read. The rest of the
folder (outputs/, README, schemas and editor settings, git) is made by ``init_folder.py``.
"""

from __future__ import annotations

import unicodedata
from importlib import resources
from pathlib import Path
from typing import Callable, TypeVar

import click

T = TypeVar("T")
COMMUNE = "«Xã»"
COMMUNE_UPPER = "«XÃ»"
PROVINCE = "«Tỉnh»"
UNIT = "«xã/phường»"  # the unit word: xã, phường, đặc khu
UNIT_UPPER = "«XÃ/PHƯỜNG»"
VILLAGES = "«thôn»"  # what the unit is made of: thôn, tổ dân phố
SCAFFOLD = Path(__file__).resolve().parent.parent / "data" / "scaffold"
SCAFFOLD_FOLDERS = ("", "subplans", "reports", "progress", "criteria")
PERIODS = ("ca-nam", "6-thang-dau", "6-thang-cuoi")  # pipeline.inputs.periodmap.PERIOD_KINDS


def scaffold_files() -> dict[str, str]:
    """{relative path: text} of the scaffold."""
    base = resources.files("pipeline").joinpath("data/scaffold")
    out = {}
    for folder in SCAFFOLD_FOLDERS:
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


def fill_yaml(text: str, values: dict[str, str]) -> str:
    """``text`` with each placeholder replaced inside the YAML scalars that hold it.

    Every scalar that contains a placeholder is re-emitted whole: plain as it was when the
    filled text reads back as itself there, else quoted, so a name with '#', ': ', quotes,
    backslashes or a leading '*' stays text; comments keep the plain name.
    """
    import yaml

    from pipeline.inputs.yamlpatch import scalar_text

    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    spans, stack = [], [(root, False)] if root is not None else []
    while stack:
        node, in_flow = stack.pop()
        flow = in_flow or bool(getattr(node, "flow_style", False))
        if isinstance(node, yaml.MappingNode):
            stack += [(n, flow) for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(n, flow) for n in node.value]
        elif isinstance(node, yaml.ScalarNode) and any(p in node.value for p in values):
            value = _substitute(node.value, values)
            spans.append((node.start_mark.index, node.end_mark.index, scalar_text(value, node.style, in_flow)))
    for start, end, value in sorted(spans, reverse=True):
        text = text[:start] + value + text[end:]
    return _substitute(text, values)  # what is left is in comments


def _substitute(text: str, values: dict[str, str]) -> str:
    for placeholder in sorted(values, key=len, reverse=True):
        text = text.replace(placeholder, values[placeholder])
    return text


def _write_inputs(inputs: Path, files: dict[str, str]) -> list[Path]:
    from pipeline.ooxml.package import atomic_write

    for rel, text in files.items():
        atomic_write(inputs / rel, text.encode("utf-8"))
    return [inputs / rel for rel in files]


def _not_yet_established(carried) -> None:
    """A period that ended before the scaffold's establishment date is one the commune already existed in:
    the date is left out (its reports' figures are all its own)."""
    import re

    import yaml

    formed = yaml.safe_load(carried.files["commune.yaml"]).get("established")
    if formed is not None and carried.new.end < formed:
        carried.files["commune.yaml"] = re.sub(r"\nestablished: [^\n]*", "", carried.files["commune.yaml"], count=1)


def _default_kind(filled: dict[str, str], year: int) -> str:
    """The whole year; the second half-year when the commune was formed in the year's first half (a plan
    does not cover months before the commune existed: ``vanban lint``'s period-established)."""
    import datetime as dt

    import yaml

    formed = yaml.safe_load(filled["commune.yaml"]).get("established")
    if isinstance(formed, dt.date) and dt.date(year, 1, 1) < formed <= dt.date(year, 7, 1):
        return "6-thang-cuoi"
    return "ca-nam"


def init(target: Path, commune: str, province: str, kind: str | None = None, year: int | None = None):
    """A new commune's folder for the period ``kind`` of ``year``: (files written, the carrying, "xã Hòa Lộc")."""
    from pipeline.commands.init_folder import write_folder_files
    from pipeline.commands.init_names import VILLAGES as VILLAGE_WORDS
    from pipeline.commands.init_names import commune_name, province_name
    from pipeline.decree.vietnamese import upper
    from pipeline.inputs.carry import carry
    from pipeline.inputs.clock import today

    plain_name(commune, "--commune"), plain_name(province, "--province")  # one line each, no control character
    word, name = commune_name(commune)
    province = province_name(province)
    values = {COMMUNE_UPPER: upper(name), COMMUNE: name, PROVINCE: province, UNIT: word, UNIT_UPPER: upper(word),
              VILLAGES: VILLAGE_WORDS[word]}
    filled = {rel: fill_yaml(text, values) for rel, text in scaffold_files().items()}
    year = year or today().year
    carried = carry(filled, kind or _default_kind(filled, year), year)
    _not_yet_established(carried)
    written = _write_inputs(Path(target) / "inputs", carried.files)
    return written + write_folder_files(Path(target), name, province, word), carried, f"{word} {name}"


def init_from(target: Path, source: Path, kind: str | None, year: int | None):
    """The next period's folder from the commune folder (or inputs folder) ``source``: as ``init`` returns."""
    from pipeline.commands.init_folder import inputs_of, own_templates, write_folder_files
    from pipeline.inputs.carry import carry
    from pipeline.inputs.files import discover
    from pipeline.inputs.periodmap import first_year_after, following
    from pipeline.inputs.validate import load_inputs

    root = inputs_of(source)
    if Path(target).resolve().is_relative_to(Path(source).resolve()):
        raise click.BadParameter(f"thư mục mới {target} nằm trong thư mục cũ {source} (thư mục cũ phải giữ "
                                 "nguyên); hãy chọn một thư mục bên cạnh, ví dụ ../ten-xa-2026", param_hint="TARGET")
    inputs = load_inputs(root)  # the old inputs must be valid: else their errors, and nothing is written
    old = inputs.plan.period
    if kind is None:
        kind, next_year = following(old)
        year = year or next_year
    year = year or first_year_after(kind, old)
    files = {path.relative_to(root).as_posix(): path.read_text(encoding="utf-8-sig")
             for _, path in discover(root).files if path.is_file()}
    carried = carry(files, kind, year)
    written = _write_inputs(Path(target) / "inputs", carried.files)
    if own_templates(source):
        carried.notes.append(f"Mẫu văn bản riêng: thư mục cũ có {own_templates(source)}, không được chép; chép sang "
                             "thư mục mới nếu kỳ mới vẫn dùng các mẫu đó.")
    commune = inputs.commune
    written += write_folder_files(Path(target), commune.name, commune.province, commune.unit_word)
    return written, carried, f"{commune.unit_word} {commune.name}"


def _usage(source: Path | None, commune: str | None, province: str | None) -> None:
    if source is not None and (commune is not None or province is not None):
        raise click.UsageError("với --from, tên xã và tỉnh lấy từ thư mục cũ: không ghi --commune, --province")
    if source is None and (commune is None or province is None):
        missing = "--commune" if commune is None else "--province"
        raise click.UsageError(f"thiếu tùy chọn '{missing}' (tên xã và tên tỉnh của xã mới); hoặc dùng "
                               "--from THƯ_MỤC_CŨ để lập kỳ mới từ dữ liệu kỳ này")


def _report(target: Path, files: list, carried, who: str, source: Path | None) -> None:
    new = carried.new
    if source is None:
        click.echo(f"Đã tạo thư mục của {who} cho kỳ {new.label}: {target} ({len(files)} tệp; dữ liệu trong "
                   f"{target / 'inputs'}, hướng dẫn trong {target / 'README.md'}).")
    else:
        click.echo(f"Đã tạo thư mục kỳ mới của {who}: {target} ({len(files)} tệp), từ {source} "
                   "(thư mục cũ giữ nguyên).")
        for note in carried.notes:
            click.echo(f"- {note}")
    if carried.review:
        click.echo("Cần xem lại (đã ghi '# CẦN KIỂM TRA' ngay trên dòng đó trong tệp):")
        for line in carried.review:
            click.echo(f"- {line}")


def refuse_target(target: Path) -> None:
    """``BadUsage`` (nothing written) when ``target`` is a file or a folder that already holds something."""
    from pipeline.errors import BadUsage

    if target.exists() and not target.is_dir():
        raise BadUsage(f"{target} là một tệp, không phải thư mục; hãy chọn tên một thư mục mới cho xã "
                       "(vanban không ghi đè).")
    if target.is_dir() and any(target.iterdir()):
        raise BadUsage(f"thư mục {target} đã có nội dung; hãy chọn một thư mục mới (không ghi đè).")


def make_folder(target: Path, make: Callable[[], T]) -> T:
    """``make()`` (``init`` or ``init_from``) into a new folder; should the disk refuse (read-only, full,
    a file on the way), what was made is removed and an ``EnvironmentFault`` names the path (exit 4)."""
    import shutil
    from contextlib import suppress

    from pipeline.errors import environment_fault

    made = not target.exists()
    try:
        return make()
    except OSError as exc:
        for path in ([target] if made else list(target.iterdir())):
            with suppress(OSError):
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        raise environment_fault(target, exc) from None


@click.command("init")
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--commune", default=None,
              help="Tên xã, ví dụ \"Hòa Sơn\", \"xã Hòa Sơn\", \"phường Hòa Sơn\" hoặc \"đặc khu Hòa Sơn\".")
@click.option("--province", default=None, help="Tên tỉnh, ví dụ \"Nghệ An\".")
@click.option("--year", type=click.IntRange(2000, 2100), default=None,
              help="Năm của kỳ kế hoạch. Mặc định: năm nay; với --from: năm của kỳ ngay sau kỳ cũ.")
@click.option("--period", "period_kind", type=click.Choice(PERIODS), default=None,
              help="Kỳ kế hoạch: ca-nam (cả năm), 6-thang-dau (6 tháng đầu năm), 6-thang-cuoi (6 tháng cuối năm). "
                   "Mặc định: ca-nam (6-thang-cuoi khi xã được thành lập trong nửa đầu năm đó); với --from: "
                   "kỳ ngay sau kỳ cũ, cùng độ dài.")
@click.option("--from", "source", type=click.Path(path_type=Path), default=None,
              help="Thư mục của xã (hoặc thư mục inputs) kỳ hiện tại: chép sang kỳ mới, thời hạn và báo cáo dời theo "
                   "kỳ, số và ngày văn bản, tiến độ được xóa; thư mục cũ giữ nguyên.")
def init_command(target: Path, commune: str | None, province: str | None, year: int | None,
                 period_kind: str | None, source: Path | None) -> None:
    """Tạo bộ dữ liệu đầu vào cho một xã mới, hoặc cho kỳ kế hoạch tiếp theo từ dữ liệu kỳ này (--from).

    Xã mới (--commune, --province): cả bộ văn bản của kỳ đã chọn — kế hoạch, các phụ lục, bốn kế hoạch
    triển khai, các loại báo cáo, tệp tiến độ; sửa các chỗ 'CẦN ĐIỀN' rồi chạy vanban build.

    Kỳ tiếp theo (--from THƯ_MỤC_CŨ): chép dữ liệu kỳ này sang kỳ mới, in những gì đã chép, đã xóa và
    cần xem lại.
    """
    _usage(source, commune, province)
    refuse_target(target)
    from pipeline.commands.init_folder import setup_git

    if source is None:
        assert commune is not None and province is not None  # _usage
        plain_name(commune, "--commune")  # a bad name is refused before anything is made
        plain_name(province, "--province")
        files, carried, who = make_folder(target, lambda: init(target, commune, province, period_kind, year))
    else:
        files, carried, who = make_folder(target, lambda: init_from(target, source, period_kind, year))
    _report(target, files, carried, who, source)
    for note in setup_git(target):
        click.echo(note)
    marks = "'CẦN ĐIỀN'" + (" và 'CẦN KIỂM TRA'" if carried.review else "")
    click.echo(f"Tiếp theo: chuyển vào thư mục đó ('cd {target}'), điền, xem lại các chỗ đánh dấu {marks} "
               "(xem 'vanban lint'), rồi chạy 'vanban build'.")
