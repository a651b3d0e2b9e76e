"""What can go wrong, as exceptions that carry the command line's exit code.

Every problem found in the inputs becomes an ``InputIssue`` that names the file,
line, column and the field path. Loading and validation collect all of them
before stopping, so a clerk sees every mistake at once.

The exceptions are ``click.ClickException`` subclasses: click's standalone mode
calls their ``show()`` (the Vietnamese message) and exits with their
``exit_code`` (the codes of the README). Code that runs outside the command
line (batches, tests) catches them like any exception.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

import click

# Exit codes of the command line (documented in the README).
EXIT_OK = 0
EXIT_FINDINGS = 1  # check/lint findings, stale outputs, differences
EXIT_USAGE = 2  # click's own code for a bad command line
EXIT_INVALID_INPUT = 3
EXIT_EXTERNAL = 4  # LibreOffice, git or Word failed; the disk or a folder refused (read-only, full, busy)
EXIT_REFUSED = 5  # a hand-edited output was kept, not overwritten (the others written)
EXIT_CRASH = 70  # a bug in vanban (EX_SOFTWARE)


@dataclass(frozen=True, order=True)
class InputIssue:
    file: str
    line: int
    column: int
    path: str  # dotted field path, e.g. "sections[1].items[0].bullet"
    message: str  # Vietnamese, says what was expected and what was found
    severity: str = "error"  # "error" | "warning"
    rule: str = "schema"
    fix: str = ""

    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def format(self) -> str:
        where = self.location()
        field_part = f" [{self.path}]" if self.path else ""
        sev = "lỗi" if self.severity == "error" else "cảnh báo"
        text = f"{where}: {sev} {self.rule}{field_part}: {self.message}"
        if self.fix:
            text += f"\n    → gợi ý: {self.fix}"
        return text


def console(stderr: bool = False, soft_wrap: bool = True):
    """A rich console that prints text exactly as given: file names, paths and the inputs' own text.

    rich would read ``[nếu có]`` in a text or a folder name as markup and drop it, turn ``:100:``
    (``appendices.yaml:100:20``) or ``a:b:c`` into emoji, and colour numbers and paths: all of that
    is off. Our own words are styled with ``styled``, never with markup. Printing to a file or a pipe
    (not a terminal), the text is written as it is, also on a Windows console without colour codes
    (rich's "legacy Windows" mode would go through the console's API instead).
    """
    import sys

    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    try:
        terminal = bool(stream and stream.isatty())
    except (ValueError, OSError):  # a closed stream
        terminal = False
    return Console(stderr=stderr, highlight=False, markup=False, emoji=False, soft_wrap=soft_wrap,
                   legacy_windows=None if terminal else False)


def styled(*parts):
    """A rich ``Text`` of ``parts``: each a plain string, or (string, style) for our own fixed words.
    Nothing in a part is read as markup or emoji."""
    from rich.text import Text

    return Text.assemble(*parts)


class VanbanError(click.ClickException):
    """A failure the user is told about in Vietnamese, ending the command with ``exit_code``."""

    exit_code = EXIT_CRASH
    heading = "Lỗi"

    def show(self, file=None) -> None:
        console(stderr=True).print(styled((f"{self.heading}:", "bold red"), " ", self.format_message()))


class Findings(VanbanError):
    """The command found something (stale outputs, differences, lint or check findings): exit 1.

    The findings were printed already; the message, if any, is a last line."""

    exit_code = EXIT_FINDINGS

    def __init__(self, message: str = ""):
        super().__init__(message)

    def show(self, file=None) -> None:
        if self.message:
            click.echo(self.message, err=True)


class UnreadableFiles(Findings):
    """A file given to the command is not a readable Word document, and its report said so: exit 3.

    ``vanban check`` reports such a file as one finding (``file.unreadable``) among the others, then
    ends with this; the message, if any, is a last line."""

    exit_code = EXIT_INVALID_INPUT


class FilesNotRead(Findings):
    """The machine would not give a file to the command (a folder, no permission), and its report said
    so: exit 4."""

    exit_code = EXIT_EXTERNAL


class InputErrors(VanbanError):
    """The inputs cannot be built; carries every issue found (exit 3).

    ``whole_sentence``: the error's one issue is a sentence on its own (where to go, what to do), not a finding
    located in a file: it is shown as that sentence, and ``vanban lint`` does not list it among its findings."""

    exit_code = EXIT_INVALID_INPUT
    whole_sentence = False

    def __init__(self, issues: list[InputIssue] | None = None):
        self.issues = list(issues or [])
        super().__init__("\n".join(i.format() for i in sorted(self.issues)))

    def __str__(self) -> str:
        return self.message

    def show(self, file=None) -> None:
        err = console(stderr=True)
        if self.whole_sentence:
            err.print(styled((f"{self.heading}:", "bold red"), " ", self.issues[0].message))
            return
        n = sum(1 for i in self.issues if i.severity == "error")
        w = len(self.issues) - n
        counts = f"{n} lỗi" + (f", {w} cảnh báo" if w else "")
        err.print(styled((f"Dữ liệu đầu vào có {counts}", "bold red"),
                         " — không tạo văn bản nào, thư mục kết quả giữ nguyên:"))
        for issue in sorted(self.issues):
            err.print(issue.format())


class InputErrorsShown(InputErrors):
    """``InputErrors`` whose issues were printed already, in another form (``vanban lint --format json``):
    exit 3 with nothing more to show."""

    def show(self, file=None) -> None:
        pass


class NotACommuneFolder(InputErrors):
    """No inputs here: the command was run outside a commune's folder (``paths.not_a_commune``): exit 3.

    Its one issue carries the whole message (what the folder is not, and what to do); it is shown as
    a sentence, not as a located finding."""

    whole_sentence = True


class ExternalToolError(VanbanError):
    """LibreOffice, git or Word failed; the message is Vietnamese (exit 4)."""

    exit_code = EXIT_EXTERNAL
    heading = "Lỗi công cụ bên ngoài"


class EnvironmentFault(ExternalToolError):
    """The machine refused: a read-only folder, a full disk, a path that is a file, another build running.

    The message is Vietnamese and names the path; the outputs are as they were (exit 4).
    """

    heading = "Không ghi được"

    def __init__(self, path, message: str):
        self.path = path
        super().__init__(f"{path}: {message}")


def environment_fault(path, exc: OSError) -> EnvironmentFault:
    """A Vietnamese ``EnvironmentFault`` for an ``OSError`` met at ``path``."""
    import errno

    words = {
        errno.ENOSPC: "ổ đĩa đã đầy",
        errno.EFBIG: "tệp vượt kích thước tối đa được phép (ổ đĩa hoặc giới hạn của hệ thống)",
        errno.EDQUOT: "đã hết hạn mức dung lượng trên ổ đĩa",
        errno.EROFS: "ổ đĩa chỉ cho đọc",
        errno.EACCES: "không có quyền ghi (thư mục hoặc tệp chỉ cho đọc, hoặc đang mở trong Word)",
        errno.EPERM: "không được phép thao tác (thư mục hoặc tệp chỉ cho đọc, hoặc đang mở trong Word)",
        errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
        errno.EEXIST: "đã có một tệp trùng tên ở chỗ cần tạo thư mục",
        errno.EISDIR: "đường dẫn là một thư mục, không phải tệp",
        errno.ENOENT: "không tìm thấy đường dẫn",
        errno.EBUSY: "tệp đang được chương trình khác sử dụng",
    }
    text = words.get(exc.errno or 0, exc.strerror or str(exc))
    return EnvironmentFault(getattr(exc, "filename", None) or path, f"{text}. Các văn bản đã có được giữ nguyên")


class RefusedOverwrite(VanbanError):
    """Outputs edited by hand were kept as they are, not overwritten; the others were written (exit 5)."""

    exit_code = EXIT_REFUSED

    def __init__(self, paths: list[Path]):
        self.paths = paths
        super().__init__(", ".join(str(p) for p in paths))

    def show(self, file=None) -> None:
        err = console(stderr=True)
        err.print(styled(("Giữ nguyên bản sửa tay:", "bold red"), f" {len(self.paths)} văn bản đã bị sửa tay sau lần "
                         "vanban tạo ra nó; vanban không ghi đè chúng (các văn bản khác đã được ghi):"))
        for p in self.paths:
            err.print(f"  sửa tay:  {p}")
        err.print("Muốn giữ phần sửa: đưa nội dung đó vào dữ liệu đầu vào (các tệp YAML trong thư mục inputs) "
                  "rồi chạy lại 'vanban build'; nếu đó là bản đã ký: 'vanban issue TỆP --number … --date … --file "
                  "TỆP'. Xem phần đã sửa: 'vanban diff' (so với lần commit gần nhất).")
        err.print("Muốn bỏ phần sửa và tạo lại: 'vanban build --force' — bản sửa tay được lưu sang thư mục "
                  ".backup bên cạnh trước khi ghi đè.")


class FolderNotEmpty(VanbanError):
    """The folder a command would write into already holds files; nothing was written (exit 5)."""

    exit_code = EXIT_REFUSED
    heading = "Không ghi gì cả"


class BadUsage(VanbanError):
    """The command line asks for what cannot be done (two communes into one output folder, a file where
    a new folder is to be made); nothing was written (exit 2, as click's own usage errors)."""

    exit_code = EXIT_USAGE


class Bug(VanbanError):
    """An unexpected exception: a bug in vanban (exit 70), shown with its traceback for maintainers."""

    exit_code = EXIT_CRASH

    def __init__(self, exc: BaseException):
        self.trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        super().__init__(str(exc))

    def show(self, file=None) -> None:
        console(stderr=True).print(styled(("Lỗi nội bộ của vanban", "bold red"), " (lỗi phần mềm, không phải do "
                                          "dữ liệu). Hãy gửi nội dung dưới đây cho người bảo trì:"))
        click.echo(self.trace, err=True, nl=False)


class UnreadableDocx(VanbanError):
    """A damaged or hostile .docx refused by the reading layer (``safezip.BadDocx``): exit 3."""

    exit_code = EXIT_INVALID_INPUT
    heading = "Tệp Word không đọc được"


class TemplateProblem(VanbanError):
    """A template cannot be rendered (a tag the sandbox refused, a name the data lacks, a syntax error, a
    limit passed, a damaged file); the Vietnamese message names the template, its part and the text
    around the tag (``render.problems``): exit 3."""

    exit_code = EXIT_INVALID_INPUT
    heading = "Lỗi mẫu văn bản"


class MissingInput(VanbanError):
    """What the command was to work on is not there (``vanban pdf`` finds no .docx to convert): exit 3."""

    exit_code = EXIT_INVALID_INPUT


class PlaceholdersLeft(VanbanError):
    """Documents to be printed (PDF) still hold "CẦN ĐIỀN" places and no draft was asked for: no PDF is made of
    them (exit 3, as other inputs not ready to build: the places are filled in the inputs); ``others``: how many
    PDFs of the other documents were made (or kept) before. ``found`` holds ``pdf.draft.Unfilled`` records: the
    document, how many of its paragraphs hold the marker, the first one's words."""

    exit_code = EXIT_INVALID_INPUT
    heading = "Không tạo PDF"

    def __init__(self, found: list, others: int = 0):
        self.found = list(found)
        self.others = others
        super().__init__(", ".join(str(u.path) for u in self.found))

    def show(self, file=None) -> None:
        err = console(stderr=True)
        places = sum(u.count for u in self.found)
        err.print(styled((f"{self.heading}:", "bold red"), f" {len(self.found)} văn bản còn {places} chỗ đánh dấu "
                         "'CẦN ĐIỀN' chưa điền — bản in không được chứa chỗ trống; không tạo PDF của "
                         + ("các văn bản này (PDF của các văn bản khác đã có):" if self.others else
                            "văn bản nào:")))
        for u in self.found[:SHOWN_FILES]:
            err.print(f"  {u.path}: {u.count} chỗ, ví dụ “{u.first}”")
        if len(self.found) > SHOWN_FILES:
            err.print(f"  … và {len(self.found) - SHOWN_FILES} văn bản khác")
        err.print("Điền các chỗ đó trong dữ liệu đầu vào (xem 'vanban lint': tệp, dòng, trường) rồi chạy lại "
                  "'vanban build'. Muốn in bản dự thảo để xin ý kiến: thêm --draft (PDF ghi “DỰ THẢO” ở đầu trang 1).")


SHOWN_FILES = 10  # documents a message names one by one; the rest are counted


def close_output() -> None:
    """The reader of our standard output has gone (``vanban check … | head -1``): the rest goes nowhere, so
    neither a later write nor the flush at exit raises ``BrokenPipeError``; the command ends with its own code."""
    import os
    import sys

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # a stream without a file descriptor (a test runner's)
        sys.stdout = open(os.devnull, "w")


from pipeline.ooxml.safezip import BadDocx  # noqa: E402,F401  (a .docx refused by the reading layer: exit 3)
