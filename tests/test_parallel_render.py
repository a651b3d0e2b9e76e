"""Rendering spread over forked processes (issue 17): the same bytes in the same order as one
process, template errors surface as in one process, and no worker is left behind."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.build import build_documents
from pipeline.workers import render_workers
from pipeline.errors import EXIT_INVALID_INPUT

ROOT = Path(__file__).resolve().parent.parent
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked only on Linux")


@linux_only
def test_a_build_on_two_cores_uses_two_workers_and_small_renders_stay_in_one_process():
    import os

    cores = len(os.sched_getaffinity(0))
    assert render_workers(2, 25) == min(2, cores)
    assert render_workers(None, 100) == cores  # by default one per core
    assert render_workers(1, 25) == 1  # --jobs 1, and each commune of a batch
    assert render_workers(2, 3) == 1  # three parts to render: forking would cost more than it saves
    assert render_workers(2, 10) == min(2, cores)  # the plan (a body, six appendices) and three other documents


def test_the_bytes_do_not_depend_on_how_many_processes_render(inputs):
    one = build_documents(inputs, jobs=1)
    two = build_documents(inputs, jobs=2)
    assert [b.path for b in two] == [b.path for b in one]  # plan order, whatever finished first
    different = [b.path for b, c in zip(one, two) if b.data != c.data]
    assert different == []
    assert _children(os.getpid()) == []


def test_the_committed_outputs_are_what_two_processes_render(inputs):
    for b in build_documents(inputs, jobs=2):
        assert (ROOT / "outputs" / b.path).read_bytes() == b.data, b.path


@linux_only
def test_a_template_error_in_a_worker_is_reported_as_in_one_process(tmp_path):
    from pipeline.cli import main

    commune = tmp_path / "xa"
    shutil.copytree(ROOT / "inputs", commune / "inputs")
    shutil.copytree(ROOT / "templates", commune / "templates")
    # the appendix template names something the data does not have: every appendix fails in a worker
    import io
    import zipfile

    src = commune / "templates" / "phu_luc" / "phu_luc.docx"
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    body = parts["word/document.xml"].decode("utf-8")
    at = body.index("<w:t>") + len("<w:t>")
    parts["word/document.xml"] = (body[:at] + "{{ khong_co_ten_nay }}" + body[at:]).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    src.write_bytes(buf.getvalue())
    result = CliRunner().invoke(main, ["build", "--inputs", str(commune / "inputs"),
                                       "--out", str(commune / "outputs")])
    assert result.exit_code == EXIT_INVALID_INPUT, result.output
    assert "Lỗi mẫu văn bản: mẫu phu_luc.docx: dùng một tên không có trong dữ liệu" in result.output
    assert "khong_co_ten_nay" in result.output
    assert not (commune / "outputs").exists()
    assert _children(os.getpid()) == []


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def _session(sid: int) -> list[int]:
    """Live processes of session ``sid`` (zombies are dead already)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


