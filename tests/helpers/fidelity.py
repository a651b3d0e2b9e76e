"""How much of a Word document's text a rebuilt document keeps, line by line.

Both documents are read as git reads them (``vcs.textconv``: one line per paragraph, one per table
row with its cells between bars). The content lines are what a reader sees as text, spaces
normalised: not section banners, page headers or footers, drawn shapes, page breaks or empty
paragraphs. A paragraph is one line; a table row is one line per non-empty cell (a merged cell is
printed once), so a task table whose columns vanban orders by its own rule still matches cell for
cell. Two kinds of line splits are excused, because vanban lays them out by the decree rather than
as typed: the header block's and the signature's tables (agency, national name, number and date;
recipients and signer) are left out, and a title or an appendix reference typed over several
paragraphs ("KẾ HOẠCH" / "Kiểm tra …" / "trên địa bàn …"; "(Kèm theo …" / "của UBND tỉnh …)") is
read as one line.

The measure: the paragraphs the rebuilt documents have in the same order (difflib's matching
blocks), plus the table cells they have anywhere in a table, over the source's lines and cells.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from pathlib import Path

from pipeline.vcs.textconv import docx_lines

SKIP = re.compile(r"^(===|\[Đầu trang|\[Chân trang|--- ngắt trang ---$)")
LAYOUT_TABLE = re.compile(r"^\| (?:ỦY BAN|UBND|Số:|CỘNG HÒA|Nơi nhận:|[^|]*\| (?:CỘNG HÒA|TM\.|KT\.|Q\.))")
SHAPE = re.compile(r"\[hình\]|─+")
TYPE_NAMES = ("KẾ HOẠCH", "BÁO CÁO", "CHƯƠNG TRÌNH", "PHỤ LỤC")
APPENDIX_LABEL = re.compile(r"^Ph[ụu] l[ụu]c\b", re.IGNORECASE)


def _lines(path: Path) -> list[str]:
    """textconv's lines, spaces normalised; the rows of the header block's and signature's tables left out."""
    out: list[str] = []
    in_layout = False
    for raw in docx_lines(path):
        line = " ".join(raw.split())
        if line.startswith("|"):
            if not (out and out[-1].startswith("|")) and not in_layout:
                in_layout = bool(LAYOUT_TABLE.match(line))
            if in_layout:
                continue
        else:
            in_layout = False
        out.append(line)
    return out


def _cell(text: str) -> str:
    """A cell's words: its paragraphs (" / "), list marks and separators ("- ", ";", ",") and case aside,
    as a task table's cells read once vanban lists their units and products one a line."""
    return " ".join(re.sub(r"(?:^|\s)[-–+•](?=\s)|[;,./]", " ", text).lower().split())


def content(path: Path) -> tuple[list[str], list[str]]:
    """(paragraph lines, table cells) of a document, as the measure compares them."""
    paras: list[str] = []
    cells: list[str] = []
    joining = False  # inside a title typed over several paragraphs
    for line in _lines(path):
        is_rule = bool(SHAPE.fullmatch(line.replace(" ", ""))) if line else False
        text = " ".join(SHAPE.sub(" ", line).split())
        if not text or SKIP.match(text):
            joining = joining and not is_rule and bool(text)
            continue
        if text.startswith("|"):
            cells += [c for c in (_cell(x) for x in text.strip("|").split("|")) if c and c not in "<^"]
            joining = False
            continue
        if joining and not text.startswith("(Kèm theo") and not text.startswith("(Ban hành kèm"):
            paras[-1] += " " + text
            joining = not SHAPE.search(line)  # a rule drawn in the title's last line ends it
            continue
        if paras and paras[-1].startswith("(") and paras[-1].count("(") > paras[-1].count(")"):
            paras[-1] += " " + text  # a reference typed over two paragraphs
            continue
        paras.append(text)
        joining = text.upper() in TYPE_NAMES or bool(APPENDIX_LABEL.match(text)) and len(text) < 20
        if joining and text.upper() in TYPE_NAMES:
            paras[-1] = text.upper()
            paras.append("")  # the title's own line, joined from what follows
    return [p for p in paras if p], cells


def compare(source: Path, rebuilt: list[Path]) -> tuple[float, list[str]]:
    """The share of ``source``'s content lines that the ``rebuilt`` documents (a plan, then its
    appendices, read one after the other) keep, and the lines they lack (cells marked '| ')."""
    src_p, src_c = content(source)
    out_p: list[str] = []
    out_c: Counter = Counter()
    for p in rebuilt:
        paras, cells = content(p)
        out_p += paras
        out_c.update(cells)
    matcher = difflib.SequenceMatcher(None, src_p, out_p, autojunk=False)
    kept = {i for b in matcher.get_matching_blocks() for i in range(b.a, b.a + b.size)}
    missing = [p for i, p in enumerate(src_p) if i not in kept]
    left = Counter(out_c)
    for c in src_c:
        if left[c] > 0:
            left[c] -= 1
        else:
            missing.append("| " + c)
    total = len(src_p) + len(src_c)
    return ((total - len(missing)) / total if total else 1.0), missing
