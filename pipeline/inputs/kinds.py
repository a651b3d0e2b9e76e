"""Checks of the report kinds and criteria sets against the rest of the inputs (validate stage).

A report kind names tasks of the appendices or of a sub-plan, appendices
(``areas``), targets (``indicators``) and a criteria set; each must exist, as must the
documents a criterion names as its evidence (``documents``: the plan, a sub-plan, a report kind). A
task answers to one kind at most, so no report is written twice; a report
deadline of a task no kind names must fall in the scope of a kind that
``collects`` it, so no report the plan asks for is forgotten. Imports only the
model: ``validate`` calls it, ``report_kinds`` uses its task index and scopes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from pipeline.inputs import model as m


@dataclass(frozen=True)
class TaskRef:
    """A task wherever it is written: an appendix of the plan, or a sub-plan."""

    task: m.Task
    leads: tuple[str, ...]
    appendix: m.Appendix | None = None
    subplan: m.SubPlan | None = None


def task_index(inputs) -> dict[str, TaskRef]:
    """Every task by id: the plan's appendices first, then the sub-plans' own tasks.

    A sub-plan's task without a lead of its own is led by the lead of the task that
    orders the sub-plan (as its table prints it).
    """
    out: dict[str, TaskRef] = {}
    for app in inputs.appendices:
        for task in app.tasks:
            out.setdefault(task.id, TaskRef(task, tuple(app.leads(task)), appendix=app))
    for sp in inputs.subplans:
        order = out.get(sp.ordered_by)
        default = order.leads[:1] if order else ()
        for task in sp.tasks:
            out.setdefault(task.id, TaskRef(task, tuple(task.lead or default), subplan=sp))
    return out


DATED = ("before", "on", "month", "by_month", "quarter", "within_period", "every")


def asks_report(task: m.Task) -> bool:
    """A dated or recurring part of the task asks for a report: 'Báo cáo: …', or any part of a
    task whose products are all reports ('Thường xuyên' or 'theo quy định' asks for no report date)."""
    def report(text: str) -> bool:
        return text.lower().startswith("báo cáo")

    return any(p.when in DATED and (report(p.what) if p.what else all(report(x) for x in task.products))
               for p in task.deadline)


def family(inputs, kind: m.ReportKind) -> list[TaskRef]:
    """The tasks a report of ``kind`` answers for, in the order they are written.

    ``scope: plan`` — every task of the plan's appendices. ``scope: own`` — the
    kind's tasks; the sub-plans they belong to or order (with all their tasks and
    the task ordering them); the appendices named in ``areas``.
    """
    index = inputs.task_refs
    if kind.scope == "plan":
        return [ref for ref in index.values() if ref.appendix is not None]
    plans: set[str] = set()
    chosen = {t for t in kind.tasks if t in index}
    for tid in list(chosen):
        if index[tid].subplan is not None:
            plans.add(index[tid].subplan.id)
        plans |= {sp.id for sp in inputs.subplans if sp.ordered_by == tid}
    for sp in inputs.subplans:
        if sp.id in plans:
            chosen.add(sp.ordered_by)
            chosen |= {t.id for t in sp.tasks}
    for ref in index.values():
        if ref.appendix is not None and ref.appendix.id in kind.areas:
            chosen.add(ref.task.id)
    return [ref for tid, ref in index.items() if tid in chosen]


def uncollected(inputs) -> list[TaskRef]:
    """Tasks asking for a report that no kind names and no collecting kind's scope holds."""
    named = {t for k in inputs.report_kinds for t in k.tasks}
    held = {ref.task.id for k in inputs.report_kinds if k.collects for ref in family(inputs, k)}
    return [ref for tid, ref in inputs.task_refs.items() if tid not in named | held and asks_report(ref.task)]


def _place(inputs, ref: TaskRef) -> tuple[str, tuple]:
    """The file and path of a task's deadline."""
    if ref.appendix is not None:
        ai = inputs.appendix_index[ref.appendix.id]
        return "appendices", ("appendices", ai, "tasks", ref.appendix.tasks.index(ref.task), "deadline")
    assert ref.subplan is not None  # a task not in an appendix is a sub-plan's (task_index)
    si = next(i for i, sp in enumerate(inputs.subplans) if sp is ref.subplan)
    return inputs.subplan_keys[si], ("tasks", ref.subplan.tasks.index(ref.task), "deadline")


