"""PDF through real LibreOffice: one call for every document (issue 8)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.pdf import pool
from pipeline.pdf.fonts import foreign_fonts, pdf_fonts, vietnamese_times_faces
from pipeline.pdf.pool import libreoffice
from pipeline.shares import balance
from pipeline.cli import main
from pipeline.errors import EXIT_EXTERNAL, EXIT_INVALID_INPUT, ExternalToolError
from tests.conftest import INPUTS, soffice_or_skip


BUILD_OUTPUT: dict = {}  # what `vanban build --pdf` printed, by output folder


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory):
    """`vanban build --pdf --draft` of the bundled inputs, once for the session: the self-assessment cites
    its criteria's decision as a place to fill until the office imports its province's set (issue 29), so
    it prints as a draft; every other document prints as it is (tests/test_drafts.py)."""
    soffice_or_skip()
    root = tmp_path_factory.mktemp("pdfbuild")
    out = root / "outputs"
    result = CliRunner().invoke(main, ["build", "--inputs", str(INPUTS), "--out", str(out), "--pdf", "--draft"])
    assert result.exit_code == 0, result.output
    assert "Bản dự thảo: 1 văn bản còn chỗ 'CẦN ĐIỀN'" in result.output, result.output
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
        fonts = pdf_fonts(p)
        assert fonts, p
        assert foreign_fonts(p) == [], (p, fonts)


def _pdffonts(path: Path) -> list[str]:
    """The font names poppler's pdffonts lists, subset prefixes removed."""
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is not installed")
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    return sorted({line.split()[0].split("+", 1)[-1] for line in out.splitlines()[2:] if line.strip()})


def test_the_fonts_read_from_a_pdf_are_the_ones_pdffonts_lists(pdf_build, tmp_path):
    """vanban reads the font names from LibreOffice's PDFs itself (no process per PDF): the same as poppler's."""
    from docx import Document

    doc = Document()
    for face in ("DejaVu Sans", "Times New Roman", "DejaVu Serif"):
        run = doc.add_paragraph().add_run(f"Cộng hòa xã hội chủ nghĩa Việt Nam ({face})")
        run.font.name = face
    src = tmp_path / "ba-phong.docx"
    doc.save(src)
    libreoffice([src], [tmp_path / "ba-phong.pdf"], timeout=120)
    for p in [tmp_path / "ba-phong.pdf", *(pdf_build / "pdf").rglob("*.pdf")]:
        assert pdf_fonts(p) == _pdffonts(p), p
    assert {"DejaVuSans", "DejaVuSerif"} <= set(pdf_fonts(tmp_path / "ba-phong.pdf"))


def test_a_file_libreoffice_cannot_load_is_a_failure(tmp_path):
    soffice_or_skip()
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a document")
    with pytest.raises(ExternalToolError) as exc:
        libreoffice([broken], [tmp_path / "hong.pdf"], timeout=120)
    assert "LibreOffice" in str(exc.value)
    assert not (tmp_path / "hong.pdf").exists()


def test_missing_libreoffice_gives_a_vietnamese_error(tmp_path, monkeypatch):
    monkeypatch.setattr(pool, "find_soffice", lambda given=None: None)
    doc = tmp_path / "a.docx"
    doc.write_bytes(b"x")
    result = CliRunner().invoke(main, ["pdf", "--out", str(tmp_path), "--pdf-backend", "libreoffice", str(doc)])
    assert result.exit_code == EXIT_EXTERNAL
    assert "không tìm thấy LibreOffice" in result.output


def test_a_folder_without_documents_is_an_input_error(tmp_path):
    """Nothing to convert is the README's "dữ liệu đầu vào sai" (exit 3), said in Vietnamese."""
    (tmp_path / "outputs" / "pdf").mkdir(parents=True)
    (tmp_path / "outputs" / "pdf" / "cu.docx").write_bytes(b"x")  # under pdf/: not a document to convert
    result = CliRunner().invoke(main, ["pdf", "--out", str(tmp_path / "outputs")])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "không có tệp .docx nào để chuyển" in result.output


