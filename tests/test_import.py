"""vanban import: every document vanban builds from the bundled inputs comes back as inputs that
build the same document again — paragraph for paragraph, row for row."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.vcs.textconv import docx_lines
from tests.conftest import OUTPUTS

SUBPLANS = sorted((OUTPUTS / "ke-hoach-con").glob("*.docx"))


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def import_and_build(source: Path, tmp: Path) -> Path:
    res = run("import", source, "--out", tmp)
    assert res.exit_code == 0, res.output
    built = run("build", "--inputs", tmp / "inputs", "--out", tmp / "outputs")
    assert built.exit_code == 0, built.output
    return tmp / "outputs"


def test_the_plan_with_its_appendices_comes_back_the_same(tmp_path):
    source = OUTPUTS / "ke-hoach-cchc.docx"
    out = import_and_build(source, tmp_path)
    assert docx_lines(out / source.name) == docx_lines(source)
    # each appendix on its own too, under its own name
    def by_label(folder):  # phu-luc-IV-tai-chinh-cong.docx -> IV
        return {p.name.split("-")[2]: p for p in folder.glob("phu-luc-*.docx")}

    originals, again = by_label(OUTPUTS / "phu-luc"), by_label(out / "phu-luc")
    assert sorted(again) == sorted(originals) == ["I", "II", "III", "IV", "V", "VI"]
    for label, one in originals.items():
        assert docx_lines(again[label]) == docx_lines(one)


@pytest.mark.parametrize("source", SUBPLANS, ids=[p.stem for p in SUBPLANS])
def test_each_subplan_comes_back_the_same(source, tmp_path):
    out = import_and_build(source, tmp_path)
    assert docx_lines(out / "ke-hoach-con" / source.name) == docx_lines(source)
    sub = yaml.safe_load(next((tmp_path / "inputs" / "subplans").glob("*.yaml")).read_text(encoding="utf-8"))
    assert "intro" not in sub  # "Thực hiện Kế hoạch số …" is vanban's own sentence, written from the parent
    assert sub["ordered_by"]


def test_what_the_plan_becomes(tmp_path):
    """Structured, not pasted: numbers dropped, deadlines and units as data, short names kept."""
    res = run("import", OUTPUTS / "ke-hoach-cchc.docx", "--out", tmp_path)
    assert res.exit_code == 0, res.output
    inputs = tmp_path / "inputs"
    commune = yaml.safe_load((inputs / "commune.yaml").read_text(encoding="utf-8"))
    plan = yaml.safe_load((inputs / "plan.yaml").read_text(encoding="utf-8"))
    apps = yaml.safe_load((inputs / "appendices.yaml").read_text(encoding="utf-8"))["appendices"]
    assert commune["province"] == "Thanh Hóa" and commune["name"] == "Xuân Bình"
    assert commune["agency"]["full_name"] == "Ủy ban nhân dân xã Xuân Bình"
    assert commune["leaders"] == [{"id": "pho_chu_tich", "name": "Trịnh Ngọc Tuấn", "position": "Phó Chủ tịch"}]
    hcc = next(u for u in commune["units"] if u["name"] == "Trung tâm Phục vụ hành chính công")
    assert hcc["short"] == "TTPVHCC"
    # the short forms the plan spells out at their first use, declared once (issue 29)
    assert commune["abbreviations"]["CCHC"] == "cải cách hành chính"
    assert commune["abbreviations"]["TTPVHCC"] == "Trung tâm Phục vụ hành chính công"
    assert "(CCHC)" not in (inputs / "plan.yaml").read_text(encoding="utf-8")
    assert plan["number"] is None and plan["date"] == "2025-07"
    assert plan["signature"] == {"authority": "KT", "signer": "pho_chu_tich"}
    assert plan["recipients"]["archive"] == ["VT", "VP"]
    assert [s["title"] for s in plan["sections"]] == ["Mục đích, yêu cầu", "Nhiệm vụ và giải pháp", "Kinh phí",
                                                       "Trách nhiệm tổ chức thực hiện"]
    assert plan["sections"][0]["items"][0]["numbered"].startswith("Tiếp tục triển khai")
    assert len(apps) == 6 and apps[0]["title"] == "Cải cách thể chế"
    first = apps[0]["tasks"][0]
    assert first["deadline"] == [{"what": "Kế hoạch", "before": __import__("datetime").date(2025, 7, 15)},
                                 {"what": "Báo cáo", "by_month": "2025-11"}]  # "chậm nhất tháng 11/2025"
    assert first["products"] == ["Kế hoạch", "Báo cáo kết quả thực hiện",
                                 "Các văn bản xử lý kết quả theo dõi thi hành pháp luật"]
    assert "Đơn vị:     5 đơn vị, 3 nhóm đơn vị" in res.output
    assert "Thời hạn:   23/23 đọc chắc chắn thành dữ liệu" in res.output


def test_refuses_to_write_over_inputs_that_are_there(tmp_path):
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "plan.yaml").write_text("id: x\n", encoding="utf-8")
    res = run("import", OUTPUTS / "ke-hoach-cchc.docx", "--out", tmp_path)
    assert res.exit_code == 5
    assert "đã có dữ liệu" in res.output
    assert (tmp_path / "inputs" / "plan.yaml").read_text(encoding="utf-8") == "id: x\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inputs"]  # no temporary folder left behind


def test_a_file_that_is_not_word_is_bad_input(tmp_path):
    bad = tmp_path / "ke-hoach.docx"
    bad.write_text("không phải tệp Word", encoding="utf-8")
    res = run("import", bad, "--out", tmp_path / "out")
    assert res.exit_code == 3
    assert "không phải" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "out" / "inputs").exists()
    missing = run("import", tmp_path / "khong-co.docx", "--out", tmp_path / "out")
    assert missing.exit_code == 3 and "không có tệp" in missing.output


def test_a_report_brings_its_tasks_progress(tmp_path):
    """A report's annex (Tình trạng, Kết quả) becomes progress/<period>.yaml; the text builds again."""
    source = OUTPUTS / "bao-cao" / "2025-09-bc-cchc-2025-q3.docx"
    res = run("import", source, "--out", tmp_path)
    assert res.exit_code == 0, res.output
    plan = yaml.safe_load((tmp_path / "inputs" / "plan.yaml").read_text(encoding="utf-8"))
    assert plan["kind"] == "BC" and plan["to"] == ["Ủy ban nhân dân tỉnh Thanh Hóa", "Sở Nội vụ tỉnh Thanh Hóa"]
    progress = yaml.safe_load((tmp_path / "inputs" / "progress" / "2025-Q3.yaml").read_text(encoding="utf-8"))
    tasks = list(progress["tasks"].values())
    # the annex of this report (outputs/bao-cao/2025-09-bc-cchc-2025-q3.docx), rows 1-3 read by hand
    assert tasks[:3] == [
        {"status": "in_progress",
         "result": "Đã ban hành Kế hoạch theo dõi thi hành pháp luật ngày 14/7/2025; đang theo dõi, tổng hợp."},
        {"status": "done_on_time",
         "result": "Đã ban hành văn bản triển khai, tổ chức quán triệt cho cán bộ, công chức."},
        {"status": "done_late", "result": "Kế hoạch rà soát ban hành ngày 22/7/2025."}]
    built = run("build", "--inputs", tmp_path / "inputs", "--out", tmp_path / "outputs")
    assert built.exit_code == 0, built.output
