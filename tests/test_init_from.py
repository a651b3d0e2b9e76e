"""`vanban init NEW --from OLD` (issue 28): next period's folder from this one; the old folder untouched.

The old folder is a copy of the bundled commune (6 tháng cuối năm 2025) whose plan has been
issued (a number and a date) and whose self-assessment has been scored, as at a year's end.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_INVALID_INPUT, EXIT_USAGE
from pipeline.inputs.validate import load_inputs
from pipeline.lint.linter import lint
from pipeline.vcs.textconv import docx_text
from tests.conftest import INPUTS


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def old(tmp_path) -> Path:
    """The bundled commune's folder at the end of 2025: plan issued, criteria scored, built."""
    folder = tmp_path / "xuan-binh-2025"
    shutil.copytree(INPUTS, folder / "inputs")
    plan = folder / "inputs" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("number: null ", "number: 45   ")
                    .replace('date: "2025-07"', "date: 2025-07-10"), encoding="utf-8")
    criteria = folder / "inputs" / "criteria" / "chi_so_cchc.yaml"
    criteria.write_text(criteria.read_text(encoding="utf-8").replace(  # a criterion, then a part (1.1)
        "\n        max: 3\n", "\n        max: 3\n        score: 3\n        evidence: [Kế hoạch số 45/KH-UBND]\n", 1)
        .replace("\n            max: 1\n", "\n            max: 1\n            score: 1\n", 1), encoding="utf-8")
    assert run("build", "--inputs", folder / "inputs", "--out", folder / "outputs").exit_code == 0
    return folder


def test_next_year_from_this_one_builds_and_the_old_folder_is_untouched(old, tmp_path):
    before = snapshot(old)
    new = tmp_path / "xuan-binh-2026"
    result = run("init", new, "--from", old, "--period", "ca-nam", "--year", "2026")
    assert result.exit_code == 0, result.output
    assert snapshot(old) == before, "the old folder is only read"
    out = result.output
    assert f"Đã tạo thư mục kỳ mới của xã Xuân Bình: {new}" in out and "(thư mục cũ giữ nguyên)" in out
    assert ("- Kỳ kế hoạch: 6 tháng cuối năm 2025 (01/7/2025–31/12/2025) → năm 2026 (01/01/2026–31/12/2026)."
            in out)
    assert "- Trở lại dự thảo (xóa số, ngày ký): plan.yaml (số 45, ngày 2025-07-10)." in out
    assert "- Tiến độ: không chép 1 tệp tiến độ của kỳ cũ (progress/2025-Q3.yaml)." in out
    assert "- Tự chấm điểm: đã xóa điểm và tài liệu kiểm chứng của 2 tiêu chí." in out  # 3 and 1.1
    assert "Cần xem lại (đã ghi '# CẦN KIỂM TRA' ngay trên dòng đó trong tệp):" in out
    assert "- plan.yaml, bases[1]: 'giai đoạn 2021 - 2025' đã kết thúc trước năm 2026" in out
    # the commune's folder, as init makes it: README, schemas, editor settings, outputs/, git
    for rel in ("README.md", ".gitattributes", ".vscode/settings.json", "schema/plan.schema.json"):
        assert (new / rel).is_file(), rel
    assert (new / "outputs").is_dir() and not any((new / "outputs").iterdir())
    if shutil.which("git"):
        assert (new / ".git").is_dir()
    # it builds: the whole set of a year
    result = run("build", "--inputs", new / "inputs", "--out", new / "outputs")
    assert result.exit_code == 0, result.output
    docs = sorted(p.relative_to(new / "outputs").as_posix() for p in (new / "outputs").rglob("*.docx"))
    assert len(docs) == 35 and "bao-cao/2026-03-bc-cchc-2026-q1.docx" in docs
    plan = docx_text((new / "outputs" / "ke-hoach-cchc.docx").read_bytes())
    assert "| Số: /KH-UBND | Xuân Bình, ngày tháng 01 năm 2026 |" in plan, "a draft again: no number, no day"
    assert "Cải cách hành chính trên địa bàn xã Xuân Bình năm 2026" in plan
    assert "6 tháng cuối năm 2025" not in plan and "Trịnh Ngọc Tuấn" in plan, "the commune's people carry"


