"""Stage 2: validate the inputs against the schema and each other.

``load_inputs(dir)`` reads every input file, validates it with the pydantic
models and checks the references between files (unit, leader, task, target and
appendix ids; the ``{ct:…}``-style references inside text). All problems are
collected and raised together as ``InputErrors``, each located by file, line,
column and field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel, ValidationError

from pipeline import model as m
from pipeline.errors import InputErrors, InputIssue
from pipeline.links import resolve_subplan
from pipeline.load import SourceMap, format_path, load_yaml

COMMUNE_FILE = "commune.yaml"
PLAN_FILE = "plan.yaml"
APPENDICES_FILE = "appendices.yaml"
SUBPLANS_DIR = "subplans"
REPORTS_DIR = "reports"
PROGRESS_DIR = "progress"
CRITERIA_DIR = "criteria"

# References inside text: a target {ct:ontime_rate} ("từ 98% trở lên") or {ct:ontime_rate:value}
# ("98%"); an appendix {pl:tthc} ("Phụ lục II"); a unit {dv:vp} (full name) or {dv:vp:short};
# a document {vb:ke_hoach_cchc} (its full citation) or {vb:ke_hoach_cchc:so} (type and number).
REF_RE = re.compile(r"\{(ct|pl|dv|vb):([a-z][a-z0-9_]*)(?::([a-z]+))?\}")
REF_VARIANTS = {"ct": {None, "value"}, "pl": {None}, "dv": {None, "short"}, "vb": {None, "so"}}
REF_NAMES = {"ct": "chỉ tiêu", "pl": "phụ lục", "dv": "đơn vị", "vb": "văn bản"}


@dataclass
class Inputs:
    """Everything the documents are built from, validated."""

    root: Path
    commune: m.Commune
    plan: m.Plan
    appendices: list[m.Appendix]
    subplans: list[m.SubPlan] = field(default_factory=list)
    report_kinds: list[m.ReportKind] = field(default_factory=list)
    progress: list[m.Progress] = field(default_factory=list)
    criteria: list[m.CriteriaSet] = field(default_factory=list)
    sources: dict[str, SourceMap] = field(default_factory=dict)  # file key -> positions
    raw: dict[str, Any] = field(default_factory=dict)  # file key -> data as loaded
    files: dict[str, Path] = field(default_factory=dict)  # file key -> path

    # lookups
    def unit(self, uid: str) -> m.Unit:
        return self._units[uid]

    def __post_init__(self) -> None:
        self._units = {u.id: u for u in self.commune.units}
        self.groups = {g.id: g for g in self.commune.groups}
        self.leaders = {l.id: l for l in self.commune.leaders}
        self.targets = {t.id: t for t in self.plan.targets}
        self.appendix_index = {a.id: i for i, a in enumerate(self.appendices)}
        self.tasks = {t.id: (a, t) for a in self.appendices for t in a.tasks}

    @property
    def units(self) -> dict[str, m.Unit]:
        return self._units


# ------------------------------------------------------------------ pydantic -> located issues

_FIELD_NAMES: set[str] = set()


def _collect_field_names(model: type[BaseModel]) -> None:
    _FIELD_NAMES.update(model.model_fields)


for _cls in vars(m).values():
    if isinstance(_cls, type) and issubclass(_cls, BaseModel) and _cls is not BaseModel:
        _collect_field_names(_cls)


def _data_path(data: Any, loc: tuple) -> tuple:
    """Map a pydantic error location onto the data: union tags dropped, a missing field kept."""
    path: list = []
    cur = data
    for i, part in enumerate(loc):
        if isinstance(part, str) and part.startswith(m.ITEM_TAG):
            continue
        if isinstance(cur, dict) and part in cur:
            path.append(part)
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and part < len(cur):
            path.append(part)
            cur = cur[part]
        elif isinstance(cur, dict) and i == len(loc) - 1:
            path.append(part)  # a missing field: point at its mapping, name the field
            cur = None
        # otherwise a validator's name (e.g. 'function-before[...]'): skip it
    return tuple(path)


def _describe(value: Any) -> str:
    if value is None:
        return "ô trống (chưa điền giá trị)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "một mục 'khóa: giá trị'" if value else "một mục rỗng {}"
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "…"


def _message(err: dict) -> str:
    t = err["type"]
    ctx = err.get("ctx") or {}
    got = err.get("input")
    name = err["loc"][-1] if err["loc"] else ""
    if t == "missing":
        return f"thiếu trường bắt buộc '{name}'"
    if t == "extra_forbidden":
        close = difflib.get_close_matches(str(name), sorted(_FIELD_NAMES), n=1, cutoff=0.6)
        hint = f"; có phải ý là '{close[0]}'?" if close else ""
        return f"trường '{name}' không có trong mẫu (gõ sai tên?){hint}"
    if t in ("string_type",):
        return f"cần một đoạn văn bản, gặp {_describe(got)}"
    if t in ("int_type", "int_parsing", "int_from_float"):
        return f"cần một số nguyên, gặp {_describe(got)}"
    if t in ("float_type", "float_parsing"):
        return f"cần một số, gặp {_describe(got)}"
    if t in ("bool_type", "bool_parsing"):
        return f"cần true hoặc false, gặp {_describe(got)}"
    if t.startswith("date_") or t.startswith("datetime_"):
        parts = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", got.strip()) if isinstance(got, str) else None
        if parts:
            try:
                day = dt.date(*map(int, parts.groups()))
            except ValueError:
                return f"ngày {got} không tồn tại"
            return f"cần ngày dạng YYYY-MM-DD, tháng và ngày đủ 2 chữ số: viết {day.isoformat()}, gặp '{got}'"
        return f"cần ngày dạng YYYY-MM-DD (ví dụ 2025-07-15), gặp {_describe(got)}"
    if t == "literal_error":
        expected = re.sub(r" or (?=')", " hoặc ", str(ctx.get("expected", "")))
        return f"giá trị phải là một trong: {expected}; gặp {_describe(got)}"
    if t == "string_pattern_mismatch":
        return (f"mã (id) chỉ gồm chữ thường không dấu, chữ số và '_', bắt đầu bằng chữ cái; "
                f"gặp {_describe(got)}")
    if t == "string_too_short":
        return "không được để trống"
    if t == "too_short":
        return f"cần ít nhất {ctx.get('min_length')} mục"
    if t == "too_long":
        return f"nhiều nhất {ctx.get('max_length')} mục"
    if t in ("list_type",):
        return f"cần một danh sách (mỗi mục một dòng bắt đầu bằng '- '), gặp {_describe(got)}"
    if t in ("dict_type", "model_type", "model_attributes_type"):
        return f"cần một mục gồm các trường 'khóa: giá trị', gặp {_describe(got)}"
    if t in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limit = next(iter(ctx.values()), "")
        op = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[t]
        return f"giá trị phải {op} {limit}, gặp {_describe(got)}"
    if t == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"]


def issues_from_validation(exc: ValidationError, data: Any, source: SourceMap,
                           prefix: tuple = ()) -> list[InputIssue]:
    errors = [(prefix + _data_path(data, err["loc"]), err) for err in exc.errors(include_url=False)]
    errors = _fold_typos(errors)
    out = []
    seen = set()
    for path, err in errors:
        line, col = source.locate(path)
        message = err["_message"] if "_message" in err else _message(err)
        issue = InputIssue(source.file, line, col, format_path(path), message)
        if issue not in seen:
            seen.add(issue)
            out.append(issue)
    return out


def _fold_typos(errors: list[tuple[tuple, dict]]) -> list[tuple[tuple, dict]]:
    """A misspelt key gives two errors: 'x' unknown and 'y' missing. Report it once, at the typo.

    An unknown key close to a missing field of the same mapping names that field; a body item
    with an unknown key (its missing 'p' is only the paragraph form tried last) keeps the unknown.
    """
    missing = {path: err for path, err in errors if err["type"] == "missing" and path}
    drop: set[tuple] = set()
    out = []
    for path, err in errors:
        if err["type"] == "extra_forbidden" and path:
            parent, name = path[:-1], str(path[-1])
            siblings = {p[-1]: p for p in missing if p[:-1] == parent}
            close = difflib.get_close_matches(name, sorted(map(str, siblings)), n=1, cutoff=0.6)
            if close:
                drop.add(siblings[close[0]])
                err = dict(err, _message=f"trường '{name}' không có trong mẫu (gõ sai tên?); "
                                         f"có phải ý là '{close[0]}'? (trường này đang thiếu)")
            elif "p" in siblings and _is_item(parent):
                drop.add(siblings["p"])
        out.append((path, err))
    return [(path, err) for path, err in out if path not in drop or err["type"] != "missing"]


def _is_item(path: tuple) -> bool:
    """A body item: ...items[i] (a paragraph, bullet, clause …)."""
    return len(path) >= 2 and isinstance(path[-1], int) and path[-2] == "items"


# ------------------------------------------------------------------ loading


def _display(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root.parent)) if root.parent != path else str(path)
    except ValueError:
        return str(path)


def _validate_file(root: Path, path: Path, model: type[BaseModel], issues: list[InputIssue],
                   loaded: dict, key: str):
    display = _display(root, path)
    if not path.exists():
        issues.append(InputIssue(display, 1, 1, "", f"thiếu tệp đầu vào bắt buộc {path.name}", rule="missing-file"))
        return None
    try:
        doc = load_yaml(path, display)
    except InputErrors as exc:
        issues.extend(exc.issues)
        return None
    loaded[key] = (doc, path)
    data = doc.data
    if data is None or not isinstance(data, dict):
        issues.append(InputIssue(display, 1, 1, "", "tệp phải là một mục gồm các trường 'khóa: giá trị'"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        issues.extend(issues_from_validation(exc, data, doc.source))
        return None


def load_inputs(root: Path) -> Inputs:
    """Load and validate every input under ``root``; raise ``InputErrors`` listing all problems."""
    root = Path(root)
    issues: list[InputIssue] = []
    loaded: dict = {}
    if not root.is_dir():
        raise InputErrors([InputIssue(str(root), 1, 1, "", "không có thư mục đầu vào này", rule="missing-file")])
    commune = _validate_file(root, root / COMMUNE_FILE, m.Commune, issues, loaded, "commune")
    plan = _validate_file(root, root / PLAN_FILE, m.Plan, issues, loaded, "plan")
    apps = _validate_file(root, root / APPENDICES_FILE, m.Appendices, issues, loaded, "appendices")
    folders = {}
    for folder, model in ((SUBPLANS_DIR, m.SubPlan), (REPORTS_DIR, m.ReportKind), (PROGRESS_DIR, m.Progress),
                          (CRITERIA_DIR, m.CriteriaSet)):
        found = []
        for path in sorted((root / folder).glob("*.yaml")) if (root / folder).is_dir() else []:
            key = f"{folder}/{path.name}"
            obj = _validate_file(root, path, model, issues, loaded, key)
            if obj is not None:
                found.append((key, obj))
        folders[folder] = found
    subplans = folders[SUBPLANS_DIR]
    if issues or commune is None or plan is None or apps is None:
        raise InputErrors(issues)
    inputs = Inputs(
        root=root, commune=commune, plan=plan, appendices=apps.appendices,
        subplans=[sp for _, sp in subplans],
        report_kinds=[k for _, k in folders[REPORTS_DIR]],
        progress=[p for _, p in folders[PROGRESS_DIR]],
        criteria=[c for _, c in folders[CRITERIA_DIR]],
        sources={k: v[0].source for k, v in loaded.items()},
        raw={k: v[0].data for k, v in loaded.items()},
        files={k: v[1] for k, v in loaded.items()},
    )
    inputs.subplan_keys = [k for k, _ in subplans]
    inputs.report_keys = [k for k, _ in folders[REPORTS_DIR]]
    inputs.progress_keys = [k for k, _ in folders[PROGRESS_DIR]]
    inputs.criteria_keys = [k for k, _ in folders[CRITERIA_DIR]]
    issues = check_references(inputs)
    if issues:
        raise InputErrors(issues)
    resolved = []
    for key, sp in zip(inputs.subplan_keys, inputs.subplans):
        sp, found = resolve_subplan(inputs, key, sp)
        issues.extend(found)
        resolved.append(sp)
    if issues:
        raise InputErrors(issues)
    inputs.subplans = resolved
    return inputs


# ------------------------------------------------------------------ cross references


def walk_strings(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from walk_strings(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from walk_strings(v, path + (i,))
    elif isinstance(data, str):
        yield path, data


class _Issues:
    def __init__(self, inputs: Inputs):
        self.inputs = inputs
        self.items: list[InputIssue] = []

    def add(self, key: str, path: tuple, message: str, rule: str = "ref", fix: str = "",
            severity: str = "error") -> None:
        src = self.inputs.sources[key]
        line, col = src.locate(path)
        self.items.append(InputIssue(src.file, line, col, format_path(path), message,
                                     severity=severity, rule=rule, fix=fix))


def _suggest(value: str, options) -> str:
    close = difflib.get_close_matches(value, sorted(options), n=1, cutoff=0.5)
    return f"có phải ý là '{close[0]}'?" if close else "các mã hợp lệ: " + ", ".join(sorted(options))


def check_references(inputs: Inputs) -> list[InputIssue]:
    out = _Issues(inputs)
    c = inputs.commune
    # duplicate ids
    for key, kind, items, label in [
        ("commune", "units", c.units, "đơn vị"),
        ("commune", "groups", c.groups, "nhóm đơn vị"),
        ("commune", "leaders", c.leaders, "lãnh đạo"),
        ("plan", "targets", inputs.plan.targets, "chỉ tiêu"),
        ("appendices", "appendices", inputs.appendices, "phụ lục"),
    ]:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in seen:
                out.add(key, (kind, i, "id"), f"mã {label} '{item.id}' bị trùng (đã dùng ở mục {seen[item.id] + 1})",
                        rule="ref-duplicate-id", fix="đặt một mã khác, không trùng")
            seen[item.id] = i
    unit_ids = set(inputs.units) | set(inputs.groups)
    clash = set(inputs.units) & set(inputs.groups)
    for i, g in enumerate(c.groups):
        if g.id in clash:
            out.add("commune", ("groups", i, "id"), f"mã '{g.id}' vừa là đơn vị vừa là nhóm đơn vị",
                    rule="ref-duplicate-id")
    seen_tasks: dict[str, tuple] = {}
    for ai, app in enumerate(inputs.appendices):
        if app.lead is not None and app.lead not in inputs.units:
            out.add("appendices", ("appendices", ai, "lead"), f"không có đơn vị mã '{app.lead}'",
                    fix=_suggest(app.lead, inputs.units))
        for ti, task in enumerate(app.tasks):
            base = ("appendices", ai, "tasks", ti)
            if task.id in seen_tasks:
                out.add("appendices", base + ("id",), f"mã nhiệm vụ '{task.id}' bị trùng", rule="ref-duplicate-id")
            seen_tasks[task.id] = base
            raw_task = inputs.raw["appendices"]["appendices"][ai]["tasks"][ti]
            for name, ids, valid, what in [("lead", task.lead or [], inputs.units, "đơn vị"),
                                           ("partners", task.partners, unit_ids, "đơn vị hay nhóm đơn vị")]:
                for i, uid in enumerate(ids):
                    if uid not in valid:
                        path = base + (name, i) if isinstance(raw_task.get(name), list) else base + (name,)
                        out.add("appendices", path, f"không có {what} mã '{uid}'", fix=_suggest(uid, valid))
    docs = [("plan", inputs.plan)] + list(zip(inputs.subplan_keys, inputs.subplans))
    for key, doc in docs:
        if doc.signature and doc.signature.signer not in inputs.leaders:
            out.add(key, ("signature", "signer"), f"không có lãnh đạo mã '{doc.signature.signer}'",
                    fix=_suggest(doc.signature.signer, inputs.leaders))
        if doc.issuer and doc.issuer not in inputs.units:
            out.add(key, ("issuer",), f"không có đơn vị mã '{doc.issuer}'", fix=_suggest(doc.issuer, inputs.units))
        if key != "plan":
            if doc.ordered_by not in inputs.tasks:
                out.add(key, ("ordered_by",), f"không có nhiệm vụ mã '{doc.ordered_by}' trong các phụ lục",
                        fix=_suggest(doc.ordered_by, inputs.tasks))
    from pipeline.kinds_check import check_kinds  # report kinds and criteria sets (issue 15)

    for key, path, message, value, options in check_kinds(inputs):
        out.add(key, path, message, fix=_suggest(value, options) if options else "")
    for key, kind in zip(inputs.report_keys, inputs.report_kinds):
        if kind.signature and kind.signature.signer not in inputs.leaders:
            out.add(key, ("signature", "signer"), f"không có lãnh đạo mã '{kind.signature.signer}'",
                    fix=_suggest(kind.signature.signer, inputs.leaders))
    from pipeline.reports import parse_period_code

    seen_periods: dict[str, str] = {}
    for key, prog in zip(inputs.progress_keys, inputs.progress):
        if parse_period_code(prog.period) is None:
            out.add(key, ("period",), f"kỳ báo cáo '{prog.period}' không hợp lệ",
                    fix="dùng dạng 2025-Q3 (quý), 2025-09 (tháng), 2025-H2 (6 tháng) hoặc 2025 (năm)")
        elif prog.period in seen_periods:
            out.add(key, ("period",), f"kỳ '{prog.period}' đã có trong {seen_periods[prog.period]}",
                    rule="ref-duplicate-id")
        seen_periods.setdefault(prog.period, key)
        for tid in prog.tasks:
            if tid not in inputs.tasks:
                out.add(key, ("tasks", tid), f"không có nhiệm vụ mã '{tid}' trong các phụ lục",
                        fix=_suggest(tid, inputs.tasks))
        for iid in prog.indicators:
            if iid not in inputs.targets:
                out.add(key, ("indicators", iid), f"không có chỉ tiêu mã '{iid}' trong plan.yaml (targets)",
                        fix=_suggest(iid, inputs.targets))
    # appendix links of the plan's clauses
    for path, value in _clause_appendix_links(inputs.raw["plan"]):
        if value not in inputs.appendix_index:
            out.add("plan", path, f"không có phụ lục mã '{value}'", fix=_suggest(value, inputs.appendix_index))
    # references inside text
    doc_ids = {inputs.plan.id} | {sp.id for sp in inputs.subplans}
    for key, data in inputs.raw.items():
        for path, text in walk_strings(data):
            for match in REF_RE.finditer(text):
                kind, ref, variant = match.groups()
                table = {"ct": inputs.targets, "pl": inputs.appendix_index, "dv": inputs.units,
                         "vb": doc_ids}[kind]
                what = REF_NAMES[kind]
                if ref not in table:
                    out.add(key, path, f"tham chiếu {match.group(0)}: không có {what} mã '{ref}'",
                            fix=_suggest(ref, table))
                elif variant not in REF_VARIANTS[kind]:
                    out.add(key, path, f"tham chiếu {match.group(0)}: dạng ':{variant}' không có",
                            fix="các dạng: " + ", ".join(sorted(v for v in REF_VARIANTS[kind] if v)))
    return out.items


def _clause_appendix_links(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, dict):
        if "clause" in data and isinstance(data.get("appendix"), str):
            yield path + ("appendix",), data["appendix"]
        for k, v in data.items():
            yield from _clause_appendix_links(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _clause_appendix_links(v, path + (i,))
