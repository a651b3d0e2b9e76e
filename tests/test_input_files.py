"""Input files that are not what they seem (issue 33) and files saved the wrong way (issue 27).

Each is refused (exit 3) or warned about by name, in Vietnamese, at its file and line, fast, and
nothing is written. The hangs and floods this guards against are run for real (a FIFO, a link to
/dev/zero, files of many megabytes) in a ``vanban`` process with a timeout and a memory limit, so
that a regression fails at once instead of stalling the machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.build.run import build_documents
from pipeline.cli import main
from pipeline.errors import EXIT_INVALID_INPUT, InputErrors
from pipeline.inputs.validate import load_inputs
from pipeline.lint.linter import lint
from tests.conftest import DATA

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero are POSIX")


def _limits():  # in the child: a runaway read fails with MemoryError long before the machine suffers
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))


def vanban(cwd: Path, *args: str, timeout: float = 90) -> tuple[subprocess.CompletedProcess, float]:
    env = dict(os.environ, VANBAN_CACHE=str(cwd.parent / "cache"))
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=_limits if hasattr(os, "fork") else None)
    return proc, time.monotonic() - started


@pytest.fixture
def commune(tmp_path) -> Path:
    """A commune's folder holding the mini inputs, not built."""
    shutil.copytree(DATA / "mini", tmp_path / "xa" / "inputs")
    return tmp_path / "xa"


def refused(commune: Path, where: str, *words: str, seconds: float = 20) -> str:
    """`vanban build` ends at once with exit 3, a message at ``where`` holding ``words``; nothing written."""
    proc, secs = vanban(commune, "build")
    assert proc.returncode == EXIT_INVALID_INPUT, proc.stderr
    assert where in proc.stderr, proc.stderr
    for word in words:
        assert word in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert secs < seconds, f"{secs:.1f} s"
    assert not (commune / "outputs").exists()
    return proc.stderr


# --------------------------------------------------------------------------- not a regular file


@posix_only
def test_a_fifo_named_like_an_input_is_refused_without_waiting(commune):
    os.mkfifo(commune / "inputs" / "subplans" / "treo.yaml")
    refused(commune, "inputs/subplans/treo.yaml:1:1: lỗi input-file", "ống dẫn (FIFO)", "tệp thường")


@posix_only
def test_a_link_to_dev_zero_is_refused_before_anything_is_read(commune):
    (commune / "inputs" / "subplans" / "zero.yaml").symlink_to("/dev/zero")
    refused(commune, "inputs/subplans/zero.yaml:1:1", "thiết bị", "tệp thường")


def test_a_folder_named_like_an_input_is_refused(commune):
    (commune / "inputs" / "reports" / "thu_muc.yaml").mkdir()
    refused(commune, "inputs/reports/thu_muc.yaml:1:1", "thư mục")


@posix_only
def test_links_are_followed_inside_the_commune_folder_only(commune, tmp_path):
    sub = commune / "inputs" / "subplans" / "cong_khai_tthc.yaml"
    kept = commune / "chung" / "cong_khai_tthc.yaml"  # inside the commune's folder, outside inputs/
    kept.parent.mkdir()
    shutil.move(sub, kept)
    sub.symlink_to(kept)
    assert [s.id for s in load_inputs(commune / "inputs").subplans] == ["kh_cong_khai_tthc"]
    outside = tmp_path / "ngoai" / "cong_khai_tthc.yaml"
    outside.parent.mkdir()
    shutil.move(kept, outside)
    sub.unlink()
    sub.symlink_to(outside)
    refused(commune, "inputs/subplans/cong_khai_tthc.yaml:1:1", "ra ngoài thư mục của xã", str(outside))
    outside.unlink()
    refused(commune, "inputs/subplans/cong_khai_tthc.yaml:1:1", "không còn nữa")


# --------------------------------------------------------------------------- size


def test_a_file_over_2_mb_is_refused_before_it_is_parsed(commune):
    """A summary of 10.5 MB ended in exit 70 (lxml refuses a text node that large): now the file is refused."""
    plan = commune / "inputs" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("summary: ", "summary: " + "a" * 10_500_000 + " ", 1), encoding="utf-8")
    refused(commune, "inputs/plan.yaml:1:1: lỗi input-too-big", "lớn quá", "2 MB")


