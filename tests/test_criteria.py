"""The self-assessment against the province's criteria (issue 29), read back from the generated .docx.

The bundled set is a draft that says so (its decision a CẦN ĐIỀN), with lĩnh vực, tiêu chí and tiêu chí
thành phần, a citizen-survey part and evidence cited from the documents the same build makes. A province's
annex, hand-made here in the shape provinces publish (STT | lĩnh vực / tiêu chí / tiêu chí thành phần |
điểm tối đa | điểm tự đánh giá | tài liệu kiểm chứng) as a Word table and as an Excel sheet, is imported
with `vanban import --criteria` and comes back in the report's table row for row. Expected figures are
added up by hand from the tables written here.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import INPUTS, open_docx
from tests.docx_read import body_text

REPORT = "2025-12-bc-tu-cham-diem-2025.docx"
HEADINGS = ["STT", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Điểm tự đánh giá",
            "Tài liệu kiểm chứng"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def score_table(doc):
    return next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == HEADINGS)


def table_rows(doc) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in score_table(doc).rows[1:]]


def texts(doc) -> list[str]:
    return [line for line in body_text(doc).splitlines() if line.strip()]


# ------------------------------------------------------------------ the bundled draft


def test_the_bundled_set_says_it_is_a_draft_with_subtotals_and_total(built):
    doc = open_docx(built[f"bao-cao/{REPORT}"].data)
    rows = table_rows(doc)
    data = yaml.safe_load((INPUTS / "criteria" / "chi_so_cchc.yaml").read_text(encoding="utf-8"))
    areas = [r for r in rows if re.fullmatch(r"[IVX]+", r[0])]
    assert [r[1] for r in areas] == [a["name"] for a in data["areas"]]
    assert areas[-1][1] == "Điều tra xã hội học"  # the citizen-survey part real sets have
    for row, area in zip(areas, data["areas"]):
        assert row[2] == f"{sum(c['max'] for c in area['criteria']):g}"
        assert row[3] == "……", "not scored yet: a placeholder, not 0"
    parts = sum(len(c.get("parts", [])) for a in data["areas"] for c in a["criteria"])
    assert parts >= 5 and any(r[0] == "1.1" for r in rows)  # three levels
    assert len(rows) == len(areas) + sum(len(a["criteria"]) for a in data["areas"]) + parts + 3
    assert rows[-3][1:4] == ["Tổng điểm tự đánh giá (không kể điều tra xã hội học)", "75", "……"]
    assert rows[-2][1:4] == ["Tổng cộng", "95", "……"]
    assert rows[-1][1:4] == ["Kết quả (tỷ lệ % so với tổng điểm tối đa)", "100%", "……"]
    lines = texts(doc)
    citation = next(x for x in lines if x.startswith("Bộ tiêu chí xác định Chỉ số cải cách hành chính"))
    assert "ban hành kèm theo Quyết định số CẦN ĐIỀN ngày CẦN ĐIỀN của CẦN ĐIỀN" in citation
    assert "tổng điểm tối đa: 95 điểm" in citation and "bản dự thảo" in citation
    assert "tỷ lệ phần trăm (%)" in citation
    assert any(x.startswith("[Bộ tiêu chí kèm theo là bản dự thảo") for x in lines)
    assert "- Tổng điểm: ……/95 điểm, đạt ……; cụ thể:" in lines


def test_evidence_cites_the_documents_of_the_same_set(built):
    """A criterion's `documents` are cited with the numbers and dates the build gives them; a report
    kind by each of its reports due before the self-assessment."""
    rows = table_rows(open_docx(built[f"bao-cao/{REPORT}"].data))
    by_name = {r[1]: r[4] for r in rows}
    plan = by_name["Ban hành kế hoạch cải cách hành chính năm kịp thời, đầy đủ nội dung"]
    assert plan == ("Kế hoạch số      /KH-UBND ngày      tháng 7 năm 2025 về cải cách hành chính trên địa bàn "
                    "xã Xuân Bình 6 tháng cuối năm 2025")
    reports = by_name["Thực hiện chế độ báo cáo cải cách hành chính đầy đủ, đúng thời hạn"].split("\n")
    assert [r.split(" về ")[0] for r in reports] == [
        "- Báo cáo số      /BC-UBND ngày      tháng 9 năm 2025", "- Báo cáo số      /BC-UBND ngày      tháng 12 năm 2025"]
    assert by_name["Ban hành chương trình thực hành tiết kiệm, chống lãng phí"].startswith(
        "Chương trình số      /CTr-UBND ngày      tháng 7 năm 2025 về thực hành tiết kiệm")
    assert by_name["Bố trí cán bộ, công chức theo vị trí việc làm được phê duyệt"] == ""  # none known: blank


def test_no_document_prints_an_internal_path(built):
    """Nothing the office sends may show vanban's own files: no 'inputs/', no '.yaml'."""
    assert len(built) == 25
    for rel, b in built.items():
        text = body_text(open_docx(b.data))
        assert "inputs/" not in text and ".yaml" not in text and "(inputs" not in text, rel


