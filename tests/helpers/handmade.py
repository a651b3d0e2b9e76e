"""Documents built from scratch with python-docx, the way a clerk makes them in Word.

``correct_plan`` follows Nghị định 30 but is laid out as people do by hand: direct formatting
on runs, the header rules drawn as line shapes (VML and DrawingML) instead of paragraph
borders, appendices in their own sections. ``word_defaults_plan`` keeps Word's defaults and
the usual slips. Neither uses vanban's templates or styles, so ``vanban check`` has to
resolve everything itself.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt

CENTER, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT

VML_LINE = (
    '<w:r {w}><w:pict><v:line xmlns:v="urn:schemas-microsoft-com:vml" id="_x0000_s1026" '
    'style="position:absolute;z-index:251659264" from="40pt,2pt" to="{to}pt,2pt" strokeweight=".5pt"/>'
    "</w:pict></w:r>"
)
WPS_LINE = (
    '<w:r {w}><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="1" behindDoc="0" '
    'locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="column"><wp:posOffset>500000</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="paragraph"><wp:posOffset>20000</wp:posOffset></wp:positionV>'
    '<wp:extent cx="{cx}" cy="0"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
    '<wp:docPr id="{id}" name="Line {id}"/><wp:cNvGraphicFramePr/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:cNvCnPr/>'
    '<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="0"/></a:xfrm>'
    '<a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="6350"><a:solidFill><a:srgbClr val="000000"/>'
    "</a:solidFill></a:ln></wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
    "</w:drawing></w:r>"
)


def _line(paragraph, kind: str, shape_id: int = 1, length_mm: float = 30) -> None:
    """A drawn line ``length_mm`` long (VML v:line or a DrawingML line), anchored in ``paragraph``."""
    xml = (VML_LINE if kind == "vml" else WPS_LINE).replace("{w}", nsdecls("w")).replace("{id}", str(shape_id))
    xml = xml.replace("{cx}", str(round(length_mm * 36000))).replace("{to}", f"{40 + length_mm * 72 / 25.4:.2f}")
    paragraph._p.append(parse_xml(xml))


def _para(container, text, size, bold=False, italic=False, align=None, indent=None, after=None, line=None):
    p = container.add_paragraph()
    if text:
        r = p.add_run(text)
        r.font.size, r.font.bold, r.font.italic = Pt(size), bold, italic
    pf = p.paragraph_format
    if align is not None:
        pf.alignment = align
    if indent is not None:
        pf.first_line_indent = indent
    if after is not None:
        pf.space_after = after
    if line is not None:
        pf.line_spacing = line
    return p


def _cell(cell, lines):
    """Fill a table cell with (text, size, bold, italic) lines; centred, like the header block."""
    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    out = []
    for text, size, bold, italic in lines:
        out.append(_para(cell, text, size, bold, italic, CENTER))
    return out


def signature_block(doc, recipients: list[str], authority: str, title: str, name: str):
    """The borderless table that closes a document: "Nơi nhận:" and its lines (11 pt, left) beside the
    signature (authority, title, four blank lines for the signature, the signer's name; 14 pt bold)."""
    sig = doc.add_table(rows=1, cols=2)
    _cell(sig.cell(0, 0), [("Nơi nhận:", 12, True, True)] + [(r, 11, False, False) for r in recipients])
    for p in sig.cell(0, 0).paragraphs:
        p.alignment = LEFT
    _cell(sig.cell(0, 1), [(authority, 14, True, False), (title, 14, True, False)]
          + [("", 14, False, False)] * 4 + [(name, 14, True, False)])
    return sig


def _page_number_header(section) -> None:
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = CENTER
    p._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="26"/>'
                          "</w:rPr><w:t>2</w:t></w:r></w:fldSimple>"))


def _restart_numbering(section) -> None:
    sect_pr = section._sectPr
    pg = sect_pr.find(qn("w:pgNumType"))
    if pg is None:
        pg = parse_xml(f'<w:pgNumType {nsdecls("w")}/>')
        sect_pr.find(qn("w:pgMar")).addnext(pg)
    pg.set(qn("w:start"), "1")


BODY = ("Thực hiện Kế hoạch của Ủy ban nhân dân tỉnh về cải cách hành chính năm 2026, Ủy ban nhân dân "
        "xã Xuân Bình ban hành Kế hoạch triển khai trên địa bàn xã như sau:")


