"""Issue and freeze (`vanban issue`), hand edits that do not block the set, the register (`vanban register`).

Real builds of the bundled inputs into a temporary folder, read back from the .docx files: what a
clerk sees in Word, the YAML file as she typed it, the register as Excel opens it.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipeline import errors as E
from pipeline.cli import main
from pipeline.output import manifest as mf
from tests.conftest import open_docx
from tests.docx_read import body_text

PLAN = "ke-hoach-cchc.docx"
APPENDIX_I = "phu-luc/phu-luc-I-the-che.docx"
Q3_REPORT = "bao-cao/2025-09-bc-cchc-2025-q3.docx"  # cites the plan; lists the tasks of Phụ lục I
Q3_MEDIA = "bao-cao/2025-09-bc-tuyen-truyen-2025-q3.docx"  # shows the progress file's "Đã đăng 12 tin"
TASK_OLD = "Triển khai Luật sửa đổi, bổ sung một số điều của Luật Ban hành"
TASK_NEW = "Tổ chức triển khai Luật sửa đổi, bổ sung một số điều của Luật Ban hành"
# the decree's citation of the plan, once issued (Nghị định 30, Phụ lục I: type, number/symbol, date, issuer)
CITED = "Kế hoạch số 12/KH-UBND ngày 14 tháng 7 năm 2025 của Ủy ban nhân dân xã Xuân Bình"


def vanban(project, *args):
    return CliRunner().invoke(main, [*args, "--inputs", str(project / "inputs"), "--out", str(project / "outputs")])


def text(project, rel) -> str:
    return body_text(open_docx(project / "outputs" / rel))


def edit(path, old, new):
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def project(inputs_copy, tmp_path):
    assert vanban(tmp_path, "build").exit_code == 0
    return tmp_path


@pytest.fixture
def issued(project):
    """The bundled set with its plan issued as 12/KH-UBND on 14 July 2025."""
    result = vanban(project, "issue", "ke_hoach_cchc", "--number", "12/KH-UBND", "--date", "14/7/2025")
    assert result.exit_code == 0, result.output + str(result.exception)
    return project, result


def test_issuing_the_plan_puts_its_number_and_date_in_it_and_in_every_citation(project):
    plan_yaml = project / "inputs" / "plan.yaml"
    typed = plan_yaml.read_text(encoding="utf-8").splitlines()
    out = project / "outputs"
    drafts = [p.relative_to(out).as_posix() for p in sorted(out.rglob("*.docx"))
              if "Kế hoạch số" in (t := body_text(open_docx(p))) and "của Ủy ban nhân dân xã Xuân Bình về cải cách hành chính" in t]
    assert Q3_REPORT in drafts and len(drafts) >= 5  # every report of the plan, its appendices …

    result = vanban(project, "issue", "ke_hoach_cchc", "--number", "12/KH-UBND", "--date", "14/7/2025")
    assert result.exit_code == 0, result.output
    assert "Đã ban hành:" in result.output and "số 12/KH-UBND ngày 14/7/2025" in result.output
    # exactly the two lines changed in plan.yaml, their comments kept
    now = plan_yaml.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(typed, now) if a != b]
    assert len(now) == len(typed) and [b.split("#")[0].strip() for _, b in changed] == \
        ["number: 12", 'date: "2025-07-14"']
    assert all(a.split("#", 1)[1] == b.split("#", 1)[1] for a, b in changed)
    # the plan itself: the number line and the date line of the decree
    plan = text(project, PLAN)
    assert "Số: 12/KH-UBND" in plan and "Xuân Bình, ngày 14 tháng 7 năm 2025" in plan
    for rel in drafts:
        if rel != PLAN:
            assert "12/KH-UBND ngày 14 tháng 7 năm 2025" in text(project, rel), rel
    # recorded as issued, with the hash of the file on disk
    record = json.loads((out / mf.MANIFEST_NAME).read_text(encoding="utf-8"))["issued"][PLAN]
    assert record["number"] == "12/KH-UBND" and record["date"] == "2025-07-14"
    assert record["output"] == mf.sha256((out / PLAN).read_bytes())
    assert vanban(project, "build", "--check").exit_code == 0


def test_a_later_task_edit_leaves_the_issued_plan_and_rebuilds_the_reports(issued):
    project, _ = issued
    out = project / "outputs"
    plan_bytes, appendix_bytes = (out / PLAN).read_bytes(), (out / APPENDIX_I).read_bytes()
    assert TASK_OLD in text(project, Q3_REPORT)
    edit(project / "inputs" / "appendices.yaml", TASK_OLD, TASK_NEW)

    result = vanban(project, "build")
    assert result.exit_code == 0, result.output
    assert (out / PLAN).read_bytes() == plan_bytes  # byte for byte the issued plan …
    assert (out / APPENDIX_I).read_bytes() == appendix_bytes  # … and the appendix issued with it
    assert TASK_NEW not in text(project, PLAN)
    said = result.stderr
    assert f"{out / PLAN}" in said and "đã ban hành — sửa bằng văn bản mới" in said
    assert TASK_NEW in text(project, Q3_REPORT)  # the report on the task is rebuilt
    assert CITED in text(project, Q3_REPORT)
    # said again at the next build (nothing forgotten), and --check accepts the issued plan
    again = vanban(project, "build")
    assert again.exit_code == 0 and f"{out / PLAN}" in again.stderr and (out / PLAN).read_bytes() == plan_bytes
    assert vanban(project, "build", "--check").exit_code == 0


def test_a_hand_edited_report_no_longer_stops_the_build_of_the_others(project):
    from docx import Document

    out = project / "outputs"
    report = Document(str(out / Q3_REPORT))
    report.add_paragraph("Văn phòng bổ sung: số liệu tháng 9 đã đối chiếu.")
    report.save(str(out / Q3_REPORT))
    edited = (out / Q3_REPORT).read_bytes()
    edit(project / "inputs" / "progress" / "2025-Q3.yaml", "Đã đăng 12 tin", "Đã đăng 17 tin")

    result = vanban(project, "build")
    assert result.exit_code == E.EXIT_REFUSED  # documented: 5, the other documents written
    assert (out / Q3_REPORT).read_bytes() == edited
    assert "Đã đăng 17 tin" in text(project, Q3_MEDIA)
    assert f"sửa tay:  {(out / Q3_REPORT).resolve()}" in result.stderr
    assert "các văn bản khác đã được ghi" in result.stderr


def test_a_wrong_symbol_or_date_changes_nothing(project):
    out = project / "outputs"
    before_yaml = (project / "inputs" / "plan.yaml").read_bytes()
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    wrong = vanban(project, "issue", "ke_hoach_cchc", "--number", "12/BC-UBND", "--date", "2025-07-14")
    assert wrong.exit_code == E.EXIT_USAGE and "KH-UBND" in wrong.stderr
    bad_day = vanban(project, "issue", "ke_hoach_cchc", "--number", "12/KH-UBND", "--date", "31/6/2025")
    assert bad_day.exit_code == E.EXIT_USAGE and "31/6/2025" in bad_day.stderr
    future = vanban(project, "issue", "ke_hoach_cchc", "--number", "12/KH-UBND", "--date", "2025-12-01")
    assert future.exit_code == E.EXIT_USAGE and "sau hôm nay" in future.stderr  # the suite's today: 2025-10-01
    unknown = vanban(project, "issue", "ke_hoach_khac", "--number", "12/KH-UBND", "--date", "2025-07-14")
    assert unknown.exit_code == E.EXIT_USAGE and "ke_hoach_cchc" in unknown.stderr
    assert (project / "inputs" / "plan.yaml").read_bytes() == before_yaml
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_an_issued_document_is_not_issued_again_under_another_number(issued):
    project, _ = issued
    same = vanban(project, "issue", "ke_hoach_cchc", "--number", "12/KH-UBND", "--date", "2025-07-14")
    assert same.exit_code == 0 and "không có gì thay đổi" in same.output
    other = vanban(project, "issue", "ke_hoach_cchc", "--number", "13/KH-UBND", "--date", "2025-07-14")
    assert other.exit_code == E.EXIT_USAGE and "sửa bằng văn bản mới" in other.stderr
    # a number is given once a year: a sub-plan cannot take the plan's number
    taken = vanban(project, "issue", "kh_chuyen_doi_so", "--number", "12/KH-UBND", "--date", "2025-08-01")
    assert taken.exit_code == E.EXIT_USAGE and PLAN in taken.stderr


def test_a_sub_plan_gets_its_number_on_lines_of_its_own(project):
    path = project / "inputs" / "subplans" / "chuyen_doi_so.yaml"
    typed = path.read_text(encoding="utf-8")
    result = vanban(project, "issue", "kh_chuyen_doi_so", "--number", "3/KH-UBND", "--date", "2025-08-05")
    assert result.exit_code == 0, result.output
    now = path.read_text(encoding="utf-8")
    assert now.replace('number: 3\ndate: "2025-08-05"\n', "") == typed  # two lines added, nothing else
    shown = text(project, "ke-hoach-con/kh-chuyen-doi-so.docx")
    assert "Số: 03/KH-UBND" in shown and "ngày 05 tháng 8 năm 2025" in shown


def test_a_hand_finished_report_and_a_signed_scan_are_adopted(project, tmp_path):
    from docx import Document

    out = project / "outputs"
    finished = tmp_path / "bao-cao-hoan-thien.docx"
    doc = Document(str(out / Q3_REPORT))
    doc.add_paragraph("Số liệu do Văn phòng hoàn thiện trước khi trình ký.")
    doc.save(str(finished))
    result = vanban(project, "issue", str(out / Q3_REPORT), "--number", "25/BC-UBND", "--date", "2025-09-20",
                    "--file", str(finished))
    assert result.exit_code == 0, result.output
    assert (out / Q3_REPORT).read_bytes() == finished.read_bytes()
    # a later change of what the report shows keeps the issued one, and says so
    edit(project / "inputs" / "appendices.yaml", TASK_OLD, TASK_NEW)
    later = vanban(project, "build")
    assert later.exit_code == 0 and (out / Q3_REPORT).read_bytes() == finished.read_bytes()
    assert f"{out / Q3_REPORT}" in later.stderr and "sửa bằng văn bản mới" in later.stderr
    assert "Văn phòng hoàn thiện" in text(project, Q3_REPORT)

    scan = tmp_path / "ke-hoach-da-ky.pdf"
    scan.write_bytes(b"%PDF-1.4\n% a signed scan\n%%EOF\n")
    signed = vanban(project, "issue", "ke_hoach_cchc", "--number", "12/KH-UBND", "--date", "2025-07-14",
                    "--file", str(scan))
    assert signed.exit_code == 0, signed.output
    assert (out / "ban-hanh" / "ke-hoach-cchc.pdf").read_bytes() == scan.read_bytes()
    record = json.loads((out / mf.MANIFEST_NAME).read_text(encoding="utf-8"))["issued"][PLAN]
    assert record["scan"] == {"path": "ban-hanh/ke-hoach-cchc.pdf", "sha256": mf.sha256(scan.read_bytes())}
    not_pdf = tmp_path / "khong-phai.pdf"
    not_pdf.write_bytes(b"PK\x03\x04")
    refused = vanban(project, "issue", "kh_chuyen_doi_so", "--number", "3/KH-UBND", "--date", "2025-08-05",
                     "--file", str(not_pdf))
    assert refused.exit_code == E.EXIT_USAGE and "PDF" in refused.stderr


def test_the_register_lists_issued_documents_and_exports_the_decree_form(issued, tmp_path):
    from openpyxl import load_workbook

    project, _ = issued
    out = project / "outputs"
    assert vanban(project, "issue", str(out / Q3_REPORT), "--number", "25/BC-UBND",
                  "--date", "20/9/2025").exit_code == 0
    book = tmp_path / "so-van-ban-di.xlsx"
    result = CliRunner().invoke(main, ["register", "--out", str(out), "--xlsx", str(book)])
    assert result.exit_code == 0, result.output
    assert "12/KH-UBND" in result.output and "25/BC-UBND" in result.output
    sheet = load_workbook(book).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐI" and rows[1][0] == "Năm 2025"
    # Nghị định 30/2020/NĐ-CP, Phụ lục IV: Sổ đăng ký văn bản đi
    assert rows[2] == ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung", "Người ký",
                       "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận",
                       "Ghi chú"]
    plan_row, report_row = rows[4], rows[5]  # by date
    assert plan_row[:4] == ["12/KH-UBND", "14/07/2025",
                            "Kế hoạch Cải cách hành chính trên địa bàn xã Xuân Bình 6 tháng cuối năm 2025",
                            "Trịnh Ngọc Tuấn"]
    assert "Thường trực Đảng ủy (để b/c)" in plan_row[4] and plan_row[5] == "VT, VP"
    assert plan_row[7] is None and plan_row[8] is None and PLAN in plan_row[9]
    assert report_row[:3] == ["25/BC-UBND", "20/09/2025",
                              "Báo cáo kết quả thực hiện công tác cải cách hành chính quý III năm 2025"]
    assert len(rows) == 6  # the appendices issued with the plan are not lines of their own


def test_an_issued_file_changed_on_disk_is_never_written_over(issued):
    project, _ = issued
    out = project / "outputs"
    issued_bytes = (out / PLAN).read_bytes()
    (out / PLAN).unlink()  # deleted: the build makes the very bytes issued, and writes them back
    assert vanban(project, "build").exit_code == 0 and (out / PLAN).read_bytes() == issued_bytes
    edit(project / "inputs" / "appendices.yaml", TASK_OLD, TASK_NEW)
    (out / PLAN).unlink()  # deleted after the inputs changed: vanban cannot make the issued version again
    result = vanban(project, "build")
    assert result.exit_code == 0 and not (out / PLAN).exists()
    assert f"{out / PLAN}" in result.stderr and "lấy lại bản đã ban hành từ git" in result.stderr
    assert TASK_NEW in text(project, Q3_REPORT)
    (out / PLAN).write_bytes(issued_bytes)
    assert vanban(project, "build").exit_code == 0 and (out / PLAN).read_bytes() == issued_bytes


def test_the_issued_pdf_is_recorded_and_kept(project):
    from tests.conftest import soffice_or_skip

    soffice_or_skip()
    out = project / "outputs"
    result = vanban(project, "issue", "kh_chuyen_doi_so", "--number", "3/KH-UBND", "--date", "2025-08-05", "--pdf")
    assert result.exit_code == 0, result.output + str(result.exception)
    pdf = out / "pdf" / "ke-hoach-con" / "kh-chuyen-doi-so.pdf"
    made = pdf.read_bytes()
    assert made.startswith(b"%PDF-")
    record = json.loads((out / mf.MANIFEST_NAME).read_text(encoding="utf-8"))["issued"]["ke-hoach-con/kh-chuyen-doi-so.docx"]
    assert record["pdf"] == {"path": "pdf/ke-hoach-con/kh-chuyen-doi-so.pdf", "sha256": mf.sha256(made)}
    edit(project / "inputs" / "subplans" / "chuyen_doi_so.yaml", "Triển khai đồng bộ", "Tiếp tục triển khai đồng bộ")
    assert vanban(project, "build").exit_code == 0
    again = json.loads((out / mf.MANIFEST_NAME).read_text(encoding="utf-8"))["issued"]["ke-hoach-con/kh-chuyen-doi-so.docx"]
    assert again["pdf"] == record["pdf"] and pdf.read_bytes() == made


def test_a_hand_edited_register_record_is_read_safely(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "outputs"
    out.mkdir()
    odd = {"output": "0" * 64, "number": "7/KH-UBND", "date": "2025-08-01", "title": {"x": 1},
           "recipients": 5, "archive": ["VT", 3], "copies": "nhiều"}
    (out / mf.MANIFEST_NAME).write_text(json.dumps({"format": 1, "outputs": {}, "issued": {
        "a.docx": odd, "../ngoai.docx": dict(odd, number="8/KH-UBND"), "b.docx": dict(odd, date="không phải ngày")}}),
        encoding="utf-8")
    book = tmp_path / "so.xlsx"
    result = CliRunner().invoke(main, ["register", "--out", str(out), "--xlsx", str(book)])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(book).active.iter_rows(values_only=True))
    assert len(rows) == 5 and rows[4][:3] == ("7/KH-UBND", "01/08/2025", None) and rows[4][5] == "VT"
    assert "8/KH-UBND" not in result.output


def test_force_never_overwrites_an_issued_document(issued):
    project, _ = issued
    out = project / "outputs"
    changed = (out / PLAN).read_bytes() + b"\0"  # someone changed the issued file
    (out / PLAN).write_bytes(changed)
    result = vanban(project, "build", "--force")
    assert result.exit_code == 0 and (out / PLAN).read_bytes() == changed
    assert "lấy lại bản đã ban hành từ git" in result.stderr and "đã lưu bản sửa tay" not in result.output
    assert not (out / mf.BACKUP_DIR).exists()
