"""vanban's benchmark: whole commands, timed as a user runs them, each against its own baseline.

    python bench/run.py                 # the quick set (about a minute on two cores)
    python bench/run.py --runs 7        # more runs per figure
    python bench/run.py --province      # also 166 communes, docx and PDF: time and peak memory
    python bench/run.py --no-pdf        # without LibreOffice
    python bench/run.py --readers-only  # check, import and textconv of a 20,000-paragraph plan
    python bench/run.py --workspace     # only `vanban serve`: save → preview, a field's lint (bench/workspace.py)

Every figure is a ratio taken in this one run: the command (A) and its baseline
(B) are run alternately — A B, B A, A B, … so a change in the machine's load
hits both — each in a fresh process, and the ratio is median(A) / median(B);
the range of the per-pair ratios shows how noisy the run was. Baselines:

- cold build of the bundled set: a bare `python -c "import docxtpl, docxcompose"`
  (the libraries every build needs), and the same build rendered in one process (`--jobs 1`);
- the bundled set rendered ten times in one process from prototypes (`bench/render_only.py`):
  the same through docxtpl's render, python-docx's save and docxcompose;
- one task's text edited, then a build: a cold build of the same inputs; and against the same, the
  least any such rebuild must do in a fresh process (`bench/edit_floor.py`: import and validate the
  edited file alone), and the same edit saved while `vanban watch` runs (from the save to the
  watcher's "Xong:" line);
- repeat build (nothing changed) and a second `vanban pdf` (nothing changed):
  a bare `python -c "import click, yaml"`;
- `vanban pdf` of the bundled set (no PDF yet): one raw
  `soffice --convert-to pdf` call on the same files with a fresh private profile
  (what vanban did before the pool), and the same with a warm profile;
- `vanban check`, `vanban import` and git's textconv script on a plan of 20,000
  paragraphs (made by `tests/helpers/hostile_docx.long_plan`): python-docx reading the
  same file, `docx.Document(path)` and every paragraph's text (issue 33: the readers
  are linear, ≤ 2× that); `vanban fix` of the same plan against `vanban check` of it (issue 32).

The header gives the load average before and after, and how much sooner two
processes really finished two equal CPU-bound jobs than one process did at the
time: the machine is shared, so read the ratios, not the seconds.
Only the standard library and the installed project are used (and, for the
readers' plan, its test helper); LibreOffice is needed for the PDF figures.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PROVINCE = 166  # communes and wards of a large province after the 2025 merger


try:
    import resource
except ImportError:  # Windows: no CPU time of child processes
    resource = None

CPU: list[float] = []  # CPU seconds of each run(), the processes it started included (not on Windows)


def _children_cpu() -> float:
    if resource is None:
        return 0.0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run(cmd: list[str], env=None, cwd=ROOT) -> float:
    """Wall seconds of one run of ``cmd`` (its CPU seconds go to ``CPU``); stop the benchmark if it fails."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    CPU.append(_children_cpu() - cpu)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd[:6])} …\n{proc.stdout[-1000:]}{proc.stderr[-2000:]}")
    return elapsed


def ab(a, b, runs: int, env=None, before_a=None, before_b=None) -> dict:
    """A and its baseline B, alternately (A B, B A, …): medians, ratio of medians, per-pair ratio range.

    Each is a command (run in a fresh process) or a function that does one timed run itself and
    returns its (wall seconds, CPU seconds)."""
    ta, tb, ca, cb = [], [], [], []
    for i in range(runs):
        order = [(a, before_a, ta, ca), (b, before_b, tb, cb)]
        for cmd, before, into, cpu in (order if i % 2 == 0 else order[::-1]):
            if before:
                before()
            secs, used = cmd() if callable(cmd) else (run(cmd, env), CPU[-1])
            into.append(secs)
            cpu.append(used)
    pairs = [x / y for x, y in zip(ta, tb)]
    return {"a": statistics.median(ta), "b": statistics.median(tb), "cpu_a": statistics.median(ca),
            "cpu_b": statistics.median(cb), "ratio": statistics.median(ta) / statistics.median(tb),
            "lo": min(pairs), "hi": max(pairs)}


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def parallel_speedup(workers: int, n: int = 2_000_000) -> float:
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


