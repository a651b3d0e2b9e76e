"""The recipe of ``tests/data/docx/word-lowerletter-list.docx``: a list lettered by Word itself next to one
lettered by hand, laid out as Word writes them.

No file in the shared corpus has an automatic letter list of five items or more (the longest, in the
Lâm Đồng CCHC plan, has three), and the corpus may not be copied into the project; so this minimal
file stands in. Its parts follow what Word 2016 saves for Home → Numbering → "a)": an ``abstractNum``
whose level 0 has ``w:numFmt w:val="lowerLetter"`` and ``w:lvlText w:val="%1)"``, a ``w:num`` pointing
at it, and ``w:numPr`` on each paragraph of the list ("List Paragraph" style). Word shows that list
as a) b) c) d) e) f): its automatic letters are the Latin alphabet (ECMA-376 Part 1, §17.18.59,
``lowerLetter``). The second list is typed: the labels are in the text, in the decree's Vietnamese
alphabet, a) b) c) d) đ) e).

Run ``python -m tests.helpers.word_lists`` to write the file again.
"""

from __future__ import annotations

from pathlib import Path

from tests.docx_read import zipped

PATH = Path(__file__).resolve().parent.parent / "data" / "docx" / "word-lowerletter-list.docx"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

AUTOMATIC = ["Rà soát thủ tục hành chính", "Công khai thủ tục trên Cổng dịch vụ công",
             "Tiếp nhận hồ sơ trực tuyến", "Số hóa hồ sơ, kết quả giải quyết",
             "Đo lường sự hài lòng của người dân", "Báo cáo kết quả hằng quý"]
TYPED = ["a) Kiện toàn bộ phận một cửa.", "b) Bố trí công chức tiếp nhận.", "c) Niêm yết thủ tục.",
         "d) Trả kết quả đúng hạn.", "đ) Xin lỗi khi trễ hạn.", "e) Tổng hợp kiến nghị."]

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/numbering.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    "</Types>")
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>')
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" '
    'Target="numbering.xml"/></Relationships>')
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W}">'
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
    'w:cs="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr>'
    "</w:rPrDefault><w:pPrDefault/></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
    '<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/>'
    '<w:basedOn w:val="Normal"/><w:uiPriority w:val="34"/><w:qFormat/><w:pPr><w:ind w:left="720"/>'
    "<w:contextualSpacing/></w:pPr></w:style></w:styles>")
NUMBERING = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering xmlns:w="{W}">'
    '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/>'
    '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2."/>'
    '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr></w:lvl>'
    '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')


def _paragraph(text: str, numbered: bool = False) -> str:
    ppr = ('<w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/>'
           '</w:numPr><w:jc w:val="both"/></w:pPr>') if numbered else '<w:pPr><w:jc w:val="both"/></w:pPr>'
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def document_xml() -> str:
    body = _paragraph("1. Nhiệm vụ đánh số tự động bằng Word (Home → Numbering → a):")
    body += "".join(_paragraph(t, numbered=True) for t in AUTOMATIC)
    body += _paragraph("2. Nhiệm vụ gõ tay chữ cái thứ tự:")
    body += "".join(_paragraph(t) for t in TYPED)
    sect = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="851" w:bottom="1134" '
            'w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}{sect}</w:body></w:document>')


def write(path: Path = PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": PACKAGE_RELS,
             "word/_rels/document.xml.rels": DOCUMENT_RELS, "word/document.xml": document_xml(),
             "word/styles.xml": STYLES, "word/numbering.xml": NUMBERING}
    path.write_bytes(zipped(parts))
    return path


if __name__ == "__main__":
    print(write())
