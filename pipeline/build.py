"""The build: load → validate → context → render → compose → write.

``build_documents`` does everything in memory and returns the bytes of every
output; nothing touches the output folder until all documents are rendered,
so invalid inputs or a template error leave ``outputs/`` exactly as it was.
``write_outputs`` (``commit.py``) then commits them all or none; ``compare_outputs``
is the ``--check`` mode.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from pipeline.textutil import lower_first, slug
from pipeline.write import atomic_write

if TYPE_CHECKING:  # the heavy stages are imported when a build really renders
    from pipeline import model as m
    from pipeline.validate import Inputs

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLAN_TEMPLATE = "kh_ubnd.docx"
APPENDIX_TEMPLATE = "phu_luc/phu_luc.docx"
SUBPLAN_DIR = "ke-hoach-con"
REPORT_DIR = "bao-cao"
APPENDIX_DIR = "phu-luc"


@dataclass
class Built:
    path: str  # relative to the output folder, with '/' separators
    data: bytes
    title: str  # what the office calls it


def bundled_templates() -> Path:
    """vanban's own templates: ``pipeline/templates`` in an installed package (the wheel
    carries the repository's ``templates/`` there), else ``templates/`` of this checkout."""
    from importlib import resources

    packaged = resources.files("pipeline").joinpath("templates")
    if isinstance(packaged, Path) and (packaged / PLAN_TEMPLATE).is_file():
        return packaged
    return PROJECT_ROOT / "templates"


def templates_dir(inputs_dir: Path) -> Path:
    """``templates/`` beside the inputs when a commune has its own, else the bundled one."""
    own = Path(inputs_dir).resolve().parent / "templates"
    return own if (own / PLAN_TEMPLATE).exists() else bundled_templates()


def has_own_templates(inputs_dir: Path) -> bool:
    """Whether the commune has its own templates (a change to them is the commune's, not vanban's)."""
    return templates_dir(inputs_dir).resolve() != bundled_templates().resolve()


def _stamp(document, title: str, author: str, date: m.IssueDate) -> None:
    """Fixed, meaningful core properties (python-docx would otherwise keep the template's)."""
    from pipeline import wml

    when = dt.datetime(date.year, date.month, date.day or 1, 7, 0, 0)
    cp = document.core_properties
    cp.title = title
    cp.author = author
    cp.created = when
    cp.modified = when
    wml.set_core(document, lastModifiedBy=author, revision="1")  # by full name: see wml.set_core
    cp.comments = "Tạo bởi vanban theo Nghị định 30/2020/NĐ-CP"


def _file_stem(doc: m.DocumentSpec) -> str:
    return doc.output or slug(doc.id)


def build_documents(inputs: Inputs, templates: Path | None = None) -> list[Built]:
    from pipeline import nd30
    from pipeline.compose import compose
    from pipeline.context import Writer
    from pipeline.render import render
    from pipeline.write import docx_bytes

    templates = Path(templates) if templates else templates_dir(inputs.root)
    writer = Writer(inputs)
    author = inputs.commune.agency.full_name
    plan = inputs.plan
    out: list[Built] = []

    appendix_docs = []
    for i, app in enumerate(inputs.appendices):
        ctx = writer.appendix(i)
        doc = render(templates / APPENDIX_TEMPLATE, ctx)
        title = f"{ctx['app']['label']}: {app.title}"
        _stamp(doc, title, author, plan.date)
        label = ctx["app"]["label"].replace("Phụ lục", "phu-luc").replace(" ", "-")
        out.append(Built(f"{APPENDIX_DIR}/{label}-{slug(app.id)}.docx", docx_bytes(doc), title))
        appendix_docs.append(doc)

    plan_doc = render(templates / PLAN_TEMPLATE, writer.document(plan))
    compose(plan_doc, appendix_docs)
    plan_title = f"Kế hoạch {plan.summary}"
    _stamp(plan_doc, plan_title, author, plan.date)
    out.insert(0, Built(f"{_file_stem(plan)}.docx", docx_bytes(plan_doc), plan_title + " (kèm các phụ lục)"))

    for sp in inputs.subplans:
        doc = render(templates / PLAN_TEMPLATE, writer.document(sp))
        title = f"{nd30.type_name(sp.kind)} {sp.summary}"
        _stamp(doc, title, author, sp.date)
        out.append(Built(f"{SUBPLAN_DIR}/{_file_stem(sp)}.docx", docx_bytes(doc), title))

    from pipeline.reports import plan_reports

    for rep in plan_reports(inputs):
        spec = writer.report_document(rep)
        doc = render(templates / PLAN_TEMPLATE, writer.document(spec, report=rep))
        annex = render(templates / APPENDIX_TEMPLATE, writer.report_annex(rep, spec))
        compose(doc, [annex])
        title = f"Báo cáo {lower_first(spec.summary)}"
        _stamp(doc, title, author, spec.date)
        name = f"{rep.due:%Y-%m}-{slug(rep.kind.id)}-{slug(rep.period.code)}.docx"
        out.append(Built(f"{REPORT_DIR}/{name}", docx_bytes(doc), title))
    return out


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
    from pipeline.lint import lint_gate
    from pipeline.validate import load_inputs

    inputs = load_inputs(inputs_dir)
    findings = lint_gate(inputs, strict)
    built = build_documents(inputs)
    previous = mf.read(out_dir)
    changed = write_outputs(built, out_dir, sources, force=force)
    reason = mf.why_changed(previous, sources, changed, has_own_templates(inputs_dir))
    try:
        remembered = [build_key(sources)] + [f.format().replace("\n", " ") for f in findings]
        atomic_write(key_file(out_dir), ("\n".join(remembered) + "\n").encode("utf-8"))
    except OSError:
        pass  # no cache folder: the next build simply renders again
    return BuildResult([(b.path, b.title) for b in built], changed, findings, reason=reason)
