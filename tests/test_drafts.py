"""Placeholders are drafts, not prints (issue 28): a commune made by `vanban init` holds "CẦN ĐIỀN" places.

`build` writes its documents and says how many places are left and where; `vanban check` reports each
document holding one as an error (the registry's blank number and day stay a note); `build --pdf` and
`vanban pdf` refuse them (exit 3, no PDF written) unless `--draft`, which prints a PDF marked "DỰ THẢO" at
the top of page 1 and in its title, the .docx untouched. Once a clerk fills every place in the YAML, every
document passes `vanban check`, and its PDF is no draft.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_FINDINGS, EXIT_INVALID_INPUT
from tests.conftest import open_docx, soffice_or_skip
from tests.docx_read import body_text

MARK = "CẦN ĐIỀN"
# What a clerk of xã Hòa Lộc (Nghệ An) writes at each place `vanban init` leaves, keyed by the words after
# the marker. A place this table does not know fails the test: a new placeholder in the scaffold must be
# given a fill here, so that "every document passes check once filled" stays true.
FILLS = {
    "họ và tên Chủ tịch": "Lê Văn Hùng",
    "họ và tên Phó Chủ tịch": "Nguyễn Thị Lan",
    "kế hoạch cải cách hành chính của UBND tỉnh": "Kế hoạch số 15/KH-UBND ngày 20/01/{year} của UBND tỉnh Nghệ An "
                                                  "về cải cách hành chính nhà nước năm {year}",
}
PLAN = "ke-hoach-cchc.docx"
DECISION = ("sample: false\ndecision:\n  number: 1234/QĐ-UBND\n  date: {year}-01-15\n"
            "  issuer: Ủy ban nhân dân tỉnh Nghệ An\n")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def documents(folder: Path) -> list[Path]:
    return sorted(p for p in (folder / "outputs").rglob("*.docx") if "pdf" not in p.parts)


def places_in_inputs(folder: Path) -> list[tuple[str, int, str]]:
    """(file, line, the words after the marker) of every place in the commune's YAML, read as text."""
    found = []
    for f in sorted((folder / "inputs").rglob("*.yaml")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            for m in re.finditer(MARK + r' ([^"\n]*)', line):
                found.append((f.name, n, m.group(1)))
    return found


def fill(folder: Path, year: int) -> int:
    """Replace every place in the YAML with what the office writes there (``FILLS``); how many were filled."""
    filled = 0

    def value(m: re.Match) -> str:
        nonlocal filled
        words = m.group(1)
        known = [k for k in FILLS if words.startswith(k)]
        assert len(known) == 1, f"no fill for the place “{MARK} {words}”: add one to FILLS"
        filled += 1
        return FILLS[known[0]].format(year=year)

    for f in (folder / "inputs").rglob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        f.write_text(re.sub(MARK + r' ([^"\n]*)', value, text), encoding="utf-8")
    # The self-assessment's criteria are vanban's draft until the office has its province's decision
    # (their citation prints "CẦN ĐIỀN"): the office records the decision it received.
    criteria = folder / "inputs" / "criteria" / "chi_so_cchc.yaml"
    text = criteria.read_text(encoding="utf-8")
    assert "sample: true\ndecision: {}\n" in text
    criteria.write_text(text.replace("sample: true\ndecision: {}\n", DECISION.format(year=year)), encoding="utf-8")
    return filled


def check_json(files: list[Path]) -> tuple[int, dict]:
    result = run("check", "--no-schema", "--format", "json", *files)
    return result.exit_code, json.loads(result.stdout)


def errors(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["severity"] == "error"]


@pytest.fixture(scope="module", params=[("ca-nam", 2026), ("6-thang-cuoi", 2025)],
                ids=["ca-nam-2026", "6-thang-cuoi-2025"])
def fresh(request, tmp_path_factory):
    """A commune just made by `vanban init`, built: (folder, year, build's output)."""
    kind, year = request.param
    folder = tmp_path_factory.mktemp("drafts") / "hoa-loc"
    made = run("init", folder, "--commune", "xã Hòa Lộc", "--province", "Nghệ An", "--year", year, "--period", kind)
    assert made.exit_code == 0, made.output
    built = run("build", "--inputs", folder / "inputs", "--out", folder / "outputs")
    assert built.exit_code == 0, built.output
    return folder, year, built.output


@pytest.fixture(scope="module")
def filled(fresh, tmp_path_factory):
    """The same commune, every place filled in its YAML, then built again."""
    source, year, _ = fresh
    folder = tmp_path_factory.mktemp("filled") / "hoa-loc"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".git"))
    assert fill(folder, year) == len(places_in_inputs(source)) > 0
    built = run("build", "--inputs", folder / "inputs", "--out", folder / "outputs")
    assert built.exit_code == 0, built.output
    return folder, year, built.output


