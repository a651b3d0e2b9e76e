"""A document read by ``pipeline.docread`` mapped onto vanban's inputs (commune, plan, appendices,
or a sub-plan with the little it says of its parent plan)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.decree import forms as nd30
from pipeline.importer.blocks import appendix_body, body_items
from pipeline.importer.body import Line
from pipeline.importer.tables import RawTable, read_table
from pipeline.importer.textparse import norm_space
from pipeline.importer.units import Found, Ids, UnitBook, split_names
from pipeline.importer.yamlout import REVIEW, Noted
from pipeline.decree.vietnamese import lower_first, slug, upper

LEGAL_WORDS = ("Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh", "Nghị quyết", "Nghị định", "Quyết định", "Thông tư",
               "Chỉ thị", "Kế hoạch", "Chương trình", "Công văn", "Hướng dẫn", "Văn bản", "Thông báo", "Đề án",
               "Chiến lược", "Kết luận")
PARENT_RE = re.compile(
    r"^Thực hiện (?P<type>Kế hoạch|Chương trình) số (?P<num>\d*) ?/(?P<sym>[^\s]+) ngày (?P<d>\d*) ?tháng "
    r"(?P<m>\d{1,2}) năm (?P<y>\d{4}) của (?P<issuer>.+?) về (?P<about>.+?), (?P<who>.+?) ban hành "
    r"(?i:kế hoạch|chương trình) (?P<own>.+) như sau:$")
ABOUT_RE = re.compile(r"^Thực hiện (?:Kế hoạch|Chương trình) số .*? về (?P<about>.+?), ")  # a report's opening
# both are tried on an opening sentence of this length at most (a real one is a few hundred characters): their
# lazy groups cost a power of the length on a long paragraph made to defeat them
MAX_OPENING = 1_500
APP_TITLE_RE = re.compile(r"^(?P<title>.*?)\s*\((?P<lead>[^()]+?)\s+(?:CHỊU TRÁCH NHIỆM\s+)?CHỦ TRÌ\)\s*$",
                          re.IGNORECASE)
APP_LABEL_RE = re.compile(r"^PH[ỤU] L[ỤU]C(?:\s+SỐ)?\s*[0-9IVXLC]*\s*[:.\-–]?\s*", re.IGNORECASE)


@dataclass
class Summary:
    kind: str = "plan"  # "plan" | "subplan"
    paragraphs: int = 0
    tables: int = 0
    rows: int = 0
    tasks: int = 0
    units: list[Found] = field(default_factory=list)
    deadlines_exact: int = 0
    deadlines_loose: list[str] = field(default_factory=list)
    renumbered: list[tuple[str, str, str]] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # carried, in another form than the original's
    dropped: list[str] = field(default_factory=list)  # not carried (or replaced by a place to fill in)
    body_tables: int = 0  # tables of the body that are not task tables
    body_table_rows: int = 0
    schedules: int = 0  # of those tables (or of appendices' tables): schedules, their dates read as data
    appendix_blocks: int = 0  # blocks of appendices that are not task tables (schedules, outlines …)
    targets: list[str] = field(default_factory=list)


@dataclass
class Result:
    files: dict[str, tuple[dict, str]]  # relative path -> (data, header comment)
    summary: Summary
    doc_kind: str = ""  # what the reader took the file for, when it is not a kind vanban makes


def body_lines(doc, end: int, texts: dict[int, str] | None = None) -> list[Line]:
    """The body's paragraphs with its task tables in reading order (before paragraph ``end``); ``texts``: the
    paragraphs' texts, spaces normalised, by position, when the caller has them already."""
    body = [p for p in doc.body if p.position < end]
    if not body:
        return []
    first, last = body[0].position, body[-1].position
    text = (lambda p: texts[p.position]) if texts is not None else (lambda p: norm_space(p.text))
    out = [(p.position, Line(text(p), p.all("bold"), p.all("italic"), p.number_label)) for p in body]
    for t in doc.tables:
        at = _first_position(t)
        kinh_gui = norm_space(" ".join(p.text for row in t.rows[:1] for c in row[:1] for p in c)).startswith("Kính gửi")
        if at is not None and first < at < last and not kinh_gui:  # a task table, or any other: a table of the body
            out.append((at, Line("", table=t, task=read_table(t) is not None)))
    return [line for _, line in sorted(out, key=lambda x: x[0])]


