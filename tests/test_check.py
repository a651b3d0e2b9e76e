"""`vanban check` passes our documents and names the faults of wrong ones (issue 8)."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm

from pipeline.check import check_file
from pipeline.cli import main
from pipeline.errors import EXIT_FINDINGS
from tests.conftest import OUTPUTS


def rules(path) -> set[str]:
    return {f.rule for f in check_file(path) if f.severity == "error"}


def test_every_built_document_passes(built, tmp_path):
    for rel, b in built.items():
        path = tmp_path / rel.replace("/", "_")
        path.write_bytes(b.data)
        assert [f.format(rel) for f in check_file(path) if f.severity == "error"] == [], rel


def test_cli_exit_codes_and_json():
    files = [str(p) for p in sorted(OUTPUTS.glob("*.docx"))]
    result = CliRunner().invoke(main, ["check", *files])
    assert result.exit_code == 0, result.output
    assert "0 lỗi thể thức" in result.output


# ---------------------------------------------------------------- a corpus of wrong documents


def plan_copy(built, inputs):
    from pipeline.build import _file_stem

    return Document(io.BytesIO(built[f"{_file_stem(inputs.plan)}.docx"].data))


def para(doc, text):
    return next(p for p in doc.element.body.iter(qn("w:p"))
                if "".join(t.text or "" for t in p.iter(qn("w:t"))).strip() == text)


def set_text(p_el, text):
    ts = list(p_el.iter(qn("w:t")))
    ts[0].text = text
    for t in ts[1:]:
        t.text = ""


def run_props(p_el):
    from docx.text.paragraph import Paragraph

    return [r for r in Paragraph(p_el, None).runs if r.text.strip()]


def break_motto(doc):
    set_text(para(doc, "Độc lập - Tự do - Hạnh phúc"), "Độc lập – Tự do – Hạnh phúc")


def break_month(doc):
    p = next(p for p in doc.element.body.iter(qn("w:p")) if "tháng 7 năm 2025" in "".join(t.text or "" for t in p.iter(qn("w:t"))))
    set_text(p, "Xuân Bình, ngày 15 tháng 07 năm 2025")


def break_margins(doc):
    for s in doc.sections:
        s.left_margin = s.right_margin = s.top_margin = s.bottom_margin = Cm(2.54)


def break_number_bold(doc):
    for r in run_props(para(doc, "Số:      /KH-UBND")):
        r.bold = True


def break_number_zero(doc):
    set_text(para(doc, "Số:      /KH-UBND"), "Số: 5/KH-UBND")


def break_date_italic(doc):
    p = next(p for p in doc.element.body.iter(qn("w:p")) if "tháng 7 năm 2025" in "".join(t.text or "" for t in p.iter(qn("w:t"))))
    for r in run_props(p):
        r.italic = False


def break_appendix_label(doc):
    set_text(para(doc, "Phụ lục I"), "PHỤ LỤC SỐ 01")
    set_text(para(doc, "Phụ lục II"), "PHỤ LỤC SỐ 02")


def break_recipients_title(doc):
    for r in run_props(para(doc, "Nơi nhận:")):
        r.bold = False
        r.italic = False


def break_archive_line(doc):
    set_text(para(doc, "- Lưu: VT, VP."), "- Lưu VT")


def break_first_page_number(doc):
    doc.sections[0].different_first_page_header_footer = False


def break_theme_fonts(doc):
    for rf in doc.styles.element.iter(qn("w:rFonts")):
        for k in ("ascii", "hAnsi"):
            rf.attrib.pop(qn(f"w:{k}"), None)
        rf.set(qn("w:asciiTheme"), "minorHAnsi")
        rf.set(qn("w:hAnsiTheme"), "minorHAnsi")


def break_body_alignment(doc):
    for p in doc.paragraphs:
        if p.style.name == "VB Body" and len(p.text) > 60:
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT


CASES = [
    (break_motto, "header.motto-dash"),
    (break_month, "header.date-zero"),
    (break_margins, "page.margins"),
    (break_number_bold, "header.number-style"),
    (break_number_zero, "header.number-zero"),
    (break_date_italic, "header.date-style"),
    (break_appendix_label, "appendix.case"),
    (break_appendix_label, "appendix.numbering"),
    (break_recipients_title, "recipients.title"),
    (break_archive_line, "recipients.archive"),
    (break_first_page_number, "pagenum.first-page"),
    (break_theme_fonts, "font.family"),
    (break_body_alignment, "body.align"),
]


@pytest.mark.parametrize("breaker,rule", CASES, ids=[f"{b.__name__}->{r}" for b, r in CASES])
def test_a_broken_document_fails_with_the_right_rule(built, inputs, tmp_path, breaker, rule):
    doc = plan_copy(built, inputs)
    breaker(doc)
    path = tmp_path / "sai.docx"
    doc.save(path)
    found = rules(path)
    assert rule in found, found
    assert len(found) <= 3, f"one fault, not a cascade: {found}"


def handmade(path):
    """A clerk's document in Word's defaults: Letter, Calibri, 1-inch margins, the usual slips."""
    doc = Document()
    t = doc.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nXÃ XUÂN BÌNH"
    t.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc"
    t.cell(1, 0).text = "Số: 5/KH-UBND"
    t.cell(1, 1).text = "Xuân Bình, ngày 5 tháng 07 năm 2025"
    for p in t.cell(1, 0).paragraphs:
        for r in p.runs:
            r.bold = True
    doc.add_paragraph("KẾ HOẠCH")
    doc.add_paragraph("Cải cách hành chính năm 2025")
    for _ in range(3):
        doc.add_paragraph("Tiếp tục triển khai toàn diện, đồng bộ, có hiệu quả các nhiệm vụ cải cách hành chính "
                          "trên địa bàn xã trong năm 2025 theo kế hoạch của tỉnh.")
    doc.add_paragraph("Nơi nhận:")
    doc.add_paragraph("- Như trên")
    doc.add_paragraph("- Lưu VT")
    doc.add_paragraph("PHỤ LỤC SỐ 01")
    doc.add_paragraph("PHỤ LỤC SỐ 02")
    doc.save(path)


def test_a_handmade_document_is_named_fault_by_fault(tmp_path):
    path = tmp_path / "tay.docx"
    handmade(path)
    found = rules(path)
    for rule in ("page.size", "page.margins", "font.family", "header.motto-dash", "header.number-zero",
                 "header.number-style", "header.date-zero", "header.date-style", "title.type",
                 "body.align", "recipients.title", "recipients.archive", "appendix.case",
                 "appendix.numbering", "pagenum.missing"):
        assert rule in found, (rule, found)
    result = CliRunner().invoke(main, ["check", "--format", "json", str(path)])
    assert result.exit_code == EXIT_FINDINGS
    data = json.loads(result.output)
    (items,) = data.values()
    assert all(i["message"] and i["where"] for i in items)


def test_a_file_that_is_not_word_is_reported(tmp_path):
    bad = tmp_path / "khong-phai.docx"
    bad.write_text("not a zip")
    result = CliRunner().invoke(main, ["check", str(bad)])
    assert result.exit_code == EXIT_FINDINGS and "file.unreadable" in result.output
