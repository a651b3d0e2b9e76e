"""vanban import on a plan made by hand in Word's way: header typed as plain paragraphs, numbers typed
by hand (with the seed's duplicated "2.5."), appendix tables under the seed's different headings,
unit names written several ways, and slips typed in. Its slips come back from the lint at their
lines; once fixed, the build passes ``vanban check``. The same after LibreOffice re-saves the file."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml
from click.testing import CliRunner
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from pipeline.cli import main
from tests.conftest import soffice_or_skip

CENTER = WD_ALIGN_PARAGRAPH.CENTER

# (what is typed, what is right, lint rule) — slips of the kinds the seed has
SLIPS = [
    ("Kê hoạch kiểm tra", "Kế hoạch kiểm tra", "spelling"),
    ("ngày 15/7/225", "ngày 15/7/2025", "date-malformed"),
    ("117/2013/NĐCP", "117/2013/NĐ-CP", "citation-hyphen"),
    ("Nghị định số 150 của Chính phủ", "Nghị định số 150/2025/NĐ-CP ngày 12/6/2025 của Chính phủ", "citation-year"),
    # a deadline cell's words are printed as typed (issue 31), so its slip is the lint's too
    ("ban hành tháng 15/7/2025", "ban hành ngày 15/7/2025", "date-month-for-day"),
]

BODY = [
    ("I. MỤC ĐÍCH, YÊU CẦU", True),
    ("1. Tiếp tục triển khai toàn diện, đồng bộ, có hiệu quả Kế hoạch cải cách hành chính giai đoạn "
     "2021 - 2025 của xã Xuân Bình, ban hành ngày 15/7/225.", False),
    ("2. Phát huy tinh thần chủ động, sáng tạo; nâng cao trách nhiệm của người đứng đầu.", False),
    ("II. NHIỆM VỤ VÀ GIẢI PHÁP", True),
    ("1. Cải cách thể chế", True),
    ("- Nâng cao chất lượng ban hành văn bản QPPL đảm bảo đúng thẩm quyền, đúng nội dung.", False),
    ("2. Cải cách tổ chức bộ máy hành chính nhà nước", True),
    ("- Chỉ đạo Trung tâm Phục vụ Hành chính công xã thực hiện đầy đủ chức năng, nhiệm vụ quy định tại "
     "Nghị định số 150 của Chính phủ.", False),
    ("- Thực hiện cơ chế tự chủ theo Nghị định số 117/2013/NĐCP ngày 07/10/2013 của Chính phủ.", False),
    ("+ Bảo đảm trên 98% hồ sơ được giải quyết đúng hạn.", False),
    ("III. TỔ CHỨC THỰC HIỆN", True),
    ("1. Trách nhiệm chung", True),
    ("Các đơn vị, bộ phận có liên quan tập trung tổ chức triển khai, kiểm tra thực hiện.", False),
    ("2. Phân công trách nhiệm cụ thể", True),
    ("2.1. Trung tâm Phục vụ Hành chính công:", True),
    ("Thực hiện nghiêm các quy định về chức năng, nhiệm vụ của Trung tâm.", False),
    ("2.5. Phòng Kinh tế:", True),
    ("Chủ trì tham mưu thực hiện các nội dung về cải cách tài chính công.", False),
    ("2.5. Các bộ phận và đơn vị khác có liên quan", True),
    ("Có trách nhiệm phối hợp chặt chẽ trong việc triển khai thực hiện các nhiệm vụ về CCHC của UBND xã.", False),
    ("Trong quá trình tổ chức thực hiện, nếu có vướng mắc, các cơ quan, đơn vị báo cáo Ủy ban nhân dân xã "
     "(qua Trung tâm Phục vụ Hành chính công) để xem xét, quyết định./.", False),
]

APPENDIX_1 = (["TT", "Nhiệm vụ cụ thể", "Sản phẩm", "Cơ quan thực hiện", "Cơ quan phối hợp", "Thời gian thực hiện"], [
    ["1", "Ban hành kế hoạch theo dõi thi hành pháp luật trên địa bàn xã", "Kế hoạch; Báo cáo kết quả thực hiện",
     "Văn phòng HĐND và UBND", "Các phòng chuyên môn UBND xã", ["- Kế hoạch: trước ngày 15/7/2025",
                                                                 "- Báo cáo: tháng 11/2025"]],
    ["2", "Xây dựng Kê hoạch kiểm tra việc thực hiện các văn bản QPPL", "Kê hoạch kiểm tra", "Văn phòng HĐND và UBND",
     "Các phòng chuyên môn UBND xã", "Quý III năm 2025"],
    ["", "", "", "", "", ""],
    ["3", "Tổ chức tuyên truyền, phổ biến pháp luật", "Báo cáo", "Phòng VH-XH", "Các phòng chuyên môn UBND xã",
     ["Kế hoạch ban hành tháng 15/7/2025"]],
])
APPENDIX_2 = (["STT", "Nội dung thực hiện", "Sản phẩm, Kết quả", "Cơ quan chủ trì", "Cơ quan phối hợp",
               "Thời gian hoàn thành"], [
    ["1.", "Thực hiện công khai kịp thời, đầy đủ thủ tục hành chính trên Trang thông tin điện tử của xã",
     "Báo cáo kết quả thực hiện", "Trung tâm PV HCC", "Các phòng chuyên môn UBND xã", "Trước ngày 10/12/2025"],
    ["2.", "Ban hành Kế hoạch chuyển đổi số 6 tháng cuối năm 2025", "Kế hoạch thực hiện", "Phòng VHXH",
     "Phòng Kinh tế, Văn phòng HĐND và UBND, Trung tâm PV HCC, Công an xã", "Thường xuyên"],
])


def _p(doc, text, bold=False, italic=False, align=None, size=14):
    p = doc.add_paragraph()
    if text:
        r = p.add_run(text)
        r.bold, r.italic, r.font.size = bold, italic, Pt(size)
    if align is not None:
        p.alignment = align
    return p


def _fill(cell, lines, bold=False):
    lines = lines if isinstance(lines, list) else [lines]
    cell.paragraphs[0].add_run(lines[0]).bold = bold
    for line in lines[1:]:
        cell.add_paragraph().add_run(line).bold = bold


def _appendix(doc, label_lines, table):
    s = doc.add_section(WD_SECTION.NEW_PAGE)
    s.orientation = WD_ORIENT.LANDSCAPE
    s.page_width, s.page_height = Mm(297), Mm(210)
    for line in label_lines:
        _p(doc, line, bold=True, align=CENTER)
    heads, rows = table
    t = doc.add_table(rows=1 + len(rows), cols=len(heads))
    t.style = "Table Grid"
    for i, h in enumerate(heads):
        _fill(t.cell(0, i), h, bold=True)
    for r, row in enumerate(rows, 1):
        for i, text in enumerate(row):
            _fill(t.cell(r, i), text)
    doc.add_paragraph()  # Word always keeps a paragraph after a table


def handmade_plan(path: Path, appendices: list | None = None) -> Path:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    _p(doc, "ỦY BAN NHÂN DÂN", bold=True, size=13)
    _p(doc, "XÃ XUÂN BÌNH", bold=True, size=13)
    _p(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align=CENTER, size=13)
    _p(doc, "Độc lập - Tự do - Hạnh phúc", bold=True, align=CENTER)
    _p(doc, "Số:      /KH-UBND", size=13)
    _p(doc, "Xuân Bình, ngày      tháng 7 năm 2025", italic=True)
    _p(doc, "KẾ HOẠCH", bold=True, align=CENTER)
    _p(doc, "Cải cách hành chính trên địa bàn xã Xuân Bình 6 tháng cuối năm 2025", bold=True, align=CENTER)
    _p(doc, "Căn cứ Quyết định số 3740/QĐ-UBND ngày 24/9/2021 của UBND tỉnh Thanh Hóa về việc ban hành Kế hoạch "
            "cải cách hành chính trên địa bàn tỉnh Thanh Hóa; UBND xã Xuân Bình xây dựng Kế hoạch cải cách hành "
            "chính 6 tháng cuối năm 2025 như sau:")
    for text, bold in BODY:
        _p(doc, text, bold=bold)
    sig = doc.add_table(rows=1, cols=2)
    _fill(sig.cell(0, 0), ["Nơi nhận:", "- Thường trực Đảng ủy (để b/c);", "- Các thôn;", "- Lưu: VT, VP."])
    _fill(sig.cell(0, 1), ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "", "", "Trịnh Ngọc Tuấn"], bold=True)
    for label_lines, table in appendices or [
            (["PHỤ LỤC SỐ 01: CẢI CÁCH THỂ CHẾ", "(VĂN PHÒNG HĐND VÀ UBND CHỊU TRÁCH NHIỆM CHỦ TRÌ)"], APPENDIX_1),
            (["Phụ lục 02", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH (TRUNG TÂM PV HCC CHỦ TRÌ)"], APPENDIX_2)]:
        _appendix(doc, label_lines, table)
    doc.save(path)
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def import_fix_build_check(source: Path, tmp: Path) -> str:
    res = run("import", source, "--out", tmp)
    assert res.exit_code == 1, res.output  # lint errors: the slips
    inputs = tmp / "inputs"
    # every slip is reported at the line that holds it, by its rule
    for typed, _, rule in SLIPS:
        hits = re.findall(rf"(\S+/inputs/\w+\.yaml):(\d+):\d+: lỗi {rule}\b", res.output)
        assert hits, f"{rule} not reported:\n{res.output}"
        assert any(typed in Path(f).read_text(encoding="utf-8").splitlines()[int(n) - 1] for f, n in hits), rule
    # what the import itself could not map exactly is on the to-do list with its line, and in the summary
    assert "'2.5.' gõ tay sẽ in là '2.3.'" in res.output
    assert "Phòng VHXH ← Phòng VH-XH" in res.output or "← Phòng VH-XH" in res.output
    assert "Kế hoạch ban hành tháng 15/7/2025" in res.output
    review = re.findall(r"(\S+/inputs/\w+\.yaml):(\d+): CẦN KIỂM TRA", res.output)
    assert review
    for f, n in review:
        assert "CẦN KIỂM TRA" in Path(f).read_text(encoding="utf-8").splitlines()[int(n) - 1]
    for f in inputs.glob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        for typed, right, _ in SLIPS:
            text = text.replace(typed, right)
        f.write_text(text, encoding="utf-8")
    built = run("build", "--inputs", inputs, "--out", tmp / "outputs")
    assert built.exit_code == 0, built.output
    docs = sorted((tmp / "outputs").rglob("*.docx"))
    checked = run("check", *docs)
    assert checked.exit_code == 0, checked.output
    return res.output


def test_a_handmade_plan_imports_and_its_slips_come_back_at_their_lines(tmp_path):
    source = handmade_plan(tmp_path / "ke-hoach-tu-lam.docx")
    out = import_fix_build_check(source, tmp_path / "x")
    assert "Bảng:       2 bảng, 5 hàng → 5 nhiệm vụ" in out


def test_group_heading_rows_become_groups_and_a_ban_hanh_kem_theo_line_is_not_the_title(tmp_path):
    # as in a real provincial plan (Lâm Đồng, CCHC 2026): one appendix, "(Ban hành kèm theo …)" under its
    # title, its task table in groups "I | Cải cách thể chế", "II | …" with nothing else on those rows
    heads, (task_1, task_2) = APPENDIX_2
    rows = [["I", "Cải cách thể chế", "", "", "", ""], task_1,
            ["II.", "Cải cách thủ tục hành chính", "", "", "", ""], task_2]
    label = ["PHỤ LỤC", "PHÂN CÔNG THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
             "(Ban hành kèm theo Kế hoạch số      /KH-UBND ngày      tháng 7 năm 2025 của UBND xã Xuân Bình)"]
    source = handmade_plan(tmp_path / "ke-hoach.docx", [(label, (heads, rows))])
    res = run("import", source, "--out", tmp_path / "x")
    assert res.exit_code == 1, res.output  # the body's slips, as above
    text = (tmp_path / "x" / "inputs" / "appendices.yaml").read_text(encoding="utf-8")
    (app,) = yaml.safe_load(text)["appendices"]
    assert app["title"] == "Phân công thực hiện nhiệm vụ cải cách hành chính"  # without the "kèm theo" line
    # the two tasks, each opening its group: printed again as the heading rows "I", "II" above them
    assert [(t.get("group"), t["content"]) for t in app["tasks"]] == [
        ("Cải cách thể chế", task_1[1]), ("Cải cách thủ tục hành chính", task_2[1])]
    assert "Bảng:       1 bảng, 4 hàng → 2 nhiệm vụ" in res.output


def test_an_appendix_whose_table_has_headings_only_gets_a_task_to_fill(tmp_path):
    # no lead in the appendix's title and no task row under the table's headings: the import used to stop
    # on the placeholder task; it writes that task to fill in and keeps the appendix's lead for review
    heads, _ = APPENDIX_2
    source = handmade_plan(tmp_path / "ke-hoach.docx", [(["PHỤ LỤC", "CẢI CÁCH THỂ CHẾ"], (heads, []))])
    res = run("import", source, "--out", tmp_path / "x")
    assert res.exit_code == 1, res.output  # the body's slips, as above
    text = (tmp_path / "x" / "inputs" / "appendices.yaml").read_text(encoding="utf-8")
    (app,) = yaml.safe_load(text)["appendices"]
    assert app["title"] == "Cải cách thể chế" and "lead" in app
    assert [t["content"] for t in app["tasks"]] == ["CẦN ĐIỀN nhiệm vụ"]


def libreoffice_save_as(source: Path, fmt: str, outdir: Path) -> Path:
    """``source`` saved by LibreOffice as ``fmt`` into ``outdir`` (its own profile beside it); ``outdir``."""
    exe = soffice_or_skip()
    outdir.mkdir()
    subprocess.run([exe, f"-env:UserInstallation={(outdir.parent / 'profile').as_uri()}", "--headless",
                    "--convert-to", fmt, "--outdir", str(outdir), str(source)],
                   capture_output=True, timeout=180, check=False)
    return outdir


def test_the_same_plan_resaved_by_libreoffice(tmp_path):
    source = handmade_plan(tmp_path / "ke-hoach-tu-lam.docx")
    again = libreoffice_save_as(source, "docx:MS Word 2007 XML", tmp_path / "lo") / source.name
    assert again.exists(), "LibreOffice did not write the file"
    assert b"LibreOffice" in __import__("zipfile").ZipFile(again).read("docProps/app.xml")
    import_fix_build_check(again, tmp_path / "y")


def test_a_doc_file_goes_through_libreoffice(tmp_path):
    source = handmade_plan(tmp_path / "ke-hoach-tu-lam.docx")
    doc = libreoffice_save_as(source, "doc:MS Word 97", tmp_path / "doc") / "ke-hoach-tu-lam.doc"
    assert doc.exists() and doc.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # an OLE2 (Word 97-2003) file
    res = run("import", doc, "--out", tmp_path / "z")
    assert res.exit_code == 1, res.output  # imported; the slips are on the to-do list
    assert "Bảng:       2 bảng, 5 hàng → 5 nhiệm vụ" in res.output


def test_a_doc_file_without_libreoffice_says_so(tmp_path, monkeypatch):
    doc = tmp_path / "ke-hoach.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no soffice on this PATH
    monkeypatch.setattr("pipeline.paths.UNIX_ROOT", tmp_path)  # nor where the installers put it
    monkeypatch.delenv("VANBAN_SOFFICE", raising=False)
    res = run("import", doc, "--out", tmp_path / "out")
    assert res.exit_code == 4, res.output
    assert "LibreOffice" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "out").exists()


def test_the_readme_shows_the_real_summary(tmp_path, monkeypatch):
    """The example in README ('Bắt đầu từ tệp Word của xã') is what importing this hand-made plan prints."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("Ví dụ với một kế hoạch tự làm bằng Word:\n\n```\n", 1)[1].split("\n```", 1)[0]
    monkeypatch.chdir(tmp_path)
    handmade_plan(Path("ke-hoach-cchc-2025.docx"))
    res = run("import", "ke-hoach-cchc-2025.docx", "--out", "xa-xuan-binh")
    assert res.output.rstrip("\n") == block


