"""The self-assessment against the province's criteria (issue 29), read back from the generated .docx.

The bundled set is a draft that says so (its decision a CẦN ĐIỀN), with lĩnh vực, tiêu chí and tiêu chí
thành phần, a citizen-survey part and evidence cited from the documents the same build makes. A province's
annex, hand-made here in the shape provinces publish (STT | lĩnh vực / tiêu chí / tiêu chí thành phần |
điểm tối đa | điểm tự đánh giá | tài liệu kiểm chứng) as a Word table and as an Excel sheet, is imported
with `vanban import --criteria` and comes back in the report's table row for row. Expected figures are
added up by hand from the tables written here.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.ooxml.audit import schema_errors
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
    return [[c.text.replace("\u00a0", " ") for c in r.cells] for r in score_table(doc).rows[1:]]  # as a reader sees it


def texts(doc) -> list[str]:
    return [line for line in body_text(doc).splitlines() if line.strip()]


# ------------------------------------------------------------------ the bundled draft


def test_the_bundled_set_says_it_is_a_draft_with_subtotals_and_total(built, tmp_path):
    (tmp_path / REPORT).write_bytes(built[f"bao-cao/{REPORT}"].data)
    assert schema_errors(tmp_path / REPORT) == []
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


def _no_internal_path(text: str) -> bool:
    return "inputs/" not in text and ".yaml" not in text and "(inputs" not in text


def test_no_document_prints_an_internal_path(built):
    """Nothing the office sends may show vanban's own files: no 'inputs/', no '.yaml'."""
    assert len(built) == 25
    for rel, b in built.items():
        assert _no_internal_path(body_text(open_docx(b.data))), rel


def test_a_new_commune_prints_no_internal_path_and_its_set_is_a_draft(tmp_path):
    target = tmp_path / "yen-lac"
    result = run("init", target, "--commune", "Yên Lạc", "--province", "Vĩnh Phúc", "--year", "2025",
                 "--period", "6-thang-cuoi")
    assert result.exit_code == 0, result.output
    assert run("build", "--inputs", target / "inputs", "--out", target / "outputs").exit_code == 0
    docs = sorted((target / "outputs").rglob("*.docx"))
    assert len(docs) > 10
    for path in docs:
        assert _no_internal_path(body_text(open_docx(path))), path.name
    lines = texts(open_docx(target / "outputs" / "bao-cao" / REPORT))
    assert any("Quyết định số CẦN ĐIỀN" in x and "bản dự thảo" in x for x in lines)


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


# ------------------------------------------------------------------ a province's annex, imported

ANNEX_TITLE = "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA ỦY BAN NHÂN DÂN XÃ"
ANNEX_BASIS = "(Ban hành kèm theo Quyết định số 77/QĐ-UBND ngày 15/8/2025 của Ủy ban nhân dân tỉnh Thanh Hóa)"
ANNEX_HEAD = ["STT", "Lĩnh vực/tiêu chí/tiêu chí thành phần", "Điểm tối đa", "Điểm tự đánh giá",
              "Tài liệu kiểm chứng"]
# as provinces publish it: three levels, maxima adding up per level (I: 6+4+8+12 = 30; II: 9+20 = 29;
# III: 25+15 = 40; 99 in all), the commune's scores and evidence typed on the rows it scores
ANNEX = [
    ["I", "Công tác chỉ đạo, điều hành cải cách hành chính", "30", "", ""],
    ["1", "Kế hoạch cải cách hành chính năm", "6", "", ""],
    ["1.1", "Ban hành kế hoạch kịp thời, đúng quy định", "2", "2", "Kế hoạch số 45/KH-UBND ngày 10/01/2025"],
    ["1.2", "Mức độ hoàn thành kế hoạch", "4", "3,5", "- Báo cáo số 12/BC-UBND ngày 15/12/2025\n- Sổ theo dõi"],
    ["2", "Thực hiện chế độ báo cáo cải cách hành chính", "4", "4", ""],
    ["3", "Kiểm tra công tác cải cách hành chính", "8", "", ""],
    ["a)", "Ban hành kế hoạch kiểm tra", "3", "3", ""],
    ["b)", "Tỷ lệ đơn vị được kiểm tra trong năm", "5", "4", ""],
    ["4", "Tuyên truyền cải cách hành chính", "12", "10", ""],
    ["II", "Cải cách thủ tục hành chính", "29", "", ""],
    ["1", "Công khai thủ tục hành chính", "9", "8", ""],
    ["2", "Giải quyết hồ sơ thủ tục hành chính", "20", "", ""],
    ["2.1", "Tỷ lệ hồ sơ giải quyết trước và đúng hạn", "15", "14", ""],
    ["2.2", "Xin lỗi người dân, tổ chức khi giải quyết trễ hạn", "5", "5", ""],
    ["III", "Điều tra xã hội học", "40", "", ""],
    ["1", "Mức độ hài lòng của người dân, tổ chức", "25", "", ""],
    ["2", "Đánh giá của cán bộ, công chức", "15", "", ""],
]
ANNEX_TOTAL = ["", "Tổng cộng", "99", "", ""]
# what the annex's blank aggregate rows add up to (1: 2+3.5; 3: 3+4; I: 5.5+4+7+10; 2: 14+5; II: 8+19)
SUMS = {"Công tác chỉ đạo, điều hành cải cách hành chính": "26,5", "Kế hoạch cải cách hành chính năm": "5,5",
        "Kiểm tra công tác cải cách hành chính": "7", "Cải cách thủ tục hành chính": "27",
        "Giải quyết hồ sơ thủ tục hành chính": "19"}


