"""The build, as one straight line: inputs → plan → render (lint and keys meanwhile) → output.

``run_build`` is what ``vanban build`` does for one commune:

1. if the outputs were built from these very sources by this very code and nobody touched them,
   stop (``reuse.up_to_date``);
2. start the render pool (``render.pool.make_pool``: its workers warm up while this process goes on);
3. ``render_documents``: load and validate the inputs; plan every document; take from disk the
   documents whose key is unchanged (``reuse.reuser``); submit the others to the pool; while they
   render, key them and lint the inputs (a lint error stops the build here, nothing kept); collect;
4. commit every output at once, or none (``output.commit.write_outputs``), and remember the build.

Nothing touches the outputs folder before step 4, so invalid inputs or a template error leave it
exactly as it was. ``check_build`` is ``build --check``: steps 2–3, then a comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.paths import has_own_templates, templates_dir

if TYPE_CHECKING:
    from pipeline.errors import InputIssue
    from pipeline.inputs.validated import Inputs
    from pipeline.plan.documents import DocPlan
    from pipeline.render.pool import SerialPool
    from pipeline.build.reuse import Keep
    from pipeline.output.issued import Issue


@dataclass
class Built:
    path: str  # relative to the output folder, with '/' separators
    data: bytes
    title: str  # what the office calls it
    source: str = ""  # the document's key: the hash of what it is made from (render.keys.document_keys)
    rendered: bool = True  # False: kept from the outputs folder, its key unchanged
    held: str = ""  # "issued" or "edited": the build does not write it (output.issued, output.commit)
    entry: dict | None = None  # the manifest entry of a held document


@dataclass
class BuildResult:
    built: list[tuple[str, str]]  # (path, title) of every output
    changed: list[str]  # written or removed
    warnings: list  # lint findings that did not stop the build (as text when nothing was rendered)
    unchanged_sources: bool = False  # nothing rendered: the manifest says the sources are as built
    rendered: list[str] = field(default_factory=list)  # outputs rendered by this build (the others were kept)
    reason: str | None = None  # why documents changed when vanban, not the inputs, changed them
    kept: list[str] = field(default_factory=list)  # outputs edited by hand, kept as they are (not written)
    stale: list[str] = field(default_factory=list)  # issued documents the inputs now say otherwise (kept as issued)
    missing: list[str] = field(default_factory=list)  # issued documents no longer on disk as issued (not written)


def render_documents(inputs: Inputs, pool: SerialPool, keep: Keep | None = None,
                     strict: bool | None = False) -> tuple[list[Built], list[InputIssue]]:
    """Every output of validated ``inputs``, in memory and in plan order, with the lint's warnings.

    ``keep`` (path, key) → bytes spares a document the render; ``strict`` None: no lint."""
    from pipeline import __version__
    from pipeline.lint.linter import lint_gate
    from pipeline.render.group import groups, task_of
    from pipeline.render.keys import document_keys

    plan = _plan(inputs, strict)
    keys = document_keys(plan, pool.templates, __version__) if keep is not None else []
    kept = {i: data for i, doc in enumerate(plan) if keys[i] and (data := keep(doc.path, keys[i])) is not None} \
        if keep is not None else {}
    pool.submit([task_of(plan, g) for g in groups(plan, [i for i in range(len(plan)) if i not in kept])])
    keys = keys or document_keys(plan, pool.templates, __version__)  # while the documents render
    findings = lint_gate(inputs, strict) if strict is not None else []  # likewise; its error stops the build
    made = pool.collect()
    return [Built(doc.path, kept[i] if i in kept else made[i], doc.label, keys[i], rendered=i not in kept)
            for i, doc in enumerate(plan)], findings


MAX_DOCUMENTS = 1000  # a five-year plan with monthly reports of every kind stays well under it


def _plan(inputs: Inputs, strict: bool | None) -> list[DocPlan]:
    """The documents to make. Inputs the lint rejects are reported as the lint says, even when
    they also stop the planning; a set larger than any commune's is refused with its count, before
    anything is rendered (a mistyped year in the plan's period would otherwise write thousands)."""
    from pipeline.errors import InputErrors, InputIssue
    from pipeline.lint.linter import lint_gate
    from pipeline.plan.documents import plan_build

    try:
        plan = plan_build(inputs)
    except Exception:
        if strict is not None:
            lint_gate(inputs, strict)
        raise
    if len(plan) > MAX_DOCUMENTS:
        source = inputs.sources["plan"]
        line, column = source.locate(("period",))
        raise InputErrors([InputIssue(
            source.file, line, column, "period",
            f"dữ liệu này sinh ra {len(plan):,} văn bản".replace(",", ".") +
            f", nhiều hơn mọi bộ văn bản của một xã (giới hạn {MAX_DOCUMENTS}); không ghi gì",
            rule="too-many-documents",
            fix="kiểm tra kỳ của kế hoạch (period: start, end) và kỳ của các loại báo cáo")])
    return plan


def build_documents(inputs: Inputs, templates: Path | None = None, jobs: int | None = 1) -> list[Built]:
    """The documents of validated ``inputs`` in memory, without the lint (tests and tools)."""
    from pipeline.render.pool import make_pool

    with make_pool(Path(templates) if templates else templates_dir(inputs.root), jobs) as pool:
        return render_documents(inputs, pool, strict=None)[0]


def check_build(inputs_dir: Path, out_dir: Path, strict: bool = False,
                jobs: int | None = None) -> tuple[list[Built], dict[str, list[str]]]:
    """``build --check``: the outputs built in memory, and those missing or different on disk."""
    from pipeline.inputs.validate import load_inputs
    from pipeline.output import manifest as mf
    from pipeline.output.commit import compare_outputs
    from pipeline.render.pool import make_pool

    from pipeline.output.issued import freeze, records

    with make_pool(templates_dir(inputs_dir), jobs) as pool:
        built, _ = render_documents(load_inputs(inputs_dir), pool, strict=strict)
    previous = mf.read(out_dir)
    built = freeze(built, out_dir, previous)[0]
    return built, compare_outputs(built, out_dir, mf.sources_for(inputs_dir), records(previous, out_dir))


def run_build(inputs_dir: Path, out_dir: Path, strict: bool = False, force: bool = False,
              jobs: int | None = None, issue: Issue | None = None) -> BuildResult:
    """One commune: inputs → plan → render → output. Raises InputErrors, writing nothing then.
    Issued documents stay as issued and outputs edited by hand are kept (unless ``force``); both are
    named in the result. ``jobs``: processes that render (None: one per core); ``issue``: record a
    document as issued in the same commit (``vanban issue``)."""
    from pipeline.build import reuse
    from pipeline.output import manifest as mf
    from pipeline.output.issued import freeze
    from pipeline.render.keys import code_digest
    from pipeline.render.pool import make_pool

    sources = mf.sources_for(inputs_dir)
    code = code_digest()
    if not (strict or force or issue):
        same = reuse.up_to_date(inputs_dir, out_dir, sources, code)
        if same is not None:
            return BuildResult(same[0], [], same[1], unchanged_sources=True)
    key = reuse.key_file(out_dir)
    with make_pool(templates_dir(inputs_dir), jobs) as pool:  # its workers warm up while the inputs load
        from pipeline.inputs.validate import load_inputs

        built, findings = render_documents(load_inputs(inputs_dir), pool, reuse.reuser(out_dir, key, code), strict)
    from pipeline.output.commit import commit_outputs

    previous = mf.read(out_dir)
    built, stale, missing = freeze(built, out_dir, previous)
    reuse.forget(key)
    changed, kept = commit_outputs(built, out_dir, sources, force=force, issue=issue)
    reuse.remember(key, sources, code, findings, out_dir)
    return BuildResult([(b.path, b.title) for b in built], changed, findings,
                       reason=mf.why_changed(previous, sources, changed, has_own_templates(inputs_dir)),
                       rendered=[b.path for b in built if b.rendered], kept=kept, stale=stale, missing=missing)