@linux_only
def test_a_build_killed_while_its_workers_render_leaves_no_process_behind(tmp_path):
    import os
    import signal
    import subprocess
    import time

    env = dict(os.environ, VANBAN_CACHE=str(tmp_path / "cache"))
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "build", "--inputs", str(ROOT / "inputs"),
                             "--out", str(tmp_path / "out")], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not _children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)  # the workers are rendering now
    if proc.poll() is not None:
        pytest.skip("the build ended before its workers could be seen")
    os.kill(proc.pid, signal.SIGKILL)  # the build itself: no chance to clean up
    proc.wait()
    deadline = time.monotonic() + 10
    while _session(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = _session(proc.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.docx"))


def test_an_appendix_rendered_once_for_the_plan_and_its_own_file_is_byte_for_byte_as_if_alone(inputs):
    from pipeline.paths import templates_dir
    from pipeline.plan import plan_build
    from pipeline.workers import groups, render_group, task_of

    plan = plan_build(inputs)
    templates = templates_dir(inputs.root)
    appendices = [i for i, d in enumerate(plan) if d.path.startswith("phu-luc/")]
    assert len(appendices) == 6  # Phụ lục I–VI, each a file of its own and a part of the plan
    work = groups(plan, list(range(len(plan))))
    assert work[0] == [0, *appendices]  # the plan with its six appendices, first: the largest
    together = dict(render_group(templates, task_of(plan, work[0])))
    for i in [0, *appendices]:
        assert together[i] == dict(render_group(templates, task_of(plan, [i])))[i], plan[i].path
    # the plan alone (its appendices kept from disk) still carries all six
    assert groups(plan, [0, 7]) == [[0], [7]]


@pytest.mark.parametrize("call", ["fork", "pipe"])
def test_a_system_that_cannot_fork_renders_in_the_builds_own_process(tmp_path, monkeypatch, call):
    """Forking can fail (a process or memory limit, EAGAIN), and so can making a pipe (no descriptor
    left): the build goes on in one process."""
    from pipeline.build import run_build

    def refused(*args, **kwargs):
        raise BlockingIOError(11, "Resource temporarily unavailable") if call == "fork" else OSError(24, "Too many open files")

    monkeypatch.setattr(os, call, refused)
    monkeypatch.setenv("VANBAN_CACHE", str(tmp_path / "cache"))
    result = run_build(ROOT / "inputs", tmp_path / "out", jobs=2)
    assert len(result.built) == 25 and len(result.rendered) == 25
    for path, _ in result.built:
        assert (tmp_path / "out" / path).read_bytes() == (ROOT / "outputs" / path).read_bytes(), path


@linux_only
def test_a_default_build_starts_on_the_plan_while_planning_the_rest_and_writes_the_committed_bytes(
        tmp_path, monkeypatch):
    """By default one worker is forked as the build starts (one core is left to the build's own loading);
    the plan with its appendices is sent to it as soon as they are planned, and it forks a warm copy
    of itself for the other core once it has rendered them."""
    from pipeline.build import run_build
    from pipeline.workers import RenderPool

    sent = []
    send_ahead = RenderPool.send_ahead

    def spy(pool, templates, task):
        sent.append([task[0][0], *(j for j, _ in task[1].values())])
        return send_ahead(pool, templates, task)

    monkeypatch.setattr(RenderPool, "send_ahead", spy)
    monkeypatch.setenv("VANBAN_CACHE", str(tmp_path / "cache"))
    result = run_build(ROOT / "inputs", tmp_path / "out")
    assert len(result.rendered) == 25
    assert sent == [[0, 1, 2, 3, 4, 5, 6]]  # the plan and Phụ lục I–VI, before anything else was planned
    for path, _ in result.built:
        assert (tmp_path / "out" / path).read_bytes() == (ROOT / "outputs" / path).read_bytes(), path
    assert _children(os.getpid()) == []


def _tasks(inputs):
    from pipeline import workers
    from pipeline.paths import templates_dir
    from pipeline.plan import plan_build

    plan = plan_build(inputs)
    return plan, templates_dir(inputs.root), [workers.task_of(plan, g)
                                              for g in workers.groups(plan, list(range(len(plan))))]


@linux_only
def test_a_copy_that_dies_loses_only_its_share_and_the_build_makes_it(inputs, monkeypatch):
    from pipeline import workers

    plan, templates, tasks = _tasks(inputs)
    with workers.RenderPool(2) as pool:
        made = pool.render(templates, tasks, lambda: None)
    assert sorted(made) == list(range(len(plan)))
    for i, data in made.items():
        assert (ROOT / "outputs" / plan[i].path).read_bytes() == data, plan[i].path

    here = os.getpid()
    render_task = workers._render_task

    def dies_in_the_copy(templates, task):
        if os.getppid() != here:  # the worker's copy (the worker itself is this process's child)
            os._exit(9)  # as if killed
        return render_task(templates, task)

    monkeypatch.setattr(workers, "_render_task", dies_in_the_copy)  # before the pool forks
    with workers.RenderPool(2) as pool:
        survived = pool.render(templates, tasks, lambda: None)
    assert 0 < len(survived) < len(plan)  # the worker's documents came; the copy's did not
    with workers.RenderPool(2) as pool:
        built = dict(workers.render_all(plan, templates, list(range(len(plan))), None, lambda: None, pool))
    assert sorted(built) == list(range(len(plan)))
    for i, data in built.items():
        assert (ROOT / "outputs" / plan[i].path).read_bytes() == data, plan[i].path
    assert _children(os.getpid()) == []


@linux_only
def test_a_share_that_fails_in_a_worker_is_rendered_by_the_build_itself(inputs, monkeypatch):
    """An error inside a worker's share: the documents are still made, by the build's own process,
    never a traceback."""
    from pipeline import workers

    plan, templates, tasks = _tasks(inputs)

    def fails(*args):
        raise RuntimeError("a share that cannot be made")

    monkeypatch.setattr(workers, "_render_share", fails)  # in the processes forked below
    with workers.RenderPool(2) as pool:
        assert pool.render(templates, tasks, lambda: None) == {}
    monkeypatch.undo()
    monkeypatch.setattr(workers, "_render_task", lambda *a: (_ for _ in ()).throw(RuntimeError("no")))
    with workers.RenderPool(2) as pool:
        monkeypatch.undo()  # here, the build renders as usual
        built = dict(workers.render_all(plan, templates, list(range(len(plan))), None, lambda: None, pool))
    for i, data in built.items():
        assert (ROOT / "outputs" / plan[i].path).read_bytes() == data, plan[i].path
    assert _children(os.getpid()) == []


@linux_only
def test_the_lint_still_runs_when_the_workers_died_before_the_documents_came(inputs):
    """A pool whose worker was killed while the build loaded (out of memory, a stray kill): the
    documents are rendered here, and the lint gate runs all the same."""
    import signal
    import time

    from pipeline import workers

    plan, templates, tasks = _tasks(inputs)
    linted = []
    with workers.RenderPool(2, templates) as pool:
        assert _children(os.getpid()) == pool.pids
        for pid in pool.pids:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
        assert pool.render(templates, tasks, lambda: linted.append(True)) == {}
    assert linted == [True]
    assert _children(os.getpid()) == []


@linux_only
def test_messages_larger_than_the_pipe_arrive_whole_and_in_order():
    """A commune with a very long plan: what does not fit in the pipe is written by a thread, after
    what was written at once, and the build never waits for the reader."""
    import fcntl
    import threading

    from pipeline import workers

    read, write = os.pipe()
    fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, 4096)
    sender = workers._Sender(write)
    got = []
    with os.fdopen(read, "rb") as pipe:
        reader = threading.Thread(target=lambda: got.extend(iter(lambda: workers._read_message(pipe), None)))
        sender.post(b"a" * 10)  # fits: written at once
        sender.post(b"b" * 300_000)  # does not: a thread writes it when the reader reads
        sender.post(b"c" * 5)  # after it, never before
        reader.start()
        sender.flush()
        os.close(write)
        reader.join(timeout=30)
    assert got == [b"a" * 10, b"b" * 300_000, b"c" * 5]


@linux_only
def test_the_worker_parses_the_inputs_and_a_file_it_could_not_is_reported_as_without_it(tmp_path, monkeypatch):
    """``RenderPool(..., inputs=)``: the first worker parses the YAML while the build imports its models.
    The build then reads no file itself; a broken one it reads again, with the same message."""
    from pipeline import validate, workers
    from pipeline.errors import InputErrors

    commune = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs", commune)
    read_here = []
    real = validate.load_yaml

    def counted(path, display=None):
        read_here.append(path.name)
        return real(path, display)

    monkeypatch.setattr(validate, "load_yaml", counted)  # here only: the worker is forked after
    with workers.RenderPool(2, inputs=commune) as pool:
        ahead = validate.load_inputs(commune, pool.read_ahead)
    assert read_here == []
    alone = validate.load_inputs(commune)
    assert ahead.plan == alone.plan and ahead.raw == alone.raw and ahead.sources == alone.sources

    plan = commune / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("\n", "\n  tên: [\n", 1), encoding="utf-8")
    read_here.clear()
    with workers.RenderPool(2, inputs=commune) as pool, pytest.raises(InputErrors) as with_worker:
        validate.load_inputs(commune, pool.read_ahead)
    assert read_here == ["plan.yaml"]
    with pytest.raises(InputErrors) as without:
        validate.load_inputs(commune)
    assert [i.format() for i in with_worker.value.issues] == [i.format() for i in without.value.issues]
    assert "plan.yaml:" in with_worker.value.issues[0].format()
    assert _children(os.getpid()) == []


@linux_only
def test_a_worker_whose_parsed_inputs_nobody_asked_for_still_renders(inputs):
    from pipeline import workers
    from pipeline.paths import templates_dir
    from pipeline.plan import plan_build

    plan = plan_build(inputs)
    templates = templates_dir(inputs.root)
    tasks = [workers.task_of(plan, g) for g in workers.groups(plan, list(range(len(plan))))]
    with workers.RenderPool(2, templates, inputs=inputs.root) as pool:
        made = pool.render(templates, tasks, lambda: None)
    assert sorted(made) == list(range(len(plan)))
    for i, data in made.items():
        assert (ROOT / "outputs" / plan[i].path).read_bytes() == data, plan[i].path