def annex_docx(path: Path, rows=ANNEX, total: str = "99") -> Path:
    from docx import Document

    doc = Document()
    for line in ("PHỤ LỤC", ANNEX_TITLE, ANNEX_BASIS):
        doc.add_paragraph(line)
    table = doc.add_table(rows=0, cols=5)
    for row in [ANNEX_HEAD, ["(1)", "(2)", "(3)", "(4)", "(5)"], *rows, ANNEX_TOTAL]:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            for extra in lines[1:]:
                cell.add_paragraph(extra)
    last = table.rows[-1].cells
    last[0].merge(last[1]).text = "Tổng cộng"  # as typed in Word: one cell across STT and the names
    last[2].text = total
    doc.save(str(path))
    return path


def annex_xlsx(path: Path, rows=ANNEX) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for line in ("PHỤ LỤC", ANNEX_TITLE, ANNEX_BASIS, ""):
        sheet.append([line])
    sheet.append(ANNEX_HEAD)
    for row in [*rows, ANNEX_TOTAL]:  # figures as numbers, as a sheet holds them
        sheet.append([float(v.replace(",", ".")) if i in (2, 3) and v else v for i, v in enumerate(row)])
    book.save(str(path))
    return path


def commune_copy(tmp_path) -> Path:
    folder = tmp_path / "xa"
    shutil.copytree(INPUTS, folder / "inputs")
    return folder


@pytest.mark.parametrize("make", [annex_docx, annex_xlsx], ids=["docx", "xlsx"])
def test_an_imported_annex_comes_back_row_for_row(tmp_path, make):
    folder = commune_copy(tmp_path)
    annex = make(tmp_path / ("phu-luc.docx" if make is annex_docx else "phu-luc.xlsx"))
    result = run("import", "--criteria", annex, "--out", folder)
    assert result.exit_code == 0, result.output
    assert "3 lĩnh vực, 17 dòng, tổng điểm tối đa 99" in result.output
    assert run("build", "--inputs", folder / "inputs", "--out", folder / "outputs").exit_code == 0
    doc = open_docx(folder / "outputs" / "bao-cao" / REPORT)
    rows = table_rows(doc)
    assert len(rows) == len(ANNEX) + 3  # the annex's rows, then self-scored total, total, percentage
    for got, want in zip(rows, ANNEX):
        assert [got[0], got[1], got[2], got[4]] == [want[0], want[1], want[2], want[4]], want
        assert got[3] == (want[3] or SUMS.get(want[1], "……")), want
    assert rows[-3][1:4] == ["Tổng điểm tự đánh giá (không kể điều tra xã hội học)", "59", "53,5"]
    assert rows[-2][1:4] == [ANNEX_TOTAL[1], ANNEX_TOTAL[2], "……"]
    lines = texts(doc)
    assert any(x.startswith("Bộ tiêu chí xác định") and "ban hành kèm theo Quyết định số 77/QĐ-UBND ngày "
               "15/8/2025 của Ủy ban nhân dân tỉnh Thanh Hóa; tổng điểm tối đa: 99 điểm" in x for x in lines)
    assert not any("bản dự thảo" in x or "CẦN ĐIỀN" in x for x in lines)  # the province's own set now
    written = (folder / "inputs" / "criteria" / "chi_so_cchc.yaml").read_text(encoding="utf-8")
    assert "Nhập từ tệp phu-luc." in written and "sample: false" in written
    assert schema_errors(folder / "outputs" / "bao-cao" / REPORT) == []


