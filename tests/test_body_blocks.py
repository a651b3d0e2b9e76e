"""Issue 31: import keeps every word — body tables, schedules, outlines.

Real plans made by hand (../shared/corpus/, skipped when absent) and a hand-made plan with two body
tables, a schedule and a three-level outline are imported, built again and read back: the rebuilt
text keeps the source's content lines (``helpers.fidelity``), the tables row for row, and the import's
summary names exactly what it did not carry. Expected values are read from the documents themselves.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.ooxml.audit import schema_errors
from pipeline.vcs.textconv import docx_lines
from tests.conftest import INPUTS, open_docx
from tests.helpers import handmade_blocks as hb
from tests.helpers.fidelity import compare

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# every kế hoạch of the corpus (the file names say so), by a short name (a built file is named from it)
PLANS = {"kh51": "To_trinh_51_Ke_hoach", "kh124": "To_trinh_124_Ke_hoach", "kh666": "To_trinh_666_ke_hoach"}
# what each summary must list as not carried, read from the documents: only kh124 has a footnote
# (on its fourth legal basis, "Căn cứ Quyết định số 58/QĐ-UBND …")
NOT_CARRIED = {
    "kh51": ["không có đoạn, bảng nào bị bỏ"],
    "kh124": ["chú thích cuối trang ở đoạn 'Căn cứ Quyết định số 58/QĐ-UBND ngày 08/01/2026 của UBND tỉn…': "
              "chép tay vào lời văn nếu cần"],
    "kh666": ["không có đoạn, bảng nào bị bỏ"],
}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def corpus_plan(short: str, tmp: Path) -> Path:
    found = [p for p in CORPUS.glob("*.docx") if PLANS[short] in p.name]
    assert len(found) == 1, found
    return Path(shutil.copy(found[0], tmp / f"{short}.docx"))


def import_build(source: Path, tmp: Path) -> tuple[str, list[Path]]:
    """The import's summary, and the rebuilt documents: the plan, then its appendices."""
    res = run("import", source, "--out", tmp / "x")
    assert res.exit_code == 0, res.output
    built = run("build", "--inputs", tmp / "x" / "inputs", "--out", tmp / "x" / "outputs")
    assert built.exit_code == 0, built.output  # no lint error stops it (the deadlines of kh666 among them)
    out = tmp / "x" / "outputs"
    return res.output, [out / f"{source.stem}.docx", *sorted((out / "phu-luc").glob("*.docx"))]


def not_carried(summary: str) -> list[str]:
    return [line.split(": ", 1)[1] for line in summary.splitlines() if line.startswith("Không mang sang:")]


@needs_corpus
@pytest.mark.parametrize("short", sorted(PLANS))
def test_every_corpus_plan_keeps_its_content_lines(short, tmp_path):
    source = corpus_plan(short, tmp_path)
    summary, rebuilt = import_build(source, tmp_path)
    score, missing = compare(source, rebuilt)
    assert score >= 0.95, f"{score:.3f}; missing:\n" + "\n".join(missing)
    assert not_carried(summary) == NOT_CARRIED[short]
    assert "Giữ nguyên" not in summary  # the word that used to call lost text "kept"


def _table_rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


