"""YAML that does not parse, told in Vietnamese at the line where the slip was typed.

libyaml (or PyYAML) says in English where it gave up, which is often lines after the slip: a key
without its ':' is noticed at the next key (past any comment between them), an unclosed bracket
or quote at the end of the file. ``syntax_error`` takes the mark back to the slip and says what
the office should check; no English text of the parser reaches the clerk.
"""

from __future__ import annotations

import yaml

QUOTE_IT = "phải đặt cả giá trị trong ngoặc kép"
TAB = ("thụt lề bằng phím Tab: YAML chỉ thụt lề bằng dấu cách — hãy xóa Tab và gõ dấu cách (VS Code: "
       "Ctrl+Shift+P → Convert Indentation to Spaces)")
DIRECTIVE = f"dòng bắt đầu bằng '%' là chỉ thị YAML, vanban không dùng: hãy xóa dòng này (văn bản bắt đầu bằng '%' {QUOTE_IT})"
TAG = f"dấu '!' ở đầu giá trị là thẻ YAML, vanban không dùng: văn bản bắt đầu bằng '!' {QUOTE_IT}"
UNCLOSED = "dấu ngoặc kép mở ở đây chưa đóng"
SEPARATOR = ("dòng '---' chia tệp làm hai phần, mỗi tệp chỉ có một phần dữ liệu: hãy xóa dòng này (văn bản bắt "
             f"đầu bằng '---' {QUOTE_IT})")
ESCAPE = "dấu '\\' trong ngoặc kép \"…\": dùng ngoặc đơn '…' hoặc viết hai dấu '\\\\'"

# PyYAML's and libyaml's problems (how their text starts), in the words of what the office should check
PROBLEMS: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed", "dấu ':' không được đứng ở đây — văn bản có dấu ':' phải đặt trong "
                                       "dấu ngoặc kép, hoặc dòng này thụt lề sai"),
    ("found unexpected ':'", f"dấu ':' không được đứng ở đây — văn bản có dấu ':' {QUOTE_IT}"),
    ("did not find expected key", "thụt lề không thẳng với các dòng cùng cấp, hoặc một dấu ngoặc kép chưa đóng"),
    ("did not find expected ',' or ']'", "danh sách mở bằng '[' chưa đóng bằng ']' (hoặc thiếu dấu ',')"),
    ("did not find expected ',' or '}'", "mục mở bằng '{' chưa đóng bằng '}' (hoặc thiếu dấu ',')"),
    ("did not find expected '-' indicator", "thụt lề không đều: mỗi mục danh sách bắt đầu bằng '- ', "
                                            "thẳng cột với các mục khác"),
    ("found a tab character", TAB),
    ("found unexpected end of stream", UNCLOSED),
    ("found unexpected document indicator", "dấu ngoặc kép mở ở đây chưa đóng (một dòng bắt đầu bằng '---' hay "
                                            "'...' đứng giữa văn bản trong ngoặc)"),
    ("found unknown escape character", ESCAPE),
    ("did not find expected hexdecimal number", ESCAPE),
    ("found invalid Unicode character escape code", ESCAPE),
    ("found undefined alias", f"văn bản bắt đầu bằng '*' {QUOTE_IT}"),
    ("second occurrence", f"văn bản bắt đầu bằng '&' {QUOTE_IT}"),
    ("did not find expected alphabetic or numeric character", f"văn bản bắt đầu bằng '&' hay '*' {QUOTE_IT}"),
    ("could not find expected ':'", "thiếu dấu ':' sau tên trường (hoặc dòng này thụt lề sai)"),
    ("but found another document", SEPARATOR),
    ("did not find expected <document start>", "có nội dung sau dòng '...' (dòng kết thúc dữ liệu): hãy xóa dòng '...'"),
    ("could not determine a constructor for the tag", TAG),
    ("found undefined tag handle", TAG),
    ("did not find expected tag URI", TAG),
    ("did not find URI escaped octet", TAG),
    ("did not find expected '!'", TAG),
    ("did not find the expected '>'", TAG),
    ("found an indentation indicator equal to 0", "sau dấu '|' hay '>' (đoạn văn nhiều dòng) chỉ được xuống dòng: viết "
                                                  f"văn bản ở các dòng dưới; văn bản bắt đầu bằng '|' hay '>' {QUOTE_IT}"),
    ("did not find expected comment or line break", "sau dấu '|' hay '>' (đoạn văn nhiều dòng), hay sau dấu ngoặc kép "
                                                    "đóng, chỉ được xuống dòng; văn bản bắt đầu bằng '|' hay '>' "
                                                    + QUOTE_IT),
    ("mapping keys are not allowed", f"văn bản bắt đầu bằng '?' {QUOTE_IT}"),
    ("block sequence entries are not allowed", "dấu '- ' (mục danh sách) không được đứng ở đây: mỗi mục danh sách "
                                               f"ở một dòng riêng, dưới tên trường; văn bản bắt đầu bằng '- ' {QUOTE_IT}"),
    ("did not find expected node content", "thiếu giá trị ở đây, hoặc văn bản bắt đầu bằng một dấu đặc biệt "
                                           f"(',', ']', '}}', '|', '>') — văn bản như vậy {QUOTE_IT}"),
    ("found duplicate %", DIRECTIVE), ("found incompatible YAML document", DIRECTIVE),
    ("found unknown directive name", DIRECTIVE), ("did not find expected directive name", DIRECTIVE),
    ("found unexpected non-alphabetical character", DIRECTIVE), ("did not find expected digit", DIRECTIVE),
    ("found extremely long version number", DIRECTIVE), ("did not find expected version number", DIRECTIVE),
)
GENERAL = "không hiểu cấu trúc ở đây — kiểm tra thụt lề (chỉ dùng dấu cách), dấu ':' sau tên trường và các dấu ngoặc kép"
_OPENED = ("while parsing a flow", "while scanning a quoted", "while parsing a quoted", "while scanning a simple key",
           "while scanning a tag", "while parsing a tag", "while scanning a directive", "while scanning a %")
