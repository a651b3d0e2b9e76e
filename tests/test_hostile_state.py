"""Issue 33, round two: what a build leaves on disk and what it finds there — two communes into one
folder, a planted staging folder, the lock of a dead build or another computer, the transient files
git must not take, and `vanban init` onto what cannot hold a commune.

Each case runs the real command (a subprocess with a time limit where processes race) and checks
the disk afterwards; the expected messages are the Vietnamese the issue asks for.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from pipeline import errors as E
from pipeline.output import commit
from pipeline.output import manifest as mf
from tests.conftest import DATA, ROOT

VANBAN = [sys.executable, "-m", "pipeline"]
TIMEOUT = 120
OUTSIDE_BYTES = b"PK\x03\x04 the office's own file, outside outputs/"


def run(cwd: Path, *args, env_extra=None, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, VANBAN_CACHE=str(cwd / "cache"), **(env_extra or {}))
    return subprocess.run([*VANBAN, *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT, **kw)


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def commune(folder: Path, place: str = "Hòa Sơn") -> Path:
    """The mini commune's inputs in ``folder/inputs`` (its place name changed to tell two apart)."""
    shutil.copytree(DATA / "mini", folder / "inputs")
    yaml = folder / "inputs" / "commune.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("place: Hòa Sơn", f"place: {place}"), encoding="utf-8")
    return folder / "inputs"


@pytest.fixture
def project(tmp_path):
    """The mini commune built once into outputs/, and a folder outside it holding the office's own file."""
    commune(tmp_path / "p")
    assert run(tmp_path / "p", "build").returncode == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ke-hoach-thu.docx").write_bytes(OUTSIDE_BYTES)
    return tmp_path / "p"


def _changed(project: Path) -> None:
    yaml = project / "inputs" / "commune.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("place: Hòa Sơn", "place: Hòa Sơn Bắc"), encoding="utf-8")


# --------------------------------------------------------------------------- batch: one folder, two communes


@pytest.mark.parametrize("names", [("xa", "xa"), ("Xa", "xa"), (unicodedata.normalize("NFC", "xã"),
                                                                unicodedata.normalize("NFD", "xã"))],
                         ids=["same name", "same but for case", "same but for NFC/NFD"])
def test_two_communes_that_would_share_an_output_folder_are_refused_before_anything_is_written(tmp_path, names):
    a, b = commune(tmp_path / "a" / names[0], "Hòa Sơn"), commune(tmp_path / "b" / names[1], "Yên Lạc")
    proc = run(tmp_path, "build", "--inputs", a, "--inputs", b, "--out", "BASE", "--jobs", "2")
    assert proc.returncode == E.EXIT_USAGE, proc.stdout + proc.stderr
    assert "cùng một thư mục kết quả" in proc.stderr and "ghi đè" in proc.stderr
    assert str(a) in proc.stderr and str(b) in proc.stderr, "both communes are named"
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "BASE").exists(), "nothing was written"


