"""One render job: a document with its appended parts, stamped and zipped (``render_group``).

An appendix that is also appended to the plan is rendered once for both: its own file is stamped
and zipped before the same rendered document is appended to the plan. Rendered from prototypes of
the templates where that gives the libraries' bytes (``template.Prototype``), else through
python-docx and docxcompose. A ``Task`` is plain data (no input models), so it can be pickled to a
worker that never imports them; the bytes never depend on where a task was rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from pipeline.plan.documents import DocPlan


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

    from pipeline.decree import wml

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
    python-docx and docxcompose; ``direct=False`` always takes the second way. The templates of one
    task spend one budget of steps, sizes and time (``limits.budget``)."""
    from pipeline.render.limits import budget

    with budget():
        made = _render_direct(templates, task) if direct else None
        return made if made is not None else _render_documents(templates, task)


def _render_documents(templates: Path, task: Task) -> list[tuple[int, bytes]]:
    from pipeline.render.compose import compose  # imported only when something is rendered
    from pipeline.render.template import render
    from pipeline.ooxml.package import docx_bytes

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
    from pipeline.render.compose import appends_plainly, concatenate, renumbers
    from pipeline.render.template import prototype

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
    from pipeline.ooxml.package import Deflated, zip_entries

    constant = _once(proto, Deflated, lambda: {name: Deflated.of(data) for name, data in proto.constant.items()})
    return zip_entries({**proto.entries(body), **constant})


def _styles(proto):
    """``compose.Styles`` of a prototype's template."""
    from pipeline.render.compose import Styles

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
