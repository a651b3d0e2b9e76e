"""The document layer: where the decree's elements are in the paragraphs and tables read by ``parts``.

Finds the header block (a one- or two-row table, or plain paragraphs), the
type name and summary, the numbered structure of the body, the signature
block, "Nơi nhận" and the appendices — as they are typed in real files. What
it cannot place is left as None (and said in ``Document.notes``); it never
guesses formatting, which stays in each ``Para``.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.decree import rules
from pipeline.docread import limits
from pipeline.docread.measure import text_width_twips
from pipeline.docread.document import DateLine, HeaderBlock, Number, Para, Rule, Title
from pipeline.docread.shapes import LineShape, is_underscore_rule
from pipeline.docread.xmlparts import W, val

NUMBER_RE = re.compile(r"^Số\s*(?P<colon>:?)\s*(?P<num>[\d\s.…]*?)\s*/\s*(?:(?P<year>\d{4})\s*/\s*)?(?P<sym>\S.*?)\s*$")
SYMBOL_RE = re.compile(r"^[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9.]*)*$")
DATE_RE = re.compile(r"^(?P<place>[^,]+),\s*ngày(?P<d>[\d\s.…]*)tháng(?P<m>[\d\s.…]*)năm\s*(?P<y>[\d.…\s]*)$")
ABOUT_RE = re.compile(r"^V/v\b")
MAX_DATE_LINE = 300  # a place and date line is under a hundred characters; DATE_RE costs the square of a long one


def norm(text: str) -> str:
    """NFC, single spaces, no line breaks: how two texts are compared."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def same_column(paras: list[Para], p: Para) -> list[Para]:
    """The paragraphs in ``p``'s table column (every row), or in its container when not in a table."""
    if p.place.table is None:
        return [q for q in paras if q.place.table is None]
    return [q for q in paras if q.place.table == p.place.table and q.place.cell == p.place.cell]


def rule_near(paras: list[Para], p: Para, scope: str, box: int) -> Rule | None:
    """A rule drawn under ``p``: its bottom border or the top/bottom border of an empty paragraph right
    after it; a paragraph of underscores right after it; or a line shape anchored in ``p``, in the next
    two paragraphs, or (``scope == 'column'``) anywhere in its table column after the text above it."""
    i = p.position
    nxt = [q for q in paras[i + 1:i + 3] if _same_box(p, q)]
    if "bottom" in p.borders:
        return Rule(LineShape("border", None), p, border_length(p, box))
    for q in nxt:
        if ("top" in q.borders or ("bottom" in q.borders and not q.stripped)) and not q.stripped:
            return Rule(LineShape("border", None), q, border_length(q, box))
        if q.stripped and not is_underscore_rule(q.el):
            break
    for q in nxt[:1]:
        if is_underscore_rule(q.el):
            size = q.runs[0].size if q.runs else 13
            return Rule(LineShape("underscores", None), q, text_width_twips(q.stripped, size))
    near = [p] + nxt if scope != "column" else [q for q in same_column(paras, p) if q is p or q.position > i]
    for q in near:
        for s in q.shapes:
            return Rule(s, q, s.length)
    return None


def _same_box(p: Para, q: Para) -> bool:
    return (p.place.table, p.place.row, p.place.cell) == (q.place.table, q.place.row, q.place.cell)


def border_length(p: Para, box: int) -> int | None:
    """A paragraph border spans its box (cell or text column) less the paragraph's indents."""
    if not box:
        return None
    return box - max(p.indent_left, 0) - max(p.indent_right, 0)


def cell_width(p: Para) -> int:
    """The text width of ``p``'s table cell (twips): its tcW less the cell margins; 0 when not given."""
    tc = p.el.getparent()
    while tc is not None and tc.tag != W + "tc":
        tc = tc.getparent()
    if tc is None:
        return 0
    tcw = tc.find(f"{W}tcPr/{W}tcW")
    if tcw is None or val(tcw, "type", "dxa") != "dxa":
        return 0
    tbl = tc.getparent().getparent()
    mar = tbl.find(f"{W}tblPr/{W}tblCellMar")
    margin = 0
    for side, alt in (("left", "start"), ("right", "end")):
        m = None if mar is None else (mar.find(W + side) if mar.find(W + side) is not None else mar.find(W + alt))
        margin += limits.twips(val(m, "w", "108"), 108) if m is not None else 108
    return limits.twips(val(tcw, "w"), 0) - margin


def parse_number(p: Para) -> Number | None:
    line = next((x for x in p.lines if x.startswith("Số")), None)
    if line is None:
        return None
    m = NUMBER_RE.match(norm(line))
    if not m:
        return Number(p, norm(line), "", None, "", False)
    num = re.sub(r"[\s.…]", "", m.group("num"))
    sym = m.group("sym")
    ok = bool(m.group("colon")) and bool(SYMBOL_RE.match(sym)) and (num.isdigit() or num == "") \
        and " " not in m.group(0).split("/", 1)[1].strip()
    return Number(p, norm(line), num, m.group("year"), sym, ok)


