"""Report outlines of the ministries, their statistics annexes and the report's named fields (issues 29, 34).

Expected values come from the spec (spec/report-outlines.md: the Bộ Nội vụ's CCHC outline I–IV and its
Biểu mẫu 1–7), from the real provincial annex in the corpus (columns, row numbering) and from the
bundled inputs read by hand (2025-Q3.yaml: 99,2 %, 96,5 %, 52 %; the tasks of appendices.yaml).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_INVALID_INPUT
from pipeline.ooxml.audit import schema_errors_of_bytes
from tests.conftest import INPUTS, open_docx
from tests.docx_read import body_text, p_text

Q3 = "bao-cao/2025-09-bc-cchc-2025-q3.docx"
AREAS = ["Cải cách thể chế", "Cải cách thủ tục hành chính", "Cải cách tổ chức bộ máy hành chính",
         "Cải cách chế độ công vụ", "Cải cách tài chính công",
         "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"]  # spec: the six areas of part II
NOTE = "[Cán bộ soạn thảo viết"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def lines(doc) -> list[str]:
    return [t for t in body_text(doc).splitlines() if t.strip()]


def sections_of(doc) -> dict[str, list[str]]:
    """The body's paragraphs under each Roman-numbered heading, up to the closing sentence."""
    out: dict[str, list[str]] = {}
    current = None
    for t in lines(doc):
        if re.match(r"^[IVX]+\. [^a-zđ]+$", t):
            current = t
            out[current] = []
        elif t.startswith("Trên đây là báo cáo"):
            break
        elif current is not None:
            out[current].append(t)
    return out


def stat_table(doc):
    return next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")


def form_rows(doc) -> dict[tuple[int, str], list[str]]:
    """{(form number, "2.1."): [name, unit, figure]} of the statistics annex."""
    out, form = {}, 0
    for r in stat_table(doc).rows[1:]:
        cells = [c.text for c in r.cells]
        heading = re.match(r"Biểu mẫu (\d+)\. ", cells[1])
        if heading and cells[1] == cells[-1]:  # a heading row spans the columns after STT
            form = int(heading.group(1))
            continue
        out[(form, cells[0])] = cells[1:4]
    return out


def cchc_kind(inputs: Path = INPUTS) -> dict:
    return yaml.safe_load((inputs / "reports" / "bc_cchc.yaml").read_text(encoding="utf-8"))


def fills(items: list) -> list[dict]:
    out = []
    for item in items:
        if isinstance(item, dict) and "fill" in item:
            out.append(item)
        elif isinstance(item, dict) and "clause" in item:
            out += fills(item.get("items", []))
    return out


def field_names(kind: dict) -> list[str]:
    return [f["field"] for sec in kind["sections"] for f in fills(sec["items"])]


def typed_rows(kind: dict) -> list[str]:
    return [f"bm{fi}-{row['stt']}" for fi, form in enumerate(kind["statistics"]["forms"], 1) for row in form["rows"]
            if row.get("unit") and not row.get("known") and not row.get("indicator")]


def write_content(inputs: Path, fields: dict, figures: dict, indicators: bool = True) -> None:
    progress = inputs / "progress" / "2025-Q3.yaml"
    data = yaml.safe_load(progress.read_text(encoding="utf-8"))
    if indicators:  # every target of the plan, so that no indicator is left blank either
        plan = yaml.safe_load((inputs / "plan.yaml").read_text(encoding="utf-8"))
        data["indicators"] = {t["id"]: 100 for t in plan["targets"]} | data["indicators"]
    data["reports"] = {"bc_cchc": {"fields": fields, "figures": figures}}
    progress.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def build(inputs: Path, out: Path) -> dict[str, object]:
    result = run("build", "--inputs", inputs, "--out", out)
    assert result.exit_code == 0, result.output
    return {p.relative_to(out).as_posix(): p for p in out.rglob("*.docx")}


# ------------------------------------------------------------------ the CCHC outline and its annex


