"""Inputs checked like code (issue 6): every mistake located at the file and line where it was typed.

The corpus ``tests/data/bad/cases.yaml`` types each kind of slip into a copy of the bundled
inputs: YAML that does not parse, schema errors, unknown and duplicate ids, and the slips of
hand-made paperwork the seed shows. Each must be reported with its rule id at its line.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_FINDINGS, EXIT_INVALID_INPUT, InputErrors
from pipeline.lint.linter import lint
from pipeline.inputs.validate import load_inputs
from tests.conftest import DATA, INPUTS
from tests.test_build import snapshot

CASES = yaml.safe_load((DATA / "bad" / "cases.yaml").read_text(encoding="utf-8"))
LOAD_RULES = {"yaml", "yaml-duplicate-key", "schema", "ref", "ref-duplicate-id", "missing-file", "progress-date"}
# words of PyYAML's and libyaml's own messages ("found character that cannot start any token" …)
ENGLISH = re.compile(r"\b(found|expected|while|could not|not allowed|character|indentation|scanning|parsing)\b")
VIETNAMESE = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýĩũ")


def type_slip(root, case) -> int:
    """Apply one case to the inputs under ``root``; return the line where the slip must be reported."""
    path = root / case["file"]
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if case["find"] in line and not line.lstrip().startswith("#"):
            lines[i] = line.replace(case["find"], case["typed"], 1)
            path.write_text("\n".join(lines), encoding="utf-8")
            return i + 1 + case.get("line", 0)
    raise AssertionError(f"{case['find']!r} is not in {case['file']} any more: update the corpus")


def issues_of(root):
    """What vanban says about the inputs: the load errors, or else the lint's findings."""
    try:
        inputs = load_inputs(root)
    except InputErrors as exc:
        return "load", exc.issues
    return "lint", lint(inputs)


