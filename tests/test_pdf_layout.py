"""What a clerk sees on the printed page (issue 14), read from real LibreOffice PDFs with
``pdftotext -bbox-layout``: balanced titles, dates never split, "Kính gửi" dashes aligned,
and `vanban pdf` warning about places the drafter has not written yet."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import OUTPUTS, open_docx, soffice_or_skip
from tests.docx_read import body_text

DOCS = {
    "q3": "bao-cao/2025-09-bc-cchc-2025-q3.docx",  # two recipients after "Kính gửi"
    "july": "bao-cao/2025-07-bc-ky-luat-ky-cuong-2025-07.docx",  # "tháng 7 năm 2025" in the title
    "thrift": "ke-hoach-con/ctr-thtk-clp.docx",  # its title once left "năm 2025" alone
    "plan": "ke-hoach-cchc.docx",  # six appendix titles
    "thpl": "bao-cao/2025-11-bc-theo-doi-thpl-2025.docx",  # one recipient
}
NOTE = "[Cán bộ soạn thảo viết:"


@dataclass
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    words: list[tuple[str, float]]  # (text, xMin)

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    soffice_or_skip()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf_dir = tmp_path_factory.mktemp("pdf")
    files = [str(OUTPUTS / rel) for rel in DOCS.values()]
    run = subprocess.run([sys.executable, "-m", "pipeline", "pdf", "--out", str(OUTPUTS), "--pdf-dir", str(pdf_dir),
                          *files], capture_output=True, text=True, env={**os.environ, "COLUMNS": "400"})
    assert run.returncode == 0, run.stdout + run.stderr
    pdfs = {key: pdf_dir / Path(rel).with_suffix(".pdf") for key, rel in DOCS.items()}
    assert all(p.is_file() for p in pdfs.values()), run.stdout + run.stderr
    return pdfs, run.stderr


def pages(pdf: Path) -> list[list[Line]]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    out = []
    for page in ET.fromstring(xml).iterfind(".//h:page", ns):
        lines = []
        for ln in page.iterfind(".//h:line", ns):
            words = [(w.text or "", float(w.get("xMin"))) for w in ln.iterfind("h:word", ns)]
            lines.append(Line(" ".join(w for w, _ in words), *(float(ln.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")),
                              words))
        out.append(sorted(lines, key=lambda l: (round(l.y0), l.x0)))
    return out


def block_after(lines: list[Line], first: int, stop) -> list[Line]:
    """The lines after ``lines[first]`` that follow each other closely (one paragraph), until ``stop``."""
    out = []
    prev = lines[first]
    for ln in lines[first + 1:]:
        if stop(ln) or ln.y0 - prev.y1 > 4:
            break
        out.append(ln)
        prev = ln
    return out


def title_lines(pdf: Path) -> list[str]:
    first = pages(pdf)[0]
    i = next(i for i, l in enumerate(first) if l.text in ("BÁO CÁO", "KẾ HOẠCH", "CHƯƠNG TRÌNH"))
    return block_after(first, i, lambda l: l.text.startswith("Kính gửi"))


def assert_balanced(lines: list[Line], what: str) -> None:
    assert lines, what
    if len(lines) > 1:
        # the last line of a wrapped title is not a left-over: at least 60 % of the first
        assert lines[-1].width >= 0.6 * lines[0].width, f"{what}: {[l.text for l in lines]}"
    for a, b in zip(lines, lines[1:]):
        assert not (re.search(r"(?i)(tháng \d+|quý [IVX]+)$", a.text) and re.match(r"(?i)năm \d{4}", b.text)), \
            f"{what}: a date split across lines: {[l.text for l in lines]}"
    assert not any(re.fullmatch(r"(?i)năm \d{4}\)?", l.text) for l in lines), f"{what}: a lone year line"


@pytest.mark.parametrize("key", ["q3", "july", "thrift", "plan"])
def test_summary_lines_are_balanced_and_dates_whole(converted, key):
    assert_balanced(title_lines(converted[0][key]), key)


def test_monthly_report_title_keeps_its_date_on_one_line(converted):
    lines = [l.text for l in title_lines(converted[0]["july"])]
    assert any("tháng 7 năm 2025" in t for t in lines), lines


def test_appendix_titles_are_balanced(converted):
    seen = 0
    for page in pages(converted[0]["plan"]):
        for i, line in enumerate(page):
            if re.fullmatch(r"Phụ lục [IVX]+", line.text):
                seen += 1
                assert_balanced(block_after(page, i, lambda l: l.text.startswith("(Kèm theo")), line.text)
    assert seen == 6


def test_kinh_gui_dashes_stand_under_one_another(converted):
    first = pages(converted[0]["q3"])[0]
    i = next(i for i, l in enumerate(first) if l.text.startswith("Kính gửi:"))
    label, below = first[i], first[i + 1]
    assert label.text.startswith("Kính gửi: - Ủy ban nhân dân tỉnh"), "the first recipient beside the label"
    assert below.text.startswith("- Sở Nội vụ"), below.text
    dash_1 = next(x for w, x in label.words if w == "-")
    dash_2 = below.words[0][1]
    assert abs(dash_1 - dash_2) < 0.5, (dash_1, dash_2)


def test_one_recipient_stays_on_the_kinh_gui_line(converted):
    first = pages(converted[0]["thpl"])[0]
    # the monitoring report goes to the province through its Department of Justice (issue 15)
    assert "Kính gửi: Ủy ban nhân dân tỉnh Thanh Hóa (qua Sở Tư pháp)." in [l.text for l in first]


def test_pdf_warns_about_unwritten_drafter_places_naming_file_and_count(converted):
    stderr = converted[1]
    for rel in DOCS.values():
        n = body_text(open_docx(OUTPUTS / rel)).count(NOTE)
        mentioned = re.search(re.escape(rel) + r" còn (\d+) chỗ", stderr)
        if n:
            assert mentioned and int(mentioned.group(1)) == n, (rel, n, stderr)
        else:
            assert not mentioned, (rel, stderr)