def _first_position(table) -> int | None:
    """Where a table starts among the document's paragraphs (its first paragraph's position); None if empty."""
    return next((p.position for row in table.rows for cell in row for p in cell), None)


def split_opening(lines: list[Line]) -> tuple[dict, list[Line]]:
    """Bases, intro and 'Kính gửi' before the first section, and the lines after them."""
    out: dict = {}
    i = 0
    to = []
    while i < len(lines) and lines[i].table is None and lines[i].text.startswith("Kính gửi"):
        rest = lines[i].text.split(":", 1)[1].strip() if ":" in lines[i].text else ""
        if rest:
            to.append(rest.rstrip("."))
        i += 1
        while i < len(lines) and re.match(r"^[-–]\s", lines[i].text) and lines[i].table is None:
            to.append(re.sub(r"^[-–]\s*", "", lines[i].text).rstrip(";."))
            i += 1
    if to:
        out["to"] = to
    pre = []
    while i < len(lines) and lines[i].table is None and lines[i].text.startswith("Căn cứ"):
        pre.append(lines[i].text)
        i += 1
    intro_lines = []
    while i < len(lines) and lines[i].table is None and not re.match(r"^[IVXLC]+\.\s", lines[i].text):
        intro_lines.append(lines[i].text)
        i += 1
    if len(pre) == 1 and not intro_lines:
        out |= _inline_bases(pre[0])
    elif pre:
        out["bases_layout"] = "preamble"
        out["bases"] = [re.sub(r"^Căn cứ\s+", "", b).rstrip(";.").strip() for b in pre]
    if intro_lines:
        out["intro"] = " ".join(intro_lines) if len(intro_lines) == 1 else Noted(
            " ".join(intro_lines), f"{REVIEW}: {len(intro_lines)} đoạn mở đầu gộp thành một")
    return out, lines[i:]


def _inline_bases(text: str) -> dict:
    pieces = re.sub(r"^Căn cứ\s+", "", text).split("; ")
    last_legal = max((k for k, p in enumerate(pieces) if p.startswith(LEGAL_WORDS)), default=0)
    bases, intro = pieces[:last_legal + 1], "; ".join(pieces[last_legal + 1:])
    if not intro:
        bases[-1] = bases[-1].rstrip(".")
    out = {"bases_layout": "inline", "bases": bases}
    if intro:
        out["intro"] = intro
    return out


def appendix_parts(doc) -> list[tuple[str, str | None, RawTable | None, tuple[list, list[str]]]]:
    """(title line, reference line, task table, (the rest it holds as body blocks, what the summary says
    of them)) of each appendix, in order."""
    out = []
    apps = list(doc.appendices)
    tables = sorted(((at, k, t) for k, t in enumerate(doc.tables) if (at := _first_position(t)) is not None),
                    key=lambda x: x[:2])
    next_table = 0  # tables and appendices both in reading order: one pass over each
    items = body_items(doc) if apps else []
    for k, app in enumerate(apps):
        start = app.label.position
        end = apps[k + 1].label.position if k + 1 < len(apps) else len(doc.paragraphs)
        label_rest = APP_LABEL_RE.sub("", norm_space(app.label.text))
        title = " ".join([label_rest] * bool(label_rest) + [norm_space(p.text) for p in app.title])
        table, task_table = None, None
        while next_table < len(tables) and tables[next_table][0] <= start:
            next_table += 1
        while table is None and next_table < len(tables) and tables[next_table][0] < end:
            table = read_table(tables[next_table][2])  # the first task table inside the appendix
            task_table = tables[next_table][2] if table is not None else None
            next_table += 1
        ref = norm_space(app.reference.text) if app.reference is not None else None
        skip = {p.position for p in app.title} | _reference_positions(doc, app.reference)
        rest = appendix_body(items, start, end, skip, task_table, f"Phụ lục {k + 1}")
        out.append((title, ref, table, rest))
    return out