# ------------------------------------------------------------------ scores typed in the inputs


def _scored(tmp_path, skip: str | None = None) -> Path:
    """The bundled inputs with every self-scored item at its maximum, 'Tỷ lệ hồ sơ giải quyết trước và đúng
    hạn' at 2.5 of 4, the survey unscored (optionally one item left out)."""
    root = tmp_path / "inputs"
    shutil.copytree(INPUTS, root)
    path = root / "criteria" / "chi_so_cchc.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for area in data["areas"]:
        for crit in area["criteria"]:
            for item in crit.get("parts") or [crit]:
                if area.get("survey") or item["name"] == skip:
                    continue
                item["score"] = 2.5 if item["name"].startswith("Tỷ lệ hồ sơ") else item["max"]
                item["evidence"] = ["Báo cáo số 12/BC-UBND", "Sổ theo dõi"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def test_parts_roll_up_into_criteria_areas_and_the_total(tmp_path):
    root = _scored(tmp_path)
    assert run("build", "--inputs", root, "--out", tmp_path / "o").exit_code == 0
    doc = open_docx(tmp_path / "o" / "bao-cao" / REPORT)
    rows = table_rows(doc)
    assert next(r for r in rows if r[1] == "Giải quyết hồ sơ thủ tục hành chính")[2:4] == ["5", "3,5"]
    assert next(r for r in rows if r[1] == "Cải cách thủ tục hành chính")[2:4] == ["14", "12,5"]
    assert rows[-3][2:4] == ["75", "73,5"]  # 75 self-scored points, 1.5 lost
    assert rows[-2][2:4] == ["95", "……"]  # the survey's 20 points are the province's
    assert "- Báo cáo số 12/BC-UBND\n- Sổ theo dõi" in [r[4] for r in rows]
    lines = texts(doc)
    assert ("- Tổng điểm tự đánh giá: 73,5/75 điểm (không kể 20 điểm điều tra xã hội học do UBND tỉnh đánh giá);"
            in lines)


def test_the_survey_scored_gives_the_total_and_its_percentage(tmp_path):
    root = _scored(tmp_path)
    path = root / "criteria" / "chi_so_cchc.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for crit in data["areas"][-1]["criteria"]:
        crit["score"] = 8  # the province's survey result, typed when it is known
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert run("build", "--inputs", root, "--out", tmp_path / "o").exit_code == 0
    doc = open_docx(tmp_path / "o" / "bao-cao" / REPORT)
    rows = table_rows(doc)
    assert rows[-2][2:4] == ["95", "89,5"] and rows[-1][3] == "94,21%"  # 73.5 + 16 = 89.5; 89.5/95
    assert "- Tổng điểm: 89,5/95 điểm, đạt 94,21%; cụ thể:" in texts(doc)


def test_one_missing_part_leaves_its_criterion_area_and_total_open(tmp_path):
    root = _scored(tmp_path, skip="Báo cáo công tác theo dõi tình hình thi hành pháp luật đúng thời hạn")
    assert run("build", "--inputs", root, "--out", tmp_path / "o").exit_code == 0
    rows = table_rows(open_docx(tmp_path / "o" / "bao-cao" / REPORT))
    assert next(r for r in rows if r[1] == "Theo dõi tình hình thi hành pháp luật")[2:4] == ["3", "……"]
    assert next(r for r in rows if r[1] == "Cải cách thể chế")[2:4] == ["10", "……"]
    assert next(r for r in rows if r[1] == "Cải cách tổ chức bộ máy hành chính nhà nước")[2:4] == ["7", "7"]
    assert rows[-3][2:4] == ["75", "……"]


@pytest.mark.parametrize("find,typed,words", [
    ("            documents: [plan]\n", "            documents: [plann]\n", "không có văn bản mã 'plann'"),
    ("        max: 4\n        parts:\n", "        max: 5\n        parts:\n", "khác tổng điểm tối đa"),
    ("        max: 4\n        parts:\n", "        max: 4\n        score: 4\n        parts:\n", "không ghi 'score'"),
    ("decision: {}\n", "decision: {date: 2025-02-30}\n", "date"),
])
def test_bad_criteria_are_located_errors(tmp_path, find, typed, words):
    root = tmp_path / "inputs"
    shutil.copytree(INPUTS, root)
    path = root / "criteria" / "chi_so_cchc.yaml"
    text = path.read_text(encoding="utf-8")
    assert find in text
    path.write_text(text.replace(find, typed, 1), encoding="utf-8")
    result = run("build", "--inputs", root, "--out", tmp_path / "o")
    assert result.exit_code == 3, result.output
    assert "chi_so_cchc.yaml:" in result.output and words in result.output
    assert not (tmp_path / "o").exists()
