"""Read the YAML inputs, keeping the line of every value.

PyYAML builds the node graph (with marks); we construct plain Python data from
it ourselves so that each value's position is remembered in a ``SourceMap``.
Duplicate keys (PyYAML silently keeps the last) are reported as errors, and all
text is normalised to Unicode NFC (TCVN 6909:2001), with a note of where it was
not.
"""

from __future__ import annotations

import copy

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import InputErrors, InputIssue
from pipeline.inputs.files import read_input
from pipeline.inputs.syntax import GENERAL, syntax_error

try:  # the C loader is ~5x faster; fall back where libyaml is missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

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


MAX_DEPTH = 50  # nested lists/mappings; real inputs use fewer than 10
NODE_BUDGET = 20_000  # values built from one file, aliases expanded; the bundled inputs have under 300 a file
MAX_TEXT = 20_000  # characters of one value (about six pages); the bundled inputs' longest is under 700
_CONTROL_NAMES = {"\x00": "ký tự rỗng (NUL)", "\r": "ký tự về đầu dòng (CR)", "\f": "ký tự ngắt trang (form feed)",
                  "\x0b": "ký tự tab dọc", "\x08": "ký tự xóa lùi (backspace)", "\x1b": "ký tự ESC",
                  "\x85": "ký tự xuống dòng NEL", "\x07": "ký tự chuông (BEL)"}
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
_SIMPLE_ESCAPES = {"0": "\x00", "a": "\x07", "b": "\x08", "t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c",
                   "r": "\r", "e": "\x1b", "N": "\x85", "\t": "\t"}

# what no document may carry: controls other than tab and newline, surrogates, U+FFFE/FFFF
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def describe_char(ch: str) -> str:
    name = _CONTROL_NAMES.get(ch) or "ký tự điều khiển không in được"
    return f"U+{ord(ch):04X} ({name})"


def _raw_offset(raw: str, ch: str) -> int | None:
    """Where in the source text of a scalar the character ``ch`` is written, directly or as an escape."""
    direct = raw.find(ch)
    found = None if direct < 0 else direct
    if raw.startswith('"'):
        for m in _ESCAPE.finditer(raw):
            code = m.group(1)
            made = chr(int(code[1:], 16)) if code[0] in "xuU" and len(code) > 1 else _SIMPLE_ESCAPES.get(code)
            if made == ch:
                return m.start() if found is None else min(found, m.start())
    return found


_SKIP = object()  # a key that was reported and is left out
_STR_TAG = "tag:yaml.org,2002:str"


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, source: SourceMap, text: str = ""):
        self.loader = loader
        self.source = source
        self.text = text
        self.issues: list[InputIssue] = []
        self.built = 0

    def _issue(self, node: yaml.Node, path: tuple, message: str, rule: str, offset: int | None = None) -> None:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        if offset is not None:
            raw = self.text[node.start_mark.index:node.start_mark.index + offset]
            line += raw.count("\n")
            col = (offset - raw.rfind("\n")) if "\n" in raw else col + offset
        self.issues.append(InputIssue(self.source.file, line, col, format_path(path), message, rule=rule))

    def _key(self, key_node: yaml.Node, path: tuple) -> Any:
        if not isinstance(key_node, yaml.ScalarNode):
            kind = "một danh sách [ ]" if isinstance(key_node, yaml.SequenceNode) else "một mục { }"
            self._issue(key_node, path, f"tên trường phải là chữ, ở đây lại là {kind}; văn bản có dấu "
                        "'{', '[' hay '?' (ví dụ '{{ … }}') phải đặt cả giá trị trong ngoặc kép", "yaml-complex-key")
            return _SKIP
        if key_node.tag == "tag:yaml.org,2002:merge":
            self._issue(key_node, path, "khóa gộp '<<' không được dùng trong dữ liệu vanban; hãy viết đủ các trường",
                        "yaml-merge-key")
            return _SKIP
        return self._scalar(key_node)

    def _scalar(self, node: yaml.Node) -> Any:
        """What the safe loader makes of a scalar node; a string (nearly every one) without its machinery."""
        if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
            return node.value  # SafeConstructor.construct_yaml_str returns exactly this
        return self.loader.construct_object(node, deep=True)

    def build(self, node: yaml.Node, path: tuple) -> Any:
        self.built += 1
        if self.built > NODE_BUDGET or len(path) > MAX_DEPTH:  # aliases can nest (even refer to themselves)
            raise _TooBig(node)
        self.source.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict = {}
            for key_node, value_node in node.value:
                key = self._key(key_node, path)
                if key is _SKIP:
                    continue
                if isinstance(key, str):
                    key = self._text(key, path + (key,), key_node)
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
            value = self._scalar(node)
        except ValueError:  # an impossible timestamp such as 2025-02-30: the schema reports it
            value = node.value
        if isinstance(value, str):
            value = self._text(value, path, node)
            if node.start_mark.line == node.end_mark.line and node.style in (None, '', '"', "'"):
                raw = self.text[node.start_mark.index:node.end_mark.index]
                if "\\" not in raw and "''" not in raw:  # escapes would shift offsets
                    self.source.inline[path] = 1 if node.style else 0
        return value

    def _text(self, value: str, path: tuple, node: yaml.Node | None = None) -> str:
        if len(value) > MAX_TEXT and node is not None:
            self._issue(node, path, f"văn bản dài {_count(len(value))} ký tự, quá giới hạn {_count(MAX_TEXT)} ký tự "
                        "của một trường (khoảng 6 trang): hãy chia thành nhiều đoạn (mỗi đoạn một mục '- ')",
                        "text-too-long")
            return value[:MAX_TEXT]
        found = _FORBIDDEN.search(value)
        if found and node is not None:
            bad = found.group()
            raw = self.text[node.start_mark.index:node.end_mark.index]
            self._issue(node, path, f"có {describe_char(bad)} — ký tự này không hiện ra trong văn bản Word; "
                        "hãy xóa nó (thường do sao chép từ tệp khác)", "control-char", _raw_offset(raw, bad))
        normal = unicodedata.normalize("NFC", value)
        if normal != value:
            self.source.non_nfc.append(path)
        return normal


