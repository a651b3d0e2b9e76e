"""The plan of a build — every document to make, in the order it is listed.

As MkDocs plans its pages before rendering any, ``plan_build`` turns the
validated inputs into a list of ``DocPlan``: where the file goes, its title,
its date, the template and context of its body and the parts appended to it
(each in its own section). ``build.run.render_documents`` hands them to the
render pool; ``build``, ``build --check``, batches and
``--pdf`` all start from this list.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.inputs import model as m
from pipeline.decree import forms as nd30
from pipeline.plan.context import appendix_context, appendix_grid, document_context
from pipeline.plan.firstuse import FirstUse, spell_out
from pipeline.inputs.validated import Inputs
from pipeline.paths import APPENDIX_TEMPLATE, PLAN_TEMPLATE
from pipeline.errors import InputErrors, InputIssue
from pipeline.inputs import outnames
from pipeline.inputs.load import format_path
from pipeline.inputs.outnames import file_stem
from pipeline.inputs.textrefs import Refs
from pipeline.plan.report_context import report_annexes, report_context, report_document
from pipeline.plan.report_kinds import plan_reports
from pipeline.decree.vietnamese import lower_first, slug

SUBPLAN_DIR = "ke-hoach-con"
REPORT_DIR = "bao-cao"
APPENDIX_DIR = "phu-luc"


@dataclass(frozen=True)
class Part:
    """A template (relative to the templates folder) and the context to fill it with."""

    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class DocPlan:
    """One output file to make."""

    path: str  # relative to the output folder, with '/' separators
    title: str  # the core property 'title'
    label: str  # what the office calls it (listings, manifest)
    date: m.IssueDate  # the document's own date: its core properties take it
    author: str
    body: Part
    appended: list[Part] = field(default_factory=list)


def plan_build(inputs: Inputs) -> list[DocPlan]:
    """Every document the inputs call for: the plan with its appendices, each appendix alone,
    the sub-plans, the reports."""
    refs = Refs(inputs)
    author = inputs.commune.agency.full_name
    grid = appendix_grid(refs) if inputs.appendices else None  # one grid for all the appendices
    short = inputs.commune.abbreviations
    appendices = [spelled_out(_appendix(refs, i, author, grid), short) for i in range(len(inputs.appendices))]
    plan = inputs.plan
    title = f"Kế hoạch {plan.summary}"
    # the plan carries its appendices as they are printed alone (each spells out its own short forms, as
    # one may be read without the plan), so that each is rendered once for both (``render.group``)
    body = spelled_out(DocPlan("", "", "", plan.date, author, Part(PLAN_TEMPLATE, document_context(refs, plan))),
                       short).body
    whole = DocPlan(f"{file_stem(plan)}.docx", title, title + " (kèm các phụ lục)", plan.date, author,
                    body, [a.body for a in appendices])
    reports = plan_reports(inputs)
    planned = [whole, *appendices, *(spelled_out(_subplan(refs, sp, author), short) for sp in inputs.subplans),
               *(spelled_out(_report(refs, rep, author), short) for rep in reports)]
    check_paths(inputs, planned, _origins(inputs, reports))
    return planned


def spelled_out(doc: DocPlan, abbreviations: dict[str, str]) -> DocPlan:
    """``doc`` with each short form spelled out at its first use in the document (``firstuse``): in its
    body, and in its appended parts after it (a report's annex keeps what its body spelled out)."""
    if not abbreviations:
        return doc
    first = FirstUse(abbreviations)
    return replace(doc, body=Part(doc.body.template, spell_out(doc.body.context, first)),
                   appended=[Part(p.template, spell_out(p.context, first)) for p in doc.appended])


def _origins(inputs: Inputs, reports: list) -> list[tuple[str, tuple]]:
    """Where the name of each planned document comes from (file key, field), in ``plan_build``'s order."""
    def named(doc: m.DocumentSpec) -> tuple:
        return ("output",) if doc.output else ("id",)

    kind_keys = {id(kind): key for key, kind in zip(inputs.report_keys, inputs.report_kinds)}
    return [("plan", named(inputs.plan)), *(("appendices", ("appendices", i, "id")) for i in range(len(inputs.appendices))),
            *((key, named(sp)) for key, sp in zip(inputs.subplan_keys, inputs.subplans)),
            *((kind_keys[id(rep.kind)], ("id",)) for rep in reports)]


def check_paths(inputs: Inputs, planned: list[DocPlan], origins: list[tuple[str, tuple]]) -> None:
    """Every planned path, before anything is written: a name Windows refuses, a path too long for it, two
    documents that Windows or macOS would hold as one file (``outnames``); ``InputErrors`` naming where
    each name comes from."""
    issues: list[InputIssue] = []
    first: dict[str, tuple[DocPlan, tuple[str, tuple]]] = {}

    def issue(at: tuple[str, tuple], message: str, rule: str, fix: str) -> InputIssue:
        line, col = inputs.sources[at[0]].locate(at[1])
        return InputIssue(inputs.sources[at[0]].file, line, col, format_path(at[1]), message, rule=rule, fix=fix)

    def where(at: tuple[str, tuple]) -> str:
        return f"{inputs.sources[at[0]].file}:{inputs.sources[at[0]].locate(at[1])[0]}"

    for doc, at in zip(planned, origins):
        said = outnames.path_problem(doc.path)
        if said is not None:
            issues.append(issue(at, f"văn bản '{doc.path}': {said}", "output-name", "đặt mã (id) hay 'output:' khác"))
        kept, kept_at = first.setdefault(outnames.fold(doc.path), (doc, at))
        if kept is doc:
            continue
        case = "" if kept.path == doc.path else " (Windows và macOS không phân biệt chữ hoa, chữ thường)"
        for this, this_at, that, that_at in ((doc, at, kept, kept_at), (kept, kept_at, doc, at)):
            issues.append(issue(this_at, f"văn bản '{this.path}' trùng tệp với văn bản '{that.path}' của "
                                         f"{where(that_at)}{case}: một văn bản sẽ mất", "output-collision",
                                "đặt mã (id) hay 'output:' khác cho một trong hai"))
    if issues:
        raise InputErrors(sorted(set(issues)))


def _appendix(refs: Refs, index: int, author: str, grid: list[int] | None) -> DocPlan:
    app = refs.inputs.appendices[index]
    ctx = appendix_context(refs, index, grid)
    label = ctx["app"]["label"]
    title = f"{label}: {app.title}"
    stem = label.replace("Phụ lục", "phu-luc").replace(" ", "-")
    return DocPlan(f"{APPENDIX_DIR}/{stem}-{slug(app.id)}.docx", title, title, refs.inputs.plan.date, author,
                   Part(APPENDIX_TEMPLATE, ctx))


def _subplan(refs: Refs, sp: m.SubPlan, author: str) -> DocPlan:
    assert sp.kind is not None and sp.date is not None, "resolved from the ordering task (inputs.ordering)"
    title = f"{nd30.type_name(sp.kind)} {sp.summary}"
    return DocPlan(f"{SUBPLAN_DIR}/{file_stem(sp)}.docx", title, title, sp.date, author,
                   Part(PLAN_TEMPLATE, document_context(refs, sp)))


def _report(refs: Refs, rep, author: str) -> DocPlan:
    spec = report_document(refs, rep)
    title = f"Báo cáo {lower_first(spec.summary)}"
    name = f"{rep.due:%Y-%m}-{slug(rep.kind.id)}-{slug(rep.period.code)}.docx"
    return DocPlan(f"{REPORT_DIR}/{name}", title, title, spec.date, author,
                   Part(PLAN_TEMPLATE, report_context(refs, rep, spec)),
                   [Part(APPENDIX_TEMPLATE, ctx) for ctx in report_annexes(refs, rep, spec)])
