"""The issued plan read back as a reader sees it: Nghị định 30 layout (issue 2)."""

from __future__ import annotations

import re

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from pipeline.ooxml.xmlns import W
from tests.docx_read import (
    signature_table,
    all_runs_are, body_text, effective_run, find_paragraph, page_setup, para_format, runs_with_text,
    sections_xml,
)
from tests.helpers.font_metrics import text_width_twips

# A4 in twips (1/1440 inch): 210 mm × 297 mm (Nghị định 30, §1)
A4_W, A4_H = 11906, 16838


def header_cells(doc):
    t = doc.tables[0]
    return t.rows[0].cells[0], t.rows[0].cells[1], t.rows[1].cells[0], t.rows[1].cells[1]


def test_page_is_a4_with_decree_margins(plan_doc):
    first = page_setup(sections_xml(plan_doc)[0])
    assert (first["w"], first["h"], first["orient"]) == (A4_W, A4_H, "portrait")
    mm = lambda tw: tw / 56.7  # noqa: E731
    assert 20 <= mm(first["top"]) <= 25 and 20 <= mm(first["bottom"]) <= 25
    assert 30 <= mm(first["left"]) <= 35 and 15 <= mm(first["right"]) <= 20


def test_page_number_centred_in_header_not_on_page_one(plan_doc):
    sec = plan_doc.sections[0]
    assert sec.different_first_page_header_footer, "page 1 must not show a number (titlePg)"
    header_xml = sec.header._element.xml
    assert "PAGE" in header_xml
    p = sec.header.paragraphs[0]
    assert para_format(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
    assert 13 <= p.style.font.size.pt <= 14
    assert "PAGE" not in sec.first_page_header._element.xml
    assert not sec.footer.paragraphs or not any(p.text.strip() for p in sec.footer.paragraphs)


def _upright(p) -> bool:
    """No run of ``p`` is italic, directly or through its style chain."""
    return not any(effective_run(p, r, "italic") for r in runs_with_text(p))


def _sizes(p) -> set:
    return {effective_run(p, r, "size") for r in runs_with_text(p)}


def test_header_block_texts_and_styles(plan_doc, inputs):
    """§2: agency upper case, bold, upright, 12–13 pt; national name likewise; motto bold upright
    13–14 pt; 'Số:' upright 13 pt, not bold; place and date italic 13–14 pt."""
    left, right, number, date = header_cells(plan_doc)
    agency = [p for p in left.paragraphs if p.text.strip()]
    assert [p.text for p in agency] == ["ỦY BAN NHÂN DÂN", "XÃ XUÂN BÌNH"]
    for p in agency:
        assert all_runs_are(p, bold=True) and _upright(p)
        assert _sizes(p) <= {12, 13}
    nation, motto = [p for p in right.paragraphs if p.text.strip()]
    assert nation.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert all_runs_are(nation, bold=True) and _upright(nation)
    assert _sizes(nation) <= {12, 13}
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"  # hyphen-minus, never an en dash
    assert all_runs_are(motto, bold=True) and _upright(motto)
    assert _sizes(motto) <= {13, 14}
    num = number.paragraphs[0]
    assert num.text == "Số:      /KH-UBND"
    assert not any(effective_run(num, r, "bold") for r in runs_with_text(num)) and _upright(num)
    assert _sizes(num) == {13}
    d = [p for p in date.paragraphs if p.text.strip()][0]
    assert d.text == "Xuân Bình, ngày      tháng 7 năm 2025"
    assert all_runs_are(d, italic=True)
    assert _sizes(d) <= {13, 14}


def _rules(cell):
    """(indent-left, indent-right) of each paragraph in ``cell`` that draws a border rule."""
    out = []
    for p in cell._tc.iter(W + "p"):
        if p.find(f"{W}pPr/{W}pBdr") is not None:
            ind = p.find(f"{W}pPr/{W}ind")
            out.append((int(ind.get(qn("w:left"))), int(ind.get(qn("w:right")))))
    return out


def _text_box(table, cell) -> int:
    """The width text may take in ``cell``: its tcW less the table's left and right cell margins."""
    mar = table._tbl.find(f"{W}tblPr/{W}tblCellMar")
    margins = sum(int(mar.find(W + side).get(qn("w:w"))) for side in ("left", "right"))
    return int(cell._tc.find(f"{W}tcPr/{W}tcW").get(qn("w:w"))) - margins


def test_rules_under_agency_and_motto_have_decree_lengths(plan_doc):
    """§2: the agency rule is 1/3 to 1/2 of the agency line; the motto rule as long as the motto.

    Text widths come from the font file itself (Times New Roman's metrics), sizes from the document."""
    table = plan_doc.tables[0]
    left, right, _, _ = header_cells(plan_doc)
    agency = [p for p in left.paragraphs if p.text.strip()]
    widest = max(text_width_twips(p.text, effective_run(p, runs_with_text(p)[0], "size"), bold=True)
                 for p in agency)
    (l_in, r_in), = _rules(left)
    rule = _text_box(table, left) - l_in - r_in
    assert widest / 3 <= rule <= widest / 2, "the agency rule is 1/3 to 1/2 of the name"
    motto = [p for p in right.paragraphs if p.text.strip()][1]
    motto_w = text_width_twips(motto.text, effective_run(motto, runs_with_text(motto)[0], "size"), bold=True)
    (l_in, r_in), = _rules(right)
    assert abs((_text_box(table, right) - l_in - r_in) - motto_w) <= 0.02 * motto_w, \
        "the motto rule is as long as the motto"


def test_header_table_fills_the_text_column_in_grid_and_cells(plan_doc):
    """The two header columns span the page less its margins, in tblGrid (LibreOffice) and tcW (Word)."""
    setup = page_setup(sections_xml(plan_doc)[0])
    t = plan_doc.tables[0]._tbl
    grid = [int(c.get(qn("w:w"))) for c in t.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 2 and sum(grid) == setup["w"] - setup["left"] - setup["right"]
    # §1/§2: text column 210 − 30 − 15 mm = 9354 twips; left column about 40 % of it
    assert sum(grid) == 9354 and 0.35 <= grid[0] / sum(grid) <= 0.42
    for tr in t.findall(qn("w:tr")):
        widths = [int(tc.find(f"{W}tcPr/{W}tcW").get(qn("w:w"))) for tc in tr.findall(qn("w:tc"))]
        assert widths == grid


def test_type_name_and_summary(plan_doc, inputs):
    type_p = find_paragraph(plan_doc.paragraphs, "KẾ HOẠCH")
    summary = find_paragraph(plan_doc.paragraphs, inputs.plan.summary)
    for p in (type_p, summary):
        assert para_format(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
        assert all_runs_are(p, bold=True)
        assert all(13 <= effective_run(p, r, "size") <= 14 for r in runs_with_text(p))


def test_body_is_justified_indented_and_spaced(plan_doc):
    body = [p for p in plan_doc.paragraphs if p.style.name in ("VB Body", "VB Section", "VB Clause")
            and p.text.strip()]
    assert len(body) > 60
    for p in body:
        assert para_format(p, "alignment") == WD_ALIGN_PARAGRAPH.JUSTIFY, p.text
        assert para_format(p, "first_line_indent").twips in (567, 720), p.text
        assert para_format(p, "space_after").pt >= 6
        assert 1.0 <= para_format(p, "line_spacing") <= 1.5
        assert all(13 <= effective_run(p, r, "size") <= 14 for r in runs_with_text(p))


def test_sections_and_clauses_are_numbered_without_gaps(plan_doc):
    sections = [p.text for p in plan_doc.paragraphs if p.style.name == "VB Section"]
    assert sections == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ VÀ GIẢI PHÁP", "III. KINH PHÍ",
                        "IV. TRÁCH NHIỆM TỔ CHỨC THỰC HIỆN"]
    for p in plan_doc.paragraphs:
        if p.style.name == "VB Section":
            assert all_runs_are(p, bold=True)
    clauses = [p.text for p in plan_doc.paragraphs if p.style.name == "VB Clause"]
    subs = [c.split(" ")[0] for c in clauses if re.match(r"2\.\d+\.", c)]
    assert subs == [f"2.{i}." for i in range(1, len(subs) + 1)], "no duplicated 2.5"
    areas = [c for c in clauses if re.match(r"\d+\. ", c)]
    assert [a.split(".")[0] for a in areas[:7]] == [str(i) for i in range(1, 8)]


def test_signature_block_and_recipients(plan_doc):
    sig = signature_table(plan_doc)
    left, right = sig.rows[0].cells
    lines = [p for p in right.paragraphs if p.text.strip()]
    assert [p.text for p in lines] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trịnh Ngọc Tuấn"]
    for p in lines:
        assert all_runs_are(p, bold=True)
        assert para_format(p, "alignment") == WD_ALIGN_PARAGRAPH.CENTER
        assert all(13 <= effective_run(p, r, "size") <= 14 for r in runs_with_text(p))
    blank = [p for p in right.paragraphs if not p.text.strip()]
    assert 3 <= len(blank) <= 5, "room for the signature and seal"
    title, *entries = [p for p in left.paragraphs if p.text.strip()]
    assert title.text == "Nơi nhận:"
    assert all_runs_are(title, bold=True, italic=True, size=12)
    assert len(entries) >= 3
    for p in entries:
        assert all_runs_are(p, size=11)
        assert p.text.startswith("- ")
    assert all(p.text.endswith(";") for p in entries[:-1])
    assert entries[-1].text == "- Lưu: VT, VP."


def test_times_new_roman_everywhere_no_theme_fonts(built, inputs):
    import io
    import zipfile

    from pipeline.plan.documents import file_stem

    z = zipfile.ZipFile(io.BytesIO(built[f"{file_stem(inputs.plan)}.docx"].data))
    for name in ("word/document.xml", "word/styles.xml", "word/header1.xml"):
        if name not in z.namelist():
            continue
        xml = z.read(name).decode()
        rfonts = re.findall(r"<w:rFonts [^>]*>", xml)
        assert rfonts or name.startswith("word/header"), name
        assert not any("Theme" in r for r in rfonts), name
        fonts = set(re.findall(r'w:(?:ascii|hAnsi|cs|eastAsia)="([^"]+)"', " ".join(rfonts)))
        assert fonts <= {"Times New Roman"}, (name, fonts)


def test_text_is_nfc(plan_doc):
    import unicodedata

    text = body_text(plan_doc)
    assert unicodedata.normalize("NFC", text) == text
