"""Periodic reports: the words and skeleton they share, and which deadlines ask for one.

No list of reports is kept by hand. Every task deadline whose product is a
report ('Báo cáo: định kỳ hằng quý, năm', 'Báo cáo: tháng 11/2025', a task
whose only product is a report …) asks for a report (``is_report_part``). A
report kind (inputs/reports/*.yaml) turns the deadlines of its tasks into
reports with a title, addressees and sections (``report_kinds.task_reports``);
a report deadline no kind claims feeds the periodic report of its area.
Progress files (inputs/progress/*.yaml) fill in statuses, results and
indicator values.
"""

from __future__ import annotations

from pipeline.inputs import model as m
from pipeline.inputs.report_content import skeleton

STATUS_WORDS = {
    "not_started": "Chưa thực hiện",
    "in_progress": "Đang thực hiện",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành trễ hạn",
}
BLANK = "……"


# ------------------------------------------------------------------ which deadlines ask for a report


def _is_report(text: str | None) -> bool:
    return text is not None and text.lower().startswith("báo cáo")


def is_report_part(task: m.Task, part: m.DeadlinePart) -> bool:
    """A deadline part asks for a report: 'Báo cáo: …', or any part of a task whose products are all reports."""
    if part.what:
        return _is_report(part.what)
    return all(_is_report(p) for p in task.products)


# ------------------------------------------------------------------ reports
# Which reports are made, and their figures: ``report_kinds.py`` (issue 15).


def default_sections() -> tuple[m.Section, ...]:
    return skeleton()
