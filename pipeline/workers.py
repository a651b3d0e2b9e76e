"""Rendering a build's documents: here, or spread over forked worker processes.

``render_all`` takes the plan and the indices of the documents to render and
yields each one's bytes. An appendix that is also appended to the plan is
rendered once for both: its own file is stamped and zipped before the same
rendered document is appended to the plan (``render_group``), from prototypes
of the templates where that gives the libraries' bytes (``render.Prototype``).

On Linux, with more than one core, the groups go to forked processes, dealt in
shares of about the same work. ``RenderPool`` forks one worker when a build
starts, before it loads its inputs: while the build's own process imports the
input models, validates and plans, the worker parses the inputs' YAML for it
(``load.read_ahead``), imports the renderer and opens the templates on the core
that would otherwise idle. The plan with its appendices is sent to it as soon
as they are planned (``RenderPool.send_ahead``): it renders them while the
build plans the other documents, then forks a warm copy of itself for each
other core, and the rest is dealt between them. Each group travels as plain
data (``Job``: no input models, so a worker never imports them); only bytes
come back. The worker and its copies die with the build even when it is
killed, and a group they could not make is rendered again here, where its
error surfaces with its own message. The bytes never depend on where a
document was made.
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
    """Processes that render, forked now (Linux): one worker, which imports the renderer and opens
    the templates while this process goes on, then forks warm copies of itself, one for each other
    channel (a copy costs a few milliseconds; a second worker would import everything again).

    Each process serves one channel, a plain pipe each way (``_Channel``): Python's
    ``multiprocessing`` and ``concurrent.futures`` would cost the build's own process 20–40 ms of
    imports and threads before its first input is read. A message is a pickle after its length; a
    channel takes any number of messages of work, then an empty one, and gives back the bytes."""

    def __init__(self, channels: int, templates: Path | None = None, inputs: Path | None = None):
        import os

        for stream in (sys.stdout, sys.stderr):  # a worker would flush its copy of the buffers too
            if stream is not None:
                stream.flush()
        self.channels: list[_Channel] = []
        self.pid = 0
        self.first: int | None = None  # the head index of the group sent ahead
        ends: list[tuple[int, int]] = []  # the processes' side of each channel
        try:
            for _ in range(channels):
                work_read, work_write = _pipe()
                try:
                    back_read, back_write = _pipe()
                except OSError:
                    os.close(work_read)
                    os.close(work_write)
                    raise
                self.channels.append(_Channel(work_write, back_read))
                ends.append((work_read, back_write))
            self.pid = os.fork()
        except OSError:
            for fd in (f for pair in ends for f in pair):
                os.close(fd)
            self.close()
            raise
        if self.pid == 0:  # the worker: nothing of the build's own clean-up may run here, so it ends by os._exit
            code = 1
            try:
                for channel in self.channels:
                    channel.forget()
                _work(os.getppid(), templates, inputs, ends)
                code = 0
            finally:
                os._exit(code)
        for fd in (f for pair in ends for f in pair):
            os.close(fd)
        self.channels[0].ahead = inputs is not None  # the parsed inputs come back first

    @classmethod
    def start(cls, jobs: int | None, templates: Path | None = None, inputs: Path | None = None) -> RenderPool | None:
        """A pool for a build, or None where rendering stays in this process (see ``render_workers``).

        With ``templates`` the pool is forked as a build starts, and this process has work of its own
        until the documents are planned (importing the input models, validating, planning), so a
        single worker is forked: it takes the other core meanwhile. With ``inputs`` it parses that
        folder's YAML first (``load.read_ahead``, see ``read_ahead``), then imports the renderer and
        opens the templates (``render.prototype``), then forks its copies."""
        channels = render_workers(jobs, MIN_PER_WORKER * 1000)
        if channels < 2:  # one core, --jobs 1, or no fork
            return None
        try:
            return cls(channels, templates, inputs)
        except OSError:  # no process can be forked (a process or memory limit): render here
            return None

    @property
    def pids(self) -> list[int]:
        """The worker (its copies are its own children)."""
        return [self.pid] if self.pid else []

    def read_ahead(self) -> dict:
        """The inputs the worker parsed (``load.read_ahead``); empty if it was given none or died."""
        return self.channels[0].read_ahead() if self.channels else {}

    def send_ahead(self, templates: Path, task: Task) -> None:
        """Start on one group (the plan with its appendices: the largest, planned first) while this
        process plans the other documents; ``render`` deals the rest around it."""
        import pickle

        self.channels[0].send.post(pickle.dumps((templates, [pickle.dumps(task)], True)))
        self.first = task[0][0]

    def render(self, templates: Path, tasks: list[Task], meanwhile: Callable[[], None]) -> dict[int, bytes]:
        """The bytes the processes made, by index; ``meanwhile`` runs here in the meantime."""
        import pickle

        from pipeline.shares import balance

        # each group pickled once, here (a group's render time goes with the size of its contexts:
        # 16.7 ms for the plan's 112 kB, 3 ms for 11 kB); the group sent ahead is done or nearly
        # (it renders while this process plans the others), so the rest is dealt evenly
        rest = [pickle.dumps(t) for t in tasks if t[0][0] != self.first]
        for channel, share in zip(self.channels, balance([len(t) for t in rest], len(self.channels))):
            channel.send.post(pickle.dumps((templates, [rest[i] for i in share], False)))
        for channel in self.channels:
            channel.send.post(b"")  # no more work
        meanwhile()
        done: dict[int, bytes] = {}
        for channel in self.channels:  # nothing from a process that died (killed, out of memory) or
            done.update(channel.result())  # failed: what it had not finished is rendered here
        self._reap()
        return done

    def close(self) -> None:
        """End the pool; a worker still running (the build failed) is killed, and its copies with it."""
        import os
        import signal

        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
            self._reap()
        for channel in self.channels:
            channel.close()

    def _reap(self) -> None:
        import os

        if self.pid:
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = 0

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


PIPE_BYTES = 1 << 20  # as much as Linux lets any process give a pipe (/proc/sys/fs/pipe-max-size)


def _pipe() -> tuple[int, int]:
    """A pipe that holds a whole message where the system allows it (``PIPE_BYTES``)."""
    import fcntl
    import os

    read, write = os.pipe()
    try:
        fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except OSError:  # over the user's pipe allowance: as it is
        pass
    return read, write


class _Sender:
    """The writing end of a pipe: messages written without waiting for the reader, at once while
    they fit in the pipe, else by a thread of its own, in order. (A thread's writes would each wait
    for the GIL while this process computes: up to 5 ms for each 64 kB.)"""

    def __init__(self, fd: int):
        import fcntl

        self.fd = fd
        try:
            self.room = fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)
        except OSError:
            self.room = 0
        self.queue = None
        self.thread = None
        self.broken = False  # the reader is gone: nothing more is written

    def post(self, message: bytes) -> None:
        framed = _framed(message)
        if self.queue is None and len(framed) <= self.room:
            self.room -= len(framed)
            self._write(framed)
            return
        if self.queue is None:
            import queue
            import threading

            self.queue = queue.SimpleQueue()
            self.thread = threading.Thread(target=self._drain, daemon=True)
            self.thread.start()
        self.queue.put(framed)

    def flush(self) -> None:
        """Wait until every message is written (or the reader is gone)."""
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.queue = self.thread = None

    def _drain(self) -> None:
        while (framed := self.queue.get()) is not None:
            self._write(framed)

    def _write(self, data: bytes) -> None:
        import os

        view = memoryview(data)
        while view and not self.broken:
            try:
                view = view[os.write(self.fd, view):]
            except OSError:  # the reader is gone: its groups are rendered here
                self.broken = True


class _Channel:
    """The build's side of one channel: a pipe to its process, a pipe back."""

    def __init__(self, work: int, back: int):
        import os

        self.send = _Sender(work)
        self.back = os.fdopen(back, "rb")
        self.ahead = False  # the inputs parsed by the worker come back first

    def forget(self) -> None:
        """In the worker: close the build's ends, inherited by the fork."""
        import os

        os.close(self.send.fd)
        self.send.fd = -1
        self.back.close()

    def read_ahead(self) -> dict:
        import pickle

        if not self.ahead:
            return {}
        self.ahead = False
        message = _read_message(self.back)
        return pickle.loads(message) if message else {}  # our own worker's pickle

    def result(self) -> list[tuple[int, bytes]]:
        """What the process made; nothing if it died or failed."""
        import pickle

        self.send.flush()  # everything is written (or the process is gone)
        self.read_ahead()  # if nobody asked for it, it is still in the way
        message = _read_message(self.back)
        return pickle.loads(message) if message else []  # our own worker's bytes

    def close(self) -> None:
        """After the process has ended (its pipe's writes end with it)."""
        import os

        self.send.flush()
        if self.send.fd >= 0:
            os.close(self.send.fd)
            self.send.fd = -1
        self.back.close()