class PeakMemory(threading.Thread):
    """Samples the summed resident memory of a process and all its descendants (Linux /proc)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def tree_rss(self) -> int:
        parent, rss = {}, {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            pid = int(stat.parent.name)
            parent[pid], rss[pid] = int(fields[1]), int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        total = 0
        for pid in rss:
            p = pid
            while p in parent and p != self.pid:
                p = parent[p]
            if p == self.pid:
                total += rss[pid]
        return total

    def run(self) -> None:
        while not self.stop.wait(0.25):
            self.peak = max(self.peak, self.tree_rss())


def timed_with_memory(cmd: list[str], env=None) -> tuple[float, float | None]:
    """Wall seconds and peak memory (MiB, the process and its children together) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = PeakMemory(proc.pid) if Path("/proc/self/stat").exists() else None
    if sampler:
        sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    if sampler:
        sampler.stop.set()
        sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd[:6])} …\n{err[-2000:]}")
    return elapsed, (sampler.peak / 2**20 if sampler else None)


def build_figures(work: Path, env: dict, runs: int) -> tuple[list, Path]:
    """Cold and repeat build of the bundled set; returns rows and the output folder (kept for the PDF figures)."""
    out = work / "out"
    build = [PY, "-m", "pipeline", "build", "--inputs", str(ROOT / "inputs"), "--out", str(out)]
    bare_render = [PY, "-c", "import docxtpl, docxcompose"]
    bare_cli = [PY, "-c", "import click, yaml"]

    def fresh():
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(work / "cache", ignore_errors=True)

    cold = ab(build, bare_render, runs, env, before_a=fresh)
    docs = len(list(out.rglob("*.docx")))
    serial = ab(build, [*build, "--jobs", "1"], runs, env, before_a=fresh, before_b=fresh)
    run(build, env)  # the cache key of a full build exists
    repeat = ab(build, bare_cli, runs, env)
    return [(f"cold build of the bundled set ({docs} documents)", cold, "bare `import docxtpl, docxcompose`", "≤ 3×"),
            (f"cold build, rendering on {os.cpu_count()} cores", serial, "the same with `--jobs 1` (one process)", ""),
            ("repeat build, nothing changed", repeat, "bare `import click, yaml`", "≤ 1.5×")], out


def render_figure(env: dict, runs: int, rounds: int = 10) -> list:
    """The bundled set rendered ``rounds`` times in one process from prototypes, against the same through
    docxtpl's render, python-docx's save and docxcompose (``bench/render_only.py``; loading and planning
    once in both)."""
    script = str(ROOT / "bench" / "render_only.py")
    f = ab([PY, script, "direct", str(rounds)], [PY, script, "libraries", str(rounds)], runs, env)
    return [(f"the bundled set rendered {rounds}× in one process, from prototypes", f,
             "the same through docxtpl's render, python-docx's save and docxcompose", "")]


def edited_inputs(folder: Path) -> tuple[Path, Path, Iterator[str]]:
    """A copy of the bundled inputs in ``folder``; the file holding the benchmark's task; and its texts,
    each one the edit of the one before (the task's text with a word added, then as it was, …)."""
    inputs = folder / "inputs"
    shutil.copytree(ROOT / "inputs", inputs)
    task = inputs / "appendices.yaml"
    text = task.read_text(encoding="utf-8")
    old = "content: Xây dựng Kế hoạch kiểm tra việc thực hiện các văn bản QPPL"
    edited = text.replace(old, old.replace("kiểm tra việc", "kiểm tra định kỳ việc"))
    assert edited != text, "the benchmark's task text is no longer in inputs/appendices.yaml"
    return inputs, task, itertools.cycle([edited, text])


