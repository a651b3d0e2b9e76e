"""No silent loss (issue 33): every document of a build gets a file of its own on the office's Windows PC.

Two sub-plans with one ``output:`` (or names that differ only in case, or in how their letters are
composed), a name Windows keeps for a device (``CON``, ``aux``, ``NUL.txt``, ``com1``), characters it
forbids, a path too long for it: each is refused with exit 3 at the file and line the name comes
from, naming the other file where two collide, before anything is written. What Windows refuses is
taken from its documentation ("Naming Files, Paths, and Namespaces"), not from the code under test.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_INVALID_INPUT, InputErrors
from pipeline.inputs.validate import load_inputs
from pipeline.plan.documents import plan_build
from tests.conftest import DATA

SUB = "subplans/cong_khai_tthc.yaml"


@pytest.fixture
def inputs(tmp_path) -> Path:
    shutil.copytree(DATA / "mini", tmp_path / "inputs")
    return tmp_path / "inputs"


def add_line(path: Path, line: str, after: str = "") -> int:
    """Put ``line`` after the line starting with ``after`` (or at the end); return its line number."""
    rows = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    at = next(i for i, row in enumerate(rows, 1) if row.startswith(after)) if after else len(rows)
    rows.insert(at, line)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return at + 1


def second_subplan(inputs: Path, name: str, output: str | None) -> Path:
    """A copy of the mini sub-plan under another file name and id, with ``output`` if given."""
    text = (inputs / SUB).read_text(encoding="utf-8").replace("id: kh_cong_khai_tthc", "id: kh_thu_hai")
    path = inputs / "subplans" / name
    path.write_text(text, encoding="utf-8")
    if output is not None:
        add_line(path, f"output: {output}", after="id:")
    return path


def build_refused(inputs: Path) -> str:
    result = CliRunner().invoke(main, ["build", "--inputs", str(inputs), "--out", str(inputs.parent / "outputs")])
    assert result.exit_code == EXIT_INVALID_INPUT, result.output
    assert not (inputs.parent / "outputs").exists() and "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize("first, second", [("KeHoach", "KeHoach"), ("KeHoach", "kehoach"),
                                           ("Kế hoạch", unicodedata.normalize("NFD", "KẾ HOẠCH"))],
                         ids=["same", "case", "composed"])
def test_two_subplans_named_as_one_file_are_refused_naming_both(inputs, first, second):
    other = second_subplan(inputs, "z_thu_hai.yaml", second)
    line = add_line(inputs / SUB, f"output: {first}", after="id:")
    said = build_refused(inputs)
    assert f"inputs/subplans/z_thu_hai.yaml:{line}:1: lỗi output-collision [output]" in said
    assert f"inputs/{SUB}:{line}" in said and "ghi đè" in said
    assert other.exists()


def test_two_subplans_of_one_id_are_a_duplicate_id(inputs):
    second_subplan(inputs, "z_thu_hai.yaml", None).write_text(
        (inputs / SUB).read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputErrors) as exc:
        load_inputs(inputs)
    [issue] = exc.value.issues
    assert (issue.file, issue.line, issue.rule) == ("inputs/subplans/z_thu_hai.yaml", 2, "ref-duplicate-id")
    assert f"inputs/{SUB}:2" in issue.message


@pytest.mark.parametrize("name, words", [
    ("CON", "CON"), ("aux", "AUX"), ("NUL.txt", "NUL"), ("com1", "COM1"), ("LPT9", "LPT9"),
    ('"Kế hoạch: 2026"', "':'"), ("a?b", "'?'"), ("a*b", "'*'"), ("a|b", "'|'"), ("'a<b'", "'<'"),
    ("x" * 101, "100"),
], ids=["CON", "aux", "NUL.txt", "com1", "LPT9", "colon", "question", "star", "pipe", "less", "long"])
def test_names_windows_refuses_are_refused_at_their_line(inputs, name, words):
    line = add_line(inputs / SUB, f"output: {name}", after="id:")
    with pytest.raises(InputErrors) as exc:
        load_inputs(inputs)
    [issue] = exc.value.issues
    assert (issue.file, issue.line, issue.path) == (f"inputs/{SUB}", line, "output"), issue.format()
    assert words in issue.message and ("Windows" in issue.message or "ngắn hơn" in issue.message), issue.message


def test_a_vietnamese_output_name_is_fine(inputs):
    add_line(inputs / SUB, "output: Kế hoạch công khai TTHC năm 2026", after="id:")
    paths = [d.path for d in plan_build(load_inputs(inputs))]
    assert "ke-hoach-con/Kế hoạch công khai TTHC năm 2026.docx" in paths


def test_a_report_path_too_long_for_windows_is_refused_at_the_kinds_id(inputs):
    kind = inputs / "reports" / "bc_nam.yaml"
    long_id = "bc_" + "cong_khai_thu_tuc_hanh_chinh_" * 4  # 119 characters: the path is 'bao-cao/2026-12-' + 120 more
    kind.write_text(kind.read_text(encoding="utf-8").replace("id: bc_nam", f"id: {long_id}"), encoding="utf-8")
    said = build_refused(inputs)
    assert "inputs/reports/bc_nam.yaml:1:1: lỗi output-name [id]" in said
    assert "quá 120 ký tự" in said and "260" in said


def test_two_report_kinds_named_as_one_file_are_refused_before_writing(inputs):
    """'bc_nam' and 'bc__nam' are two ids, one file name ('bc-nam'): the plan's own check finds them."""
    apps = inputs / "appendices.yaml"
    apps.write_text(apps.read_text(encoding="utf-8").replace(
        "deadline: {ongoing: true}", "deadline: [{what: Báo cáo, quarter: 2026-Q4}]", 1), encoding="utf-8")
    kind = (inputs / "reports" / "bc_nam.yaml").read_text(encoding="utf-8")
    (inputs / "reports" / "bc_nam_2.yaml").write_text(
        kind.replace("id: bc_nam", "id: bc__nam").replace("tasks: [tthc_2]", "tasks: [tthc_1]"), encoding="utf-8")
    said = build_refused(inputs)
    for here, there in (("bc_nam.yaml", "bc_nam_2.yaml"), ("bc_nam_2.yaml", "bc_nam.yaml")):
        assert f"inputs/reports/{here}:1:1: lỗi output-collision [id]" in said
        assert f"của inputs/reports/{there}:1" in said