def test_communes_of_one_folder_name_build_beside_their_inputs_and_one_named_twice_builds_once(tmp_path):
    a, b = commune(tmp_path / "a" / "xa", "Hòa Sơn"), commune(tmp_path / "b" / "xa", "Yên Lạc")
    proc = run(tmp_path, "build", "--inputs", a, "--inputs", b, "--jobs", "2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2/2 xã xong" in proc.stdout
    for folder, place in ((a, "Hòa Sơn"), (b, "Yên Lạc")):
        from tests.conftest import open_docx

        doc = open_docx(folder.parent / "outputs" / "ke-hoach-thu.docx")
        assert doc.tables[0].rows[1].cells[1].text.strip().startswith(f"{place}, ngày")
    proc = run(tmp_path, "build", "--inputs", a, "--inputs", a.parent / ".." / "xa" / "inputs", "--out", "BASE")
    assert proc.returncode == 0 and "1/1 xã xong" in proc.stdout, proc.stdout + proc.stderr


# --------------------------------------------------------------------------- state left behind: staging


def _journal(staging: Path, writes: dict[str, bytes], deletes: dict[str, bytes] | None = None) -> None:
    staging.mkdir(parents=True, exist_ok=True)
    journal = {"write": {rel: mf.sha256(data) for rel, data in writes.items()},
               "delete": {rel: mf.sha256(data) for rel, data in (deletes or {}).items()}}
    (staging / commit.JOURNAL).write_text(json.dumps(journal), encoding="utf-8")


def _plant(kind: str, out: Path, outside: Path) -> None:
    """A staging folder an attacker (or a confused copy) left, leading to ``outside``."""
    staging = out / mf.STAGING_DIR
    file = {"ke-hoach-thu.docx": OUTSIDE_BYTES}
    if kind == "staging is a symlink":
        _journal(outside / "st", file)
        (outside / "st" / "files").mkdir()
        shutil.copy(outside / "ke-hoach-thu.docx", outside / "st" / "files" / "ke-hoach-thu.docx")
        staging.symlink_to(outside / "st", target_is_directory=True)
    elif kind == "files/ is a symlink":
        _journal(staging, file)
        (staging / "files").symlink_to(outside, target_is_directory=True)
    elif kind == "a staged file is a symlink":
        _journal(staging, file)
        (staging / "files").mkdir()
        (staging / "files" / "ke-hoach-thu.docx").symlink_to(outside / "ke-hoach-thu.docx")
    elif kind == "the journal is a symlink":
        _journal(outside / "j", file)
        staging.mkdir()
        (staging / commit.JOURNAL).symlink_to(outside / "j" / commit.JOURNAL)
        (staging / "files").symlink_to(outside, target_is_directory=True)
    elif kind == "a delete through a symlinked folder":
        (out / "ngoai").symlink_to(outside, target_is_directory=True)
        _journal(staging, {}, {"ngoai/ke-hoach-thu.docx": OUTSIDE_BYTES})


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
@pytest.mark.parametrize("kind", ["staging is a symlink", "files/ is a symlink", "a staged file is a symlink",
                                  "the journal is a symlink", "a delete through a symlinked folder"])
def test_a_planted_staging_folder_moves_nothing_into_or_out_of_outputs(project, kind):
    out, outside = project / "outputs", project.parent / "outside"
    _plant(kind, out, outside)
    before = snapshot(outside)
    proc = run(project, "build")
    assert proc.returncode == 0, proc.stderr
    assert snapshot(outside) == before, "nothing outside outputs/ was moved, changed or removed"
    assert (outside / "ke-hoach-thu.docx").read_bytes() == OUTSIDE_BYTES
    assert (out / "ke-hoach-thu.docx").read_bytes() != OUTSIDE_BYTES, "no outside bytes came in"
    assert not (out / mf.STAGING_DIR).exists() and not (out / mf.STAGING_DIR).is_symlink()
    if kind in ("files/ is a symlink", "a staged file is a symlink"):
        assert "không dùng được" in proc.stderr and "liên kết" in proc.stderr
    check = run(project, "build", "--check")
    assert check.returncode == 0, check.stderr  # the outputs are what a clean build makes


# --------------------------------------------------------------------------- state left behind: the lock


@pytest.mark.parametrize("holder", ["1 {host}", "{pid} {host}", "{pid} may-khac-o-xa", "rác"],
                         ids=["pid reused by a live process", "this host, live pid", "another computer", "garbage"])
def test_a_lock_file_left_behind_never_blocks(project, holder):
    """The lock is the system's, held by a running build only: the file's content means nothing."""
    import socket

    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        text = holder.format(pid=sleeper.pid, host=socket.gethostname())
        (project / "outputs" / commit.LOCK_NAME).write_text(text + "\n", encoding="utf-8")
        _changed(project)
        started = time.monotonic()
        proc = run(project, "build")
        assert proc.returncode == 0, proc.stderr
        assert time.monotonic() - started < 60 and "cập nhật" in proc.stdout
    finally:
        sleeper.kill()
        sleeper.wait()


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_lock_file_that_is_a_symlink_is_replaced_not_followed(project):
    outside = project.parent / "outside" / "ke-hoach-thu.docx"
    (project / "outputs" / commit.LOCK_NAME).unlink(missing_ok=True)
    (project / "outputs" / commit.LOCK_NAME).symlink_to(outside)
    _changed(project)
    proc = run(project, "build")
    assert proc.returncode == 0, proc.stderr
    assert outside.read_bytes() == OUTSIDE_BYTES
    assert not (project / "outputs" / commit.LOCK_NAME).is_symlink()


HOLD = ("import sys, time; from filelock import FileLock; lock = FileLock(sys.argv[1], timeout=0); lock.acquire(); "
        "print('held', flush=True); time.sleep(120)")


def test_a_held_lock_refuses_a_second_build_and_a_killed_holder_releases_it(project):
    out = project / "outputs"
    _changed(project)
    before = snapshot(out)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out / commit.LOCK_NAME)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        proc = run(project, "build")
        assert proc.returncode == E.EXIT_EXTERNAL, proc.stderr
        assert "một lần 'vanban build' khác đang ghi vào thư mục này" in proc.stderr and str(out) in proc.stderr
        assert snapshot(out) == before
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=TIMEOUT)
    proc = run(project, "build")  # the holder died without releasing anything: its lock went with it
    assert proc.returncode == 0, proc.stderr
    assert run(project, "build", "--check").returncode == 0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_two_builds_never_write_at_once_and_a_killed_ones_lock_does_not_block(project):
    out = project / "outputs"
    _changed(project)
    # each rename of the first build waits 5 s: it holds the lock far longer than the second needs to start
    env = dict(os.environ, VANBAN_CACHE=str(project / "cache"), VANBAN_COMMIT_PAUSE="5")
    first = subprocess.Popen([*VANBAN, "build"], cwd=project, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + TIMEOUT
    while not (out / mf.STAGING_DIR / commit.JOURNAL).exists():
        assert first.poll() is None and time.monotonic() < deadline, first.communicate()
        time.sleep(0.005)
    second = run(project, "build", "--force")
    assert first.poll() is None, "the first build still holds the lock"
    assert second.returncode == E.EXIT_EXTERNAL and "đang ghi vào thư mục này" in second.stderr, second.stderr
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=TIMEOUT)
    assert (out / commit.LOCK_NAME).exists() and (out / mf.STAGING_DIR).exists()
    third = run(project, "build")  # not blocked by the dead build's lock; finishes its commit
    assert third.returncode == 0 and "sửa tay" not in third.stderr, third.stderr
    assert run(project, "build", "--check").returncode == 0