def test_slips_of_the_annex_are_marked_on_their_lines(tmp_path):
    """Maxima that do not add up and a missing decision line: kept, and said where to look."""
    folder = tmp_path / "xa"
    rows = [r[:] for r in ANNEX]
    rows[1][2] = "7"  # criterion 1 says 7, its parts add up to 6
    path = annex_docx(tmp_path / "pl.docx", rows, total="100")  # read from a row merged across two columns
    from docx import Document

    doc = Document(str(path))
    doc.paragraphs[2].text = "(kèm theo văn bản của tỉnh)"
    doc.save(str(path))
    result = run("import", "--criteria", path, "--out", folder)
    assert result.exit_code == 0, result.output
    written = (folder / "inputs" / "criteria" / "chi_so_cchc.yaml").read_text(encoding="utf-8")
    line = next(x for x in written.splitlines() if "Kế hoạch cải cách hành chính năm" in x)
    assert "CẦN KIỂM TRA: điểm tối đa ghi trong phụ lục là 7, tổng điểm các tiêu chí thành phần là 6" in line
    assert "decision:" in written and "không tìm thấy dòng 'Ban hành kèm theo Quyết định số" in written
    assert "tổng điểm tối đa ghi trong phụ lục là 100, tổng các lĩnh vực là 99: đã lấy 99" in written
    assert re.search(r"chi_so_cchc\.yaml:\d+: .*điểm tối đa ghi trong phụ lục là 7", result.output)


def test_a_set_the_office_wrote_is_not_replaced(tmp_path):
    folder = commune_copy(tmp_path)
    path = folder / "inputs" / "criteria" / "chi_so_cchc.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("sample: true", "sample: false"), encoding="utf-8")
    before = path.read_bytes()
    result = run("import", "--criteria", annex_docx(tmp_path / "pl.docx"), "--out", folder)
    assert result.exit_code == 5 and "không phải bản dự thảo" in result.output
    assert path.read_bytes() == before
    result = run("import", "--criteria", annex_docx(tmp_path / "pl.docx"), "--out", folder, "--id", "bo_tinh")
    assert result.exit_code == 0, result.output
    assert (folder / "inputs" / "criteria" / "bo_tinh.yaml").is_file()


@pytest.mark.parametrize("name,content,words", [
    ("pl.xlsx", b"not a zip", "không phải tệp"),
    ("pl.txt", b"STT", "không phải tệp Word"),
    ("none.docx", None, "không có tệp"),
])
def test_unreadable_annexes_exit_3_and_write_nothing(tmp_path, name, content, words):
    if content is not None:
        (tmp_path / name).write_bytes(content)
    result = run("import", "--criteria", tmp_path / name, "--out", tmp_path / "xa")
    assert result.exit_code == 3 and words in result.output, result.output
    assert not (tmp_path / "xa").exists()


