"""The four follow-on sub-plans, each born from the task that orders it (issue 4)."""

from __future__ import annotations

from click.testing import CliRunner

from pipeline.inputs import deadlines
from pipeline.cli import main
from tests.conftest import open_docx
from tests.docx_read import all_runs_are, body_text, signature_table

SUBPLANS = {
    # file: (type name, symbol, month of the draft date, lead unit's archive code)
    "ke-hoach-con/kh-theo-doi-thpl.docx": ("KẾ HOẠCH", "KH-UBND", 7, "VP"),
    "ke-hoach-con/kh-chuyen-doi-so.docx": ("KẾ HOẠCH", "KH-UBND", 9, "VHXH"),
    "ke-hoach-con/ctr-thtk-clp.docx": ("CHƯƠNG TRÌNH", "CTr-UBND", 7, "KT"),
    "ke-hoach-con/kh-tuyen-truyen-cchc.docx": ("KẾ HOẠCH", "KH-UBND", 7, "VHXH"),
}


def test_four_subplans_with_their_kind_number_and_date(built):
    for path, (type_name, symbol, month, archive) in SUBPLANS.items():
        doc = open_docx(built[path].data)
        number, date = doc.tables[0].rows[1].cells
        assert number.text.strip() == f"Số:      /{symbol}", path
        assert date.text.strip() == f"Xuân Bình, ngày      tháng {month} năm 2025", path
        paras = [p.text for p in doc.paragraphs if p.text.strip()]
        assert type_name in paras, path
        sig = signature_table(doc)
        right = [p.text for p in sig.rows[0].cells[1].paragraphs if p.text.strip()]
        assert right == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trịnh Ngọc Tuấn"], path
        last = [p.text for p in sig.rows[0].cells[0].paragraphs if p.text.strip()][-1]
        assert last == f"- Lưu: VT, {archive}.", path


def test_subplans_cite_the_parent_plan_and_have_real_sections(built):
    for path in SUBPLANS:
        doc = open_docx(built[path].data)
        text = body_text(doc)
        assert ("Thực hiện Kế hoạch số      /KH-UBND ngày      tháng 7 năm 2025 của Ủy ban nhân dân xã Xuân Bình "
                "về cải cách hành chính trên địa bàn xã Xuân Bình 6 tháng cuối năm 2025") in text, path
        sections = [p.text for p in doc.paragraphs if p.style.name == "VB Section"]
        assert sections[0] == "I. MỤC ĐÍCH, YÊU CẦU", path
        assert 4 <= len(sections) <= 7, path
        assert any("KINH PHÍ" in s for s in sections) and any("TỔ CHỨC THỰC HIỆN" in s for s in sections), path
        bases = [p for p in doc.paragraphs if p.style.name == "VB Base"]
        assert bases and all(p.text.startswith("Căn cứ ") for p in bases), path
        assert all(p.text.endswith(";") for p in bases[:-1]) and bases[-1].text.endswith("."), path
        assert all(all_runs_are(p, italic=True) for p in bases), path
        assert len(text) > 4000, "substantive text, not a placeholder"


def test_subplans_agree_with_the_parent(inputs, built):
    # targets shared with the plan come from the same definition
    text = body_text(open_docx(built["ke-hoach-con/kh-chuyen-doi-so.docx"].data))
    for tid in ("ontime_rate", "digitised_results"):
        t = inputs.targets[tid]
        if f"{{ct:{tid}" in (inputs.files["subplans/chuyen_doi_so.yaml"].read_text(encoding="utf-8")):
            assert f"{t.value:g}%" in text
    # every own task is due inside the plan's period, and the sub-plan's date is not after its order's due date
    period = inputs.plan.period
    for sp in inputs.subplans:
        for task in sp.tasks:
            for part in task.deadline:
                due = deadlines.due_date(part, period)
                assert due is None or period.start <= due <= period.end, (sp.id, task.id)
        app, order = inputs.tasks[sp.ordered_by]
        due = deadlines.task_due(order.deadline, period)
        assert (sp.date.year, sp.date.month) <= (due.year, due.month), sp.id
        # units of own tasks are the commune's units
        for task in sp.tasks:
            assert set(task.lead or []) <= set(inputs.units)


def test_a_fifth_subplan_is_one_more_yaml_file(inputs_copy, tmp_path):
    (inputs_copy / "subplans" / "kiem_soat_tthc.yaml").write_text("""\
id: kh_kiem_soat_tthc
ordered_by: tthc_cong_khai
kind: KH
summary: Kiểm soát thủ tục hành chính trên địa bàn xã 6 tháng cuối năm 2025
bases_layout: preamble
bases:
  - Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia
sections:
  - title: Mục đích, yêu cầu
    items:
      - bullet: Công khai đầy đủ, kịp thời {ct:public_disclosure} thủ tục hành chính & kết quả giải quyết.
  - title: Tổ chức thực hiện
    items:
      - clause: "{dv:ttpvhcc}"
        items:
          - Chủ trì tổ chức thực hiện Kế hoạch này.
""", encoding="utf-8")
    out = tmp_path / "o"
    result = CliRunner().invoke(main, ["build", "--inputs", str(inputs_copy), "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = open_docx(out / "ke-hoach-con" / "kh-kiem-soat-tthc.docx")
    text = body_text(doc)
    assert "Kiểm soát thủ tục hành chính trên địa bàn xã 6 tháng cuối năm 2025" in text
    assert "Công khai đầy đủ, kịp thời 100% thủ tục hành chính & kết quả giải quyết." in text
    assert "1. Trung tâm Phục vụ hành chính công" in text
    number, date = doc.tables[0].rows[1].cells
    assert date.text.strip() == "Xuân Bình, ngày      tháng 12 năm 2025"  # due "trước ngày 10/12/2025"


def test_an_ordering_task_that_names_no_document_needs_a_kind(inputs_copy, tmp_path):
    from pipeline.errors import EXIT_INVALID_INPUT

    path = inputs_copy / "subplans" / "x.yaml"
    path.write_text("id: kh_x\nordered_by: tcc_giam_sat_chi_tieu\nsummary: Thử\n"
                    "sections:\n  - title: Mục đích\n    items: [Nội dung.]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--inputs", str(inputs_copy), "--out", str(tmp_path / "o")])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "subplans/x.yaml:2:1" in result.output and "kind: KH" in result.output