def test_a_short_plan_with_everything_typed_as_paragraphs(tmp_path):
    """No tables at all: header, bases one per line, points a) b), Nơi nhận and signature as paragraphs."""
    doc = Document()
    for text, bold, italic, align in [
            ("ỦY BAN NHÂN DÂN", True, False, None), ("XÃ XUÂN BÌNH", True, False, None),
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, CENTER), ("Độc lập - Tự do - Hạnh phúc", True, False, CENTER),
            ("Số: 12/KH-UBND", False, False, None), ("Xuân Bình, ngày 05 tháng 8 năm 2025", False, True, None),
            ("KẾ HOẠCH", True, False, CENTER), ("Tuyên truyền cải cách hành chính năm 2025", True, False, CENTER),
            ("Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ;", False, False, None),
            ("Căn cứ Quyết định số 3740/QĐ-UBND ngày 24/9/2021 của UBND tỉnh Thanh Hóa;", False, False, None),
            ("UBND xã ban hành Kế hoạch như sau:", False, False, None),
            ("I. MỤC ĐÍCH", True, False, None), ("1. Nâng cao nhận thức của người dân.", False, False, None),
            ("II. NỘI DUNG", True, False, None), ("a) Tuyên truyền trên hệ thống truyền thanh.", False, False, None),
            ("b) Tuyên truyền trên Trang thông tin điện tử xã.", False, False, None),
            ("Trên đây là Kế hoạch tuyên truyền của UBND xã./.", False, False, None),
            ("Nơi nhận:", True, True, None), ("- Các thôn;", False, False, None), ("- Lưu: VT.", False, False, None),
            ("TM. ỦY BAN NHÂN DÂN", True, False, None), ("CHỦ TỊCH", True, False, None), ("", False, False, None),
            ("Lê Văn Hùng", True, False, None)]:
        _p(doc, text, bold, italic, align)
    doc.save(tmp_path / "kh-tuyen-truyen.docx")
    res = run("import", tmp_path / "kh-tuyen-truyen.docx", "--out", tmp_path / "x")
    assert res.exit_code == 0, res.output
    plan = __import__("yaml").safe_load((tmp_path / "x" / "inputs" / "plan.yaml").read_text(encoding="utf-8"))
    assert (plan["number"], plan["date"], plan["bases_layout"]) == (12, "2025-08-05", "preamble")
    assert plan["bases"] == ["Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ",
                             "Quyết định số 3740/QĐ-UBND ngày 24/9/2021 của UBND tỉnh Thanh Hóa"]
    assert plan["intro"] == "UBND xã ban hành Kế hoạch như sau:"
    assert plan["sections"] == [
        {"title": "Mục đích", "items": [{"numbered": "Nâng cao nhận thức của người dân."}]},
        {"title": "Nội dung", "items": [{"point": "Tuyên truyền trên hệ thống truyền thanh."},
                                        {"point": "Tuyên truyền trên Trang thông tin điện tử xã."}]}]
    assert plan["closing"] == "Trên đây là Kế hoạch tuyên truyền của UBND xã./."
    assert plan["signature"] == {"authority": "TM", "signer": "chu_tich"}
    assert plan["recipients"] == {"to": ["Các thôn"], "archive": ["VT"]}
    assert "văn bản gốc không có phụ lục nhiệm vụ" in res.output
    built = run("build", "--inputs", tmp_path / "x" / "inputs", "--out", tmp_path / "x" / "outputs")
    assert built.exit_code == 0, built.output
