"""§2 the header block: national name, motto and the rules under them, the issuing agency, the number and
date lines, "V/v" and a draft's blanks."""

from __future__ import annotations

from dataclasses import replace

from pipeline.check.checker import (AGENCY_RULE_TOLERANCE, MOTTO_RULE_TOLERANCE, R, Checker, check_rule,
                                    first_line_only, split_first_line, text_box)
from pipeline.check.title import check_date, check_number
from pipeline.decree import rules
from pipeline.docread.measure import text_width_twips
from pipeline.docread.document import HeaderBlock, Para
from pipeline.docread.structure import norm


def check_header(c: Checker) -> None:
    h = c.doc.header
    if h is None:
        c.fail("header.national", "đầu văn bản", f"không có dòng quốc hiệu “{rules.NATIONAL_NAME}” — §2",
               allowed=rules.NATIONAL_NAME, section="§2")
        return
    nat_line = norm(h.national.lines[0])
    if nat_line != rules.NATIONAL_NAME:
        c.fail("header.national-text", h.national, f"quốc hiệu viết “{nat_line}”; Nghị định: "
               f"“{rules.NATIONAL_NAME}” — §2", "warning", nat_line, rules.NATIONAL_NAME, "§2")
    c.style_rule("header.national", first_line_only(h.national), "national_name")
    check_motto(c, h)
    check_agency(c, h)
    check_number(c, h)
    check_date(c, h)
    for p in h.about:
        c.style_rule("header.about-style", p, "about")
    if c.doc.draft:
        blanks = [x for x, on in (("số", h.number is not None and h.number.number == ""),
                                  ("ngày", h.date is not None and h.date.day == "")) if on]
        at = h.number if h.number is not None else h.date
        assert at is not None  # a draft is one whose number or day is blank, so one of them was read
        c.fail("header.draft", at.para,
               f"bản dự thảo, chưa vào sổ: để trống {' và '.join(blanks)} để văn thư điền khi đăng ký — §2", "info",
               section="§2")


def _motto_runs(h: HeaderBlock, motto: Para) -> Para:
    if motto is h.national:
        _, rest = split_first_line(h.national)
        return replace(h.national, runs=rest or h.national.runs)
    return motto


def check_motto(c: Checker, h: HeaderBlock) -> None:
    if h.motto is None:
        c.fail("header.motto", h.national, f"không có tiêu ngữ “{rules.MOTTO}” dưới quốc hiệu — §2", section="§2")
        return
    if "–" in h.motto_text or "—" in h.motto_text:
        c.fail("header.motto-dash", h.motto, f"tiêu ngữ “{h.motto_text}” dùng dấu gạch ngang dài (–); Nghị định: "
               f"gạch nối “-” có cách hai bên: “{rules.MOTTO}” — §2", measured=h.motto_text, allowed=rules.MOTTO,
               section="§2")
    elif h.motto_text != rules.MOTTO:
        c.fail("header.motto", h.motto, f"tiêu ngữ viết “{h.motto_text}”; Nghị định: “{rules.MOTTO}” — §2",
               measured=h.motto_text, allowed=rules.MOTTO, section="§2")
    c.style_rule("header.motto-style", _motto_runs(h, h.motto), "motto")
    size = max(_motto_runs(h, h.motto).sizes(), default=R["size.motto"].lo)
    text_w = [text_width_twips(rules.MOTTO, size, bold=True)]
    check_rule(c, "header.motto-rule", h.motto_rule, h.motto, "tiêu ngữ", text_w, text_box(h.motto, c.doc),
               "rule.motto", MOTTO_RULE_TOLERANCE)


def check_agency(c: Checker, h: HeaderBlock) -> None:
    if not h.agency:
        c.fail("header.agency", "đầu văn bản", "không tìm thấy tên cơ quan ban hành (in hoa, đậm) — §2", section="§2")
        return
    for p in h.agency:
        c.style_rule("header.agency-style", p, "agency")
    for p in h.parent:
        c.style_rule("header.parent-style", p, "parent_agency")
    size = max((s for p in h.agency for s in p.sizes()), default=R["size.agency"].lo)
    text_w = [text_width_twips(line, size, bold=True) for p in h.agency for line in p.lines]
    box = min(text_box(p, c.doc) for p in h.agency)
    check_rule(c, "header.agency-rule", h.agency_rule, h.agency[-1], "tên cơ quan ban hành", text_w, box,
               "rule.agency", AGENCY_RULE_TOLERANCE)
