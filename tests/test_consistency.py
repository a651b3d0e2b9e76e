"""One consistent document set (issue 29, names, recipients, periods, set check).

The built documents are read back as a reader meets them; each cross-document fault is typed back
into a copy of the inputs and the lint must find it at the line where it was typed.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.lint.linter import lint
from pipeline.inputs.validate import load_inputs
from tests.conftest import open_docx
from tests.docx_read import W, shown, signature_table
from tests.test_lint import edit

# commune.yaml's short forms with their words, as the bundled inputs declare them
SHORT_FORMS = {
    "CCHC": "cải cách hành chính", "TTHC": "thủ tục hành chính", "CBCC": "cán bộ, công chức",
    "QPPL": "quy phạm pháp luật", "THTK": "thực hành tiết kiệm", "CLP": "chống lãng phí",
    "MTTQ": "Mặt trận Tổ quốc Việt Nam", "VHXH": "Văn hóa - Xã hội",
    "TTPVHCC": "Trung tâm Phục vụ hành chính công",
}
# the one-stop centre's official name (Nghị định số 118/2025/NĐ-CP) and the forms the set must not hold
CENTRE = "Trung tâm Phục vụ hành chính công"
NOT_NAMES = ("Trung tâm cung ứng dịch vụ công", "Trung tâm PV HCC", "Trung tâm Phục vụ Hành chính công")


def reading(doc) -> str:
    """The document's text in reading order, its "Nơi nhận" and signature left out (the decree's form)."""
    tables = [t for t in doc.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"]
    inside = set(tables[0]._tbl.iter(W + "p")) if tables else set()
    lines = []
    for p in doc.element.body.iter(W + "p"):
        if p not in inside:
            lines.append(shown("".join(t.text or "" for t in p.iter(W + "t"))))
    return "\n".join(lines)


def token(short: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w/\-])" + re.escape(short) + r"(?![\w/\-])")


def defined_at(text: str, start: int, short: str) -> bool:
    """The short form at ``start`` stands in parentheses right after its words: "cải cách hành chính (CCHC)",
    or in "(THTK, CLP)" after "thực hành tiết kiệm, chống lãng phí"."""
    opened = text.rfind("(", 0, start)
    closed = text.find(")", start)
    if opened < 0 or closed < 0 or not re.fullmatch(r"[A-ZĐ0-9, ]+", text[opened + 1:closed]):
        return False
    before = text[max(0, opened - 90):opened].lower()
    return all(SHORT_FORMS[s].lower() in before for s in re.findall(r"[A-ZĐ0-9]+", text[opened + 1:closed]))


def test_every_short_form_is_spelled_out_at_its_first_use_in_every_document(built):
    checked = set()
    for path, b in built.items():
        text = reading(open_docx(b.data))
        if path == "ke-hoach-cchc.docx":  # its appendices, as printed alone (phu-luc/), each spell out their own
            text = text.split("\nPhụ lục I\n")[0]
        for short in SHORT_FORMS:
            uses = list(token(short).finditer(text))
            if not uses:
                continue
            checked.add((path.split("/")[0], short))
            assert defined_at(text, uses[0].start(), short), (path, short, text[max(0, uses[0].start() - 80):uses[0].end()])
            # spelled out once: after the first use the short form stands alone
            assert not any(defined_at(text, u.start(), short) for u in uses[1:]
                           if text[u.start() - 1] == "(" and text[u.end()] == ")"), (path, short)
    # standalone appendices, sub-plans and reports are among them
    assert {"phu-luc", "ke-hoach-con", "bao-cao"} <= {where for where, _ in checked}
    assert ("phu-luc", "TTPVHCC") in checked and ("ke-hoach-con", "CBCC") in checked


def test_a_standalone_appendix_names_the_centre_in_full_then_short(built):
    doc = open_docx(built["phu-luc/phu-luc-II-tthc.docx"].data)
    table = doc.tables[-1]
    leads = [r.cells[3].text for r in table.rows[1:]]
    assert leads[0] == f"{CENTRE} (TTPVHCC)" and set(leads[1:]) == {"TTPVHCC"}
    title = " ".join(p.text for p in doc.paragraphs[:4])
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG CHỦ TRÌ" in title and "((" not in title


def test_one_official_form_of_the_centre_in_the_set(built):
    for path, b in built.items():
        text = reading(open_docx(b.data))
        for wrong in NOT_NAMES:
            assert wrong not in text, (path, wrong)


def recipients(doc) -> str:
    return " ".join(p.text for p in signature_table(doc).rows[0].cells[0].paragraphs)


# the provincial department each plan reports to (the "Kính gửi" of its report kinds)
SUPERIORS = {
    "ke-hoach-cchc.docx": "Sở Nội vụ tỉnh Thanh Hóa (để b/c)",
    "ke-hoach-con/kh-chuyen-doi-so.docx": "Sở Khoa học và Công nghệ tỉnh Thanh Hóa (để b/c)",
    "ke-hoach-con/kh-theo-doi-thpl.docx": "Sở Tư pháp tỉnh Thanh Hóa (để b/c)",
    "ke-hoach-con/ctr-thtk-clp.docx": "Sở Tài chính tỉnh Thanh Hóa (để b/c)",
}


@pytest.mark.parametrize("path,superior", SUPERIORS.items())
def test_each_plan_is_sent_to_the_department_it_reports_to(built, path, superior):
    lines = [p.text for p in signature_table(open_docx(built[path].data)).rows[0].cells[0].paragraphs]
    assert lines[1] == f"- {superior};", lines


def test_every_report_has_an_addressee_or_its_superior_first(built):
    for path, b in built.items():
        if not path.startswith("bao-cao/"):
            continue
        doc = open_docx(b.data)
        lines = [p.text for p in signature_table(doc).rows[0].cells[0].paragraphs if p.text.strip()]
        has_to = "Kính gửi" in reading(doc)
        assert has_to or lines[1].startswith(("- Sở ", "- Ủy ban nhân dân tỉnh")), (path, lines)


def test_report_periods_start_when_the_commune_was_formed(built):
    """The commune was formed on 01/7/2025 (commune.yaml): no figures from before that day."""
    for path, b in built.items():
        if path.startswith("bao-cao/"):
            text = reading(open_docx(b.data))
            assert "15/12/2024" not in text and "15/6/2025" not in text, path
            found = re.search(r"số liệu tính từ ngày (\d+/\d+/\d{4})", text)
            assert found, path
            day, month, year = map(int, found.group(1).split("/"))
            assert (year, month, day) >= (2025, 7, 1), (path, found.group(0))


def test_yearly_reports_of_the_sub_plans_are_due_on_a_working_day_after_the_cutoff(built):
    for path in ("ke-hoach-con/kh-chuyen-doi-so.docx", "ke-hoach-con/ctr-thtk-clp.docx"):
        text = reading(open_docx(built[path].data))
        assert "Trước ngày 15/12/2025" not in text and "Trước ngày 20/12/2025" in text, path


# ------------------------------------------------------------------ the set check, a test per fault

FAULTS = [
    # (file, text, typed back, rule, severity)
    ("plan.yaml", "tất cả các hồ sơ TTHC tiếp nhận", "tất cả các hồ sơ DVCTT tiếp nhận", "abbreviation-undefined",
     "warning"),
    ("plan.yaml", "hiệu quả hoạt động của Trung tâm Phục vụ hành chính công;",
     "hiệu quả hoạt động của Trung tâm cung ứng dịch vụ công;", "unit-variant", "error"),
    ("plan.yaml", "    - Sở Nội vụ tỉnh Thanh Hóa (để b/c)", "    - Ủy ban nhân dân tỉnh Thanh Hóa (để b/c)",
     "recipient-superior", "warning"),
    ("reports/bc_ky_luat_ky_cuong.yaml", "to:\n  - Sở Nội vụ tỉnh Thanh Hóa\noutlook:", "internal: true\noutlook:",
     "report-addressee", "warning"),
    ("commune.yaml", "established: 2025-07-01", "established: 2025-08-01", "period-established", "warning"),
    ("subplans/chuyen_doi_so.yaml", "deadline: {before: 2025-12-20}", "deadline: {before: 2025-12-15}",
     "deadline-cutoff", "error"),
    ("subplans/chuyen_doi_so.yaml", "deadline: {before: 2025-12-20}", "deadline: {before: 2025-12-21}",
     "deadline-weekend", "warning"),
    ("progress/2025-Q3.yaml", "  cddh_ke_hoach_cchc:\n",
     "  tcc_thuc_hanh_tiet_kiem: {status: not_started}\n  cddh_ke_hoach_cchc:\n", "progress-issued", "error"),
]


def edit_text(root, name: str, old: str, new: str) -> int:
    """Replace ``old`` (which may run over lines) by ``new``; the line where it begins."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