def correct_plan(path: Path, rule: str = "vml") -> Path:
    """A plan made by hand that meets the decree: ``vanban check`` must find nothing."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"  # sets ascii/hAnsi on Normal: nearer than the theme default
    normal.font.size = Pt(14)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    _page_number_header(sec)

    t = doc.add_table(rows=2, cols=2)
    agency = _cell(t.cell(0, 0), [("ỦY BAN NHÂN DÂN", 13, True, False), ("XÃ XUÂN BÌNH", 13, True, False)])
    nation = _cell(t.cell(0, 1), [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, True, False),
                                  ("Độc lập - Tự do - Hạnh phúc", 14, True, False)])
    # as a clerk draws them: ~2/5 of "ỦY BAN NHÂN DÂN" (13 pt bold, ~45 mm), the motto's length (~60 mm)
    _line(agency[-1], rule, 1, 18)
    _line(nation[-1], rule, 2, 60)
    _cell(t.cell(1, 0), [("Số: 05/KH-UBND", 13, False, False)])
    _cell(t.cell(1, 1), [("Xuân Bình, ngày 05 tháng 01 năm 2026", 14, False, True)])

    _para(doc, "KẾ HOẠCH", 14, True, align=CENTER)
    summary = _para(doc, "Cải cách hành chính năm 2026", 14, True, align=CENTER)
    _line(summary, rule, 3, 30)  # ~2/5 of the summary (14 pt bold, ~75 mm)
    for _ in range(3):
        _para(doc, BODY, 14, align=JUSTIFY, indent=Cm(1), after=Pt(6), line=1.15)

    signature_block(doc, ["- UBND tỉnh;", "- Lưu: VT, VP."], "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Minh")

    for n in ("I", "II"):
        s = doc.add_section(WD_SECTION.NEW_PAGE)
        s.orientation = WD_ORIENT.LANDSCAPE
        s.page_width, s.page_height = Mm(297), Mm(210)
        _restart_numbering(s)
        _para(doc, f"Phụ lục {n}", 14, True, align=CENTER)
        _para(doc, "DANH MỤC NHIỆM VỤ", 14, True, align=CENTER)
        _para(doc, "(Kèm theo Kế hoạch số 05/KH-UBND ngày 05 tháng 01 năm 2026 của Ủy ban nhân dân xã Xuân Bình)",
              14, italic=True, align=CENTER)
    doc.save(path)
    return path


def word_defaults_plan(path: Path) -> Path:
    """A clerk's plan in Word's defaults (Letter, Calibri theme font, 1-inch margins) with the usual slips."""
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
    doc.add_paragraph("KT CHỦ TỊCH")
    doc.add_paragraph("PHÓ CHỦ TỊCH")
    doc.add_paragraph("Nơi nhận:")
    doc.add_paragraph("- Như trên")
    doc.add_paragraph("- Lưu VT")
    doc.add_paragraph("PHỤ LỤC SỐ 01")
    doc.add_paragraph("PHỤ LỤC SỐ 02")
    doc.save(path)
    return path


def legal_decree(path: Path) -> Path:
    """A legal document as the Government's own Word text of a decree is laid out: "Số: 30/2020/NĐ-CP"
    (number/year/symbol), rules typed as paragraphs of underscores, Điều with clauses restarting at 1,
    a recipient written over two paragraphs, runs in the font named "Times New Roman Bold"."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    _page_number_header(sec)
    t = doc.add_table(rows=1, cols=2)
    _cell(t.cell(0, 0), [("CHÍNH PHỦ", 13, True, False), ("________", 13, False, False),
                         ("Số: 30/2020/NĐ-CP", 13, False, False)])
    _cell(t.cell(0, 1), [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, True, False),
                         ("Độc lập - Tự do - Hạnh phúc", 14, True, False),
                         ("_______________________", 14, False, False),
                         ("Hà Nội, ngày 05 tháng 3 năm 2020", 14, False, True)])
    _para(doc, "NGHỊ ĐỊNH", 14, True, align=CENTER)
    _para(doc, "Về công tác văn thư", 14, True, align=CENTER)
    _para(doc, "__________", 14, align=CENTER)
    for n in (1, 2, 3):
        head = _para(doc, f"Điều {n}. Phạm vi điều chỉnh và đối tượng áp dụng của điều thứ {n}", 14, True,
                     align=JUSTIFY, indent=Cm(1), after=Pt(6))
        for r in head.runs:
            r.font.name = "Times New Roman Bold"
        for k in (1, 2):
            _para(doc, f"{k}. Nghị định này quy định về công tác văn thư và quản lý nhà nước về công tác văn thư, "
                  "áp dụng đối với cơ quan, tổ chức nhà nước.", 14, align=JUSTIFY, indent=Cm(1), after=Pt(6))
    signature_block(doc, ["- Ban Bí thư Trung ương Đảng;", "- Các Bộ, cơ quan ngang Bộ, cơ quan thuộc", "Chính phủ;",
                          "- Lưu: VT, KSTT."], "TM. CHÍNH PHỦ", "THỦ TƯỚNG", "Nguyễn Xuân Phúc")
    doc.save(path)
    return path
