"""The words of hand-made plans read into data: hand-typed numbers, deadlines, header lines, units,
table headings, YAML that keeps any text. Expected values are written from the words themselves."""

from __future__ import annotations

import re

import datetime as dt

import pytest
import yaml

from pipeline.importer.body import BodyBuilder, Casing, Line
from pipeline.importer.columns import heading_map
from pipeline.importer.textparse import parse_deadline, parse_recipients, parse_signature, token
from pipeline.importer.units import UnitBook, split_names
from pipeline.importer.yamlout import Noted, dump

PERIOD = "6 tháng cuối năm 2025"


@pytest.mark.parametrize("text, kind, depth, rest", [
    ("I. MỤC ĐÍCH, YÊU CẦU", "section", 0, "MỤC ĐÍCH, YÊU CẦU"),
    ("IV. TRÁCH NHIỆM", "section", 0, "TRÁCH NHIỆM"),
    ("1. Cải cách thể chế", "clause", 1, "Cải cách thể chế"),
    ("2.1. Phó Chủ tịch UBND xã:", "clause", 2, "Phó Chủ tịch UBND xã:"),
    ("2.5 Phòng Kinh tế", "clause", 2, "Phòng Kinh tế"),
    ("a) Rà soát", "point", 0, "Rà soát"),
    ("- Nâng cao", "bullet", 0, "Nâng cao"),
    ("– Nâng cao", "bullet", 0, "Nâng cao"),
    ("+ Bảo đảm", "plus", 0, "Bảo đảm"),
    ("98% hồ sơ được giải quyết", "none", 0, "98% hồ sơ được giải quyết"),
    ("2025 là năm", "none", 0, "2025 là năm"),
])
def test_hand_typed_numbers(text, kind, depth, rest):
    t = token(text)
    assert (t.kind, t.depth, t.text) == (kind, depth, rest)


def test_numbers_become_nesting_and_a_repeated_number_disappears():
    lines = [Line("I. NHIỆM VỤ", True), Line("1. Trách nhiệm chung", True), Line("- Căn cứ."),
             Line("2. Phân công", True), Line("2.1. Văn phòng:", True), Line("Chủ trì."),
             Line("2.5. Phòng Kinh tế:", True), Line("Tham mưu."), Line("2.5. Các bộ phận khác", True),
             Line("Phối hợp."), Line("Trong quá trình thực hiện, báo cáo Ủy ban nhân dân xã./.")]
    res = BodyBuilder(Casing(["Nhiệm vụ của xã"])).build(lines)
    assert res.sections == [{"title": "Nhiệm vụ", "items": [
        {"clause": "Trách nhiệm chung", "items": [{"bullet": "Căn cứ."}]},
        {"clause": "Phân công", "items": [
            {"clause": "Văn phòng:", "items": ["Chủ trì."]},
            {"clause": "Phòng Kinh tế:", "items": ["Tham mưu."]},
            {"clause": "Các bộ phận khác", "items": ["Phối hợp."]}]}]}]
    assert res.closing == "Trong quá trình thực hiện, báo cáo Ủy ban nhân dân xã./."
    assert [(typed, printed) for typed, printed, _ in res.renumbered] == [("2.5.", "2.2."), ("2.5.", "2.3.")]


def test_a_numbered_sentence_is_not_a_title():
    lines = [Line("I. MỤC ĐÍCH"), Line("1. Tiếp tục triển khai các nhiệm vụ."), Line("2. Phát huy tinh thần.")]
    res = BodyBuilder(Casing([])).build(lines)
    assert res.sections[0]["items"] == [{"numbered": "Tiếp tục triển khai các nhiệm vụ."},
                                        {"numbered": "Phát huy tinh thần."}]


@pytest.mark.parametrize("cell, parts", [
    (["Quý III/2025"], [{"quarter": "2025-Q3"}]),
    (["Quý III năm 2025"], [{"quarter": "2025-Q3"}]),
    (["Trước ngày 10/12/2025"], [{"before": dt.date(2025, 12, 10)}]),
    (["Tháng 11/2025"], [{"month": "2025-11"}]),
    (["Thường xuyên"], [{"ongoing": True}]),
    (["Thường xuyên trong 6 tháng cuối năm 2025"], [{"rest_of_period": True}]),
    (["Trong 6 tháng cuối năm 2025"], [{"within_period": True}]),
    (["Định kỳ hằng quý, năm"], [{"every": ["quarter", "year"]}]),
    (["Theo quy định"], [{"as_regulated": True}]),
    (["Kế hoạch: trước ngày 15/7/2025; Báo cáo: tháng 11/2025"],
     [{"what": "Kế hoạch", "before": dt.date(2025, 7, 15)}, {"what": "Báo cáo", "month": "2025-11"}]),
    (["- Kế hoạch: trước ngày 15/7/2025", "- Báo cáo: tháng 11/2025"],
     [{"what": "Kế hoạch", "before": dt.date(2025, 7, 15)}, {"what": "Báo cáo", "month": "2025-11"}]),
])
def test_deadlines_read_exactly(cell, parts):
    d = parse_deadline(cell, PERIOD)
    assert d.parts == parts and d.exact


