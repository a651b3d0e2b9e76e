"""The lint finds each kind of slip of the seed when someone types it into the inputs (issue 6).

Every case edits one line of a copy of the bundled inputs and expects a finding of the
right rule on that line of that file. The bundled inputs themselves lint clean.
"""

from __future__ import annotations

import shutil
import unicodedata

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_FINDINGS, EXIT_INVALID_INPUT, InputErrors
from pipeline.lint.linter import lint
from pipeline.inputs.validate import load_inputs
from tests.conftest import DATA
from tests.test_build import snapshot


def edit(root, name: str, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` on the first line that holds it; return that line number."""
    path = root / name
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if old in line and not line.lstrip().startswith("#"):
            lines[i] = line.replace(old, new, 1)
            path.write_text("\n".join(lines), encoding="utf-8")
            return i + 1
    raise AssertionError(f"{old!r} not in {name}")


def findings(root):
    return lint(load_inputs(root))


def test_bundled_inputs_lint_clean(inputs):
    assert lint(inputs) == []


SLIPS = [
    # (file, text, slip, rule, severity)
    ("appendices.yaml", "Triển khai Luật", "Triẻn khai Luật", "spelling", "error"),
    ("appendices.yaml", "Xây dựng Kế hoạch kiểm tra", "Xây dựng Kê hoạch kiểm tra", "spelling", "error"),
    ("plan.yaml", "theo quy định", "theo quy đinh", "spelling", "error"),
    ("plan.yaml", "Tiếp tục thực hiện đổi mới", "Tiếp tục thưc hiện đổi mới", "spelling", "error"),
    ("plan.yaml", "clause: Phòng Kinh tế", "clause: Văn phong Kinh tế", "spelling", "error"),
    ("plan.yaml", "clause: Phòng Kinh tế", "clause: Phòng Kinh tế hoá", "spelling-old-tone", "warning"),
    ("plan.yaml", "clause: Phòng Kinh tế", "clause: 2.5. Phòng Kinh tế", "numbering-typed", "error"),
    ("progress/2025-Q3.yaml", "ngày 14/7/2025", "ngày 14/7/225", "date-malformed", "error"),
    ("progress/2025-Q3.yaml", "ngày 14/7/2025", "ngày 31/6/2025", "date-malformed", "error"),
    ("progress/2025-Q3.yaml", "ngày 14/7/2025", "tháng 14/7/2025", "date-month-for-day", "error"),
    ("progress/2025-Q3.yaml", "ngày 14/7/2025", "ngày 14/07/2025", "date-format", "warning"),
    ("plan.yaml", "117/2013/NĐ-CP", "117/2013/NĐCP", "citation-hyphen", "error"),
    ("plan.yaml", "Nghị định số 150/2025/NĐ-CP ngày 12/6/2025", "Nghị định số 150", "citation-year", "error"),
    ("plan.yaml", "Nghị định số 150/2025/NĐ-CP", "Nghị định số 150/2025/QĐ-CP", "citation-type", "error"),
    ("plan.yaml", "Nghị định số 150/2025/NĐ-CP", "Nghị định 150/2025/NĐ-CP", "citation-so", "warning"),
    # a công văn's symbol is the agency, then its drafting unit (§8): the unit left out; a warning, as some
    # bodies do issue so ("Công văn số 1070/TCT" of Đề án 06's working group) and a citation keeps the symbol
    ("plan.yaml", "Nghị định số 150/2025/NĐ-CP", "Công văn số 2441/UBND", "citation-hyphen", "warning"),
    ("plan.yaml", "Nghị định số 150/2025/NĐ-CP", "Kế hoạch số 6159/UBND-NC", "citation-type", "error"),
    ("commune.yaml", "name: Văn phòng HĐND và UBND", "name: Văn phong HĐND và UBND", "spelling", "error"),
    ("plan.yaml", "clause: Phòng Văn hóa - Xã hội", "clause: Phòng VH-XH", "unit-variant", "error"),
    ("plan.yaml", "clause: Phòng Văn hóa - Xã hội", "clause: Phòng Văn hóa – Xã hội", "dash", "warning"),
    ("appendices.yaml", "{ct:online_payment}", "từ 30% trở lên", "target-conflict", "error"),
    ("appendices.yaml", "{ct:online_payment}", "từ 50% trở lên", "target-literal", "warning"),
    ("appendices.yaml", 'deadline: {quarter: "2025-Q3"}', 'deadline: {quarter: "2026-Q3"}', "deadline-period", "error"),
    ("plan.yaml", "clause: Phòng Kinh tế", "clause: CẦN ĐIỀN tên phòng", "placeholder", "warning"),
]


@pytest.mark.parametrize("name,text,slip,rule,severity", SLIPS, ids=[f"{s[3]}:{s[2][:20]}" for s in SLIPS])
def test_each_slip_is_found_where_it_was_typed(inputs_copy, name, text, slip, rule, severity):
    line = edit(inputs_copy, name, text, slip)
    found = [f for f in findings(inputs_copy) if f.rule == rule]
    assert found, f"no {rule} finding"
    hit = [f for f in found if f.file.endswith(name) and f.line == line]
    assert hit, [(f.file, f.line, f.message) for f in found]
    assert hit[0].severity == severity
    assert hit[0].fix, "each finding suggests a fix"
    assert any(ch in hit[0].message for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"), \
        "the message is Vietnamese"


def test_spelling_finding_points_at_the_word(inputs_copy):
    line = edit(inputs_copy, "appendices.yaml", "Xây dựng Kế hoạch kiểm tra", "Xây dựng Kê hoạch kiểm tra")
    f = next(f for f in findings(inputs_copy) if f.rule == "spelling")
    text = (inputs_copy / "appendices.yaml").read_text(encoding="utf-8").split("\n")[line - 1]
    assert text[f.column - 1:].startswith("Kê hoạch")
    assert f.fix == "viết 'Kế hoạch'"


@pytest.mark.parametrize("text, wrong", [
    ("Căn cứ quy định tại khoản 2 Điều 5 Nghị định số 30/2020/NĐ-CP", None),  # a place in a law
    ("Tại khoản 1 Điều 3 và mở tài khoản định danh", None),  # both phrases, each right
    ("Cấp tai khoản cho công chức", "tai khoản"),  # the tone left out: still a slip
])
def test_a_phrase_that_shares_its_toneless_form_with_a_glossary_word_is_not_a_slip(text, wrong):
    # "tại khoản" (in clause …) and "tài khoản" (account) are both "tai khoan" without tones; the lint
    # flagged the first in every imported plan that cites a law (a real Lâm Đồng plan: three errors)
    from pipeline.lint.spelling import spelling_slips

    assert [text[o:o + len(wrong or "")] for o, rule, *_ in spelling_slips(text) if rule == "spelling"] == \
        ([wrong] if wrong else [])


RIGHT = [
    # (file, text, written as real offices write it): no finding on that line
    ("commune.yaml", "name: Trịnh Ngọc Tuấn", "name: Nguyễn Nhân"),  # a person's name ("nguyên nhân" aside)
    ("plan.yaml", "Nghị định số 150/2025/NĐ-CP", "Công văn số 4214/BCA-C04"),  # §8: a công văn has no type
    ("plan.yaml", "Nghị định số 150/2025/NĐ-CP", "Công văn số 2441/UBND-HCC"),
    ("appendices.yaml", "Xây dựng Kế hoạch kiểm tra", "Xây dựng Kế hoạch kiểm tra việc đăng ký lưu trú,"),
    ("plan.yaml", "theo quy định", "theo quy định tại khoản 2 Điều 5"),
]


@pytest.mark.parametrize("name,text,written", RIGHT, ids=[r[2][:24] for r in RIGHT])
def test_what_real_offices_write_rightly_is_not_a_slip(inputs_copy, name, text, written):
    line = edit(inputs_copy, name, text, written)
    assert [(f.rule, f.message) for f in findings(inputs_copy) if f.file.endswith(name) and f.line == line] == []


def test_text_not_in_nfc_is_normalised_and_reported(inputs_copy):
    decomposed = unicodedata.normalize("NFD", "Phòng Kinh tế")
    line = edit(inputs_copy, "plan.yaml", "clause: Phòng Kinh tế", f"clause: {decomposed}")
    inputs = load_inputs(inputs_copy)
    found = [f for f in lint(inputs) if f.rule == "nfc"]
    assert found and found[0].line == line and found[0].severity == "warning"


SCHEMA = [
    # (file, text, slip, expected words in the message)
    ("plan.yaml", "summary:", "sumary:", "sumary"),
    ("appendices.yaml", 'deadline: {quarter: "2025-Q3"}', 'deadline: {quarter: "2025-Q5"}', "quý"),
    ("appendices.yaml", "before: 2025-07-15", "before: 2025-02-30", "ngày"),
    ("appendices.yaml", 'deadline: {quarter: "2025-Q3"}', 'deadline: {quarter: "2025-Q3", ongoing: true}', "đúng một"),
    ("appendices.yaml", "partners: cac_phong_cm", "partners: cac_phong_chuyen_mon", "cac_phong_cm"),
    ("plan.yaml", "signer: pct_tuan", "signer: pct_tuân", "mã (id)"),
    ("plan.yaml", "signer: pct_tuan", "signer: pct_tuam", "pct_tuan"),
]


@pytest.mark.parametrize("name,text,slip,words", SCHEMA, ids=[s[2][:24] for s in SCHEMA])
def test_schema_and_reference_errors_are_located(inputs_copy, name, text, slip, words):
    line = edit(inputs_copy, name, text, slip)
    with pytest.raises(InputErrors) as exc:
        load_inputs(inputs_copy)
    hits = [i for i in exc.value.issues if i.file.endswith(name) and i.line == line]
    assert hits, [i.format() for i in exc.value.issues]
    assert any(words in (i.message + i.fix) for i in hits), [i.format() for i in hits]


def test_all_errors_are_reported_at_once(inputs_copy):
    a = edit(inputs_copy, "plan.yaml", "summary:", "sumary:")
    b = edit(inputs_copy, "appendices.yaml", "partners: cac_phong_cm", "partners: 42")
    with pytest.raises(InputErrors) as exc:
        load_inputs(inputs_copy)
    where = {(i.file.rsplit("/", 1)[-1], i.line) for i in exc.value.issues}
    assert ("plan.yaml", a) in where and ("appendices.yaml", b) in where


def test_build_stops_on_a_lint_error_and_writes_nothing(inputs_copy, tmp_path):
    out = tmp_path / "outputs"
    assert CliRunner().invoke(main, ["build", "--inputs", str(inputs_copy), "--out", str(out)]).exit_code == 0
    before = snapshot(out)
    line = edit(inputs_copy, "plan.yaml", "117/2013/NĐ-CP", "117/2013/NĐCP")
    result = CliRunner().invoke(main, ["build", "--inputs", str(inputs_copy), "--out", str(out)])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert f"plan.yaml:{line}:" in result.output and "citation-hyphen" in result.output
    assert snapshot(out) == before


def test_warnings_do_not_stop_a_build_unless_strict(inputs_copy, tmp_path):
    edit(inputs_copy, "plan.yaml", "clause: Phòng Kinh tế", "clause: Phòng Kinh tế hoá")
    out = tmp_path / "o"
    result = CliRunner().invoke(main, ["build", "--inputs", str(inputs_copy), "--out", str(out)])
    assert result.exit_code == 0 and "spelling-old-tone" in result.output
    result = CliRunner().invoke(main, ["build", "--inputs", str(inputs_copy), "--out", str(tmp_path / "p"), "--strict"])
    assert result.exit_code == EXIT_INVALID_INPUT and not (tmp_path / "p").exists()
    result = CliRunner().invoke(main, ["lint", "--inputs", str(inputs_copy), "--strict"])
    assert result.exit_code == EXIT_FINDINGS
    result = CliRunner().invoke(main, ["lint", "--inputs", str(inputs_copy), "--format", "json"])
    assert result.exit_code == 0 and '"rule": "spelling-old-tone"' in result.output


@pytest.mark.parametrize("right", [
    "Tỉ lệ hồ sơ giải quyết đúng hạn",  # the i/y spelling is not a tone slip
    "Báo  cáo  kết  quả",  # two spaces between words (as in text pasted from a PDF)
    "Dòng một của đoạn văn",  # "một của" is not "một cửa"
    "Tạo công ăn việc làm cho người dân",
])
def test_correct_text_is_not_flagged(inputs_copy, right):
    edit(inputs_copy, "plan.yaml", "clause: Phòng Kinh tế", f"clause: {right}")
    assert [f.format() for f in findings(inputs_copy)] == []


def test_the_figure_is_compared_with_the_nearest_target(inputs_copy):
    # "công khai" (public_disclosure, 100%) and "thanh toán trực tuyến" (online_payment, 50%) in one clause
    line = edit(inputs_copy, "plan.yaml", "clause: Phòng Kinh tế",
                "clause: Công khai đầy đủ; tỷ lệ thanh toán trực tuyến đạt 30% trở lên")
    (f,) = findings(inputs_copy)
    assert (f.rule, f.line) == ("target-conflict", line) and "{ct:online_payment}" in f.fix


def test_pre_commit_hook_runs_the_lint(inputs_copy):
    import re
    import shlex

    import yaml

    from tests.conftest import ROOT

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    hook = hooks["vanban-lint"]
    assert all(re.search(hook["files"], p) for p in ("inputs/plan.yaml", "inputs/subplans/a.yaml"))
    assert not re.search(hook["files"], "outputs/a.docx")
    command = shlex.split(hook["entry"]) + hook.get("args", [])
    assert command[:2] == ["vanban", "lint"] and command[-1] == "inputs"
    args = command[1:-1] + [str(inputs_copy)]  # the hook runs in the repository root, on ./inputs
    assert CliRunner().invoke(main, args).exit_code == 0
    edit(inputs_copy, "plan.yaml", "clause: Phòng Kinh tế", "clause: Phòng Kinh tế hoá")
    assert CliRunner().invoke(main, args).exit_code == EXIT_FINDINGS  # --strict: a warning stops the commit


def test_hidden_characters_are_located_to_their_column_and_a_bidi_override_stops_the_build(tmp_path):
    """Issue 33: U+200B (zero-width space) and U+202E (right-to-left override) reached the documents."""
    root = tmp_path / "inputs"
    shutil.copytree(DATA / "mini", root)
    plan = root / "plan.yaml"
    rows = plan.read_text(encoding="utf-8").split("\n")
    line = next(i for i, row in enumerate(rows, 1) if row.startswith("summary: "))
    # 'summary: ' is 9 characters and 'Cải cách' 8: the zero-width space is at column 18
    rows[line - 1] = "summary: Cải cách\u200b hành chính năm 2026"
    plan.write_text("\n".join(rows), encoding="utf-8")
    [found] = [f for f in lint(load_inputs(root)) if f.rule == "invisible-char"]
    assert (found.file, found.line, found.column, found.severity) == ("inputs/plan.yaml", line, 18, "warning")
    rows[line - 1] = "summary: Cải cách \u202ehành chính năm 2026"  # the override is at column 19
    plan.write_text("\n".join(rows), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--inputs", str(root), "--out", str(tmp_path / "outputs")])
    assert result.exit_code == EXIT_INVALID_INPUT, result.output
    assert f"inputs/plan.yaml:{line}:19: lỗi bidi-control [summary]" in result.output and "U+202E" in result.output
    assert not (tmp_path / "outputs").exists()