def test_the_corpus_covers_every_kind_of_slip():
    rules = {c["rule"] for c in CASES}
    assert {"yaml", "yaml-duplicate-key", "schema", "ref", "ref-duplicate-id"} <= rules
    assert {"spelling", "spelling-old-tone", "numbering-typed", "date-malformed", "date-month-for-day",
            "citation-hyphen", "citation-year", "citation-type", "unit-variant", "dash", "target-conflict",
            "target-literal", "deadline-period", "date-year"} <= rules
    assert len({c["id"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_each_slip_is_reported_at_its_line(tmp_path, case):
    root = tmp_path / "inputs"
    shutil.copytree(INPUTS, root)
    line = type_slip(root, case)
    stage, issues = issues_of(root)
    assert stage == ("load" if case["rule"] in LOAD_RULES else "lint"), [i.format() for i in issues]
    hits = [i for i in issues if i.rule == case["rule"] and i.file.endswith(case["file"]) and i.line == line]
    assert hits, f"no {case['rule']} at {case['file']}:{line}; got " + "; ".join(i.format() for i in issues)
    hit = hits[0]
    assert hit.severity == case.get("severity", "error")
    assert set(hit.message) & VIETNAMESE, f"not Vietnamese: {hit.message}"
    for word in case.get("words", []):
        assert word in hit.message + " " + hit.fix, hit.format()
    if stage == "lint":
        assert hit.fix, "each lint finding suggests a fix"
    assert not ENGLISH.search(hit.message), f"the parser's English reached the clerk: {hit.message}"


def test_schema_errors_name_field_line_and_column(tmp_path):
    root = tmp_path / "inputs"
    shutil.copytree(INPUTS, root)
    line = type_slip(root, {"file": "appendices.yaml", "find": "partners: cac_phong_cm", "typed": "partners: 42"})
    with pytest.raises(InputErrors) as exc:
        load_inputs(root)
    (issue,) = exc.value.issues
    text = (root / "appendices.yaml").read_text(encoding="utf-8").split("\n")[line - 1]
    assert (issue.line, text[issue.column - 1:]) == (line, "partners: 42")
    assert issue.path == "appendices[0].tasks[0].partners"
    assert issue.format().startswith(f"inputs/appendices.yaml:{line}:{issue.column}: lỗi schema [")


def test_a_misspelt_key_is_one_error_at_the_typo(tmp_path):
    root = tmp_path / "inputs"
    shutil.copytree(INPUTS, root)
    line = type_slip(root, {"file": "plan.yaml", "find": "summary:", "typed": "sumary:"})
    with pytest.raises(InputErrors) as exc:
        load_inputs(root)
    assert [(i.line, i.path) for i in exc.value.issues] == [(line, "sumary")]


def test_every_error_of_every_file_at_once(tmp_path):
    root = tmp_path / "inputs"
    shutil.copytree(INPUTS, root)
    typed = [
        ("plan.yaml", "kind: KH", "kind: KHH"),
        ("plan.yaml", "  end: 2025-12-31", "  end: 2025-06-31"),
        ("appendices.yaml", "partners: cac_phong_cm", "partners: 42"),
        ("commune.yaml", "province:", "provinse:"),
        ("subplans/chuyen_doi_so.yaml", "bases_layout: preamble", "bases_layout: [preamble"),
    ]
    expected = {(f, type_slip(root, {"file": f, "find": a, "typed": b})) for f, a, b in typed}
    with pytest.raises(InputErrors) as exc:
        load_inputs(root)
    found = {(i.file.split("inputs/", 1)[1], i.line) for i in exc.value.issues}
    assert expected <= found


def test_whole_file_mistakes_are_input_errors(tmp_path):
    root = tmp_path / "inputs"
    for content, words in [(b"", "thiếu trường bắt buộc"), (b"- a\n- b\n", "khóa: giá trị"),
                           (b"summary: caf\xe9\n", "UTF-8")]:
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(INPUTS, root)
        (root / "plan.yaml").write_bytes(content)
        with pytest.raises(InputErrors) as exc:
            load_inputs(root)
        assert any(i.file.endswith("plan.yaml") and words in i.message for i in exc.value.issues), \
            [i.format() for i in exc.value.issues]
    (root / "commune.yaml").unlink()
    with pytest.raises(InputErrors) as exc:
        load_inputs(root)
    assert any(i.rule == "missing-file" and "commune.yaml" in i.message for i in exc.value.issues)


def test_exit_status_tells_invalid_input_from_findings(tmp_path):
    root = tmp_path / "inputs"
    shutil.copytree(INPUTS, root)
    runner = CliRunner()
    assert runner.invoke(main, ["lint", "--inputs", str(root)]).exit_code == 0
    type_slip(root, {"file": "plan.yaml", "find": "117/2013/NĐ-CP", "typed": "117/2013/NĐCP"})
    result = runner.invoke(main, ["lint", "--inputs", str(root)])
    assert result.exit_code == EXIT_FINDINGS and "citation-hyphen" in result.output
    line = type_slip(root, {"file": "plan.yaml", "find": "summary:", "typed": "sumary:"})
    result = runner.invoke(main, ["lint", "--inputs", str(root)])
    assert result.exit_code == EXIT_INVALID_INPUT
    assert f"plan.yaml:{line}:1: lỗi schema [sumary]" in result.output
    assert "Lỗi nội bộ" not in result.output and "Traceback" not in result.output
    result = runner.invoke(main, ["lint", "--inputs", str(root), "--format", "json"])
    assert result.exit_code == EXIT_INVALID_INPUT
    (issue,) = json.loads(result.stdout)
    assert (issue["rule"], issue["line"], issue["path"]) == ("schema", line, "sumary")


@pytest.mark.parametrize("slip", [
    ("plan.yaml", "bases_layout: inline", "bases_layout: [inline"),  # YAML that does not parse
    ("plan.yaml", "  end: 2025-12-31", "  end: 2025-06-31"),  # schema
    ("appendices.yaml", "partners: cac_phong_cm", "partners: cac_phong_x"),  # reference
], ids=["yaml", "schema", "ref"])
def test_build_refuses_invalid_inputs_and_leaves_outputs_untouched(tmp_path, slip):
    root, out = tmp_path / "inputs", tmp_path / "outputs"
    shutil.copytree(INPUTS, root)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--inputs", str(root), "--out", str(out)]).exit_code == 0
    before = snapshot(out)
    line = type_slip(root, dict(zip(("file", "find", "typed"), slip)))
    result = runner.invoke(main, ["build", "--inputs", str(root), "--out", str(out)])
    assert result.exit_code == EXIT_INVALID_INPUT, result.output
    assert f"{slip[0]}:{line}:" in result.output
    assert snapshot(out) == before


@pytest.mark.parametrize("text, line, words", [
    ("a: 1\nb: &x 1\nc: &x 2\n", 3, "'&'"),
    ("a: [x, , y]\n", 1, "thiếu giá trị"),
    ("a: !<x y\n", 1, "'!'"),
    ("%FOO\n---\na: 1\n", 1, "'%'"),
    ("a: |0\n  x\n", 1, "'|'"),
    ('a: "x\\q"\n', 1, "'\\'"),
    ('a: "x\\uZZZZ"\n', 1, "'\\'"),
    ("a: 1\n...\nb: 2\n", 3, "'...'"),
    ("a:\n  - x\n\t- y\n", 3, "Tab"),
    ("a: ? b\n", 1, "'?'"),
    ("a: - b\n", 1, "'- '"),
    ("a: `b`\n", 1, "'`'"),
    ("a: b\n  c: d\n", 2, "':'"),
    ("a: [b\n", 1, "'['"),
    ("a: {b\n", 1, "'{'"),
    ('"a: 1\nb: 2\n', 1, "ngoặc kép"),
    ("a: 1\nx y\n# ghi chú\n\nz: 1\n", 2, "thiếu dấu ':'"),
], ids=["anchor", "empty-item", "tag", "directive", "indicator", "escape", "unicode-escape", "document-end", "tab",
        "question", "dash", "backtick", "colon", "bracket", "brace", "quote", "colon-before-comment"])
def test_no_english_of_the_parser_reaches_the_clerk(tmp_path, text, line, words):
    from pipeline.inputs.load import load_yaml

    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        load_yaml(path, "inputs/plan.yaml")
    (issue,) = exc.value.issues
    assert (issue.file, issue.line, issue.rule) == ("inputs/plan.yaml", line, "yaml"), issue.format()
    assert words in issue.message and not ENGLISH.search(issue.message), issue.message
