"""Groups in a task table: a task with ``group`` opens one, printed as a heading row.

Provincial and commune plans often keep one appendix whose table runs in groups — a row
"I | Cải cách thể chế" across the table, tasks 1, 2, 3, then "II | …" and 1, 2 again (the Lâm Đồng
plan of 2026 in ../shared/corpus). The documents are read back: what a reader sees in the
table, the file's schema, and `vanban check`.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from pipeline.build.run import build_documents
from pipeline.check.file import check_path
from pipeline.ooxml.audit import schema_errors_of_bytes
from pipeline.inputs.validate import load_inputs
from pipeline.ooxml.xmlns import W

APPENDIX = "phu-luc/phu-luc-V-hien-dai-hoa.docx"
GROUPS = {"hdh_chuyen_doi_so": "Chuyển đổi số", "hdh_he_thong_bao_cao": "Hệ thống thông tin, ISO"}


def grouped(inputs_copy):
    path = inputs_copy / "appendices.yaml"
    text = path.read_text(encoding="utf-8")
    for task, group in GROUPS.items():
        assert f"      - id: {task}\n" in text
        text = text.replace(f"      - id: {task}\n", f"      - id: {task}\n        group: {group}\n")
    path.write_text(text, encoding="utf-8")
    return {b.path: b.data for b in build_documents(load_inputs(inputs_copy))}


def rows_of(data: bytes, table: int) -> list[list[tuple[str, int, bool, bool]]]:
    """Each body row of a table: per cell, (text, columns spanned, all bold, kept with the next row)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    tbl = root.iter(W + "tbl")
    for _ in range(table + 1):
        t = next(tbl)
    out = []
    for tr in t.findall(W + "tr")[1:]:  # the header row aside
        row = []
        for tc in tr.findall(W + "tc"):
            span = tc.find(f"{W}tcPr/{W}gridSpan")
            runs = list(tc.iter(W + "r"))
            row.append(("".join(x.text or "" for x in tc.iter(W + "t")).strip(),
                        int(span.get(W + "val")) if span is not None else 1,
                        bool(runs) and all(r.find(f"{W}rPr/{W}b") is not None for r in runs),
                        all(p.find(f"{W}pPr/{W}keepNext") is not None for p in tc.iter(W + "p"))))
        out.append(row)
    return out


def test_a_group_is_a_heading_row_and_its_tasks_are_numbered_from_1(inputs_copy):
    docs = grouped(inputs_copy)
    rows = rows_of(docs[APPENDIX], 0)
    # as the clerk wrote it: two groups of two tasks; a group across the five columns after "TT", in bold,
    # kept on the page of its first task; the tasks numbered 1, 2 in each group
    assert [[c[0] for c in r][:2] for r in rows] == [
        ["I", "Chuyển đổi số"], ["1", "Ban hành Kế hoạch chuyển đổi số 6 tháng cuối năm 2025"],
        ["2", "Tiếp tục thực hiện số hóa và tạo lập cơ sở dữ liệu điện tử hộ tịch trên địa bàn xã"],
        ["II", "Hệ thống thông tin, ISO"],
        ["1", "Duy trì Hệ thống thông tin báo cáo cấp tỉnh và kết nối với Hệ thống thông tin báo cáo Chính phủ"],
        ["2", "Tiếp tục triển khai áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO "
              "9001:2015 vào hoạt động tại UBND xã"]]
    for heading in (rows[0], rows[3]):
        assert [(c[1], c[2], c[3]) for c in heading] == [(1, True, True), (5, True, True)]
    for task in (rows[1], rows[2], rows[4], rows[5]):
        assert len(task) == 6 and not any(c[2] or c[3] for c in task)
    # the plan carries the same appendix, with the same rows
    plan_rows = rows_of(docs["ke-hoach-cchc.docx"], 2 + 4)  # header and signature tables, appendices I–IV, V
    assert [[c[0] for c in r] for r in plan_rows] == [[c[0] for c in r] for r in rows]


def test_a_grouped_table_is_word_ready_and_passes_check(inputs_copy, tmp_path):
    docs = grouped(inputs_copy)
    assert schema_errors_of_bytes(docs[APPENDIX]) == []
    path = tmp_path / "phu-luc-V.docx"
    path.write_bytes(docs[APPENDIX])
    report = check_path(path)
    assert [f for f in report.findings if f.severity == "error"] == []