def test_build_writes_the_documents_and_says_how_many_places_are_left_and_where(fresh):
    folder, _, output = fresh
    places = places_in_inputs(folder)
    assert len(places) == 3  # the Chairman's and the Vice-Chairman's names, the province's plan
    for name, line, _ in places:  # each place named by the lint as file:line, with its field
        assert re.search(rf"{re.escape(name)}:{line}:\d+: cảnh báo placeholder \[", output), (name, line)
    summary = re.search(r"Còn chỗ chưa điền: (\d+) chỗ 'CẦN ĐIỀN' trong dữ liệu đầu vào .*?hiện ra ở (\d+) đoạn "
                        r"của (\d+)/(\d+) văn bản:", output)
    assert summary, output
    assert int(summary[1]) == 3 and int(summary[4]) == len(documents(folder))
    plan_line = re.search(rf"outputs/{PLAN}: (\d+) chỗ, ví dụ “CẦN ĐIỀN kế hoạch cải cách hành chính", output)
    assert plan_line and plan_line[1] == "2", output  # the province's plan among its bases; its signer's name
    assert "--draft" in output
    assert (folder / "outputs" / PLAN).is_file()


def test_check_reports_each_document_holding_a_place_as_an_error_located(fresh):
    folder, _, _ = fresh
    code, reports = check_json(documents(folder))
    assert code == EXIT_FINDINGS
    holding = {f: r for f, r in reports.items() if any(x["rule"] == "text.placeholder" for x in r["findings"])}
    shown = run("build", "--inputs", folder / "inputs", "--out", folder / "outputs").output
    counted = re.search(r"của (\d+)/\d+ văn bản", shown)
    assert counted and len(holding) == int(counted[1]) > 0
    plan = next(r for f, r in reports.items() if f.endswith(PLAN))
    finding = next(x for x in plan["findings"] if x["rule"] == "text.placeholder")
    assert finding["severity"] == "error" and finding["measured"] == "2 chỗ"
    assert "“CẦN ĐIỀN kế hoạch cải cách hành chính" in finding["message"]
    assert re.search(r"bảng \d+, hàng \d+, cột \d+, đoạn \d+: “CẦN ĐIỀN họ và tên Phó Chủ tịch”", finding["message"])
    for report in reports.values():  # nothing else is wrong with them; the registry's blanks are a note
        assert [x["rule"] for x in errors(report)] in ([], ["text.placeholder"]), report
        assert [x["severity"] for x in report["findings"] if x["rule"] == "header.draft"] in ([], ["info"])


def test_every_document_passes_check_once_the_places_are_filled(filled):
    folder, year, output = filled
    assert places_in_inputs(folder) == []
    assert "cảnh báo placeholder" not in output and "Còn chỗ chưa điền" not in output
    docs = documents(folder)
    code, reports = check_json(docs)
    assert code == 0, {f: errors(r) for f, r in reports.items() if errors(r)}
    assert len(reports) == len(docs)
    notes = [x for r in reports.values() for x in r["findings"] if x["rule"] == "header.draft"]
    assert notes and {x["severity"] for x in notes} == {"info"}  # still unregistered: a note, not an error
    plan_text = subprocess.run(["python", "-m", "pipeline", "textconv", folder / "outputs" / PLAN],
                               capture_output=True, text=True).stdout
    assert f"Kế hoạch số 15/KH-UBND ngày 20/01/{year} của UBND tỉnh Nghệ An" in plan_text
    assert "Nguyễn Thị Lan" in plan_text


def pdf_words(pdf: Path) -> list[tuple[str, float, float, float]]:
    """(word, x, y, page width) of page 1's words, from pdftotext's bounding boxes."""
    html = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", pdf, "-"], capture_output=True,
                          text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', html)[1])
    return [(w, float(x), float(y), width) for x, y, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)]


def pdf_title(pdf: Path) -> str:
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    return re.search(r"^Title:\s*(.*)$", info, re.M)[1]


def poppler_or_skip() -> None:
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        pytest.skip("pdftotext, pdfinfo (poppler-utils) are not installed")


def test_build_pdf_refuses_documents_with_places_left_and_prints_the_others(fresh, tmp_path):
    folder, year, _ = fresh
    alone = run("pdf", "--out", folder / "outputs", folder / "outputs" / PLAN)
    assert alone.exit_code == EXIT_INVALID_INPUT and not list((folder / "outputs").rglob("*.pdf"))
    assert "không tạo PDF của văn bản nào" in alone.output
    soffice_or_skip()
    if year != 2026:
        pytest.skip("one commune is enough for LibreOffice")
    copy = tmp_path / "hoa-loc"  # the fixture's folder stays without PDFs for the tests below
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".git"))
    before = {p: sha(p) for p in documents(copy)}
    held = {p.relative_to(copy / "outputs").with_suffix("") for p in documents(copy)
            if MARK in body_text(open_docx(p))}
    result = run("build", "--inputs", copy / "inputs", "--out", copy / "outputs", "--pdf")
    assert result.exit_code == EXIT_INVALID_INPUT, result.output
    assert re.search(r"Không tạo PDF: \d+ văn bản còn \d+ chỗ đánh dấu 'CẦN ĐIỀN' chưa điền", result.output)
    assert "(PDF của các văn bản khác đã có)" in result.output
    assert f"outputs/{PLAN}: 2 chỗ" in result.output and "--draft" in result.output, result.output[-3000:]
    pdfs = {p.relative_to(copy / "outputs" / "pdf").with_suffix("") for p in (copy / "outputs").rglob("*.pdf")}
    assert held and pdfs and not pdfs & held  # the others printed; none of those holding a place
    assert pdfs | held == {p.relative_to(copy / "outputs").with_suffix("") for p in documents(copy)}
    assert {p: sha(p) for p in documents(copy)} == before



