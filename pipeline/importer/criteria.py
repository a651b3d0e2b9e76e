"""A province's criteria annex (.docx or .xlsx) read into a criteria set (``vanban import --criteria``).

Provinces publish the criteria for communes as an annex of a decision, a table
STT | lĩnh vực / tiêu chí / tiêu chí thành phần | điểm tối đa | điểm tự đánh giá | tài liệu kiểm chứng,
its rows numbered by level: I, II … (lĩnh vực), 1, 2 … (tiêu chí), 1.1 or a) … (tiêu chí thành phần), a
"Tổng" row last. Each row becomes one item of ``inputs/criteria/<id>.yaml`` with the annex's own numbers,
so the self-assessment's table gives the annex back row for row. The decision (số, ngày, cơ quan) is read
from the lines above the table ("Ban hành kèm theo Quyết định số … ngày … của …"); what is not found is left
empty (the report prints CẦN ĐIỀN) and said on its line with a ``# CẦN KIỂM TRA`` comment, as are maxima
that do not add up (the province's own slip: the sum is kept, the written figure named).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from pipeline.importer.body import Casing
from pipeline.importer.columns import is_column_numbers
from pipeline.importer.textparse import norm_space, toneless
from pipeline.importer.yamlout import REVIEW, Noted

AREA_RE = re.compile(r"^[IVXLC]+\.?$")  # I, II., IV
CRITERION_RE = re.compile(r"^\d{1,3}\.?$")  # 1, 2.
PART_RE = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})+\.?|[a-zđ][).]?)$")  # 1.1, 2.3.1, a), b.
LEVEL_RE = re.compile("|".join(r.pattern for r in (AREA_RE, CRITERION_RE, PART_RE)))
NUMBER_RE = re.compile(r"^\d+(?:[.,]\d+)?")
DECISION_RE = re.compile(
    r"Quyết\s+định\s+số\s*:?\s*(?P<number>\d+[^\s,;)]*)\s+ngày\s+(?P<d>\d{1,2})\s*(?:/|-|\.|\s+tháng\s+)\s*"
    r"(?P<m>\d{1,2})\s*(?:/|-|\.|\s+năm\s+)\s*(?P<y>\d{4})(?:\s+của\s+(?P<issuer>[^);]+))?", re.IGNORECASE)
SURVEY_WORDS = "dieu tra xa hoi hoc"  # toneless: "điều tra xã hội học"


@dataclass
class Annex:
    """What the annex holds: its tables (rows → cells → lines) and its text outside them, in order."""

    tables: list[list[list[list[str]]]]
    lines: list[str]


@dataclass
class Imported:
    data: dict  # the criteria set, values possibly ``Noted``
    rows: int  # table rows read (areas, criteria, parts)
    notes: list[str] = field(default_factory=list)  # what the clerk should look at, also written in the file


def cell_lines(text: str) -> list[str]:
    return [norm_space(x) for x in str(text).split("\n") if norm_space(x)]


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _span(cell) -> int:
    """How many grid columns a docread cell covers (its ``w:gridSpan``): merged cells are one ``w:tc``."""
    tc = cell[0].el.getparent() if cell else None
    span = tc.find(f"{W}tcPr/{W}gridSpan") if tc is not None and tc.tag == f"{W}tc" else None
    value = span.get(f"{W}val") if span is not None else None
    return min(int(value), 64) if value and value.isdigit() and int(value) > 0 else 1


def _grid_row(row) -> list[list[str]]:
    """A table row one entry per grid column, a merged cell's text in each column it covers."""
    out: list[list[str]] = []
    for cell in row:
        lines = [line for p in cell for line in cell_lines(p.text)]
        out += [lines] * _span(cell)
    return out


def from_document(doc) -> Annex:
    """A docread ``Document`` as an ``Annex``."""
    tables = [[_grid_row(row) for row in t.rows] for t in doc.tables]
    in_tables = {id(p) for t in doc.tables for row in t.rows for cell in row for p in cell}
    lines = [norm_space(p.text) for p in doc.paragraphs if id(p) not in in_tables and norm_space(p.text)]
    return Annex(tables, lines)


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y}"
    return str(value)


def from_workbook(data: bytes) -> Annex:
    """Every sheet of an .xlsx workbook (already checked by ``safezip``) as one table each."""
    import openpyxl

    from pipeline.docread import limits

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    tables, lines = [], []
    try:
        for sheet in book.worksheets:
            rows = []
            for row in sheet.iter_rows(values_only=True):
                limits.tick()  # the command's time budget: a sheet of a million rows stops, named
                rows.append([cell_lines(_shown(v)) for v in row])
            tables.append(rows)
            at = _heading_row(rows)
            lines += [" ".join(x for c in row for x in c) for row in rows[:at if at is not None else len(rows)]]
    finally:
        book.close()
    return Annex(tables, [x for x in lines if x])


