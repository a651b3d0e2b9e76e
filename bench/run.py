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


def peak(cmd: list[str], env=None) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak memory (MB, resident) and exit code of one run of ``cmd`` (Unix)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KB on Linux
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024 / scale / 1024, proc.returncode


ALIAS_BOMB = "\n".join(["a: &a [" + ",".join(['"lol"'] * 9) + "]"] + [
    f"{b}: &{b} [" + ",".join([f"*{a}"] * 9) + "]" for a, b in zip("abcdefgh", "bcdefghi")]) + "\n"


def docx_bomb(path: Path, size: int) -> None:
    """A .docx whose word/document.xml expands to ``size`` bytes (of spaces inside valid XML)."""
    import zipfile

    head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(head)
            block = b" " * (1 << 20)
            for _ in range(size // len(block)):
                f.write(block)
            f.write(b"<w:body/></w:document>")


def bombs(work: Path, env) -> list[tuple]:
    """Hostile inputs (issue 13): each must be refused fast and in little memory, not rendered."""
    rows = []
    if not hasattr(os, "wait4"):
        return rows
    inputs = work / "bomb" / "inputs"
    shutil.copytree(ROOT / "inputs", inputs)
    target = inputs / "reports" / "bc_cchc.yaml"
    target.write_text(ALIAS_BOMB, encoding="utf-8")
    base, base_cpu, base_mb, _ = peak([PY, "-m", "pipeline", "lint", "--inputs", str(ROOT / "inputs")], env)
    rows.append(("`vanban lint` of the bundled inputs (baseline for the bomb)", base, base_cpu, None,
                 f"peak {base_mb:.0f} MB"))
    secs, cpu, mb, rc = peak([PY, "-m", "pipeline", "lint", "--inputs", str(inputs)], env)
    rows.append((f"YAML alias bomb, 9 levels ({len(ALIAS_BOMB)} bytes): `vanban lint` refuses (exit {rc})",
                 secs, cpu, secs / base, f"peak {mb:.0f} MB (limits: 1 s, 200 MB)"))
    alone = (f"from pathlib import Path\nfrom pipeline.load import load_yaml\n"
             f"try:\n    load_yaml(Path({str(target)!r}))\nexcept Exception:\n    pass\n")
    secs, cpu, mb, rc = peak([PY, "-c", alone], env)
    rows.append(("the same bomb through `load_yaml` alone (Python start included)", secs, cpu, None,
                 f"peak {mb:.0f} MB"))
    bomb = work / "bomb" / "gigabyte.docx"
    docx_bomb(bomb, 1 << 30)
    for command in (["textconv", str(bomb)], ["check", str(bomb)]):
        secs, cpu, mb, rc = peak([PY, "-m", "pipeline", *command], env)
        rows.append((f".docx expanding to 1 GB ({bomb.stat().st_size // 1024} KB): `vanban {command[0]}` "
                     f"refuses (exit {rc})", secs, cpu, None, f"peak {mb:.0f} MB (limits: 2 s, 300 MB)"))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--communes", type=int, default=100)
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--bombs-only", action="store_true", help="only the hostile-input figures")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vanban-bench-"))
    env = dict(os.environ, VANBAN_CACHE=str(work / "cache"))
    cores = os.cpu_count() or 1
    load_before = load()
    speedup = parallel_speedup(cores)
    rows = bombs(work, env)  # (name, wall, cpu, ratio, note)
    if args.bombs_only:
        return report(rows, cores, load_before, speedup, work)

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

    report(rows, cores, load_before, speedup, work)


def report(rows, cores, load_before, speedup, work) -> None:
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
