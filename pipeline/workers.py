"""Rendering a build's documents: here, or spread over forked worker processes.

``render_all`` takes the plan and the indices of the documents to render and
yields each one's bytes. An appendix that is also appended to the plan is
rendered once for both: its own file is stamped and zipped before the same
rendered document is appended to the plan (``render_group``), from prototypes
of the templates where that gives the libraries' bytes (``render.Prototype``).

On Linux, with more than one core, the groups go to forked workers, dealt in
shares of about the same work. ``RenderPool`` forks them when a build starts,
before it loads its inputs: while the build's own process imports the input
models, loads, lints and plans, the workers import the renderer and open the
templates on the cores that would otherwise idle (one core is left to the
build's own process; when the documents come, the first worker forks a warm
copy of itself for that core). Each group travels as plain data (``Job``: no
input models, so a worker never imports them); only bytes come back. The
workers and their copies die with the build even when it is killed, and a
group a worker could not make is rendered again here, where its error surfaces
with its own message. The bytes never depend on where a document was made.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

if TYPE_CHECKING:
    from pipeline.plan import DocPlan

MIN_PER_WORKER = 4  # fewer parts than this per worker (~10 ms each): forking costs more than it saves


@dataclass(frozen=True)
class Job:
    """What a worker needs of one planned document: plain data only."""

    title: str
    author: str
    date: tuple[int, int, int]
    body: tuple[str, dict[str, Any]]  # (template, context)
    appended: tuple[tuple[str, dict[str, Any]], ...] = ()


def job_of(doc: DocPlan) -> Job:
    d = doc.date
    return Job(doc.title, doc.author, (d.year, d.month, d.day or 1), (doc.body.template, doc.body.context),
               tuple((p.template, p.context) for p in doc.appended))


Task = tuple[tuple[int, Job], dict[int, tuple[int, Job]]]  # (index, job) and {appended position: (index, job)}


def stamp(document, job: Job) -> None:
    """Fixed, meaningful core properties (python-docx would otherwise keep the template's)."""
    import datetime as dt

    from pipeline import wml

    when = dt.datetime(*job.date, 7, 0, 0)
    cp = document.core_properties
    cp.title = job.title
    cp.author = job.author
    cp.created = when
    cp.modified = when
    wml.set_core(document, lastModifiedBy=job.author, revision="1")  # by full name: see wml.set_core
    cp.comments = "Tạo bởi vanban theo Nghị định 30/2020/NĐ-CP"


def render_group(templates: Path, task: Task, direct: bool = True) -> list[tuple[int, bytes]]:
    """A document with its parts appended, stamped and zipped; ``task``'s shares are documents whose
    body is one of those parts: each is stamped and zipped as itself before the same rendered part is
    appended (docxcompose changes what it appends; the stamp is not appended).

    Rendered from prototypes (``render.Prototype``) where that gives the same bytes, else through
    python-docx and docxcompose; ``direct=False`` always takes the second way."""
    made = _render_direct(templates, task) if direct else None
    return made if made is not None else _render_documents(templates, task)


def _render_documents(templates: Path, task: Task) -> list[tuple[int, bytes]]:
    from pipeline.compose import compose  # imported only when something is rendered
    from pipeline.render import render
    from pipeline.write import docx_bytes

    (head, job), shares = task
    document = render(templates / job.body[0], job.body[1])
    out, parts = [], []
    for k, (template, context) in enumerate(job.appended):
        rendered = render(templates / template, context)
        if k in shares:
            j, own = shares[k]
            stamp(rendered, own)
            out.append((j, docx_bytes(rendered)))
        parts.append(rendered)
    if parts:
        compose(document, parts)
    stamp(document, job)
    return [(head, docx_bytes(document)), *out]


def _render_direct(templates: Path, task: Task) -> list[tuple[int, bytes]] | None:
    """``render_group`` from prototypes: bodies rendered, appended by ``compose.concatenate``, each
    put into its template's constant parts; None where that would not give the same bytes."""
    from pipeline.compose import appends_plainly, concatenate, renumbers
    from pipeline.render import prototype

    (head, job), shares = task
    master = prototype(templates / job.body[0])
    protos = [prototype(templates / template) for template, _ in job.appended]
    if not all(p.direct for p in (master, *protos)):
        return None
    body = master.body(job.body[1])
    parts = [p.body(context) for p, (_, context) in zip(protos, job.appended)]
    if not all(p.still_direct() for p in (master, *protos)):
        return None  # the data brought a relationship (an image, a link): the parts are not the template's
    if parts:
        own, *theirs = [_styles(p) for p in (master, *protos)]
        if renumbers(body) or not all(appends_plainly(own, s, b) for s, b in zip(theirs, parts)):
            return None
    out = []
    for k, (j, own) in sorted(shares.items()):  # each shared part as itself, before the master takes copies
        stamp(protos[k].document, own)
        out.append((j, _zipped(protos[k], parts[k])))
    if parts:
        concatenate(body, parts)
    stamp(master.document, job)
    return [(head, _zipped(master, body)), *out]


def _zipped(proto, body) -> bytes:
    """The document's bytes: its own parts compressed now, the template's others compressed once."""
    from pipeline.write import Deflated, zip_entries

    constant = _once(proto, Deflated, lambda: {name: Deflated.of(data) for name, data in proto.constant.items()})
    return zip_entries({**proto.entries(body), **constant})


def _styles(proto):
    """``compose.Styles`` of a prototype's template."""
    from pipeline.compose import Styles

    return _once(proto, Styles, lambda: Styles.of(proto.document))


def _once(proto, key, make: Callable[[], Any]) -> Any:
    """What ``make`` works out from a prototype's template, kept with the prototype (its parts never change)."""
    if key not in proto.derived:
        proto.derived[key] = make()
    return proto.derived[key]


def task_of(plan: list[DocPlan], group: list[int]) -> Task:
    """The ``Task`` of a group from ``groups``."""
    head = plan[group[0]]
    body_of = {id(plan[j].body): j for j in group[1:]}
    shares = {k: (body_of[id(p)], job_of(plan[body_of[id(p)]])) for k, p in enumerate(head.appended)
              if id(p) in body_of}
    return (group[0], job_of(head)), shares


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
    import os

    if sys.platform != "linux" or not hasattr(os, "fork"):
        return 1  # spawn (Windows, macOS) would re-import everything in each worker: slower than one
    cores = len(os.sched_getaffinity(0))
    return max(1, min(jobs or cores, cores, parts // MIN_PER_WORKER))


def render_all(plan: list[DocPlan], templates: Path, todo: list[int], jobs: int | None,
               meanwhile: Callable[[], None], pool: RenderPool | None = None) -> Iterator[tuple[int, bytes]]:
    """(index, bytes) of each document in ``todo``; ``meanwhile`` runs here while workers render,
    or first when there are none. Without ``pool`` (forked when the build started), one is forked
    now if the render is worth it."""
    work = groups(plan, todo)
    tasks = [task_of(plan, g) for g in work]
    late = None if pool is not None else RenderPool.start(render_workers(jobs, sum(_parts(plan, g) for g in work)))
    if pool is None and late is None:
        meanwhile()
        for task in tasks:
            yield from render_group(templates, task)
        return
    try:
        done = (pool or late).render(templates, tasks, meanwhile)
    finally:
        if late is not None:
            late.close()
    for task, g in zip(tasks, work):  # a group a worker could not make is made here: its error surfaces
        if all(i in done for i in g):
            yield from ((i, done[i]) for i in g)
        else:
            yield from render_group(templates, task)


class RenderPool:
    """Worker processes, forked now (Linux), each importing the renderer while this process goes on.

    A worker is a plain ``os.fork`` with a pipe each way (``_Worker``): Python's ``multiprocessing``
    and ``concurrent.futures`` would cost the build's own process 20–40 ms of imports and pool
    threads before its first input is read. Messages are pickles, each after its length."""

    def __init__(self, workers: int, templates: Path | None = None, helpers: int = 0, inputs: Path | None = None):
        for stream in (sys.stdout, sys.stderr):  # a worker would flush its copy of the buffers too
            if stream is not None:
                stream.flush()
        self.workers, self.helpers = workers, helpers
        self.procs: list[_Worker] = []
        try:
            for k in range(workers):
                self.procs.append(_Worker.fork(templates, inputs if k == 0 else None, self.procs))
        except OSError:
            self.close()
            raise

    @classmethod
    def start(cls, jobs: int | None, templates: Path | None = None, inputs: Path | None = None) -> RenderPool | None:
        """A pool for a build, or None where rendering stays in this process (see ``render_workers``).

        With ``templates`` the pool is forked as a build starts, and this process has work of its own
        until the documents are planned (importing the input models, validating, planning): by
        default one core is left to it, so a single worker is worth forking on two cores. With
        ``inputs`` the first worker parses that folder's YAML first (``load.read_ahead``: see
        ``read_ahead``). The workers then import the renderer and open the templates
        (``render.prototype``); when the documents come, the build's core is free again, and the
        first worker forks a copy of itself to use it (``_render_shares``)."""
        workers = render_workers(jobs, MIN_PER_WORKER * 1000)
        if workers < 2:  # one core, --jobs 1, or no fork
            return None
        helpers = 1 if templates is not None and jobs is None else 0
        try:
            return cls(workers - helpers, templates, helpers, inputs)
        except OSError:  # no process can be forked (a process or memory limit): render here
            return None

    @property
    def pids(self) -> list[int]:
        return [w.pid for w in self.procs]

    def read_ahead(self) -> dict:
        """The inputs the first worker parsed (``load.read_ahead``); empty if it was given none or died."""
        return self.procs[0].read_ahead() if self.procs else {}

    def render(self, templates: Path, tasks: list[Task], meanwhile: Callable[[], None]) -> dict[int, bytes]:
        """The bytes the workers made, by index; ``meanwhile`` runs here in the meantime."""
        import pickle

        # each group pickled once, here (a group's render time goes with the size of its contexts:
        # 16.7 ms for the plan's 112 kB, 3 ms for 11 kB)
        shares = deal([pickle.dumps(t) for t in tasks], self.workers + self.helpers, len)
        bundles = [shares[:1 + self.helpers], *([s] for s in shares[1 + self.helpers:])] if shares else []
        busy = list(zip(self.procs, bundles))
        for worker, bundle in busy:
            worker.send(pickle.dumps((templates, bundle)))
        meanwhile()
        done: dict[int, bytes] = {}
        for worker, _ in busy:
            done.update(worker.result())  # nothing from a worker that died (killed, out of memory) or
        return done  # failed: what it had not finished is rendered here

    def close(self) -> None:
        for worker in self.procs:
            worker.end()

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Worker:
    """One forked worker, seen from the build: a pipe to it, a pipe back (``_work`` is its life)."""

    def __init__(self, pid: int, inbox: int, outbox: int, ahead: bool, room: int):
        import os

        self.pid, self.inbox, self.room = pid, inbox, room  # this side's end of the pipe to the worker, its size
        self.back = os.fdopen(outbox, "rb")  # and of the pipe back
        self.ahead = ahead  # the inputs it parsed come back first
        self.sender = None
        self.sent = self.reaped = False

    @classmethod
    def fork(cls, templates: Path | None, inputs: Path | None, siblings: list[_Worker]) -> _Worker:
        import os

        parent = os.getpid()
        to_read, to_write = os.pipe()
        try:
            back_read, back_write = os.pipe()
        except OSError:
            os.close(to_read)
            os.close(to_write)
            raise
        room, back_room = _widen(to_write), _widen(back_write)
        try:
            pid = os.fork()
        except OSError:
            for fd in (to_read, to_write, back_read, back_write):
                os.close(fd)
            raise
        if pid == 0:  # the worker: nothing of the build's own clean-up may run here, so it ends by os._exit
            code = 1
            try:
                for fd in (to_write, back_read, *(w.inbox for w in siblings if w.inbox >= 0),
                           *(w.back.fileno() for w in siblings)):
                    os.close(fd)  # a sibling's pipe held open here would never reach its end
                _work(parent, templates, inputs, to_read, back_write, back_room)
                code = 0
            finally:
                os._exit(code)
        os.close(to_read)
        os.close(back_write)
        return cls(pid, to_write, back_read, inputs is not None, room)

    def read_ahead(self) -> dict:
        import pickle

        if not self.ahead:
            return {}
        self.ahead = False
        message = _read_message(self.back)
        return pickle.loads(message) if message is not None else {}  # our own worker's pickle

    def send(self, message: bytes) -> None:
        """The worker's one message, written without waiting for the worker to read it (``_post``)."""
        import os

        fd, self.inbox = self.inbox, -1  # closed once written

        def write() -> None:
            try:
                with os.fdopen(fd, "wb") as pipe:
                    _write_message(pipe, message)
                self.sent = True
            except OSError:  # the worker is gone: its share is rendered here
                pass

        self.sender = _post(write, len(message), self.room)

    def result(self) -> list[tuple[int, bytes]]:
        """What the worker made; nothing if it was not sent its work, died or failed."""
        import pickle

        if self.sender is not None:
            self.sender.join()  # the worker has read its message (or is gone)
        if not self.sent:
            self.end()
            return []
        self.read_ahead()  # if nobody asked for it, it is still in the way
        message = _read_message(self.back)
        if self._reap() != 0 or message is None:
            return []
        return pickle.loads(message)  # our own worker's bytes

    def end(self) -> None:
        """Kill the worker if it has not ended (the build failed, or it was never given work); reap it."""
        import os
        import signal

        if self.inbox >= 0:
            os.close(self.inbox)
            self.inbox = -1
        self.back.close()
        if not self.reaped:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
            self._reap()
        if self.sender is not None:
            self.sender.join()

    def _reap(self) -> int:
        import os

        if self.reaped:
            return 0
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            status = 1
        self.reaped = True
        return status


def _work(parent: int, templates: Path | None, inputs: Path | None, inbox: int, outbox: int, room: int) -> None:
    """A worker's life: die with the build (even by SIGKILL: a worker waiting on its pipe would
    otherwise wait for ever); parse the inputs, if given, and send them back without waiting for the
    build to read them (it does when its models are ready); import the renderer and open the
    templates; then render the one share it is sent, and send back the bytes."""
    import os
    import pickle

    _die_with(parent)
    back = os.fdopen(outbox, "wb")
    ahead = None
    if inputs is not None:
        from pipeline.load import read_ahead

        parsed = pickle.dumps(read_ahead(inputs))
        ahead = _post(lambda: _write_message(back, parsed), len(parsed), room)
    _import_renderer(templates)
    with os.fdopen(inbox, "rb") as pipe:
        message = _read_message(pipe)
    if ahead is not None:
        ahead.join()  # before any fork (``_forked``): a copy must not inherit a thread halfway through a write
    if message is None:
        return  # the build ended first, or had nothing for this worker
    templates, bundle = pickle.loads(message)  # our own build's pickle of its plan
    _write_message(back, pickle.dumps(_render_pickled(templates, bundle)))
    back.close()


PIPE_BYTES = 1 << 20  # as much as Linux lets any process give a pipe (/proc/sys/fs/pipe-max-size)


def _widen(fd: int) -> int:
    """Let a pipe hold a whole message where the system allows it; its size in bytes."""
    import fcntl

    try:
        return fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except OSError:  # over the user's pipe allowance: as it is
        try:
            return fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)
        except OSError:
            return 0


def _post(write: Callable[[], None], size: int, room: int):
    """Write a message into an empty pipe without waiting for its reader: at once if it fits the pipe,
    else from a thread (returned, to be joined). A thread's writes would each wait for the GIL while
    this process computes (up to 5 ms for each 64 kB): a message of 600 kB took 25 ms to arrive."""
    import threading

    if size + 8 <= room:
        write()
        return None
    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def _write_message(pipe, data: bytes) -> None:
    pipe.write(len(data).to_bytes(8, "little"))
    pipe.write(data)
    pipe.flush()


def _read_message(pipe) -> bytes | None:
    """One message, or None if the pipe ended first (its writer died)."""
    head = pipe.read(8)
    if len(head) < 8:
        return None
    size = int.from_bytes(head, "little")
    data = pipe.read(size)
    return data if len(data) == size else None


def _import_renderer(templates: Path | None = None) -> None:
    """In a worker: import the renderer and open the templates before any document arrives."""
    import pipeline.compose  # noqa: F401
    import pipeline.nd30  # noqa: F401  (the contexts hold values of these two: unpickling them would
    import pipeline.render  # noqa: F401  import them after the documents came, ≈ 5 and 9 ms)
    import pipeline.wml  # noqa: F401
    import pipeline.write  # noqa: F401

    if templates is not None:
        from pipeline.paths import APPENDIX_TEMPLATE, PLAN_TEMPLATE

        for name in (PLAN_TEMPLATE, APPENDIX_TEMPLATE):
            try:
                pipeline.render.prototype(templates / name).compile()
            except Exception:  # noqa: BLE001  (a bad template is reported when a document needs it)
                pass


def deal(items: list, n: int, weight: Callable[[Any], int]) -> list[list]:
    """``items`` in at most ``n`` shares of about the same ``weight`` in all (``shares.balance``)."""
    from pipeline.shares import balance

    return [[items[i] for i in group] for group in balance([weight(x) for x in items], n)]


def _render_pickled(templates: Path, shares: list[list[bytes]]) -> list[tuple[int, bytes]]:
    import pickle

    # the build's own pickles of its plan
    return _render_shares(templates, [[pickle.loads(task) for task in share] for share in shares])


def _render_shares(templates: Path, shares: list[list[Task]]) -> list[tuple[int, bytes]]:
    """In a worker: the first share here, each other one in a copy of this process forked now, which
    has the renderer imported and the templates open already (forking it costs a few milliseconds;
    a new worker would import everything again)."""
    others = [_forked(templates, share) for share in shares[1:]]
    out = _render_share(templates, shares[0])
    for collect in others:
        out += collect()
    return out


def _render_share(templates: Path, share: list[Task]) -> list[tuple[int, bytes]]:
    return [made for task in share for made in _render_task(templates, task)]


def _forked(templates: Path, share: list[Task]) -> Callable[[], list[tuple[int, bytes]]]:
    """Render ``share`` in a forked copy of this process; returns how to collect what it made
    (nothing if the copy failed or died: the build then renders those groups itself)."""
    import os
    import pickle

    def here() -> list[tuple[int, bytes]]:
        return _render_share(templates, share)

    parent = os.getpid()
    try:
        read, write = os.pipe()
    except OSError:  # no descriptor left: this process renders the share itself
        return here
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return here
    if pid == 0:  # the copy: its share, pickled into the pipe, then gone without any clean-up of the pool's
        code = 1
        try:
            os.close(read)
            _die_with(parent)
            data = pickle.dumps(here())
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)

    def collect() -> list[tuple[int, bytes]]:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status != 0:
            return []
        return pickle.loads(data)  # our own fork's bytes

    return collect


def _die_with(parent: int) -> None:
    """Be killed when ``parent`` ends, even by SIGKILL; end now if it already has."""
    import ctypes
    import os
    import signal

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


def _render_task(templates: Path, task: Task) -> list[tuple[int, bytes]]:
    """In a worker: one group; nothing if it failed (the build renders it again itself, so the error
    surfaces there with its own message and traceback)."""
    try:
        return render_group(templates, task)
    except Exception:
        return []
