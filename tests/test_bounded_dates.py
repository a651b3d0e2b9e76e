"""Periods bounded (issue 33): a typo in a plan's period cannot plan thousands of documents or run for
minutes. A period is at most five years (a commune's longest plan, e.g. 2026–2030), every date of
the inputs lies within 1945–2100, and the lint says where a date's year is far from the period.
The corpus ``tests/data/bad/cases.yaml`` holds the located messages; these hold time and effect."""

from __future__ import annotations

import shutil
import time

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_INVALID_INPUT
from pipeline.inputs.validate import load_inputs
from pipeline.plan.documents import plan_build
from tests.conftest import DATA

PERIOD = "period: {start: 2026-01-01, end: 2026-12-31, label: năm 2026}"


@pytest.fixture
def inputs(tmp_path):
    shutil.copytree(DATA / "mini", tmp_path / "inputs")
    return tmp_path / "inputs"


def with_period(inputs, start: str, end: str) -> None:
    plan = inputs / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    assert PERIOD in text and text.split("\n")[5] == PERIOD  # line 6
    plan.write_text(text.replace(PERIOD, f"period: {{start: {start}, end: {end}, label: giai đoạn}}"),
                    encoding="utf-8")


@pytest.mark.parametrize("end, words", [("2205-12-31", "1945–2100"), ("9999-12-31", "1945–2100"),
                                        ("2031-01-01", "5 năm")])
def test_a_mistyped_period_end_is_refused_at_once_and_nothing_is_written(inputs, end, words):
    with_period(inputs, "2026-01-01", end)
    started = time.monotonic()
    result = CliRunner().invoke(main, ["build", "--inputs", str(inputs), "--out", str(inputs.parent / "outputs")])
    assert result.exit_code == EXIT_INVALID_INPUT, result.output
    assert "inputs/plan.yaml:6:" in result.output and "[period.end]" in result.output and words in result.output
    assert time.monotonic() - started < 20
    assert not (inputs.parent / "outputs").exists()


def test_a_five_year_plan_is_planned(inputs):
    with_period(inputs, "2026-01-01", "2030-12-31")
    planned = plan_build(load_inputs(inputs))
    assert planned and len(planned) < 100