def _work(parent: int, templates: Path | None, inputs: Path | None, ends: list[tuple[int, int]]) -> None:
    """The worker's life: die with the build (even by SIGKILL: a process waiting on its pipe would
    otherwise wait for ever); parse the inputs, if given, and send them back without waiting for the
    build to read them (it does when its models are ready); import the renderer and open the
    templates; serve the first channel, forking a copy of itself for each other channel when its
    first work comes, or once it has rendered the group sent ahead: the first render of each
    template costs more (≈ 25 ms in all), and a copy forked then has it behind it."""
    import os
    import pickle

    _die_with(parent)
    (work, back), others = ends[0], ends[1:]
    if inputs is not None:
        from pipeline.load import read_ahead

        parsed = _Sender(back)
        parsed.post(pickle.dumps(read_ahead(inputs)))
    _import_renderer(templates)
    if inputs is not None:
        parsed.flush()  # before any fork: a copy must not inherit a thread halfway through a write
    me = os.getpid()
    forked = not others

    def fork_copies() -> None:  # once: later calls do nothing
        nonlocal forked
        if forked:
            return
        forked = True
        for k, (copy_work, copy_back) in enumerate(others):
            if os.fork() == 0:  # the copy: the channel k + 1 only
                code = 1
                try:
                    for fd in (work, back, *(f for pair in others[k + 1:] for f in pair)):
                        os.close(fd)
                    _die_with(me)
                    _serve(copy_work, copy_back)
                    code = 0
                finally:
                    os._exit(code)
            os.close(copy_work)
            os.close(copy_back)

    _serve(work, back, fork_copies)
    for _ in others:  # the worker ends after its copies, so the build waits for one process only
        try:
            os.wait()
        except ChildProcessError:
            break


