"""`vanban watch`: build, then build again at each save, in a process that stays warm.

The loop is tested with a clock of its own (no waiting); the command as a clerk runs it, in a
real process on a copy of the bundled inputs: what it writes after an edit is byte for byte what
a clean `vanban build` of the edited inputs writes, a broken input leaves the outputs as they
were and says where, and Ctrl+C ends it quietly.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.output.manifest import MANIFEST_NAME
from pipeline.commands.watch import fingerprint, watch
from tests.conftest import INPUTS
from tests.test_build import snapshot

VANBAN = [sys.executable, "-m", "pipeline"]
TASK = "Xây dựng Kế hoạch kiểm tra việc thực hiện các văn bản QPPL"  # a task of Phụ lục I
EDITED = "Xây dựng Kế hoạch kiểm tra định kỳ việc thực hiện các văn bản QPPL"


# ------------------------------------------------------------------ the loop


def test_the_loop_builds_at_start_and_after_each_change_only(tmp_path):
    inputs, templates = tmp_path / "inputs", tmp_path / "templates"
    inputs.mkdir()
    (inputs / "plan.yaml").write_text("a: 1\n", encoding="utf-8")
    (inputs / "notes.txt").write_text("not an input\n", encoding="utf-8")
    builds: list[int] = []
    steps = iter([
        lambda: None,  # nothing changed
        lambda: (inputs / "plan.yaml").write_text("a: 22\n", encoding="utf-8"),  # edited
        lambda: (inputs / "notes.txt").write_text("still not an input\n", encoding="utf-8"),  # not watched
        lambda: (inputs / "sub").mkdir() or (inputs / "sub" / "x.yaml").write_text("b: 1\n", encoding="utf-8"),
        lambda: templates.mkdir() or (templates / "ke_hoach.docx").write_bytes(b"PK"),  # own templates appear
        lambda: (inputs / "sub" / "x.yaml").unlink(),  # removed
        lambda: None,
    ])
    look = [0]

    def sleep(_):
        look[0] += 1
        next(steps)()

    watch([inputs, templates], lambda: builds.append(look[0]), interval=0.01, sleep=sleep, rounds=7)
    assert builds == [0, 2, 4, 5, 6]  # at start; after the edit, the new file, the templates, the removal


def test_a_save_caught_halfway_is_built_again_and_its_error_never_shown(tmp_path):
    """An editor that writes a file in place (a network drive, a slow disk) may be caught halfway:
    the build fails on the half-written file. Its error is shown only if the file did not change
    while the build ran; otherwise the next look builds the finished file."""
    plan = tmp_path / "plan.yaml"
    plan.write_text("a: 1\n", encoding="utf-8")
    shown: list[str] = []
    builds = iter([
        lambda: None,  # the first build is fine
        # caught halfway: fails, and the rest of the save lands while the build runs
        lambda: plan.write_text("a: 1\nb: [2, 3]\n", encoding="utf-8") or (lambda: shown.append("half")),
        lambda: None,  # the finished file builds
        lambda: (lambda: shown.append("broken")),  # a broken save that stays broken: said
    ])
    steps = iter([
        lambda: plan.write_text("a: 1\nb: [2,", encoding="utf-8"),
        lambda: None,  # the look after the build: the rest of the save is seen
        lambda: plan.write_text("a: 1\nb: [2, 3\n", encoding="utf-8"),
    ])
    made = []

    def build():
        made.append(plan.read_text(encoding="utf-8"))
        return next(builds)()

    watch([tmp_path], build, interval=0.01, sleep=lambda _: next(steps)(), rounds=3)
    assert made == ["a: 1\n", "a: 1\nb: [2,", "a: 1\nb: [2, 3]\n", "a: 1\nb: [2, 3\n"]
    assert shown == ["broken"]


def test_a_file_rewritten_with_the_same_size_is_seen(tmp_path):
    f = tmp_path / "plan.yaml"
    f.write_text("a: 1\n", encoding="utf-8")
    before = fingerprint([tmp_path])
    f.write_text("a: 2\n", encoding="utf-8")
    os.utime(f, ns=(before[str(f)][0] + 1_000_000, before[str(f)][0] + 1_000_000))
    assert fingerprint([tmp_path]) != before


# ------------------------------------------------------------------ the command


class Watcher:
    """`vanban watch` in its own process; its output (stdout and stderr in one) read line by line."""

    def __init__(self, cwd: Path, env: dict):
        self.proc = subprocess.Popen([*VANBAN, "watch", "--interval", "0.05"], cwd=cwd, env=env, text=True,
                                     encoding="utf-8", stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines: queue.Queue[str] = queue.Queue()
        self.said: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def until(self, *starts: str, timeout: float = 60) -> list[str]:
        """The lines printed up to and including the first that starts with one of ``starts``."""
        got, end = [], time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line starting with {starts} in {timeout} s; printed: {got}") from None
            got.append(line)
            self.said.append(line)
            if line.startswith(starts):
                return got


@pytest.fixture
def commune(tmp_path):
    shutil.copytree(INPUTS, tmp_path / "xa" / "inputs")
    return tmp_path / "xa"


@pytest.mark.skipif(sys.platform == "win32", reason="Ctrl+C is sent as SIGINT")
def test_a_saved_edit_is_built_as_a_clean_build_would_and_a_broken_save_changes_nothing(commune, tmp_path):
    env = dict(os.environ, VANBAN_CACHE=str(tmp_path / "cache"))
    w = Watcher(commune, env)
    try:
        w.until("Xong:")  # the first build: every document
        out = commune / "outputs"
        first = snapshot(out)
        appendices = commune / "inputs" / "appendices.yaml"
        text = appendices.read_text(encoding="utf-8")
        assert TASK in text
        appendices.write_text(text.replace(TASK, EDITED), encoding="utf-8")
        said = w.until("Xong:")
        written = sorted(line.split()[2] for line in said if line.lstrip().startswith("cập nhật"))
        # the documents that print this task: the plan (with Phụ lục I in it), Phụ lục I, and the two
        # administrative-reform reports that list the plan's tasks
        assert [Path(p).name for p in written] == ["2025-09-bc-cchc-2025-q3.docx", "2025-12-bc-cchc-2025.docx",
                                                   "ke-hoach-cchc.docx", "phu-luc-I-the-che.docx"]
        # byte for byte what a clean build of the edited inputs writes into an empty folder
        clean = tmp_path / "clean"
        subprocess.run([*VANBAN, "build", "--inputs", str(commune / "inputs"), "--out", str(clean)], env=env,
                       check=True, capture_output=True)
        assert snapshot(out) == snapshot(clean)
        now = snapshot(out)
        assert {k for k in first if first[k] != now[k]} == {str(Path(p).relative_to(out)) for p in written} | {
            MANIFEST_NAME}  # only those, and the manifest that records them

        edited = snapshot(out)
        broken = appendices.read_text(encoding="utf-8").replace("tasks:", "tasks: [", 1)
        appendices.write_text(broken, encoding="utf-8")
        said = w.until("Sửa rồi lưu lại tệp")
        assert any("inputs/appendices.yaml:" in line and "lỗi" in line for line in said), said  # file, line
        assert snapshot(out) == edited  # nothing written
        appendices.write_text(text.replace(TASK, EDITED), encoding="utf-8")  # mended as it was
        assert w.until("Không có gì thay đổi", "Xong:")[-1].startswith("Không có gì thay đổi")
        assert snapshot(out) == edited

        w.proc.send_signal(signal.SIGINT)  # Ctrl+C
        assert w.proc.wait(timeout=30) == 0
        w.until("Đã dừng theo dõi.")
        assert not any("Traceback" in line for line in w.said)
    finally:
        if w.proc.poll() is None:
            w.proc.kill()


def test_a_missing_inputs_folder_is_said_at_once_not_watched(tmp_path):
    proc = subprocess.run([*VANBAN, "watch", "--inputs", str(tmp_path / "khong-co")], cwd=tmp_path,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 2 and "khong-co" in proc.stderr and "không có thư mục đầu vào" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written