def test_cchc_report_follows_the_ministry_outline(built):
    doc = open_docx(built[Q3].data)
    secs = sections_of(doc)
    assert list(secs) == ["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
                          "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", "III. ĐÁNH GIÁ CHUNG",
                          "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM QUÝ IV NĂM 2025"]
    part1, part2 = secs["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"], list(secs.values())[1]
    # six points of part I (spec): chỉ đạo, tiến độ, kiểm tra, tuyên truyền, nhiệm vụ cấp trên giao, sáng kiến
    assert [t for t in part1 if re.match(r"\d\. ", t)][5].startswith("6. Mô hình, sáng kiến")
    assert [t.split(". ", 1)[1] for t in part2 if re.match(r"\d\. ", t)] == AREAS
    # documents already in the set are cited, not asked for: the plan and the three sub-plans dated 7/2025;
    # the digital-transformation plan, dated 9/2025, is not issued by the cut-off of 14/9/2025
    issued = [t for t in part1 if t.startswith("- Ban hành ")]
    assert len(issued) == 4 and all("ngày      tháng 7 năm 2025 của Ủy ban nhân dân xã Xuân Bình" in t for t in issued)
    assert issued[0].startswith("- Ban hành Kế hoạch số      /KH-UBND") and "về cải cách hành chính" in issued[0]
    assert not any("chuyển đổi số" in t for t in issued)
    # "chỉ đạo, điều hành" once, not again as an area of part II (issue 29, point 2)
    assert sum("chỉ đạo, điều hành" in t.lower() for t in part2) == 0
    # results written per area from the progress file, not a task list with ": ……"
    body = "\n".join(part2)
    assert "- Kế hoạch rà soát ban hành ngày 22/7/2025." in body
    assert "- Tỷ lệ hồ sơ TTHC giải quyết trước và đúng hạn: 99,2%, đạt (chỉ tiêu: trên 98%)." in body
    assert not re.search(r": ……\.?$", body, re.MULTILINE)  # no "task: ……" checklist
    assert "chưa cập nhật" not in body_text(doc)


def test_statistics_annex_has_the_seven_forms_with_their_rows(built):
    doc = open_docx(built[Q3].data)
    table = stat_table(doc)
    # the columns of the real provincial annex (corpus: …Phu_luc_kem_BC_CCHC_nam_2025.docx)
    assert [c.text for c in table.rows[0].cells] == ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"]
    headings = [r.cells[1].text for r in table.rows if r.cells[1].text.startswith("Biểu mẫu ")]
    assert [h.split(".")[0] for h in headings] == [f"Biểu mẫu {i}" for i in range(1, 8)]
    assert headings[6] == "Biểu mẫu 7. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"
    rows = form_rows(doc)
    kind = cchc_kind()
    for fi, form in enumerate(kind["statistics"]["forms"], 1):
        for row in form["rows"]:
            name, unit, _ = rows[(fi, f"{row['stt']}.")]
            assert (name, unit) == (row["name"], row.get("unit", ""))
    # figures the inputs hold: 2025-Q3.yaml's indicators; counts of the tasks (19 in the quarter, 6 done)
    assert rows[(3, "3.1.")] == ["Tỷ lệ hồ sơ thủ tục hành chính giải quyết trước và đúng hạn", "%", "99,2"]
    assert rows[(7, "3.3.")][2] == "96,5" and rows[(7, "3.5.")][2] == "52"
    assert rows[(1, "2.1.")][2] == "19" and rows[(1, "2.2.")][2] == "6" and rows[(1, "2.")][2] == "31,6"
    # none typed yet: blanks, never zeros; a heading row has no figure
    assert rows[(1, "3.1.")][2] == "……" and rows[(1, "3.")][1:] == ["", ""]
    xml = table._tbl.xml
    assert "<w:tblHeader/>" in xml and xml.count("<w:gridCol ") == 5 and "<w:cantSplit/>" in xml
    assert schema_errors_of_bytes(built[Q3].data) == []


# ------------------------------------------------------------------ the fields of a report (issue 34)


