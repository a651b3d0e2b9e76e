"""Rendering spread over forked processes (issues 17, 26): the same bytes in the same order as one
process, template errors surface as in one process, a share a worker could not make is made by the
build itself, and no worker is left behind."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.build.run import build_documents
from pipeline.render.pool import ForkPool, SerialPool, make_pool, workers_for
from pipeline.errors import EXIT_INVALID_INPUT

ROOT = Path(__file__).resolve().parent.parent
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked only on Linux")


@linux_only
def test_a_build_on_two_cores_uses_two_workers_and_small_renders_stay_in_one_process():
    import os

    cores = len(os.sched_getaffinity(0))
    assert workers_for(2, 25) == min(2, cores)
    assert workers_for(None, 100) == cores  # by default one per core
    assert workers_for(1, 25) == 1  # --jobs 1, and each commune of a batch
    assert workers_for(2, 3) == 1  # three parts to render: forking would cost more than it saves
    assert workers_for(2, 10) == min(2, cores)  # the plan (a body, six appendices) and three other documents
    assert workers_for(None) == cores  # a build's pool, started before anything is planned


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
    # the template, its part, and the text around the tag
    assert ("Lỗi mẫu văn bản: mẫu phu_luc.docx, phần word/document.xml: "
            "dùng một tên không có trong dữ liệu") in result.output
    assert "«{{ khong_co_ten_nay }}" in result.output
    alone = CliRunner().invoke(main, ["build", "--jobs", "1", "--inputs", str(commune / "inputs"),
                                      "--out", str(commune / "outputs")])
    assert alone.exit_code == EXIT_INVALID_INPUT and alone.output == result.output
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
    from pipeline.plan.documents import plan_build
    from pipeline.render.group import groups, render_group, task_of

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
    from pipeline.build.run import run_build

    def refused(*args, **kwargs):
        raise BlockingIOError(11, "Resource temporarily unavailable") if call == "fork" else OSError(24, "Too many open files")

    monkeypatch.setattr(os, call, refused)
    monkeypatch.setenv("VANBAN_CACHE", str(tmp_path / "cache"))
    result = run_build(ROOT / "inputs", tmp_path / "out", jobs=2)
    assert len(result.built) == 25 and len(result.rendered) == 25
    for path, _ in result.built:
        assert (tmp_path / "out" / path).read_bytes() == (ROOT / "outputs" / path).read_bytes(), path


def _tasks(inputs):
    from pipeline.paths import templates_dir
    from pipeline.plan.documents import plan_build
    from pipeline.render.group import groups, task_of

    plan = plan_build(inputs)
    return plan, templates_dir(inputs.root), [task_of(plan, g) for g in groups(plan, list(range(len(plan))))]


def _committed(plan, made: dict[int, bytes]) -> None:
    assert sorted(made) == list(range(len(plan)))
    for i, data in made.items():
        assert (ROOT / "outputs" / plan[i].path).read_bytes() == data, plan[i].path


def test_one_interface_whether_the_documents_render_here_or_in_workers(inputs):
    """The serial and the forked pool take the same tasks and give the same bytes, by index."""
    plan, templates, tasks = _tasks(inputs)
    for pool in (SerialPool(templates), make_pool(templates, 2)):
        with pool:
            pool.submit(tasks)
            _committed(plan, pool.collect())
    assert _children(os.getpid()) == []


@linux_only
def test_the_pool_starts_its_workers_when_made_and_ends_them_when_closed(inputs):
    _, templates, _ = _tasks(inputs)
    with make_pool(templates, 2) as pool:
        assert isinstance(pool, ForkPool)
        assert len(_children(os.getpid())) == 2  # forked now, before any task: they warm up meanwhile
    assert _children(os.getpid()) == []
    assert isinstance(make_pool(templates, 1), SerialPool)  # --jobs 1


@linux_only
def test_a_worker_that_dies_loses_nothing_the_build_makes_its_share(inputs, monkeypatch):
    from pipeline.render import pool as pool_module

    plan, templates, tasks = _tasks(inputs)
    here = os.getpid()
    real = pool_module.render_share

    def dies_in_a_worker(templates, share):
        if os.getpid() != here:
            os._exit(9)  # as if killed (out of memory, a stray kill)
        return real(templates, share)

    monkeypatch.setattr(pool_module, "render_share", dies_in_a_worker)  # before the pool forks
    with make_pool(templates, 2) as pool:
        pool.submit(tasks)
        _committed(plan, pool.collect())
    assert _children(os.getpid()) == []


@linux_only
def test_a_share_that_fails_in_a_worker_is_rendered_by_the_build_itself(inputs, monkeypatch):
    """An error inside a worker's share: the documents are still made, by the build's own process,
    never a traceback."""
    from pipeline.render import group

    plan, templates, tasks = _tasks(inputs)
    here = os.getpid()
    real = group._render_direct

    def fails_in_a_worker(templates, task):
        if os.getpid() != here:
            raise RuntimeError("a share that cannot be made")
        return real(templates, task)

    monkeypatch.setattr(group, "_render_direct", fails_in_a_worker)
    with make_pool(templates, 2) as pool:
        pool.submit(tasks)
        _committed(plan, pool.collect())
    assert _children(os.getpid()) == []


@linux_only
def test_the_lint_still_runs_when_the_workers_died_before_the_documents_came(inputs):
    """A pool whose workers were killed while the build loaded: the documents are rendered here, and
    the lint runs all the same (here it finds what the bundled inputs have: no error)."""
    import signal
    import time

    from pipeline.build.run import render_documents

    plan, templates, _ = _tasks(inputs)
    with make_pool(templates, 2) as pool:
        workers = _children(os.getpid())
        assert len(workers) == 2
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
        built, findings = render_documents(inputs, pool, strict=False)
    _committed(plan, {i: b.data for i, b in enumerate(built)})
    assert all(f.severity != "error" for f in findings)
    assert _children(os.getpid()) == []
