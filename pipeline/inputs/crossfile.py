"""References between input files: every id that one file names must exist in another.

Duplicate ids, unknown units, leaders, tasks, targets and appendices, malformed
progress periods, completion dates that contradict the period or the deadline,
and the ``{ct:…}``-style references inside text (grammar in ``refs``). Each
check is a function over the validated ``Inputs`` that adds located issues to
one ``Issues`` list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Iterator

from pipeline.decree import forms as nd30
from pipeline.errors import InputIssue
from pipeline.inputs import deadlines
from pipeline.inputs import model as m
from pipeline.inputs import outnames
from pipeline.inputs.validated import Inputs
from pipeline.inputs.kinds import check_kinds
from pipeline.inputs.report_checks import check_kind_content, check_progress_content
from pipeline.inputs.load import format_path
from pipeline.inputs.periods import parse_period_code
from pipeline.inputs.textrefs import ref_problems, ref_tables


def walk_strings(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every string in loaded YAML data, with its path, in the order written (depth first)."""
    stack = [(path, data)]  # a stack, not recursion: each string is handed up once, not once per level
    while stack:
        here, node = stack.pop()
        if isinstance(node, dict):
            stack.extend([(here + (k,), v) for k, v in node.items()][::-1])
        elif isinstance(node, list):
            stack.extend([(here + (i,), v) for i, v in enumerate(node)][::-1])
        elif isinstance(node, str):
            yield here, node


def suggest(value: str, options) -> str:
    import difflib  # only when something is wrong

    close = difflib.get_close_matches(value, sorted(options), n=1, cutoff=0.5)
    return f"có phải ý là '{close[0]}'?" if close else "các mã hợp lệ: " + ", ".join(sorted(options))


class Issues:
    """Located issues found in the inputs, in the order found."""

    def __init__(self, inputs: Inputs):
        self.inputs = inputs
        self.items: list[InputIssue] = []

    def add(self, key: str, path: tuple, message: str, rule: str = "ref", fix: str = "",
            severity: str = "error") -> None:
        src = self.inputs.sources[key]
        line, col = src.locate(path)
        self.items.append(InputIssue(src.file, line, col, format_path(path), message,
                                     severity=severity, rule=rule, fix=fix))

    def where(self, key: str, path: tuple) -> str:
        """``inputs/subplans/x.yaml:12``: where ``path`` of file ``key`` is written, for a message."""
        src = self.inputs.sources[key]
        return f"{src.file}:{src.locate(path)[0]}"

    def unknown(self, key: str, path: tuple, what: str, value: str, valid, where: str = "") -> None:
        """``value`` names no ``what`` among ``valid``."""
        self.add(key, path, f"không có {what} mã '{value}'{where}", fix=suggest(value, valid))


def check_references(inputs: Inputs) -> list[InputIssue]:
    out = Issues(inputs)
    for check in (_duplicate_ids, _file_ids, _output_names, _task_units, _documents, _report_kinds, _progress,
                  _appendix_links, _text_references):
        check(inputs, out)
    return out.items


def _duplicate_ids(inputs: Inputs, out: Issues) -> None:
    c = inputs.commune
    lists: list[tuple[str, str, Sequence[m.Unit | m.UnitGroup | m.Leader | m.Target | m.Appendix], str]] = [
        ("commune", "units", c.units, "đơn vị"),
        ("commune", "groups", c.groups, "nhóm đơn vị"),
        ("commune", "leaders", c.leaders, "lãnh đạo"),
        ("plan", "targets", inputs.plan.targets, "chỉ tiêu"),
        ("appendices", "appendices", inputs.appendices, "phụ lục"),
    ]
    for key, kind, items, label in lists:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in seen:
                out.add(key, (kind, i, "id"), f"mã {label} '{item.id}' bị trùng (đã dùng ở mục {seen[item.id] + 1})",
                        rule="ref-duplicate-id", fix="đặt một mã khác, không trùng")
            seen[item.id] = i
    clash = set(inputs.units) & set(inputs.groups)
    for i, g in enumerate(c.groups):
        if g.id in clash:
            out.add("commune", ("groups", i, "id"), f"mã '{g.id}' vừa là đơn vị vừa là nhóm đơn vị",
                    rule="ref-duplicate-id")


