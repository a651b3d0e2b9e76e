"""The build: load → validate → lint → plan → render → compose → write.

``prepare`` does everything in memory: ``plan.plan_build`` lists the documents
to make and ``make_documents`` (the one render loop) returns the bytes of
every output; nothing touches the output folder until all documents are
rendered, so invalid inputs or a template error leave ``outputs/`` exactly as
it was. ``write_outputs`` (``commit.py``) then commits them all or none;
``check_build`` is the ``--check`` mode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from pipeline.paths import PROJECT_ROOT, templates_dir  # noqa: F401  (PROJECT_ROOT: commune_folder's)
from pipeline.paths import has_own_templates
from pipeline.write import atomic_write

if TYPE_CHECKING:  # the heavy stages are imported when a build really renders
    from pipeline.inputs import Inputs
    from pipeline.plan import DocPlan
    from pipeline.workers import RenderPool


@dataclass
class Built:
    path: str  # relative to the output folder, with '/' separators
    data: bytes
    title: str  # what the office calls it
    source: str = ""  # the document's key: the hash of what it is made from (incremental.document_keys)
    rendered: bool = True  # False: kept from the outputs folder, its key unchanged


Keep = Callable[[str, str], "bytes | None"]  # (path, key) → bytes to keep instead of rendering, or None


def make_documents(plan: list[DocPlan], templates: Path, keys: list[str] | None = None,
                   keep: Keep | None = None, jobs: int | None = 1,
                   meanwhile: Callable[[], None] | None = None, pool: RenderPool | None = None) -> list[Built]:
    """The one render loop: render each planned document, append its parts, stamp it, zip it.

    With ``keys`` (one per document) and ``keep``, a document whose key ``keep`` vouches for
    is taken from disk instead (see ``incremental.py``). ``jobs`` > 1 (None: one per core)
    spreads the rendering over forked processes where the system has ``fork``; the bytes are
    the same either way, and the list is in plan order. ``meanwhile`` (the lint gate) runs in this
    process while the workers render, or before rendering when there are none; if it raises,
    nothing rendered is kept. ``pool``: workers forked when the build started (``workers.RenderPool``).
    """
    out: list[Built | None] = [None] * len(plan)
    todo = []
    for i, doc in enumerate(plan):
        key = keys[i] if keys else ""
        kept = keep(doc.path, key) if keep and key else None
        if kept is not None:
            out[i] = Built(doc.path, kept, doc.label, key, rendered=False)
        else:
            todo.append(i)
    from pipeline.workers import render_all

    for i, data in render_all(plan, templates, todo, jobs, meanwhile or (lambda: None), pool):
        out[i] = Built(plan[i].path, data, plan[i].label, keys[i] if keys else "")
    return out  # type: ignore[return-value]  (every slot is filled)


def build_documents(inputs: Inputs, templates: Path | None = None, keep: Keep | None = None,
                    jobs: int | None = None, meanwhile: Callable[[], None] | None = None,
                    pool: RenderPool | None = None) -> list[Built]:
    """Every output of ``inputs``, in memory, each with its key; ``keep`` may spare unchanged ones the
    render; ``meanwhile`` runs while the documents render (see ``make_documents``)."""
    from pipeline import __version__
    from pipeline.incremental import document_keys
    from pipeline.plan import plan_build

    templates = Path(templates) if templates else templates_dir(inputs.root)

    def first(docs: list[DocPlan]) -> None:  # nothing may be kept: the plan's group is rendered anyway
        if pool is not None and keep is None:
            from pipeline.workers import task_of

            pool.send_ahead(templates, task_of(docs, list(range(len(docs)))))

    try:
        plan = plan_build(inputs, first)
    except Exception:
        if meanwhile:  # an input the lint rejects is reported as the lint says, not as planning failed
            meanwhile()
        raise
    if keep is not None:
        return make_documents(plan, templates, document_keys(plan, templates, __version__), keep, jobs, meanwhile,
                              pool)
    # nothing may be kept (a first build, other code): the keys are worked out while the documents render
    keys: list[str] = []

    def then() -> None:
        keys.extend(document_keys(plan, templates, __version__))
        if meanwhile:
            meanwhile()

    built = make_documents(plan, templates, None, None, jobs, then, pool)
    for b, key in zip(built, keys):
        b.source = key
    return built


def prepare(inputs_dir: Path, strict: bool, keep: Keep | None = None,
            jobs: int | None = None, pool: RenderPool | None = None) -> tuple[list[Built], list]:
    """load → validate → lint → plan → render, in memory: the outputs and the lint's warnings.

    Every input is loaded, validated and linted even when ``keep`` spares documents the render.
    The lint runs here while forked workers render; its error stops the build all the same."""
    from pipeline.lint import lint_gate
    from pipeline.validate import load_inputs

    inputs = load_inputs(inputs_dir, pool.read_ahead if pool is not None else None)
    findings: list = []

    def gate() -> None:
        findings.extend(lint_gate(inputs, strict))

    return build_documents(inputs, keep=keep, jobs=jobs, meanwhile=gate, pool=pool), findings


from pipeline.commit import compare_outputs, write_outputs  # noqa: E402,F401  (the write stage's commit)


@dataclass
class BuildResult:
    built: list[tuple[str, str]]  # (path, title) of every output
    changed: list[str]  # written or removed
    warnings: list  # lint findings that did not stop the build (as text when nothing was rendered)
    unchanged_sources: bool = False  # nothing rendered: the manifest says the sources are as built
    rendered: list[str] = field(default_factory=list)  # outputs rendered by this build (the others were kept)
    reason: str | None = None  # why documents changed when vanban, not the inputs, changed them


def key_file(out_dir: Path) -> Path:
    """Where this machine remembers what the last full build into ``out_dir`` was made from.

    Kept in the user's cache folder, not in ``outputs/``: it is local state, not a document.
    """
    import hashlib
    import os

    base = os.environ.get("VANBAN_CACHE") or os.environ.get("LOCALAPPDATA") or os.environ.get("XDG_CACHE_HOME") \
        or str(Path.home() / ".cache")
    name = hashlib.sha256(str(Path(out_dir).resolve()).encode()).hexdigest()[:24]
    return Path(base) / "vanban" / f"{name}.key"


def build_key(sources: dict, code: str | None = None) -> str:
    """The sources' digest together with a digest of vanban's own code and data files (and libraries)."""
    import hashlib

    from pipeline.incremental import code_digest

    return hashlib.sha256(f"{sources['digest']}\n{code or code_digest()}".encode()).hexdigest()


def check_build(inputs_dir: Path, out_dir: Path, strict: bool = False) -> tuple[list[Built], dict[str, list[str]]]:
    """``build --check``: the outputs built in memory, and those missing or different on disk."""
    from pipeline import manifest as mf

    built, _ = prepare(inputs_dir, strict)
    return built, compare_outputs(built, out_dir, mf.sources_for(inputs_dir))


def up_to_date(inputs_dir: Path, out_dir: Path, sources: dict,
               code: str | None = None) -> tuple[list[tuple[str, str]], list[str]] | None:
    """(outputs, the lint warnings of that build) when this very code built them from exactly
    these sources and nobody touched them; None otherwise."""
    from pipeline import manifest as mf

    key = key_file(out_dir)
    lines = key.read_text(encoding="utf-8").splitlines() if key.is_file() else []
    if not lines or lines[0].strip() != build_key(sources, code):
        return None
    recorded = mf.read(out_dir)
    if not recorded or recorded.get("sources") != sources["files"] or recorded.get("vanban") != sources["vanban"]:
        return None
    outs = recorded["outputs"]
    for rel, entry in outs.items():
        target = mf.inside(out_dir, rel)  # None: an entry leaving the folder (a full build warns of it)
        if target is None or not isinstance(entry, dict) or not target.is_file() \
                or mf.file_sha256(target) != entry.get("output"):
            return None
    return [(rel, entry.get("title", "")) for rel, entry in outs.items()], lines[1:]


def run_build(inputs_dir: Path, out_dir: Path, strict: bool = False, force: bool = False,
              jobs: int | None = None) -> BuildResult:
    """One commune: load → lint → build → write. Raises InputErrors / RefusedOverwrite, writing nothing then.

    When the manifest shows the outputs were built from these very sources and
    nobody touched them, nothing is loaded or rendered (a repeat build). Otherwise
    every input is loaded and linted, and only the documents whose key changed are
    rendered (``incremental.py``); the others are kept as they are on disk.
    """
    from pipeline import incremental
    from pipeline import manifest as mf

    sources = mf.sources_for(inputs_dir)
    code = incremental.code_digest()
    key = key_file(out_dir)
    if not (strict or force):
        same = up_to_date(inputs_dir, out_dir, sources, code)
        if same is not None:
            outputs, warnings = same
            return BuildResult(outputs, [], warnings, unchanged_sources=True)
    from pipeline.workers import RenderPool

    # a worker parses the inputs, then the workers import the renderer and open the templates, while
    # this process imports the input models, then validates and plans
    pool = RenderPool.start(jobs, templates_dir(inputs_dir), inputs_dir)
    try:
        built, findings = prepare(inputs_dir, strict, keep=incremental.reuser(out_dir, key, code), jobs=jobs,
                                  pool=pool)
    finally:
        if pool is not None:
            pool.close()
    previous = mf.read(out_dir)
    incremental.forget(key)
    changed = write_outputs(built, out_dir, sources, force=force)
    reason = mf.why_changed(previous, sources, changed, has_own_templates(inputs_dir))
    try:
        remembered = [build_key(sources, code)] + [f.format().replace("\n", " ") for f in findings]
        atomic_write(key, ("\n".join(remembered) + "\n").encode("utf-8"))
        incremental.remember(key, code, (Path(out_dir) / mf.MANIFEST_NAME).read_bytes())
    except OSError:
        pass  # no cache folder: the next build simply renders again
    return BuildResult([(b.path, b.title) for b in built], changed, findings, reason=reason,
                       rendered=[b.path for b in built if b.rendered])