def test_an_annex_without_a_criteria_table_exits_3(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph(ANNEX_TITLE)
    doc.add_table(rows=2, cols=2).rows[0].cells[0].text = "Nội dung"
    doc.save(str(tmp_path / "pl.docx"))
    result = run("import", "--criteria", tmp_path / "pl.docx", "--out", tmp_path / "xa")
    assert result.exit_code == 3 and "không có bảng tiêu chí" in result.output
    assert not (tmp_path / "xa").exists()


def test_an_xlsx_with_a_dtd_is_refused(tmp_path):
    import zipfile

    good = annex_xlsx(tmp_path / "good.xlsx")
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<worksheet" in data
                data = data.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet', 1)
            dst.writestr(item, data)
    result = run("import", "--criteria", bad, "--out", tmp_path / "xa")
    assert result.exit_code == 3 and "DTD" in result.output, result.output


# ------------------------------------------------------------------ lint: scores before the deadline


def _lint(root: Path, today: str, monkeypatch):
    monkeypatch.setenv("VANBAN_TODAY", today)
    return run("lint", "--inputs", root)


def test_lint_names_the_empty_scores_from_a_month_before_the_deadline(tmp_path, monkeypatch):
    """Due 31/12/2025 (Phụ lục VI.2, tháng 12/2025): quiet on 29/11, each empty item named on 01/12."""
    root = _scored(tmp_path, skip="Mức độ hoàn thành kế hoạch cải cách hành chính")
    path = root / "criteria" / "chi_so_cchc.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("sample: true", "sample: false"), encoding="utf-8")
    assert "score-empty" not in _lint(root, "2025-11-29", monkeypatch).output
    out = _lint(root, "2025-12-01", monkeypatch).output
    found = [line for line in out.splitlines() if "score-empty" in line]
    assert len(found) == 1, out  # the survey's part is the province's: never asked
    line_no = next(i for i, x in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                   if "Mức độ hoàn thành kế hoạch cải cách hành chính" in x)
    assert found[0].startswith(f"{root.name}/criteria/chi_so_cchc.yaml:{line_no}:") or \
        f"chi_so_cchc.yaml:{line_no}:" in found[0]
    assert "'Mức độ hoàn thành kế hoạch cải cách hành chính' chưa có điểm tự đánh giá" in found[0]
    assert "hạn ngày 31/12/2025" in found[0]


def test_lint_asks_for_the_province_set_while_the_draft_stands(monkeypatch):
    out = _lint(INPUTS, "2025-12-05", monkeypatch).output
    found = [line for line in out.splitlines() if "score-empty" in line]
    assert len(found) == 1 and "vẫn là bản dự thảo" in found[0] and "vanban import --criteria" in found[0]
    assert "score-empty" not in _lint(INPUTS, "2025-10-01", monkeypatch).output


def test_an_older_set_with_source_still_loads_and_is_told_to_move_it(tmp_path, monkeypatch):
    """'source' (a free text before 'decision' existed) loads as if absent, with a warning at its line."""
    root = tmp_path / "inputs"
    shutil.copytree(INPUTS, root)
    path = root / "criteria" / "chi_so_cchc.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "decision: {}\n", "decision: {}\nsource: Quyết định số 77/QĐ-UBND\n"), encoding="utf-8")
    out = _lint(root, "2025-10-01", monkeypatch).output
    line = next(x for x in out.splitlines() if "obsolete-field" in x)
    assert "chi_so_cchc.yaml:26:" in line and "'decision'" in line  # the line after decision (25)


@pytest.mark.parametrize("args,code,words", [
    (["--id", "bo_tinh"], 2, "--id chỉ dùng cùng --criteria"),
    (["--criteria", "--id", "Bộ-Tỉnh"], 2, "mã bộ tiêu chí 'Bộ-Tỉnh' không hợp lệ"),
])
def test_id_usage_errors_write_nothing(tmp_path, args, code, words):
    result = run("import", annex_docx(tmp_path / "pl.docx"), "--out", tmp_path / "xa", *args)
    assert result.exit_code == code and words in result.output, result.output
    assert not (tmp_path / "xa").exists()


def test_an_annex_with_a_heading_and_no_rows_exits_3(tmp_path):
    result = run("import", "--criteria", annex_docx(tmp_path / "pl.docx", rows=[]), "--out", tmp_path / "xa")
    assert result.exit_code == 3 and "không có dòng nào" in result.output, result.output
    assert not (tmp_path / "xa").exists()


def test_the_commune_folder_readme_s_command_replaces_the_draft(tmp_path, monkeypatch):
    """As the folder's README tells a clerk: inside the folder, `vanban import --criteria PHỤ-LỤC --out .`."""
    target = tmp_path / "yen-lac"
    assert run("init", target, "--commune", "Yên Lạc", "--province", "Vĩnh Phúc", "--year", "2025",
               "--period", "6-thang-cuoi").exit_code == 0
    command = "vanban import --criteria <tệp phụ lục> --out ."
    assert command in (target / "README.md").read_text(encoding="utf-8")
    annex = annex_xlsx(tmp_path / "phu-luc.xlsx")
    monkeypatch.chdir(target)
    result = run("import", "--criteria", annex, "--out", ".")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((target / "inputs" / "criteria" / "chi_so_cchc.yaml").read_text(encoding="utf-8"))
    assert data["sample"] is False and data["max"] == 99
    assert data["decision"] == {"number": "77/QĐ-UBND", "date": dt.date(2025, 8, 15),
                                "issuer": "Ủy ban nhân dân tỉnh Thanh Hóa"}
