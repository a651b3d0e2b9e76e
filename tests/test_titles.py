"""Titles broken for the eye (issue 14): balanced lines, dates whole, measured with the
Times New Roman metrics (the PDF side is in test_pdf_layout.py)."""

from __future__ import annotations

import pytest

from pipeline.decree import forms as nd30

NBSP = "\u00a0"


def test_a_date_in_a_title_is_held_with_non_breaking_spaces():
    held = nd30.hold_together("Kết quả thực hiện kỷ luật, kỷ cương hành chính tháng 7 năm 2025")
    assert held.endswith(f"tháng{NBSP}7{NBSP}năm{NBSP}2025")
    assert nd30.hold_together("Báo cáo quý III năm 2025").endswith(f"quý{NBSP}III{NBSP}năm{NBSP}2025")


def test_a_title_that_fits_stays_on_one_line():
    assert "\n" not in nd30.title("Cải cách hành chính 6 tháng cuối năm 2025")


@pytest.mark.parametrize("text", [
    "Kết quả thực hiện kỷ luật, kỷ cương hành chính và đạo đức công vụ tháng 7 năm 2025",
    "Thực hành tiết kiệm, chống lãng phí trên địa bàn xã Xuân Bình 6 tháng cuối năm 2025",
    "Tuyên truyền cải cách hành chính trên địa bàn xã Xuân Bình 6 tháng cuối năm 2025",
])
def test_a_long_summary_breaks_into_even_lines_inside_the_text_column(text):
    lines = nd30.title(text).split("\n")
    assert len(lines) == 2, lines
    widths = [nd30.text_width_twips(line, 14, bold=True) for line in lines]
    assert max(widths) <= 9354, "each line fits the 165 mm text column at 14 pt bold"
    assert widths[1] >= 0.6 * widths[0], lines
    assert lines[1] != f"năm{NBSP}2025"
    assert " ".join(lines).replace(NBSP, " ") == text, "only the breaks and the held spaces change"


def test_an_appendix_title_breaks_at_a_phrase_not_inside_a_word():
    lines = nd30.title("CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH, TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH (TRUNG TÂM PV HCC CHỦ TRÌ)",
                       landscape=True, size_key="appendix_title").split("\n")
    assert len(lines) == 2 and lines[0].endswith(","), lines
