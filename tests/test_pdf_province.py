"""PDF of many communes at once (issue 17): every document gets its own PDF, however many there are.

LibreOffice's launcher on Linux and macOS (oosplash) passes at most 253 arguments on to
soffice.bin (LibreOffice's sal/osl/unx/process.cxx: ``MAX_ARGS 255``, less the program name and
the closing NULL) and adds one of its own, ``--splash-pipe=N``; arguments past that are dropped
silently and the call exits 0. A province run of 400 files per call made the PDFs of the first
246 files of each call only.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from pipeline.pdf.convert import pdf_path
from pipeline.pdf.pool import LibreOfficePool, libreoffice
from tests.conftest import soffice_or_skip

LAUNCHER_PASSES_ON = 253  # arguments oosplash hands soffice.bin, its own --splash-pipe among them


def _docx_with(texts: dict[Path, str]) -> None:
    """One small .docx per path, each saying its own text."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("@@TEXT@@")
    buf = io.BytesIO()
    doc.save(buf)
    with zipfile.ZipFile(buf) as z:
        parts = {i: z.read(i) for i in z.infolist()}
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in parts.items():
                out.writestr(info, data.replace(b"@@TEXT@@", text.encode()) if info.filename == "word/document.xml"
                             else data)


def test_no_call_gives_libreoffice_more_arguments_than_its_launcher_passes_on(tmp_path):
    files = []
    for i in range(600):
        f = tmp_path / "docs" / f"{i}.docx"
        f.parent.mkdir(exist_ok=True)
        f.write_bytes(b"x" * (i % 7 + 1))
        files.append(f)
    (tmp_path / "pool").mkdir()
    pool = LibreOfficePool("soffice", tmp_path / "pool", files, jobs=2)
    calls = [batch for queue in pool.queues for batch in queue]
    for batch in calls:
        cmd = pool.command(tmp_path / "profile", batch)
        assert len(cmd[1:]) + 1 <= LAUNCHER_PASSES_ON, len(cmd)  # our arguments and --splash-pipe
    assert sorted(i for batch in calls for i in batch) == list(range(600)), "every file in exactly one call"


def _our_processes(marker: str) -> dict[int, tuple[int, list[str]]]:
    """{pid: (parent pid, arguments)} of the live processes whose command line mentions ``marker``."""
    found = {}
    for d in Path("/proc").glob("[0-9]*"):
        try:
            argv = (d / "cmdline").read_bytes().decode(errors="replace").split("\0")
            ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if any(marker in a for a in argv):
            found[int(d.name)] = (ppid, argv)
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to read the processes' arguments")
def test_three_communes_with_the_same_file_names_get_every_pdf(tmp_path, monkeypatch):
    """249 documents for one LibreOffice process, named alike in each commune's folder: every call's
    soffice.bin is given every file its launcher was given, and each PDF holds its own document's text."""
    import tempfile

    soffice_or_skip()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    monkeypatch.setenv("VANBAN_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # our processes' command lines name tmp_path
    root = tmp_path / "tinh"
    texts = {root / f"xa-{c}" / "outputs" / "bao-cao" / f"bc-{n:02d}.docx": f"Xã số {c} báo cáo số {n}"
             for c in range(3) for n in range(83)}
    _docx_with(texts)
    files = list(texts)
    targets = [pdf_path(f, root, root / "pdf") for f in files]
    seen: dict[int, tuple[int, list[str]]] = {}
    libreoffice(files, targets, timeout=600, jobs=1,
                progress=lambda done: seen.update(_our_processes(str(tmp_path))))

    def docx_args(argv: list[str]) -> set[str]:
        return {a for a in argv if a.endswith(".docx")}

    calls = [(pid, ppid) for pid, (ppid, argv) in seen.items() if Path(argv[0]).name == "soffice.bin"]
    assert calls and all(ppid in seen for _, ppid in calls), "each call's soffice.bin and its launcher were seen"
    for pid, ppid in calls:
        assert docx_args(seen[pid][1]) == docx_args(seen[ppid][1]), "soffice.bin got every file of its call"
    for docx, made in zip(files, targets):
        assert made.is_file(), made
        got = subprocess.run(["pdftotext", str(made), "-"], capture_output=True, text=True).stdout
        assert got.split() == texts[docx].split(), (made, got)
