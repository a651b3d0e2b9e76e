"""Word-ready files: every output, template and redline is valid against the schema Word reads
(openxml-audit, Office 2016 rules), and a file that breaks it is reported."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipeline.ooxml.audit import schema_errors, schema_errors_of_bytes

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "outputs").rglob("*.docx")) + sorted((ROOT / "templates").rglob("*.docx"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_committed_file_has_no_schema_error_or_warning(path):
    found = schema_errors(path, warnings=True)
    assert found == [], "\n".join(map(str, found))


def test_a_redline_from_vanban_diff_is_schema_valid(tmp_path):
    old = ROOT / "outputs/bao-cao/2025-07-bc-ky-luat-ky-cuong-2025-07.docx"
    new = ROOT / "outputs/bao-cao/2025-08-bc-ky-luat-ky-cuong-2025-08.docx"
    out = tmp_path / "thay-doi.docx"
    run = subprocess.run([sys.executable, "-m", "pipeline", "diff", str(old), str(new), "--redline", str(out)],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.is_file(), run.stdout + run.stderr
    with zipfile.ZipFile(out) as z:
        assert b"<w:ins " in z.read("word/document.xml"), "the redline marks insertions"
    found = schema_errors(out, warnings=True)
    assert found == [], "\n".join(map(str, found))


def _edited(path: Path, part: str, edit) -> bytes:
    src = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, edit(data.decode("utf-8")).encode("utf-8") if name == part else data)
    return out.getvalue()


PLAN = ROOT / "outputs" / "ke-hoach-cchc.docx"


def test_a_duplicate_table_width_is_reported():
    data = _edited(PLAN, "word/document.xml",
                   lambda x: x.replace("<w:tblPr>", '<w:tblPr><w:tblW w:w="0" w:type="auto"/>', 1))
    found = schema_errors_of_bytes(data)
    assert any("tblW" in e.message and e.part == "/word/document.xml" for e in found), found


def test_a_style_linked_to_a_missing_style_is_reported():
    data = _edited(PLAN, "word/styles.xml", lambda x: re.sub(
        r'(<w:style [^>]*w:styleId="VBBody">.*?<w:basedOn w:val="Normal"/>)', r'\1<w:link w:val="VBBodyChar"/>',
        x, count=1))
    found = schema_errors_of_bytes(data)
    assert any("VBBodyChar" in e.message and e.part == "/word/styles.xml" for e in found), found
