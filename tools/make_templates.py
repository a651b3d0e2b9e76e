"""Write the Word templates under templates/ from the rules in pipeline/decree/rules.py (via nd30).

The templates are ordinary .docx files: open them in Word or LibreOffice to
change wording around the tags or a style's look. This script is how they were
made, and re-running it resets them to the decree's defaults:

    python tools/make_templates.py

Styles carry all formatting (Times New Roman set explicitly, never a theme
font); tags are docxtpl/Jinja2 (``{{ x }}``, ``{%p for %}``, ``{{p xml }}``).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, Twips

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.decree import forms as nd30  # noqa: E402
from pipeline.decree import rules  # noqa: E402
from pipeline.decree import wml  # noqa: E402
from pipeline.ooxml.package import save_docx  # noqa: E402

J = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
     "both": WD_ALIGN_PARAGRAPH.JUSTIFY, "right": WD_ALIGN_PARAGRAPH.RIGHT}



def look(element: str, **change) -> tuple[float, bool, bool]:
    """(size, bold, italic) of an element of the decree, from ``rules.STYLES`` and its chosen size."""
    st = rules.STYLES[element]
    out = {"size": rules.chosen(st.size), "bold": st.bold, "italic": st.italic} | change
    return out["size"], out["bold"], out["italic"]


def style_table() -> dict[str, tuple]:
    """name: (size, bold, italic, align, first-line indent, space before, space after, keep with next).

    Read from ``pipeline.decree.rules`` each time, so a changed chosen value reaches the templates.
    """
    indent = nd30.twips("indent.first_line")  # §4
    gap = nd30.twips("spacing.after")  # §4: the space between paragraphs
    body = look("body")
    return {
        "VB Body": (*body, "both", indent, 0, gap, False),
        "VB Section": (*look("body", bold=True), "both", indent, gap, gap, True),
        "VB Clause": (*look("body", bold=True), "both", indent, gap // 2, gap, True),
        "VB Base": (*look("body", italic=True), "both", indent, 0, gap, False),  # §4: bases in italic
        "VB Note": (*look("body", italic=True), "both", indent, 0, gap, False),
        # the last paragraph stays on the page of the signature: no signature page without text
        "VB Closing": (*body, "both", indent, 0, gap, True),
        # a place to fill: its paragraph looks like the body, so text typed there is body text; the
        # words that mark the place are a content control's placeholder (PLACEHOLDER_STYLE, fill_paragraph)
        "VB Fill": (*body, "both", indent, 0, gap, False),
        "VB Type": (*look("type_name"), "center", 0, 2 * gap, 0, True),
        "VB Summary": (*look("summary"), "center", 0, 0, 0, True),
        "VB To": (*look("to"), "center", 0, gap, gap, True),
        "VB Parent": (*look("parent_agency"), "center", 0, 0, 0, True),
        "VB Agency": (*look("agency"), "center", 0, 0, 0, True),
        "VB Nation": (*look("national_name"), "center", 0, 0, 0, True),
        "VB Motto": (*look("motto"), "center", 0, 0, 0, True),
        "VB Number": (*look("number"), "center", 0, gap, 0, False),
        "VB Place Date": (*look("place_date"), "center", 0, gap, 0, False),
        "VB Rule": (1, False, False, "center", 0, 0, 0, True),
        "VB Recipients Title": (*look("recipients_title"), "left", 0, 0, 0, False),
        "VB Recipient": (*look("recipients"), "left", 0, 0, 0, False),
        "VB Authority": (*look("authority"), "center", 0, 0, 0, True),
        "VB Signer": (*look("signer"), "center", 0, 0, 0, False),
        "VB Appendix No": (*look("appendix_label"), "center", 0, 0, 0, True),
        "VB Appendix Title": (*look("appendix_title"), "center", 0, 0, 0, True),
        "VB Appendix Ref": (*look("appendix_ref"), "center", 0, 0, 2 * gap, True),
        "VB Table Text": (nd30.SIZE_TABLE, False, False, "left", 0, 0, 0, False),
        "VB Page Number": (*look("page_number"), "center", 0, 0, 0, False),
    }


PLACEHOLDER_STYLE = "VB Placeholder"
BODY_STYLES = ("VB Body", "VB Section", "VB Clause", "VB Base", "VB Note", "VB Fill", "VB Closing")
FIXED_TIME = dt.datetime(2013, 12, 23, 23, 15)  # the date python-docx's own template carries
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def set_fonts(rpr) -> None:
    """Times New Roman on all four font slots, and no theme font left to override it."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, rfonts)
    for attr in THEME_ATTRS:
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        rfonts.set(qn(f"w:{slot}"), nd30.FONT)


