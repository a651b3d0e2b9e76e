"""Try vanban as a commune would install it: from a wheel, outside this repository.

    python tools/try_wheel.py               # fresh venv, dependencies from the package index
    python tools/try_wheel.py --reuse-deps  # fast: dependencies of the running Python

Builds the wheel from a clean copy of the working tree (the files git tracks or
would track, so a stale ``build/`` folder cannot hide a file the package lacks),
installs it into a new virtual environment in a temporary folder, and in an empty
folder runs ``vanban init`` → ``vanban build`` → ``vanban check`` → ``vanban build
--check``, then commits, changes an input, builds again and reads ``git diff`` of
the plan as text. Any step failing stops with its output and exit code 1.

``tests/test_wheel.py`` uses the same functions (and also tries an upgrade).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".git", "build", "dist", "__pycache__", ".pytest_cache", ".venv"}
COMMUNE = ("xa-quang-phu", "Quảng Phú", "Nghệ An")


class StepFailed(Exception):
    pass


def source_files(root: Path = ROOT) -> list[str]:
    """The working tree's files as git sees them (tracked or new, not ignored); without git, a walk."""
    try:
        listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                 cwd=root, capture_output=True, check=True).stdout.decode("utf-8")
        return sorted(n for n in listing.split("\0") if n and (root / n).is_file())
    except (OSError, subprocess.CalledProcessError):
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                      if p.is_file() and not SKIP.intersection(p.relative_to(root).parts)
                      and not p.name.endswith(".egg-info"))


def build_wheel(dest: Path, root: Path = ROOT, edit=None) -> Path:
    """A wheel of ``root`` in ``dest``, built from a clean copy; ``edit(copy)`` may change the copy first."""
    with tempfile.TemporaryDirectory(prefix="vanban-src-") as tmp:
        src = Path(tmp) / "vanban"
        for rel in source_files(root):
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / rel, src / rel)
        if edit:
            edit(src)
        Path(dest).mkdir(parents=True, exist_ok=True)
        before = set(Path(dest).glob("*.whl"))
        run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dest), str(src)])
        made = sorted(set(Path(dest).glob("*.whl")) - before) or sorted(Path(dest).glob("vanban-*.whl"))
        return made[-1]


def venv_bin(venv: Path) -> Path:
    return Path(venv) / ("Scripts" if os.name == "nt" else "bin")


def make_venv(venv: Path, wheel: Path, reuse_deps: bool) -> Path:
    """A new virtual environment with ``wheel`` installed; returns its scripts folder.

    ``reuse_deps``: no pip inside, and the running Python's site-packages appended to its
    path for the dependencies (their .pth files, such as an editable vanban's, are not read),
    so only the wheel's own files provide vanban. Otherwise pip installs the dependencies.
    """
    venv = Path(venv)
    if reuse_deps:
        run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
        python = venv_bin(venv) / "python"
        site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
        paths = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
        (Path(site) / "_vanban_outer_deps.pth").write_text("\n".join(paths) + "\n", encoding="utf-8")
        run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)])
    else:
        run([sys.executable, "-m", "venv", str(venv)])
        run([str(venv_bin(venv) / "python"), "-m", "pip", "install", "-q", str(wheel)])
    return venv_bin(venv)


def clean_env(home: Path) -> dict[str, str]:
    """No PYTHONPATH, no virtualenv of the caller; vanban's cache and git's config in ``home``."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(VANBAN_CACHE=str(home / "cache"), GIT_CONFIG_NOSYSTEM="1", HOME=str(home),
               GIT_CONFIG_GLOBAL=str(home / "gitconfig"), PYTHONIOENCODING="utf-8")
    # who commits (git's textconv cache writes notes, which needs a name too)
    for who in ("AUTHOR", "COMMITTER"):
        env.update({f"GIT_{who}_NAME": "vanban-ci", f"GIT_{who}_EMAIL": "ci@vanban.invalid"})
    return env


def run(args: list[str], cwd: Path | None = None, env: dict | None = None, ok=(0,)) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", errors="replace")
    if ok is not None and proc.returncode not in ok:
        raise StepFailed(f"$ {' '.join(map(str, args))}  (in {cwd or '.'}) exited {proc.returncode}\n"
                         f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


def docx_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.docx") if ".backup" not in p.parts)


def first_sequence(bindir: Path, work: Path, env: dict) -> Path:
    """init → build → check → build --check in the empty folder ``work``; returns the commune's folder."""
    vanban = bindir / "vanban"
    name, commune, province = COMMUNE
    run([vanban, "init", name, "--commune", commune, "--province", province], cwd=work, env=env)
    folder = work / name
    run([vanban, "build"], cwd=folder, env=env)
    docs = docx_files(folder / "outputs")
    if "ke-hoach-cchc.docx" not in docs:
        raise StepFailed(f"vanban build made no plan in {folder / 'outputs'}: {docs}")
    # a new commune's documents still hold the places its office fills ("CẦN ĐIỀN"): check names them as its
    # only errors (exit 1), and finds nothing else wrong
    proc = run([vanban, "check", "--format", "json", *[f"outputs/{d}" for d in docs]], cwd=folder, env=env, ok=(0, 1))
    errors = {f["rule"] for report in json.loads(proc.stdout).values() for f in report["findings"]
              if f["severity"] == "error"}
    if not errors <= {"text.placeholder"}:
        raise StepFailed(f"vanban check found more than the places to fill: {sorted(errors)}")
    run([vanban, "build", "--check"], cwd=folder, env=env)
    return folder


def text_diff_after_edit(bindir: Path, folder: Path, env: dict) -> str:
    """Commit, change one sentence of the plan's inputs, build, and return ``git diff`` of the plan."""
    run(["git", "add", "-A"], cwd=folder, env=env)
    run(["git", "commit", "-q", "-m", "Khởi tạo"], cwd=folder, env=env)
    plan = folder / "inputs" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    old, new = "xây dựng Kế hoạch", "ban hành Kế hoạch"
    if old not in text:
        raise StepFailed(f"'{old}' not found in {plan}")
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")
    run([bindir / "vanban", "build"], cwd=folder, env=env)
    return run(["git", "diff", "--", "outputs/ke-hoach-cchc.docx"], cwd=folder, env=env).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse-deps", action="store_true", help="take the dependencies from this Python")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print it")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="vanban-wheel-"))
    try:
        wheel = build_wheel(tmp / "dist")
        print(f"wheel: {wheel.name}")
        bindir = make_venv(tmp / "venv", wheel, args.reuse_deps)
        (tmp / "work").mkdir()
        env = clean_env(tmp)
        folder = first_sequence(bindir, tmp / "work", env)
        print(f"init → build → check → build --check: ok in {folder}")
        diff = text_diff_after_edit(bindir, folder, env)
        if "+" not in diff or "ban hành Kế hoạch" not in diff:
            raise StepFailed(f"git diff of the plan does not show the changed text:\n{diff[:2000]}")
        print("git diff shows the changed text:")
        for line in diff.splitlines():
            at = max(line.find("xây dựng Kế hoạch"), line.find("ban hành Kế hoạch"))
            if line.startswith(("+", "-")) and at >= 0:
                print(f"  {line[0]} …{line[max(1, at - 30):at + 40]}…")
        return 0
    except StepFailed as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
