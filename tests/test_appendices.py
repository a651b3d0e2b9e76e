"""The six appendices: task tables on landscape pages, in the issued plan (issue 3)."""

from __future__ import annotations

from docx.oxml.ns import qn

from pipeline.ooxml.xmlns import W
from tests.docx_read import body_text, page_setup, sections_xml, shown
from tests.conftest import open_docx

A4_W, A4_H = 11906, 16838  # 210 × 297 mm in twips (Nghị định 30, §1)
ROMAN = ["I", "II", "III", "IV", "V", "VI"]


def task_tables(doc):
    return [t for t in doc.tables if t.rows[0].cells[0].text == "TT"]


def test_issued_plan_has_portrait_plan_then_six_landscape_appendices(plan_doc):
    secs = [page_setup(s) for s in sections_xml(plan_doc)]
    assert len(secs) == 7
    assert secs[0]["orient"] == "portrait" and secs[0]["w"] == A4_W
    for s in secs[1:]:
        assert s["orient"] == "landscape"
        assert (s["w"], s["h"]) == (A4_H, A4_W)
        assert s["start"] == "1", "page numbers restart in each appendix"
        assert s["title_pg"], "no page number on an appendix's first page"
        assert s["headers"] == secs[0]["headers"], "appendices use the plan's page-number header"


def test_appendix_headings_follow_the_decree(plan_doc, inputs):
    paras = plan_doc.paragraphs
    labels = [p for p in paras if p.style.name == "VB Appendix No"]
    assert [p.text for p in labels] == [f"Phụ lục {r}" for r in ROMAN]
    for p in labels:
        assert all(r.bold is not False for r in p.runs) and p.style.font.bold and p.style.font.size.pt == 14
    titles = [p.text for p in paras if p.style.name == "VB Appendix Title"]
    assert titles[0] == "CẢI CÁCH THỂ CHẾ (VĂN PHÒNG HĐND VÀ UBND CHỦ TRÌ)"
    # the seed names no lead for Phụ lục VI (its tasks name their own): none in its title (issue 15)
    assert titles[5] == "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH, TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH"
    assert all(t == t.upper() for t in titles)
    refs = [p for p in paras if p.style.name == "VB Appendix Ref"]
    assert len(refs) == 6
    for p in refs:
        assert p.style.font.italic
        assert shown(p.text) == ("(Kèm theo Kế hoạch số      /KH-UBND ngày      tháng 7 năm 2025 "
                          "của Ủy ban nhân dân xã Xuân Bình)")
    assert "PHỤ LỤC SỐ" not in body_text(plan_doc)


def test_all_23_tasks_in_uniform_tables(plan_doc, inputs):
    tables = task_tables(plan_doc)
    assert len(tables) == 6
    header = ["TT", "Nhiệm vụ cụ thể", "Sản phẩm, kết quả", "Cơ quan chủ trì", "Cơ quan phối hợp",
              "Thời gian hoàn thành"]
    counts = []
    for t in tables:
        assert [c.text for c in t.rows[0].cells] == header
        rows = t.rows[1:]
        counts.append(len(rows))
        assert [r.cells[0].text for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    assert counts == [6, 3, 4, 3, 4, 3] and sum(counts) == 23


def test_tables_repeat_header_keep_rows_and_fill_landscape_width(plan_doc):
    landscape = page_setup(sections_xml(plan_doc)[1])
    text_width = landscape["w"] - landscape["left"] - landscape["right"]  # the page less its margins
    for t in task_tables(plan_doc):
        tbl = t._tbl
        rows = tbl.findall(qn("w:tr"))
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
        grid = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) == text_width == 14286  # §1: 297 − 30 − 15 mm, in twips
        assert min(grid) >= 500, "no squeezed column"
        for r in rows:
            widths = [int(tc.find(f"{W}tcPr/{W}tcW").get(qn("w:w"))) for tc in r.findall(qn("w:tc"))]
            assert widths == grid


def cells(plan_doc, table_no, row, col):
    return task_tables(plan_doc)[table_no].rows[row].cells[col].text.replace("\u00a0", " ")  # as a reader sees it


def test_cells_are_as_in_the_seed_corrected(plan_doc):
    # Phụ lục I, task 1: the month used for a day is now a proper date
    # ... and "báo cáo chậm nhất tháng 11/2025" keeps its "chậm nhất" (issue 15)
    assert cells(plan_doc, 0, 1, 5) == "Kế hoạch: trước ngày 15/7/2025\nBáo cáo: chậm nhất tháng 11/2025"
    assert cells(plan_doc, 0, 1, 3) == "Văn phòng HĐND và UBND"
    assert cells(plan_doc, 0, 1, 4) == "Các phòng chuyên môn UBND xã"
    assert cells(plan_doc, 0, 2, 1).startswith("Triển khai Luật")  # was "Triẻn khai"
    assert cells(plan_doc, 0, 2, 5) == "Quý III/2025"
    # Phụ lục II: interleaved cells read row by row
    # the centre under its one official name, spelled out at its first use in the document (issue 29)
    assert cells(plan_doc, 1, 1, 3) == "Trung tâm Phục vụ hành chính công (TTPVHCC)"
    assert [cells(plan_doc, 1, r, 5) for r in (1, 2, 3)] == ["Thường xuyên", "Thường xuyên", "Trước ngày 10/12/2025"]
    # one target, one value: the body's 50% governs the appendix too
    assert "từ 50% trở lên" in cells(plan_doc, 1, 2, 1) and "30%" not in cells(plan_doc, 1, 2, 1)
    # Phụ lục V, task 1: four partners, Quý III
    partners = cells(plan_doc, 4, 1, 4)
    for unit in ("Phòng Kinh tế", "Văn phòng HĐND và UBND", "TTPVHCC", "Công an xã"):
        assert unit in partners
    assert cells(plan_doc, 4, 1, 5) == "Quý III/2025"
    # Phụ lục VI: "15/7/225" is a real date now
    assert "15/7/2025" in cells(plan_doc, 5, 1, 5)
    assert "bưu chính công ích" in cells(plan_doc, 5, 3, 1)


def test_body_points_to_the_appendices_with_the_same_numbers(plan_doc):
    text = body_text(plan_doc)
    assert "Phụ lục I đến Phụ lục VI" in text or "từ Phụ lục I đến Phụ lục VI" in text


def test_each_appendix_is_also_its_own_file(built):
    files = sorted(p for p in built if p.startswith("phu-luc/"))
    assert len(files) == 6
    for i, path in enumerate(files):
        doc = open_docx(built[path].data)
        assert page_setup(sections_xml(doc)[0])["orient"] == "landscape"
        assert doc.paragraphs[0].text == f"Phụ lục {ROMAN[i]}"
