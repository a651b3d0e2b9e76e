"""Report shells from the plan's calendar, filled from progress (issue 5)."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_INVALID_INPUT
from tests.conftest import open_docx
from tests.docx_read import body_text, p_text, page_setup, sections_xml, shown

Q3 = "bao-cao/2025-09-bc-cchc-2025-q3.docx"
YEAR = "bao-cao/2025-12-bc-cchc-2025.docx"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_the_plan_calls_for_these_reports(built):
    """Exactly the reports the plan and its sub-plans ask for (issue 15), read off their deadlines:
    Phụ lục VI task 1 (CCHC, hằng quý, năm), Phụ lục III task 3 (kỷ luật, kỷ cương: tháng, quý, năm),
    Phụ lục VI task 3 (tuyên truyền: quý, năm), Phụ lục I task 1 (theo dõi thi hành pháp luật, chậm nhất
    tháng 11/2025, năm 2025), Phụ lục VI task 2 (tự chấm điểm, tháng 12/2025), the digital-transformation
    and thrift sub-plans (báo cáo năm 2025, trước ngày 20/12/2025). No report of a single task."""
    reports = sorted(p.removeprefix("bao-cao/") for p in built if p.startswith("bao-cao/"))
    assert reports == sorted([
        "2025-07-bc-ky-luat-ky-cuong-2025-07.docx", "2025-08-bc-ky-luat-ky-cuong-2025-08.docx",
        "2025-09-bc-cchc-2025-q3.docx", "2025-09-bc-ky-luat-ky-cuong-2025-q3.docx",
        "2025-09-bc-tuyen-truyen-2025-q3.docx", "2025-10-bc-ky-luat-ky-cuong-2025-10.docx",
        "2025-11-bc-ky-luat-ky-cuong-2025-11.docx", "2025-11-bc-theo-doi-thpl-2025.docx",
        "2025-12-bc-cchc-2025.docx", "2025-12-bc-ky-luat-ky-cuong-2025.docx", "2025-12-bc-tuyen-truyen-2025.docx",
        "2025-12-bc-tu-cham-diem-2025.docx", "2025-12-bc-chuyen-doi-so-2025.docx", "2025-12-bc-thtk-clp-2025.docx",
    ])


def test_report_shell_has_the_decree_form(built):
    doc = open_docx(built[YEAR].data)
    number, date = doc.tables[0].rows[1].cells
    assert number.text.strip() == "Số:      /BC-UBND"
    assert date.text.strip() == "Xuân Bình, ngày      tháng 12 năm 2025"
    paras = [shown(p.text) for p in doc.paragraphs if p.text.strip()]
    assert "BÁO CÁO" in paras
    assert "Kết quả thực hiện công tác cải cách hành chính năm 2025" in paras
    # §9: several recipients as a block, "Kính gửi:" beside them, one per line
    to = next(t for t in doc.tables if t.rows[0].cells[0].text == "Kính gửi:")
    assert [p.text for p in to.rows[0].cells[1].paragraphs] == [
        "- Ủy ban nhân dân tỉnh Thanh Hóa;", "- Sở Nội vụ tỉnh Thanh Hóa."]
    sections = [p.text for p in doc.paragraphs if p.style.name == "VB Section"]
    # the Bộ Nội vụ's outline (spec/report-outlines.md): I–IV, đề xuất, kiến nghị under IV
    assert sections == ["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
                        "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", "III. ĐÁNH GIÁ CHUNG",
                        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM NĂM 2026"]
    fills = [p for p in doc.paragraphs if p.style.name == "VB Fill"]  # the marking words: a content control's
    assert len(fills) >= 5 and all(p_text(p._p).startswith("[") for p in fills), \
        "marked places to write"
    secs = [page_setup(s) for s in sections_xml(doc)]
    # the statistics forms and the task table, each an annex on landscape pages
    assert [s["orient"] for s in secs] == ["portrait", "landscape", "landscape"]


def annex(doc):
    return next(t for t in doc.tables if t.rows[0].cells[0].text == "TT")


def test_q3_report_shows_statuses_and_computed_figures(built):
    doc = open_docx(built[Q3].data)
    text = body_text(doc)
    # 19 tasks of the plan are due by 30/9, run all along or run within the half year (counted by hand
    # from appendices.yaml); 7 have progress in 2025-Q3.yaml (5 done, 4 of them on time; 2 going on)
    # and the thrift programme's task is done: the set holds the programme, dated 7/2025
    assert ("Tổng số nhiệm vụ trong kỳ báo cáo: 19, trong đó có số liệu đến ngày 14/9/2025: 8 nhiệm vụ; "
            "đã hoàn thành: 6 (đúng hạn: 5, trễ hạn: 1); đang thực hiện: 2, trong đó quá hạn: 0; "
            "chưa thực hiện: 0, trong đó quá hạn: 0 (tính đến ngày 14/9/2025).") in text
    assert "chưa cập nhật" not in text  # no tracker's words in an official report (issue 29)
    assert "(số liệu tính từ ngày 01/7/2025 đến ngày 14/9/2025)" in text
    assert "Tỷ lệ hồ sơ TTHC giải quyết trước và đúng hạn: 99,2%, đạt (chỉ tiêu: trên 98%)." in text
    assert "96,5%, chưa đạt (chỉ tiêu: 100%)." in text
    # the customary separators: a colon after the indicator, no dash (issue 14)
    assert "—" not in text
    rows = {r.cells[1].text: r.cells[4].text for r in annex(doc).rows[1:]}
    thpl = next(v for k, v in rows.items() if k.startswith("Ban hành kế hoạch theo dõi thi hành pháp luật"))
    assert thpl == "Đang thực hiện"  # its report is due in November
    thrift = next(v for k, v in rows.items() if k.startswith("Xây dựng chương trình thực hành tiết kiệm"))
    assert thrift == "Hoàn thành đúng hạn"  # the programme is in the set, not "overdue" (issue 29)
    assert any(v == "Hoàn thành trễ hạn" for v in rows.values())
    header = [c.text for c in annex(doc).rows[0].cells]
    assert header == ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Tình trạng", "Kết quả"]
    # tasks due only after the quarter are not listed
    assert not any(k.startswith("Thực hiện công khai kịp thời") for k in rows)


def test_without_progress_a_shell_has_blanks(built):
    doc = open_docx(built[YEAR].data)
    text = body_text(doc)
    # no 2025.yaml: only the four sub-plans of the set say that the tasks ordering them are done
    assert "trong đó có số liệu đến ngày 14/12/2025: 4 nhiệm vụ; đã hoàn thành: 4 (đúng hạn: 4" in text
    statuses = [r.cells[4].text for r in annex(doc).rows[1:]]
    assert statuses.count("Hoàn thành đúng hạn") == 4 and statuses.count("") == len(statuses) - 4
    # a text report without figures has no zero figures either: blanks in the statistics forms
    forms = doc.tables[-2]
    assert forms.rows[0].cells[3].text == "Số liệu"
    shown_figures = {r.cells[0].text: r.cells[3].text for r in forms.rows[1:] if r.cells[2].text}
    assert shown_figures["3.1."] == "……" and "0" not in shown_figures.values()


def test_unknown_task_in_progress_is_a_located_error(inputs_copy, tmp_path):
    path = inputs_copy / "progress" / "2025-Q3.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    idx = next(i for i, l in enumerate(lines) if l.startswith("  the_che_luat_ban_hanh_vb:"))
    lines[idx] = "  the_che_luat_ban_hanh:"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("build", "--inputs", inputs_copy, "--out", tmp_path / "o")
    assert result.exit_code == EXIT_INVALID_INPUT
    assert f"progress/2025-Q3.yaml:{idx + 1}:3" in result.output
    assert "the_che_luat_ban_hanh_vb" in result.output  # suggested fix


def test_unknown_indicator_in_progress_is_a_located_error(inputs_copy, tmp_path):
    path = inputs_copy / "progress" / "2025-Q3.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("online_payment:", "online_pay:"), encoding="utf-8")
    result = run("build", "--inputs", inputs_copy, "--out", tmp_path / "o")
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "online_pay" in result.output and "progress/2025-Q3.yaml:" in result.output


def test_a_new_report_kind_is_yaml_only(inputs_copy, tmp_path):
    (inputs_copy / "reports" / "bc_so_hoa.yaml").write_text(
        "id: bc_so_hoa\nname: kết quả số hóa kết quả giải quyết thủ tục hành chính\n"
        "tasks: [hdh_csdl_ho_tich]\nscope: own\nto: [Sở Nội vụ tỉnh Thanh Hóa]\n", encoding="utf-8")
    out = tmp_path / "o"
    assert run("build", "--inputs", inputs_copy, "--out", out).exit_code == 0
    made = sorted(p.name for p in (out / "bao-cao").glob("*bc-so-hoa*"))
    assert made, "the new kind claims its task's reports"
    doc = open_docx(out / "bao-cao" / made[0])
    assert "Kết quả số hóa kết quả giải quyết thủ tục hành chính" in body_text(doc)


def test_calendar_lists_overdue_and_soon_and_exports_ics(tmp_path):
    from icalendar import Calendar

    from tests.conftest import INPUTS

    ics = tmp_path / "lich.ics"
    result = CliRunner().invoke(main, ["calendar", "--inputs", str(INPUTS), "--today", "2025-09-20",
                                       "--ics", str(ics)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "QUÁ HẠN" in result.output and "sắp đến hạn" in result.output
    cal = Calendar.from_ical(ics.read_bytes())
    events = list(cal.walk("VEVENT"))
    dates = [e.decoded("dtstart") for e in events]
    assert dates == sorted(dates)
    summaries = [str(e.get("summary")) for e in events]
    assert any("quý III năm 2025" in s for s in summaries)
    assert dt.date(2025, 9, 30) in dates
    # reproducible: a second export gives the same bytes
    again = tmp_path / "lich2.ics"
    CliRunner().invoke(main, ["calendar", "--inputs", str(INPUTS), "--ics", str(again)])
    assert again.read_bytes() == ics.read_bytes()
