"""Plan stage, reports: the Báo cáo a report becomes, its generated parts and its annex.

``report_document`` turns a report (``report_kinds.Report``) into a document
spec; ``ReportParts`` writes the parts a report's sections mark as
``generated`` (figures, results by area, indicators, next tasks, scores) and is
made for one report; ``report_annexes`` are its statistics forms (when its
outline has them), then the table of tasks with their status or the
self-assessment's scoring table. What they say is written in
``report_body`` from the report's kind (issue 15).
"""

from __future__ import annotations

from typing import Any

from pipeline.inputs import model as m
from pipeline.plan import report_body, report_selfassess
from pipeline.plan.context import document_context
from pipeline.inputs.textrefs import Refs
from pipeline.plan.report_kinds import Report


def report_document(refs: Refs, rep: Report) -> m.DocumentSpec:
    """The Báo cáo a report becomes: its kind's title, addressees, sections and closing."""
    return report_body.report_document(refs, rep)


def report_context(refs: Refs, rep: Report, spec: m.DocumentSpec) -> dict[str, Any]:
    return document_context(refs, spec, ReportParts(refs, rep))


class ReportParts:
    """The generated parts of one report; called for each ``generated`` item of its sections."""

    def __init__(self, refs: Refs, rep: Report):
        self.refs = refs
        self.rep = rep

    def __call__(self, item: m.Generated, prefix: str, clause_no: int, blocks: list) -> int:
        """Write the part ``item`` asks for; return the clause counter after it."""
        if item.generated == "scores":
            report_selfassess.scores(self.refs, self.rep, blocks)
            return clause_no
        return report_body.generated(self.refs, self.rep, item, prefix, clause_no, blocks)


def report_annexes(refs: Refs, rep: Report, spec: m.DocumentSpec) -> list[dict[str, Any]]:
    """The annexes of a report: its scoring table (a self-assessment), or its statistics forms (when its
    outline has them) and the tasks in its scope with their status."""
    if rep.kind.criteria:
        return [report_selfassess.annex(refs, rep, spec)]
    return report_body.annexes(refs, rep, spec)