def _serve(work: int, back: int, fork: Callable[[], None] = lambda: None) -> None:
    """One channel: render each message's groups as it comes, until the empty one; then the bytes.
    ``fork`` (the worker's copies; it acts once) is called after the group sent ahead, else before
    any work, and at the end at the latest."""
    import os
    import pickle

    made: list[tuple[int, bytes]] = []
    with os.fdopen(work, "rb") as pipe:
        while True:
            message = _read_message(pipe)
            if message is None:
                return  # the build ended first
            if not message:
                break
            templates, tasks, ahead = pickle.loads(message)  # our own build's pickle of its plan
            if not ahead:
                fork()
            made += _render_share(templates, [pickle.loads(t) for t in tasks])
            fork()
    fork()
    with os.fdopen(back, "wb") as pipe:
        _write_message(pipe, pickle.dumps(made))


def _framed(data: bytes) -> bytes:
    """A message as it goes through a pipe: its length (8 bytes), then itself (``_read_message``)."""
    return len(data).to_bytes(8, "little") + data


def _write_message(pipe, data: bytes) -> None:
    pipe.write(_framed(data))
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


def _render_share(templates: Path, share: list[Task]) -> list[tuple[int, bytes]]:
    return [made for task in share for made in _render_task(templates, task)]


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
