"""The faults of a document set that only show between documents, caught in the inputs.

``linter.py`` reads each text alone; this module compares the files with one another, so that a
commune's own inputs get the same guard as the bundled ones. Where two sources disagree it tells
the office which — vanban never picks one silently.

Rules:
  abbreviation-undefined  a short form ("CCHC") used in a document's text and not declared in
                          ``commune.abbreviations``: it cannot be spelled out at its first use; told
                          once per file — warning
  recipient-superior      a plan or sub-plan whose "Nơi nhận" leaves out the provincial department its
                          reports go to (the "to" of the report kinds on it: "Sở Tài chính") — warning
  report-addressee        a report with no "Kính gửi" whose "Nơi nhận" does not begin with a body above
                          its issuer (a provincial body for the committee's reports; the committee for a
                          unit's) — warning
  period-established      a plan period, a progress period or a document's date before the commune was
                          established (``commune.established``) — warning
  deadline-cutoff         a report due on the day its figures close (the 14th, Nghị định 09/2019/NĐ-CP,
                          Điều 12): no day is left to gather them
  deadline-weekend        a dated deadline whose last day is a Saturday or a Sunday — warning
  progress-issued         a progress file says a task that orders a sub-plan is not started (or, when
                          the sub-plan is all it makes, not done), while the set holds that sub-plan
                          dated by the end of the period
  numbering-single        a list with one numbered clause: a "1." without a "2." — warning
  numbering-bullet-first  a "-" item before the first numbered clause of the same list — warning
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from pipeline.decree import forms as nd30
from pipeline.decree import rules
from pipeline.inputs import deadlines
from pipeline.inputs import model as m
from pipeline.inputs.kinds import departments, reported_by
from pipeline.inputs.periods import CUTOFF_DAY, parse_period_code
from pipeline.inputs.reporting import DONE

# a short form as the lint sees one: three or more capitals (digits after the first), a whole token
SHORT_FORM_RE = re.compile(r"(?<![\w/\-])([A-ZĐ][A-ZĐ0-9]{2,})(?![\w/\-])")
ROMAN_RE = re.compile(r"[IVXLC]+")
# short forms every reader of a commune's papers knows without their words: its own bodies, and the
# designations of standards, which are names ("TCVN ISO 9001:2015")
KNOWN_SHORT_FORMS = frozenset({"UBND", "HĐND", "TCVN", "ISO"})
# fields whose text is read as prose in a document (a short form must be defined there)
PROSE_FIELDS = frozenset({"p", "bullet", "point", "numbered", "note", "fill", "clause", "title", "content", "intro",
                          "closing", "products", "summary", "outlook", "result", "items", "name", "what"})
# a body above the committee of a commune: the province's committee or one of its departments
PROVINCIAL_RE = re.compile(r"^(?:Sở |Ủy ban nhân dân tỉnh|UBND tỉnh|Ban .* tỉnh)")
WEEKEND = {5: "thứ Bảy", 6: "Chủ nhật"}


class Consistency:
    """The rules above, written through a linter's ``add`` (file, line and column of the source)."""

    def __init__(self, found):
        self.inputs = found.inputs
        self.add, self.texts, self._raw = found.add, found.texts, found._raw

    def run(self) -> None:
        self.short_forms()
        self.recipients()
        self.addressees()
        self.established()
        self.deadlines()
        self.progress_against_set()
        self.numbering()

    # ------------------------------------------------------------------ names

    def short_forms(self) -> None:
        declared = set(self.inputs.commune.abbreviations) | KNOWN_SHORT_FORMS | set(rules.TYPE_BY_ABBR)
        told: set[tuple[str, str]] = set()  # (file, short form): told once per file, at its first use
        for key, path, text in self.texts():
            if key == "commune" or "recipients" in path or "bases" in path or not _prose(path):
                continue
            if not any(c.islower() for c in text):
                continue  # a text in capitals (a signature line) is not prose
            for found in SHORT_FORM_RE.finditer(text):
                short = found.group(1)
                if short in declared or ROMAN_RE.fullmatch(short) or (key, short) in told:
                    continue
                told.add((key, short))
                self.add(key, path, found.start(), "abbreviation-undefined",
                         f"chữ viết tắt '{short}' chưa được khai báo, nên không được viết đầy đủ ở lần dùng đầu "
                         "tiên trong văn bản", fix=f"thêm vào commune.yaml, mục abbreviations: '{short}: <nghĩa đầy "
                                                   "đủ>', hoặc viết đầy đủ", severity="warning")

    # ------------------------------------------------------------------ recipients

    def recipients(self) -> None:
        docs = [("plan", self.inputs.plan), *zip(self.inputs.subplan_keys, self.inputs.subplans)]
        for key, doc in docs:
            sent = " ".join(doc.recipients.to).lower() if doc.recipients else ""
            for kind in reported_by(self.inputs, doc):
                for dept in departments(kind):
                    if dept.lower() in sent:
                        continue
                    path = ("recipients", "to") if "recipients" in self.inputs.raw[key] else ("id",)
                    self.add(key, path, None, "recipient-superior",
                             f"văn bản báo cáo kết quả cho {dept} (báo cáo '{kind.id}') nhưng Nơi nhận không có "
                             f"{dept}", fix=f"thêm '{dept} tỉnh {self.inputs.commune.province} (để b/c)' vào "
                                            "recipients.to", severity="warning")

    def addressees(self) -> None:
        for key, kind in zip(self.inputs.report_keys, self.inputs.report_kinds):
            if kind.to:
                continue
            first = kind.recipients.to[0] if kind.recipients else ""
            unit = self.inputs.units.get(kind.issuer) if kind.issuer else None
            above = (first.startswith(("Ủy ban nhân dân", "UBND", "Chủ tịch")) if unit
                     else bool(PROVINCIAL_RE.match(first)))
            if not above:
                whom = "Ủy ban nhân dân xã" if unit else "cơ quan cấp tỉnh (Ủy ban nhân dân tỉnh, Sở …)"
                self.add(key, ("recipients", "to", 0) if kind.recipients else ("internal",), None,
                         "report-addressee", f"báo cáo không có Kính gửi, và Nơi nhận không mở đầu bằng cơ quan cấp "
                                             f"trên ('{first or 'không có'}')",
                         fix=f"ghi 'to:' (Kính gửi), hoặc đặt {whom} ở dòng đầu của recipients.to",
                         severity="warning")

    # ------------------------------------------------------------------ periods and deadlines

    def established(self) -> None:
        formed = self.inputs.commune.established
        if formed is None:
            return
        said = f"xã được thành lập ngày {nd30.short_date(formed)} (commune.yaml, established)"
        if self.inputs.plan.period.start < formed:
            self.add("plan", ("period", "start"), None, "period-established",
                     f"kỳ kế hoạch bắt đầu ngày {nd30.short_date(self.inputs.plan.period.start)}, trước khi {said}",
                     fix="kỳ kế hoạch bắt đầu từ ngày thành lập; hoặc sửa ngày established", severity="warning")
        for key, prog in zip(self.inputs.progress_keys, self.inputs.progress):
            period = parse_period_code(prog.period)
            if period is not None and period.end < formed:
                self.add(key, ("period",), None, "period-established",
                         f"kỳ {period.words} kết thúc trước khi {said}: số liệu thuộc các đơn vị trước sắp xếp",
                         fix="bỏ tệp tiến độ này, hoặc sửa kỳ (period)", severity="warning")
        for key, doc in [("plan", self.inputs.plan), *zip(self.inputs.subplan_keys, self.inputs.subplans)]:
            d = doc.date
            if d is not None and "date" in self.inputs.raw[key] and (d.year, d.month) < (formed.year, formed.month):
                self.add(key, ("date",), None, "period-established",
                         f"văn bản đề tháng {d.month}/{d.year}, trước khi {said}", fix="sửa ngày của văn bản",
                         severity="warning")

    def deadlines(self) -> None:
        period = self.inputs.plan.period
        for key, path, task, part in self._deadline_parts():
            last = _last_day(part)
            if last is None:
                continue
            words = deadlines.lines([part], period)[0]
            if _asks_report(task, part) and last.day == CUTOFF_DAY:
                self.add(key, path, None, "deadline-cutoff",
                         f"'{words}': hạn báo cáo là ngày {nd30.short_date(last)}, đúng ngày chốt số liệu (ngày "
                         f"{CUTOFF_DAY}, Nghị định số 09/2019/NĐ-CP), không còn ngày nào để tổng hợp",
                         fix="đặt hạn báo cáo sau ngày chốt số liệu, vào một ngày làm việc (ví dụ trước ngày 20)")
            elif last.weekday() in WEEKEND:
                self.add(key, path, None, "deadline-weekend",
                         f"'{words}': ngày cuối của thời hạn ({nd30.short_date(last)}) là {WEEKEND[last.weekday()]}",
                         fix="chọn ngày làm việc", severity="warning")

    def _deadline_parts(self) -> Iterator[tuple[str, tuple, m.Task, m.DeadlinePart]]:
        sources: list[tuple[str, tuple, list[m.Task]]] = [("appendices", ("appendices", ai, "tasks"), a.tasks) for ai, a in enumerate(self.inputs.appendices)]
        sources += [(k, ("tasks",), sp.tasks) for k, sp in zip(self.inputs.subplan_keys, self.inputs.subplans)]
        for key, base, tasks in sources:
            for ti, task in enumerate(tasks):
                raw = self._raw(key, base + (ti, "deadline"))
                for pi, part in enumerate(task.deadline):
                    yield key, base + (ti, "deadline") + ((pi,) if isinstance(raw, list) else ()), task, part

    def progress_against_set(self) -> None:
        ordered = {sp.ordered_by: (key, sp) for key, sp in zip(self.inputs.subplan_keys, self.inputs.subplans)}
        for key, prog in zip(self.inputs.progress_keys, self.inputs.progress):
            period = parse_period_code(prog.period)
            for tid, tp in prog.tasks.items():
                if tid not in ordered or tp.status in DONE or period is None:
                    continue
                if tp.status == "in_progress" and len(self.inputs.tasks[tid][1].products) > 1:
                    continue  # the sub-plan issued, the rest of the task (its reports) going on
                sp_key, sp = ordered[tid]
                d = sp.date
                if d is not None and (d.year, d.month) <= (period.end.year, period.end.month):
                    name = f"{nd30.type_name(sp.kind)} {sp.summary}" if sp.kind else sp.summary
                    self.add(key, ("tasks", tid, "status"), None, "progress-issued",
                             f"tiến độ ghi nhiệm vụ '{tid}' chưa hoàn thành ('{tp.status}'), nhưng bộ văn bản có "
                             f"{name} ({self.inputs.sources[sp_key].file}) đề tháng {d.month}/{d.year}",
                             fix="nếu văn bản đã ban hành: ghi status: done_on_time hoặc done_late; nếu chưa: "
                                 "sửa ngày (date) của văn bản")

    # ------------------------------------------------------------------ numbering

    def numbering(self) -> None:
        docs: list[tuple[str, list[m.Section] | None]] = [("plan", self.inputs.plan.sections)]
        docs += list(zip(self.inputs.subplan_keys, (sp.sections for sp in self.inputs.subplans)))
        docs += list(zip(self.inputs.report_keys, (k.sections for k in self.inputs.report_kinds)))
        for key, sections in docs:
            for si, section in enumerate(sections or []):
                self._items(key, ("sections", si, "items"), section.items)

    def _items(self, key: str, path: tuple, items: list) -> None:
        clauses = [i for i, item in enumerate(items) if isinstance(item, (m.Clause, m.Numbered))]
        generated = any(isinstance(item, m.Generated) for item in items)
        if len(clauses) == 1 and not generated:
            self.add(key, path + (clauses[0],), None, "numbering-single",
                     "chỉ có một mục đánh số (có '1.' mà không có '2.')",
                     fix="bỏ số của mục này (viết thành đoạn văn), hoặc tách thành hai mục trở lên",
                     severity="warning")
        if clauses:
            for i, item in enumerate(items[:clauses[0]]):
                if isinstance(item, m.Bullet):
                    self.add(key, path + (i,), None, "numbering-bullet-first",
                             "gạch đầu dòng '-' đứng trước mục '1.' cùng cấp: mục đánh số không theo thứ bậc",
                             fix="đưa ý này vào một mục đánh số, hoặc viết thành đoạn văn mở đầu", severity="warning")
        for i, item in enumerate(items):
            if isinstance(item, m.Clause):
                self._items(key, path + (i, "items"), item.items)


def _prose(path: tuple) -> bool:
    return next((p for p in reversed(path) if isinstance(p, str)), "") in PROSE_FIELDS


def _last_day(part: m.DeadlinePart) -> dt.date | None:
    """The last day a dated deadline allows: the day before "trước ngày …", the day of "ngày …"."""
    if part.before is not None:
        return part.before - dt.timedelta(days=1)
    return part.on


def _asks_report(task: m.Task, part: m.DeadlinePart) -> bool:
    def report(text: str) -> bool:
        return text.lower().startswith("báo cáo")

    return report(part.what) if part.what else all(report(p) for p in task.products)
