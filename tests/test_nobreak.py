"""Issue 29: a document symbol and a unit's short name never break at a line end.

A symbol ("/KH-UBND", "3740/QĐ-UBND", "30/2020/NĐ-CP": Nghị định 30/2020 §II.2, the type's
abbreviation, a hyphen, the agency's) is one word to a reader: Word breaks a line after a plain
hyphen, so vanban writes Word's non-breaking hyphen (``w:noBreakHyphen``) there, and the blank a
registry fills in by hand ("Kế hoạch số      /KH-UBND") is held to its "số" and its symbol with
no-break spaces. A unit's short name in a task table ("Phòng VHXH", "Công an xã") stays on one line:
its spaces are no-break ones and the column is at least as wide as the name. Read back from the
built .docx, and from the pages LibreOffice lays out.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.decree.metrics import text_width_twips
from pipeline.decree import wml
from pipeline.decree.wml import Column, fit_widths
from pipeline.docread.xmlparts import text_of
from pipeline.ooxml.xmlns import W
from tests.conftest import OUTPUTS, soffice_or_skip
from tests.docx_read import p_text

NBSP = "\u00a0"
# a symbol's hyphen as the decree writes it: after "/", the type's capitals, "-", the agency ("CP", "TTg")
SYMBOL = re.compile(r"/[A-ZĐ]+-[A-ZĐ][A-Za-zĐ]*")
# the line under each appendix title, as the plan cites itself before it is registered (§II.2: the
# number and the day are left blank for the registry: "số" + a space + five, "ngày" + four + a space)
APPENDIX_REF = ("(Kèm theo Kế hoạch số      /KH-UBND ngày      tháng 7 năm 2025 "
                "của Ủy ban nhân dân xã Xuân Bình)")
SUBPLANS = sorted(p.relative_to(OUTPUTS).as_posix() for p in (OUTPUTS / "ke-hoach-con").glob("*.docx"))
SHORT_NAMES = ("Phòng VHXH", "Phòng Kinh tế", "Công an xã")  # inputs/commune.yaml: short, under 3.5 cm
PDF_DOCS = ["ke-hoach-cchc.docx", "phu-luc/phu-luc-I-the-che.docx", *SUBPLANS]
CELL_MARGIN = 100  # twips: 1.75 mm off each cell border (the task tables' w:tblCellMar left and right)
PORTRAIT, LANDSCAPE = 9354, 14286  # twips between the margins of an A4 page (30-35 mm left, 15-20 mm right)


def body(rel: str):
    with zipfile.ZipFile(OUTPUTS / rel) as z:
        return etree.fromstring(z.read("word/document.xml"))


def all_outputs() -> list[str]:
    return sorted(p.relative_to(OUTPUTS).as_posix() for p in OUTPUTS.rglob("*.docx"))


# ---------------------------------------------------------------- the .docx


def test_every_symbol_hyphen_is_a_no_break_hyphen():
    seen = 0
    for rel in all_outputs():
        for p in body(rel).iter(W + "p"):
            plain = "".join(t.text or "" for t in p.iter(W + "t"))  # the text elements alone
            shown = text_of(p)  # as vanban's reader (check, import, fix, textconv) reads it
            assert not SYMBOL.search(plain), f"{rel}: a symbol with a plain hyphen: {plain!r}"
            assert shown == p_text(p) or W + "tab" in {e.tag for e in p.iter()} or "\n" in shown, rel
            found = SYMBOL.findall(shown)
            hyphens = len(list(p.iter(W + "noBreakHyphen")))
            assert hyphens >= len(found), f"{rel}: {shown!r}"
            seen += len(found)
    # every document has at least its own number line "Số:      /XX-UBND"
    assert seen >= len(all_outputs()), seen


def test_the_symbol_reads_back_whole_and_the_blank_is_held_to_it():
    plan = body("ke-hoach-cchc.docx")
    refs = [p for p in plan.iter(W + "p") if text_of(p).startswith("(Kèm theo")]
    assert len(refs) == 6, "one under each appendix title"
    for p in refs:
        shown = text_of(p)
        assert shown.replace(NBSP, " ") == APPENDIX_REF
        # "số", its blank and "/KH-UBND" one unbreakable piece: no plain space among them
        assert f"số{NBSP * 6}/KH-UBND ngày" in shown, repr(shown)
        hyphen = next(p.iter(W + "noBreakHyphen"))
        run = hyphen.getparent()
        assert run.tag == W + "r", "a run child, as Word writes it"
        before, after = hyphen.getprevious(), hyphen.getnext()
        assert before.tag == after.tag == W + "t" and before.text.endswith("/KH") and after.text.startswith("UBND")
    for rel in SUBPLANS:
        intro = next(text_of(p) for p in body(rel).iter(W + "p") if text_of(p).startswith("Thực hiện Kế hoạch số"))
        assert intro.startswith(f"Thực hiện Kế hoạch số{NBSP * 6}/KH-UBND ngày"), (rel, intro)


def cell_widths(table) -> list[tuple[int, list[str]]]:
    out = []
    for tc in table.iter(W + "tc"):
        width = int(tc.find(f"{W}tcPr/{W}tcW").get(W + "w"))
        out.append((width, [text_of(p) for p in tc.findall(W + "p")]))
    return out


def test_short_unit_names_are_held_whole_in_columns_wide_enough():
    held = 0
    for rel in all_outputs():
        for table in body(rel).iter(W + "tbl"):
            grid = [int(g.get(W + "w")) for g in table.iter(W + "gridCol")]
            header = [text_of(p) for p in table.find(W + "tr").iter(W + "p")]
            if "Cơ quan chủ trì" not in header:
                continue
            assert sum(grid) in (PORTRAIT, LANDSCAPE), f"{rel}: the grid fills its page between the margins"
            lead = header.index("Cơ quan chủ trì")
            for tr in table.findall(W + "tr")[1:]:
                cells = tr.findall(W + "tc")
                if len(cells) != len(grid):
                    continue  # a group's heading across the row
                for tc in cells[lead:lead + 2]:  # the lead and partner units
                    room = int(tc.find(f"{W}tcPr/{W}tcW").get(W + "w")) - 2 * CELL_MARGIN
                    for p in tc.findall(W + "p"):
                        text = text_of(p)
                        if text.rstrip(";") in SHORT_NAMES:  # plain spaces: only when it cannot fit whole
                            assert text_width_twips(text, 12, False) > room, f"{rel}: {text!r} may break"
                for width, paras in cell_widths(tr):
                    for text in paras:
                        if NBSP in text and not re.search(r"\d", text):
                            held += 1
                            need = text_width_twips(text, 12, False) + 2 * CELL_MARGIN
                            assert need <= width, f"{rel}: {text!r} needs {need} twips, its cell has {width}"
    assert held > 50, held


def test_a_held_name_is_one_word_when_the_columns_are_fitted():
    columns = [Column("TT", 12, "center"), Column("Nhiệm vụ cụ thể", 90, "left", 0.35),
               Column("Sản phẩm", 44, "left"), Column("Cơ quan chủ trì", 38, "center"),
               Column("Cơ quan phối hợp", 38, "center"), Column("Thời gian hoàn thành", 34, "left")]
    task = "Rà soát, cập nhật, công khai thủ tục hành chính trên Cổng dịch vụ công quốc gia " * 3
    partners = ["Văn phòng HĐND và UBND;", "Trung tâm Phục vụ hành chính công;", "Các đơn vị có liên quan"]
    name = "Trung tâm PV HCC"
    held_row = [["1"], [task], ["Báo cáo"], [name.replace(" ", NBSP)], partners, ["Thường xuyên"]]
    plain_row = [["1"], [task], ["Báo cáo"], [name], partners, ["Thường xuyên"]]
    held, plain = fit_widths(columns, [held_row], PORTRAIT, 12, 12), fit_widths(columns, [plain_row], PORTRAIT, 12, 12)
    assert sum(held) == sum(plain) == PORTRAIT
    assert held[3] >= text_width_twips(name, 12, False) + 2 * CELL_MARGIN, held
    assert plain[3] < text_width_twips(name, 12, False) + 2 * CELL_MARGIN, "the plain name may break: no need to widen"


def test_a_held_name_too_wide_for_its_cell_is_let_go():
    """Held whole in a cell too narrow for it, a name would break inside a word: it breaks between words."""
    columns = [Column("TT", 12, "center"), Column("Cơ quan chủ trì", 38, "center")]
    row = [["1"], [f"Phòng{NBSP}Kinh{NBSP}tế;"]]
    wide = text_width_twips("Phòng Kinh tế;", 12, False) + 2 * CELL_MARGIN
    assert f"Phòng{NBSP}Kinh{NBSP}tế;" in str(wml.table(columns, [row], 3000, 12, widths=[3000 - wide, wide]))
    narrow = str(wml.table(columns, [row], 3000, 12, widths=[3000 - wide + 20, wide - 20]))
    assert "Phòng Kinh tế;" in narrow and NBSP not in narrow


# ---------------------------------------------------------------- the printed page


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    soffice_or_skip()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = tmp_path_factory.mktemp("pdf")
    run = subprocess.run([sys.executable, "-m", "pipeline", "pdf", "--out", str(OUTPUTS), "--pdf-dir", str(out),
                          *(str(OUTPUTS / rel) for rel in PDF_DOCS)],
                         capture_output=True, text=True, env={**os.environ, "COLUMNS": "400"})
    assert run.returncode == 0, run.stdout + run.stderr
    return {rel: out / Path(rel).with_suffix(".pdf") for rel in PDF_DOCS}


def blocks(pdf: Path) -> list[list[str]]:
    """The text blocks LibreOffice laid out (a paragraph, a table cell), each its lines' texts; the
    pieces pdftotext cuts a line into at a wide gap (a blank of no-break spaces) joined again."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    out = []
    for block in ET.fromstring(xml).iterfind(".//h:block", ns):
        rows: dict[int, list[tuple[float, str]]] = {}
        for word in block.iterfind(".//h:word", ns):
            rows.setdefault(round(float(word.get("yMin"))), []).append((float(word.get("xMin")), word.text or ""))
        out.append([" ".join(w for _, w in sorted(words)) for _, words in sorted(rows.items())])
    return out