def _reference_positions(doc, ref) -> set[int]:
    """The paragraphs of an appendix's "(Kèm theo …)", which may run over a line break typed as a new
    paragraph ("(Kèm theo Kế hoạch số …" / "của UBND tỉnh …)")."""
    if ref is None:
        return set()
    out, text = {ref.position}, norm_space(ref.text)
    following = (p for p in doc.paragraphs if p.position > ref.position and p.top_level)
    while text.count("(") > text.count(")"):
        nxt = next(following, None)
        if nxt is None or len(out) > 3:
            break
        out.add(nxt.position)
        text += " " + norm_space(nxt.text)
    return out


def collect_units(raws: list[RawTable], texts: list[str]) -> list[Found]:
    book = UnitBook()
    for raw in raws:
        for task in raw.tasks:
            book.add(split_names(task.cells.get("lead", [])), lead=True)
            book.add(split_names(task.cells.get("partners", [])))
    return book.build(texts)


def commune_units(found: list[Found]) -> tuple[list[dict], list[dict]]:
    units, groups = [], []
    for u in found:
        if u.group:
            groups.append({"id": u.id, "name": u.name})
            continue
        d: dict = {"id": u.id, "name": u.full or u.name}
        if u.full:
            d["short"] = u.name
        if u.variants:
            d["variants"] = Noted(u.variants, f"{REVIEW}: cách viết khác của cùng đơn vị, gộp làm một")
        units.append(d)
    return units, groups


def app_id(title: str, taken: Ids) -> str:
    words = [w for w in slug(re.sub(r"^(Cải cách|Công tác)\s+", "", title, flags=re.IGNORECASE)).split("-") if w]
    return taken.new("_".join(words[:3]) or "phu_luc")


TARGET_RE = re.compile(r"(?:(đạt|từ|trên|tối thiểu|ít nhất)\s+)?(\d{1,3}(?:[.,]\d+)?)\s*%(\s+trở lên)?")


def target_hints(places: list[tuple[str, str]]) -> list[str]:
    """'98% (>=) — "duy trì tỷ lệ giải quyết hồ sơ đúng hạn đạt trên 98%" — sections[1]…'."""
    out = []
    for where, text in places:
        if "%" not in text:  # most paragraphs: not searched
            continue
        for mt in TARGET_RE.finditer(text):
            op = ">=" if mt.group(3) or mt.group(1) in ("tối thiểu", "ít nhất") else (">" if mt.group(1) == "trên"
                                                                                      else "=")
            before = " ".join(text[:mt.start()].split()[-7:])
            out.append(f"{mt.group(2)}% ({op}) — “…{before} {mt.group(0).strip()}” — {where}")
    return out


def walk_texts(data, path: str = "", wanted: str = ""):
    """(path, text) of every string in ``data`` ("sections[1].items[0]"); with ``wanted``, only of the strings
    that hold it (their paths alone are made). Iterative: any depth, no generator per value."""
    stack: list[tuple[tuple, object]] = [((path,) if path else (), data)]
    while stack:
        at, item = stack.pop()
        if isinstance(item, Noted):
            stack.append((at, item.value))
        elif isinstance(item, dict):
            stack.extend(((*at, f".{k}"), v) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend(((*at, f"[{i}]"), v) for i, v in reversed(list(enumerate(item))))
        elif isinstance(item, str) and wanted in item:
            yield "".join(at).lstrip("."), item


def upper_eq(a: str, b: str) -> bool:
    return norm_space(upper(a)) == norm_space(upper(b))


def parent_citation(intro: str) -> re.Match | None:
    return PARENT_RE.match(norm_space(intro)) if intro and len(intro) <= MAX_OPENING else None


def report_about(intro: str) -> re.Match | None:
    """What a report's opening sentence reports on ("Thực hiện Kế hoạch số … về <about>, …")."""
    return ABOUT_RE.match(norm_space(intro)) if intro and len(intro) <= MAX_OPENING else None


def subplan_intro(mt: re.Match, kind: str, own_summary: str) -> str:
    """The sentence vanban writes for a sub-plan, from the parts of the one read."""
    num = int(mt["num"]) if mt["num"] else None
    d = int(mt["d"]) if mt["d"] else None
    sym = mt["sym"]
    parent_kind = sym.split("-")[0]
    cit = nd30.citation(parent_kind, num, sym, int(mt["y"]), int(mt["m"]), d, mt["issuer"])
    return (f"Thực hiện {cit} về {mt['about']}, {mt['who']} ban hành {nd30.type_name(kind)} "
            f"{lower_first(own_summary)} như sau:")