@pytest.mark.parametrize("name,text,typed,rule,severity", FAULTS, ids=[f[3] for f in FAULTS])
def test_each_cross_document_fault_is_found_where_it_was_typed(inputs_copy, name, text, typed, rule, severity):
    assert not [f for f in lint(load_inputs(inputs_copy)) if f.rule == rule]
    line = edit_text(inputs_copy, name, text, typed)
    found = [f for f in lint(load_inputs(inputs_copy)) if f.rule == rule]
    assert found, f"no {rule} finding"
    assert {f.severity for f in found} == {severity}
    if rule == "period-established":  # the date is in commune.yaml; the plan's period is what it contradicts
        assert any(f.file.endswith("plan.yaml") and f.path == "period.start" for f in found), found
        return
    if rule == "report-addressee":  # the Kính gửi taken away: the finding is at the first recipient
        assert any(f.file.endswith(name) and f.path == "recipients.to[0]" for f in found), found
        return
    if rule == "recipient-superior":
        assert any(f.file.endswith("plan.yaml") and "Sở Nội vụ" in f.message for f in found), found
        return
    hit = [f for f in found if f.file.endswith(name) and f.line == line]
    assert hit, [(f.file, f.line, f.message) for f in found]


def test_a_sub_plan_with_its_own_recipients_is_told_its_missing_department(inputs_copy):
    edit(inputs_copy, "subplans/tiet_kiem_chong_lang_phi.yaml", "id: ctr_thtk_clp",
         "id: ctr_thtk_clp\nrecipients:\n  to: [Thường trực Đảng ủy (để b/c)]")
    found = [f for f in lint(load_inputs(inputs_copy)) if f.rule == "recipient-superior"]
    assert [(f.file, f.path) for f in found] == [("inputs/subplans/tiet_kiem_chong_lang_phi.yaml", "recipients.to")]
    assert "Sở Tài chính" in found[0].message


