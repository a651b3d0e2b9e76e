"""Unit tests of the decree's rules and the deadline vocabulary."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from pipeline.inputs import deadlines
from pipeline.decree import forms as nd30
from pipeline.inputs import model as m
from pipeline.plan.report_kinds import task_reports

PERIOD = m.Period(start=dt.date(2025, 7, 1), end=dt.date(2025, 12, 31), label="6 tháng cuối năm 2025")


@pytest.mark.parametrize("y,mo,d,expected", [
    (2026, 1, 5, "Xuân Bình, ngày 05 tháng 01 năm 2026"),
    (2025, 2, 28, "Xuân Bình, ngày 28 tháng 02 năm 2025"),
    (2025, 7, 15, "Xuân Bình, ngày 15 tháng 7 năm 2025"),
    (2025, 12, 9, "Xuân Bình, ngày 09 tháng 12 năm 2025"),
    (2025, 7, None, "Xuân Bình, ngày      tháng 7 năm 2025"),
])
def test_date_line_leading_zeros(y, mo, d, expected):
    assert nd30.date_line("Xuân Bình", y, mo, d) == expected


def test_number_line():
    assert nd30.number_line(5, "KH-UBND") == "Số: 05/KH-UBND"
    assert nd30.number_line(123, "BC-UBND") == "Số: 123/BC-UBND"
    assert nd30.number_line(None, "KH-UBND") == "Số:      /KH-UBND"
    assert nd30.symbol("CTr", "UBND") == "CTr-UBND"


@pytest.mark.parametrize("form,for_committee,expected", [
    ("", False, ["CHỦ TỊCH"]),
    ("TM", False, ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    ("KT", False, ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    ("KT", True, ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    ("Q", False, ["Q. CHỦ TỊCH"]),
    ("TL", False, ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]),
    ("TUQ", False, ["TUQ. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]),
])
def test_authority_forms(form, for_committee, expected):
    position = {"": "Chủ tịch", "TM": "Chủ tịch", "KT": "Phó Chủ tịch", "Q": "Phó Chủ tịch"}.get(form, "Chánh Văn phòng")
    assert nd30.authority_lines(form, for_committee, "Ủy ban nhân dân", "Chủ tịch", position) == expected


def test_recipients_end_with_the_archive_line():
    lines = nd30.recipient_lines(["UBND tỉnh (để b/c);", "Các thôn"], ["VT", "VP"], copies=5)
    assert lines == ["- UBND tỉnh (để b/c);", "- Các thôn;", "- Lưu: VT, VP (05 bản)."]


def test_numbering_helpers():
    assert [nd30.roman(i) for i in (1, 4, 6, 9, 14)] == ["I", "IV", "VI", "IX", "XIV"]
    assert [nd30.point_letter(i) for i in range(6)] == ["a", "b", "c", "d", "đ", "e"]
    assert nd30.appendix_label(2, 6) == "Phụ lục II" and nd30.appendix_label(1, 1) == "Phụ lục"
    assert nd30.short_date(dt.date(2020, 3, 5)) == "05/3/2020"
    assert nd30.short_date(dt.date(2026, 1, 5)) == "05/01/2026"


def part(**kw):
    return m.DeadlinePart(**kw)


@pytest.mark.parametrize("kw,text,due", [
    ({"before": dt.date(2025, 12, 10)}, "Trước ngày 10/12/2025", dt.date(2025, 12, 10)),
    ({"month": "2025-11"}, "Tháng 11/2025", dt.date(2025, 11, 30)),
    ({"quarter": "2025-Q3"}, "Quý III/2025", dt.date(2025, 9, 30)),
    ({"ongoing": True}, "Thường xuyên", None),
    ({"rest_of_period": True}, "Thường xuyên trong 6 tháng cuối năm 2025", None),
    ({"within_period": True}, "Trong 6 tháng cuối năm 2025", dt.date(2025, 12, 31)),
    ({"every": ["quarter", "year"]}, "Định kỳ hằng quý, năm", None),
    ({"as_regulated": True}, "Theo quy định", None),
])
def test_deadline_words_and_dates(kw, text, due):
    p = part(**kw)
    assert deadlines.phrase(p, PERIOD) == text
    assert deadlines.due_date(p, PERIOD) == due


def test_deadline_with_products():
    parts = [part(what="Kế hoạch", before=dt.date(2025, 7, 15)), part(what="Báo cáo", month="2025-11")]
    assert deadlines.lines(parts, PERIOD) == ["Kế hoạch: trước ngày 15/7/2025", "Báo cáo: tháng 11/2025"]


@pytest.mark.parametrize("bad", [{"month": "2025-13"}, {"quarter": "2025-Q5"}, {"before": "15/7/225"}, {}])
def test_malformed_deadlines_are_rejected(bad):
    with pytest.raises(ValidationError):
        part(**bad)


def test_two_whens_in_one_part_are_rejected():
    with pytest.raises(ValidationError) as exc:
        part(ongoing=True, month="2025-09")
    assert "đúng một" in str(exc.value)


def task(deadline, products=("Báo cáo kết quả",)):
    return m.Task(id="t", content="Nhiệm vụ", products=list(products), deadline=deadline)


class Occ:
    def __init__(self, period, recurrence, due):
        self.period, self.recurrence, self.due = period, recurrence, due


def task_occurrences(t, period):
    """The reports one task calls for, for a kind that takes every period the task asks."""
    kind = m.ReportKind(id="k", name="Kết quả", tasks=[t.id], internal=True)
    return [Occ(*o) for o in task_reports(t, kind, period)]


def test_quarterly_and_yearly_reports_year_replaces_q4():
    occ = task_occurrences(task([{"what": "Báo cáo", "every": ["quarter", "year"]}]), PERIOD)
    assert [(o.period.code, o.due) for o in occ] == [("2025-Q3", dt.date(2025, 9, 30)), ("2025", dt.date(2025, 12, 31))]


def test_monthly_reports_give_way_to_the_quarter_and_the_year():
    occ = task_occurrences(task([{"what": "Báo cáo", "every": ["month", "quarter", "year"]}]), PERIOD)
    assert [o.period.code for o in occ] == ["2025-07", "2025-08", "2025-Q3", "2025-10", "2025-11", "2025"]


def test_one_off_reports_and_non_report_parts():
    t = task([{"what": "Kế hoạch", "before": "2025-07-15"}, {"what": "Báo cáo", "month": "2025-11"}],
             products=("Kế hoạch", "Báo cáo"))
    occ = task_occurrences(t, PERIOD)
    assert [(o.due, o.period.words) for o in occ] == [(dt.date(2025, 11, 30), "6 tháng cuối năm 2025")]


def test_a_report_task_without_labels_is_a_report():
    occ = task_occurrences(task([{"month": "2025-12"}], products=("Báo cáo tự chấm điểm",)), PERIOD)
    assert [o.due for o in occ] == [dt.date(2025, 12, 31)]
    assert task_occurrences(task([{"ongoing": True}]), PERIOD) == []