def test_every_field_filled_leaves_no_blank_and_no_note(inputs_copy, tmp_path):
    kind = cchc_kind(inputs_copy)
    names = field_names(kind)
    assert len(names) == 16 and len(set(names)) == 16
    fields = {n: f"Nội dung mục {n} do văn phòng viết." for n in names}
    fields["kiem_tra"] = "Đã kiểm tra 3 cơ quan, đơn vị.\nPhát hiện 2 vấn đề, đã xử lý xong."  # two paragraphs
    figures = {key: i for i, key in enumerate(typed_rows(kind), 1)}
    figures["bm3-3.1.1"] = 25898
    write_content(inputs_copy, fields, figures)
    docs = build(inputs_copy, tmp_path / "outputs")
    doc = open_docx(docs[Q3])
    text = body_text(doc)
    assert NOTE not in text and "……" not in text
    for n in names:
        if n != "kiem_tra":
            assert f"Nội dung mục {n} do văn phòng viết." in lines(doc)
    assert {"Đã kiểm tra 3 cơ quan, đơn vị.", "Phát hiện 2 vấn đề, đã xử lý xong."} <= set(lines(doc))
    rows = form_rows(doc)
    assert rows[(3, "3.1.1.")][2] == "25.898" and rows[(1, "3.1.")][2] == str(figures["bm1-3.1"])
    assert not [p for p in doc.paragraphs if p.style.name == "VB Fill"]
    assert schema_errors_of_bytes(docs[Q3].read_bytes()) == []
    # the figures the office typed are said in the area's text too
    assert f"- Số thủ tục hành chính thuộc thẩm quyền giải quyết của cấp xã: {figures['bm3-1.1']} thủ tục." in text
    lint = run("lint", "--inputs", inputs_copy, "--format", "json")
    assert "report-field-empty" not in lint.output and "report-figure-empty" not in lint.output
    # another report of the quarter keeps its own notes: fields belong to one report
    assert NOTE in body_text(open_docx(docs["bao-cao/2025-09-bc-tuyen-truyen-2025-q3.docx"]))


def test_an_empty_field_keeps_its_blank_and_lint_names_it(inputs_copy, tmp_path):
    kind = cchc_kind(inputs_copy)
    fields = {n: f"Nội dung mục {n}." for n in field_names(kind) if n != "kiem_tra"}
    figures = {key: 1 for key in typed_rows(kind) if key != "bm1-3.2"}
    write_content(inputs_copy, fields, figures)
    docs = build(inputs_copy, tmp_path / "outputs")
    doc = open_docx(docs[Q3])
    # a place to write is a content control showing its placeholder: its words are inside the control
    notes = [p_text(p._p) for p in doc.paragraphs if p.style.name == "VB Fill"]
    assert notes == ["[Cán bộ soạn thảo viết: Nêu số cuộc kiểm tra, số cơ quan, đơn vị được kiểm tra, các vấn đề "
                     "phát hiện và kết quả xử lý.]"]
    assert form_rows(doc)[(1, "3.2.")][2] == "……"
    result = run("lint", "--inputs", inputs_copy, "--format", "json")
    found = sorted((f for f in json.loads(result.output) if f["rule"].startswith("report-")), key=lambda f: f["rule"])
    progress = (inputs_copy / "progress" / "2025-Q3.yaml").read_text(encoding="utf-8").splitlines()
    line = progress.index("  bc_cchc:") + 1
    assert [(f["file"], f["line"], f["rule"], f["severity"]) for f in found] == [
        ("inputs/progress/2025-Q3.yaml", line, "report-field-empty", "warning"),
        ("inputs/progress/2025-Q3.yaml", line, "report-figure-empty", "warning")]
    assert "mục 'kiem_tra' còn trống" in found[0]["message"] and "bm1-3.2" in found[1]["message"]


