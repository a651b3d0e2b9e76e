"""One answer to "is this Word file unreadable?" (``safezip.unreadable_errors``): a zip that holds no Word
document is refused alike by ``vanban check`` (a ``file.unreadable`` finding, exit 3), ``vanban import``
(exit 3) and ``vanban textconv`` (exit 3); git's text conversion shows it as one line and goes on — never a
traceback."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_INVALID_INPUT
from tests.conftest import ROOT


def _empty_package(path):
    """A zip with a content-types part and nothing else: what a broken save or a renamed archive leaves."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types '
                    'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    return path


def test_a_zip_without_a_document_is_unreadable_to_every_reader(tmp_path):
    path = _empty_package(tmp_path / "bao-cao.docx")
    checked = CliRunner().invoke(main, ["check", "--no-schema", str(path)])
    assert checked.exit_code == EXIT_INVALID_INPUT and "file.unreadable" in checked.output
    imported = CliRunner().invoke(main, ["import", str(path), "--out", str(tmp_path / "x")])
    assert imported.exit_code == EXIT_INVALID_INPUT and "Tệp Word không đọc được" in imported.output
    assert not (tmp_path / "x" / "inputs").exists()
    shown = CliRunner().invoke(main, ["textconv", str(path)])
    assert shown.exit_code == EXIT_INVALID_INPUT and "không đọc được tệp Word" in shown.output
    script = subprocess.run([sys.executable, str(ROOT / "pipeline" / "vcs" / "textconv.py"), str(path)],
                            capture_output=True, timeout=60)
    assert script.returncode == 0 and script.stderr == b""
    assert script.stdout.decode("utf-8").startswith("[vanban: không đọc được tệp Word này — ")
    for result in (checked, imported, shown):
        assert "Traceback" not in result.output
