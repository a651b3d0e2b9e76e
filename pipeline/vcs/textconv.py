"""A canonical, line-oriented plain-text rendering of a .docx, for diffs.

``vanban textconv FILE.docx`` prints it; git runs it as the ``textconv`` of the
``vanban`` diff driver (see ``git.py``), so ``git diff``, ``git log -p`` and
``git show`` print document changes as text. One line per paragraph, in body
order (paragraphs and tables interleaved):

* each section opens with a line giving its page size, orientation, margins
  and page numbering, followed by its page headers;
* a table prints one line per row, ``| cell | cell |``; the paragraphs of one
  cell are joined with `` / ``;
* auto-numbered paragraphs carry their computed number (typed numbers are text);
* a paragraph that is only a border (the rules of the header block) is ``───``;
  empty paragraphs are dropped; whitespace is collapsed.

The file also runs as a script (``python pipeline/vcs/textconv.py FILE``): git
starts it once per file, so it has to start fast. It imports only modules of
the standard library and four of the package's that use nothing else: the
namespace table (``ooxml.xmlns``), bounded zip reading (``ooxml.safezip``),
the list labels (``decree.labels``) and the rendering (``vcs.textlines``).

The rendering itself is ``textlines`` (linear in the file's size, bounded in
depth and time, never raising on a value). This module is what runs it:

* when git runs the script on a file it cannot read, it prints one
  placeholder line (``PLACEHOLDER``) and exits 0, so ``git diff``, ``git log
  -p`` and ``git show`` go on (``emit_for_git``);
* ``vanban textconv`` (the command) says why on stderr, in Vietnamese, and
  exits 3 — 4 when the machine refused the file — for a clerk (``emit``);
* a reader that closes the pipe early (``| head -1``) ends the output quietly.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from pathlib import Path

if not __package__:  # run as a script (git's textconv): make the package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from pipeline.ooxml import safezip
from pipeline.vcs.textlines import TOO_DEEP, docx_lines, docx_text, norm  # noqa: F401  (docx_lines: diff's)

PLACEHOLDER = "[vanban: không đọc được tệp Word này — {reason}]"  # git's text of a file textconv cannot read

_ENGLISH_TAIL = re.compile(r" \([\x20-\x7e]*\)$")  # "… đã hỏng (Bad magic number for file header)"
# expat's error codes (xml.parsers.expat.errors), as a clerk reads them (docread.limits says libxml2's)
_EXPAT_WORDS = {3: "phần XML trống hoặc bị cắt cụt", 4: "có ký tự không hợp lệ trong XML", 5: "XML bị cắt cụt giữa chừng",
                7: "thẻ mở và thẻ đóng của XML không khớp nhau", 9: "có nội dung thừa sau phần tử gốc của XML",
                11: "XML dùng thực thể (entity) không được khai báo", 18: "XML khai báo bảng mã ký tự không biết"}


def why(exc: BaseException, label: str = "") -> str:
    """Why a file could not be read, in Vietnamese and on one line, without the file's name (``label``)."""
    from xml.etree.ElementTree import ParseError

    cause = exc if isinstance(exc, ParseError) else exc.__cause__ or exc.__context__
    if isinstance(cause, ParseError):  # expat's English words, replaced
        line, column = getattr(cause, "position", (0, 0))
        words = _EXPAT_WORDS.get(getattr(cause, "code", 0), "XML không hợp lệ")
        return f"{words} (dòng {line}, cột {column}) — tệp hỏng hoặc không phải văn bản Word"
    if isinstance(exc, OSError):
        return _os_words(exc)
    if isinstance(cause, OSError) and isinstance(exc, safezip.BadDocx):
        return _os_words(cause)
    if isinstance(exc, safezip.BadDocx):  # Vietnamese, but for a library's own words in brackets at its end
        text = norm(str(exc))
        return _ENGLISH_TAIL.sub("", text[len(label) + 2:] if label and text.startswith(label + ": ") else text)
    if isinstance(exc, RecursionError):
        return TOO_DEEP
    if isinstance(exc, MemoryError):
        return "tệp cần quá nhiều bộ nhớ để đọc — tệp hỏng hoặc được làm ra để làm tràn bộ nhớ"
    return "tệp hỏng hoặc không phải văn bản Word"


def _os_words(exc: OSError) -> str:
    return {errno.ENOENT: "không có tệp này", errno.EACCES: "không có quyền đọc tệp",
            errno.EISDIR: "đây là một thư mục, không phải tệp"}.get(exc.errno or 0, "máy không cho đọc tệp")


def _refused_by_machine(exc: BaseException) -> bool:
    """The file exists but the machine would not give it (no permission, a folder): exit 4, not 3."""
    cause = exc if isinstance(exc, OSError) else exc.__cause__ or exc.__context__
    return isinstance(cause, OSError) and cause.errno != errno.ENOENT


def _out(data: bytes) -> None:
    """Write to stdout; a reader that stopped early (``| head -1``) ends the output quietly."""
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:  # nothing more is read: later writes and the final flush go nowhere
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def emit(path: str) -> int:
    """``vanban textconv``: print one file's lines to stdout; the exit code of that file (its error went to
    stderr): 3 for a file that is not a readable Word document, 4 for one the machine would not give."""
    try:
        text = docx_text(path)
    except safezip.unreadable_errors() + (OSError, LookupError) as exc:
        sys.stderr.write(f"vanban textconv: {path}: không đọc được tệp Word — {why(exc, path)}\n")
        return 4 if _refused_by_machine(exc) else 3
    _out(text.encode("utf-8"))
    return 0


def emit_for_git(path: str) -> None:
    """git's text conversion: the file's lines, or one placeholder line for a file that cannot be read (git
    goes on to the next file). A bug of vanban is said on stderr, never by failing git."""
    try:
        text = docx_text(path)
    except Exception as exc:  # whatever happens, git gets a line to show
        reason = why(exc, path)
        if not isinstance(exc, safezip.unreadable_errors() + (OSError, LookupError, RecursionError, MemoryError)):
            reason = "lỗi của vanban khi đọc tệp này; hãy báo cho người bảo trì"
            sys.stderr.write(f"vanban textconv: {path}: lỗi nội bộ {type(exc).__name__}: {exc}\n")
        text = PLACEHOLDER.format(reason=reason) + "\n"
    _out(text.encode("utf-8"))


if __name__ == "__main__":  # git runs: python /path/to/pipeline/vcs/textconv.py FILE
    for arg in sys.argv[1:]:
        emit_for_git(arg)
    sys.exit(0 if sys.argv[1:] else 2)
