"""The comment-keeping patcher (``inputs.yamlpatch``): a value rewritten where it stands, nothing else moved."""

from __future__ import annotations

import pytest
import yaml

from pipeline.inputs.yamlpatch import patch


@pytest.mark.parametrize("style", [">-", ">", "|", "|-"])
def test_a_block_scalar_rewritten_keeps_the_lines_after_it(style):
    """A folded or literal value (as a commune may type a long text) changed by `init --from`: the key after
    it stays on its own line (the patcher once ate the line break and wrote an unreadable file: exit 70)."""
    text = (f"id: bc_cchc\nsource: {style}\n  Đề cương của Bộ Nội vụ năm 2025,\n  áp dụng cho cấp xã\n"
            "# the tasks it reports on\ntasks: [cddh_ke_hoach_cchc]\n")
    new = yaml.safe_load(text)
    new["source"] = "Đề cương của Bộ Nội vụ năm 2026, áp dụng cho cấp xã"
    out = patch(text, new)
    assert yaml.safe_load(out) == new
    assert out == ('id: bc_cchc\nsource: "Đề cương của Bộ Nội vụ năm 2026, áp dụng cho cấp xã"\n'
                   "# the tasks it reports on\ntasks: [cddh_ke_hoach_cchc]\n")


def test_a_plain_value_changes_on_its_line_only():
    text = "# kỳ\nperiod:\n  start: 2025-07-01  # ngày đầu\n  label: 6 tháng cuối năm 2025\n"
    new = yaml.safe_load(text)
    new["period"]["label"] = "năm 2026"
    assert patch(text, new) == "# kỳ\nperiod:\n  start: 2025-07-01  # ngày đầu\n  label: năm 2026\n"
