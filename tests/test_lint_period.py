"""The lint says when the plan's period has ended (issue 28): all its deadlines are past, time for the next one.

"Today" is the machine's date, or VANBAN_TODAY (the suite sets a day inside the bundled plan's
period, 6 tháng cuối năm 2025, in conftest.py); these tests set their own.
"""

from __future__ import annotations

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_FINDINGS, EXIT_USAGE
from pipeline.inputs.validate import load_inputs
from pipeline.lint.linter import lint
from tests.conftest import INPUTS


# from a month before the self-assessment's deadline (31/12/2025) the bundled draft criteria are named
# (tests/test_criteria.py); these tests are about the plan's period
SCORES = "score-empty"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_a_plan_whose_period_has_ended_is_a_warning(monkeypatch):
    monkeypatch.setenv("VANBAN_TODAY", "2026-01-05")
    (found,) = [f for f in lint(load_inputs(INPUTS)) if f.rule != SCORES]
    lines = (INPUTS / "plan.yaml").read_text(encoding="utf-8").split("\n")
    assert (found.file, found.line, found.rule, found.severity) == (
        "inputs/plan.yaml", lines.index("  end: 2025-12-31") + 1, "period-ended", "warning")
    assert found.message == ("kỳ kế hoạch 6 tháng cuối năm 2025 đã kết thúc ngày 31/12/2025 (hôm nay là 05/01/2026): "
                             "mọi thời hạn của kế hoạch đã qua")
    assert "vanban init <thư mục mới> --from <thư mục này>" in found.fix
    result = run("lint", "--inputs", INPUTS)
    assert result.exit_code == 0 and "cảnh báo period-ended [period.end]" in result.output
    assert run("lint", "--strict", "--inputs", INPUTS).exit_code == EXIT_FINDINGS


def test_on_its_last_day_the_period_has_not_ended(monkeypatch):
    monkeypatch.setenv("VANBAN_TODAY", "2025-12-31")
    assert [f for f in lint(load_inputs(INPUTS)) if f.rule != SCORES] == []


def test_a_wrong_day_in_vanban_today_is_a_usage_error(monkeypatch):
    monkeypatch.setenv("VANBAN_TODAY", "31/12/2025")
    result = run("lint", "--inputs", INPUTS)
    assert result.exit_code == EXIT_USAGE
    assert "biến môi trường VANBAN_TODAY='31/12/2025' không phải một ngày dạng YYYY-MM-DD" in result.output
