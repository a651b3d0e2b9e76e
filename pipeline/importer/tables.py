"""Task tables (an appendix's, or a sub-plan's own) read into tasks, under any of the usual headings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.decree.labels import PLACEHOLDER
from pipeline.inputs import deadlines
from pipeline.inputs import model as m
from pipeline.importer.columns import heading_map, is_column_numbers
from pipeline.importer.textparse import norm_space, parse_deadline
from pipeline.importer.units import Found, index_units, key, split_names
from pipeline.importer.yamlout import REVIEW, Noted


@dataclass
class RawTask:
    cells: dict[str, list[str]]  # field -> lines of its cell
    extra: list[str] = field(default_factory=list)  # its cells in the columns with no field (``extra_titles``)
    group: str | None = None  # the title of the group heading row just above it ("Cải cách thể chế")


GROUP_NUMBER_RE = re.compile(r"^(?:[IVXLC]+|[A-Đ])\.?$")  # "I", "II.", "A": a group's number, not a task's


def group_heading(cells: dict[str, list[str]]) -> str | None:
    """The title of a group when the row is a group's heading ('I | Cải cách thể chế'): a Roman numeral (or
    capital letter) for number and nothing but the title in the other columns (a merged row repeats it)."""
    number, content = " ".join(cells.get("number", [])), " ".join(cells.get("content", []))
    if not content or not GROUP_NUMBER_RE.match(number):
        return None
    others = [" ".join(lines) for f, lines in cells.items() if f not in ("number", "content")]
    return content if all(o in ("", content) for o in others) else None


@dataclass
class RawTable:
    tasks: list[RawTask]
    headings: dict[str, int]
    rows: int  # data rows read (blank rows not counted)
    kept: list[str] = field(default_factory=list)
    extra_titles: list[str] = field(default_factory=list)  # headings of the columns vanban has no field for


def cell_lines(cell) -> list[str]:
    """The text lines of one cell of a docread table (a list of paragraphs)."""
    out = []
    for p in cell:
        out += [norm_space(x) for x in p.text.split("\n") if norm_space(x)]
    return out


def read_table(table) -> RawTable | None:
    """A docread ``Table`` as raw tasks, or None when no row reads as task-table headings."""
    rows = [[cell_lines(c) for c in row] for row in table.rows]
    head_at, heads = None, None
    for i, row in enumerate(rows[:3]):
        heads = heading_map([" ".join(c) for c in row])
        if heads:
            head_at = i
            break
    if heads is None or head_at is None:  # both are set together
        return None
    head_texts = [" ".join(c) for c in rows[head_at]]
    others = [i for i, t in enumerate(head_texts) if i not in heads.values() and t]
    out = RawTable([], heads, 0, extra_titles=[head_texts[i] for i in others])
    pending_group: str | None = None
    for row in rows[head_at + 1:]:
        texts = [" ".join(c) for c in row]
        if not any(texts) or is_column_numbers(texts) or heading_map(texts):
            continue
        cells = {f: (row[i] if i < len(row) else []) for f, i in heads.items()}
        extra = ["\n".join(row[i]) if i < len(row) else "" for i in others]  # the columns vanban has no field for
        out.rows += 1
        heading = group_heading(cells)
        if heading:  # the first task below it opens the group (``Task.group``)
            pending_group = heading
            continue
        if not cells.get("content"):
            if out.tasks:  # a row continuing the one above (a merged content cell)
                prev = out.tasks[-1]
                for f, lines in cells.items():
                    if f != "number":
                        prev.cells.setdefault(f, []).extend(lines)
                prev.extra = ["\n".join(x for x in pair if x) for pair in zip(prev.extra, extra)]
                out.kept.append(f"hàng {out.rows} không có nội dung: gộp vào nhiệm vụ trên")
            continue
        out.tasks.append(RawTask(cells, extra, pending_group))
        pending_group = None
    return out


def products_of(lines: list[str]) -> list[str]:
    items = [re.sub(r"^[-–+•]\s*", "", l) for l in lines]
    if len(items) == 1 and ";" in items[0]:
        items = [x.strip() for x in items[0].split(";")]
    items = [x.rstrip(";,").strip() for x in items if x.strip().rstrip(";,.")]
    return [x[:1].upper() + x[1:] for x in items]


def printed_deadline(parts: list[dict], period: m.Period) -> list[str] | None:
    try:
        models = [m.DeadlinePart.model_validate(p) for p in parts]
    except Exception:  # pydantic's ValidationError: the parts are not a deadline vanban can print
        return None
    return deadlines.lines(models, period)


STATUS = {"hoàn thành đúng hạn": "done_on_time", "hoàn thành trễ hạn": "done_late", "hoàn thành": "done_on_time",
          "đang thực hiện": "in_progress", "chưa thực hiện": "not_started", "chưa triển khai": "not_started"}


@dataclass
class TaskMaker:
    """Turns raw tasks into the YAML of ``Task``, with unit ids, and counts what it mapped."""

    units: list[Found]
    period: m.Period
    deadlines_exact: int = 0
    deadlines_loose: list[str] = field(default_factory=list)
    progress: dict[str, dict] = field(default_factory=dict)  # task id -> status and result (a report's annex)

    def __post_init__(self) -> None:
        self.index = index_units(self.units)

    def lookup(self, name: str) -> Found | None:
        return self.index.get(key(name))

    def ids(self, lines: list[str]) -> list[str]:
        out = []
        for name in split_names(lines):
            u = self.lookup(name)
            if u is not None and u.id not in out:
                out.append(u.id)
        return out

    def task(self, raw: RawTask, tid: str, default_lead: str | None, extra_columns: bool = True) -> dict:
        """``extra_columns``: the task's cells of the columns vanban has no field for are kept (``extra``);
        else they are a note to review."""
        c = raw.cells
        content = " ".join(c.get("content", []))
        products = products_of(c.get("products", [])) or [f"{PLACEHOLDER} sản phẩm"]
        task: dict = {"id": tid}
        if raw.group:
            task["group"] = raw.group  # opens a group: before the content, as a clerk reads the task
        task |= {"content": content, "products": products}
        lead = self.ids(c.get("lead", []))
        if lead and lead != [default_lead]:
            task["lead"] = lead if len(lead) > 1 else lead[0]
        partners = self.ids(c.get("partners", []))
        if partners:
            task["partners"] = partners if len(partners) > 1 else partners[0]
        task["deadline"] = self.deadline(c.get("deadline", []), products, tid)
        self.note_progress(tid, c)
        if raw.extra and extra_columns:
            task["extra"] = raw.extra
        elif any(raw.extra):
            task["content"] = Noted(content, f"{REVIEW}: cột khác của hàng này: " + " | ".join(x for x in raw.extra if x))
        return task

    def note_progress(self, tid: str, cells: dict) -> None:
        status = STATUS.get(" ".join(cells.get("status", [])).strip().lower().split(" (")[0])
        result = " ".join(cells.get("result", []))
        if status:
            self.progress[tid] = {"status": status} | ({"result": result} if result else {})

    def deadline(self, lines: list[str], products: list[str], tid: str):
        if not lines:
            self.deadlines_loose.append(f"{tid}: không ghi thời hạn")
            return Noted([{"as_planned": True}], f"{REVIEW}: bản gốc không ghi thời hạn")
        d = parse_deadline(lines, self.period.label, products)
        printed = printed_deadline(d.parts, self.period)
        if printed is not None and d.exact:  # every part read by an exact rule ("Quý III năm 2025")
            self.deadlines_exact += 1
            return d.parts if len(d.parts) > 1 else d.parts[0]
        self.deadlines_loose.append(f"{tid}: '{d.source}'")
        if printed is None:
            d.parts = [{"as_planned": True}]
        return Noted(d.parts, f"{REVIEW}: bản gốc ghi '{d.source}'")
