"""`vanban init` for any commune and any period (issue 28): the whole set, read back from the .docx.

A commune made with `vanban init --period ca-nam --year 2026` and one with `--period 6-thang-cuoi
--year 2025` each build the kinds of the bundled set: the plan, six appendices, four sub-plans and
every report kind, as many reports as their periods hold. The counts below are worked out by hand
from the report kinds' periods (quarterly and yearly reports: Q1, Q2, Q3 and the year, whose report
stands for Q4; monthly ones: the months that close no quarter) and Nghị định 09/2019/NĐ-CP.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_USAGE
from pipeline.vcs.textconv import docx_text
from tests.conftest import OUTPUTS, open_docx
from tests.docx_read import signature_table

PLACES = ("Xuân Bình", "XUÂN BÌNH", "Thanh Hóa", "Trịnh Ngọc Tuấn", "Đề án 100", "3740", "Khâu đột phá")
REPORTS_2026 = {  # kind -> the periods of its reports in a whole year 2026
    "bc-cchc": ["2026-q1", "2026-q2", "2026-q3", "2026"],
    "bc-tuyen-truyen": ["2026-q1", "2026-q2", "2026-q3", "2026"],
    "bc-ky-luat-ky-cuong": ["2026-01", "2026-02", "2026-q1", "2026-04", "2026-05", "2026-q2", "2026-07", "2026-08",
                            "2026-q3", "2026-10", "2026-11", "2026"],
    "bc-theo-doi-thpl": ["2026"], "bc-tu-cham-diem": ["2026"], "bc-chuyen-doi-so": ["2026"], "bc-thtk-clp": ["2026"],
}
# a legal citation (a document type, then its symbol) to the end of its clause: cited as issued, years and all
CITED = re.compile(r"(?:Nghị quyết|Nghị định|Quyết định|Luật|Thông tư|Chỉ thị)[^;\n]*?\d+/[^;\n]*")
WINDOW = re.compile(r"\(số liệu tính từ ngày[^)]*\)")  # Nghị định 09/2019: the figures' window, may begin before


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], **kw)


def texts(outputs: Path) -> dict[str, str]:
    return {p.relative_to(outputs).as_posix(): docx_text(p.read_bytes()) for p in sorted(outputs.rglob("*.docx"))}


@pytest.fixture(scope="module", params=[("ca-nam", 2026), ("6-thang-cuoi", 2025)], ids=["ca-nam-2026", "6-thang-cuoi-2025"])
def commune(request, tmp_path_factory):
    kind, year = request.param
    target = tmp_path_factory.mktemp("init") / "hoa-loc"
    result = run("init", target, "--commune", "xã Hòa Lộc", "--province", "Nghệ An", "--year", year, "--period", kind)
    assert result.exit_code == 0, result.output
    result = run("build", "--inputs", target / "inputs", "--out", target / "outputs")
    assert result.exit_code == 0, result.output
    start, end = (dt.date(year, 1, 1), dt.date(year, 12, 31)) if kind == "ca-nam" else (
        dt.date(year, 7, 1), dt.date(year, 12, 31))
    return kind, year, start, end, target


def test_the_set_has_the_kinds_of_the_bundled_one(commune):
    kind, year, _, _, target = commune
    built = sorted(p.relative_to(target / "outputs").as_posix() for p in (target / "outputs").rglob("*.docx"))
    bundled = sorted(p.relative_to(OUTPUTS).as_posix() for p in OUTPUTS.rglob("*.docx"))
    assert [p for p in built if not p.startswith("bao-cao/")] == [p for p in bundled if not p.startswith("bao-cao/")]
    assert len([p for p in built if p.startswith("ke-hoach-con/")]) == 4
    reports = [p for p in built if p.startswith("bao-cao/")]
    if kind == "6-thang-cuoi":  # the bundled commune's period: the same reports
        assert reports == [p for p in bundled if p.startswith("bao-cao/")]
        return
    found: dict[str, list[str]] = {}
    for p in reports:  # bao-cao/2026-03-bc-cchc-2026-q1.docx
        m = re.fullmatch(r"bao-cao/\d{4}-\d{2}-(bc-[a-z-]+?)-(\d{4}(?:-q\d|-\d{2})?)\.docx", p)
        assert m, p
        found.setdefault(m.group(1), []).append(m.group(2))
    assert found == REPORTS_2026
    assert len(reports) == 24


def test_no_document_holds_the_bundled_commune_or_another_period(commune):
    kind, year, start, end, target = commune
    for rel, text in texts(target / "outputs").items():
        assert not [p for p in PLACES if p in text], rel
        assert "Hòa Lộc" in text and "XÃ XÃ" not in text, rel
        own = CITED.sub("", WINDOW.sub("", text))
        halves = set(re.findall(r"6 tháng (?:đầu|cuối) năm \d{4}", own))
        assert halves <= ({"6 tháng cuối năm 2025"} if kind == "6-thang-cuoi" else set()), (rel, halves)
        years = Counter(int(y) for y in re.findall(r"(?:năm|/)\s?(\d{4})\b", own))
        # the next year only where a yearly report looks ahead to it ("Phương hướng, nhiệm vụ năm 2027")
        others = {y for y in years if y != year and not (y == year + 1 and rel.endswith(f"-{year}.docx"))}
        assert not others, (rel, others)
        for q, y in re.findall(r"[Qq]uý ([IV]+)(?: năm |/)(\d{4})", own):
            assert int(y) == year and (kind == "ca-nam" or q in ("III", "IV")), (rel, q, y)


def test_every_date_falls_in_the_period_or_as_nghi_dinh_09_requires(commune):
    _, _, start, end, target = commune
    for rel, text in texts(target / "outputs").items():
        month, y = re.search(r"ngày\s+tháng (\d{1,2}) năm (\d{4})", text).groups()  # the draft's date line
        assert (start.year, start.month) <= (int(y), int(month)) <= (end.year, end.month), rel
        for d, m, yy in re.findall(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])", CITED.sub("", WINDOW.sub("", text))):
            assert start <= dt.date(int(yy), int(m), int(d)) <= end, (rel, d, m, yy)
        for first, last in re.findall(r"số liệu tính từ ngày (\S+) đến ngày (\S+?)[;)]", text):
            first_day = dt.datetime.strptime(first, "%d/%m/%Y").date()
            cutoff = dt.datetime.strptime(last, "%d/%m/%Y").date()
            # Điều 12: from the 15th of the month before the period; never before the commune was formed
            assert max(dt.date(2025, 7, 1), _month_before_15(start)) <= first_day < cutoff <= end, (rel, first, last)


def _month_before_15(day: dt.date) -> dt.date:
    return dt.date(day.year - 1, 12, 15) if day.month == 1 else dt.date(day.year, day.month - 1, 15)


def test_once_filled_every_document_passes_check(commune):
    _, _, _, _, target = commune
    inputs = target / "inputs"
    for path in inputs.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = (text.replace("CẦN ĐIỀN họ và tên Chủ tịch", "Nguyễn Văn An")
                .replace("CẦN ĐIỀN họ và tên Phó Chủ tịch", "Trần Thị Bình")
                .replace('"CẦN ĐIỀN kế hoạch cải cách hành chính của UBND tỉnh Nghệ An (số, ngày, trích yếu)"',
                         "Quyết định số 125/QĐ-UBND ngày 10/01/2025 của UBND tỉnh Nghệ An về việc ban hành Kế hoạch "
                         "cải cách hành chính"))
        # the criteria are vanban's draft until the office records its province's decision (issue 29)
        text = text.replace("sample: true\ndecision: {}\n", "sample: false\ndecision:\n  number: 1234/QĐ-UBND\n"
                            "  date: 2025-09-08\n  issuer: Ủy ban nhân dân tỉnh Nghệ An\n")
        values = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
        assert not [line for line in values if "CẦN ĐIỀN" in line], path
        path.write_text(text, encoding="utf-8")
    assert run("lint", "--strict", "--inputs", inputs).exit_code == 0
    out = target / "filled"
    assert run("build", "--inputs", inputs, "--out", out).exit_code == 0
    files = sorted(out.rglob("*.docx"))
    result = run("check", *files)  # the decree's rules and the OOXML schema, as an office runs it
    assert result.exit_code == 0, result.output
    assert f"{len(files)} tệp; 0 lỗi thể thức." in result.output
    result = run("check", "--no-schema", "--format", "json", *files)
    found = {(f["rule"], f["severity"]) for report in json.loads(result.output).values() for f in report["findings"]}
    assert found <= {("header.draft", "info")}, "no error, no warning: only that they are drafts (blank number)"
    plan = open_docx(out / "ke-hoach-cchc.docx")
    sig = [p.text for p in signature_table(plan).rows[0].cells[1].paragraphs if p.text.strip()]
    assert sig == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị Bình"]


def test_the_calendar_of_a_fresh_commune_is_its_own_period(commune):
    kind, year, start, end, target = commune
    from pipeline.commands.calendar import entries
    from pipeline.inputs.validate import load_inputs

    dues = [e.due for e in entries(load_inputs(target / "inputs"))]
    assert dues and all(start <= d <= end for d in dues)
    result = run("calendar", "--inputs", target / "inputs", "--today", start + dt.timedelta(days=4))
    assert result.exit_code == 0 and "quá hạn: 0;" in result.output


# ------------------------------------------------------------------ the commune's name, the options


@pytest.mark.parametrize("typed,word,header", [
    ("xã Hòa Lộc", "xã", "XÃ HÒA LỘC"),
    ("Xã Hòa Lộc", "xã", "XÃ HÒA LỘC"),
    ("XÃ HÒA LỘC", "xã", "XÃ HÒA LỘC"),
    ("phường Hòa Lộc", "phường", "PHƯỜNG HÒA LỘC"),
    ("đặc khu Hòa Lộc", "đặc khu", "ĐẶC KHU HÒA LỘC"),
])
def test_the_unit_word_is_understood(tmp_path, typed, word, header):
    target = tmp_path / "x"
    result = run("init", target, "--commune", typed, "--province", "tỉnh Nghệ An", "--year", "2026")
    assert result.exit_code == 0, result.output
    assert f"Đã tạo thư mục của {word} Hòa Lộc cho kỳ năm 2026" in result.output
    commune = (target / "inputs" / "commune.yaml").read_text(encoding="utf-8")
    assert f"\nunit_word: {word} " in commune and "\nname: Hòa Lộc\n" in commune and "\nprovince: Nghệ An\n" in commune
    assert run("build", "--inputs", target / "inputs", "--out", target / "outputs").exit_code == 0
    plan = docx_text((target / "outputs" / "ke-hoach-cchc.docx").read_bytes())
    assert f"ỦY BAN NHÂN DÂN / {header} /" in plan and f"trên địa bàn {word} Hòa Lộc năm 2026" in plan
    report = next((target / "outputs" / "bao-cao").glob("*bc-cchc-2026.docx"))
    assert "| Kính gửi: | - Ủy ban nhân dân tỉnh Nghệ An; / - Sở Nội vụ tỉnh Nghệ An. |" in docx_text(report.read_bytes())
    if word == "phường":  # a ward is made of tổ dân phố, and its police is the ward's
        subplan = docx_text((target / "outputs" / "ke-hoach-con" / "kh-chuyen-doi-so.docx").read_bytes())
        assert "ở các tổ dân phố" in subplan and not re.search(r"\bthôn\b", subplan) and "Công an phường" in subplan


@pytest.mark.parametrize("typed,words", [
    ("thị trấn Hòa Lộc", "thị trấn không còn là đơn vị hành chính từ ngày 01/7/2025"),
    ("huyện Hòa Lộc", "huyện không còn là đơn vị hành chính"),
    ("UBND xã Hòa Lộc", "chỉ ghi tên đơn vị"),
    ("xã xã Hòa Lộc", "chữ 'xã' được ghi hai lần"),
    ("phường", "'phường' chưa có tên"),
])
def test_what_is_no_commune_is_refused_with_the_right_form(tmp_path, typed, words):
    result = run("init", tmp_path / "x", "--commune", typed, "--province", "Nghệ An")
    assert result.exit_code == EXIT_USAGE, result.output
    assert words in result.output and '--commune "xã Hòa Lộc"' in result.output and "--commune" in result.output
    assert not (tmp_path / "x").exists(), "nothing written"


def test_the_default_period_is_this_years_whole_year(tmp_path, monkeypatch):
    monkeypatch.setenv("VANBAN_TODAY", "2027-03-02")
    assert run("init", tmp_path / "x", "--commune", "Hòa Lộc", "--province", "Nghệ An").exit_code == 0
    plan = (tmp_path / "x" / "inputs" / "plan.yaml").read_text(encoding="utf-8")
    assert "  start: 2027-01-01\n  end: 2027-12-31\n  label: năm 2027\n" in plan
    assert sorted(p.name for p in (tmp_path / "x" / "inputs" / "progress").iterdir()) == ["2027-Q1.yaml"]
    assert run("init", tmp_path / "y", "--commune", "Hòa Lộc", "--province", "Nghệ An", "--period",
               "6-thang-dau").exit_code == 0
    assert "label: 6 tháng đầu năm 2027" in (tmp_path / "y" / "inputs" / "plan.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("args,words", [
    (["--period", "ca-thang"], "'ca-thang' không phải một trong: 'ca-nam', '6-thang-dau', '6-thang-cuoi'"),
    (["--year", "20266"], "20266 nằm ngoài khoảng 2000<=x<=2100"),
    ([], "thiếu tùy chọn '--province'"),
])
def test_bad_options_are_usage_errors(tmp_path, args, words):
    base = ["init", tmp_path / "x", "--commune", "Hòa Lộc"] + ([] if args == [] else ["--province", "Nghệ An"])
    result = run(*base, *args)
    assert result.exit_code == EXIT_USAGE and words in result.output, result.output
    assert not (tmp_path / "x").exists()


def test_a_first_half_year_has_half_yearly_reports(tmp_path):
    target = tmp_path / "x"
    assert run("init", target, "--commune", "Hòa Lộc", "--province", "Nghệ An", "--year", "2026",
               "--period", "6-thang-dau").exit_code == 0
    assert run("build", "--inputs", target / "inputs", "--out", target / "outputs").exit_code == 0
    titles = {p.name: docx_text(p.read_bytes()) for p in (target / "outputs" / "bao-cao").glob("*.docx")}
    assert sorted(n for n in titles if "bc-cchc" in n) == ["2026-03-bc-cchc-2026-q1.docx", "2026-06-bc-cchc-2026-h1.docx"]
    assert "kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2026" in titles["2026-06-bc-cchc-2026-h1.docx"]
    assert not [n for n in titles if n.endswith("-2026.docx")], "no yearly report in a first half-year"


def test_the_scaffold_is_the_bundled_set_made_generic():
    """pipeline/data/scaffold is what tools/make_scaffold.py makes of the bundled inputs, and holds nothing of them."""
    import yaml

    from pipeline.commands.init import scaffold_files
    from tools.make_scaffold import generic
    from tests.conftest import INPUTS

    commune = yaml.safe_load((INPUTS / "commune.yaml").read_text(encoding="utf-8"))
    scaffold = scaffold_files()
    bundled = {p.relative_to(INPUTS).as_posix(): p for p in INPUTS.rglob("*.yaml") if p.parent.name != "progress"}
    assert sorted(scaffold) == sorted([*bundled, "progress/2025-Q3.yaml"])
    for rel, path in bundled.items():
        assert scaffold[rel] == generic(path.read_text(encoding="utf-8"), path.name, commune), \
            f"{rel}: run python tools/make_scaffold.py"
    for rel, text in scaffold.items():
        assert not [p for p in PLACES if p in text], rel
    assert yaml.safe_load(scaffold["progress/2025-Q3.yaml"]) == {"period": "2025-Q3", "tasks": {}, "indicators": {}}


def test_a_period_before_the_reorganisation_has_no_establishment_date(tmp_path):
    """The scaffold's communes were formed on 01/7/2025; a plan of an earlier period is one of a commune
    that existed then: its figures are its own, from the 15th of the month before (Nghị định 09/2019)."""
    target = tmp_path / "x"
    assert run("init", target, "--commune", "Hòa Lộc", "--province", "Nghệ An", "--year", "2025",
               "--period", "6-thang-dau").exit_code == 0
    assert "established" not in (target / "inputs" / "commune.yaml").read_text(encoding="utf-8")
    assert run("build", "--inputs", target / "inputs", "--out", target / "outputs").exit_code == 0
    q1 = docx_text((target / "outputs" / "bao-cao" / "2025-03-bc-cchc-2025-q1.docx").read_bytes())
    assert "(số liệu tính từ ngày 15/12/2024 đến ngày 14/3/2025) như sau:" in q1


def test_the_establishment_date_bounds_only_the_windows_it_falls_in():
    from pipeline.inputs.periods import quarter_period, year_period
    from pipeline.plan.report_kinds import window

    formed = dt.date(2025, 7, 1)
    # Điều 12: Q3 from 15/6 to 14/9; the commune's figures from 01/7
    assert window("quarter", quarter_period(2025, 3), dt.date(2025, 9, 30), dt.date(2025, 7, 1), formed) == (
        formed, dt.date(2025, 9, 14), None)
    assert window("year", year_period(2025), dt.date(2025, 12, 31), dt.date(2025, 7, 1), formed)[0] == formed
    # a report closed before the commune was formed keeps the decree's window
    assert window("quarter", quarter_period(2025, 1), dt.date(2025, 3, 31), dt.date(2025, 1, 1), formed) == (
        dt.date(2024, 12, 15), dt.date(2025, 3, 14), None)
