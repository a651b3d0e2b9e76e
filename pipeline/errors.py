"""Located input errors, printed in Vietnamese for the office.

Every problem found in the inputs becomes an ``InputIssue`` that names the file,
line, column and the field path. Loading and validation collect all of them
before stopping, so a clerk sees every mistake at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Exit codes of the command line (documented in the README).
EXIT_OK = 0
EXIT_FINDINGS = 1  # check/lint findings, stale outputs, differences
EXIT_USAGE = 2  # click's own code for a bad command line
EXIT_INVALID_INPUT = 3
EXIT_EXTERNAL = 4  # LibreOffice, git or Word failed; the disk or a folder refused (read-only, full, busy)
EXIT_REFUSED = 5  # a hand-edited output would be overwritten
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


@dataclass
class InputErrors(Exception):
    """Raised when the inputs cannot be built; carries every issue found."""

    issues: list[InputIssue] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(i.format() for i in sorted(self.issues))


class ExternalToolError(Exception):
    """LibreOffice, git or Word failed; the message is Vietnamese."""


class EnvironmentFault(ExternalToolError):
    """The machine refused: a read-only folder, a full disk, a path that is a file, another build running.

    The message is Vietnamese and names the path; the outputs are as they were (exit 4).
    """

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
    text = words.get(exc.errno, exc.strerror or str(exc))
    return EnvironmentFault(getattr(exc, "filename", None) or path, f"{text}. Các văn bản đã có được giữ nguyên")


class RefusedOverwrite(Exception):
    """An output was edited by hand and would be overwritten."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        super().__init__(", ".join(str(p) for p in paths))


from pipeline.safezip import BadDocx  # noqa: E402,F401  (a .docx refused by the reading layer: exit 3)
