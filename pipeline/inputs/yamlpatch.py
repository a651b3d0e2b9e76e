"""A YAML file's text changed to hold new values, everything else kept as typed (used by ``carry``).

``patch(text, new)`` compares the file's nodes with ``new`` (the data the file should load as)
and rewrites only the values that differ, in place: a scalar keeps its quoting where the new
value allows it, a list or mapping that changed shape is written in flow style where it stood.
Comments, blank lines, key order and the layout of everything unchanged stay byte for byte.
``comment`` rewrites the text of each comment; ``notes`` puts a comment line above the values
at the given paths. The result is loaded again and must equal ``new``: an edit that would
change anything else is a bug, never written.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

import yaml

KeyPath = tuple  # (key or index, …) as in pipeline.inputs.load


def _plain_ok(value: str, in_flow: bool) -> bool:
    if not value or "\n" in value or value != value.strip():
        return False
    if re.fullmatch(r"[\dQq:.+-]+", value):  # "2026-01", "2026-Q1": written quoted, as the files' comments ask
        return False
    probe = f"[{value}]" if in_flow else f"k: {value}"
    try:
        loaded = yaml.safe_load(probe)
    except yaml.YAMLError:
        return False
    return loaded == ([value] if in_flow else {"k": value})


def _quoted(value: str) -> str:
    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=float("inf")).rstrip("\n")


def scalar_text(value: Any, style: str | None, in_flow: bool) -> str:
    """``value`` written as a YAML scalar: plain when it was plain and stays readable as itself."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if style in (None, "") and _plain_ok(text, in_flow):
        return text
    return _quoted(text)


def flow_text(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=float("inf"),
                          sort_keys=False).strip()


class _Walk:
    def __init__(self, loader: yaml.SafeLoader):
        self.loader = loader
        self.edits: dict[int, tuple[int, str]] = {}  # start -> (end, new text)
        self.places: dict[KeyPath, yaml.Node] = {}

    def value(self, node: yaml.Node) -> Any:
        return self.loader.construct_object(node, deep=True)

    def visit(self, node: yaml.Node, new: Any, path: KeyPath, in_flow: bool = False) -> None:
        self.places[path] = node
        if isinstance(node, yaml.ScalarNode):
            old = self.value(node)
            if old != new or type(old) is not type(new):
                self.edits[node.start_mark.index] = (_scalar_end(node), scalar_text(new, node.style, in_flow))
            return
        flow = in_flow or bool(node.flow_style)
        if isinstance(node, yaml.SequenceNode) and isinstance(new, list) and len(new) == len(node.value):
            for i, (child, item) in enumerate(zip(node.value, new)):
                self.visit(child, item, path + (i,), flow)
            return
        if isinstance(node, yaml.MappingNode) and isinstance(new, dict):
            keys = [self.value(k) for k, _ in node.value]
            if keys == list(new):
                for (_, child), key in zip(node.value, keys):
                    self.visit(child, new[key], path + (key,), flow)
                return
        if self.value(node) != new:
            self.edits[node.start_mark.index] = (node.end_mark.index, flow_text(new))


def _scalar_end(node: yaml.ScalarNode) -> int:
    """Where a scalar's text ends: a block scalar's (``|``, ``>-``) mark runs over the line breaks after it,
    which belong to the lines around it and stay when the scalar is rewritten on one line."""
    end = node.end_mark.index
    buffer = node.end_mark.buffer
    if node.style in ("|", ">") and buffer is not None:
        while end > node.start_mark.index and buffer[end - 1] in " \t\r\n":
            end -= 1
    return end


def _apply(text: str, edits: dict[int, tuple[int, str]]) -> str:
    for start in sorted(edits, reverse=True):
        end, new = edits[start]
        text = text[:start] + new + text[end:]
    return text


def _comments(text: str, scalars: list[tuple[int, int]], rewrite: Callable[[str], str]) -> str:
    """Each comment (from '#' to the end of its line, outside any scalar) rewritten."""
    inside = sorted(scalars)
    out, at, k = [], 0, 0
    i = text.find("#")
    while i >= 0:
        while k < len(inside) and inside[k][1] <= i:
            k += 1
        in_scalar = k < len(inside) and inside[k][0] <= i < inside[k][1]
        if not in_scalar and (i == 0 or text[i - 1] in " \t\n"):
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            out += [text[at:i], rewrite(text[i:end])]
            at = end
            i = text.find("#", end)
        else:
            i = text.find("#", i + 1)
    return "".join(out) + text[at:]


def _note_lines(text: str, places: dict[KeyPath, yaml.Node], notes: dict[KeyPath, list[str]]) -> str:
    lines = text.split("\n")
    above: dict[int, list[str]] = {}
    for path, reasons in notes.items():
        node = places.get(path)
        if node is not None:
            above.setdefault(node.start_mark.line, []).extend(reasons)
    for line in sorted(above, reverse=True):
        indent = lines[line][:len(lines[line]) - len(lines[line].lstrip())]
        lines[line:line] = [f"{indent}# {reason}" for reason in dict.fromkeys(above[line])]
    return "\n".join(lines)


def _loads(text: str) -> Any:
    return yaml.load(text, Loader=yaml.SafeLoader)


def _walked(text: str, new: Any) -> tuple[_Walk, yaml.Node | None]:
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        walk = _Walk(loader)
        if root is not None:
            walk.visit(root, new, ())
    finally:
        loader.dispose()
    return walk, root


def _scalar_spans(node: yaml.Node | None) -> list[tuple[int, int]]:
    spans, stack = [], [node] if node is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            spans.append((node.start_mark.index, node.end_mark.index))
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
        elif isinstance(node, yaml.MappingNode):
            stack += [n for pair in node.value for n in pair]
    return spans


def patch(text: str, new: Any, comment: Callable[[str], str] | None = None,
          notes: dict[KeyPath, list[str]] | None = None) -> str:
    """``text`` rewritten to load as ``new``, with its comments rewritten and notes above values."""
    if comment is not None:
        text = _comments(text, _scalar_spans(yaml.compose(text, Loader=yaml.SafeLoader)), comment)
    walk, root = _walked(text, new)
    if root is None:
        return text if new is None else text + flow_text(new) + "\n"
    out = _apply(text, walk.edits)
    if _loads(out) != new:
        raise AssertionError("yamlpatch: the edited text does not load as the new values")
    if notes:
        noted = _note_lines(out, _walked(out, new)[0].places, notes)
        if _loads(noted) == new:  # a note that would change a value (inside a text over lines) is left out
            out = noted
    return out


def set_keys(text: str, values: dict[str, Any], after: tuple[str, ...] = ("id",)) -> str:
    """``text`` (a YAML mapping) with the top-level ``values`` set: a key present has its value
    rewritten in place (``patch``), a key absent gets a line of its own below the last of ``after``
    present (else at the end). Everything else stays byte for byte."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise ValueError("yamlpatch.set_keys: the file is not a mapping")
    keys = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    missing = [k for k in values if k not in keys]
    if missing:
        anchor = next((keys[k] for k in reversed(after) if k in keys), None)
        lines = text.split("\n")
        at = len(lines) if anchor is None else anchor.end_mark.line + (1 if anchor.end_mark.column else 0)
        if anchor is None and lines and lines[-1] == "":
            at -= 1
        added = [f"{k}: {scalar_text(values[k], None, False)}" for k in missing]
        text = "\n".join(lines[:at] + added + lines[at:])
    new = _loads(text)
    new.update(values)
    return patch(text, new)
