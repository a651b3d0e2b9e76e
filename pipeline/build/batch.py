"""Many communes in one run: ``vanban build --inputs 'communes/*/inputs'``.

Each commune builds in its own process (``ProcessPoolExecutor``, one worker
per core), writes into its own output folder, and reports back a plain
summary; one commune's bad inputs are listed with their located errors while
the others' documents are still written. Two communes that would write one
output folder (``--out BASE`` and two commune folders of one name) are refused
before anything is built (exit 2). The exit code is 3 when any commune failed
on its inputs or its own templates, 4 when a folder refused a write, 5 when one
kept a hand edit (its other documents written), 70 on a crash, else 0.
"""

from __future__ import annotations

import os
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import errors as E


@dataclass
class CommuneResult:
    name: str
    out_dir: str
    status: str  # "ok" | "invalid" | "refused" | "environment" | "crash"
    documents: int = 0
    changed: int = 0
    warnings: int = 0
    messages: list[str] = field(default_factory=list)


def commune_name(inputs_dir: Path) -> str:
    p = Path(inputs_dir).resolve()
    return p.parent.name if p.name == "inputs" else p.name


def out_dir_for(inputs_dir: Path, out_base: Path | None) -> Path:
    """Beside the inputs ('<commune>/outputs') by default, else '<out>/<commune>'."""
    p = Path(inputs_dir)
    if out_base is None:
        return p.parent / "outputs" if p.resolve().name == "inputs" else p.parent / f"{p.name}-outputs"
    return Path(out_base) / commune_name(p)


def _folder_key(path: Path) -> str:
    """One key for the names of one folder on any office's disk: Windows and macOS ignore case, and
    macOS stores "xã" decomposed (NFD) where Windows keeps it composed (NFC)."""
    import unicodedata

    return unicodedata.normalize("NFC", str(Path(path).resolve())).casefold()


def refuse_shared_outputs(dirs: list[Path], out_base: Path | None) -> None:
    """``BadUsage`` (nothing built, nothing written) when two communes would write one output folder,
    as ``--out BASE`` makes of two communes whose folders have one name (also but for case), naming both."""
    first: dict[str, Path] = {}
    clashes = []
    for d in dirs:
        key = _folder_key(out_dir_for(d, out_base))
        if key in first:
            clashes.append(f"{first[key]} và {d} cùng ghi vào {out_dir_for(d, out_base)}")
        else:
            first[key] = d
    if clashes:
        raise E.BadUsage("hai xã sẽ ghi vào cùng một thư mục kết quả, xã sau ghi đè xã trước: " + "; ".join(clashes)
                         + ". Không dựng xã nào, không ghi gì cả. Hãy đổi tên thư mục của một xã cho khác hẳn "
                         "(không chỉ khác chữ hoa, chữ thường), hoặc bỏ --out để mỗi xã ghi vào thư mục outputs "
                         "cạnh thư mục inputs của nó.")


def distinct(dirs: list[Path]) -> list[Path]:
    """The input folders, each once (a folder named twice, or by a pattern and by name, is one commune)."""
    seen: dict[str, Path] = {}
    for d in dirs:
        seen.setdefault(_folder_key(d), d)
    return list(seen.values())


def build_one(inputs_dir: str, out_dir: str, strict: bool, force: bool) -> CommuneResult:
    from pipeline.build.run import run_build

    name = commune_name(Path(inputs_dir))
    try:
        r = run_build(Path(inputs_dir), Path(out_dir), strict=strict, force=force, jobs=1)  # one core each
        if r.kept:  # the other documents were written
            return CommuneResult(name, out_dir, "refused", len(r.built), len(r.changed), len(r.warnings),
                                 messages=[f"sửa tay, giữ nguyên: {Path(out_dir) / p}" for p in r.kept])
        return CommuneResult(name, out_dir, "ok", len(r.built), len(r.changed), len(r.warnings))
    except E.InputErrors as exc:
        return CommuneResult(name, out_dir, "invalid", messages=[i.format() for i in sorted(exc.issues)])
    except E.RefusedOverwrite as exc:
        return CommuneResult(name, out_dir, "refused", messages=[f"sửa tay: {p}" for p in exc.paths])
    except E.EnvironmentFault as exc:  # the disk or folder refused; this commune's outputs are as they were
        return CommuneResult(name, out_dir, "environment", messages=[str(exc)])
    except E.VanbanError as exc:  # a template of the commune's own that cannot be rendered (exit 3), …
        status = "template" if isinstance(exc, E.TemplateProblem) else \
            {E.EXIT_INVALID_INPUT: "invalid", E.EXIT_EXTERNAL: "environment"}.get(exc.exit_code, "crash")
        return CommuneResult(name, out_dir, status, messages=f"{exc.heading}: {exc.format_message()}".splitlines())
    except E.BadDocx as exc:  # a Word file the reading layer refused
        return CommuneResult(name, out_dir, "invalid", messages=[f"{E.UnreadableDocx.heading}: {exc}"])
    except Exception:  # a bug: keep the others going, report this one
        return CommuneResult(name, out_dir, "crash", messages=traceback.format_exc().splitlines()[-3:])


STATUS_WORDS = {"ok": "xong", "invalid": "dữ liệu sai", "template": "mẫu văn bản lỗi", "refused": "giữ bản sửa tay",
                "crash": "lỗi phần mềm", "environment": "không ghi được"}


def batch_build(dirs: list[Path], out_base: Path | None, strict: bool = False, force: bool = False,
                jobs: int | None = None) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    dirs = distinct(dirs)
    refuse_shared_outputs(dirs, out_base)
    console = E.console()  # communes' names and folders as they are: no markup, no emoji
    jobs = jobs or os.cpu_count() or 1
    results: list[CommuneResult] = []
    with Progress(TextColumn("Dựng văn bản các xã"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as bar, ProcessPoolExecutor(max_workers=jobs) as pool:
        task = bar.add_task("build", total=len(dirs))
        futures = [pool.submit(build_one, str(d), str(out_dir_for(d, out_base)), strict, force) for d in dirs]
        for fut in as_completed(futures):
            results.append(fut.result())
            bar.advance(task)
    results.sort(key=lambda r: r.name)
    table = Table(title="Kết quả")
    for col in ("Xã", "Văn bản", "Thay đổi", "Cảnh báo", "Tình trạng", "Thư mục"):
        table.add_column(col)
    for r in results:
        style = "" if r.status == "ok" else "bold red"
        table.add_row(r.name, str(r.documents), str(r.changed), str(r.warnings), STATUS_WORDS[r.status], r.out_dir,
                      style=style)
    console.print(table)
    for r in results:
        if r.messages:
            console.print(E.styled((r.name, "bold red"), f" ({STATUS_WORDS[r.status]}):"))
            for m in r.messages:
                console.print("  " + m)
    ok = sum(r.status == "ok" for r in results)
    docs = sum(r.documents for r in results)
    console.print(f"{ok}/{len(results)} xã xong, {docs} văn bản.")
    for status, code in (("crash", E.EXIT_CRASH), ("invalid", E.EXIT_INVALID_INPUT), ("template", E.EXIT_INVALID_INPUT),
                         ("environment", E.EXIT_EXTERNAL), ("refused", E.EXIT_REFUSED)):
        if any(r.status == status for r in results):
            return code
    return E.EXIT_OK
