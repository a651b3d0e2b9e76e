"""Small hostile .docx files for the readers (issue 33), and one long plan for the linearity figures.

Each file of ``CASES`` is a few kilobytes, a well-formed zip of well-formed XML that passes the
bounded reading layer (``ooxml.safezip``), and carries one value or structure a Word file can hold
but Word itself never writes: a list starting at 10^12 in Roman numerals, a merged cell spanning a
billion columns, levels, spans and page sizes that are not numbers, tables nested a thousand deep.
The parts follow what Word saves (``[Content_Types].xml``, ``_rels/.rels``, ``word/document.xml`` and
its relationships, styles, numbering, header, footnotes), so that only the hostile value differs from
an ordinary file. ``long_plan(n)`` writes a plan of ``n`` paragraphs laid out as a commune's plan is
(header table, title, numbered body, signature table) for ``bench/run.py`` and the linearity test.

Run ``python -m tests.helpers.hostile_docx DIR`` to write them all into DIR.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.docx_read import with_part, zipped

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

A4_SECT = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="851" w:bottom="1134" '
           'w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>')
STYLES = (
    f'<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" '
    'w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:lang w:val="vi-VN"/></w:rPr>'
    '</w:rPrDefault><w:pPrDefault/></w:docDefaults><w:style w:type="paragraph" w:default="1" '
    'w:styleId="Normal"><w:name w:val="Normal"/></w:style>{extra}</w:styles>')


def numbering(fmt: str = "decimal", start: str = "1", ilvl: str = "0", text: str = "%1.") -> str:
    """numbering.xml of one list (numId 1): level ``ilvl`` counts from ``start`` in ``fmt``."""
    return (f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0">'
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'
            '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')


def para(text: str, ppr: str = "") -> str:
    return f'<w:p>{f"<w:pPr>{ppr}</w:pPr>" if ppr else ""}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def numbered(text: str, ilvl: str = "0") -> str:
    return para(text, f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="1"/></w:numPr>')


def table(rows: list[list[str]], tcpr: str = "") -> str:
    """A table whose cells hold the given XML (paragraphs, or a table); ``tcpr`` goes in every cell."""
    cells = "".join("<w:tr>" + "".join(f"<w:tc>{f'<w:tcPr>{tcpr}</w:tcPr>' if tcpr else ''}{c}</w:tc>"
                                       for c in row) + "</w:tr>" for row in rows)
    width = max(len(r) for r in rows)
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(width))
    return f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{cells}</w:tbl>'


def package_document(body: str, sect: str = A4_SECT) -> str:
    return f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}{sect}</w:body></w:document>'


def package(body: str, sect: str = A4_SECT, parts: dict[str, str] | None = None) -> bytes:
    """A .docx of ``body`` (and ``sect``); ``parts``: more parts by kind — "styles", "numbering", "header"
    (referenced by the section as its default header), "footnotes" — each the XML of its root."""
    parts = dict(parts or {})
    parts.setdefault("styles", STYLES.format(extra=""))
    names = {"styles": "styles.xml", "numbering": "numbering.xml", "header": "header1.xml",
             "footnotes": "footnotes.xml"}
    types = {"styles": "styles+xml", "numbering": "numbering+xml", "header": "header+xml",
             "footnotes": "footnotes+xml"}
    overrides = "".join(f'<Override PartName="/word/{names[k]}" ContentType="{MAIN_TYPE}.{types[k]}"/>'
                        for k in parts)
    content_types = (HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     f'<Override PartName="/word/document.xml" ContentType="{MAIN_TYPE}.document.main+xml"/>'
                     f"{overrides}</Types>")
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL}/{kind}" Target="{names[kind]}"/>'
                   for i, kind in enumerate(parts, 1))
    if "header" in parts:
        rid = list(parts).index("header") + 1
        sect = sect.replace("<w:sectPr>", f'<w:sectPr><w:headerReference w:type="default" r:id="rId{rid}"/>', 1)
    document = HEAD + package_document(body, sect)
    members = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": (HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
                        "</Relationships>"),
        "word/_rels/document.xml.rels": (HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                                         f'2006/relationships">{rels}</Relationships>'),
        "word/document.xml": document,
    }
    members |= {f"word/{names[k]}": HEAD + xml for k, xml in parts.items()}
    return zipped(members)


def nested_tables(depth: int) -> str:
    inner = para("đáy")
    for _ in range(depth):
        inner = table([[inner]]) + para("")  # a cell ends with a paragraph, as Word writes it
    return inner


def deep_elements(depth: int) -> str:
    """A paragraph whose run sits inside ``depth`` nested hyperlinks (smart tags, content controls alike)."""
    return "<w:p>" + "<w:hyperlink>" * depth + "<w:r><w:t>sâu</w:t></w:r>" + "</w:hyperlink>" * depth + "</w:p>"


HUGE = "1000000000000"  # 10^12: a list start, a span, a size no Word file holds

CASES: dict[str, bytes] = {}


def _case(name: str, body: str, sect: str = A4_SECT, **parts: str) -> None:
    CASES[name] = package(body, sect, parts)


LIST = "".join(numbered(f"Mục {i}") for i in range(1, 4))
_case("roman-10-12", LIST, numbering=numbering("upperRoman", HUGE, text="%1."))
_case("letter-10-12", LIST, numbering=numbering("lowerLetter", HUGE, text="%1)"))
_case("start-4400-digits", LIST, numbering=numbering("decimal", "9" * 4400))
_case("start-not-a-number", LIST, numbering=numbering("upperRoman", "ba"))
_case("ilvl-not-a-number", numbered("Mục một", "abc") + numbered("Mục hai", "x1"), numbering=numbering())
_case("ilvl-huge", numbered("Mục một", HUGE) + numbered("Mục hai", "-5"), numbering=numbering(ilvl=HUGE))
_case("ilvl-in-style", para("Đoạn theo kiểu", '<w:pStyle w:val="DS"/>'), numbering=numbering(),
      styles=STYLES.format(extra='<w:style w:type="paragraph" w:styleId="DS"><w:name w:val="DS"/><w:pPr><w:numPr>'
                                 '<w:ilvl w:val="một"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'))
_case("gridspan-abc", table([[para("gộp")], [para("x")]], '<w:gridSpan w:val="abc"/>'))
_case("gridspan-10-9", table([[para("gộp")]], '<w:gridSpan w:val="1000000000"/>'))
_case("page-size-abc", para("Trang"), A4_SECT.replace('w:w="11906"', 'w:w="abc"').replace('w:top="1134"',
                                                                                             'w:top="1,5cm"'))
_case("page-size-inf", para("Trang"), A4_SECT.replace('w:h="16838"', 'w:h="inf"').replace('w:left="1701"',
                                                                                          'w:left="1e999"'))
_case("tables-1000-deep", nested_tables(1000))
_case("elements-1000-deep", deep_elements(1000))
_case("elements-100000-deep", deep_elements(100_000))
_case("cell-width-abc", table([[para("ô")]], '<w:tcW w:w="rộng" w:type="dxa"/>'))
_case("shape-size-abc", '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/'
      '2006/wordprocessingDrawing"><wp:extent cx="dài" cy="0"/></wp:inline></w:drawing></w:r></w:p>')
_case("header-span-huge", para("Thân"),
      header=f'<w:hdr xmlns:w="{W}">' + table([[para("đầu")]], f'<w:gridSpan w:val="{HUGE}"/>') + "</w:hdr>")
_case("footnote-nested-paragraphs", para("Thân"),
      footnotes=f'<w:footnotes xmlns:w="{W}"><w:footnote w:id="1">' + "<w:p>" * 200 + "<w:r><w:t>chú</w:t></w:r>"
      + "</w:p>" * 200 + "</w:footnote></w:footnotes>")
_case("comment-in-border", para("Viền", "<w:pBdr><!-- ghi chú --><w:bottom w:val=\"single\"/></w:pBdr>"))
_case("comment-in-drawing", '<w:p><w:r><w:drawing><!-- ghi chú --><wp:inline xmlns:wp="http://schemas.'
      'openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="5400000" cy="0"/></wp:inline>'
      "</w:drawing></w:r></w:p>")
_case("number-5000-digits", table([[para("ỦY BAN NHÂN DÂN") + para("XÃ AN BÌNH") + para("Số: " + "9" * 5000 + "/KH-UBND"),
                                    para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") + para("Độc lập - Tự do - Hạnh phúc")
                                    + para("An Bình, ngày 05 tháng 01 năm 99999")]])
      + para("KẾ HOẠCH", '<w:jc w:val="center"/>') + para("Cải cách hành chính quý X năm 0000", '<w:jc w:val="center"/>'))
_case("control-characters", para("Điều\u0085một\u2028hai\u0080ba") + para("I. NHIỆM VỤ") + para("1. Việc\u0085làm"))
_case("pages-5000-digits", para("Trang"))
_case("level-text-100k", LIST, numbering=numbering("decimal", "1", text="%1" * 50_000))
_case("style-chain-5000", para("Kiểu", '<w:pStyle w:val="S4999"/>'), styles=STYLES.format(extra="".join(
    f'<w:style w:type="paragraph" w:styleId="S{i}"><w:name w:val="S{i}"/><w:basedOn w:val="S{i - 1}"/></w:style>'
    for i in range(5000))))
_case("font-name-100k", '<w:p><w:r><w:rPr><w:rFonts w:ascii="' + "Bold " * 20_000 + '"/></w:rPr>'
      "<w:t>chữ</w:t></w:r></w:p>")
_case("opening-regex-bomb", para("I. MỤC ĐÍCH") + para("Thực hiện Kế hoạch số 1/KH-UBND ngày 1 tháng 1 năm 2025 của "
                                                       + "Ủy ban về việc, " * 3000 + "như sau:")
      + para("II. NHIỆM VỤ") + para("1. Việc " + "- a " * 20_000))


CASES["pages-5000-digits"] = with_part(CASES["pages-5000-digits"], "docProps/app.xml",
                                   b"<Properties><Pages>" + b"9" * 5000 + b"</Pages></Properties>")
CASES["no-body"] = with_part(package(para("x")), "word/document.xml",
                         f'<w:document xmlns:w="{W}"><w:background w:color="FFFFFF"/></w:document>'.encode())
CASES["encoding-unknown"] = with_part(package(para("x")), "word/document.xml",
                                  b'<?xml version="1.0" encoding="klingon"?>' + package_document(para("x")).encode())
UNREADABLE = {"tables-1000-deep", "elements-1000-deep", "elements-100000-deep", "no-body", "encoding-unknown"}


# --------------------------------------------------------------------------- a long plan

_BODY = ("Tiếp tục triển khai toàn diện, đồng bộ, có hiệu quả các nhiệm vụ cải cách hành chính trên địa bàn xã "
         "theo kế hoạch của tỉnh, gắn với chuyển đổi số (đoạn {n}).")
_JUSTIFY = '<w:spacing w:after="120" w:line="276" w:lineRule="auto"/><w:ind w:firstLine="567"/><w:jc w:val="both"/>'


def _header_table() -> str:
    return table([[para("ỦY BAN NHÂN DÂN") + para("XÃ XUÂN BÌNH"),
                   para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") + para("Độc lập - Tự do - Hạnh phúc")],
                  [para("Số: 05/KH-UBND"), para("Xuân Bình, ngày 05 tháng 01 năm 2026")]])


def long_plan(paragraphs: int = 20_000) -> bytes:
    """A plan of about ``paragraphs`` paragraphs: a header table, its title, sections "I." of clauses "1." with
    points "a)" and running text, a signature table; what a year of a commune's work can fill."""
    body = [_header_table(), para("KẾ HOẠCH", '<w:jc w:val="center"/>'),
            para("Cải cách hành chính năm 2026", '<w:jc w:val="center"/>')]
    n = 0
    section = 0
    while n < paragraphs:
        section += 1
        body.append(para(f"{_roman(section)}. NHIỆM VỤ TRỌNG TÂM {section}"))
        for clause in range(1, 11):
            body.append(para(f"{clause}. Nhiệm vụ thứ {clause} của mục {section}"))
            for letter in "abcd":
                body.append(para(f"{letter}) " + _BODY.format(n=n), _JUSTIFY))
                n += 1
            n += 1
        n += 1
    body.append(table([[para("Nơi nhận:") + para("- UBND tỉnh;") + para("- Lưu: VT, VP."),
                        para("KT. CHỦ TỊCH") + para("PHÓ CHỦ TỊCH") + para("") * 3 + para("Lê Văn Minh")]]))
    return package("".join(body))


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, data in CASES.items():
        path = folder / f"{name}.docx"
        path.write_bytes(data)
        out.append(path)
    return out