def test_numbering_that_skips_the_hierarchy_is_found(inputs_copy):
    # a lone numbered clause, and a "-" before the first clause of a list
    line_single = edit(inputs_copy, "reports/bc_ky_luat_ky_cuong.yaml", "      - fill:",
                       "      - clause: Một mục duy nhất\n        items: [Nội dung]\n      - fill:")
    found = {f.rule: f for f in lint(load_inputs(inputs_copy)) if f.rule.startswith("numbering-")}
    assert found["numbering-single"].line == line_single
    assert found["numbering-single"].file.endswith("bc_ky_luat_ky_cuong.yaml")
    line = edit(inputs_copy, "plan.yaml", "      - clause: Cải cách thể chế",
                "      - bullet: Ý lẻ trước mục 1\n      - clause: Cải cách thể chế")
    found = [f for f in lint(load_inputs(inputs_copy)) if f.rule == "numbering-bullet-first"]
    assert [(f.file, f.line) for f in found] == [("inputs/plan.yaml", line)]


@pytest.mark.parametrize("today", ["2025-10-01", "2026-03-01"])
def test_a_freshly_initialised_commune_has_none_of_these_faults(tmp_path, monkeypatch, today):
    """In 2025 the scaffold's commune, formed on 01/7/2025, plans the second half-year; in 2026 the whole
    year, its dates moved to working days."""
    monkeypatch.setenv("VANBAN_TODAY", today)
    res = CliRunner().invoke(main, ["init", str(tmp_path / "xa"), "--commune", "Hòa Sơn", "--province", "Lâm Đồng"])
    assert res.exit_code == 0, res.output
    found = lint(load_inputs(tmp_path / "xa" / "inputs"))
    assert {f.rule for f in found} <= {"placeholder"}, [(f.rule, f.message) for f in found if f.rule != "placeholder"]


