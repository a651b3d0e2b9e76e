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
EXIT_EXTERNAL = 4  # LibreOffice, git or Word failed
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


class RefusedOverwrite(Exception):
    """An output was edited by hand and would be overwritten."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        super().__init__(", ".join(str(p) for p in paths))
