"""textconv: the plain-text rendering git and `vanban diff` compare."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from click.testing import CliRunner
from docx import Document

from pipeline.cli import main
from pipeline.vcs.textconv import docx_lines, docx_text
from tests.conftest import DATA, ROOT


@pytest.fixture(scope="module")
def mini_built():
    from pipeline.build.run import build_documents
    from pipeline.inputs.validate import load_inputs

    return {b.path: b for b in build_documents(load_inputs(DATA / "mini"))}


@pytest.fixture(scope="module")
def plan_lines(mini_built):
    return docx_lines(mini_built["ke-hoach-thu.docx"].data)


def test_header_block_is_one_line_per_row(plan_lines):
    assert plan_lines[3] == ("| ỦY BAN NHÂN DÂN / XÃ HÒA SƠN / ─── "
                             "| CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc / ─── |")
    assert plan_lines[4] == "| Số: 07/KH-UBND | Hòa Sơn, ngày 05 tháng 01 năm 2026 |"
    assert plan_lines[5:8] == ["KẾ HOẠCH", "Cải cách hành chính năm 2026", "───"]


def test_sections_orientation_and_page_headers(plan_lines):
    sections = [line for line in plan_lines if line.startswith("=== ")]
    assert sections == [
        "=== Phần 1: A4 dọc, lề trên 20 dưới 20 trái 30 phải 15 mm, số trang bắt đầu lại từ 1 ===",
        "=== Phần 2: A4 ngang, lề trên 20 dưới 20 trái 30 phải 15 mm, số trang bắt đầu lại từ 1 ===",
    ]
    # the plan's body comes before the appendix's section line, the appendix after it
    second = plan_lines.index(sections[1])
    assert plan_lines.index("II. NHIỆM VỤ") < second < plan_lines.index("Phụ lục")
    # the page number is in the header of every page but the first, in both sections
    assert plan_lines.count("[Đầu trang đầu tiên] (trống)") == 2
    assert plan_lines.count("[Đầu trang các trang sau] {PAGE}") == 2


def test_paragraphs_and_table_rows(plan_lines, mini_built):
    assert "1. Giải quyết hồ sơ đúng hạn đạt từ 98% trở lên & công khai <minh bạch> {{ không phải thẻ }}." in plan_lines
    assert "a) Điểm thứ nhất." in plan_lines
    # a table row; a cell of two paragraphs is joined with " / "
    assert ("| 2 | Công khai thủ tục | - Kế hoạch / - Báo cáo | Văn phòng HĐND và UBND | Các phòng chuyên môn "
            "| Kế hoạch: trước ngày 15/02/2026 / Báo cáo: quý IV/2026 |") in plan_lines
    signature = [x for x in plan_lines if x.startswith("| Nơi nhận: / - UBND tỉnh (để b/c); / - Lưu: VT, VP. | ")]
    assert signature == ["| Nơi nhận: / - UBND tỉnh (để b/c); / - Lưu: VT, VP. "
                         "| TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / Lê Thị Mai |"]
    # the appendix file alone renders the same table rows
    appendix = docx_lines(mini_built["phu-luc/phu-luc-tthc.docx"].data)
    assert [x for x in appendix if x.startswith("| 2 |")] == [x for x in plan_lines if x.startswith("| 2 |")]


def test_lines_are_normalised_and_every_paragraph_is_there_in_order(plan_lines, mini_built):
    for line in plan_lines:
        assert line == line.strip() and "  " not in line and "\t" not in line and line
    # the body's own paragraphs, as python-docx reads them, appear as lines in the same order
    doc = Document(io.BytesIO(mini_built["ke-hoach-thu.docx"].data))
    texts = [" ".join(p.text.split()) for p in doc.paragraphs if p.text.strip()]
    assert len(texts) > 10
    at = 0
    for text in texts:
        assert text in plan_lines[at:], text
        at = plan_lines.index(text, at) + 1


def test_auto_numbering_breaks_and_merged_cells():
    doc = Document()
    doc.add_paragraph("Thứ nhất", style="List Number")
    doc.add_paragraph("Thứ   hai\u00a0 có  khoảng\ttrắng", style="List Number")
    doc.add_paragraph("")  # empty: dropped
    doc.add_page_break()
    doc.add_paragraph("Sau ngắt trang")
    table = doc.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "gộp"
    table.cell(0, 2).text = "a|b"
    table.cell(1, 0).text = "x"
    buf = io.BytesIO()
    doc.save(buf)
    lines = docx_lines(buf.getvalue())
    assert lines[1:] == ["1. Thứ nhất", "2. Thứ hai có khoảng trắng", "--- ngắt trang ---", "Sau ngắt trang",
                         "| gộp | < | a¦b |", "| x |  |  |"]
    assert lines[0].startswith("=== Phần 1: Letter dọc")


def test_script_and_command_print_the_same(tmp_path, mini_built):
    f = tmp_path / "kh.docx"
    f.write_bytes(mini_built["ke-hoach-thu.docx"].data)
    script = subprocess.run([sys.executable, str(ROOT / "pipeline" / "vcs" / "textconv.py"), str(f)],
                            capture_output=True, cwd=tmp_path)
    assert script.returncode == 0
    assert script.stdout.decode("utf-8") == docx_text(f.read_bytes())
    result = CliRunner().invoke(main, ["textconv", str(f)])
    assert result.exit_code == 0
    assert result.output == script.stdout.decode("utf-8")


def test_not_a_word_file_is_reported(tmp_path):
    """The command tells a clerk (exit 3, bad input); the script git runs shows one line in the diff and
    exits 0, so that git goes on."""
    bad = tmp_path / "ghi-chu.docx"
    bad.write_text("không phải Word", encoding="utf-8")
    shown = CliRunner().invoke(main, ["textconv", str(bad)])
    assert shown.exit_code == 3  # bad input (README: exit codes)
    assert f"{bad}: không đọc được tệp Word — không phải tệp Word (.docx) hợp lệ" in shown.stderr
    proc = subprocess.run([sys.executable, str(ROOT / "pipeline" / "vcs" / "textconv.py"), str(bad)],
                          capture_output=True, timeout=60)
    assert proc.returncode == 0 and proc.stderr == b""
    assert proc.stdout.decode("utf-8") == ("[vanban: không đọc được tệp Word này — không phải tệp Word (.docx) hợp lệ "
                                           "hoặc tệp đã hỏng (không đọc được như một tệp nén zip)]\n")


def test_the_script_loads_only_the_standard_library_and_four_light_modules(tmp_path, mini_built):
    """git starts the script once per file: it imports nothing but the standard library and the package's
    namespace table, bounded zip reading, list labels (Roman numerals, Word's letters) and the rendering."""
    f = tmp_path / "kh.docx"
    f.write_bytes(mini_built["ke-hoach-thu.docx"].data)
    code = ("import runpy, sys\nsys.argv = ['textconv.py', sys.argv[1]]\n"
            f"try:\n    runpy.run_path({str(ROOT / 'pipeline' / 'vcs' / 'textconv.py')!r}, run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "sys.stderr.write(' '.join(sorted(m for m in sys.modules if m.startswith('pipeline.') or m.split('.')[0] "
            "in ('lxml', 'docx', 'click', 'rich', 'yaml', 'pydantic', 'markupsafe', 'jinja2'))))\n")
    proc = subprocess.run([sys.executable, "-c", code, str(f)], capture_output=True, cwd=tmp_path)
    assert proc.stdout.decode("utf-8").startswith("=== Phần 1: A4 dọc")
    assert proc.stderr.decode("utf-8").split() == ["pipeline.decree", "pipeline.decree.labels", "pipeline.ooxml",
                                                   "pipeline.ooxml.safezip", "pipeline.ooxml.xmlns", "pipeline.vcs",
                                                   "pipeline.vcs.textlines"]
