"""Stage 1: read the YAML inputs, keeping the line of every value.

PyYAML builds the node graph (with marks); we construct plain Python data from
it ourselves so that each value's position is remembered in a ``SourceMap``.
Duplicate keys (PyYAML silently keeps the last) are reported as errors, and all
text is normalised to Unicode NFC (TCVN 6909:2001), with a note of where it was
not.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import InputErrors, InputIssue

try:  # the C loader is ~5x faster; fall back where libyaml is missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

Path_ = tuple  # a path into the data: ("sections", 0, "items", 2)


@dataclass
class SourceMap:
    """Where each value of one YAML file stands: path -> (line, column), 1-based."""

    file: str
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    non_nfc: list[tuple] = field(default_factory=list)
    # single-line scalars: path -> 1 when quoted, 0 when plain (offsets inside them map to columns)
    inline: dict[tuple, int] = field(default_factory=dict)

    def locate_in(self, path: tuple, offset: int) -> tuple[int, int]:
        """Line and column of character ``offset`` inside the string at ``path``."""
        path = tuple(path)
        if path in self.inline and path in self.positions:
            line, col = self.positions[path]
            return line, col + self.inline[path] + offset
        return self.positions.get(path) or self.locate(path)

    def locate(self, path: tuple) -> tuple[int, int]:
        """Line and column of ``path``, or of its nearest existing parent."""
        path = tuple(path)
        while path:
            if path in self.key_positions:
                return self.key_positions[path]
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


@dataclass
class Loaded:
    data: Any
    source: SourceMap


def format_path(path: tuple) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, source: SourceMap):
        self.loader = loader
        self.source = source
        self.issues: list[InputIssue] = []

    def build(self, node: yaml.Node, path: tuple) -> Any:
        self.source.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            result: dict = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                if isinstance(key, str):
                    key = self._text(key, path + (key,))
                child = path + (key,)
                self.source.key_positions[child] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
                if key in result:
                    line, col = self.source.key_positions[child]
                    self.issues.append(
                        InputIssue(
                            self.source.file, line, col, format_path(child),
                            f"khóa '{key}' bị lặp lại trong cùng một mục; chỉ giữ một khóa",
                            rule="yaml-duplicate-key",
                        )
                    )
                result[key] = self.build(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        try:
            value = self.loader.construct_object(node, deep=True)
        except ValueError:  # an impossible timestamp such as 2025-02-30: the schema reports it
            value = node.value
        if isinstance(value, str):
            value = self._text(value, path)
            if node.start_mark.line == node.end_mark.line and node.style in (None, '', '"', "'"):
                raw = node.start_mark.buffer[node.start_mark.index:node.end_mark.index] if node.start_mark.buffer else None
                if raw is None or "\\" not in raw and "''" not in raw:  # escapes would shift offsets
                    self.source.inline[path] = 1 if node.style else 0
        return value

    def _text(self, value: str, path: tuple) -> str:
        normal = unicodedata.normalize("NFC", value)
        if normal != value:
            self.source.non_nfc.append(path)
        return normal


def load_yaml(path: Path, display: str | None = None) -> Loaded:
    """Parse one YAML file; raise ``InputErrors`` with a located message on failure."""
    display = display or str(path)
    source = SourceMap(display)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputErrors([InputIssue(display, 1, 1, "", f"tệp không phải UTF-8 ({exc.reason}); hãy lưu lại với mã hóa UTF-8", rule="yaml")])
    except OSError as exc:
        raise InputErrors([InputIssue(display, 1, 1, "", f"không đọc được tệp: {exc.strerror}", rule="yaml")])
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Loaded({}, source)
        builder = _Builder(loader, source)
        data = builder.build(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "cú pháp YAML không hợp lệ"
        raise InputErrors([InputIssue(display, line, col, "", f"lỗi cú pháp YAML: {problem} (kiểm tra thụt lề, dấu ':' và dấu ngoặc kép)", rule="yaml")])
    except yaml.YAMLError as exc:
        raise InputErrors([InputIssue(display, 1, 1, "", f"lỗi cú pháp YAML: {exc}", rule="yaml")])
    finally:
        loader.dispose()
    if builder.issues:
        raise InputErrors(builder.issues)
    return Loaded(data, source)