# --------------------------------------------------------------------------- transient files and git


def _git(cwd: Path, *args) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t")
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True,
                          timeout=TIMEOUT).stdout


TRANSIENT = ["outputs/.vanban-lock", "outputs/.vanban-staging/journal.json",
             "outputs/.vanban-staging/files/ke-hoach-thu.docx", "outputs/.backup/ke-hoach-thu.0badcafe.docx",
             "outputs/pdf/ke-hoach-thu.pdf", "outputs/pdf/.vanban-pdf.json", "outputs/pdf/.x.pdf.k2j3.tmp",
             "outputs/.ke-hoach-thu.docx.a1b2.tmp", "outputs/.vanban-probe.x9", "outputs/~$ hoach-thu.docx",
             "outputs/.~lock.ke-hoach-thu.docx#", "ban-in/.vanban-pdf.json", "ban-in/.y.pdf.q8.tmp"]
KEPT = ["outputs/ke-hoach-thu.docx", "outputs/.vanban-manifest.json", "inputs/commune.yaml"]


def _staged_after_add_all(folder: Path, gitignore: Path) -> set[str]:
    repo = folder / "repo"
    repo.mkdir()
    shutil.copy(gitignore, repo / ".gitignore")
    for rel in TRANSIENT + KEPT:
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_bytes(b"x")
    _git(repo, "init", "-q", ".")
    _git(repo, "add", "-A")
    return set(_git(repo, "diff", "--cached", "--name-only").splitlines())


