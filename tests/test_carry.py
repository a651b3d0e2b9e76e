"""Carrying a commune's inputs to another period (issue 28): dates, reports, words, drafts, progress.

The bundled inputs (6 tháng cuối năm 2025) are carried as ``vanban init --from`` does and the
files read back. Expected dates are worked out by hand from the rule the carrying documents
(pipeline/inputs/periodmap.py): the same length keeps each date's place in the period; another
length keeps a date's distance to the nearer end of the period, in months, the day kept.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
import yaml

from pipeline.errors import InputErrors
from pipeline.inputs.carry import carry
from pipeline.inputs.carry_text import PeriodWords
from pipeline.inputs.model import Period
from pipeline.inputs.periodmap import DateMap, period_of
from pipeline.inputs.validate import load_inputs
from tests.conftest import INPUTS


def bundled_files(root=INPUTS) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.yaml"))}


def carried_to(kind: str, year: int, tmp_path, files=None):
    """The carried files written as an inputs folder, loaded and validated, with the carrying."""
    result = carry(files or bundled_files(), kind, year)
    root = tmp_path / f"{kind}-{year}"
    for rel, text in result.files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root, load_inputs(root), result


def task(inputs, tid):
    return inputs.task_refs[tid].task


def parts(inputs, tid) -> dict[str, object]:
    """{product or '': the deadline's value} of a task."""
    out = {}
    for part in task(inputs, tid).deadline:
        value = getattr(part, part.when)
        out[part.what or ""] = value
    return out


# ------------------------------------------------------------------ dates and reports


def test_to_a_whole_year_dates_keep_their_distance_to_the_nearer_end(tmp_path):
    _, new, _ = carried_to("ca-nam", 2026, tmp_path)
    assert (new.plan.period.start, new.plan.period.end, new.plan.period.label) == (
        dt.date(2026, 1, 1), dt.date(2026, 12, 31), "năm 2026")
    # the plan of the new period, issued in its first fortnight (was: before 15/7/2025, two weeks in)
    assert parts(new, "cddh_ke_hoach_cchc")["Kế hoạch"] == dt.date(2026, 1, 15)
    # the yearly monitoring report, due in the period's second-to-last month (was: by November 2025)
    assert str(parts(new, "the_che_theo_doi_thpl")["Báo cáo"]) == "year=2026 month=11"
    # a task of the period's first quarter stays in the first quarter, one of its last in the last
    assert str(parts(new, "the_che_luat_ban_hanh_vb")[""]) == "year=2026 quarter=1"  # was Quý III/2025
    assert str(parts(new, "hdh_csdl_ho_tich")[""]) == "year=2026 quarter=4"  # was Quý IV/2025
    # the sub-plans' yearly reports, "trước ngày 20/12/2025": a year later, their last day a working day
    assert parts(new, "cds_bao_cao")[""] == dt.date(2026, 12, 19)  # 20/12/2026 is a Sunday: a Friday's last day
    assert parts(new, "thpl_phan_cong")[""] == dt.date(2026, 1, 31)  # was before 31/7/2025
    # report kinds and recurring deadlines are unchanged: a whole year has all of them
    assert [k.periods for k in new.report_kinds if k.id == "bc_ky_luat_ky_cuong"] == [["month", "quarter", "year"]]


def test_the_same_kind_a_year_later_moves_every_date_by_a_year(tmp_path):
    old = load_inputs(INPUTS)
    _, new, result = carried_to("6-thang-cuoi", 2026, tmp_path)
    for tid, ref in old.task_refs.items():
        for was, now in zip(ref.task.deadline, new.task_refs[tid].task.deadline):
            value, moved = getattr(was, was.when), getattr(now, now.when)
            if isinstance(value, dt.date):
                # a year later, or up to two days earlier when its last day would be a Saturday or a Sunday
                # ("trước ngày 20/12/2026" ends on Saturday 19/12: moved to "trước ngày 19/12/2026")
                last = moved - dt.timedelta(days=1) if was.when == "before" else moved
                year_later = value.replace(year=2026)
                assert moved == year_later or (0 < (year_later - moved).days <= 2 and last.weekday() == 4), tid
            elif hasattr(value, "year"):
                assert (moved.year, str(moved).split()[1]) == (2026, str(value).split()[1]), tid
            else:
                assert moved == value, tid
    assert "cùng độ dài kỳ" in " ".join(result.notes)


def test_to_a_first_half_year_reports_are_half_yearly(tmp_path):
    _, new, result = carried_to("6-thang-dau", 2026, tmp_path)
    assert new.plan.period.label == "6 tháng đầu năm 2026"
    # the yearly reports due before 20 December: before 20 June, as half-yearly reports (Friday 19/6 the last day)
    assert parts(new, "cds_bao_cao")[""] == dt.date(2026, 6, 20)
    assert str(parts(new, "the_che_theo_doi_thpl")["Báo cáo"]) == "year=2026 month=5"
    kinds = {k.id: k.periods for k in new.report_kinds}
    assert kinds["bc_cchc"] == ["quarter", "half_year"] and kinds["bc_theo_doi_thpl"] == ["half_year"]
    assert kinds["bc_ky_luat_ky_cuong"] == ["month", "quarter", "half_year"]
    assert parts(new, "cddh_ke_hoach_cchc")["Báo cáo"] == ["quarter", "half_year"]
    assert "bc_cchc.yaml: kỳ báo cáo quý, năm → quý, 6 tháng" in " ".join(result.notes)


def test_from_a_first_half_the_yearly_report_comes_back(tmp_path):
    root, _, _ = carried_to("6-thang-dau", 2026, tmp_path)
    _, new, _ = carried_to("6-thang-cuoi", 2026, tmp_path, bundled_files(root))
    assert {k.id: k.periods for k in new.report_kinds}["bc_cchc"] == ["quarter", "half_year", "year"]


def test_date_map_rules_written_out():
    h2, year, h1 = period_of("6-thang-cuoi", 2025), period_of("ca-nam", 2026), period_of("6-thang-dau", 2026)
    to_year, to_h1 = DateMap(h2, year), DateMap(h2, h1)
    # months of the second half of 2025 in a whole year: July–September at its start, October–December at its end
    assert [to_year.month(2025, m) for m in range(7, 13)] == [(2026, 1), (2026, 2), (2026, 3), (2026, 10),
                                                               (2026, 11), (2026, 12)]
    assert [to_h1.month(2025, m) for m in range(7, 13)] == [(2026, m) for m in range(1, 7)]
    assert to_year.date(dt.date(2025, 8, 31)) == dt.date(2026, 2, 28)  # the day kept within its month
    assert DateMap(year, h1).month(2026, 7) == (2026, 1) and DateMap(year, h1).month(2026, 12) == (2026, 6)
    assert to_year.date(dt.date(2025, 6, 12)) == dt.date(2025, 12, 12)  # before the period: as far before


# ------------------------------------------------------------------ words


@pytest.mark.parametrize("text,expected", [
    ("Kế hoạch CCHC 6 tháng cuối năm 2025", "Kế hoạch CCHC năm 2026"),
    ("Chỉ số chuyển đổi số của xã năm 2025.", "Chỉ số chuyển đổi số của xã năm 2026."),
    ("Báo cáo của đơn vị (trước ngày 05/11/2025)", "Báo cáo của đơn vị (trước ngày 05/11/2026)"),
    ("kiểm tra trong Quý III/2025 và quý IV năm 2025", "kiểm tra trong Quý I/2026 và quý IV năm 2026"),
    ("chậm nhất tháng 11/2025, ngày 15 tháng 7 năm 2025", "chậm nhất tháng 11/2026, ngày 15 tháng 01 năm 2026"),
    # citations stay as issued, their titles too
    ("theo Nghị định số 150/2025/NĐ-CP ngày 12/6/2025 của Chính phủ và quy định của UBND tỉnh.",
     "theo Nghị định số 150/2025/NĐ-CP ngày 12/6/2025 của Chính phủ và quy định của UBND tỉnh."),
    ("Quyết định số 749/QĐ-TTg ngày 03/6/2020 phê duyệt Chương trình Chuyển đổi số quốc gia đến năm 2025, "
     "định hướng đến năm 2030", "Quyết định số 749/QĐ-TTg ngày 03/6/2020 phê duyệt Chương trình Chuyển đổi số "
     "quốc gia đến năm 2025, định hướng đến năm 2030"),
    # a date before the period (an event, the commune's establishment) is not moved
    ("từ ngày 01/6/2025, trước kỳ kế hoạch", "từ ngày 01/6/2025, trước kỳ kế hoạch"),
])
def test_the_periods_words_move_and_citations_stay(text, expected):
    words = PeriodWords(DateMap(period_of("6-thang-cuoi", 2025), period_of("ca-nam", 2026)))
    assert words.text(text)[0] == expected


def test_a_phase_that_has_ended_is_kept_and_marked_for_review(tmp_path):
    root, _, result = carried_to("ca-nam", 2026, tmp_path)
    lines = (root / "plan.yaml").read_text(encoding="utf-8").split("\n")
    base = next(i for i, line in enumerate(lines) if "3740/QĐ-UBND" in line)
    assert lines[base - 1].strip().startswith("# CẦN KIỂM TRA: 'giai đoạn 2021 - 2025' đã kết thúc trước năm 2026")
    assert lines[base].endswith("trên địa bàn tỉnh Thanh Hóa, giai đoạn 2021 - 2025"), "kept as cited"
    assert any(r.startswith("plan.yaml, bases[1]: 'giai đoạn 2021 - 2025'") for r in result.review)
    # within 2025 itself the phase is current: nothing to review
    assert carry(bundled_files(), "6-thang-cuoi", 2025).review == []


def test_comments_and_layout_stay_as_typed(tmp_path):
    root, _, _ = carried_to("6-thang-cuoi", 2025, tmp_path)  # the bundled period itself: nothing moves
    for rel, text in bundled_files().items():
        if not rel.startswith("progress/"):
            assert (root / rel).read_text(encoding="utf-8") == text, rel
    root, _, _ = carried_to("ca-nam", 2026, tmp_path)
    plan = (root / "plan.yaml").read_text(encoding="utf-8")
    assert plan.startswith("# yaml-language-server: $schema=../schema/plan.schema.json\n"
                           "# Kế hoạch cải cách hành chính năm 2026 của UBND xã Xuân Bình.\n")
    assert 'date: "2026-01"   # dự thảo: chỉ ghi năm-tháng; khi ký ghi đủ ngày, ví dụ 2026-01-15' in plan
    appendices = (root / "appendices.yaml").read_text(encoding="utf-8")
    assert '#     quarter: "2026-Q1"        "Quý I/2026"' in appendices  # the comment's example moved with the period
    assert "          - {what: Kế hoạch, before: 2026-01-15}\n" in appendices


# ------------------------------------------------------------------ drafts and progress


def test_numbers_and_dates_of_issue_are_blanked(tmp_path):
    files = bundled_files()
    files["plan.yaml"] = files["plan.yaml"].replace("number: null ", "number: 12   ").replace(
        'date: "2025-07"', "date: 2025-07-10")
    files["subplans/chuyen_doi_so.yaml"] += "number: 31\ndate: 2025-09-20\n"
    _, new, result = carried_to("ca-nam", 2026, tmp_path, files)
    assert new.plan.number is None and (new.plan.date.year, new.plan.date.month, new.plan.date.day) == (2026, 1, None)
    assert "\nnumber: null   " in result.files["plan.yaml"] and '\ndate: "2026-01"   #' in result.files["plan.yaml"]
    assert result.files["subplans/chuyen_doi_so.yaml"].endswith('\nnumber: null\ndate: "2026-03"\n')
    cds = next(sp for sp in new.subplans if sp.id == "kh_chuyen_doi_so")
    assert cds.number is None and (cds.date.year, cds.date.month, cds.date.day) == (2026, 3, None)
    assert ("Trở lại dự thảo (xóa số, ngày ký): plan.yaml (số 12, ngày 2025-07-10); subplans/chuyen_doi_so.yaml "
            "(số 31, ngày 2025-09-20).") in result.notes


def test_progress_and_scores_do_not_carry(tmp_path):
    files = bundled_files()
    files["criteria/chi_so_cchc.yaml"] = re.sub(r"(\n +)max: 3\n", r"\1max: 3\1score: 2.5\1evidence: [Báo cáo số 1/BC-UBND]\n",
                                                files["criteria/chi_so_cchc.yaml"], count=2)
    root, new, result = carried_to("ca-nam", 2026, tmp_path, files)
    assert sorted(p.name for p in (root / "progress").iterdir()) == ["2026-Q1.yaml"]
    assert [(p.period, p.tasks, p.indicators) for p in new.progress] == [("2026-Q1", {}, {})]
    # the two scored: a criterion and a part (tiêu chí thành phần) of another one
    assert "\n            score: 2.5" in files["criteria/chi_so_cchc.yaml"]
    assert all(i.score is None and i.evidence == []
               for a in new.criteria[0].areas for c in a.criteria for i in [c, *c.parts])
    notes = " ".join(result.notes)
    assert "không chép 1 tệp tiến độ của kỳ cũ (progress/2025-Q3.yaml)" in notes
    assert "tạo tệp trống progress/2026-Q1.yaml cho quý I năm 2026" in notes
    # the tasks done in the old period (progress/2025-Q3.yaml: done_on_time, done_late) are named for review
    assert ("Nhiệm vụ đã hoàn thành ở kỳ cũ, vẫn được chép sang kỳ mới (xem có cần giữ không): the_che_luat_ban_hanh_vb, "
            "the_che_ra_soat_qppl, bmcv_sap_xep_chuc_danh, hdh_chuyen_doi_so, cddh_ke_hoach_cchc.") in result.notes
    assert "xóa điểm và tài liệu kiểm chứng của 2 tiêu chí" in notes
    # tasks carry with their text
    old = load_inputs(INPUTS)
    assert set(new.task_refs) == set(old.task_refs)
    assert task(new, "thpl_kiem_tra").content == task(old, "thpl_kiem_tra").content


def test_a_mapping_that_would_not_load_back_is_never_written(tmp_path):
    """The carried inputs of every period load; a broken input is refused before any carrying."""
    for kind in ("ca-nam", "6-thang-dau", "6-thang-cuoi"):
        for year in (2025, 2026, 2028):
            carried_to(kind, year, tmp_path / f"{kind}{year}")
    shutil.copytree(INPUTS, tmp_path / "bad")
    (tmp_path / "bad" / "plan.yaml").write_text("period: [", encoding="utf-8")
    with pytest.raises(InputErrors):
        load_inputs(tmp_path / "bad")


def test_a_period_given_by_hand_is_read_from_the_plan():
    files = bundled_files()
    files["plan.yaml"] = files["plan.yaml"].replace("start: 2025-07-01", "start: 2025-04-01")
    result = carry(files, "ca-nam", 2026)
    assert result.old == Period(start=dt.date(2025, 4, 1), end=dt.date(2025, 12, 31), label="6 tháng cuối năm 2025")
    assert yaml.safe_load(result.files["plan.yaml"])["period"] == {
        "start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31), "label": "năm 2026"}
