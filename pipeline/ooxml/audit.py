"""Will Word open this file cleanly? Schema and semantic errors of a .docx.

Word reads the Office Open XML schema (ECMA-376, transitional) strictly: an
element out of the schema's order, a property given twice or a style linked to
a style that does not exist makes it "repair" the file or refuse it, where
LibreOffice quietly renders it. ``schema_errors`` asks ``openxml-audit`` (a
pure-Python validator of that schema, Office 2016 rules) and returns its
findings in a plain form any stage or tool can print; ``vanban check`` and the
test suite use it on every generated file.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

FORMAT = "office2016"


@dataclass(frozen=True)
class SchemaError:
    part: str  # "/word/document.xml"
    path: str  # "/document[1]/body[1]/tbl[1]/tblPr[1]" (may be empty)
    message: str  # the validator's words (English)
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        where = f"{self.part}:{self.path}" if self.path else self.part
        return f"{where}: {self.message}"


def schema_errors(path: str | Path, warnings: bool = False) -> list[SchemaError]:
    """The schema and semantic errors of the .docx at ``path`` (with ``warnings``, those too)."""
    from openxml_audit import FileFormat, OpenXmlValidator

    result = OpenXmlValidator(file_format=FileFormat(FORMAT), max_errors=0).validate(Path(path))
    out = []
    for e in result.errors:
        severity = getattr(e.severity, "value", str(e.severity)).lower()
        if severity != "error" and not warnings:
            continue
        out.append(SchemaError(e.part_uri or "", e.path or "", e.description, severity))
    return out


def schema_errors_of_bytes(data: bytes, warnings: bool = False) -> list[SchemaError]:
    """``schema_errors`` of a document held in memory (written to a temporary file)."""
    fd, tmp = tempfile.mkstemp(suffix=".docx")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        return schema_errors(tmp, warnings)
    finally:
        os.unlink(tmp)