def check_kinds(inputs) -> Iterator[tuple[str, tuple, str, str, object]]:
    """(file key, path, Vietnamese message, wrong value, valid options) for each broken reference."""
    tasks = inputs.task_refs
    criteria = {c.id for c in inputs.criteria}
    claimed: dict[str, str] = {}
    for key, kind in zip(inputs.report_keys, inputs.report_kinds):
        for i, tid in enumerate(kind.tasks):
            if tid not in tasks:
                yield key, ("tasks", i), f"không có nhiệm vụ mã '{tid}' trong các phụ lục và kế hoạch triển khai", \
                    tid, tasks
            elif tid in claimed:
                yield key, ("tasks", i), (f"nhiệm vụ '{tid}' đã thuộc báo cáo {claimed[tid]}: mỗi nhiệm vụ "
                                          "chỉ báo cáo ở một loại báo cáo"), tid, None
            claimed.setdefault(tid, key)
        for i, aid in enumerate(kind.areas):
            if aid not in inputs.appendix_index:
                yield key, ("areas", i), f"không có phụ lục mã '{aid}'", aid, inputs.appendix_index
        if isinstance(kind.indicators, list):
            for i, iid in enumerate(kind.indicators):
                if iid not in inputs.targets:
                    yield key, ("indicators", i), f"không có chỉ tiêu mã '{iid}' trong plan.yaml (targets)", \
                        iid, inputs.targets
        if kind.criteria and kind.criteria not in criteria:
            yield key, ("criteria",), f"không có bộ tiêu chí mã '{kind.criteria}' trong thư mục criteria", \
                kind.criteria, criteria or None
        if kind.issuer and kind.issuer not in inputs.units:
            yield key, ("issuer",), f"không có đơn vị mã '{kind.issuer}'", kind.issuer, inputs.units
    if inputs.report_kinds and not any(
            tid not in tasks for k in inputs.report_kinds for tid in k.tasks):
        for ref in uncollected(inputs):
            if ref.appendix is not None:
                where = ref.appendix.title
            else:
                assert ref.subplan is not None  # a task not in an appendix is a sub-plan's (task_index)
                where = ref.subplan.summary
            key, path = _place(inputs, ref)
            yield key, path, (
                f"nhiệm vụ '{ref.task.id}' ({where}) có thời hạn báo cáo nhưng không thuộc loại báo cáo nào: "
                "thêm mã nhiệm vụ vào 'tasks' của một loại báo cáo, hoặc ghi 'collects: true' cho loại báo cáo "
                "có phạm vi chứa nhiệm vụ này"), ref.task.id, None
    seen: dict[str, str] = {}
    for key, cset in zip(inputs.criteria_keys, inputs.criteria):
        if cset.id in seen:
            yield key, ("id",), f"mã bộ tiêu chí '{cset.id}' đã dùng trong {seen[cset.id]}", cset.id, None
        seen.setdefault(cset.id, key)
        yield from _evidence_documents(inputs, key, cset)


def _evidence_documents(inputs, key: str, cset: m.CriteriaSet) -> Iterator[tuple[str, tuple, str, str, object]]:
    """A criterion's ``documents``: 'plan', a sub-plan's id or a report kind's id."""
    known = {"plan": None, **{sp.id: None for sp in inputs.subplans}, **{k.id: None for k in inputs.report_kinds}}
    for ai, area in enumerate(cset.areas):
        for ci, crit in enumerate(area.criteria):
            items: list[tuple[tuple, m.CriterionPart]] = [(("areas", ai, "criteria", ci), crit)]
            items += [(("areas", ai, "criteria", ci, "parts", pi), part) for pi, part in enumerate(crit.parts)]
            for path, item in items:
                for di, did in enumerate(item.documents):
                    if did not in known:
                        yield key, (*path, "documents", di), (
                            f"không có văn bản mã '{did}': tài liệu kiểm chứng (documents) là 'plan' (Kế hoạch), "
                            "mã một kế hoạch triển khai hoặc mã một loại báo cáo"), did, known


# a provincial department named in a report's addressee: "Sở Nội vụ tỉnh A", "… (qua Sở Tư pháp)"
DEPARTMENT_RE = re.compile(r"Sở [^,;()]+?(?=\s+tỉnh\b|\s*[,;()]|\s*$)")


def departments(kind: m.ReportKind) -> list[str]:
    """The provincial departments a report of ``kind`` goes to (directly or through), in order: "Sở Nội vụ"."""
    found = [d.strip() for line in kind.to for d in DEPARTMENT_RE.findall(line)]
    return list(dict.fromkeys(found))


def reported_by(inputs, doc: m.DocumentSpec) -> list[m.ReportKind]:
    """The report kinds that report on ``doc``: the plan's (``scope: plan``), or the kinds whose tasks are
    a sub-plan's own or order it."""
    if not isinstance(doc, m.SubPlan):
        return [k for k in inputs.report_kinds if k.scope == "plan"]
    mine = {t.id for t in doc.tasks} | {doc.ordered_by}
    return [k for k in inputs.report_kinds if k.scope == "own" and mine & set(k.tasks)]


def superiors(inputs, doc: m.DocumentSpec) -> list[str]:
    """The provincial departments ``doc`` reports to (``reported_by``), as its "Nơi nhận" names them:
    "Sở Tài chính tỉnh A (để b/c)"."""
    province = inputs.commune.province
    names = dict.fromkeys(d for k in reported_by(inputs, doc) for d in departments(k))
    return [f"{name} tỉnh {province} (để b/c)" for name in names]