def test_pdf_draft_is_marked_on_page_one_and_in_its_title_and_the_docx_is_untouched(fresh):
    soffice_or_skip()
    poppler_or_skip()
    folder, year, _ = fresh
    if year != 2026:
        pytest.skip("one commune is enough for LibreOffice")
    out = folder / "outputs"
    plan = out / PLAN
    before = sha(plan)
    result = run("pdf", "--out", out, "--draft", plan)
    assert result.exit_code == 0, result.output
    pdf = out / "pdf" / "ke-hoach-cchc.pdf"
    words = pdf_words(pdf)
    draft = [w for w in words if w[0] in ("DỰ", "THẢO")]
    agency = next(w for w in words if w[0] == "ỦY")
    assert [w[0] for w in draft] == ["DỰ", "THẢO"]
    assert all(w[2] < agency[2] and w[1] > w[3] / 2 for w in draft)  # above the header block, on the right
    assert pdf_title(pdf) == f"DỰ THẢO — Kế hoạch Cải cách hành chính trên địa bàn xã Hòa Lộc năm {year}"
    assert sha(plan) == before
    assert not (set(MARK.split()) - {w[0] for w in words})  # the place itself is printed as it is
    again = run("pdf", "--out", out, plan)  # a draft PDF stands for no final one: still refused
    assert again.exit_code == EXIT_INVALID_INPUT


def test_a_filled_document_prints_with_no_draft_mark(filled):
    soffice_or_skip()
    poppler_or_skip()
    folder, year, _ = filled
    if year != 2026:
        pytest.skip("one commune is enough for LibreOffice")
    out = folder / "outputs"
    result = run("pdf", "--out", out, out / PLAN)
    assert result.exit_code == 0, result.output
    pdf = out / "pdf" / "ke-hoach-cchc.pdf"
    assert not {"DỰ", "THẢO"} & {w[0] for w in pdf_words(pdf)}
    assert pdf_title(pdf) == f"Kế hoạch Cải cách hành chính trên địa bàn xã Hòa Lộc năm {year}"


def test_build_pdf_draft_prints_every_document_and_marks_only_those_with_places(fresh, tmp_path):
    soffice_or_skip()
    poppler_or_skip()
    source, year, _ = fresh
    if year != 2025:
        pytest.skip("one commune is enough for LibreOffice")
    folder = tmp_path / "hoa-loc"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".git", "pdf"))
    result = run("build", "--inputs", folder / "inputs", "--out", folder / "outputs", "--pdf", "--draft")
    assert result.exit_code == 0, result.output
    index = json.loads((folder / "outputs" / "pdf" / ".vanban-pdf.json").read_text(encoding="utf-8"))["pdfs"]
    docs = documents(folder)
    assert len(index) == len(docs)
    _, reports = check_json(docs)
    holding = {Path(f).relative_to(folder / "outputs").with_suffix(".pdf").as_posix()
               for f, r in reports.items() if any(x["rule"] == "text.placeholder" for x in r["findings"])}
    assert holding and {k for k, e in index.items() if e.get("draft")} == holding
    for rel in sorted(index)[:3]:  # a few read back: the mark where the index says a draft
        marked = "DỰ" in {w[0] for w in pdf_words(folder / "outputs" / "pdf" / rel)}
        assert marked == (rel in holding), rel


def test_the_draft_copy_is_a_valid_word_file_marked_on_top_and_titled_as_a_draft(fresh, tmp_path):
    """Word reads the copy as strictly as any output: the mark breaks no rule of the OOXML schema."""
    from pipeline.ooxml.audit import schema_errors
    from pipeline.pdf.draft import draft_copy
    from tests.conftest import open_docx

    folder, year, _ = fresh
    if year != 2026:
        pytest.skip("one document is enough")
    copy = draft_copy(folder / "outputs" / PLAN, tmp_path / PLAN)
    assert list(schema_errors(copy, warnings=True)) == []
    doc = open_docx(copy)
    first = doc.paragraphs[0]
    assert first.text == "DỰ THẢO" and first.runs[0].bold and first.alignment == 2  # right
    assert doc.core_properties.title == f"DỰ THẢO — Kế hoạch Cải cách hành chính trên địa bàn xã Hòa Lộc năm {year}"
    assert open_docx(folder / "outputs" / PLAN).paragraphs[0].text != "DỰ THẢO"