def test_what_it_carried_and_what_it_cleared(old, tmp_path):
    new = tmp_path / "xb-2026"
    assert run("init", new, "--from", old / "inputs", "--period", "ca-nam", "--year", "2026").exit_code == 0
    was, now = load_inputs(old / "inputs"), load_inputs(new / "inputs")
    # carried: the commune, the targets, every task with its text, the sub-plans and report kinds
    assert now.commune == was.commune and now.plan.targets == was.plan.targets
    def next_year(text: str) -> str:  # the period's words, by hand: the label, the year, a date in it
        return text.replace("6 tháng cuối năm 2025", "năm 2026").replace("năm 2025", "năm 2026").replace(
            "05/11/2025", "05/11/2026")

    assert list(now.task_refs) == list(was.task_refs)
    for tid, ref in was.task_refs.items():
        moved = now.task_refs[tid]
        assert moved.task.content == next_year(ref.task.content), tid
        assert moved.task.products == [next_year(p) for p in ref.task.products], tid
        assert (moved.leads, moved.task.partners) == (ref.leads, ref.task.partners), tid
    assert [sp.id for sp in now.subplans] == [sp.id for sp in was.subplans]
    assert [k.id for k in now.report_kinds] == [k.id for k in was.report_kinds]
    # cleared: the issued number and date, the old progress, the scores
    assert now.plan.number is None and (now.plan.date.year, now.plan.date.month, now.plan.date.day) == (2026, 1, None)
    assert [p.period for p in now.progress] == ["2026-Q1"] and now.progress[0].tasks == {}
    assert all(i.score is None and not i.evidence
               for a in now.criteria[0].areas for c in a.criteria for i in [c, *c.parts])
    # the new inputs lint clean but for the phase that ended, marked in the file for the office
    text = (new / "inputs" / "plan.yaml").read_text(encoding="utf-8")
    assert text.count("# CẦN KIỂM TRA: 'giai đoạn 2021 - 2025' đã kết thúc trước năm 2026") == 2
    assert lint(now) == []


def test_by_default_the_period_right_after_the_old_one(old, tmp_path):
    result = run("init", tmp_path / "next", "--from", old)
    assert result.exit_code == 0, result.output
    assert "→ 6 tháng đầu năm 2026 (01/01/2026–30/6/2026)." in result.output
    data = yaml.safe_load((tmp_path / "next" / "inputs" / "plan.yaml").read_text(encoding="utf-8"))
    assert data["period"]["label"] == "6 tháng đầu năm 2026"
    # --period alone: the first such period after the old one
    assert run("init", tmp_path / "y", "--from", old, "--period", "6-thang-cuoi").exit_code == 0
    assert "label: 6 tháng cuối năm 2026" in (tmp_path / "y" / "inputs" / "plan.yaml").read_text(encoding="utf-8")


def test_bad_old_inputs_change_nothing(old, tmp_path):
    (old / "inputs" / "appendices.yaml").write_text("appendices: [", encoding="utf-8")
    before = snapshot(old)
    result = run("init", tmp_path / "new", "--from", old)
    assert result.exit_code == EXIT_INVALID_INPUT, result.output
    assert "inputs/appendices.yaml" in result.output.replace("\\", "/")
    assert not (tmp_path / "new").exists() and snapshot(old) == before
    result = run("init", tmp_path / "new", "--from", tmp_path / "khong-co")
    assert result.exit_code == EXIT_INVALID_INPUT and "không có thư mục đầu vào này" in result.output
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("extra,words", [
    (["--commune", "Hòa Lộc"], "với --from, tên xã và tỉnh lấy từ thư mục cũ"),
    (["--period", "ca-nam", "--year", "1999"], "1999 nằm ngoài khoảng"),
])
def test_usage_errors_with_from(old, tmp_path, extra, words):
    before = snapshot(old)
    result = run("init", tmp_path / "new", "--from", old, *extra)
    assert result.exit_code == EXIT_USAGE and words in result.output, result.output
    assert not (tmp_path / "new").exists() and snapshot(old) == before


def test_the_new_folder_may_not_lie_inside_the_old_one(old):
    before = snapshot(old)
    result = run("init", old / "2026", "--from", old)
    assert result.exit_code == EXIT_USAGE and "nằm trong thư mục cũ" in result.output, result.output
    assert snapshot(old) == before
