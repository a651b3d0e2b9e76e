"""A new commune in minutes, a province in a run: init, batch build, the repeat-build fast path (issue 9)."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_INVALID_INPUT, EXIT_USAGE
from pipeline.decree.labels import PLACEHOLDER
from pipeline.lint.linter import lint
from pipeline.inputs.validate import load_inputs
from tests.conftest import ROOT, open_docx
from tests.docx_read import body_text


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_init_then_build_a_new_commune(tmp_path):
    target = tmp_path / "yen-lac"
    result = run("init", target, "--commune", "yên lạc", "--province", "Vĩnh Phúc")
    assert result.exit_code == 0, result.output
    inputs = target / "inputs"
    assert (inputs / "plan.yaml").exists() and (target / "schema" / "plan.schema.json").exists()
    text = "".join(p.read_text(encoding="utf-8") for p in inputs.rglob("*.yaml"))
    assert "Xuân Bình" not in text and "Thanh Hóa" not in text and "«" not in text
    assert "Yên Lạc" in text and "YÊN LẠC" in text and "Vĩnh Phúc" in text
    found = lint(load_inputs(inputs))
    assert {f.rule for f in found} == {"placeholder"}, "the lint flags only what is left to fill"
    assert all(f.severity == "warning" for f in found)
    result = run("build", "--inputs", inputs, "--out", target / "outputs")
    assert result.exit_code == 0, result.output
    again = run("build", "--inputs", inputs, "--out", target / "outputs")
    assert "Không có gì thay đổi" in again.output and "placeholder" in again.output, "warnings are shown again"
    doc = open_docx(target / "outputs" / "ke-hoach-cchc.docx")
    assert [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs if p.text.strip()] == ["ỦY BAN NHÂN DÂN", "XÃ YÊN LẠC"]
    assert doc.tables[0].rows[1].cells[1].text.strip().startswith("Yên Lạc, ngày")
    assert "UBND xã Yên Lạc xây dựng Kế hoạch" in body_text(doc)
    # until the placeholders are filled, a strict build refuses
    assert run("build", "--inputs", inputs, "--out", tmp_path / "x", "--strict").exit_code == EXIT_INVALID_INPUT
    # filling them makes the lint clean
    for p in inputs.rglob("*.yaml"):
        p.write_text(p.read_text(encoding="utf-8").replace(f"{PLACEHOLDER} họ và tên Chủ tịch", "Nguyễn Văn An")
                     .replace(f"{PLACEHOLDER} họ và tên Phó Chủ tịch", "Trần Thị Bình")
                     .replace(f'"{PLACEHOLDER} kế hoạch cải cách hành chính của UBND tỉnh Vĩnh Phúc (số, ngày, trích yếu)"',
                              "Quyết định số 12/QĐ-UBND ngày 05/01/2025 của UBND tỉnh Vĩnh Phúc"), encoding="utf-8")
    assert lint(load_inputs(inputs)) == []


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.txt").write_text("giữ nguyên")
    result = run("init", tmp_path / "x", "--commune", "A", "--province", "B")
    assert result.exit_code == EXIT_USAGE and "không ghi đè" in result.output
    assert (tmp_path / "x" / "a.txt").read_text() == "giữ nguyên"


def test_batch_build_reports_a_bad_commune_and_keeps_the_others(tmp_path):
    for name in ("hoa-son", "yen-lac", "tan-phu"):
        assert run("init", tmp_path / name, "--commune", name.replace("-", " "), "--province", "Nghệ An").exit_code == 0
    plan = tmp_path / "tan-phu" / "inputs" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("signer: pho_chu_tich", "signer: khong_co"), encoding="utf-8")
    result = run("build", "--inputs", str(tmp_path / "*" / "inputs"), "--jobs", "2")
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "tan-phu" in result.output and "khong_co" in result.output
    assert "2/3 xã xong" in result.output
    for good in ("hoa-son", "yen-lac"):
        assert (tmp_path / good / "outputs" / "ke-hoach-cchc.docx").exists()
    assert not any((tmp_path / "tan-phu" / "outputs").iterdir()), "init's empty outputs/ stays empty"


def test_a_repeat_build_renders_nothing(tmp_path):
    out = tmp_path / "o"
    assert run("build", "--out", out, "--inputs", ROOT / "inputs").exit_code == 0
    code = ("import sys; from pipeline.cli import main; sys.argv=['vanban','build','--inputs',sys.argv[1],'--out',sys.argv[2]];\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('docxtpl' in sys.modules, 'pydantic' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT / "inputs"), str(out)], capture_output=True,
                          text=True, cwd=ROOT)
    assert "Không có gì thay đổi" in proc.stdout, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "False False"
    # touching an input makes the next build render again
    src = tmp_path / "in"
    import shutil

    shutil.copytree(ROOT / "inputs", src)
    assert run("build", "--inputs", src, "--out", tmp_path / "p").exit_code == 0
    p = src / "plan.yaml"
    p.write_text(p.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = run("build", "--inputs", src, "--out", tmp_path / "p")
    assert result.exit_code == 0 and "Không có gì thay đổi" not in result.output


def test_no_commune_is_named_in_code_or_templates():
    import zipfile

    names = ("Xuân Bình", "XUÂN BÌNH", "Thanh Hóa", "Trịnh Ngọc Tuấn")
    for folder in ("pipeline", "tools", "bench"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in (".py", ".yaml", ".json", ".txt"):
                text = path.read_text(encoding="utf-8")
                assert not any(n in text for n in names), path
    for path in (ROOT / "templates").rglob("*.docx"):
        with zipfile.ZipFile(path) as z:
            xml = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml"))
        assert not any(n in xml for n in names), path