def edit_figure(work: Path, env: dict, runs: int) -> list:
    """One task's text edited, then a build (it renders only the documents showing that task), against a
    cold build of the same inputs into an empty folder."""
    inputs, task, edits = edited_inputs(work / "edit")
    out, cold_out = work / "edit" / "out", work / "edit" / "cold"
    build = [PY, "-m", "pipeline", "build", "--inputs", str(inputs), "--out"]
    run([*build, str(out)], env)

    def edit_task():
        task.write_text(next(edits), encoding="utf-8")

    cold = lambda: shutil.rmtree(cold_out, ignore_errors=True)  # noqa: E731
    f = ab([*build, str(out)], [*build, str(cold_out)], runs, env, before_a=edit_task, before_b=cold)
    floor = ab([PY, str(ROOT / "bench" / "edit_floor.py"), str(task)], [*build, str(cold_out)], runs, env,
               before_b=cold)
    return [("one task's text edited, then `vanban build`", f, "cold build of the same inputs", "≤ 0.5×"),
            ("the floor of any such edit: Python, click, pydantic, the edited file's models, that file "
             "validated (`bench/edit_floor.py`)", floor, "cold build of the same inputs", "")]


def _process_cpu(pid: int) -> float:
    """CPU seconds a running process has used so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def watch_figure(work: Path, env: dict, runs: int) -> list:
    """One task's text edited while `vanban watch` runs (default interval): from the save to the watcher's
    "Xong:" line, documents written; against a cold build of the same inputs, alternately."""
    inputs, task, edits = edited_inputs(work / "watch")
    out, cold_out = work / "watch" / "out", work / "watch" / "cold"
    build = [PY, "-m", "pipeline", "build", "--inputs", str(inputs), "--out", str(cold_out)]
    proc = subprocess.Popen([PY, "-m", "pipeline", "watch", "--inputs", str(inputs), "--out", str(out)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")

    def built() -> None:  # the watcher's lines up to its next "Xong:" (a build that failed stops the benchmark)
        for line in proc.stdout:
            if line.startswith("Xong:"):
                return
            if "lỗi" in line or "Traceback" in line:
                raise SystemExit(f"vanban watch failed: {line}")
        raise SystemExit("vanban watch ended")

    def save() -> tuple[float, float]:  # one edit saved, until the watcher has written the documents
        cpu, start = _process_cpu(proc.pid), time.perf_counter()
        task.write_text(next(edits), encoding="utf-8")
        built()
        return time.perf_counter() - start, _process_cpu(proc.pid) - cpu

    try:
        built()  # the first build, of everything
        f = ab(save, build, runs, env, before_b=lambda: shutil.rmtree(cold_out, ignore_errors=True))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return [("one task's text edited while `vanban watch` runs: save to documents written", f,
             "cold build of the same inputs", "≤ 0.5×")]


def pdf_figures(work: Path, out: Path, runs: int) -> list:
    """`vanban pdf` of the bundled set against one raw soffice call on the same files; then a second run.

    The third baseline is a raw call on a profile prepared as vanban prepares its own (the installed
    version recorded, so LibreOffice skips its start-up graphics tests): what the pool itself adds.
    """
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    files = sorted(str(p) for p in out.rglob("*.docx") if "pdf" not in p.relative_to(out).parts[:1])
    # --draft: the bundled set's self-assessment cites its draft criteria's decision as a place to fill
    vanban_pdf = [PY, "-m", "pipeline", "pdf", "--out", str(out), "--draft"]
    fresh_profile, warm_profile, raw_out = work / "profile-fresh", work / "profile-warm", work / "raw"

    def raw(profile: Path) -> list[str]:
        return [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                "--convert-to", "pdf", "--outdir", str(raw_out), *files]

    def no_pdfs():
        shutil.rmtree(out / "pdf", ignore_errors=True)

    def no_raw(profile: Path | None = None):
        shutil.rmtree(raw_out, ignore_errors=True)
        if profile:
            shutil.rmtree(profile, ignore_errors=True)

    cold = ab(vanban_pdf, raw(fresh_profile), runs, before_a=no_pdfs, before_b=lambda: no_raw(fresh_profile))
    run(raw(warm_profile))  # the warm profile exists
    warm = ab(vanban_pdf, raw(warm_profile), runs, before_a=no_pdfs, before_b=no_raw)
    from pipeline.pdf.soffice import seed_profile

    prepared = work / "profile-prepared"
    seed_profile(prepared, exe)
    run(raw(prepared))  # LibreOffice completes the prepared profile
    ready = ab(vanban_pdf, raw(prepared), runs, before_a=no_pdfs, before_b=no_raw)
    run(vanban_pdf)
    again = ab(vanban_pdf, [PY, "-c", "import click, yaml"], runs)
    n, cores = len(files), os.cpu_count() or 1
    return [(f"`vanban pdf` of the bundled set ({n} documents, {cores} cores)", cold,
             "one raw `soffice --convert-to pdf` call, fresh profile", "≤ 0.75×"),
            (f"`vanban pdf` of the bundled set ({n} documents, {cores} cores)", warm,
             "one raw `soffice --convert-to pdf` call, warm profile", ""),
            (f"`vanban pdf` of the bundled set ({n} documents, {cores} cores)", ready,
             "one raw `soffice --convert-to pdf` call, profile prepared as vanban's", ""),
            ("second `vanban pdf`, nothing changed (converts nothing)", again, "bare `import click, yaml`", "")]


READ_BASELINE = ("import sys, docx\n"
                 "document = docx.Document(sys.argv[1])\n"
                 "sum(len(p.text) for p in document.paragraphs)\n")


def accepting(cmd: list[str], codes: tuple[int, ...], env=None, before=None):
    """One timed run of ``cmd`` in a fresh process, as ``run`` does, for a command whose exit code may be one of
    ``codes`` (``check`` finds slips in the long plan: 1); for ``ab``."""
    def once() -> tuple[float, float]:
        if before:
            before()
        cpu = _children_cpu()
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - start
        if proc.returncode not in codes:
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd[:6])} …\n{proc.stderr[-2000:]}")
        return elapsed, _children_cpu() - cpu
    return once


def reader_figures(work: Path, env: dict, runs: int, paragraphs: int = 20_000) -> list:
    """The readers of a Word file on a plan of ``paragraphs`` paragraphs, each against python-docx reading it."""
    sys.path.insert(0, str(ROOT))
    from tests.helpers.hostile_docx import long_plan

    plan = work / "readers" / "ke-hoach-dai.docx"
    plan.parent.mkdir(parents=True, exist_ok=True)
    plan.write_bytes(long_plan(paragraphs))
    out = work / "readers" / "imported"
    baseline = accepting([PY, "-c", READ_BASELINE, str(plan)], (0,), env)
    check = accepting([PY, "-m", "pipeline", "check", str(plan)], (0, 1), env)
    imported = accepting([PY, "-m", "pipeline", "import", str(plan), "--out", str(out)], (0, 1), env,
                         before=lambda: shutil.rmtree(out, ignore_errors=True))
    script = accepting([PY, str(ROOT / "pipeline" / "vcs" / "textconv.py"), str(plan)], (0,), env)
    fixed = work / "readers" / "ke-hoach-dai.fixed.docx"
    fix = accepting([PY, "-m", "pipeline", "fix", str(plan), "-o", str(fixed), "--force"], (0, 1), env)
    what = f"a plan of {paragraphs:,} paragraphs ({plan.stat().st_size // 1024} KB)"
    base = "python-docx reading it: `docx.Document` and every paragraph's text"
    return [(f"`vanban check` of {what}", ab(check, baseline, runs), base, "≤ 2×"),
            (f"`vanban import` of {what}", ab(imported, baseline, runs), base, "≤ 2×"),
            (f"git's textconv script on {what}", ab(script, baseline, runs), base, ""),
            (f"`vanban fix` of {what}", ab(fix, check, runs), "`vanban check` of it (fix reads, checks, writes, "
             "checks the result)", "")]


def make_communes(root: Path, n: int) -> Path:
    """``n`` communes, each a copy of the bundled inputs (29 documents each)."""
    for i in range(n):
        shutil.copytree(ROOT / "inputs", root / f"xa-{i:03d}" / "inputs")
    return root


def batch_figures(work: Path, env: dict, communes: int, runs: int) -> list:
    root = make_communes(work / "communes", communes)
    cmd = [PY, "-m", "pipeline", "build", "--inputs", str(root / "*" / "inputs")]

    def fresh():
        for d in root.glob("*/outputs"):
            shutil.rmtree(d)
        shutil.rmtree(work / "cache", ignore_errors=True)

    times, cpus = [], []
    for _ in range(runs):
        fresh()
        times.append(run(cmd, env))
        cpus.append(CPU[-1])
    made = len(list(root.glob("*/outputs/**/*.docx")))
    secs, cpu = statistics.median(times), statistics.median(cpus)
    return [(f"batch: {communes} communes, {made} documents, {os.cpu_count()} cores", secs, cpu,
             f"{made / secs:.0f} documents/s (target ≥ 150/s); {made / cpu:.0f} per CPU-second" if cpu else
             f"{made / secs:.0f} documents/s (target ≥ 150/s)")]


def province_figures(work: Path, env: dict, communes: int) -> list:
    """A province: build every commune's documents, then every PDF; time and peak memory of each."""
    root = make_communes(work / "province", communes)
    secs, mem = timed_with_memory([PY, "-m", "pipeline", "build", "--inputs", str(root / "*" / "inputs")], env)
    made = len(list(root.glob("*/outputs/**/*.docx")))
    rows = [(f"province: build {communes} communes, {made} documents", secs, mem, f"{made / secs:.0f} documents/s")]
    if shutil.which("soffice") or shutil.which("libreoffice"):
        secs, mem = timed_with_memory([PY, "-m", "pipeline", "pdf", "--out", str(root), "--draft"], env)
        pdfs = len(list((root / "pdf").rglob("*.pdf")))
        rows.append((f"province: PDF of the {pdfs} documents", secs, mem, f"{pdfs / secs:.1f} documents/s"))
    return rows