def test_200000_tasks_are_refused_at_once_for_their_size_not_for_aliases(commune):
    task = ("  - id: t{0}\n    content: Nhiệm vụ số {0}\n    products: [Báo cáo]\n    lead: vp\n"
            "    deadline: {{ongoing: true}}\n")
    text = "appendices:\n- id: a\n  title: A\n  tasks:\n" + "".join(task.format(i) for i in range(200_000))
    (commune / "inputs" / "appendices.yaml").write_text(text, encoding="utf-8")
    stderr = refused(commune, "inputs/appendices.yaml:1:1", "lớn quá", seconds=15)
    assert "bí danh" not in stderr


def test_too_many_values_in_a_small_file_are_refused_as_such(commune):
    plan = commune / "inputs" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    line = text.count("\n") + 1
    plan.write_text(text + "nhieu: [" + ", ".join(["1"] * 30_000) + "]\n", encoding="utf-8")
    # the 20,000th value of the list is the budget's 20,001st with the file's own: past the limit
    stderr = refused(commune, f"inputs/plan.yaml:{line}:", "quá nhiều giá trị", "20.000", seconds=15)
    assert "yaml-too-many" in stderr and "bí danh" not in stderr


def test_a_text_over_20000_characters_is_a_located_error(commune):
    plan = commune / "inputs" / "plan.yaml"
    rows = plan.read_text(encoding="utf-8").split("\n")
    line = next(i for i, row in enumerate(rows, 1) if row.startswith("summary:"))
    rows[line - 1] = "summary: " + "ả" * 30_000
    plan.write_text("\n".join(rows), encoding="utf-8")
    refused(commune, f"inputs/plan.yaml:{line}:10: lỗi text-too-long [summary]", "30.000 ký tự", "20.000")


# --------------------------------------------------------------------------- encodings


def test_a_windows_1258_file_is_reported_at_its_first_byte_that_is_not_utf8(commune):
    # 'Sơn Đà' in Windows-1258: ơ is 0xF5, Đ is 0xD0, à is 0xE0; line 4, column 11 is the ơ
    text = "id: ke_hoach_thu\nkind: KH\nnumber: 7\nsummary: Sơn Đà\n"
    (commune / "inputs" / "plan.yaml").write_bytes(text.encode("cp1258"))
    stderr = refused(commune, "inputs/plan.yaml:4:11: lỗi encoding", "0xF5", "UTF-8", "Lưu thành",
                     "Save with Encoding")
    assert "codec" not in stderr and "invalid" not in stderr


def test_a_utf16_file_is_told_to_be_saved_as_utf8(commune):
    plan = commune / "inputs" / "plan.yaml"
    plan.write_bytes(plan.read_text(encoding="utf-8").encode("utf-16"))
    refused(commune, "inputs/plan.yaml:1:1: lỗi encoding", "UTF-16", "Mã hóa", "UTF-8")


