"""Scores still empty as the self-assessment falls due (lint rule ``score-empty``).

A criteria set is scored by the office as the year goes (``inputs/criteria/<id>.yaml``: ``score`` per
criterion or part). From a month before the deadline of the report that uses it (the last dated
deadline of the report kind's tasks) every item still unscored is named where it is written, so the
office scores it before the report is due; a set still vanban's draft (``sample``) is named once instead. The survey's part (``survey: true``) is the province's and
is never asked of the office.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from pipeline.decree import forms as nd30
from pipeline.inputs import deadlines
from pipeline.inputs import model as m
from pipeline.inputs.validated import Inputs

RULE = "score-empty"
FIX = "ghi điểm tự đánh giá ở 'score' (và tài liệu kiểm chứng ở 'evidence')"
AHEAD = dt.timedelta(days=31)  # how long before the report's deadline the office is reminded


def report_due(inputs: Inputs, set_id: str) -> dt.date | None:
    """The deadline of the report that scores the set: the last dated deadline of its kind's tasks."""
    days = []
    for kind in inputs.report_kinds:
        if kind.criteria != set_id:
            continue
        for tid in kind.tasks:
            ref = inputs.task_refs.get(tid)
            due = deadlines.task_due(ref.task.deadline, inputs.plan.period) if ref else None
            if due:
                days.append(due)
    return max(days) if days else None


def empty_scores(inputs: Inputs, today: dt.date | None = None) -> Iterator[tuple[str, tuple, str]]:
    """(file key, path, message) for each item a set due within ``AHEAD`` of today has not scored."""
    from pipeline.inputs.clock import today as clock_today

    today = today or clock_today()
    for key, cset in zip(inputs.criteria_keys, inputs.criteria):
        due = report_due(inputs, cset.id)
        if due is None or today < due - AHEAD:
            continue
        when = f"báo cáo tự đánh giá, chấm điểm hạn ngày {nd30.short_date(due)}"
        if cset.sample:  # a draft is not scored: the province's set comes first
            yield key, ("sample",), (f"bộ tiêu chí '{cset.id}' vẫn là bản dự thảo của chương trình, chưa phải bộ "
                                     f"do UBND tỉnh ban hành: nhập bộ của tỉnh (vanban import --criteria <phụ lục> "
                                     f"--out .) rồi chấm điểm — {when}")
            continue
        for ai, area in enumerate(cset.areas):
            if area.survey:
                continue
            for ci, crit in enumerate(area.criteria):
                items: list[tuple[tuple, m.CriterionPart]] = [(("parts", pi), p) for pi, p in enumerate(crit.parts)]
                for sub, item in items or [((), crit)]:
                    if item.score is None:
                        code = item.code or ""
                        yield key, ("areas", ai, "criteria", ci, *sub, "name"), (
                            f"tiêu chí {code + ' ' if code else ''}'{item.name}' chưa có điểm tự đánh giá "
                            f"(score) — {when}")