def base_document(landscape: bool) -> Document:
    doc = Document()
    add_styles(doc)
    page_setup(doc, landscape)
    # drop the sample paragraph python-docx starts with
    body = doc.element.body
    for el in list(body):
        if el.tag == qn("w:p"):
            body.remove(el)
    slim(doc)
    cp = doc.core_properties
    cp.author = "vanban"
    cp.title = ""
    cp.comments = "Mẫu văn bản theo Nghị định 30/2020/NĐ-CP — tạo bởi vanban"
    wml.set_core(doc, lastModifiedBy="vanban", revision="1")
    cp.created = cp.modified = FIXED_TIME  # the same bytes on every run
    return doc


def add_styles(doc) -> None:
    """Times New Roman everywhere (no theme fonts), Vietnamese, black; then the VB styles."""
    styles_el = doc.styles.element
    # docDefaults: Times New Roman 14, Vietnamese, black
    rpr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr_default)
    for el in styles_el.iter(qn("w:rFonts")):
        for attr in THEME_ATTRS:
            el.attrib.pop(qn(f"w:{attr}"), None)
        for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
            el.set(qn(f"w:{slot}"), nd30.FONT)
    for lang in styles_el.iter(qn("w:lang")):
        lang.set(qn("w:val"), "vi-VN")
    for color in styles_el.iter(qn("w:color")):
        color.set(qn("w:val"), "000000")
        for attr in ("themeColor", "themeShade", "themeTint"):
            color.attrib.pop(qn(f"w:{attr}"), None)
    normal = doc.styles["Normal"]
    normal.font.name = nd30.FONT
    normal.font.size = Pt(nd30.size("body"))
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    set_fonts(normal.element.get_or_add_rPr())

    for name, (size, bold, italic, align, indent, before, after, keep) in style_table().items():
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.quick_style = True
        f = st.font
        f.name = nd30.FONT
        f.size = Pt(size)
        f.bold = bold
        f.italic = italic
        set_fonts(st.element.get_or_add_rPr())
        pf = st.paragraph_format
        pf.alignment = J[align]
        pf.first_line_indent = Twips(indent)
        pf.space_before = Twips(before)
        pf.space_after = Twips(after)
        pf.keep_with_next = keep
        if name in BODY_STYLES:  # §4: line spacing of the body
            pf.line_spacing = rules.chosen("spacing.line") / 240
    # the words that mark a place where an officer writes: italic on yellow, so none is missed; Word
    # removes them with their look when the officer types (a content control showing its placeholder)
    mark = doc.styles.add_style(PLACEHOLDER_STYLE, WD_STYLE_TYPE.CHARACTER)
    mark.quick_style = True
    mark.font.italic = True
    mark.element.get_or_add_rPr().append(parse_xml(
        f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="FFF2CC"/>'))


def page_setup(doc, landscape: bool) -> None:
    """§1: A4, the chosen margins, the page number centred in the top margin from page 2."""
    sec = doc.sections[0]
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Twips(nd30.A4_H), Twips(nd30.A4_W)
    else:
        sec.page_width, sec.page_height = Twips(nd30.A4_W), Twips(nd30.A4_H)
    sec.top_margin, sec.bottom_margin = Twips(nd30.twips("margin.top")), Twips(nd30.twips("margin.bottom"))
    sec.left_margin, sec.right_margin = Twips(nd30.twips("margin.left")), Twips(nd30.twips("margin.right"))
    sec.header_distance, sec.footer_distance = Twips(nd30.HEADER_DISTANCE), Twips(nd30.HEADER_DISTANCE)
    # §1: page number centred in the top margin, from 1, not on the first page
    sec.different_first_page_header_footer = True
    sec.first_page_header.is_linked_to_previous = False
    first = sec.first_page_header.paragraphs[0]
    first.style = doc.styles["VB Page Number"]
    header = sec.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.style = doc.styles["VB Page Number"]
    p._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr><w:rFonts w:ascii="{nd30.FONT}" '
        f'w:hAnsi="{nd30.FONT}" w:cs="{nd30.FONT}" w:eastAsia="{nd30.FONT}"/></w:rPr><w:t>2</w:t></w:r></w:fldSimple>'
    ))
    sect_pr = sec._sectPr
    pg = sect_pr.find(qn("w:pgNumType"))
    if pg is None:
        pg = parse_xml(f'<w:pgNumType {nsdecls("w")}/>')
        # schema order: pgNumType comes after pgMar
        sect_pr.find(qn("w:pgMar")).addnext(pg)
    pg.set(qn("w:start"), "1")
    pg.set(qn("w:fmt"), "decimal")


KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header", "Footer"}
DROP_RELS = ("stylesWithEffects", "customXml", "thumbnail", "webSettings")


def slim(doc) -> None:
    """Drop what python-docx's default template carries but no document here uses.

    Its styles.xml (350 kB of built-in and latent styles), stylesWithEffects.xml
    (440 kB), a thumbnail of an empty page and sample custom XML made every
    output ~40 kB and every render parse ~0.8 MB of XML.
    """
    styles = doc.styles.element
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    ours = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))
            if (s.find(qn("w:name")) is not None and s.find(qn("w:name")).get(qn("w:val")).startswith("VB "))}
    for st in styles.findall(qn("w:style")):
        if st.get(qn("w:styleId")) not in KEEP_STYLES | ours:
            styles.remove(st)
    kept = {st.get(qn("w:styleId")) for st in styles.findall(qn("w:style"))}
    for link in styles.iter(qn("w:link")):  # "Header" links to "HeaderChar", dropped above
        if link.get(qn("w:val")) not in kept:
            link.getparent().remove(link)
    for owner in (doc.part, doc.part.package):
        for rid, rel in list(owner.rels.items()):
            if any(rel.reltype.endswith(d) or d in rel.reltype for d in DROP_RELS):
                del owner.rels[rid]


def para(container, text: str, style: str):
    p = container.add_paragraph(style=style)
    if text:
        p.add_run(text)
    return p


def borderless_table(doc, widths: list[int]):
    t = doc.add_table(rows=0, cols=len(widths))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = t._tbl.tblPr
    # python-docx starts tblPr with tblW (auto), jc and tblLook: set the one width, and put
    # tblLayout and tblCellMar where the schema wants them, before tblLook (Word is strict)
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:w"), str(sum(widths)))
    tbl_w.set(qn("w:type"), "dxa")
    look = tbl_pr.find(qn("w:tblLook"))
    look.addprevious(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    look.addprevious(parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:left w:w="{nd30.HEADER_CELL_MARGIN}" w:type="dxa"/>'
        f'<w:right w:w="{nd30.HEADER_CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'))
    grid = t._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(w))
    return t


def add_row(table, widths):
    row = table.add_row()
    for cell, w in zip(row.cells, widths):
        cell.width = Twips(w)
        # the new cell carries one empty paragraph; templates fill it
    return row


def cell_lines(cell, lines: list[tuple[str, str]]):
    """Fill a cell with (text, style) paragraphs, reusing its first empty paragraph."""
    first = True
    for text, style in lines:
        if first:
            p = cell.paragraphs[0]
            p.style = style
            if text:
                p.add_run(text)
            first = False
        else:
            para(cell, text, style)


def header_table(doc):
    widths = list(nd30.header_widths())
    t = borderless_table(doc, widths)
    r1 = add_row(t, widths)
    cell_lines(r1.cells[0], [
        ("{%p for l in hdr.parent_lines %}", "VB Parent"),
        ("{{ l }}", "VB Parent"),
        ("{%p endfor %}", "VB Parent"),
        ("{%p for l in hdr.agency_lines %}", "VB Agency"),
        ("{{ l }}", "VB Agency"),
        ("{%p endfor %}", "VB Agency"),
        ("{{p hdr.agency_rule }}", "VB Rule"),
    ])
    cell_lines(r1.cells[1], [
        ("{{ hdr.national_name }}", "VB Nation"),
        ("{{ hdr.motto }}", "VB Motto"),
        ("{{p hdr.motto_rule }}", "VB Rule"),
    ])
    r2 = add_row(t, widths)
    cell_lines(r2.cells[0], [("{{ hdr.number_line }}", "VB Number")])
    cell_lines(r2.cells[1], [("{{ hdr.date_line }}", "VB Place Date")])
    return t


def signature_table(doc):
    left = int(nd30.text_width() * nd30.SIGNATURE_LEFT_FRACTION)
    widths = [left, nd30.text_width() - left]
    t = borderless_table(doc, widths)
    r = add_row(t, widths)
    # the signature block never breaks across pages (the signer's name stays with the position)
    r._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    cell_lines(r.cells[0], [
        ("Nơi nhận:", "VB Recipients Title"),
        ("{%p for r in sig.recipients %}", "VB Recipient"),
        ("{{ r }}", "VB Recipient"),
        ("{%p endfor %}", "VB Recipient"),
    ])
    right = [
        ("{%p for l in sig.authority_lines %}", "VB Authority"),
        ("{{ l }}", "VB Authority"),
        ("{%p endfor %}", "VB Authority"),
    ]
    right += [("", "VB Signer")] * int(rules.chosen("signature.blank_lines"))  # §5
    right += [("{{ sig.name }}", "VB Signer")]
    cell_lines(r.cells[1], right)
    return t


