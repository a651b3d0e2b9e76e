"""Where a build's documents render: in the build's own process, or on every core — one interface.

As Sphinx hands its work to ``SerialTasks`` or ``ParallelTasks``, a build hands its render tasks
(``group.Task``) to a pool chosen once by ``make_pool``: ``submit`` them, do other work meanwhile
(the lint, the document keys), then ``collect`` the bytes by document index.

- ``SerialPool`` renders in ``collect``, in this process.
- ``ForkPool`` is the standard library's ``ProcessPoolExecutor`` over forked processes (Linux, more
  than one core). It is started when the build starts, before the inputs are read: each worker
  imports the renderer and opens the templates (``warm``) on a core that the build's own process
  leaves idle while it imports the input models, validates and plans. The tasks are dealt in
  shares of about equal size, one per worker.

A share a worker could not render (it raised, or its process died) is rendered again by
``collect`` in this process, where its error surfaces with its own message and traceback. Workers
end with the build, even when it is killed (``_watch_parent``). The bytes never depend on where a
document was made: ``--jobs 1`` writes the same files.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.render.group import Task, render_group

if TYPE_CHECKING:
    from concurrent.futures import Future

MIN_PARTS_PER_WORKER = 4  # fewer parts than this per worker (~10 ms each): forking costs more than it saves
TYPICAL_PARTS = 40  # a commune's set: enough to use every core, decided before the plan exists


def workers_for(jobs: int | None, parts: int = TYPICAL_PARTS) -> int:
    """How many processes should render ``parts`` parts (bodies and appended parts): 1 (this one)
    unless the system forks (Linux), gives us more than one core, and each worker gets
    ``MIN_PARTS_PER_WORKER`` parts. ``jobs``: the user's limit (None: one per core)."""
    if sys.platform != "linux" or not hasattr(os, "fork"):
        return 1  # spawn (Windows, macOS) would import everything again in each worker: slower than one
    cores = len(os.sched_getaffinity(0))
    return max(1, min(jobs or cores, cores, parts // MIN_PARTS_PER_WORKER))


class SerialPool:
    """Renders every task in this process, when collected."""

    workers = 1

    def __init__(self, templates: Path):
        self.templates = templates
        self.tasks: list[Task] = []

    def submit(self, tasks: list[Task]) -> None:
        self.tasks += tasks

    def collect(self) -> dict[int, bytes]:
        """Every submitted task's bytes, by document index; a failure raises here."""
        done = {i: data for task in self.tasks for i, data in render_group(self.templates, task)}
        self.tasks = []
        return done

    def close(self) -> None:
        self.tasks = []

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ForkPool(SerialPool):
    """``workers`` forked processes, each warmed up as it starts (``warm``)."""

    def __init__(self, templates: Path, workers: int):
        super().__init__(templates)
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        for stream in (sys.stdout, sys.stderr):  # a worker must not flush a copy of our buffers
            if stream is not None:
                stream.flush()
        self.workers = workers
        self.executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                            initializer=warm, initargs=(templates,))
        self.futures: list[tuple[list[Task], Future]] = []
        try:
            self.executor.submit(os.getpid)  # the processes start now, not at the first real task
        except OSError:  # no process can be forked now (a process or memory limit)
            self.executor.shutdown(wait=False)
            raise

    def submit(self, tasks: list[Task]) -> None:
        """Deal ``tasks`` into one share per worker, of about equal size, and send them."""
        import pickle

        from pipeline.shares import balance

        weights = [len(pickle.dumps(task)) for task in tasks]  # a task renders in time with its contexts' size
        for share in balance(weights, self.workers):
            chosen = [tasks[i] for i in share]
            try:
                self.futures.append((chosen, self.executor.submit(render_share, self.templates, chosen)))
            except RuntimeError:  # the pool is broken (a worker died before any task came): render here
                self.tasks += chosen

    def collect(self) -> dict[int, bytes]:
        done: dict[int, bytes] = {}
        for share, future in self.futures:
            try:
                done.update(future.result())
            except Exception:
                self.tasks += share
        self.futures = []
        done.update(super().collect())
        return done

    def close(self) -> None:
        """End the workers: at once if work is left (the build failed), else when they are idle."""
        self.executor.shutdown(wait=not self.futures, cancel_futures=True)
        super().close()


def make_pool(templates: Path, jobs: int | None) -> SerialPool:
    """The pool for one build, started now: forked workers where ``workers_for`` says they pay,
    else this process. A system that cannot fork now (a process or memory limit) renders here."""
    workers = workers_for(jobs)
    if workers < 2:
        return SerialPool(templates)
    try:
        return ForkPool(templates, workers)
    except OSError:
        return SerialPool(templates)


def render_share(templates: Path, share: list[Task]) -> dict[int, bytes]:
    """In a worker: one share's documents."""
    return {i: data for task in share for i, data in render_group(templates, task)}


def warm(templates: Path) -> None:
    """A worker's start: end with the build; import the renderer and open the plan's templates
    before any document arrives (a template that fails is reported when a document needs it)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the build's to handle: it ends the workers
    _watch_parent()
    import pipeline.decree.forms
    import pipeline.decree.wml
    import pipeline.ooxml.package
    import pipeline.render.compose  # noqa: F401
    from pipeline.paths import APPENDIX_TEMPLATE, PLAN_TEMPLATE
    from pipeline.render.template import prototype

    for name in (PLAN_TEMPLATE, APPENDIX_TEMPLATE):
        try:
            prototype(templates / name).compile()
        except Exception:
            pass


def _watch_parent() -> None:
    """End this worker when the build's process ends, even by SIGKILL: the executor's queue would
    otherwise keep it waiting for ever. ``multiprocessing`` gives each child a sentinel that is
    readable once its parent is gone."""
    import multiprocessing
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="vanban-watch-parent", daemon=True).start()