def parse_date(p: Para) -> DateLine | None:
    line = next((x for x in p.lines if ", ngày" in norm(x) or re.search(r",\s*ngày", x)), None)
    if line is None:
        return None
    m = DATE_RE.match(line.strip()) if len(line) <= MAX_DATE_LINE else None  # longer: no date line
    if not m:
        return DateLine(p, norm(line), "", "", "", "", False)
    d, mo, y = (re.sub(r"[\s.…]", "", m.group(k)) for k in ("d", "m", "y"))
    return DateLine(p, norm(line), m.group("place").strip(), d, mo, y, True)


def header_block(paras: list[Para]) -> HeaderBlock | None:
    """The header block: the national name among the first paragraphs, and what sits around it."""
    national = next((p for p in paras[:40] if p.lines and norm(p.lines[0]).upper().replace("HOÀ", "HÒA")
                     == rules.NATIONAL_NAME), None)
    if national is None:
        return None
    column = same_column(paras, national)
    motto, motto_text = _motto(column, national)
    top = paras[:national.position + 12]
    left = [p for p in top if p.place.table is not None and p.place.table == national.place.table
            and p.place.cell != national.place.cell] if national.place.table else \
        [p for p in paras[:national.position]]
    number_p = next((p for p in top if any(x.startswith("Số") and "/" in x for x in p.lines)), None)
    date_p = next((p for p in top if any(re.search(r",\s*ngày", x) for x in p.lines)), None)
    names = [p for p in left if p.stripped and p is not number_p and not ABOUT_RE.match(p.stripped)
             and (number_p is None or p.position < number_p.position or p.place.row == 1)
             and p.stripped == p.stripped.upper() and not p.stripped.startswith("Số")]
    parent = [p for p in names if p.none("bold")]
    agency = [p for p in names if not p.none("bold")]
    parent = [p for p in parent if not agency or p.position < agency[0].position]
    box_l = cell_width(agency[-1]) if agency else 0
    return HeaderBlock(
        parent=parent, agency=agency,
        agency_rule=rule_near(paras, agency[-1], "column", box_l) if agency else None,
        national=national, motto=motto, motto_text=motto_text,
        motto_rule=rule_near(paras, motto, "column", cell_width(motto)) if motto is not None else None,
        number=parse_number(number_p) if number_p is not None else None,
        date=parse_date(date_p) if date_p is not None else None,
        about=[p for p in left if ABOUT_RE.match(p.stripped)] + _about_tail(left),
    )


def _about_tail(left: list[Para]) -> list[Para]:
    """The lines after "V/v …" in the same cell continue the subject of a công văn."""
    out, on_ = [], False
    for p in left:
        if ABOUT_RE.match(p.stripped):
            on_ = True
        elif on_ and p.stripped:
            out.append(p)
    return out


def _motto(column: list[Para], national: Para):
    if len(national.lines) > 1:
        return national, norm(national.lines[1])
    after = column[column.index(national) + 1:]
    motto = next((p for p in after[:3] if p.stripped), None)
    return motto, norm(motto.lines[0]) if motto is not None else ""


def title_block(paras: list[Para], header: HeaderBlock | None, text_width: int) -> Title | None:
    """The type name (a centred line naming a document type), the summary under it and its rule."""
    start = 0
    if header is not None:
        marks = [header.national, header.motto] + [x.para for x in (header.number, header.date) if x is not None]
        start = max(p.position for p in marks if p is not None) + 1
    names = sorted((t.upper for t in rules.DOC_TYPES), key=len, reverse=True)
    for i, p in enumerate(paras[start:start + 12], start):
        t = norm(p.stripped).upper()
        head = next((n for n in names if t == n or t.startswith(n + " ")), None)
        if head is None or (p.align != "center" and t != head) or p.place.table is not None or t.endswith(":"):
            continue
        summary = [p] if t != head else []  # the type name and the summary typed on one line
        for q in paras[i + 1:i + 6]:
            if not q.stripped or q.align != "center" or is_underscore_rule(q.el) or q.place.table is not None:
                break
            summary.append(q)
            if q.shapes or q.borders:
                break
        last = summary[-1] if summary else p
        rule = rule_near(paras, last, "near", text_width)
        j = last.position + 1
        issuer = next((q for q in paras[j:j + 4] if q.stripped and q.align == "center" and not q.in_table
                       and q.stripped == q.stripped.upper() and not is_underscore_rule(q.el)
                       and norm(q.stripped).rstrip(":") not in names), None)
        return Title(p, head, summary, rule, issuer)
    return None