def fill_paragraph(p) -> None:
    """The paragraph's one run made the placeholder of a content control (``w:sdt`` showing its placeholder,
    ``w:showingPlcHdr``): the marking words in the placeholder style; what the officer types in their
    place takes the paragraph's style, the body's (issue 29)."""
    run = p.runs[0]._r
    run.get_or_add_rPr().insert(0, parse_xml(f'<w:rStyle {nsdecls("w")} w:val="{PLACEHOLDER_STYLE.replace(" ", "")}"/>'))
    sdt = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="Cán bộ soạn thảo viết"/><w:showingPlcHdr/>'
                    '</w:sdtPr><w:sdtContent/></w:sdt>')
    run.addprevious(sdt)
    sdt.find(qn("w:sdtContent")).append(run)


def body_loop(doc):
    """One paragraph per kind of body block; context.py decides kind, label and text."""
    last = ""
    for text, style in [
        ("{%p for b in body %}", "VB Body"),
        # a heading under a table: the table has no space after it, so the heading brings both
        ("{%p if b.kind == 'section' and loop.previtem is defined and loop.previtem.kind == 'table' %}", "VB Body"),
        ("{{ b.text }}", "VB Section"),  # with the space before doubled, below
        ("{%p elif b.kind == 'section' %}", "VB Body"),
        ("{{ b.text }}", "VB Section"),
        ("{%p elif b.kind == 'clause' %}", "VB Body"),
        ("{{ b.text }}", "VB Clause"),
        ("{%p elif b.kind == 'note' %}", "VB Body"),
        ("{{ b.text }}", "VB Note"),
        ("{%p elif b.kind == 'fill' %}", "VB Body"),
        ("{{ b.text }}", "VB Fill"),  # its run made a content control's placeholder below
        ("{%p elif b.kind == 'closing' %}", "VB Body"),
        ("{{ b.text }}", "VB Closing"),
        ("{%p elif b.kind == 'table' %}", "VB Body"),
        ("{{p b.xml }}", "VB Body"),
        ("{%p else %}", "VB Body"),
        ("{{ b.text }}", "VB Body"),
        ("{%p endif %}", "VB Body"),
        ("{%p endfor %}", "VB Body"),
    ]:
        p = para(doc, text, style)
        if style == "VB Fill":
            fill_paragraph(p)
        if "loop.previtem" in last:  # the heading under a table
            p.paragraph_format.space_before = Twips(2 * nd30.twips("spacing.after"))
        last = text


def make_document_template() -> Document:
    """kh_ubnd.docx: every document with a type name (Kế hoạch, Chương trình, Báo cáo)."""
    doc = base_document(landscape=False)
    header_table(doc)
    para(doc, "{{ doc.type_name }}", "VB Type")
    para(doc, "{{ doc.summary }}", "VB Summary")
    para(doc, "{{p doc.summary_rule }}", "VB Rule")
    for text, style in [
        ("{{p doc.to }}", "VB To"),  # §9: made in nd30.to_block (one line, or an aligned block)
        ("{%p for b in doc.preamble %}", "VB Base"),
        ("{{ b }}", "VB Base"),
        ("{%p endfor %}", "VB Base"),
    ]:
        para(doc, text, style)
    body_loop(doc)
    signature_table(doc)
    return doc


def make_appendix_template() -> Document:
    """phu_luc/phu_luc.docx: one appendix (landscape), its heading and its task table."""
    doc = base_document(landscape=True)
    para(doc, "{{ app.label }}", "VB Appendix No")
    para(doc, "{{ app.title }}", "VB Appendix Title")
    para(doc, "{{ app.reference }}", "VB Appendix Ref")
    para(doc, "{{p app.table }}", "VB Body")
    return doc


TEMPLATES = {"kh_ubnd.docx": make_document_template, "phu_luc/phu_luc.docx": make_appendix_template}


def write_templates(out: Path) -> list[Path]:
    """Write every template under ``out``; the same rules always give the same bytes."""
    paths = []
    for name, make in TEMPLATES.items():
        save_docx(make(), out / name)
        paths.append(out / name)
    return paths


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ROOT / "templates"
    write_templates(out)
    print("templates written:", out)


if __name__ == "__main__":
    main()
