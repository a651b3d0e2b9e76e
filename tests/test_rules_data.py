"""The rules table: every value vanban chooses lies inside the decree's range.

Expected ranges are typed here from the decree (docs/nd30.md), not read from
the module under test, so a wrong range in pipeline/decree/rules.py fails too.
"""

import pytest

from pipeline.decree import rules

# The decree's words (Phụ lục I), in twips (1 mm = 56.7) or points.
DECREE = {
    "margin.top": (20 * 56.7, 25 * 56.7),
    "margin.bottom": (20 * 56.7, 25 * 56.7),
    "margin.left": (30 * 56.7, 35 * 56.7),
    "margin.right": (15 * 56.7, 20 * 56.7),
    "size.national_name": (12, 13),
    "size.motto": (13, 14),
    "size.agency": (12, 13),
    "size.parent_agency": (12, 13),
    "size.number": (13, 13),
    "size.place_date": (13, 14),
    "size.type_name": (13, 14),
    "size.summary": (13, 14),
    "size.about": (12, 13),  # công văn: "V/v …" under the number, 12–13 pt, upright
    "size.body": (13, 14),
    "size.page_number": (13, 14),
    "size.recipients_title": (12, 12),
    "size.recipients": (11, 11),
    "size.authority": (13, 14),
    "size.signer": (13, 14),
    "size.appendix_label": (14, 14),
    "spacing.line": (240, 360),
}


@pytest.mark.parametrize("key", sorted(rules.RULES))
def test_chosen_value_lies_in_the_decree_range(key):
    r = rules.RULES[key]
    assert r.admits(r.chosen), f"{key}: {r.chosen} outside {r.words()}"


@pytest.mark.parametrize("key,bounds", sorted(DECREE.items()))
def test_range_is_the_decree_range(key, bounds):
    r = rules.RULES[key]
    lo, hi = bounds
    assert abs(r.lo - lo) <= 1 and abs(r.hi - hi) <= 1


def test_first_line_indent_is_one_of_the_two_decree_values():
    r = rules.RULES["indent.first_line"]
    assert r.admits(567) and r.admits(720) and not r.admits(640)


def test_every_style_names_an_existing_size_rule():
    for s in rules.STYLES.values():
        assert s.size in rules.RULES


def test_motto_uses_hyphen_minus_not_en_dash():
    assert rules.MOTTO == "Độc lập - Tự do - Hạnh phúc"
    assert "\u2013" not in rules.MOTTO


def test_type_table_holds_the_decree_abbreviations():
    assert rules.TYPE_BY_NAME["Kế hoạch"].abbr == "KH"
    assert rules.TYPE_BY_NAME["Chương trình"].abbr == "CTr"
    assert rules.TYPE_BY_NAME["Quy định"].abbr == "QyĐ"
    assert rules.TYPE_BY_NAME["Tờ trình"].abbr == "TTr"
    assert rules.TYPE_BY_NAME["Công văn"].abbr is None
