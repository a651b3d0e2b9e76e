"""A second, different commune: other names, other signatures, a unit issuing in its own name (issue 9)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipeline.check.file import check_file
from pipeline.cli import main
from tests.conftest import DATA, open_docx
from tests.docx_read import all_runs_are, body_text, signature_table


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("hoa_son")
    result = CliRunner().invoke(main, ["build", "--inputs", str(DATA / "mini"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def signature(doc):
    table = signature_table(doc)
    return [p.text for p in table.rows[0].cells[1].paragraphs if p.text.strip()]


def test_a_unit_issues_under_the_committee(out):
    doc = open_docx(out / "ke-hoach-con" / "kh-cong-khai-tthc.docx")
    left = doc.tables[0].rows[0].cells[0]
    lines = [p for p in left.paragraphs if p.text.strip()]
    assert [p.text for p in lines] == ["UBND XÃ HÒA SƠN", "TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG"]
    assert all_runs_are(lines[0], bold=None) or not any(r.bold for r in lines[0].runs)
    assert not lines[0].style.font.bold, "the parent line is not bold"
    assert all(p.style.font.bold for p in lines[1:]), "the unit's own name is bold"
    assert doc.tables[0].rows[1].cells[0].text.strip() == "Số:      /KH-TTPVHCC"
    assert signature(doc) == ["GIÁM ĐỐC", "Phạm Văn Hùng"]
    assert "Trung tâm Phục vụ Hành chính công ban hành Kế hoạch công khai thủ tục hành chính" in body_text(doc)
    assert [f.rule for f in check_file(out / "ke-hoach-con" / "kh-cong-khai-tthc.docx") if f.severity == "error"] == []


def test_the_chairman_signs_directly_and_on_behalf(out):
    report = open_docx(out / "bao-cao" / "2026-12-bc-nam-2026-12.docx")
    assert signature(report) == ["CHỦ TỊCH", "Lê Thị Mai"]
    plan = open_docx(out / "ke-hoach-thu.docx")
    assert signature(plan) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Thị Mai"]
    assert plan.tables[0].rows[1].cells[1].text.strip() == "Hòa Sơn, ngày 05 tháng 01 năm 2026"


def test_one_appendix_one_task_table(out):
    plan = open_docx(out / "ke-hoach-thu.docx")
    labels = [p.text for p in plan.paragraphs if p.style.name == "VB Appendix No"]
    assert labels == ["Phụ lục"], "a single appendix carries no numeral"
    tasks = [t for t in plan.tables if t.rows[0].cells[0].text == "TT"]
    assert len(tasks) == 1 and len(tasks[0].rows) == 3
