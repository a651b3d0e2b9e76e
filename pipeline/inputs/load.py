"""Read the YAML inputs, keeping the line of every value.

PyYAML builds the node graph (with marks); we construct plain Python data from
it ourselves so that each value's position is remembered in a ``SourceMap``.
Duplicate keys (PyYAML silently keeps the last) are reported as errors, and all
text is normalised to Unicode NFC (TCVN 6909:2001), with a note of where it was
not.
"""

from __future__ import annotations

import re
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


def _prescan(text: str, display: str) -> int:
    """Nesting depth and aliases, from the parser's events (nothing is built yet); raises when too deep."""
    loader = _Loader(text)
    depth, aliases = 0, 0
    try:
        while loader.check_event():
            event = loader.get_event()
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


# PyYAML's problems, in the words of what the office should check.
_YAML_PROBLEMS = {
    "mapping values are not allowed": "dấu ':' không được đứng ở đây — văn bản có dấu ':' phải đặt trong "
                                      "dấu ngoặc kép, hoặc dòng này thụt lề sai",
    "did not find expected key": "thụt lề không thẳng với các dòng cùng cấp, hoặc một dấu ngoặc kép chưa đóng",
    "did not find expected ',' or ']'": "danh sách mở bằng '[' chưa đóng bằng ']' (hoặc thiếu dấu ',')",
    "did not find expected ',' or '}'": "mục mở bằng '{' chưa đóng bằng '}' (hoặc thiếu dấu ',')",
    "did not find expected '-' indicator": "thụt lề không đều: mỗi mục danh sách bắt đầu bằng '- ', "
                                           "thẳng cột với các mục khác",
    "found character that cannot start any token": "ký tự không được đứng đầu (thường là phím Tab: hãy thụt lề "
                                                   "bằng dấu cách; văn bản bắt đầu bằng '@' hay '`' phải đặt "
                                                   "trong ngoặc kép)",
    "found unexpected end of stream": "dấu ngoặc kép chưa đóng",
    "found unknown escape character": "dấu '\\' trong ngoặc kép \"…\": dùng ngoặc đơn '…' hoặc viết hai dấu '\\\\'",
    "found undefined alias": "văn bản bắt đầu bằng '*' phải đặt trong ngoặc kép",
    "could not find expected ':'": "thiếu dấu ':' sau tên trường",
}


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """Line, column and a Vietnamese message for a YAML syntax error.

    PyYAML marks where it gave up, which for an unclosed bracket or quote is a later line;
    the slip itself is where the bracket or quote was opened.
    """
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    opened = ("while parsing a flow", "while scanning a quoted", "while parsing a quoted")
    if exc.context_mark and context.startswith(opened):
        mark = exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if problem.startswith("did not find expected key"):
        # a quote opened and not closed swallows the lines after it: find that line
        start = exc.context_mark.line if exc.context_mark else 0
        for i, row in list(enumerate(text.split("\n")))[start:line - 1][::-1]:
            if not row.lstrip().startswith("#") and row.count('"') % 2:
                line, col = i + 1, row.index('"') + 1
                break
    words = next((vi for en, vi in _YAML_PROBLEMS.items() if problem.startswith(en)), None)
    if words is None:
        words = f"{problem or 'không đọc được'} (kiểm tra thụt lề, dấu ':' và dấu ngoặc kép)"
    return line, col, f"lỗi cú pháp YAML: {words}"


# The files of a commune's inputs (``validate`` gives each its model): the required ones by key, and
# the folders of one file per item (a sub-plan, a kind of report, a progress record, a criteria set).
COMMUNE_FILE = "commune.yaml"
PLAN_FILE = "plan.yaml"
APPENDICES_FILE = "appendices.yaml"
SUBPLANS_DIR = "subplans"
REPORTS_DIR = "reports"
PROGRESS_DIR = "progress"
CRITERIA_DIR = "criteria"
REQUIRED_FILES = (("commune", COMMUNE_FILE), ("plan", PLAN_FILE), ("appendices", APPENDICES_FILE))
ITEM_FOLDERS = (SUBPLANS_DIR, REPORTS_DIR, PROGRESS_DIR, CRITERIA_DIR)


def input_files(root: Path) -> list[tuple[str, Path]]:
    """(key, path) of every input file under ``root``: the required ones, then each folder's."""
    found = [(key, root / name) for key, name in REQUIRED_FILES]
    for folder in ITEM_FOLDERS:
        if (root / folder).is_dir():
            found += [(f"{folder}/{p.name}", p) for p in sorted((root / folder).glob("*.yaml"))]
    return found


def display_name(root: Path, path: Path) -> str:
    """How messages name an input file: from the commune's folder (``inputs/plan.yaml``)."""
    try:
        return str(path.relative_to(root.parent)) if root.parent != path else str(path)
    except ValueError:
        return str(path)


def load_yaml(path: Path, display: str | None = None) -> Loaded:
    """Parse one YAML file; raise ``InputErrors`` with a located message on failure."""
    display = display or str(path)
    source = SourceMap(display)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputErrors([InputIssue(display, 1, 1, "", f"tệp không phải UTF-8 ({exc.reason}); hãy lưu lại với mã hóa UTF-8", rule="yaml")]) from None
    except OSError as exc:
        raise InputErrors([InputIssue(display, 1, 1, "", f"không đọc được tệp: {exc.strerror}", rule="yaml")]) from None
    loader = None
    try:
        _prescan(text, display)
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return Loaded({}, source)
        builder = _Builder(loader, source, text)
        data = builder.build(node, ())
    except _TooBig as exc:
        mark = exc.node.start_mark
        raise InputErrors([InputIssue(display, mark.line + 1, mark.column + 1, "",
                                      f"dữ liệu mở rộng quá lớn hoặc quá sâu (hơn {NODE_BUDGET:,} giá trị hay "
                                      f"{MAX_DEPTH} cấp, do bí danh '*tên' lồng nhau nhân bản dữ liệu); "
                                      "vanban không đọc tệp này",
                                      rule="yaml-alias-budget")]) from None
    except yaml.MarkedYAMLError as exc:
        line, col, message = _syntax_error(exc, text)
        raise InputErrors([InputIssue(display, line, col, "", message, rule="yaml")]) from None
    except yaml.reader.ReaderError as exc:  # a raw control character in the file itself
        before = text[:exc.position] if _Loader is yaml.SafeLoader else \
            text.encode("utf-8")[:exc.position].decode("utf-8", "ignore")  # libyaml counts bytes here
        line, col = before.count("\n") + 1, len(before) - before.rfind("\n")
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        raise InputErrors([InputIssue(display, line, col, "", f"có {describe_char(char)} — ký tự này không hiện ra "
                                      "trong văn bản Word; hãy xóa nó (thường do sao chép từ tệp khác)",
                                      rule="control-char")]) from None
    except yaml.YAMLError as exc:
        raise InputErrors([InputIssue(display, 1, 1, "", f"lỗi cú pháp YAML: {exc}", rule="yaml")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if builder.issues:
        raise InputErrors(builder.issues)
    return Loaded(data, source)
