"""A form's values written into a YAML input file, the file's text kept as typed.

Fields are named by the dotted path the validation and the lint name them by
(``appendices[0].tasks[1].content``), so a finding lands at its field. A save sets the changed
values in the loaded data and ``inputs.yamlpatch.patch`` rewrites only those values in the text:
changing one task's content changes that one line. Rows of a block list (a task table) are
added, moved and removed as whole blocks of lines, comments and layout of the other rows kept.

The edited text is validated before it is written (``check``: the inputs folder copied with the
new text and read by ``inputs.validate.load_inputs``, then ``lint.linter.lint``): an edit that makes
the file unreadable (a value of the wrong kind, an unknown code) is shown at its field and not
written; the lint's findings (a spelling slip) are written and shown. Nothing corrupts a file.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import InputErrors, InputIssue
from pipeline.inputs.yamlpatch import flow_text, patch, scalar_text

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: ~6× faster, same marks

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
NEW_ROW_CONTENT = "CẦN ĐIỀN"  # decree.labels.PLACEHOLDER: what the lint asks the office to fill


def parse_path(text: str) -> tuple:
    """``a.b[2].c`` → ("a", "b", 2, "c")."""
    steps: list = []
    for m in _STEP.finditer(text):
        steps.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
    return tuple(steps)


def path_text(path: tuple) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def get_at(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


def _typed(old: Any, given: str) -> Any:
    """The value a clerk typed, of the kind the file held there (a date stays a date when it parses)."""
    given = given.replace("\r\n", "\n")
    if isinstance(old, str) or old is None:
        return given if given != "" or old is not None else None
    try:
        value = yaml.safe_load(given)
    except yaml.YAMLError:
        return given
    return value if type(value) is type(old) else given


def _set_scalar(text: str, path: tuple, value: Any) -> str:
    """``text`` with the scalar at ``path`` rewritten in place (its quoting kept where the value allows)."""
    node, in_flow = yaml.compose(text, Loader=LOADER), False
    for step in path:
        in_flow = in_flow or bool(getattr(node, "flow_style", False))
        node = node.value[step] if isinstance(node, yaml.SequenceNode) else \
            next(v for k, v in node.value if k.value == step)
    if not isinstance(node, yaml.ScalarNode):
        raise ValueError(path)
    start, end = node.start_mark.index, node.end_mark.index
    return text[:start] + scalar_text(value, node.style, in_flow) + text[end:]


def apply_values(text: str, values: dict[str, str]) -> tuple[str, list[str]]:
    """``text`` with the fields of ``values`` (path → typed text) set; and the paths that changed.

    Each changed scalar is rewritten where it stands; the result must load as the intended data,
    else the whole edit goes through ``yamlpatch.patch`` (which refuses anything else changing)."""
    data = yaml.load(text, Loader=LOADER)
    new = copy.deepcopy(data)
    changed: list[str] = []
    for name, given in values.items():
        path = parse_path(name)
        try:
            parent, old = get_at(new, path[:-1]), get_at(new, path)
        except (KeyError, IndexError, TypeError):
            continue  # a field of a row that another save removed: nothing to set
        if isinstance(old, (dict, list)):
            continue
        value = _typed(old, given)
        if value != old:
            parent[path[-1]] = value
            changed.append(name)
    out = text
    try:
        for name in changed:
            out = _set_scalar(out, parse_path(name), get_at(new, parse_path(name)))
        if yaml.load(out, Loader=LOADER) == new:
            return out, changed
    except (ValueError, StopIteration, yaml.YAMLError):
        pass
    return patch(text, new), changed


# ----------------------------------------------------------------------------- rows of a block list

def _node_at(root: yaml.Node, path: tuple) -> yaml.Node:
    node = root
    for step in path:
        if isinstance(node, yaml.SequenceNode):
            node = node.value[step]
        else:
            node = next(v for k, v in node.value if k.value == step)
    return node


def _row_spans(text: str, list_path: tuple) -> tuple[list[tuple[int, int]], str]:
    """Each row of the block list at ``list_path`` as (start, end) offsets of its whole lines, and
    its indentation. Comments above a row belong to it; a list in flow style ``[…]`` is refused."""
    node = _node_at(yaml.compose(text, Loader=yaml.SafeLoader), list_path)
    if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
        raise ValueError("không phải danh sách nhiều dòng")
    lines = text.splitlines(keepends=True)
    starts = [sum(len(l) for l in lines[:i]) for i in range(len(lines) + 1)]
    rows = [item.start_mark.line for item in node.value]  # the line of each "- "
    first = list(rows)
    for i in range(len(rows)):  # comment lines right above a row go with it
        while first[i] > (rows[i - 1] if i else -1) + 1 and lines[first[i] - 1].lstrip().startswith("#") \
                and (i == 0 or first[i] - 1 > _last_line(node.value[i - 1])):
            first[i] -= 1
    end_line = _last_line(node.value[-1]) + 1
    ends = first[1:] + [end_line]
    indent = lines[rows[0]][:len(lines[rows[0]]) - len(lines[rows[0]].lstrip())]
    return [(starts[a], starts[b]) for a, b in zip(first, ends)], indent


def _last_line(node: yaml.Node) -> int:
    """The line a node's last value ends on (a block collection's own end mark lies at the next token)."""
    while isinstance(node, (yaml.SequenceNode, yaml.MappingNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    end = node.end_mark
    return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line


def move_row(text: str, list_path: tuple, index: int, delta: int) -> str:
    spans, _ = _row_spans(text, list_path)
    other = index + delta
    if not (0 <= index < len(spans) and 0 <= other < len(spans)):
        return text
    a, b = sorted((index, other))
    (s1, e1), (s2, e2) = spans[a], spans[b]
    return text[:s1] + text[s2:e2] + text[e1:s2] + text[s1:e1] + text[e2:]


def delete_row(text: str, list_path: tuple, index: int) -> str:
    spans, _ = _row_spans(text, list_path)
    if len(spans) <= 1 or not 0 <= index < len(spans):
        return text  # the last row stays: a table of no task is not a table the schema reads
    s, e = spans[index]
    return text[:s] + text[e:]


NEW_ID = {"tasks": "nhiem_vu_moi", "units": "don_vi_moi", "leaders": "lanh_dao_moi", "targets": "chi_tieu_moi"}


CODE_KEYS = ("lead", "partners")  # unit codes: a new row takes its neighbour's, a text to fill would not load


def new_row(rows: list, list_path: tuple, taken: set[str]) -> dict:
    """A row shaped like the rows of ``rows``: a fresh ``id`` and the keys every row has, in the first
    row's order; texts and lists of texts still to fill (``CẦN ĐIỀN``), unit codes and other values
    (a deadline, a number) as in the row above, for the clerk to change."""
    dicts = [r for r in rows if isinstance(r, dict)]
    first = dicts[0] if dicts else {}
    common = [k for k in first if all(k in r for r in dicts)]
    main = "content" if "content" in first else next(
        (k for k, v in first.items() if k != "id" and isinstance(v, str)), "content")
    prefix = NEW_ID.get(str(list_path[-1]), "moi")
    n = len(rows) + 1
    while f"{prefix}_{n}" in taken:
        n += 1
    row: dict = {"id": f"{prefix}_{n}", main: NEW_ROW_CONTENT}
    for key in common:
        value = dicts[-1][key]
        if key in row:
            continue
        if key in CODE_KEYS or not isinstance(value, (str, list)):
            row[key] = copy.deepcopy(value)
        elif isinstance(value, str):
            row[key] = NEW_ROW_CONTENT
        elif all(isinstance(v, str) for v in value):
            row[key] = [NEW_ROW_CONTENT]
        else:
            row[key] = copy.deepcopy(value)
    return row


def add_row(text: str, list_path: tuple, taken: set[str]) -> str:
    """``new_row`` at the end of the block list at ``list_path``, in block style, one key a line."""
    spans, indent = _row_spans(text, list_path)
    row = new_row(get_at(yaml.load(text, Loader=LOADER), list_path), list_path, taken)
    lines = [f"{indent}{'- ' if i == 0 else '  '}{key}: "
             + (flow_text(value) if isinstance(value, (dict, list)) else scalar_text(value, None, False))
             for i, (key, value) in enumerate(row.items())]
    end = spans[-1][1]
    head = text[:end] if text[:end].endswith("\n") else text[:end] + "\n"
    return head + "\n".join(lines) + "\n" + text[end:]


# ----------------------------------------------------------------------------- validation

@dataclass
class Checked:
    issues: list[InputIssue] = field(default_factory=list)  # findings located in their files
    readable: bool = True  # the inputs load (validation passed): the edit may be written


class Shadow:
    """A copy of the inputs folder kept beside the workspace, where an edit not yet saved is checked.

    Files are copied again only when their size or time changed on disk (``sync``); the edited file is
    put back after each check. One check at a time (a lock): lint requests come from a thread pool."""

    def __init__(self, inputs_dir: Path, under: Path):
        self.source = Path(inputs_dir)
        self.folder = Path(under) / self.source.name  # the same folder name: findings name files alike
        self.seen: dict[str, tuple[int, int]] = {}
        self.lock = threading.Lock()

    def sync(self) -> None:
        now: dict[str, tuple[int, int]] = {}
        for path in self.source.rglob("*"):
            parts = path.relative_to(self.source).parts
            if any(part.startswith(".") for part in parts) or not (path.is_file() or path.is_symlink()):
                continue
            st = path.lstat()
            now["/".join(parts)] = (st.st_size, st.st_mtime_ns)
        for gone in set(self.seen) - set(now):
            (self.folder / gone).unlink(missing_ok=True)
        for name, stamp in now.items():
            if self.seen.get(name) != stamp:
                self._copy(name)
        self.seen = now

    def _copy(self, rel: str) -> None:
        """A file copied; a symbolic link copied as the same link (the validation judges where it leads,
        as it does in the real folder: a link out of the inputs is refused there too)."""
        src, dst = self.source / rel, self.folder / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst.is_symlink() or dst.exists():
            dst.unlink()
        if src.is_symlink():
            os.symlink(os.readlink(src), dst)
        else:
            shutil.copyfile(src, dst)

    def check(self, rel: str | None = None, text: str | None = None) -> Checked:
        with self.lock:
            self.sync()
            if rel is None or text is None:
                return _checked(self.folder)
            target = self.folder / rel
            target.write_text(text, encoding="utf-8", newline="")
            try:
                return _checked(self.folder)
            finally:
                self._copy(rel)


def check(inputs_dir: Path, rel: str | None = None, text: str | None = None) -> Checked:
    """The validation and lint of the commune's inputs as the CLI runs them, with ``rel`` (a file
    inside ``inputs_dir``) holding ``text`` instead of what is on disk."""
    with tempfile.TemporaryDirectory(prefix="vanban-ws-") as tmp:
        return Shadow(inputs_dir, Path(tmp)).check(rel, text)


def _checked(folder: Path) -> Checked:
    from pipeline.inputs.validate import load_inputs
    from pipeline.lint.linter import lint

    try:
        inputs = load_inputs(folder)
    except InputErrors as exc:
        return Checked(sorted(exc.issues), readable=not any(i.severity == "error" for i in exc.issues))
    return Checked(lint(inputs) + list(inputs.notes))


def issues_of(checked: Checked, inputs_name: str, rel: str) -> dict[str, list[InputIssue]]:
    """The findings of file ``rel`` by field path."""
    want = f"{inputs_name}/{rel}"
    out: dict[str, list[InputIssue]] = {}
    for issue in checked.issues:
        if issue.file.replace("\\", "/").endswith(want):
            out.setdefault(issue.path, []).append(issue)
    return out


def file_of(issue: InputIssue, inputs_name: str) -> str:
    """The file of a finding, relative to the inputs folder."""
    name = issue.file.replace("\\", "/")
    marker = f"{inputs_name}/"
    return name.split(marker, 1)[1] if marker in name else name
