"""A self-assessment report's own parts: its scores in the body and its scoring annex (issue 29).

The table is ``selfassess``'s; here it meets the rest of the set: the evidence a criterion names
as ``documents`` (the plan, a sub-plan, a report kind) is cited from the documents this build makes,
with their numbers and dates, a report only when it is due before this one.
"""

from __future__ import annotations

from typing import Any

from pipeline.decree import forms as nd30
from pipeline.decree.vietnamese import lower_first, upper
from pipeline.inputs import model as m
from pipeline.plan import report_body, selfassess
from pipeline.plan import report_kinds as rk

DRAFT_NOTE = ("[Bộ tiêu chí kèm theo là bản dự thảo, chưa phải bộ tiêu chí do UBND tỉnh ban hành: nhập bộ tiêu "
              "chí của tỉnh (số, ngày quyết định; điểm tối đa) trước khi chấm điểm.]")


def criteria_of(w, rep: rk.Report) -> m.CriteriaSet:
    return next(c for c in w.inputs.criteria if c.id == rep.kind.criteria)


def _short(w, doc: m.DocumentSpec) -> str:
    """'Kế hoạch số      /KH-UBND ngày      tháng 7 năm 2025 về …': the commune's own document, no issuer."""
    return f"{w.citation(doc).split(' của ')[0]} về {lower_first(w.text(doc.summary))}"


def evidence(w, rep: rk.Report) -> selfassess.Evidence:
    """Document ids -> their citations: the plan, a sub-plan, each report of a kind due by this one's day."""
    inputs = w.inputs
    subplans = {sp.id: sp for sp in inputs.subplans}
    reports = [r for r in rk.plan_reports(inputs) if r.due <= rep.due and r.id != rep.id]

    def cite(ids: list[str]) -> list[str]:
        out: list[str] = []
        for did in ids:
            if did == "plan":
                out.append(_short(w, inputs.plan))
            elif did in subplans:
                out.append(_short(w, subplans[did]))
            else:  # a report kind (checked when the inputs load)
                out += [_short(w, report_body.report_document(w, r)) for r in reports if r.kind.id == did]
        return out

    return cite


def scores(w, rep: rk.Report, blocks: list) -> None:
    """The body's part 'scores': the set's decision and maximum, the totals and each area's points."""
    cset = criteria_of(w, rep)
    if cset.sample:
        blocks.append({"kind": "fill", "text": DRAFT_NOTE})
    blocks += [{"kind": "para", "text": line} for line in selfassess.summary_lines(cset)]


def annex(w, rep: rk.Report, spec: m.DocumentSpec) -> dict[str, Any]:
    """The annex: the scoring table under the set's citation."""
    cset = criteria_of(w, rep)
    title = f"Kết quả tự đánh giá, chấm điểm theo {lower_first(w.text(cset.name))} {rep.period.words}"
    return {"app": {"label": "Phụ lục", "title": nd30.title(upper(title), True, "appendix_title"),
                    "reference": f"(Kèm theo {w.citation(spec)})", "table": selfassess.table(cset, evidence(w, rep))}}
