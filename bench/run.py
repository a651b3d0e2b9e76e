"""vanban's benchmark: whole commands, timed as a user runs them, against the bare interpreter.

    python bench/run.py            # everything (about a minute on two cores)
    python bench/run.py --communes 20 --no-pdf

Each figure is the median wall time of several runs of a real command in a fresh
process, and is also given as a ratio to a baseline measured in the same run:
a bare `python -c "import docxtpl, docxcompose"` for the full build, a bare
`python -c "import click, yaml"` for the repeat build. Only the standard library
and the installed project are used; LibreOffice is needed for the PDF figures.

Wall times depend on what else the machine is doing, so the table also gives
each command's CPU time (user + system of all its processes; not on Windows),
the load average before and after the run, and the speed-up that several
processes really get on this machine at the time (a pure-Python loop run
serially, then in parallel). A batch figure well below
"cores × documents per CPU-second" means the cores were busy with something
else, not that the batch failed to use them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

try:
    import resource
except ImportError:  # Windows: no CPU time of child processes
    resource = None

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _children_cpu() -> float | None:
    if resource is None:
        return None
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed(cmd: list[str], env=None, cwd=ROOT) -> tuple[float, float | None]:
    """Wall and CPU seconds of one run of ``cmd``."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return elapsed, None if cpu is None else _children_cpu() - cpu


def median(cmd, runs, before=None, env=None) -> tuple[float, float | None]:
    walls, cpus = [], []
    for _ in range(runs):
        if before:
            before()
        wall, cpu = timed(cmd, env)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), None if None in cpus else statistics.median(cpus)


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def parallel_speedup(workers: int, n: int = 3_000_000) -> float:
    """How much sooner ``workers`` processes finish ``workers`` equal CPU-bound jobs than one process."""
    start = time.perf_counter()
    for _ in range(workers):
        _spin(n)
    serial = time.perf_counter() - start
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_spin, [1] * workers))  # workers started before the clock
        start = time.perf_counter()
        list(pool.map(_spin, [n] * workers))
        parallel = time.perf_counter() - start
    return serial / parallel


def load() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "n/a"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--communes", type=int, default=100)
    ap.add_argument("--no-pdf", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vanban-bench-"))
    env = dict(os.environ, VANBAN_CACHE=str(work / "cache"))
    cores = os.cpu_count() or 1
    load_before = load()
    speedup = parallel_speedup(cores)
    rows = []  # (name, wall, cpu, ratio, note)

    bare_render, bare_render_cpu = median([PY, "-c", "import docxtpl, docxcompose"], args.runs)
    bare_cli, bare_cli_cpu = median([PY, "-c", "import click, yaml"], args.runs)
    rows.append(("bare `python -c \"import docxtpl, docxcompose\"`", bare_render, bare_render_cpu, None, ""))
    rows.append(("bare `python -c \"import click, yaml\"`", bare_cli, bare_cli_cpu, None, ""))

    out = work / "out"
    build = [PY, "-m", "pipeline", "build", "--inputs", str(ROOT / "inputs"), "--out", str(out)]

    def fresh():
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(work / "cache", ignore_errors=True)

    full, full_cpu = median(build, args.runs, before=fresh, env=env)
    docs = len(list(out.rglob("*.docx")))
    rows.append((f"full build of the bundled set ({docs} documents)", full, full_cpu, full / bare_render, "≤ 2×"))
    timed(build, env)  # make sure the cache key exists
    repeat, repeat_cpu = median(build, args.runs, env=env)
    rows.append(("repeat build, nothing changed", repeat, repeat_cpu, repeat / bare_cli, "≤ 1.5×"))

    communes = work / "communes"
    start = time.perf_counter()
    for i in range(args.communes):
        subprocess.run([PY, "-m", "pipeline", "init", str(communes / f"xa-{i:03d}"), "--commune", f"Thử {i}",
                        "--province", "Tỉnh Thử"], cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    init_time = (time.perf_counter() - start) / args.communes
    rows.append(("`vanban init` of one commune", init_time, None, None, ""))
    batch, batch_cpu = timed([PY, "-m", "pipeline", "build", "--inputs", str(communes / "*" / "inputs")], env)
    made = len(list(communes.rglob("outputs/**/*.docx")))
    note = f"{made / batch:.0f} documents/s (target ≥ 100/s)"
    if batch_cpu:
        note += f"; {made / batch_cpu:.0f} documents per CPU-second"
    rows.append((f"batch: {args.communes} communes, {made} documents, {cores} cores", batch, batch_cpu, None, note))

    if not args.no_pdf and shutil.which("soffice"):
        files = sorted(str(p) for p in out.rglob("*.docx") if "pdf" not in p.parts)
        pdf_all, pdf_cpu = timed([PY, "-m", "pipeline", "pdf", "--out", str(out), *files])
        rows.append((f"PDF, one LibreOffice call for {len(files)} documents", pdf_all, pdf_cpu, None,
                     f"{pdf_all / len(files):.2f} s/document"))
        sample = files[:5]
        single = sum(timed([PY, "-m", "pipeline", "pdf", "--out", str(out), f])[0] for f in sample) / len(sample)
        rows.append(("PDF, one call per document (mean of 5)", single, None, None,
                     f"{single / (pdf_all / len(files)):.1f}× slower per document"))

    print(f"\nvanban benchmark — Python {sys.version.split()[0]}, {cores} cores; load average before: "
          f"{load_before}, after: {load()}; {cores} processes ran {speedup:.1f}× as fast as one "
          f"(ideal {cores}.0×)\n")
    print("| measurement | time (s) | CPU (s) | ratio to baseline | note |")
    print("|---|---|---|---|---|")
    for name, secs, cpu, ratio, note in rows:
        print(f"| {name} | {secs:.2f} | {'' if cpu is None else f'{cpu:.2f}'} | "
              f"{'' if ratio is None else f'{ratio:.1f}×'} | {note} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