if __name__ == "__main__":
    for p in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")):
        print(p, p.stat().st_size)


# --------------------------------------------------------------------------- shapes that grow (linearity)

TASK_HEADING = ["TT", "Nội dung công việc", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]


def _letters(k: int) -> str:
    """A distinct word of capitals for each k: "BA", "CA", … (units named by initials, as "Phòng VHXH")."""
    out = ""
    k += 26
    while k:
        k, r = divmod(k, 26)
        out += chr(ord("A") + r)
    return out


def many_sections(n: int) -> bytes:
    """``n`` sections, each with its own margins (all wrong), sharing one header that holds a PAGE field."""
    body = "".join(para(f"Phần {i}", f'<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="{1000 + i}" '
                                   'w:right="851" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" '
                                   'w:gutter="0"/></w:sectPr>') for i in range(n))
    header = (f'<w:hdr xmlns:w="{W}"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:fldSimple w:instr="PAGE">'
              "<w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:hdr>")
    return package(body, parts={"header": header})


def many_appendices(n: int) -> bytes:
    """A plan with ``n`` appendices, each a titled task table of two rows led by a unit of its own."""
    body = [_header_table(), para("KẾ HOẠCH", '<w:jc w:val="center"/>'), para("Cải cách hành chính năm 2026",
                                                                                '<w:jc w:val="center"/>'),
            para("I. NHIỆM VỤ"), para("1. Cải cách thể chế")]
    for k in range(1, n + 1):
        unit = f"Phòng {_letters(k)}"
        body += [para(f"Phụ lục {_roman(k) if k <= 3999 else k}", '<w:jc w:val="center"/>'),
                 para("CẢI CÁCH THỂ CHẾ", '<w:jc w:val="center"/>'),
                 table([[para(h) for h in TASK_HEADING]] + [
                     [para(str(r)), para(f"Rà soát văn bản {k}.{r}"), para("Báo cáo"), para(unit),
                      para("Các phòng chuyên môn"), para("Quý III năm 2026")] for r in (1, 2)])]
    return package("".join(body))