def _file_ids(inputs: Inputs, out: Issues) -> None:
    """Sub-plans and report kinds, one a file: an id used in two files would make one document twice."""
    for keys, ids, label in ((inputs.subplan_keys, [sp.id for sp in inputs.subplans], "kế hoạch con"),
                             (inputs.report_keys, [kind.id for kind in inputs.report_kinds], "loại báo cáo")):
        seen: dict[str, str] = {}
        for key, id_ in zip(keys, ids):
            if id_ in seen:
                out.add(key, ("id",), f"mã {label} '{id_}' đã dùng trong {out.where(seen[id_], ('id',))}",
                        rule="ref-duplicate-id", fix="đặt một mã khác, không trùng")
            seen.setdefault(id_, key)


def _output_names(inputs: Inputs, out: Issues) -> None:
    """Two sub-plans whose files would be one on Windows or macOS (``KeHoach``, ``kehoach``): one would be lost."""
    seen: dict[str, tuple[str, tuple, str]] = {}
    ids: set[str] = set()
    for key, sp in zip(inputs.subplan_keys, inputs.subplans):
        stem, path = outnames.file_stem(sp), ("output",) if sp.output else ("id",)
        first = seen.setdefault(outnames.fold(stem), (key, path, stem))
        if first[0] != key and not (sp.id in ids and not sp.output):  # a duplicate id is told as such (_file_ids)
            out.add(key, path, f"tệp '{stem}.docx' của kế hoạch con này trùng với tệp '{first[2]}.docx' của "
                    f"{out.where(*first[:2])} (Windows và macOS không phân biệt chữ hoa, chữ thường): văn bản này "
                    "sẽ ghi đè văn bản kia", rule="output-collision", fix="đặt 'output:' khác cho một trong hai")
        ids.add(sp.id)


def _task_units(inputs: Inputs, out: Issues) -> None:
    unit_ids = set(inputs.units) | set(inputs.groups)
    seen_tasks: set[str] = set()
    for ai, app in enumerate(inputs.appendices):
        if app.lead is not None and app.lead not in inputs.units:
            out.unknown("appendices", ("appendices", ai, "lead"), "đơn vị", app.lead, inputs.units)
        for ti, task in enumerate(app.tasks):
            base = ("appendices", ai, "tasks", ti)
            if task.id in seen_tasks:
                out.add("appendices", base + ("id",), f"mã nhiệm vụ '{task.id}' bị trùng", rule="ref-duplicate-id")
            seen_tasks.add(task.id)
            raw_task = inputs.raw["appendices"]["appendices"][ai]["tasks"][ti]
            for name, ids, valid, what in [("lead", task.lead or [], inputs.units, "đơn vị"),
                                           ("partners", task.partners, unit_ids, "đơn vị hay nhóm đơn vị")]:
                listed = isinstance(raw_task.get(name), list)
                for i, uid in (x for x in enumerate(ids) if x[1] not in valid):
                    out.unknown("appendices", base + ((name, i) if listed else (name,)), what, uid, valid)


def _signer(out: Issues, key: str, signature, leaders) -> None:
    if signature and signature.signer not in leaders:
        out.unknown(key, ("signature", "signer"), "lãnh đạo", signature.signer, leaders)


def _documents(inputs: Inputs, out: Issues) -> None:
    for key, doc in [("plan", inputs.plan)] + list(zip(inputs.subplan_keys, inputs.subplans)):
        _signer(out, key, doc.signature, inputs.leaders)
        if doc.issuer and doc.issuer not in inputs.units:
            out.unknown(key, ("issuer",), "đơn vị", doc.issuer, inputs.units)
        if isinstance(doc, m.SubPlan) and doc.ordered_by not in inputs.tasks:
            out.unknown(key, ("ordered_by",), "nhiệm vụ", doc.ordered_by, inputs.tasks, " trong các phụ lục")


def _appendix_links(inputs: Inputs, out: Issues) -> None:
    for path, value in _clause_appendix_links(inputs.raw["plan"]):
        if value not in inputs.appendix_index:
            out.unknown("plan", path, "phụ lục", value, inputs.appendix_index)


