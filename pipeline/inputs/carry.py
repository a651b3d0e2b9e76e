"""A commune's inputs carried to another period: ``vanban init --year --period`` and ``vanban init --from``.

``carry(files, kind, year)`` takes the input files' texts ({path in inputs/: text}) and gives
the files of the period ``kind`` (``ca-nam``, ``6-thang-dau``, ``6-thang-cuoi``) of ``year``:

- the plan's period (start, end, label) is the new one;
- every deadline of the appendices and sub-plans moves into it (dates, months, quarters:
  ``periodmap.DateMap``), and each report kind's periods and each recurring deadline keep
  to the reports the new period can have (``DateMap.recurrences``): the reports themselves
  follow from these, as in any build;
- the plan's and the sub-plans' numbers are blanked and their dates made drafts (``YYYY-MM``,
  in the new period): a carried document is a draft until it is issued again;
- the period's words in the text move with it (``carry_text``), legal citations stay as
  issued, and a text that names a time the new period has passed is kept with a
  ``# CẦN KIỂM TRA`` comment above it;
- progress does not carry: the old period's progress files are left out and one empty
  file is written for the new period's first report period; a criteria set's scores and
  evidence are cleared;
- comments and layout stay as typed (``yamlpatch``), the period's words in comments moved.

``Carried.notes`` says in Vietnamese what was carried and cleared, ``Carried.review`` what
the office should look at.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from pipeline.decree import forms as nd30
from pipeline.inputs import model as m
from pipeline.inputs.carry_text import PeriodWords
from pipeline.inputs.load import format_path
from pipeline.inputs.periodmap import ORDER, DateMap, period_of
from pipeline.inputs.periods import parse_period_code, periods_in
from pipeline.inputs.reporting import DONE
from pipeline.inputs.yamlpatch import patch

REVIEW = "CẦN KIỂM TRA"
RECURRENCE_WORDS = {"month": "tháng", "quarter": "quý", "half_year": "6 tháng", "year": "năm"}
DOCUMENT_KEYS = ("plan", "subplans")


@dataclass
class Carried:
    files: dict[str, str]  # path in inputs/ -> text
    old: m.Period
    new: m.Period
    notes: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)


def _key(rel: str) -> str:
    return rel.split("/")[0] if "/" in rel else rel.removesuffix(".yaml")


def _span(period: m.Period) -> str:
    return f"{period.label} ({nd30.short_date(period.start)}–{nd30.short_date(period.end)})"


def fresh_progress(code: str) -> str:
    """An empty progress file for the report period ``code`` ('2026-Q1'), with how to fill it."""
    period = parse_period_code(code)
    assert period is not None, code
    year = period.end.year
    return (
        "# yaml-language-server: $schema=../../schema/progress.schema.json\n"
        f"# Tiến độ thực hiện {period.words}: vanban điền vào các báo cáo {period.words}.\n"
        f"# Mỗi kỳ báo cáo một tệp, tên tệp là mã kỳ: {year}-Q2.yaml (quý), {year}-05.yaml (tháng),\n"
        f"# {year}-H1.yaml (6 tháng), {year}.yaml (năm). Báo cáo ghi rõ ngày chốt số liệu\n"
        "# (Nghị định 09/2019/NĐ-CP, Điều 12).\n"
        "# tasks: tiến độ của từng nhiệm vụ, theo mã nhiệm vụ (appendices.yaml, subplans/), ví dụ:\n"
        "#   tasks:\n"
        "#     ma_nhiem_vu:\n"
        "#       status: in_progress\n"
        "#       result: Đã ban hành kế hoạch; đang triển khai.\n"
        "# status: not_started (chưa thực hiện) | in_progress (đang thực hiện)\n"
        "#         done_on_time (hoàn thành đúng hạn) | done_late (hoàn thành trễ hạn)\n"
        "# done_on: ngày hoàn thành (YYYY-MM-DD), chỉ ghi khi đã hoàn thành.\n"
        "# indicators: giá trị đạt được của các chỉ tiêu trong plan.yaml (targets), tính theo %.\n"
        "# reports: nội dung cán bộ viết cho từng báo cáo của kỳ, theo mã loại báo cáo (reports/), ví dụ:\n"
        "#   reports:\n"
        "#     bc_cchc:\n"
        "#       fields:                  # các mục cần viết, theo tên 'field' trong tệp loại báo cáo\n"
        "#         kiem_tra: Đã kiểm tra 3 cơ quan, đơn vị; phát hiện 2 vấn đề, đã xử lý xong.\n"
        "#       figures:                 # số liệu biểu mẫu: bm<số biểu mẫu>-<số thứ tự dòng>\n"
        "#         bm1-3.1: 3\n"
        "#   Mục còn trống thì báo cáo giữ chỗ đánh dấu để viết, và vanban lint nêu tên mục đó.\n"
        f'period: "{code}"\n'
        "tasks: {}\n"
        "indicators: {}\n"
    )


def first_report_code(recurrences: set[str], period: m.Period) -> str:
    """The new period's first report period: its first quarter when reports are quarterly, else
    the first period of its shortest report period."""
    rec = "quarter" if "quarter" in recurrences or not recurrences else min(recurrences, key=ORDER.index)
    found = periods_in(rec, period) or periods_in("year", period) or periods_in("month", period)
    return found[0].code


def _year_month(value: Any) -> tuple[int, int] | None:
    if isinstance(value, dt.date):
        return value.year, value.month
    found = re.match(r"\s*(\d{4})-(\d{1,2})", str(value))
    return (int(found.group(1)), int(found.group(2))) if found else None


class _Carry:
    """One carrying: the date map, the words, and what it did (for the notes)."""

    def __init__(self, old: m.Period, new: m.Period):
        self.dates = DateMap(old, new)
        self.words = PeriodWords(self.dates)
        self.moved_parts = 0
        self.texts_moved = 0
        self.drafts: list[str] = []
        self.report_periods: dict[str, tuple[list[str], list[str]]] = {}
        self.recurrences: set[str] = set()
        self.cleared_scores = 0
        self.review: dict[str, dict[tuple, list[str]]] = {}

    # ------------------------------------------------------------------ text

    def texts(self, rel: str, data: Any, path: tuple = ()) -> Any:
        if isinstance(data, dict):
            return {k: self.texts(rel, v, path + (k,)) for k, v in data.items()}
        if isinstance(data, list):
            return [self.texts(rel, v, path + (i,)) for i, v in enumerate(data)]
        if not isinstance(data, str):
            return data
        moved, reasons = self.words.text(data)
        if path[:1] == ("bases",):  # a legal basis is cited as issued
            if moved != data:
                reasons.append("căn cứ nhắc thời gian của kỳ cũ: giữ nguyên, hãy thay bằng văn bản của kỳ mới nếu có")
            moved = data
        if reasons:
            self.review.setdefault(rel, {}).setdefault(path, []).extend(reasons)
        self.texts_moved += moved != data
        return moved

    # ------------------------------------------------------------------ dates

    def month_in_period(self, year: int, month: int) -> str:
        y, mo = self.dates.month(year, month)
        new = self.dates.new
        y, mo = max((y, mo), (new.start.year, new.start.month))
        y, mo = min((y, mo), (new.end.year, new.end.month))
        return f"{y}-{mo:02d}"

    def draft(self, rel: str, doc: dict) -> None:
        """The document's number blanked, its date a draft month in the new period."""
        was = []
        if doc.get("number") is not None:
            was.append(f"số {doc['number']}")
            doc["number"] = None
        ym = _year_month(doc.get("date")) if doc.get("date") is not None else None
        if ym:
            if isinstance(doc["date"], dt.date) or re.fullmatch(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*", str(doc["date"])):
                was.append(f"ngày {doc['date']}")
            doc["date"] = self.month_in_period(*ym)
        if was:
            self.drafts.append(f"{rel} ({', '.join(was)})")

    def part(self, part: dict) -> dict:
        out = dict(part)
        for key in ("before", "on"):
            if isinstance(out.get(key), dt.date):
                out[key] = on_a_working_day(self.dates.date(out[key]), before=key == "before")
        for key in ("month", "by_month"):
            ym = _year_month(out[key]) if out.get(key) is not None else None
            if ym:
                y, mo = self.dates.month(*ym)
                out[key] = f"{y}-{mo:02d}"
        found = re.fullmatch(r"\s*(\d{4})-[Qq]([1-4])\s*", str(out.get("quarter") or ""))
        if found:
            y, q = self.dates.quarter(int(found.group(1)), int(found.group(2)))
            out["quarter"] = f"{y}-Q{q}"
        if isinstance(out.get("every"), list):
            out["every"] = self.dates.recurrences(out["every"])
        self.moved_parts += out != part
        return out

    def deadline(self, value: Any) -> Any:
        if isinstance(value, dict):
            return self.part(value)
        if isinstance(value, list):
            return [self.part(p) if isinstance(p, dict) else p for p in value]
        return value

    def tasks(self, tasks: Any) -> None:
        for task in tasks if isinstance(tasks, list) else []:
            if isinstance(task, dict) and "deadline" in task:
                task["deadline"] = self.deadline(task["deadline"])

    # ------------------------------------------------------------------ files

    def file(self, rel: str, data: Any) -> Any:
        key = _key(rel)
        new = self.texts(rel, data)
        if not isinstance(new, dict):
            return new
        if key in DOCUMENT_KEYS:
            self.draft(rel, new)
        if key == "plan":
            period = self.dates.new
            new["period"] = {**new.get("period", {}), "start": period.start, "end": period.end, "label": period.label}
        elif key == "appendices":
            for app in new.get("appendices") or []:
                self.tasks(app.get("tasks"))
        elif key == "subplans":
            self.tasks(new.get("tasks"))
        elif key == "reports" and isinstance(new.get("periods"), list):
            moved = self.dates.recurrences(new["periods"])
            if moved != new["periods"]:
                self.report_periods[rel] = (new["periods"], moved)
            new["periods"] = moved
            self.recurrences |= set(moved)
        elif key == "criteria":
            self.clear_scores(new)
        return new

    def clear_scores(self, cset: dict) -> None:
        for area in cset.get("areas") or []:
            for crit in area.get("criteria") or []:
                for item in [crit, *(crit.get("parts") or [])]:  # a criterion and its parts (tiêu chí thành phần)
                    if not isinstance(item, dict):
                        continue
                    if item.get("score") is not None or item.get("evidence"):
                        self.cleared_scores += 1
                    if item.get("score") is not None:
                        item["score"] = None
                    if item.get("evidence"):
                        item["evidence"] = []


def _done_tasks(files: dict[str, str]) -> list[str]:
    done: list[str] = []
    for rel, text in sorted(files.items()):
        if _key(rel) == "progress":
            data = yaml.safe_load(text) or {}
            tasks = data.get("tasks") if isinstance(data, dict) else None
            for tid, tp in (tasks or {}).items():
                if isinstance(tp, dict) and tp.get("status") in DONE and tid not in done:
                    done.append(tid)
    return done


def _plan_period(files: dict[str, str]) -> m.Period:
    data = yaml.safe_load(files["plan.yaml"])
    return m.Period.model_validate(data["period"])


def carry(files: dict[str, str], kind: str, year: int) -> Carried:
    """``files`` ({path in inputs/: text}) carried to the period ``kind`` of ``year``."""
    old, new = _plan_period(files), period_of(kind, year)
    run = _Carry(old, new)
    out: dict[str, str] = {}
    for rel, text in sorted(files.items()):
        if _key(rel) == "progress":
            continue
        data = run.file(rel, yaml.safe_load(text))
        notes = {path: [f"{REVIEW}: {r}" for r in reasons] for path, reasons in run.review.get(rel, {}).items()}
        out[rel] = patch(text, data, comment=run.words.comment, notes=notes)
    cleared = sorted(rel for rel in files if _key(rel) == "progress")
    code = first_report_code(run.recurrences, new)
    out[f"progress/{code}.yaml"] = fresh_progress(code)
    carried = Carried(out, old, new)
    _notes(carried, run, cleared, _done_tasks(files), code)
    return carried


def _recurrence_words(recs: list[str]) -> str:
    return ", ".join(RECURRENCE_WORDS.get(r, r) for r in recs)


def _notes(carried: Carried, run: _Carry, cleared: list[str], done: list[str], code: str) -> None:
    old, new, notes = carried.old, carried.new, carried.notes
    notes.append(f"Kỳ kế hoạch: {_span(old)} → {_span(new)}.")
    if run.moved_parts:
        rule = ("cùng độ dài kỳ: mỗi mốc giữ ngày, tháng của nó trong kỳ" if run.dates.same_length else
                "kỳ khác độ dài: mốc ở nửa đầu kỳ cũ giữ khoảng cách từ đầu kỳ, mốc ở nửa sau giữ khoảng cách "
                "đến cuối kỳ; hãy xem lại các mốc giữa kỳ")
        notes.append(f"Thời hạn: đã dời {run.moved_parts} mốc thời hạn vào {new.label} ({rule}).")
    for rel, (was, now) in sorted(run.report_periods.items()):
        notes.append(f"Báo cáo {rel}: kỳ báo cáo {_recurrence_words(was)} → {_recurrence_words(now)} "
                     f"(theo các kỳ báo cáo trọn trong {new.label}).")
    if run.texts_moved:
        notes.append(f"Lời văn: đã đổi {run.texts_moved} đoạn nhắc thời gian của kỳ cũ sang {new.label} "
                     "(trích dẫn văn bản giữ nguyên).")
    if run.drafts:
        notes.append("Trở lại dự thảo (xóa số, ngày ký): " + "; ".join(run.drafts) + ".")
    if cleared:
        notes.append(f"Tiến độ: không chép {len(cleared)} tệp tiến độ của kỳ cũ ({', '.join(cleared)}).")
    first = parse_period_code(code)
    notes.append(f"Tiến độ: tạo tệp trống progress/{code}.yaml cho {first.words if first else code}.")
    if done:
        notes.append("Nhiệm vụ đã hoàn thành ở kỳ cũ, vẫn được chép sang kỳ mới (xem có cần giữ không): "
                     + ", ".join(done) + ".")
    if run.cleared_scores:
        notes.append(f"Tự chấm điểm: đã xóa điểm và tài liệu kiểm chứng của {run.cleared_scores} tiêu chí.")
    for rel, paths in sorted(run.review.items()):
        for path, reasons in paths.items():
            carried.review += [f"{rel}, {format_path(path)}: {r}" for r in dict.fromkeys(reasons)]


def on_a_working_day(day: dt.date, before: bool) -> dt.date:
    """A moved deadline whose last day ("trước ngày 20/12": the 19th) fell on a Saturday or a Sunday,
    brought back to the Friday before (``vanban lint``'s deadline-weekend)."""
    last = day - dt.timedelta(days=1) if before else day
    while last.weekday() >= 5:
        last -= dt.timedelta(days=1)
    return last + dt.timedelta(days=1) if before else last