@pytest.mark.parametrize("rel", PDF_DOCS)
def test_no_line_ends_inside_a_symbol(pdfs, rel):
    symbols = 0
    for lines in blocks(pdfs[rel]):
        for line, following in zip(lines, lines[1:] + [""]):
            assert not re.search(r"/[A-ZĐ]*-?$", line), f"{rel}: a line ends inside a symbol: {line!r} / {following!r}"
            assert not (re.search(r"\bsố$", line) and following.startswith("/")), f"{rel}: {line!r} / {following!r}"
            assert not re.match(r"[A-ZĐ]+\b", following) or not line.endswith("-"), f"{rel}: {line!r} / {following!r}"
            symbols += len(re.findall(r"/KH-UBND", line))
            assert line.count("/KH") == line.count("/KH-UBND"), f"{rel}: {line!r}"
    assert symbols >= 1, f"{rel}: its number line at least"
    if rel.startswith("ke-hoach-con/"):
        text = [" ".join(lines) for lines in blocks(pdfs[rel])]
        assert any(re.search(r"Thực hiện Kế hoạch số /KH-UBND ngày", t) for t in text), rel


@pytest.mark.parametrize("rel", SUBPLANS)
def test_unit_names_in_a_portrait_table_stay_on_one_line(pdfs, rel):
    """The sub-plans' task tables are portrait: six columns in 16.5 cm, where "Phòng VHXH" once broke.
    A name held whole in the .docx is whole on the page (one let go, too wide for its column when the
    task column keeps its 35 %, breaks between its words: Word and LibreOffice do that by themselves)."""
    in_docx = {n: 0 for n in SHORT_NAMES}
    released = set()
    for p in body(rel).iter(W + "p"):
        text = text_of(p).rstrip(";")
        if text.replace(NBSP, " ") in SHORT_NAMES:
            if NBSP in text:
                in_docx[text.replace(NBSP, " ")] += 1
            else:
                released.add(text)
    assert sum(in_docx.values()), rel
    found = blocks(pdfs[rel])
    for lines in found:
        for line, following in zip(lines, lines[1:]):
            for name in set(SHORT_NAMES) - released:
                words = name.split()
                for cut in range(1, len(words)):
                    head, tail = " ".join(words[:cut]), " ".join(words[cut:])
                    assert not (line.endswith(head) and following.startswith(tail)), \
                        f"{rel}: {name!r} broken: {line!r} / {following!r}"
    text = "\n".join(line for lines in found for line in lines)
    for name, count in in_docx.items():
        assert text.count(name) >= count, f"{rel}: {name!r} laid out whole {text.count(name)} times of {count}"
