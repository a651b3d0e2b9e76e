"""Lint: what is still empty in a report the office has begun to write (issue 34).

A progress file's ``reports: <kind>:`` holds the period's text of that report's named fields and
its figures. Once the office has begun one (the kind is named there), each field still empty is
a warning naming the file, the kind and the field, and the statistics rows still without a figure
are named in one warning: the report keeps a blank there until they are written.
"""

from __future__ import annotations

from typing import Iterator

from pipeline.inputs.report_content import kind_fields, typed_rows

Finding = tuple[str, tuple, str, str, str]  # file key, path, rule, message, fix


def empty_fields(inputs) -> Iterator[Finding]:
    kinds = {k.id: k for k in inputs.report_kinds}
    for key, prog in zip(inputs.progress_keys, inputs.progress):
        for kid, content in prog.reports.items():
            kind = kinds.get(kid)
            if kind is None:
                continue  # an unknown kind is an error of the references check
            for name, fill in kind_fields(kind).items():
                if not (content.fields.get(name) or "").strip():
                    yield (key, ("reports", kid), "report-field-empty",
                           f"báo cáo '{kid}' kỳ {prog.period}: mục '{name}' còn trống ({fill.fill})",
                           f"viết nội dung ở reports: {kid}: fields: {name}: …")
            missing = [rk for rk in typed_rows(kind.statistics) if content.figures.get(rk) is None]
            if missing:
                shown = ", ".join(missing[:8]) + (f" và {len(missing) - 8} dòng khác" if len(missing) > 8 else "")
                yield (key, ("reports", kid), "report-figure-empty",
                       f"báo cáo '{kid}' kỳ {prog.period}: {len(missing)} dòng số liệu chưa có: {shown}",
                       f"ghi số liệu ở reports: {kid}: figures: {{{missing[0]}: …}}")