def columns_of(cells: list[str]) -> dict[str, int] | None:
    """Field -> column of a heading row, or None when the row is no criteria heading."""
    heads: dict[str, int] = {}
    for i, text in enumerate(cells):
        t = toneless(text).lower()
        if "kiem chung" in t:
            heads.setdefault("evidence", i)
        elif "tu danh gia" in t or "tu cham" in t or "diem danh gia" in t:
            heads.setdefault("score", i)
        elif "toi da" in t:
            heads.setdefault("max", i)
        elif re.fullmatch(r"(so )?t\.?t\.?|stt|so thu tu", t.strip()):
            heads.setdefault("code", i)
        elif "tieu chi" in t or "linh vuc" in t or "noi dung" in t:
            heads.setdefault("name", i)
    return heads if {"code", "name", "max"} <= heads.keys() else None


def _heading_row(rows: list[list[list[str]]]) -> int | None:
    for i, row in enumerate(rows[:8]):
        if columns_of([" ".join(c) for c in row]):
            return i
    return None


def number(text: str) -> float | None:
    """'2,5' -> 2.5, '10 điểm' -> 10; None when blank or not a number."""
    m = NUMBER_RE.match(text.strip())
    return round(float(m.group().replace(",", ".")), 2) if m else None


def decision_of(lines: list[str]) -> tuple[dict, list[str]]:
    for line in lines:
        m = DECISION_RE.search(line)
        if not m:
            continue
        try:
            day: dt.date | None = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            day = None
        issuer = norm_space(m["issuer"] or "").rstrip(".") or None
        return {"number": m["number"], "date": day, "issuer": issuer}, [] if day and issuer else [
            "phụ lục không ghi đủ ngày ký hoặc cơ quan ban hành quyết định: hãy điền ở 'decision'"]
    return {"number": None, "date": None, "issuer": None}, [
        "không tìm thấy dòng 'Ban hành kèm theo Quyết định số … ngày … của …': hãy điền số, ngày, cơ quan "
        "ban hành ở 'decision'"]


def name_of(lines: list[str], casing: Casing) -> str | Noted:
    """The set's name from the annex's title line; written in capitals, its case is restored, and noted."""
    for line in lines:
        if toneless(line).lower().startswith("bo tieu chi"):
            name = casing.restore(line)
            return Noted(name, f"{REVIEW}: chép từ tiêu đề in hoa, xem lại chữ hoa") if name != line else name
    return Noted("Bộ tiêu chí xác định Chỉ số cải cách hành chính của Ủy ban nhân dân xã",
                 f"{REVIEW}: phụ lục không có dòng tên bộ tiêu chí")


def _sum(values: list[float]) -> float:
    return round(sum(values), 2)