def _report_kinds(inputs: Inputs, out: Issues) -> None:
    """Tasks, areas, indicators, criteria of the report kinds (``kinds``, issue 15); signers; what their
    sections, statistics and the progress files' ``reports:`` name (``report_checks``, issue 34)."""
    for key, path, message, value, options in check_kinds(inputs):
        out.add(key, path, message, fix=suggest(value, options) if options else "")
    for key, kind in zip(inputs.report_keys, inputs.report_kinds):
        _signer(out, key, kind.signature, inputs.leaders)
        for key_, path, message, value, options in check_kind_content(inputs, key, kind):
            out.add(key_, path, message, fix=suggest(value, options) if options else "")
    for key, prog in zip(inputs.progress_keys, inputs.progress):
        for key_, path, message, value, options in check_progress_content(inputs, key, prog):
            out.add(key_, path, message, fix=suggest(value, options) if options else "")


def _progress(inputs: Inputs, out: Issues) -> None:
    seen_periods: dict[str, str] = {}
    for key, prog in zip(inputs.progress_keys, inputs.progress):
        parsed = parse_period_code(prog.period)
        if parsed is None or not m.FIRST_YEAR <= parsed.start.year <= m.LAST_YEAR:
            out.add(key, ("period",), f"kỳ báo cáo '{prog.period}' không hợp lệ"
                    + ("" if parsed is None else f": năm nằm ngoài khoảng {m.FIRST_YEAR}–{m.LAST_YEAR}"),
                    fix="dùng dạng 2025-Q3 (quý), 2025-09 (tháng), 2025-H2 (6 tháng) hoặc 2025 (năm)")
        elif prog.period in seen_periods:
            out.add(key, ("period",), f"kỳ '{prog.period}' đã có trong {seen_periods[prog.period]}",
                    rule="ref-duplicate-id")
        seen_periods.setdefault(prog.period, key)
        for tid in (t for t in prog.tasks if t not in inputs.tasks):
            out.unknown(key, ("tasks", tid), "nhiệm vụ", tid, inputs.tasks, " trong các phụ lục")
        for iid in (i for i in prog.indicators if i not in inputs.targets):
            out.unknown(key, ("indicators", iid), "chỉ tiêu", iid, inputs.targets, " trong plan.yaml (targets)")
        _done_dates(inputs, out, key, prog)


def _done_dates(inputs: Inputs, out: Issues, key: str, prog: m.Progress) -> None:
    """A task's completion day is within the progress file's period and, when it was done on time, by its deadline."""
    period = parse_period_code(prog.period)
    for tid, tp in prog.tasks.items():
        if tp.done_on is None or tid not in inputs.tasks:
            continue
        path, done = ("tasks", tid, "done_on"), nd30.short_date(tp.done_on)
        if period is not None and tp.done_on > period.end:
            out.add(key, path, f"ngày hoàn thành {done} sau kỳ {prog.period} (kết thúc ngày "
                    f"{nd30.short_date(period.end)}): tệp tiến độ chỉ ghi việc đã làm đến hết kỳ",
                    rule="progress-date", fix="sửa ngày, hoặc ghi nhiệm vụ này vào tệp tiến độ của kỳ sau")
        due = deadlines.task_due(inputs.tasks[tid][1].deadline, inputs.plan.period)
        if tp.status == "done_on_time" and due is not None and tp.done_on > due:
            out.add(key, path, f"nhiệm vụ ghi hoàn thành đúng hạn (done_on_time) nhưng ngày hoàn thành {done} "
                    f"sau thời hạn {nd30.short_date(due)}", rule="progress-date",
                    fix="ghi 'status: done_late', hoặc sửa ngày hoàn thành")


def _text_references(inputs: Inputs, out: Issues) -> None:
    tables = ref_tables(inputs)
    for key, data in inputs.raw.items():
        for path, text in walk_strings(data):
            for problem in ref_problems(text, path, tables, suggest):
                out.add(key, problem.path, problem.message, fix=problem.fix)


def _clause_appendix_links(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, dict):
        if "clause" in data and isinstance(data.get("appendix"), str):
            yield path + ("appendix",), data["appendix"]
        for k, v in data.items():
            yield from _clause_appendix_links(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _clause_appendix_links(v, path + (i,))
