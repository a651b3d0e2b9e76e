"""PDF through real LibreOffice: one call for every document (issue 8)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import pdf
from pipeline.cli import main
from pipeline.errors import EXIT_EXTERNAL, ExternalToolError
from tests.conftest import INPUTS, soffice_or_skip


BUILD_OUTPUT: dict = {}  # what `vanban build --pdf` printed, by output folder


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory):
    """`vanban build --pdf` of the bundled inputs, once for the session."""
    soffice_or_skip()
    root = tmp_path_factory.mktemp("pdfbuild")
    out = root / "outputs"
    result = CliRunner().invoke(main, ["build", "--inputs", str(INPUTS), "--out", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    BUILD_OUTPUT[out] = result.output
    return out


def page_sizes(path) -> list[tuple[float, float]]:
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


def test_build_pdf_reports_progress_and_count(pdf_build):
    n = len(list(pdf_build.rglob("*.docx")))
    printed = BUILD_OUTPUT[pdf_build]
    assert "Chuyển sang PDF" in printed
    assert f"PDF: {n} tệp" in printed
    assert "Cảnh báo phông chữ" not in printed


def test_one_pdf_per_document(pdf_build):
    docs = sorted(p.relative_to(pdf_build).with_suffix("") for p in pdf_build.rglob("*.docx"))
    pdfs = sorted(p.relative_to(pdf_build / "pdf").with_suffix("") for p in (pdf_build / "pdf").rglob("*.pdf"))
    assert docs == pdfs and len(docs) >= 25
    assert all(p.stat().st_size > 5000 for p in (pdf_build / "pdf").rglob("*.pdf"))


def test_issued_plan_has_portrait_then_landscape_pages(pdf_build):
    sizes = page_sizes(pdf_build / "pdf" / "ke-hoach-cchc.pdf")
    portrait = [s for s in sizes if s[0] < s[1]]
    landscape = [s for s in sizes if s[0] > s[1]]
    assert portrait and len(landscape) >= 6
    first_landscape = sizes.index(landscape[0])
    assert all(s[0] < s[1] for s in sizes[:first_landscape])
    assert all(s[0] > s[1] for s in sizes[first_landscape:]), "appendices come last, all landscape"
    for w, h in sizes:  # A4 either way
        assert sorted((round(w), round(h))) == [595, 842]


def test_pdfs_use_only_times_metric_fonts(pdf_build):
    for p in (pdf_build / "pdf").rglob("*.pdf"):
        fonts = pdf.pdf_fonts(p)
        assert fonts, p
        assert pdf.foreign_fonts(p) == [], (p, fonts)


def test_a_file_libreoffice_cannot_load_is_a_failure(tmp_path):
    soffice_or_skip()
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a document")
    with pytest.raises(ExternalToolError) as exc:
        pdf.libreoffice([broken], [tmp_path / "hong.pdf"], timeout=120)
    assert "LibreOffice" in str(exc.value)
    assert not (tmp_path / "hong.pdf").exists()


def test_missing_libreoffice_gives_a_vietnamese_error(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    doc = tmp_path / "a.docx"
    doc.write_bytes(b"x")
    result = CliRunner().invoke(main, ["pdf", "--out", str(tmp_path), "--pdf-backend", "libreoffice", str(doc)])
    assert result.exit_code == EXIT_EXTERNAL
    assert "không tìm thấy LibreOffice" in result.output


def test_a_pdf_that_fell_back_to_another_font_is_reported(tmp_path):
    soffice_or_skip()
    from docx import Document

    doc = Document()
    run = doc.add_paragraph().add_run("Cộng hòa xã hội chủ nghĩa Việt Nam")
    run.font.name = "DejaVu Sans"
    src = tmp_path / "phong.docx"
    doc.save(src)
    target = tmp_path / "phong.pdf"
    pdf.libreoffice([src], [target], timeout=120)
    assert any(f.startswith("DejaVuSans") for f in pdf.foreign_fonts(target))


def _process_groups(marker: str) -> set[int]:
    """Process groups of the live processes whose command line contains ``marker``."""
    groups = set()
    for d in Path("/proc").glob("[0-9]*"):
        try:
            cmdline, stat = (d / "cmdline").read_bytes(), (d / "stat").read_text()
        except OSError:
            continue
        if marker.encode() in cmdline:
            groups.add(int(stat.rsplit(")", 1)[1].split()[2]))  # "pid (comm) state ppid pgrp …"
    return groups


def _members(groups: set[int]) -> list[int]:
    """Live (not zombie) processes of ``groups``."""
    found = []
    for d in Path("/proc").glob("[0-9]*"):
        try:
            state, _, pgrp = (d / "stat").read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        if int(pgrp) in groups and state != "Z":
            found.append(int(d.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to list processes")
def test_a_conversion_past_its_timeout_is_stopped_with_its_children(tmp_path, monkeypatch):
    """Only this conversion's own process group is looked at: other LibreOffice runs on the
    machine (other tests, other users) do not count."""
    import tempfile
    import time

    soffice_or_skip()
    from docx import Document

    src = tmp_path / "a.docx"
    Document().save(src)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the private profile goes under tmp_path
    groups: set[int] = set()
    with pytest.raises(ExternalToolError) as exc:
        pdf.libreoffice([src], [tmp_path / "a.pdf"], timeout=0.3,
                        progress=lambda done: groups.update(_process_groups(str(tmp_path))))
    assert "quá" in str(exc.value) and "giây" in str(exc.value)
    assert not (tmp_path / "a.pdf").exists()
    assert groups, "the conversion was seen running"
    deadline = time.monotonic() + 5  # SIGKILL is delivered asynchronously
    while _members(groups) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _members(groups) == []


def test_this_machine_has_a_vietnamese_times_metric_font():
    """CI installs fonts-liberation2 and fonts-croscore; Liberation 1.x would not count (no Vietnamese)."""
    soffice_or_skip()
    faces = pdf.vietnamese_times_faces()
    assert faces is None or faces, "no Times New Roman / Liberation Serif 2.x / Tinos with Vietnamese letters"