@needs_corpus
def test_the_inspection_plan_keeps_its_schedule_and_report_outline(tmp_path):
    """KE_HOACH_KIEM_TRA_CCHC_2026: Phụ lục I is a 29-row schedule (4 provincial bodies, 25 communes under
    two heading rows), Phụ lục II an outline I.–VIII. with numbered lines; neither is a task table."""
    _, rebuilt = import_build(corpus_plan("kh51", tmp_path), tmp_path)
    sched, outline = rebuilt[1], rebuilt[2]
    table = open_docx(sched).tables[0]
    rows = table.rows
    assert [c.text for c in rows[0].cells] == ["STT", "Đơn vị được kiểm tra", "Thời gian kiểm tra"]
    assert len(rows) == 1 + 2 + 29
    assert _table_rows(table)[28] == ["22", "Phường Xuân Trường - Đà Lạt", "Tháng 8/2026"]
    heading = rows[6]._tr  # "II | Ủy ban nhân dân cấp xã" across the row
    assert [t.text for t in heading.iter(W + "t")] == ["II", "Ủy ban nhân dân cấp xã"]
    assert heading.findall(f"{W}tc")[0].find(f"{W}tcPr/{W}gridSpan") is None
    assert heading.findall(f"{W}tc")[1].find(f"{W}tcPr/{W}gridSpan").get(W + "val") == "2"
    assert rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None  # repeated on every page
    assert all(r._tr.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    texts = [p.text for p in open_docx(outline).paragraphs if p.text.strip()]
    at = texts.index("VIII. ĐÁNH GIÁ CHUNG, KIẾN NGHỊ, ĐỀ XUẤT")
    assert texts[at + 1].startswith("1. Đánh giá chung kết quả đạt được")
    assert texts[at + 2].startswith("2. Kiến nghị, đề xuất giải pháp khắc phục")
    assert sum(1 for t in texts if t.split(".")[0] in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")) == 8
    assert "CẦN ĐIỀN" not in "\n".join(docx_lines(sched) + docx_lines(outline))
    assert schema_errors(sched) == [] and schema_errors(outline) == []


@needs_corpus
def test_the_cchc_plan_keeps_deadline_words_and_its_extra_column(tmp_path):
    """Ke_hoach_CCHC_2026 (To_trinh_666): deadlines as written, no false lint error on "chậm nhất là ngày
    31/12/2025" in a 2026 plan, and its seventh column printed under its own title."""
    _, rebuilt = import_build(corpus_plan("kh666", tmp_path), tmp_path)
    rows = _table_rows(open_docx(rebuilt[1]).tables[0])
    assert rows[0][-1] == "Theo dõi, kiểm tra, đôn đốc"
    cells = [c for row in rows for c in row]
    assert "Ban hành kế hoạch chậm nhất là ngày 31/12/2025 và tổ chức mở lớp theo kế hoạch đề ra." in cells
    assert "Trước ngày 05 của tháng liền kề" in cells
    assert "Trước ngày 31/12/2025" not in cells  # the words the importer used to put in their place


def test_a_hand_made_plan_with_tables_a_schedule_and_an_outline_round_trips(tmp_path):
    source = hb.plan_with_blocks(tmp_path / "kiem-tra.docx")
    summary, rebuilt = import_build(source, tmp_path)
    score, missing = compare(source, rebuilt[:1])
    assert (score, missing) == (1.0, [])
    assert not_carried(summary) == ["không có đoạn, bảng nào bị bỏ"]
    plan = yaml.safe_load((tmp_path / "x" / "inputs" / "plan.yaml").read_text(encoding="utf-8"))
    first, second = plan["sections"][0]["items"], plan["sections"][1]["items"]
    assert [list(i)[0] for i in first[0]["items"]] == ["point", "bullet", "bullet", "point"]  # 1. → a) → -
    schedule = second[0]["items"][0]["schedule"]  # its dates as data, in the words typed
    assert schedule["columns"] == list(hb.SCHEDULE[0][:-1]) and schedule["when"] == "Thời gian"
    assert [r["cells"] for r in schedule["rows"]] == [list(r[:-1]) for r in hb.SCHEDULE[1:]]
    assert [r["when"] for r in schedule["rows"]] == [
        {"before": dt.date(2025, 12, 31), "wording": "Chậm nhất là ngày"}, {"month": "2026-01", "wording": "Trong tháng"},
        {"ongoing": True}, {"every": ["quarter"], "wording": "Hằng"}, {"before": dt.date(2026, 12, 15)}]
    assert "1 bảng là lịch" in summary
    team = plan["sections"][2]["items"][0]["items"][0]["table"]
    assert team["columns"] == list(hb.TEAM[0]) and team["rows"] == [list(r) for r in hb.TEAM[1:]]
    grouped = second[1]["items"][0]["table"]
    assert grouped["columns"] == [hb.GROUPED_TOP[0], {"title": "Bắt đầu", "group": "Thời gian"},
                                  {"title": "Kết thúc", "group": "Thời gian"}]
    assert grouped["rows"] == [list(r) for r in hb.GROUPED_ROWS]
    doc = open_docx(rebuilt[0])
    assert _table_rows(doc.tables[1]) == [list(r) for r in hb.SCHEDULE]
    assert _table_rows(doc.tables[3]) == [list(r) for r in hb.TEAM]
    head = doc.tables[2].rows[0]._tr
    assert head.findall(f"{W}tc")[0].find(f"{W}tcPr/{W}vMerge").get(W + "val") == "restart"
    assert head.findall(f"{W}tc")[1].find(f"{W}tcPr/{W}gridSpan").get(W + "val") == "2"
    assert [r._tr.find(f"{W}trPr/{W}tblHeader") is not None for r in doc.tables[2].rows] == [True, True, False,
                                                                                           False, False]
    lines = docx_lines(rebuilt[0])
    assert "| Đơn vị được kiểm tra | Thời gian | < |" in lines and "| ^ | Bắt đầu | Kết thúc |" in lines
    assert schema_errors(rebuilt[0]) == []


# ------------------------------------------------------------------ deadlines keep their words

WORDINGS = [  # as typed in a deadline cell → the data, and the words printed again
    ("Chậm nhất là ngày 31/12/2025", {"before": dt.date(2025, 12, 31), "wording": "Chậm nhất là ngày"}),
    ("Trước ngày 31/12/2025", {"before": dt.date(2025, 12, 31)}),
    ("Trong tháng 01/2026", {"month": "2026-01", "wording": "Trong tháng"}),
    ("Thường xuyên", {"ongoing": True}),
    ("Hằng quý", {"every": ["quarter"], "wording": "Hằng"}),
]


@pytest.mark.parametrize("typed,data", WORDINGS, ids=[w for w, _ in WORDINGS])
def test_deadline_wordings_import_as_written(typed, data):
    from pipeline.importer.textparse import parse_deadline
    from pipeline.inputs import deadlines
    from pipeline.inputs import model as m

    d = parse_deadline([typed], "năm 2026")
    assert d.exact and d.parts == [data]
    period = m.Period(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), label="năm 2026")
    assert deadlines.lines([m.DeadlinePart.model_validate(data)], period) == [typed]


def _lint_with_deadline(tmp_path: Path, deadline: dict) -> list:
    from pipeline.inputs.validate import load_inputs
    from pipeline.lint.linter import lint

    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS, folder)
    path = folder / "appendices.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["appendices"][0]["tasks"][0]["deadline"] = deadline
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [f for f in lint(load_inputs(folder)) if f.rule == "deadline-period"]