@pytest.mark.parametrize("where, wrong, said", [
    ("fields", {"kiem_traa": "x"}, "không có mục cần viết (field) tên 'kiem_traa'"),
    ("figures", {"bm1-9.9": 3}, "không có dòng số liệu 'bm1-9.9'"),
    ("figures", {"bm1-2.1": 3}, "vanban tự tính từ tiến độ các nhiệm vụ"),
    ("figures", {"bm3-3.1": 99}, "lấy từ chỉ tiêu 'ontime_rate'"),
])
def test_a_wrong_name_in_the_content_is_a_located_error(inputs_copy, tmp_path, where, wrong, said):
    write_content(inputs_copy, wrong if where == "fields" else {}, wrong if where == "figures" else {},
                  indicators=False)
    result = run("build", "--inputs", inputs_copy, "--out", tmp_path / "outputs")
    assert result.exit_code == EXIT_INVALID_INPUT
    progress = (inputs_copy / "progress" / "2025-Q3.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(progress, 1) if t.strip().startswith(next(iter(wrong))))
    assert f"inputs/progress/2025-Q3.yaml:{line}:" in result.output and said in result.output
    if "kiem_traa" in wrong:
        assert "có phải ý là 'kiem_tra'?" in result.output
    assert not any((tmp_path / "outputs").rglob("*.docx"))


def test_a_figure_that_is_no_number_and_a_form_that_is_not_there_are_located_errors(inputs_copy, tmp_path):
    write_content(inputs_copy, {}, {"bm1-3.1": float("nan")}, indicators=False)
    kind = inputs_copy / "reports" / "bc_cchc.yaml"
    kind.write_text(kind.read_text(encoding="utf-8").replace("            form: 7\n", "            form: 8\n"),
                    encoding="utf-8")
    result = run("build", "--inputs", inputs_copy, "--out", tmp_path / "outputs")
    assert result.exit_code == EXIT_INVALID_INPUT
    progress = (inputs_copy / "progress" / "2025-Q3.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(progress, 1) if t.strip().startswith("bm1-3.1:"))
    assert f"inputs/progress/2025-Q3.yaml:{line}:" in result.output and "không phải .nan hay .inf" in result.output
    write_content(inputs_copy, {}, {"bm1-3.1": 2}, indicators=False)  # the file read, its references are checked
    result = run("build", "--inputs", inputs_copy, "--out", tmp_path / "outputs")
    assert result.exit_code == EXIT_INVALID_INPUT
    form_line = kind.read_text(encoding="utf-8").splitlines().index("            form: 8") + 1
    assert f"inputs/reports/bc_cchc.yaml:{form_line}:" in result.output
    assert "không có biểu mẫu 8" in result.output


# ------------------------------------------------------------------ one consistent set (issue 29, points 3, 6, 7)


def test_outlook_lists_what_remains(built):
    doc = open_docx(built[Q3].data)
    outlook = "\n".join(list(sections_of(doc).values())[3])
    # reported done in 2025-Q3.yaml: not the next quarter's task
    assert "Xây dựng kế hoạch 6 tháng cuối năm 2025 của UBND xã" not in outlook
    # the monitoring plan is issued (14/7): what remains is its report, due 11/2025
    assert "Ban hành kế hoạch theo dõi thi hành pháp luật" not in outlook
    assert ("- Báo cáo kết quả thực hiện Kế hoạch theo dõi tình hình thi hành pháp luật trên địa bàn xã Xuân Bình "
            "6 tháng cuối năm 2025 (chậm nhất tháng 11/2025).") in outlook


def test_work_within_the_half_year_counts_from_its_start(built):
    """'Trong 6 tháng cuối năm 2025' runs from 1/7 as 'Thường xuyên …' does: both are tasks of the quarter."""
    rows = [r.cells[1].text for r in open_docx(built[Q3].data).tables[-1].rows[1:]]
    assert "Xây dựng Kế hoạch kiểm tra việc thực hiện các văn bản QPPL" in rows  # within_period
    assert any(r.startswith("Tập trung giải quyết các thủ tục hành chính") for r in rows)  # ongoing


def test_a_report_never_lists_its_own_making(built):
    apps = yaml.safe_load((INPUTS / "appendices.yaml").read_text(encoding="utf-8"))
    subplans = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (INPUTS / "subplans").glob("*.yaml")]
    tasks = {t["id"]: t["content"] for a in apps["appendices"] for t in a["tasks"]}
    tasks |= {t["id"]: t["content"] for sp in subplans for t in sp.get("tasks", [])}
    for name, own in (("bao-cao/2025-12-bc-chuyen-doi-so-2025.docx", "cds_bao_cao"),
                      ("bao-cao/2025-12-bc-thtk-clp-2025.docx", "thtk_bao_cao")):
        doc = open_docx(built[name].data)
        listed = [r.cells[1].text for r in doc.tables[-1].rows[1:]]
        assert listed and tasks[own] not in listed, name


def test_numbering_has_no_loose_bullet_and_no_lone_clause(built):
    for name, b in built.items():
        if not name.startswith("bao-cao/"):
            continue
        for title, paras in sections_of(open_docx(b.data)).items():
            clauses = [int(t.split(".")[0]) for t in paras if re.match(r"^\d+\. ", t)]
            if not clauses:
                continue
            assert clauses == list(range(1, len(clauses) + 1)) and len(clauses) != 1, (name, title)
            before = paras[:next(i for i, t in enumerate(paras) if t.startswith("1. "))]
            assert not any(t.startswith("- ") for t in before), (name, title, before)


def test_discipline_and_propaganda_reports_have_an_addressee(built):
    for name in ("bao-cao/2025-07-bc-ky-luat-ky-cuong-2025-07.docx", "bao-cao/2025-09-bc-tuyen-truyen-2025-q3.docx"):
        doc = open_docx(built[name].data)
        text = lines(doc)
        assert "Kính gửi: Sở Nội vụ tỉnh Thanh Hóa." in text, name
        received = text[text.index("Nơi nhận:") + 1]
        assert received == "- Như trên;", name


# ------------------------------------------------------------------ a new commune, a new period


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("fresh") / "yen-lac"
    assert run("init", target, "--commune", "Yên Lạc", "--province", "Vĩnh Phúc", "--year", "2025",
               "--period", "6-thang-cuoi").exit_code == 0
    result = run("build", "--inputs", target / "inputs", "--out", target / "outputs")
    assert result.exit_code == 0, result.output
    return target


def test_a_new_commune_gets_the_outlines_and_annexes(fresh):
    doc = open_docx(fresh / "outputs" / Q3)
    assert len(sections_of(doc)) == 4
    assert sum(r.cells[1].text.startswith("Biểu mẫu ") for r in stat_table(doc).rows) == 7
    kl = lines(open_docx(fresh / "outputs" / "bao-cao" / "2025-07-bc-ky-luat-ky-cuong-2025-07.docx"))
    assert "Kính gửi: Sở Nội vụ tỉnh Vĩnh Phúc." in kl
    thrift = open_docx(fresh / "outputs" / "bao-cao" / "2025-12-bc-thtk-clp-2025.docx")
    assert [c.text for c in stat_table(thrift).rows[0].cells][:4] == ["STT", "Chỉ tiêu thống kê", "Đơn vị tính",
                                                                       "Số liệu"]
    assert any(r.cells[2].text == "Triệu đồng" for r in stat_table(thrift).rows)


def test_the_content_of_a_period_is_not_carried_into_the_next(tmp_path):
    old = tmp_path / "xuan-binh"
    shutil.copytree(INPUTS, old / "inputs")
    kind = cchc_kind(old / "inputs")
    write_content(old / "inputs", {n: "Nội dung quý III." for n in field_names(kind)}, {"bm1-3.1": 3})
    new = tmp_path / "xuan-binh-2026"
    result = run("init", new, "--from", old, "--period", "ca-nam", "--year", "2026")
    assert result.exit_code == 0, result.output
    carried = "\n".join(line for p in (new / "inputs").rglob("*.yaml")
                        for line in p.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#"))
    assert "Nội dung quý III." not in carried and "bm1-3.1: 3" not in carried
    progress = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (new / "inputs" / "progress").glob("*.yaml")]
    assert progress and all("reports" not in p for p in progress)