# what the parser was reading, when that says more than its problem
_CONTEXTS = (("while scanning a tag", TAG), ("while parsing a tag", TAG), ("while scanning a directive", DIRECTIVE),
             ("while scanning a %", DIRECTIVE))
_SWALLOWED = ("did not find expected key", "did not find expected '-' indicator")  # maybe by an unclosed quote
_START = {"\t": TAB, "@": f"văn bản bắt đầu bằng '@' {QUOTE_IT}", "`": f"văn bản bắt đầu bằng '`' {QUOTE_IT}",
          "%": f"văn bản bắt đầu bằng '%' {QUOTE_IT}"}


def _words(problem: str, context: str, char: str, row: str) -> str:
    if row.strip() in ("---", "..."):
        return SEPARATOR
    if (said := next((vi for en, vi in _CONTEXTS if context.startswith(en)), None)) is not None:
        return said
    if problem.startswith("found unexpected end of stream") and char == "'":
        return "dấu nháy đơn ' mở ở đây chưa đóng"
    if problem.startswith("found character that cannot start any token"):
        return _START.get(char, "ký tự không được đứng đầu: thụt lề chỉ bằng dấu cách (không dùng phím Tab); "
                                f"văn bản bắt đầu bằng '@', '`' hay '%' {QUOTE_IT}")
    return next((vi for en, vi in PROBLEMS if problem.startswith(en)), GENERAL)


def _content_line(rows: list[str], line: int) -> int:
    """``line`` (1-based), or the nearest line above it with content when it is blank or a comment:
    a slip is never on a comment line."""
    while line > 1 and line <= len(rows) and (not rows[line - 1].strip() or rows[line - 1].lstrip().startswith("#")):
        line -= 1
    return line


def syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """Line, column and a Vietnamese message for a YAML syntax error.

    PyYAML marks where it gave up, which for an unclosed bracket or quote, or a key without its
    ':', is a later line; the slip itself is where the bracket, quote or key started.
    """
    problem, context = exc.problem or exc.context or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and context.startswith(_OPENED):
        mark = exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    rows = text.split("\n")
    if problem.startswith(_SWALLOWED):
        # a quote opened and not closed swallows the lines after it: find that line
        start = exc.context_mark.line if exc.context_mark else 0
        for i, row in list(enumerate(rows))[start:line - 1][::-1]:
            if not row.lstrip().startswith("#") and row.count('"') % 2:
                return i + 1, row.index('"') + 1, f"lỗi cú pháp YAML: {UNCLOSED}"
    moved = _content_line(rows, line)
    if moved != line:
        line, col = moved, len(rows[moved - 1]) - len(rows[moved - 1].lstrip()) + 1
    row = rows[line - 1] if 0 < line <= len(rows) else ""
    char = row[col - 1] if 0 < col <= len(row) else ""
    return line, col, f"lỗi cú pháp YAML: {_words(problem, context, char, row)}"
