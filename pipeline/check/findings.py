"""What ``vanban check`` reports: a finding (rule, place, message, what was measured, what the decree allows)
and the report of one file, with the rules that could not be evaluated."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.docread.document import Para

SEV_WORDS = {"error": "lỗi", "warning": "cảnh báo", "info": "ghi chú"}


@dataclass
class Finding:
    rule: str
    where: str
    message: str
    severity: str = "error"
    measured: str = ""
    allowed: str = ""
    section: str = ""  # § of docs/nd30.md
    page: int | None = None

    def format(self, file: str) -> str:
        return f"{file}: {SEV_WORDS[self.severity]} {self.rule} [{self.where}]: {self.message}"


@dataclass
class Report:
    file: str
    kind: str  # "văn bản hành chính — Kế hoạch (KH)" …
    findings: list[Finding] = field(default_factory=list)
    not_evaluated: list[dict] = field(default_factory=list)  # {"rule", "why"}

    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)


def where(p: Para | None, fallback: str = "đầu văn bản") -> str:
    if p is None:
        return fallback
    text = " / ".join(p.lines)
    return f"{p.place.words()}: “{text[:40]}”"
