"""Checks of what report kinds and progress files say about a report's content (validate stage).

A kind's ``generated: results`` names appendices, tasks and a form of its ``statistics`` annex
that must exist; its rows take a target that exists and a number (``stt``) written once per form.
A progress file's ``reports:`` names kinds, their fields and their statistics rows: a name that
is not there is an error at its line (a typo would otherwise leave a blank in the report without
a word); so is a figure for a row vanban counts or takes from ``indicators`` (never asked twice).
"""

from __future__ import annotations

from typing import Iterator

from pipeline.inputs import model as m
from pipeline.inputs.report_content import kind_fields, stat_rows

Found = tuple[str, tuple, str, str, object]  # file key, path, message, wrong value, valid options


def _generated(items: list, path: tuple) -> Iterator[tuple[tuple, m.Generated]]:
    for i, item in enumerate(items):
        if isinstance(item, m.Generated):
            yield path + (i,), item
        elif isinstance(item, m.Clause):
            yield from _generated(item.items, path + (i, "items"))


def check_kind_content(inputs, key: str, kind: m.ReportKind) -> Iterator[Found]:
    forms = len(kind.statistics.forms) if kind.statistics else 0
    for si, sec in enumerate(kind.sections or []):
        for path, item in _generated(sec.items, ("sections", si, "items")):
            for j, aid in enumerate(item.areas):
                if aid not in inputs.appendix_index:
                    yield key, path + ("areas", j), f"không có phụ lục mã '{aid}'", aid, inputs.appendix_index
            for j, tid in enumerate(item.tasks):
                if tid not in inputs.task_refs:
                    yield key, path + ("tasks", j), f"không có nhiệm vụ mã '{tid}'", tid, inputs.task_refs
            if item.form is not None and item.form > forms:
                yield key, path + ("form",), (f"báo cáo có {forms} biểu mẫu thống kê (statistics), không có "
                                              f"biểu mẫu {item.form}"), str(item.form), None
    seen: set[str] = set()
    for fi, row_key, row in stat_rows(kind.statistics):
        ri = next(i for i, r in enumerate(kind.statistics.forms[fi - 1].rows) if r is row)  # type: ignore[union-attr]
        path = ("statistics", "forms", fi - 1, "rows", ri)
        if row_key in seen:
            yield key, path + ("stt",), f"số thứ tự '{row.stt}' đã có trong biểu mẫu {fi}", row.stt, None
        seen.add(row_key)
        if row.indicator and row.indicator not in inputs.targets:
            yield key, path + ("indicator",), f"không có chỉ tiêu mã '{row.indicator}' trong plan.yaml (targets)", \
                row.indicator, inputs.targets


def check_progress_content(inputs, key: str, prog: m.Progress) -> Iterator[Found]:
    kinds = {k.id: k for k in inputs.report_kinds}
    for kid, content in prog.reports.items():
        if kid not in kinds:
            yield key, ("reports", kid), f"không có loại báo cáo mã '{kid}' trong thư mục reports", kid, kinds
            continue
        names = kind_fields(kinds[kid])
        for name in content.fields:
            if name not in names:
                yield key, ("reports", kid, "fields", name), (
                    f"báo cáo '{kid}' không có mục cần viết (field) tên '{name}'"), name, names
        rows = {rk: row for _, rk, row in stat_rows(kinds[kid].statistics)}
        for rk in content.figures:
            row = rows.get(rk)
            if row is None:
                yield key, ("reports", kid, "figures", rk), (
                    f"báo cáo '{kid}' không có dòng số liệu '{rk}' (bm<số biểu mẫu>-<số thứ tự>, ví dụ bm1-3.1)"), \
                    rk, rows or None
            elif row.known or row.indicator:
                where = "vanban tự tính từ tiến độ các nhiệm vụ" if row.known else \
                    f"lấy từ chỉ tiêu '{row.indicator}' ở mục indicators của tệp này"
                yield key, ("reports", kid, "figures", rk), f"số liệu dòng '{rk}' ({row.name}) {where}: không ghi ở đây", \
                    rk, None
            elif not row.unit:
                yield key, ("reports", kid, "figures", rk), f"dòng '{rk}' ({row.name}) là dòng tiêu đề, không có số liệu", \
                    rk, None