# ------------------------------------------------------------------ tables


def grids(data: bytes) -> list[list[int]]:
    """The column widths (twips) of each six-column task table of a document."""
    doc = open_docx(data)
    out = []
    for t in doc.tables:
        cols = [int(c.get(f"{W}w")) for c in t._tbl.findall(f"{W}tblGrid/{W}gridCol")]
        if len(cols) == 6 and t.rows[0].cells[1].text == "Nhiệm vụ cụ thể":
            out.append(cols)
    return out


def test_every_appendix_has_the_same_grid_and_a_wide_task_column(built):
    found = [grids(b.data) for path, b in sorted(built.items()) if path.startswith("phu-luc/")]
    assert len(found) == 6 and all(len(g) == 1 for g in found)
    assert len({tuple(g[0]) for g in found}) == 1, found
    # the same grid where the plan carries them
    assert {tuple(g) for g in grids(built["ke-hoach-cchc.docx"].data)} == {tuple(found[0][0])}


def test_a_portrait_task_table_gives_the_task_at_least_35_percent(built):
    seen = 0
    for path, b in built.items():
        if path.startswith("ke-hoach-con/"):
            for cols in grids(b.data):
                seen += 1
                assert cols[1] >= 0.35 * sum(cols) - 1, (path, cols)
    assert seen >= 4


def test_co_leads_are_parted_by_a_semicolon_in_report_annexes(built):
    doc = open_docx(built["bao-cao/2025-09-bc-cchc-2025-q3.docx"].data)
    annex = next(t for t in doc.tables if t.rows[0].cells[0].text == "TT")
    cells = [r.cells[2] for r in annex.rows[1:] if len([p for p in r.cells[2].paragraphs if p.text]) > 1]
    assert cells, "a task with two leads"
    for cell in cells:
        lines = [p.text for p in cell.paragraphs if p.text]
        assert all(line.endswith(";") for line in lines[:-1]) and not lines[-1].endswith(";"), lines


@pytest.mark.parametrize("text,short,full", [
    ("phát huy vai trò của Ủy ban Mặt trận Tổ quốc Việt Nam (MTTQ) xã", "MTTQ", "Mặt trận Tổ quốc Việt Nam"),
    ("Cải cách hành chính (CCHC) là nhiệm vụ trọng tâm", "CCHC", "cải cách hành chính"),
    ("đội ngũ cán bộ, công chức (CBCC) của xã", "CBCC", "cán bộ, công chức"),
    ("Phòng Văn hóa - Xã hội (VHXH)", "VHXH", "Văn hóa - Xã hội"),
])
def test_import_reads_a_spelled_out_short_form_back_as_declared(text, short, full):
    from pipeline.importer.shortforms import harvest, shorten

    found = harvest([text])
    assert found == {short: full}
    assert f"({short})" not in shorten(text, found) and short in shorten(text, found)


def test_a_sub_plan_is_not_sent_to_the_plans_own_department(built):
    """The CCHC plan reports to Sở Nội vụ; the thrift programme to Sở Tài chính only."""
    lines = [p.text for p in signature_table(open_docx(built["ke-hoach-con/ctr-thtk-clp.docx"].data)).rows[0]
             .cells[0].paragraphs]
    assert [line for line in lines if line.startswith("- Sở ")] == ["- Sở Tài chính tỉnh Thanh Hóa (để b/c);"]