class Builder:
    """The table's rows, top to bottom, into areas, criteria and parts."""

    def __init__(self) -> None:
        self.areas: list[dict] = []
        self.total: float | None = None
        self.notes: list[str] = []
        self.rows = 0

    def row(self, code: str, name: str, cells: dict[str, list[str]]) -> None:
        maximum = number(" ".join(cells.get("max", [])))
        score = number(" ".join(cells.get("score", [])))
        evidence = cells.get("evidence", [])
        evidence = [e[2:] if e.startswith(("- ", "+ ")) else e for e in evidence]
        if not LEVEL_RE.match(code) and toneless(name).lower().startswith("tong"):
            self.total = maximum if self.total is None else self.total  # the first "Tổng" row: the set's maximum
            return
        self.rows += 1
        item: dict = {"code": code, "name": name, "max": maximum}
        if score is not None:
            item["score"] = score
        if evidence:
            item["evidence"] = evidence
        if AREA_RE.match(code) or not self.areas:
            if not AREA_RE.match(code):
                self._note(item, "dòng đầu bảng không đánh số La Mã (I, II…): đọc là một lĩnh vực")
            area: dict = {"code": code, "name": name, "max": maximum, "criteria": []}
            if SURVEY_WORDS in toneless(name).lower():
                area["survey"] = True
            self.areas.append(area)
        elif PART_RE.match(code) and self.areas[-1]["criteria"]:
            self.areas[-1]["criteria"][-1].setdefault("parts", []).append(item)
        else:
            if not CRITERION_RE.match(code):
                self._note(item, f"số thứ tự '{code}' không rõ cấp: đọc là một tiêu chí")
            self.areas[-1]["criteria"].append(item)

    def _note(self, item: dict, text: str) -> None:
        name = item["name"]
        if isinstance(name, Noted):
            name.comment += f"; {text}"
        else:
            item["name"] = name = Noted(name, f"{REVIEW}: {text}")
        self.notes.append(f"{item['code']} {name.value}: {text}".strip())

    def _check(self, item: dict, stated: float | None, parts: list[float], what: str) -> float:
        """The maximum of ``item``: the sum under it; a different written figure is noted."""
        total = _sum(parts)
        if stated is not None and abs(stated - total) > 0.001:
            self._note(item, f"điểm tối đa ghi trong phụ lục là {stated:g}, tổng điểm {what} là {total:g}: "
                             f"đã lấy {total:g}, hãy đối chiếu với quyết định")
        return total

    def finish(self) -> list[dict]:
        for area in self.areas:
            if not area["criteria"]:
                self._note(area, "lĩnh vực không có tiêu chí nào")
            for crit in area["criteria"]:
                self._criterion(crit)
            maxima = [c["max"] for c in area["criteria"] if c["max"] is not None]
            area["max"] = self._check(area, area["max"], maxima, "các tiêu chí") if maxima else area["max"]
        return self.areas

    def _criterion(self, crit: dict) -> None:
        for item in [crit, *crit.get("parts", [])]:
            if item["max"] is None and not item.get("parts"):
                self._note(item, "không đọc được điểm tối đa")
            elif item.get("score") is not None and item["max"] is not None and item["score"] > item["max"]:
                self._note(item, f"điểm tự đánh giá {item.pop('score'):g} lớn hơn điểm tối đa: đã bỏ")
        parts = crit.get("parts", [])
        if parts:
            crit["max"] = self._check(crit, crit["max"], [p["max"] or 0 for p in parts], "các tiêu chí thành phần")
            if crit.pop("score", None) is not None:  # a criterion with parts is scored through them
                self.notes.append(f"{crit['code']}: điểm của tiêu chí là tổng điểm các tiêu chí thành phần")


def read_rows(annex: Annex) -> tuple[Builder, list[str]]:
    """The first table with a criteria heading row, read by ``Builder``; and the text lines before it."""
    for rows in annex.tables:
        at = _heading_row(rows)
        if at is None:
            continue
        heads = columns_of([" ".join(c) for c in rows[at]])
        assert heads is not None  # _heading_row found it
        b = Builder()
        for row in rows[at + 1:]:
            texts = [" ".join(c) for c in row]
            if not any(texts) or is_column_numbers(texts):
                continue
            cells = {f: row[i] if i < len(row) else [] for f, i in heads.items()}
            code, name = " ".join(cells["code"]).rstrip(".") or "", " ".join(cells["name"])
            if code or name:
                b.row(code, name, cells)
        return b, annex.lines
    raise LookupError("không có bảng tiêu chí: cần một bảng có hàng tiêu đề STT | Lĩnh vực, tiêu chí | "
                      "Điểm tối đa (và Điểm tự đánh giá, Tài liệu kiểm chứng nếu có)")


def criteria_set(annex: Annex, set_id: str) -> Imported:
    """The criteria set the annex holds."""
    b, lines = read_rows(annex)
    areas = b.finish()
    if not areas:
        raise LookupError("bảng tiêu chí không có dòng nào dưới hàng tiêu đề")
    texts = lines + [x for rows in annex.tables for row in rows for c in row for x in c]
    decision, said = decision_of(lines)
    data: dict = {"id": set_id, "name": name_of(lines, Casing(texts)), "decision": decision}
    total = _sum([a["max"] or 0 for a in areas])
    if b.total is not None and abs(b.total - total) > 0.001:
        said.append(f"tổng điểm tối đa ghi trong phụ lục là {b.total:g}, tổng các lĩnh vực là {total:g}: "
                    f"đã lấy {total:g}")
    data["max"] = total
    if any("phan tram" in toneless(x).lower() or "%" in x for x in lines):
        data["scale"] = "tỷ lệ phần trăm (%) giữa tổng điểm đạt được và tổng điểm tối đa"
    data["sample"] = False
    data["areas"] = [_clean(a) for a in areas]
    if said:
        data["decision"] = Noted(decision, f"{REVIEW}: " + "; ".join(said))
    return Imported(data, b.rows, said + b.notes)


def _clean(item: dict) -> dict:
    """``item`` without the keys left empty, its lists cleaned too."""
    out = {}
    for k, v in item.items():
        if v is None or v == [] or (k == "code" and v == ""):
            continue
        out[k] = [_clean(x) for x in v] if k in ("criteria", "parts") else v
    return out