def print_report(header: str, pairs: list, singles: list, province: list) -> None:
    print(f"\n{header}\n", flush=True)
    if pairs or singles:
        _table(pairs, singles)
    if province:
        print("\n| province | time (s) | peak memory (MiB) | note |\n|---|---|---|---|")
        for name, secs, mem, note in province:
            print(f"| {name} | {secs:.1f} | {'' if mem is None else f'{mem:.0f}'} | {note} |")
    sys.stdout.flush()


def _table(pairs: list, singles: list) -> None:
    print("| measurement | time (s) | CPU (s) | baseline | baseline time (s) | baseline CPU (s) "
          "| ratio (per-pair range) | target |")
    print("|---|---|---|---|---|---|---|---|")
    for name, f, base, target in pairs:
        print(f"| {name} | {f['a']:.2f} | {f['cpu_a']:.2f} | {base} | {f['b']:.2f} | {f['cpu_b']:.2f} | "
              f"{f['ratio']:.2f}× ({f['lo']:.2f}–{f['hi']:.2f}) | {target} |")
    for name, secs, cpu, note in singles:
        print(f"| {name} | {secs:.2f} | {cpu:.2f} |  |  |  |  | {note} |")


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
    rows.append(("`vanban lint` of the bundled inputs (baseline for the bomb)", base, base_cpu,
                 f"peak {base_mb:.0f} MB"))
    secs, cpu, mb, rc = peak([PY, "-m", "pipeline", "lint", "--inputs", str(inputs)], env)
    rows.append((f"YAML alias bomb, 9 levels ({len(ALIAS_BOMB)} bytes): `vanban lint` refuses (exit {rc})",
                 secs, cpu, f"{secs / base:.1f}× the lint; peak {mb:.0f} MB (limits: 1 s, 200 MB)"))
    alone = (f"from pathlib import Path\nfrom pipeline.inputs.load import load_yaml\n"
             f"try:\n    load_yaml(Path({str(target)!r}))\nexcept Exception:\n    pass\n")
    secs, cpu, mb, rc = peak([PY, "-c", alone], env)
    rows.append(("the same bomb through `load_yaml` alone (Python start included)", secs, cpu,
                 f"peak {mb:.0f} MB"))
    bomb = work / "bomb" / "gigabyte.docx"
    docx_bomb(bomb, 1 << 30)
    for command in (["textconv", str(bomb)], ["check", str(bomb)]):
        secs, cpu, mb, rc = peak([PY, "-m", "pipeline", *command], env)
        rows.append((f".docx expanding to 1 GB ({bomb.stat().st_size // 1024} KB): `vanban {command[0]}` "
                     f"refuses (exit {rc})", secs, cpu, f"peak {mb:.0f} MB (limits: 2 s, 300 MB)"))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs of each command and of its baseline")
    ap.add_argument("--pdf-runs", type=int, default=3, help="runs of each PDF figure")
    ap.add_argument("--communes", type=int, default=20, help="communes in the quick batch")
    ap.add_argument("--province", nargs="?", type=int, const=PROVINCE, default=0,
                    help=f"also a province-sized batch, docx and PDF (default {PROVINCE} communes)")
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--bombs-only", action="store_true", help="only the hostile-input figures")
    ap.add_argument("--readers-only", action="store_true",
                    help="only the readers of a Word file on a 20,000-paragraph plan (check, import, textconv)")
    ap.add_argument("--workspace", action="store_true",
                    help="only the workspace's figures: save → preview, a field's lint (bench/workspace.py)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vanban-bench-"))
    # the bundled inputs plan the second half of 2025: commands run as on a day inside it, as the tests do
    # (else the lint warns that the period has ended, and the watcher's figure reads a warning as a failure)
    env = dict(os.environ, VANBAN_CACHE=str(work / "cache"))
    env.setdefault("VANBAN_TODAY", "2025-10-01")
    cores = os.cpu_count() or 1
    load_before, speedup = load(), parallel_speedup(cores)
    # vanban's own bytecode, as pip writes it when it installs the wheel (with PYTHONDONTWRITEBYTECODE
    # set, an editable checkout would otherwise compile every module on every run)
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "pipeline")], stdout=subprocess.DEVNULL, check=True)
    pairs, singles, province = [], [], []
    try:
        if args.workspace:
            sys.path.insert(0, str(ROOT / "bench"))
            from workspace import workspace_figures

            return print_report(_header(cores, load_before, speedup),
                                workspace_figures(work, env, args.runs, ab, run), [], [])
        if args.readers_only:
            return print_report(_header(cores, load_before, speedup), reader_figures(work, env, args.runs), [], [])
        singles = bombs(work, env)  # hostile inputs (issue 13): (name, wall, cpu, note)
        if args.bombs_only:
            return print_report(_header(cores, load_before, speedup), pairs, singles, province)
        pairs, out = build_figures(work, env, args.runs)
        pairs += edit_figure(work, env, args.runs)
        pairs += watch_figure(work, env, args.runs)
        pairs += render_figure(env, args.runs)
        pairs += reader_figures(work, env, args.runs)
        if not args.no_pdf and (shutil.which("soffice") or shutil.which("libreoffice")):
            pairs += pdf_figures(work, out, args.pdf_runs)
        singles += batch_figures(work, env, args.communes, min(3, args.runs))
        print_report(_header(cores, load_before, speedup), pairs, singles, [])
        if args.province:  # long: the figures above are printed first
            print_report(_header(cores, load_before, speedup), [], [], province_figures(work, env, args.province))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _header(cores: int, load_before: str, speedup: float) -> str:
    return (f"vanban benchmark — Python {sys.version.split()[0]}, {cores} cores; load average before: "
            f"{load_before}, after: {load()}; {cores} processes ran {speedup:.1f}× as fast as one (ideal {cores}.0×)")


if __name__ == "__main__":
    main()