def test_a_pdf_that_fell_back_to_another_font_is_reported(tmp_path):
    soffice_or_skip()
    from docx import Document

    doc = Document()
    run = doc.add_paragraph().add_run("Cộng hòa xã hội chủ nghĩa Việt Nam")
    run.font.name = "DejaVu Sans"
    src = tmp_path / "phong.docx"
    doc.save(src)
    target = tmp_path / "phong.pdf"
    libreoffice([src], [target], timeout=120)
    assert any(f.startswith("DejaVuSans") for f in foreign_fonts(target))


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
        libreoffice([src], [tmp_path / "a.pdf"], timeout=0.1,  # a warm-profile call takes ≥ 0.4 s
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
    faces = vietnamese_times_faces()
    assert faces is None or faces, "no Times New Roman / Liberation Serif 2.x / Tinos with Vietnamese letters"


# --- the LibreOffice pool (issue 17) ---------------------------------------------------------------


def _processes_under(path: Path) -> list[str]:
    """Command lines of running processes that mention ``path`` (this test's own LibreOffice only:
    other tests and other users on the machine run soffice too)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(path) in text and "soffice" in text:
            found.append(text)
    return found


def _gone(path: Path, within: float = 5.0) -> bool:
    """True when no process of ours is left (SIGKILLed processes take a moment to disappear)."""
    import time

    deadline = time.monotonic() + within
    while _processes_under(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _profiles(cmdlines: list[str]) -> set[str]:
    return {m for c in cmdlines for m in re.findall(r"-env:UserInstallation=(\S+)", c)}


def _small_docs(folder: Path, n: int) -> list[Path]:
    from docx import Document

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        doc = Document()
        doc.add_paragraph(f"Văn bản thử số {i}")
        out.append(folder / f"vb-{i}.docx")
        doc.save(out[-1])
    return out


def _pdf_text(path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


def test_balance_spreads_the_heavy_documents():
    # one long plan (10) and ten short reports (1 each) over two processes: the plan alone against
    # the ten reports is 10 and 10 — not 15 against 5 as splitting the list in the middle gives
    assert balance([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 2) == [[0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]
    assert balance([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 2) == [[0, 11], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]
    assert balance([5, 5], 4) == [[0], [1]]  # never an empty process
    assert balance([3, 3, 3], 1) == [[0, 1, 2]]


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to list processes")
def test_one_libreoffice_per_core_each_with_its_own_profile(tmp_path, monkeypatch):
    soffice_or_skip()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # our processes' command lines name tmp_path
    monkeypatch.setenv("VANBAN_CACHE", str(tmp_path / "cache"))
    files = _small_docs(tmp_path / "docs", 4)
    targets = [tmp_path / "pdf" / f.with_suffix(".pdf").name for f in files]
    for run in ("first", "second", "third"):  # the second copies the profile the first kept, the third
        # takes the profiles the second's processes gave back
        seen_together: list[set[str]] = []
        libreoffice(files, targets, timeout=300, jobs=2,
                    progress=lambda done, seen=seen_together: seen.append(_profiles(_processes_under(tmp_path))))
        assert max(len(s) for s in seen_together) == 2, f"{run}: two soffice, each on its own profile, at once"
        assert not any("cache" in p for s in seen_together for p in s), "the kept profile itself is never used"
        for i, t in enumerate(targets):
            assert f"Văn bản thử số {i}" in _pdf_text(t)
            t.unlink()
        assert _gone(tmp_path)
    assert list((tmp_path / "cache" / "vanban").glob("libreoffice-profile-*/user"))
    assert len(list((tmp_path / "cache" / "vanban").glob("libreoffice-profile-*-spare/*/user"))) == 2


def test_libreoffice_starts_without_its_graphics_tests(tmp_path, monkeypatch):
    """A profile that has not recorded the version it was last used with makes every LibreOffice start
    run its graphics render tests (~1 s of CPU, a GraphicsRenderTests.log in the profile): vanban's
    profiles record the installed version, so no process of the pool runs them."""
    exe = soffice_or_skip()
    monkeypatch.setenv("VANBAN_CACHE", str(tmp_path / "cache"))
    version = re.search(r"LibreOffice (\d+\.\d+)", subprocess.run([exe, "--version"], capture_output=True,
                                                                  text=True).stdout)
    assert version, "soffice --version names the version"
    files = _small_docs(tmp_path / "docs", 2)
    for _ in range(3):  # a new profile, a copy of the kept one, a spare given back
        libreoffice(files, [f.with_suffix(".pdf") for f in files], timeout=300, jobs=2)
    profiles = list((tmp_path / "cache" / "vanban").glob("libreoffice-profile-*")) + \
        list((tmp_path / "cache" / "vanban").glob("libreoffice-profile-*-spare/*"))
    assert len(profiles) == 4  # the kept one, its spare folder, two spares
    for profile in profiles:
        if profile.name.endswith("-spare"):
            continue
        assert not (profile / "user" / "GraphicsRenderTests.log").exists(), profile
        settings = (profile / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
        assert f'oor:name="ooSetupLastVersion" oor:op="fuse"><value>{version.group(1)}</value>' in settings


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to list processes")
def test_an_interrupt_stops_every_libreoffice(tmp_path, monkeypatch):
    soffice_or_skip()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    files = _small_docs(tmp_path / "docs", 4)

    def ctrl_c_once_running(done):
        if len(_profiles(_processes_under(tmp_path))) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        libreoffice(files, [f.with_suffix(".pdf") for f in files], timeout=300, jobs=2,
                    progress=ctrl_c_once_running)
    assert _gone(tmp_path)
    assert not list((tmp_path / "docs").glob("*.pdf"))


@pytest.mark.skipif(not Path("/proc").is_dir() or not hasattr(__import__("signal"), "SIGTERM"),
                    reason="needs /proc and POSIX signals")
def test_vanban_pdf_stopped_by_sigterm_leaves_no_libreoffice(tmp_path):
    soffice_or_skip()
    import os
    import signal
    import sys
    import time

    out = tmp_path / "outputs"
    _small_docs(out, 3)
    (tmp_path / "tmp").mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "pdf", "--out", str(out)],
                            env=dict(os.environ, TMPDIR=str(tmp_path / "tmp")),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not _processes_under(tmp_path) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "vanban pdf finished before LibreOffice was seen"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) != 0
    assert _gone(tmp_path)


def test_a_failure_names_the_file_and_keeps_the_others(tmp_path):
    soffice_or_skip()
    _small_docs(tmp_path / "outputs", 2)
    broken = tmp_path / "outputs" / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a document")
    # named on the command line: a folder's walk would skip it as no .docx (tests/test_pdf_writes.py)
    named = [str(p) for p in sorted((tmp_path / "outputs").glob("*.docx"))]
    result = CliRunner().invoke(main, ["pdf", "--out", str(tmp_path / "outputs"), *named])
    assert result.exit_code == EXIT_EXTERNAL
    assert "hong.docx" in result.output and "vb-0.docx" not in result.output
    pdfs = tmp_path / "outputs" / "pdf"
    assert sorted(p.name for p in pdfs.glob("*.pdf")) == ["vb-0.pdf", "vb-1.pdf"]
    # the next run retries only the broken file
    result = CliRunner().invoke(main, ["pdf", "--out", str(tmp_path / "outputs"), *named])
    assert result.exit_code == EXIT_EXTERNAL and "hong.docx" in result.output
    assert "Chuyển sang PDF" in result.output and "0/1" in result.output


def test_a_second_run_converts_nothing_and_a_changed_document_is_converted_again(pdf_build, tmp_path):
    from docx import Document

    out = tmp_path / "outputs"
    shutil.copytree(pdf_build, out)
    pdfs = out / "pdf"
    before = {p: p.read_bytes() for p in pdfs.rglob("*.pdf")}
    # --draft, as `pdf_build` printed the set: its self-assessment is a draft (the criteria's decision to fill)
    result = CliRunner().invoke(main, ["pdf", "--out", str(out), "--draft"])
    assert result.exit_code == 0, result.output
    assert "Không có văn bản nào thay đổi" in result.output and "Chuyển sang PDF" not in result.output
    assert {p: p.read_bytes() for p in pdfs.rglob("*.pdf")} == before

    # one document edited, one PDF deleted, one PDF replaced by something else: those three only
    edited = out / "ke-hoach-con" / "kh-chuyen-doi-so.docx"
    doc = Document(str(edited))
    doc.add_paragraph("Đoạn thêm để thử chuyển lại")
    doc.save(str(edited))
    (pdfs / "phu-luc" / "phu-luc-II-tthc.pdf").unlink()
    (pdfs / "bao-cao" / "2025-12-bc-cchc-2025.pdf").write_bytes(before[pdfs / "ke-hoach-cchc.pdf"])
    result = CliRunner().invoke(main, ["pdf", "--out", str(out), "--draft"])
    assert result.exit_code == 0, result.output
    assert "Đã chuyển 3 văn bản" in result.output
    assert "Đoạn thêm để thử chuyển lại" in _pdf_text(pdfs / "ke-hoach-con" / "kh-chuyen-doi-so.pdf")
    assert "Phụ lục II" in _pdf_text(pdfs / "phu-luc" / "phu-luc-II-tthc.pdf")
    assert "Phụ lục" not in _pdf_text(pdfs / "bao-cao" / "2025-12-bc-cchc-2025.pdf")[:200]
    redone = {"ke-hoach-con/kh-chuyen-doi-so.pdf", "phu-luc/phu-luc-II-tthc.pdf", "bao-cao/2025-12-bc-cchc-2025.pdf"}
    for p, data in before.items():
        if p.relative_to(pdfs).as_posix() not in redone:
            assert p.read_bytes() == data, p