def test_deadlines_read_loosely_are_flagged():
    d = parse_deadline(["- Kế hoạch ban hành tháng 15/7/2025", "- Báo cáo trước tháng 11/2025"], PERIOD)
    assert not d.exact
    assert d.parts == [{"what": "Kế hoạch", "on": dt.date(2025, 7, 15), "text": "Kế hoạch ban hành tháng 15/7/2025"},
                       {"what": "Báo cáo", "before": dt.date(2025, 11, 1), "text": "Báo cáo trước tháng 11/2025"}]
    unread = parse_deadline(["Khi có yêu cầu"], PERIOD)
    assert not unread.exact and unread.unread == ["Khi có yêu cầu"]
    assert unread.parts == [{"as_planned": True, "text": "Khi có yêu cầu"}]  # no date, its words kept


def test_signature_and_recipient_lines():
    s = parse_signature(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trịnh Ngọc Tuấn"])
    assert (s.authority, s.head_position, s.position, s.name) == ("KT", "Chủ tịch", "Phó Chủ tịch", "Trịnh Ngọc Tuấn")
    s = parse_signature(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn A"])
    assert (s.authority, s.for_committee, s.collective) == ("KT", True, "ỦY BAN NHÂN DÂN")
    r = parse_recipients(["Nơi nhận:", "- Thường trực Đảng ủy (để b/c);", "- Các thôn;", "- Lưu: VT, VP (05 bản)."])
    assert (r.to, r.archive, r.copies) == (["Thường trực Đảng ủy (để b/c)", "Các thôn"], ["VT", "VP"], 5)


def test_units_spelt_several_ways_become_one():
    assert split_names(["Phòng Kinh tế, Văn phòng HĐND và UBND, Công an xã"]) == [
        "Phòng Kinh tế", "Văn phòng HĐND và UBND", "Công an xã"]
    assert split_names(["Các cơ quan, bộ phận có liên quan"]) == ["Các cơ quan, bộ phận có liên quan"]
    book = UnitBook()
    book.add(["Phòng VHXH", "Phòng VHXH", "Phòng VH-XH", "Trung tâm PV HCC", "Các phòng chuyên môn UBND xã"])
    found = book.build(["Chỉ đạo Trung tâm Phục vụ Hành chính công xã thực hiện"])
    vh = next(u for u in found if u.name == "Phòng VHXH")
    assert vh.variants == ["Phòng VH-XH"]
    hcc = next(u for u in found if u.name == "Trung tâm PV HCC")
    assert hcc.full == "Trung tâm Phục vụ Hành chính công"
    assert next(u for u in found if u.name.startswith("Các")).group


def test_a_semicolon_always_separates_units_and_a_comma_only_capitalised_names():
    # a real Lâm Đồng plan: several leads in one cell, some of them with commas of their own
    assert split_names(["Văn phòng UBND tỉnh; UBND các xã, phường, đặc khu"]) == [
        "Văn phòng UBND tỉnh", "UBND các xã, phường, đặc khu"]
    assert split_names(["- Sở Tư pháp; Sở Tài chính;", "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh"]) == [
        "Sở Tư pháp", "Sở Tài chính", "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh"]


def test_a_unit_id_is_made_of_its_name_words_readable_and_unique():
    book = UnitBook()
    names = ["Sở Tư pháp", "Văn phòng HĐND và UBND", "Trung tâm Phục vụ Hành chính công", "Phòng Kinh tế",
             "Phòng VHXH", "Ủy ban nhân dân các xã, phường, đặc khu", "Các sở, ban, ngành, địa phương",
             "Các sở, ban, ngành và địa phương",
             "Cơ quan quản lý cấp trên của đơn vị sự nghiệp công lập, đơn vị sự nghiệp công lập trực thuộc UBND tỉnh"]
    book.add(names, lead=True)
    ids = {u.name: u.id for u in book.build([])}
    same_words = ["Các sở, ban, ngành, địa phương", "Các sở, ban, ngành và địa phương"]  # "và" aside: numbered
    assert {ids.pop(n) for n in same_words} == {"cac_so_ban_nganh_dia_phuong", "cac_so_ban_nganh_dia_phuong_2"}
    assert ids == {
        "Sở Tư pháp": "so_tu_phap",
        "Văn phòng HĐND và UBND": "vp_hdnd_ubnd",  # as the bundled commune.yaml's clerks abbreviate
        "Trung tâm Phục vụ Hành chính công": "tt_pvhcc",
        "Phòng Kinh tế": "kinh_te",
        "Phòng VHXH": "phong_vhxh",
        "Ủy ban nhân dân các xã, phường, đặc khu": "ubnd_cac_xa_phuong_dac_khu",
        # whole words, at most seven and 32 characters
        "Cơ quan quản lý cấp trên của đơn vị sự nghiệp công lập, đơn vị sự nghiệp công lập trực thuộc UBND tỉnh":
            "co_quan_quan_ly_cap_tren_don",
    }
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) and len(i) <= 32 for i in ids.values())  # the model's Id


