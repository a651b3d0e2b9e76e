"""vanban's benchmark: whole commands, timed as a user runs them, against the bare interpreter.

    python bench/run.py            # everything (about a minute on two cores)
    python bench/run.py --communes 20 --no-pdf

Each figure is the median wall time of several runs of a real command in a fresh
process, and is also given as a ratio to a baseline measured in the same run:
a bare `python -c "import docxtpl, docxcompose"` for the full build, a bare
`python -c "import click, yaml"` for the repeat build. Only the standard library
and the installed project are used; LibreOffice is needed for the PDF figures.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def timed(cmd: list[str], env=None, cwd=ROOT) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return elapsed


def median(cmd, runs, before=None, env=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(timed(cmd, env))
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--communes", type=int, default=100)
    ap.add_argument("--no-pdf", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vanban-bench-"))
    env = dict(os.environ, VANBAN_CACHE=str(work / "cache"))
    rows = []

    bare_render = median([PY, "-c", "import docxtpl, docxcompose"], args.runs)
    bare_cli = median([PY, "-c", "import click, yaml"], args.runs)
    rows.append(("bare `python -c \"import docxtpl, docxcompose\"`", bare_render, None, ""))
    rows.append(("bare `python -c \"import click, yaml\"`", bare_cli, None, ""))

    out = work / "out"
    build = [PY, "-m", "pipeline", "build", "--inputs", str(ROOT / "inputs"), "--out", str(out)]

    def fresh():
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(work / "cache", ignore_errors=True)

    full = median(build, args.runs, before=fresh, env=env)
    docs = len(list(out.rglob("*.docx")))
    rows.append((f"full build of the bundled set ({docs} documents)", full, full / bare_render, "≤ 2×"))
    timed(build, env)  # make sure the cache key exists
    repeat = median(build, args.runs, env=env)
    rows.append(("repeat build, nothing changed", repeat, repeat / bare_cli, "≤ 1.5×"))

    communes = work / "communes"
    start = time.perf_counter()
    for i in range(args.communes):
        subprocess.run([PY, "-m", "pipeline", "init", str(communes / f"xa-{i:03d}"), "--commune", f"Thử {i}",
                        "--province", "Tỉnh Thử"], cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    init_time = (time.perf_counter() - start) / args.communes
    rows.append(("`vanban init` of one commune", init_time, None, ""))
    batch = timed([PY, "-m", "pipeline", "build", "--inputs", str(communes / "*" / "inputs")], env)
    made = len(list(communes.rglob("outputs/**/*.docx")))
    rows.append((f"batch: {args.communes} communes, {made} documents, {os.cpu_count()} cores", batch, None,
                 f"{made / batch:.0f} documents/s (target ≥ 100/s)"))

    if not args.no_pdf and shutil.which("soffice"):
        files = sorted(str(p) for p in out.rglob("*.docx") if "pdf" not in p.parts)
        pdf_all = timed([PY, "-m", "pipeline", "pdf", "--out", str(out), *files])
        rows.append((f"PDF, one LibreOffice call for {len(files)} documents", pdf_all, None,
                     f"{pdf_all / len(files):.2f} s/document"))
        sample = files[:5]
        single = sum(timed([PY, "-m", "pipeline", "pdf", "--out", str(out), f]) for f in sample) / len(sample)
        rows.append(("PDF, one call per document (mean of 5)", single, None,
                     f"{single / (pdf_all / len(files)):.1f}× slower per document"))

    print(f"\nvanban benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} cores\n")
    print("| measurement | time (s) | ratio to baseline | note |")
    print("|---|---|---|---|")
    for name, secs, ratio, note in rows:
        print(f"| {name} | {secs:.2f} | {'' if ratio is None else f'{ratio:.1f}×'} | {note} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