def test_a_deadline_before_the_period_is_no_error_when_it_says_at_the_latest(tmp_path):
    """The bundled plan runs July–December 2025: work due "chậm nhất là ngày 30/6/2025" is work to finish
    before the period starts, as real plans write it; "trước ngày 30/6/2025" is still a slip."""
    assert _lint_with_deadline(tmp_path / "a", {"before": "2025-06-30", "wording": "Chậm nhất là ngày"}) == []
    found = _lint_with_deadline(tmp_path / "b", {"before": "2025-06-30"})
    assert [f.severity for f in found] == ["error"]


def test_a_schedule_row_is_checked_against_the_period_at_its_line(tmp_path):
    from pipeline.inputs.validate import load_inputs
    from pipeline.lint.linter import lint

    rows = [{"cells": ["1", "Ban hành kế hoạch"], "when": {"before": "2025-06-30", "wording": "Chậm nhất là ngày"}},
            {"cells": ["2", "Tổng kết"], "when": {"before": "2026-06-30"}}]
    folder = _inputs_with_items(tmp_path, [{"schedule": {"columns": ["TT", "Nội dung"], "rows": rows}}])
    found = [f for f in lint(load_inputs(folder)) if f.rule == "deadline-period"]
    assert [(f.severity, f.file.endswith("plan.yaml")) for f in found] == [("error", True)]
    assert "Trước ngày 30/6/2026" in found[0].message
    lines = (folder / "plan.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[found[0].line - 1].strip() == "when:" and "2026-06-30" in lines[found[0].line]  # the row's own


# ------------------------------------------------------------------ body blocks written by hand

def _inputs_with_items(tmp_path: Path, items: list) -> Path:
    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS, folder)
    path = folder / "plan.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sections"][0]["items"] = items + data["sections"][0]["items"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def test_a_row_short_of_cells_is_a_located_vietnamese_error(tmp_path):
    from pipeline.errors import InputErrors
    from pipeline.inputs.validate import load_inputs

    folder = _inputs_with_items(tmp_path, [{"table": {"columns": ["TT", "Nội dung"], "rows": [["1", "A"], ["2"]]}}])
    with pytest.raises(InputErrors) as err:
        load_inputs(folder)
    issues = err.value.issues
    assert len(issues) == 1 and issues[0].file.endswith("plan.yaml") and issues[0].line > 1
    assert "hàng 2 của bảng có 1 ô, bảng có 2 cột" in issues[0].format()


def test_an_outline_deeper_than_its_labels_is_refused(tmp_path):
    from pipeline.errors import InputErrors
    from pipeline.inputs.validate import load_inputs

    deep = {"outline": {"labels": ["number"], "items": [{"text": "Một", "items": ["Hai"]}]}}
    with pytest.raises(InputErrors) as err:
        load_inputs(_inputs_with_items(tmp_path, [deep]))
    assert "dàn ý sâu 2 cấp" in err.value.issues[0].format()


def test_an_outline_prints_its_levels_and_a_table_its_header(tmp_path):
    outline = {"outline": {"labels": ["roman", "number", "decimal", "letter"], "items": [
        {"text": "CÔNG TÁC CHỈ ĐẠO", "items": [{"text": "Ban hành kế hoạch", "items": [
            {"text": "Kế hoạch năm", "items": ["Trình ký"]}]}, "Theo dõi, đôn đốc"]}, "ĐÁNH GIÁ CHUNG"]}}
    table = {"table": {"columns": ["TT", {"title": "Nội dung", "width": 90}], "rows": [
        {"heading": "Cấp xã", "number": "I"}, [1, "Kiểm tra"]]}}
    folder = _inputs_with_items(tmp_path, [outline, table])
    built = run("build", "--inputs", folder, "--out", tmp_path / "out")
    assert built.exit_code == 0, built.output
    lines = docx_lines(tmp_path / "out" / "ke-hoach-cchc.docx")
    at = lines.index("I. CÔNG TÁC CHỈ ĐẠO")
    assert lines[at:at + 6] == ["I. CÔNG TÁC CHỈ ĐẠO", "1. Ban hành kế hoạch", "1.1. Kế hoạch năm", "a) Trình ký",
                                "2. Theo dõi, đôn đốc", "II. ĐÁNH GIÁ CHUNG"]
    assert lines[at + 6:at + 9] == ["| TT | Nội dung |", "| I | Cấp xã |", "| 1 | Kiểm tra |"]
    assert schema_errors(tmp_path / "out" / "ke-hoach-cchc.docx") == []


def test_vanban_diff_shows_a_changed_row_of_a_body_table(tmp_path):
    """A schedule row moved a month: the diff names the row, old and new; the redline is a valid Word file."""
    rows = [["1", "Kiểm tra tại thôn Xuân Thành", "Tháng 3/2026"], ["2", "Kiểm tra tại thôn Xuân Hòa", "Tháng 5/2026"]]
    table = {"table": {"columns": ["TT", "Nội dung", "Thời gian"], "rows": rows}}
    old = _inputs_with_items(tmp_path / "a", [table])
    moved = copy.deepcopy(table)
    moved["table"]["rows"][1][2] = "Tháng 6/2026"
    new = _inputs_with_items(tmp_path / "b", [moved])
    for folder in (old, new):
        built = run("build", "--inputs", folder, "--out", folder.parent / "out")
        assert built.exit_code == 0, built.output
    a, b = (f.parent / "out" / "ke-hoach-cchc.docx" for f in (old, new))
    res = run("diff", a, b, "--redline", tmp_path / "thay-doi.docx")
    assert res.exit_code == 0, res.output
    assert "-| 2 | Kiểm tra tại thôn Xuân Hòa | Tháng 5/2026 |" in res.output
    assert "+| 2 | Kiểm tra tại thôn Xuân Hòa | Tháng 6/2026 |" in res.output
    assert schema_errors(tmp_path / "thay-doi.docx") == []


def test_a_report_section_holds_a_table_and_an_outline(tmp_path):
    """Report kinds write their sections with the same items: a table of figures, an outline of next steps."""
    folder = tmp_path / "inputs"
    shutil.copytree(INPUTS, folder)
    path = folder / "reports" / "bc_tuyen_truyen.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["sections"][0]["items"] += [
        {"table": {"columns": ["Hình thức", "Số lượng"], "rows": [["Tin, bài trên Trang thông tin điện tử", 12],
                                                                  ["Pa-nô, áp phích", 3]]}},
        {"outline": {"labels": ["dash"], "items": ["Tuyên truyền trên loa truyền thanh các thôn."]}}]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    built = run("build", "--inputs", folder, "--out", tmp_path / "out")
    assert built.exit_code == 0, built.output
    report = tmp_path / "out" / "bao-cao" / "2025-09-bc-tuyen-truyen-2025-q3.docx"
    lines = docx_lines(report)
    at = lines.index("| Hình thức | Số lượng |")
    assert lines[at + 1:at + 4] == ["| Tin, bài trên Trang thông tin điện tử | 12 |", "| Pa-nô, áp phích | 3 |",
                                    "- Tuyên truyền trên loa truyền thanh các thôn."]
    assert schema_errors(report) == []


def test_the_calendar_lists_the_dated_rows_of_a_schedule(tmp_path):
    from pipeline.commands.calendar import entries
    from pipeline.inputs.validate import load_inputs

    rows = [{"cells": ["1", "Kiểm tra tại thôn Xuân Thành"], "when": {"month": "2025-09", "wording": "Trong tháng"}},
            {"cells": ["2", "Họp rút kinh nghiệm"], "when": {"ongoing": True}}]
    folder = _inputs_with_items(tmp_path, [{"schedule": {"columns": ["TT", "Nội dung"], "rows": rows}}])
    found = [e for e in entries(load_inputs(folder)) if e.kind == "Lịch"]
    assert [(e.due, e.text.split(" (")[0]) for e in found] == [(dt.date(2025, 9, 30), "Kiểm tra tại thôn Xuân Thành")]
    assert found[0].text.endswith("(Kế hoạch cải cách hành chính trên địa bàn xã Xuân Bình 6 tháng cuối năm 2025)")