def wide_header_cell(n: int) -> bytes:
    """A header table whose agency cell holds ``n`` lines ("V/v …" and its continuation)."""
    left = para("ỦY BAN NHÂN DÂN") + para("XÃ XUÂN BÌNH") + para("Số: 05/UBND-VP") + para("V/v rà soát") + \
        "".join(para(f"thủ tục hành chính {i}") for i in range(n))
    right = para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") + para("Độc lập - Tự do - Hạnh phúc") + \
        para("Xuân Bình, ngày 05 tháng 01 năm 2026")
    return package(table([[left, right]]) + para("Kính gửi: Sở Nội vụ.") + para("Nội dung."))


def distinct_decimals(n: int) -> bytes:
    """``n`` numbered lines "k.1." each under a parent of its own: as many numbering keys as lines."""
    return package("".join(para(f"{k}.1. Nội dung của mục {k}", _JUSTIFY) for k in range(1, n + 1)))


GROWING = {"long-plan": long_plan, "many-sections": many_sections, "many-appendices": many_appendices,
           "wide-header-cell": wide_header_cell, "distinct-decimals": distinct_decimals}


# --------------------------------------------------------------------------- in a child process


def run_readers(folder: Path) -> dict:
    """Every reader of a .docx on each file of ``CASES`` written in ``folder``, as a clerk runs them (the
    commands, in this process), and the redline against a plain document: what each said and did.
    Run in a child process bounded in time and memory (``tests/test_hostile_readers.py``)."""
    import yaml
    from click.testing import CliRunner

    from pipeline.cli import main
    from pipeline.ooxml.safezip import BadDocx
    from pipeline.vcs.redline import redline
    from pipeline.vcs.textconv import docx_lines

    good = folder / "good.docx"
    good.write_bytes(package(para("Thân văn bản.")))
    out: dict = {}
    for name in CASES:
        path = folder / f"{name}.docx"
        got: dict = {}
        for reader, args in (("textconv", ["textconv", str(path)]), ("check", ["check", str(path)]),
                             ("import", ["import", str(path), "--out", str(folder / f"{name}-import")]),
                             ("diff", ["diff", str(good), str(path), "--redline", str(folder / f"{name}-red.docx")])):
            result = CliRunner().invoke(main, args)
            got[reader] = {"code": result.exit_code, "stdout": result.stdout, "stderr": result.stderr}
        plan = folder / f"{name}-import" / "inputs" / "plan.yaml"
        got["plan"] = yaml.safe_load(plan.read_text(encoding="utf-8")) if plan.exists() else None
        red = folder / f"{name}-red.docx"
        got["red_lines"] = docx_lines(red) if red.exists() else None
        try:
            data, counts = redline(good.read_bytes(), path.read_bytes())
            got["redline"] = {"counts": counts, "lines": docx_lines(data)}
        except BadDocx as exc:
            got["redline"] = {"refused": str(exc)}
        out[name] = got
    return out
