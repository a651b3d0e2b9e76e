"""The build: load → validate → lint → plan → render → compose → write.

``prepare`` does everything in memory: ``plan.plan_build`` lists the documents
to make and ``make_documents`` (the one render loop) returns the bytes of
every output; nothing touches the output folder until all documents are
rendered, so invalid inputs or a template error leave ``outputs/`` exactly as
it was. ``write_outputs`` (``commit.py``) then commits them all or none;
``check_build`` is the ``--check`` mode.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.paths import PROJECT_ROOT, has_own_templates, templates_dir  # noqa: F401  (PROJECT_ROOT: commune_folder's)
from pipeline.write import atomic_write

if TYPE_CHECKING:  # the heavy stages are imported when a build really renders
    from pipeline.inputs import Inputs
    from pipeline.plan import DocPlan


@dataclass
class Built:
    path: str  # relative to the output folder, with '/' separators
    data: bytes
    title: str  # what the office calls it


def _stamp(document, doc: DocPlan) -> None:
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


def make_documents(plan: list[DocPlan], templates: Path) -> list[Built]:
    """The one render loop: render each planned document, append its parts, stamp it, zip it."""
    from pipeline.compose import compose
    from pipeline.render import render
    from pipeline.write import docx_bytes

    out = []
    for doc in plan:
        document = render(templates / doc.body.template, doc.body.context)
        if doc.appended:
            compose(document, [render(templates / p.template, p.context) for p in doc.appended])
        _stamp(document, doc)
        out.append(Built(doc.path, docx_bytes(document), doc.label))
    return out


def build_documents(inputs: Inputs, templates: Path | None = None) -> list[Built]:
    """Every output of ``inputs``, in memory."""
    from pipeline.plan import plan_build

    return make_documents(plan_build(inputs), Path(templates) if templates else templates_dir(inputs.root))


def prepare(inputs_dir: Path, strict: bool) -> tuple[list[Built], list]:
    """load → validate → lint → plan → render, in memory: the outputs and the lint's warnings."""
    from pipeline.lint import lint_gate
    from pipeline.validate import load_inputs

    inputs = load_inputs(inputs_dir)
    findings = lint_gate(inputs, strict)
    return build_documents(inputs), findings


from pipeline.commit import compare_outputs, write_outputs  # noqa: E402,F401  (the write stage's commit)


@dataclass
class BuildResult:
    built: list[tuple[str, str]]  # (path, title) of every output
    changed: list[str]  # written or removed
    warnings: list  # lint findings that did not stop the build (as text when nothing was rendered)
    unchanged_sources: bool = False  # nothing rendered: the manifest says the sources are as built
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


def build_key(sources: dict) -> str:
    """The sources' digest together with a digest of vanban's own code and data files."""
    import hashlib

    h = hashlib.sha256(sources["digest"].encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".yaml", ".txt"):
            h.update(path.relative_to(package).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def check_build(inputs_dir: Path, out_dir: Path, strict: bool = False) -> tuple[list[Built], dict[str, list[str]]]:
    """``build --check``: the outputs built in memory, and those missing or different on disk."""
    from pipeline import manifest as mf

    built, _ = prepare(inputs_dir, strict)
    return built, compare_outputs(built, out_dir, mf.sources_for(inputs_dir))


def up_to_date(inputs_dir: Path, out_dir: Path, sources: dict) -> tuple[list[tuple[str, str]], list[str]] | None:
    """(outputs, the lint warnings of that build) when this very code built them from exactly
    these sources and nobody touched them; None otherwise."""
    from pipeline import manifest as mf

    key = key_file(out_dir)
    lines = key.read_text(encoding="utf-8").splitlines() if key.is_file() else []
    if not lines or lines[0].strip() != build_key(sources):
        return None
    recorded = mf.read(out_dir)
    if not recorded or recorded.get("sources") != sources["files"] or recorded.get("vanban") != sources["vanban"]:
        return None
    outs = recorded["outputs"]
    for rel, entry in outs.items():
        target = mf.inside(out_dir, rel)  # None: an entry leaving the folder (a full build warns of it)
        if target is None or not isinstance(entry, dict) or entry.get("source") != sources["digest"] \
                or not target.is_file() or mf.file_sha256(target) != entry.get("output"):
            return None
    return [(rel, entry.get("title", "")) for rel, entry in outs.items()], lines[1:]


def run_build(inputs_dir: Path, out_dir: Path, strict: bool = False, force: bool = False) -> BuildResult:
    """One commune: load → lint → build → write. Raises InputErrors / RefusedOverwrite, writing nothing then.

    When the manifest shows the outputs were built from these very sources and
    nobody touched them, nothing is loaded or rendered (a repeat build).
    """
    from pipeline import manifest as mf

    sources = mf.sources_for(inputs_dir)
    if not (strict or force):
        same = up_to_date(inputs_dir, out_dir, sources)
        if same is not None:
            outputs, warnings = same
            return BuildResult(outputs, [], warnings, unchanged_sources=True)
    built, findings = prepare(inputs_dir, strict)
    previous = mf.read(out_dir)
    changed = write_outputs(built, out_dir, sources, force=force)
    reason = mf.why_changed(previous, sources, changed, has_own_templates(inputs_dir))
    try:
        remembered = [build_key(sources)] + [f.format().replace("\n", " ") for f in findings]
        atomic_write(key_file(out_dir), ("\n".join(remembered) + "\n").encode("utf-8"))
    except OSError:
        pass  # no cache folder: the next build simply renders again
    return BuildResult([(b.path, b.title) for b in built], changed, findings, reason=reason)