class _TooBig(Exception):
    def __init__(self, node: yaml.Node):
        self.node = node


def _too_many(display: str, mark, aliases: bool) -> InputErrors:
    if aliases:
        what = (f"dữ liệu mở rộng quá lớn hoặc quá sâu (hơn {_count(NODE_BUDGET)} giá trị hay {MAX_DEPTH} cấp, do "
                "bí danh '*tên' lồng nhau nhân bản dữ liệu)")
    else:
        what = (f"tệp có quá nhiều giá trị (hơn {_count(NODE_BUDGET)}; một tệp dữ liệu của xã thường có dưới "
                "1.000): có lẽ đã chép nhầm dữ liệu khác vào đây")
    return InputErrors([InputIssue(display, mark.line + 1, mark.column + 1, "", f"{what}; vanban không đọc tệp này",
                                   rule="yaml-alias-budget" if aliases else "yaml-too-many")])


def _count(n: int) -> str:
    """A count as Vietnamese writes it: 20.000."""
    return f"{n:,}".replace(",", ".")


_VALUE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)


def _prescan(text: str, display: str) -> int:
    """Nesting depth, values and aliases, from the parser's events (nothing is built yet); raises as
    soon as the file is too deep or has too many values, so that a huge file is refused at once."""
    loader = _Loader(text)
    depth, aliases, values = 0, 0, 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _VALUE_EVENTS):
                values += 1
                if values > NODE_BUDGET:
                    raise _too_many(display, event.start_mark, aliases=False)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise InputErrors([InputIssue(display, mark.line + 1, mark.column + 1, "",
                                                  f"dữ liệu lồng nhau quá sâu (hơn {MAX_DEPTH} cấp danh sách/mục "
                                                  "lồng trong nhau); vanban không đọc tệp này", rule="yaml-depth")])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
    finally:
        loader.dispose()
    return aliases


def _parse(text: str, display: str, source: SourceMap) -> tuple[Any, list[InputIssue]]:
    """The data of one file's text and the issues met while building it; raises on what stops reading."""
    loader = None
    try:
        _prescan(text, display)
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return {}, []
        builder = _Builder(loader, source, text)
        return builder.build(node, ()), builder.issues
    except _TooBig as exc:
        raise _too_many(display, exc.node.start_mark, aliases=True) from None
    except yaml.MarkedYAMLError as exc:
        line, col, message = syntax_error(exc, text)
        raise InputErrors([InputIssue(display, line, col, "", message, rule="yaml")]) from None
    except yaml.reader.ReaderError as exc:  # a raw control character in the file itself
        before = text[:exc.position] if _Loader is yaml.SafeLoader else \
            text.encode("utf-8")[:exc.position].decode("utf-8", "ignore")  # libyaml counts bytes here
        line, col = before.count("\n") + 1, len(before) - before.rfind("\n")
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        raise InputErrors([InputIssue(display, line, col, "", f"có {describe_char(char)} — ký tự này không hiện ra "
                                      "trong văn bản Word; hãy xóa nó (thường do sao chép từ tệp khác)",
                                      rule="control-char")]) from None
    except yaml.YAMLError:
        raise InputErrors([InputIssue(display, 1, 1, "", f"lỗi cú pháp YAML: {GENERAL}", rule="yaml")]) from None
    finally:
        if loader is not None:
            loader.dispose()


# Parses remembered by file name and text, for a process that reads the same inputs again and again (the
# workspace checks every file at each keystroke, one of them changed): off unless ``remember_parses`` is
# called. A hit is the same source map with a deep copy of the data (≈ a tenth of a parse), so no reader
# can change what the next one gets.
_REMEMBERED: dict[tuple[str, str], Loaded] | None = None
REMEMBERED_FILES = 256  # forgotten all at once beyond this: an office's inputs are a few dozen files


def remember_parses() -> None:
    """From now on, a file read again with the same text is not parsed again (this process only)."""
    global _REMEMBERED
    if _REMEMBERED is None:
        _REMEMBERED = {}


def load_yaml(path: Path, display: str | None = None, within: Path | None = None) -> Loaded:
    """Parse one YAML file (read by ``files.read_input``: a bounded regular file, and through a
    symbolic link only inside ``within``); raise ``InputErrors`` with a located message on failure."""
    display = display or str(path)
    text = read_input(path, display, within)
    if _REMEMBERED is not None and (hit := _REMEMBERED.get((display, text))) is not None:
        return Loaded(copy.deepcopy(hit.data), hit.source)
    source = SourceMap(display)
    data, issues = _parse(text, display, source)
    if issues:
        raise InputErrors(issues)
    if _REMEMBERED is not None:
        if len(_REMEMBERED) >= REMEMBERED_FILES:
            _REMEMBERED.clear()
        _REMEMBERED[(display, text)] = Loaded(copy.deepcopy(data), source)
    return Loaded(data, source)
