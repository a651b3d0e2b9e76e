"""The plan of a build — every document to make, in the order it is listed.

As MkDocs plans its pages before rendering any, ``plan_build`` turns the
validated inputs into a list of ``DocPlan``: where the file goes, its title,
its date, the template and context of its body and the parts appended to it
(each in its own section). ``build.run.render_documents`` hands them to the
render pool; ``build``, ``build --check``, batches and
``--pdf`` all start from this list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.inputs import model as m
from pipeline.decree import forms as nd30
from pipeline.plan.context import appendix_context, document_context
from pipeline.inputs.validated import Inputs
from pipeline.paths import APPENDIX_TEMPLATE, PLAN_TEMPLATE
from pipeline.inputs.textrefs import Refs
from pipeline.plan.report_context import report_annex, report_context, report_document
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


def file_stem(doc: m.DocumentSpec) -> str:
    return doc.output or slug(doc.id)


def plan_build(inputs: Inputs) -> list[DocPlan]:
    """Every document the inputs call for: the plan with its appendices, each appendix alone,
    the sub-plans, the reports."""
    refs = Refs(inputs)
    author = inputs.commune.agency.full_name
    appendices = [_appendix(refs, i, author) for i in range(len(inputs.appendices))]
    plan = inputs.plan
    title = f"Kế hoạch {plan.summary}"
    whole = DocPlan(f"{file_stem(plan)}.docx", title, title + " (kèm các phụ lục)", plan.date, author,
                    Part(PLAN_TEMPLATE, document_context(refs, plan)), [a.body for a in appendices])
    return [whole, *appendices, *(_subplan(refs, sp, author) for sp in inputs.subplans),
            *(_report(refs, rep, author) for rep in plan_reports(inputs))]


def _appendix(refs: Refs, index: int, author: str) -> DocPlan:
    app = refs.inputs.appendices[index]
    ctx = appendix_context(refs, index)
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
                   [Part(APPENDIX_TEMPLATE, report_annex(refs, rep, spec))])