@pytest.mark.skipif(shutil.which("git") is None, reason="git")
@pytest.mark.parametrize("gitignore", [ROOT / "pipeline" / "data" / "commune_folder" / "gitignore", ROOT / ".gitignore"],
                         ids=["vanban init's", "the repository's"])
def test_git_takes_no_transient_file(tmp_path, gitignore):
    staged = _staged_after_add_all(tmp_path, gitignore)
    assert staged == {".gitignore", *KEPT}, sorted(staged)


@pytest.mark.skipif(shutil.which("git") is None or sys.platform == "win32", reason="git, SIGKILL")
def test_a_killed_build_in_a_commune_folder_leaves_nothing_for_git(tmp_path):
    """The real thing: `vanban init`, a build, a hand edit saved by `build --force` (.backup/), then a
    build killed in its commit (lock and staging left): `git add -A` takes none of it."""
    folder = tmp_path / "xa"
    assert run(tmp_path, "init", folder, "--commune", "Hòa Sơn", "--province", "Nghệ An").returncode == 0
    assert run(folder, "build").returncode == 0
    plan = folder / "outputs" / "ke-hoach-cchc.docx"
    plan.write_bytes(plan.read_bytes() + b"\0")  # a hand edit
    assert run(folder, "build", "--force").returncode == 0 and any((folder / "outputs" / ".backup").rglob("*"))
    yaml = folder / "inputs" / "commune.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("Hòa Sơn", "Hòa Sơn Bắc"), encoding="utf-8")
    env = dict(os.environ, VANBAN_CACHE=str(tmp_path / "cache"), VANBAN_COMMIT_PAUSE="0.3")
    proc = subprocess.Popen([*VANBAN, "build"], cwd=folder, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + TIMEOUT
    while not (folder / "outputs" / mf.STAGING_DIR / commit.JOURNAL).exists():
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=TIMEOUT)
    _git(folder, "add", "-A")
    staged = _git(folder, "diff", "--cached", "--name-only").splitlines()
    assert "outputs/ke-hoach-cchc.docx" in staged
    assert not [p for p in staged if any(t in p for t in (".vanban-lock", ".vanban-staging", ".backup/"))], staged


# --------------------------------------------------------------------------- vanban init


def test_init_onto_a_file_is_refused_and_the_file_kept(tmp_path):
    (tmp_path / "xa").write_text("giữ nguyên", encoding="utf-8")
    proc = run(tmp_path, "init", "xa", "--commune", "Hòa Sơn", "--province", "Nghệ An")
    assert proc.returncode == E.EXIT_USAGE, proc.stderr
    assert "xa là một tệp, không phải thư mục" in proc.stderr and "Traceback" not in proc.stderr
    assert (tmp_path / "xa").read_text(encoding="utf-8") == "giữ nguyên"


def test_init_under_a_file_is_a_located_disk_fault_and_makes_nothing(tmp_path):
    (tmp_path / "tep").write_text("giữ nguyên", encoding="utf-8")
    proc = run(tmp_path, "init", "tep/xa", "--commune", "Hòa Sơn", "--province", "Nghệ An")
    assert proc.returncode == E.EXIT_EXTERNAL, proc.stderr
    assert "tep/xa" in proc.stderr and "một phần của đường dẫn là tệp" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "tep").read_text(encoding="utf-8") == "giữ nguyên"


@pytest.mark.parametrize(("option", "value"), [("--commune", ""), ("--commune", "   "), ("--province", "")])
def test_init_with_an_empty_name_is_refused_and_makes_nothing(tmp_path, option, value):
    names = {"--commune": "Hòa Sơn", "--province": "Nghệ An", option: value}
    proc = run(tmp_path, "init", "xa", *[a for pair in names.items() for a in pair])
    assert proc.returncode == E.EXIT_USAGE, proc.stderr
    assert option in proc.stderr and "không được để trống" in proc.stderr
    assert not (tmp_path / "xa").exists()