@pytest.mark.parametrize("row", [
    ["TT", "Nội dung thực hiện", "Sản phẩm, Kết quả", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
    ["STT", "Nhiệm vụ cụ thể", "Sản phẩm", "Cơ quan thực hiện", "Cơ quan phối hợp", "Thời gian thực hiện"],
    ["TT", "Nhiệm vụ cụ thể", "Sản phẩm", "Cơ quan\nthực hiện", "Cơ quan phối\nhợp", "Thời gian thực\nhiện"],
])
def test_the_seeds_column_headings(row):
    assert heading_map(row) == {"number": 0, "content": 1, "products": 2, "lead": 3, "partners": 4, "deadline": 5}


def test_yaml_keeps_any_text_and_notes_lines():
    texts = ["- gạch đầu", "yes", "1.5", "on", "a: b", "x # y", "\"ngoặc\"", "  cách  ", "{ct:x}", "2025-07-15",
             "Nghị định số 118/2025/NĐ-CP"]
    text, notes = dump({"items": texts, "on": Noted("Theo kế hoạch", "CẦN KIỂM TRA: bản gốc ghi 'x'")})
    assert yaml.safe_load(text) == {"items": texts, "on": "Theo kế hoạch"}
    line = text.splitlines()[notes[0][0] - 1]
    assert line.endswith("# CẦN KIỂM TRA: bản gốc ghi 'x'")


def test_the_reader_gives_words_automatic_numbers_and_one_line_appendix_labels(tmp_path):
    """Added to docread for import: the label Word shows for a list paragraph, and 'PHỤ LỤC SỐ 01: …'."""
    from docx import Document

    from pipeline.docread import read

    d = Document()
    for text, style in [("Cải cách thể chế", "List Number"), ("Cải cách thủ tục hành chính", "List Number"),
                        ("Rà soát văn bản", "List Bullet"), ("PHỤ LỤC SỐ 01: CẢI CÁCH THỂ CHẾ", None)]:
        d.add_paragraph(text, style=style)
    d.save(tmp_path / "a.docx")
    doc = read(tmp_path / "a.docx")
    assert [p.number_label for p in doc.paragraphs] == ["1.", "2.", "-", ""]
    assert [a.label.text for a in doc.appendices] == ["PHỤ LỤC SỐ 01: CẢI CÁCH THỂ CHẾ"]
    lines = [Line("I. NHIỆM VỤ")] + [Line(p.text, auto_label=p.number_label) for p in doc.paragraphs[:3]]
    res = BodyBuilder(Casing([])).build(lines)
    # a numbered line with nothing under it prints the same as a numbered paragraph; one with items is a clause
    assert res.sections[0]["items"] == [{"numbered": "Cải cách thể chế"},
                                        {"clause": "Cải cách thủ tục hành chính", "items": [{"bullet": "Rà soát văn bản"}]}]


@pytest.mark.parametrize("cell, parts", [
    ("Theo Điều 17 Nghị định số 52/2015/NĐ-CP ngày 28/5/2015 của Chính phủ", [{"as_planned": True}]),
    ("Theo quy định của pháp luật", [{"as_regulated": True}]),
    ("Ban hành kế hoạch chậm nhất là ngày 31/12/2025 và tổ chức mở lớp",
     [{"before": dt.date(2025, 12, 31), "wording": "Chậm nhất là ngày"}]),
    ("Ban hành kế hoạch trong tháng 01/2026 và tổ chức thực hiện", [{"month": "2026-01"}]),
])
def test_deadlines_of_a_real_provincial_plan(cell, parts):
    """Cells of the corpus's Kế hoạch CCHC 2026 (Lâm Đồng): the date of a cited decree is not a deadline;
    the cell's words are kept to be printed as written (issue 31)."""
    d = parse_deadline([cell], "năm 2026")
    assert d.parts == [p | {"text": cell} for p in parts] and not d.exact


def test_number_and_date_from_the_readers_fields():
    from pipeline.importer.textparse import date_of, number_of

    n = number_of("", "KH-UBND")  # "Số:      /KH-UBND": the number left blank for the registry
    assert (n.number, n.kind, n.agency_symbol) == (None, "KH", "UBND")
    assert number_of("05", "CTr-UBND").number == 5
    d = date_of("Xuân Bình", "", "7", "2025")  # "Xuân Bình, ngày      tháng 7 năm 2025"
    assert (d.place, d.year, d.month, d.day) == ("Xuân Bình", 2025, 7, None)
    d = date_of("Lâm Đồng", "", "", "2026")  # "Lâm Đồng, ngày    tháng    năm 2026" (a real draft)
    assert (d.year, d.month, d.day) == (2026, None, None)


def test_the_reader_finds_kinh_gui_laid_out_as_a_table_row():
    """Added to docread for import: the reports put 'Kính gửi:' and its addressees in a borderless row."""
    from pipeline.docread import read
    from tests.conftest import OUTPUTS

    doc = read(OUTPUTS / "bao-cao" / "2025-09-bc-cchc-2025-q3.docx")
    assert doc.addressees == ["Ủy ban nhân dân tỉnh Thanh Hóa;", "Sở Nội vụ tỉnh Thanh Hóa."]