def _bom_crlf(folder: Path) -> None:
    for path in folder.rglob("*.yaml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))


def test_utf8_with_bom_and_crlf_reads_exactly_like_lf_without_bom(tmp_path):
    plain, windows = tmp_path / "lf" / "inputs", tmp_path / "crlf" / "inputs"
    for root in (plain, windows):
        shutil.copytree(DATA / "mini", root)
        plan = root / "plan.yaml"  # a slip on the first line and one inside a folded text: their columns
        text = plan.read_text(encoding="utf-8").replace("id: ke_hoach_thu", "id: ke_hoach_thu  # Kê hoạch", 1)
        plan.write_text(text.replace("intro: UBND", "intro: >\n  Kê hoạch\n  UBND", 1), encoding="utf-8")
    _bom_crlf(windows)
    a, b = load_inputs(plain), load_inputs(windows)
    assert a.raw == b.raw
    assert {k: s.positions for k, s in a.sources.items()} == {k: s.positions for k, s in b.sources.items()}
    assert [f.format() for f in lint(a)] == [f.format() for f in lint(b)]
    assert [x.data for x in build_documents(a)] == [x.data for x in build_documents(b)]


# --------------------------------------------------------------------------- which files are inputs


def test_yml_is_read_like_yaml(commune):
    before = load_inputs(commune / "inputs")
    for rel in ("plan.yaml", "subplans/cong_khai_tthc.yaml", "reports/bc_nam.yaml"):
        path = commune / "inputs" / rel
        path.rename(path.with_suffix(".yml"))
    after = load_inputs(commune / "inputs")
    assert after.plan == before.plan and after.subplans == before.subplans
    assert after.report_kinds == before.report_kinds and after.notes == []


def test_a_yaml_and_a_yml_of_one_name_are_refused(commune):
    sub = commune / "inputs" / "subplans" / "cong_khai_tthc.yaml"
    shutil.copyfile(sub, sub.with_suffix(".yml"))
    refused(commune, "inputs/subplans/cong_khai_tthc.yml:1:1: lỗi input-file",
            "cong_khai_tthc.yaml và cong_khai_tthc.yml")


def test_names_meant_as_inputs_but_not_read_are_warned_about_by_name(commune):
    inputs = commune / "inputs"
    sub = inputs / "subplans" / "cong_khai_tthc.yaml"
    shutil.copyfile(sub, inputs / "subplans" / "moi.yaml.txt")  # Notepad's trap
    shutil.copyfile(sub, inputs / "subplans" / "KHAC.YAML")
    shutil.copyfile(sub, inputs / "ke_hoach_con.yaml")  # beside plan.yaml instead of in subplans/
    (inputs / "subplan").mkdir()
    shutil.copyfile(sub, inputs / "subplan" / "x.yaml")
    shutil.copyfile(sub, inputs / "subplans" / "cong_khai_tthc.yaml.bak")  # a backup, set aside on purpose
    result = CliRunner().invoke(main, ["lint", "--inputs", str(inputs)])
    assert result.exit_code == 0, result.output
    said = {line.split(": cảnh báo input-file-name: ")[0]: line for line in result.output.splitlines()
            if "input-file-name" in line}
    assert sorted(said) == ["inputs/ke_hoach_con.yaml:1:1", "inputs/subplan:1:1", "inputs/subplans/KHAC.YAML:1:1",
                            "inputs/subplans/moi.yaml.txt:1:1"]
    assert "'.txt'" in said["inputs/subplans/moi.yaml.txt:1:1"] and "'moi.yaml'" in said["inputs/subplans/moi.yaml.txt:1:1"]
    assert "'KHAC.yaml'" in said["inputs/subplans/KHAC.YAML:1:1"]
    assert "subplans/" in said["inputs/ke_hoach_con.yaml:1:1"]
    assert "'subplans'" in said["inputs/subplan:1:1"]


def test_a_required_file_in_capitals_is_missing_and_named(commune):
    (commune / "inputs" / "plan.yaml").rename(commune / "inputs" / "Plan.yaml")
    with pytest.raises(InputErrors) as exc:
        load_inputs(commune / "inputs")
    said = {(i.file, i.rule, i.severity): i.message for i in exc.value.issues}
    assert "plan.yaml" in said[("inputs/plan.yaml", "missing-file", "error")]
    assert "'plan.yaml'" in said[("inputs/Plan.yaml", "input-file-name", "warning")]


# --------------------------------------------------------------------------- outside a commune


def test_outside_a_commune_folder_the_clerk_is_told_where_to_go(tmp_path):
    here = tmp_path / "trong"
    here.mkdir()
    for command in ("build", "lint"):
        proc, _ = vanban(here, command)
        assert proc.returncode == EXIT_INVALID_INPUT, proc.stderr
        assert "không phải thư mục của một xã" in proc.stderr and str(here) in proc.stderr
        assert "cd " in proc.stderr and "vanban init" in proc.stderr
        assert "missing-file" not in proc.stderr and "inputs:1:1" not in proc.stderr
    proc, _ = vanban(here, "build", "--inputs", "khong_co")
    assert proc.returncode == EXIT_INVALID_INPUT
    assert "khong_co:1:1: lỗi missing-file" in proc.stderr and "không có thư mục đầu vào này" in proc.stderr
