"""End-to-end runs of `vanban build`: reproducible bytes, --check, located errors, nothing half-written."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_FINDINGS, EXIT_INVALID_INPUT
from tests.conftest import DATA, INPUTS, OUTPUTS, open_docx
from tests.docx_read import body_text, signature_table


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_two_builds_are_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run("build", "--inputs", INPUTS, "--out", a).exit_code == 0
    assert run("build", "--inputs", INPUTS, "--out", b).exit_code == 0
    assert snapshot(a) == snapshot(b)
    assert len([p for p in snapshot(a) if p.endswith(".docx")]) >= 7


def test_committed_outputs_match_a_fresh_build():
    result = run("build", "--inputs", INPUTS, "--out", OUTPUTS, "--check")
    assert result.exit_code == 0, result.output


def test_check_reports_a_stale_output(tmp_path):
    out = tmp_path / "out"
    run("build", "--inputs", DATA / "mini", "--out", out)
    target = next(out.glob("*.docx"))
    target.write_bytes(target.read_bytes() + b"x")
    result = run("build", "--inputs", DATA / "mini", "--out", out, "--check")
    assert result.exit_code == EXIT_FINDINGS
    assert target.name in result.output


def test_invalid_input_is_located_and_writes_nothing(inputs_copy, tmp_path):
    out = tmp_path / "outputs"
    run("build", "--inputs", inputs_copy, "--out", out)
    before = snapshot(out)
    plan = inputs_copy / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    lines = text.splitlines()
    idx = next(i for i, l in enumerate(lines) if l.startswith("summary:"))
    lines[idx] = lines[idx].replace("summary:", "sumary:")
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("build", "--inputs", inputs_copy, "--out", out)
    assert result.exit_code == EXIT_INVALID_INPUT
    assert f"plan.yaml:{idx + 1}:1" in result.output
    assert "sumary" in result.output and "summary" in result.output
    assert snapshot(out) == before


def test_broken_yaml_is_located(inputs_copy, tmp_path):
    path = inputs_copy / "commune.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nunits: [oops\n", encoding="utf-8")
    result = run("build", "--inputs", inputs_copy, "--out", tmp_path / "o")
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "commune.yaml:" in result.output and "YAML" in result.output
    assert not (tmp_path / "o").exists()


def test_input_text_is_data_not_markup(tmp_path):
    out = tmp_path / "o"
    assert run("build", "--inputs", DATA / "mini", "--out", out).exit_code == 0
    text = body_text(open_docx(out / "ke-hoach-thu.docx"))
    assert "& công khai <minh bạch> {{ không phải thẻ }}." in text


def test_second_commune_signs_on_behalf_of_the_committee(tmp_path):
    out = tmp_path / "o"
    run("build", "--inputs", DATA / "mini", "--out", out)
    doc = open_docx(out / "ke-hoach-thu.docx")
    left, right = doc.tables[0].rows[1].cells
    assert left.text.strip() == "Số: 07/KH-UBND"
    assert right.text.strip() == "Hòa Sơn, ngày 05 tháng 01 năm 2026"
    sig_table = signature_table(doc)
    sig = [p.text for p in sig_table.rows[0].cells[1].paragraphs if p.text.strip()]
    assert sig == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Thị Mai"]
    assert "Phụ lục" in body_text(doc) and "Phụ lục I" not in body_text(doc)  # one appendix: no numeral


def test_an_output_the_inputs_no_longer_make_is_removed(tmp_path):
    import shutil

    src = tmp_path / "in"
    shutil.copytree(DATA / "mini", src)
    out = tmp_path / "o"
    assert run("build", "--inputs", src, "--out", out).exit_code == 0
    old = out / "ke-hoach-thu.docx"
    assert old.exists()
    plan = src / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("id: ke_hoach_thu", "id: ke_hoach_moi"), encoding="utf-8")
    result = run("build", "--inputs", src, "--out", out)
    assert result.exit_code == 0
    assert not old.exists() and (out / "ke-hoach-moi.docx").exists()
    assert "đã xóa" in result.output
    assert run("build", "--inputs", src, "--out", out, "--check").exit_code == 0


def test_usage_errors_are_vietnamese():
    from pipeline.errors import EXIT_USAGE

    result = CliRunner().invoke(main, ["buld"])
    assert result.exit_code == EXIT_USAGE
    assert "không có lệnh 'buld' (có phải ý là 'build'?)" in result.output
    result = CliRunner().invoke(main, ["build", "--chek"])
    assert result.exit_code == EXIT_USAGE and "không có tùy chọn --chek" in result.output
    assert "Cách dùng: " in CliRunner().invoke(main, ["--help"]).output


def test_a_set_larger_than_any_commune_s_is_refused_with_its_count_before_anything_is_written(tmp_path, monkeypatch):
    """A mistyped year in the plan's period once wrote 3,625 documents without a word: a set over
    the bound is refused, naming plan.yaml's period and the count, and nothing is rendered or written."""
    from pipeline.plan import documents

    real = documents.plan_build
    monkeypatch.setattr(documents, "plan_build", lambda inputs: real(inputs) * 50)  # 25 × 50 = 1,250
    monkeypatch.setenv("VANBAN_CACHE", str(tmp_path / "cache"))
    result = CliRunner().invoke(main, ["build", "--inputs", str(INPUTS), "--out", str(tmp_path / "out")])
    assert result.exit_code == 3, result.output
    assert "plan.yaml" in result.output and "period" in result.output
    assert "1.250 văn bản" in result.output and "giới hạn 1000" in result.output
    assert not (tmp_path / "out").exists()
