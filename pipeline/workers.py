"""Rendering a build's documents: here, or spread over forked worker processes.

``render_all`` takes the plan and the indices of the documents to render and
yields each one's bytes. An appendix that is also appended to the plan is
rendered once for both: its own file is stamped and zipped before the same
rendered document is appended to the plan (``render_group``). On Linux, with
more than one core and enough to render, the groups go to forked workers, one
per core, the largest first; the workers inherit the plan (nothing is pickled
but the bytes coming back), die with the build even when it is killed, and a
group a worker could not make is rendered again here, where its error surfaces
with its own message. The bytes never depend on where a document was made.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:
    from pipeline.plan import DocPlan

MIN_PER_WORKER = 4  # fewer parts than this per worker (~10 ms each): forking costs more than it saves


def stamp(document, doc: DocPlan) -> None:
    """Fixed, meaningful core properties (python-docx would otherwise keep the template's)."""
    from pipeline import wml

    date = doc.date
    when = dt.datetime(date.year, date.month, date.day or 1, 7, 0, 0)
    cp = document.core_properties
    cp.title = doc.title
    cp.author = doc.author
    cp.created = when
    cp.modified = when
    wml.set_core(document, lastModifiedBy=doc.author, revision="1")  # by full name: see wml.set_core
    cp.comments = "Tạo bởi vanban theo Nghị định 30/2020/NĐ-CP"


def render_group(plan: list[DocPlan], templates: Path, group: list[int]) -> list[tuple[int, bytes]]:
    """The first document of ``group`` with its parts appended, stamped and zipped; the others are
    documents whose body is one of those parts: each is stamped and zipped as itself before the
    same rendered part is appended (docxcompose changes what it appends; the stamp is not appended)."""
    from pipeline.compose import compose  # imported only when something is rendered
    from pipeline.render import render
    from pipeline.write import docx_bytes

    doc = plan[group[0]]
    alone = {id(plan[j].body): j for j in group[1:]}
    document = render(templates / doc.body.template, doc.body.context)
    out, parts = [], []
    for part in doc.appended:
        rendered = render(templates / part.template, part.context)
        j = alone.get(id(part))
        if j is not None:
            stamp(rendered, plan[j])
            out.append((j, docx_bytes(rendered)))
        parts.append(rendered)
    if parts:
        compose(document, parts)
    stamp(document, doc)
    return [(group[0], docx_bytes(document)), *out]


def groups(plan: list[DocPlan], todo: list[int]) -> list[list[int]]:
    """``todo`` as groups for ``render_group``: a document with the to-do documents whose body it
    appends; every other document alone. Largest first."""
    pending = set(todo)
    body_of = {id(plan[i].body): i for i in todo}
    out = []
    for i in todo:
        if i not in pending:
            continue
        shared = [body_of[id(p)] for p in plan[i].appended if body_of.get(id(p)) in pending - {i}]
        pending -= {i, *shared}
        out.append([i, *shared])
    return sorted(out, key=lambda g: -_parts(plan, g))


def _parts(plan: list[DocPlan], group: list[int]) -> int:
    return 1 + len(plan[group[0]].appended)


def render_workers(jobs: int | None, parts: int) -> int:
    """How many processes render documents of ``parts`` parts in all (bodies and appended parts):
    1 (this one) unless the system can fork (Linux), has more than one core for us, and each worker
    gets ``MIN_PER_WORKER`` parts."""
    import multiprocessing as mp
    import os

    if sys.platform != "linux" or "fork" not in mp.get_all_start_methods():
        return 1  # spawn (Windows, macOS) would re-import everything in each worker: slower than one
    cores = len(os.sched_getaffinity(0))
    return max(1, min(jobs or cores, cores, parts // MIN_PER_WORKER))


def render_all(plan: list[DocPlan], templates: Path, todo: list[int], jobs: int | None,
               meanwhile: Callable[[], None]) -> Iterator[tuple[int, bytes]]:
    """(index, bytes) of each document in ``todo``; ``meanwhile`` runs here while workers render,
    or first when there are none."""
    work = groups(plan, todo)
    workers = render_workers(jobs, sum(_parts(plan, g) for g in work))
    if workers < 2:
        meanwhile()
        for g in work:
            yield from render_group(plan, templates, g)
        return
    done = _forked(plan, templates, work, workers, meanwhile)
    for g in work:  # anything a worker could not make is made here, where its error can surface
        if all(i in done for i in g):
            yield from ((i, done[i]) for i in g)
        else:
            yield from render_group(plan, templates, g)


_FORKED: tuple = ()  # (plan, templates) of the render in progress, inherited by forked workers


def _forked(plan: list[DocPlan], templates: Path, work: list[list[int]], workers: int,
            meanwhile: Callable[[], None]) -> dict[int, bytes]:
    """The bytes the workers made, by index; ``meanwhile`` runs here in the meantime."""
    import multiprocessing as mp
    import os
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    import pipeline.compose  # noqa: F401  (imported once here, not once in each worker)
    import pipeline.render  # noqa: F401
    import pipeline.write  # noqa: F401

    for stream in (sys.stdout, sys.stderr):  # a worker flushes its copy of the buffers when it ends
        if stream is not None:
            stream.flush()
    global _FORKED
    _FORKED = (plan, templates)
    done: dict[int, bytes] = {}
    pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"), initializer=_die_with_parent,
                               initargs=(os.getpid(),))
    try:
        futures = [pool.submit(_render_forked, g) for g in work]
        meanwhile()
        for future in as_completed(futures):
            done.update(future.result())
    except BrokenProcessPool:
        pass  # a worker died (killed, out of memory): what it had not finished is rendered again
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _FORKED = ()
    return done


def _die_with_parent(parent: int) -> None:
    """In a worker: ask Linux to end this process when the build that forked it ends, even by
    SIGKILL (a forked worker holds the pipe's other end, so it would otherwise wait for ever)."""
    import ctypes
    import os
    import signal

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build ended before the request was made
        os._exit(1)


def _render_forked(group: list[int]) -> list[tuple[int, bytes]]:
    """In a worker: one group of the inherited plan; nothing if it failed (the parent renders it
    again itself, so the error surfaces there with its own message and traceback)."""
    plan, templates = _FORKED
    try:
        return render_group(plan, templates, group)
    except Exception:
        return []
