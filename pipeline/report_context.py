"""Stage 3, reports: the Báo cáo a report occurrence becomes, its generated parts and its annex.

``report_document`` turns an occurrence (``reports.Report``) into a document
spec; ``ReportParts`` writes the parts a report's sections mark as
``generated`` (figures, results by area, indicators, next tasks) and is made
for one report; ``report_annex`` is the table of tasks with their status.
"""

from __future__ import annotations

from typing import Any

from pipeline import deadlines, nd30, reports, wml
from pipeline import model as m
from pipeline.context import document_context
from pipeline.links import default_recipients
from pipeline.refs import Refs, target_phrase, target_value
from pipeline.textutil import lower_first, upper

REPORT_COLUMNS = [wml.Column(*c) for c in (
    ("TT", 12, "center"), ("Nhiệm vụ", 88, "left"), ("Cơ quan chủ trì", 36, "center"),
    ("Thời hạn", 36, "left"), ("Tình trạng", 32, "center"), ("Kết quả", 48, "left"))]


def report_document(refs: Refs, rep: reports.Report) -> m.DocumentSpec:
    """The Báo cáo a report occurrence becomes: a draft dated in its due month."""
    inputs = refs.inputs
    kind, plan, agency = rep.kind, inputs.plan, inputs.commune.agency
    app, task = inputs.tasks[rep.task_ids[0]]
    lead = inputs.units[app.leads(task)[0]]
    intro = (f"Thực hiện {refs.citation(plan, with_summary=True)}, {agency.short_name} "
             f"{inputs.commune.name} báo cáo {lower_first(refs.text(kind.name))} {rep.period.words} như sau:")
    return m.DocumentSpec(
        id=rep.id, kind="BC", issuer=kind.issuer,
        date=m.IssueDate(year=rep.due.year, month=rep.due.month, day=None),
        summary=refs.text(rep.summary), to=kind.to, intro=intro,
        sections=list(kind.sections or reports.default_sections()),
        signature=kind.signature or plan.signature,
        recipients=kind.recipients or default_recipients(kind.to or plan.recipients.to[:1], lead),
    )


def report_context(refs: Refs, rep: reports.Report, spec: m.DocumentSpec) -> dict[str, Any]:
    return document_context(refs, spec, ReportParts(refs, rep))


class ReportParts:
    """The generated parts of one report; called for each ``generated`` item of its sections."""

    def __init__(self, refs: Refs, rep: reports.Report):
        self.refs = refs
        self.rep = rep
        self.tasks = reports.tasks_in_scope(refs.inputs, rep)
        self.figures = reports.figures(refs.inputs, rep, self.tasks)

    def __call__(self, what: str, prefix: str, clause_no: int, blocks: list) -> int:
        """Write the part ``what``; return the clause counter after it."""
        if what == "results_by_area":
            return self.results_by_area(prefix, clause_no, blocks)
        {"summary": self.summary, "indicators": self.indicators, "next_tasks": self.next_tasks}[what](blocks)
        return clause_no

    def _n(self, value: int) -> str:
        return str(value) if self.rep.progress else reports.BLANK

    def summary(self, blocks: list) -> None:
        rep, fig, n = self.rep, self.figures, self._n
        blocks.append({"kind": "para", "text": (
            f"Tổng số nhiệm vụ phải thực hiện đến hết {rep.period.words}: {fig.due}; "
            f"đã hoàn thành: {n(fig.done)} (đúng hạn: {n(fig.on_time)}, trễ hạn: {n(fig.late)}); "
            f"đang thực hiện: {n(fig.in_progress)}; chưa thực hiện: {n(fig.not_started)}; "
            f"quá hạn: {n(fig.overdue)}.")})
        if rep.progress and fig.unknown:
            blocks.append({"kind": "fill", "text": f"[Còn {fig.unknown} nhiệm vụ chưa cập nhật tiến độ.]"})

    def results_by_area(self, prefix: str, clause_no: int, blocks: list) -> int:
        text = self.refs.text
        prog = self.rep.progress.tasks if self.rep.progress else {}
        for app in self.refs.inputs.appendices:
            mine = [t for a, t in self.tasks if a.id == app.id]
            if not mine:
                continue
            clause_no += 1
            blocks.append({"kind": "clause", "text": f"{prefix}{clause_no}. {text(app.title)}"})
            for t in mine:
                tp = prog.get(t.id)
                status = reports.STATUS_WORDS[tp.status] if tp else reports.BLANK
                result = f"; {text(tp.result).rstrip('. ')}" if tp and tp.result else ""
                blocks.append({"kind": "para", "text": f"- {text(t.content)}: {lower_first(status)}{result}."})
            blocks.append({"kind": "fill", "text": "[Cán bộ soạn thảo viết: kết quả nổi bật của lĩnh vực.]"})
        return clause_no

    def indicators(self, blocks: list) -> None:
        values = self.rep.progress.indicators if self.rep.progress else {}
        for t in self.refs.inputs.plan.targets:
            if t.id not in values:
                blocks.append({"kind": "para", "text": f"- {t.name}: {reports.BLANK} (chỉ tiêu: {target_phrase(t)})."})
                continue
            got = values[t.id]
            v = m.Target(id=t.id, name=t.name, op="=", value=got, unit=t.unit)
            met = {">=": got >= t.value, ">": got > t.value, "=": got == t.value}[t.op]
            verdict = "đạt" if met else "chưa đạt"
            blocks.append({"kind": "para", "text":
                           f"- {t.name}: {target_value(v)}, {verdict} (chỉ tiêu: {target_phrase(t)})."})

    def next_tasks(self, blocks: list) -> None:
        nxt = reports.next_tasks(self.refs.inputs, self.rep)
        if not nxt:
            blocks.append({"kind": "para", "text": "- Tiếp tục thực hiện các nhiệm vụ thường xuyên theo Kế hoạch."})
        for task, when in nxt:
            blocks.append({"kind": "para", "text": f"- {self.refs.text(task.content)} ({lower_first(when)})."})


def report_annex(refs: Refs, rep: reports.Report, spec: m.DocumentSpec) -> dict[str, Any]:
    """The annex of a report: the tasks due in or before its period, with their status."""
    inputs = refs.inputs
    prog = rep.progress.tasks if rep.progress else {}
    rows = []
    for i, (app, task) in enumerate(reports.tasks_in_scope(inputs, rep), 1):
        tp = prog.get(task.id)
        status = reports.STATUS_WORDS[tp.status] if tp else ""
        due = deadlines.task_due(task.deadline, inputs.plan.period)
        if tp and tp.status in ("in_progress", "not_started") and due and due <= rep.period.end:
            status += " (quá hạn)"
        rows.append([[str(i)], [refs.text(task.content)], nd30.list_lines(refs.unit_names(app.leads(task))),
                     deadlines.lines(task.deadline, inputs.plan.period), [status],
                     [refs.text(tp.result)] if tp and tp.result else [""]])
    return {
        "app": {
            "label": "Phụ lục",
            "title": nd30.title(upper(f"Tình hình thực hiện các nhiệm vụ đến hết {rep.period.words}"), True,
                                "appendix_title"),
            "reference": f"(Kèm theo {refs.citation(spec)})",
            "table": wml.table(REPORT_COLUMNS, rows, nd30.text_width(landscape=True), nd30.SIZE_TABLE),
        }
    }
