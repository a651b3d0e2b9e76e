"""``vanban watch``: build, then build again at every save, in one process that stays warm.

A one-shot ``vanban build`` starts Python, imports click and pydantic, makes the input models and
opens the templates every time: ``bench/edit_floor.py`` shows that this alone costs 0.44× a cold
build before one document is planned. A clerk editing the inputs wants the documents again at
each save, as ``mkdocs serve`` gives a writer the site: ``watch`` builds once, then looks at the
inputs and the commune's templates every ``INTERVAL`` seconds (each file's time and size: no
extra library, and it works the same on Windows, on macOS and on a network drive) and builds
again when one changed. Each build is ``build.run_build`` itself — the same lint, the same
keys, the same commit, so the same bytes as ``vanban build`` — rendered in this process, whose
models, templates and compiled Jinja are ready from the build before.

Stage: a command (beside ``cli``); it imports only the build's public entry points.
"""

from __future__ import annotations

import stat
import time
from pathlib import Path
from typing import Callable, Iterable

import click

from pipeline.paths import near_option, own_templates

INTERVAL = 0.1  # seconds between two looks (≈ 0.5 ms each for a commune): a save is built within this, plus the build
WATCHED = (".yaml", ".yml", ".docx")  # the inputs, and the templates of a commune that has its own

Fingerprint = dict[str, tuple[int, int]]


def fingerprint(folders: Iterable[Path]) -> Fingerprint:
    """Each watched file under ``folders``: its modification time (ns) and size. A folder that does not
    exist (a commune without templates of its own) has none; one that appears later is seen then."""
    out: Fingerprint = {}
    for folder in folders:
        try:
            files = [p for p in Path(folder).rglob("*") if p.suffix.lower() in WATCHED]
        except OSError:
            continue  # the folder went away between two looks: seen as empty, built (and reported) as such
        for path in files:
            try:
                st = path.stat()
            except OSError:
                continue  # removed while being listed
            if not stat.S_ISDIR(st.st_mode):
                out[str(path)] = (st.st_mtime_ns, st.st_size)
    return out


Report = Callable[[], None]  # says why a build could not be made


def watch(folders: list[Path], build: Callable[[], Report | None], interval: float = INTERVAL,
          sleep: Callable[[float], None] = time.sleep, rounds: int | None = None) -> None:
    """``build()`` now, then again after each look at ``folders`` that finds a file changed, added or
    removed; until interrupted (Ctrl+C raises KeyboardInterrupt here), or after ``rounds`` looks.

    The files are looked at before each build, so a save made while a build runs is built next.
    ``build`` returns None when it built, else its ``Report``, which is called only if no watched
    file changed while the build ran: a file caught halfway through its save is built again at the
    next look, and the error of its half-written state is never shown."""
    seen = fingerprint(folders)
    _build(build, folders, seen)
    n = 0
    while rounds is None or n < rounds:
        n += 1
        sleep(interval)
        now = fingerprint(folders)
        if now != seen:
            seen = now
            _build(build, folders, seen)


def _build(build: Callable[[], Report | None], folders: list[Path], seen: Fingerprint) -> None:
    failed = build()
    if failed is not None and fingerprint(folders) == seen:
        failed()


# ------------------------------------------------------------------ the command

@click.command("watch")
@click.option("--inputs", "inputs_dir", type=click.Path(path_type=Path), default=Path("inputs"), show_default=True,
              callback=near_option, help="Thư mục dữ liệu đầu vào (YAML).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True,
              callback=near_option, help="Thư mục ghi văn bản.")
@click.option("--strict", is_flag=True, help="Không tạo văn bản cả khi soát lỗi (lint) chỉ có cảnh báo.")
@click.option("--interval", type=click.FloatRange(0.05, 60), default=INTERVAL, show_default=True,
              help="Số giây giữa hai lần xem các tệp.")
def watch_command(inputs_dir: Path, out_dir: Path, strict: bool, interval: float) -> None:
    """Tạo văn bản, rồi tạo lại ngay mỗi khi lưu một tệp đầu vào (Ctrl+C để dừng).

    Mỗi lần tạo lại giống hệt 'vanban build': soát lỗi, chỉ dựng lại văn bản có thay đổi, ghi tất cả
    hoặc không ghi gì. Dữ liệu có lỗi thì báo lỗi, giữ nguyên thư mục kết quả và chờ lần lưu sau.
    """
    from pipeline import errors as E
    from pipeline.build.run import run_build
    from pipeline.commands.build import files_in, report_build

    def build_once() -> Report | None:
        started = time.perf_counter()
        before = files_in(out_dir)
        try:
            # in this process (jobs=1): its models, templates and compiled Jinja stay ready for the next save
            result = run_build(inputs_dir, out_dir, strict=strict, jobs=1)
        except click.ClickException as exc:  # the inputs, a refused overwrite, a folder that refused a write
            error = exc  # ``exc`` itself is gone after this block

            def report() -> None:
                error.show()
                click.echo("Sửa rồi lưu lại tệp: vanban sẽ tạo lại văn bản.", err=True)

            return report
        except E.BadDocx as exc:  # a template of the commune's own that is not a Word file
            return E.UnreadableDocx(str(exc)).show
        except Exception as exc:  # a bug: said as one (with its traceback), and the next save is built again
            bug = E.Bug(exc)

            def report_bug() -> None:
                bug.show()
                click.echo("vanban vẫn theo dõi: lưu lại một tệp để tạo lại văn bản.", err=True)

            return report_bug
        report_build(result, out_dir, time.perf_counter() - started, [], before, only_changed=True)
        return None

    if not Path(inputs_dir).is_dir():  # a mistyped folder would otherwise be watched for ever
        raise click.BadParameter(f"không có thư mục đầu vào {inputs_dir}", param_hint="'--inputs'")
    folders = [Path(inputs_dir), own_templates(inputs_dir)]
    click.echo(f"Theo dõi {inputs_dir} (và mẫu Word riêng của xã, nếu có): lưu một tệp là văn bản được tạo lại. "
               "Ctrl+C để dừng.")
    try:
        watch(folders, build_once, interval)
    except KeyboardInterrupt:
        click.echo("Đã dừng theo dõi.")
