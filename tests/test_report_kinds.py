"""Report shells a clerk would send (issue 15), read back from the generated .docx.

Every report, for the bundled inputs, a commune made with ``vanban init`` and the mini commune of
tests/data (a kind that names no periods):
a whole title written in its kind's YAML, "Kính gửi" (or a kind that says it is
internal), "Nơi nhận" starting "- Như trên;", a closing sentence ending "./.",
a date not after its deadline, the data cut-off of Nghị định 09/2019, counts that
add up, indicators only where the kind lists them, placeholders instead of zeros.
Expected deadlines and cut-offs are read off the plan and the decree by hand.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_INVALID_INPUT
from tests.conftest import DATA, INPUTS, open_docx
from tests.docx_read import W, body_text, signature_table

# (kind, period) -> the report's deadline, read off the plan (appendices.yaml) and its sub-plans
DEADLINES = {
    ("bc_cchc", "quý III năm 2025"): dt.date(2025, 9, 30),  # Phụ lục VI.1: định kỳ hằng quý, năm
    ("bc_cchc", "năm 2025"): dt.date(2025, 12, 31),
    ("bc_tuyen_truyen", "quý III năm 2025"): dt.date(2025, 9, 30),  # Phụ lục VI.3
    ("bc_tuyen_truyen", "năm 2025"): dt.date(2025, 12, 31),
    ("bc_theo_doi_thpl", "năm 2025"): dt.date(2025, 11, 30),  # Phụ lục I.1: chậm nhất tháng 11/2025
    ("bc_tu_cham_diem", "năm 2025"): dt.date(2025, 12, 31),  # Phụ lục VI.2: tháng 12/2025
    ("bc_chuyen_doi_so", "năm 2025"): dt.date(2025, 12, 19),  # Kế hoạch chuyển đổi số: trước ngày 20/12/2025
    ("bc_thtk_clp", "năm 2025"): dt.date(2025, 12, 19),  # Chương trình THTK, CLP: trước ngày 20/12/2025
    ("bc_ky_luat_ky_cuong", "quý III năm 2025"): dt.date(2025, 9, 30),  # Phụ lục III.3: tháng, quý, năm
    ("bc_ky_luat_ky_cuong", "năm 2025"): dt.date(2025, 12, 31),
    **{("bc_ky_luat_ky_cuong", f"tháng {m} năm 2025"): dt.date(2025, m, [31, 31, 30, 31, 30][m - 7])
       for m in (7, 8, 10, 11)},
    ("bc_nam", "năm 2026"): dt.date(2026, 12, 31),  # tests/data/mini: task tthc_2, báo cáo quý IV/2026
}
# the data window of Nghị định 09/2019/NĐ-CP, Điều 12 (15th of the month before … 14th)
WINDOWS = {
    "quý III năm 2025": "số liệu tính từ ngày 15/6/2025 đến ngày 14/9/2025",
    "năm 2025": "số liệu tính từ ngày 15/12/2024 đến ngày 14/12/2025",
    "tháng 7 năm 2025": "số liệu tính từ ngày 15/6/2025 đến ngày 14/7/2025",
    "tháng 8 năm 2025": "số liệu tính từ ngày 15/7/2025 đến ngày 14/8/2025",
    "tháng 10 năm 2025": "số liệu tính từ ngày 15/9/2025 đến ngày 14/10/2025",
    "tháng 11 năm 2025": "số liệu tính từ ngày 15/10/2025 đến ngày 14/11/2025",
    # a kind that names no periods reports on the plan's period up to its deadline (mini: year 2026)
    "năm 2026": "số liệu tính từ ngày 01/01/2026 đến ngày 14/12/2026",
}
# a yearly report due in November closes its figures on 14/11 and estimates the rest
EARLY = ("số liệu tính từ ngày 15/12/2024 đến ngày 14/11/2025; số liệu từ ngày 15/11/2025 đến ngày "
         "14/12/2025 là số ước thực hiện")
# a commune established on 01/7/2025 (`vanban init` writes that date: the communes formed by the 2025
# reorganisation) gives no figures from before that day, and a report whose period began earlier says so
FORMER = "xã được thành lập từ ngày 01/7/2025, số liệu trước ngày này thuộc các đơn vị hành chính trước sắp xếp"
FORMED = {
    WINDOWS["quý III năm 2025"]: "số liệu tính từ ngày 01/7/2025 đến ngày 14/9/2025",
    WINDOWS["tháng 7 năm 2025"]: "số liệu tính từ ngày 01/7/2025 đến ngày 14/7/2025",
    WINDOWS["năm 2025"]: f"số liệu tính từ ngày 01/7/2025 đến ngày 14/12/2025; {FORMER}",
    EARLY: ("số liệu tính từ ngày 01/7/2025 đến ngày 14/11/2025; số liệu từ ngày 15/11/2025 đến ngày "
            f"14/12/2025 là số ước thực hiện; {FORMER}"),
}
PERIOD_RE = r"(tháng \d{1,2} năm \d{4}|quý [IV]+ năm \d{4}|năm \d{4})"
SUMMARY_RE = re.compile(
    r"Tổng số nhiệm vụ trong kỳ báo cáo: (\d+)(?:, trong đó có số liệu đến ngày \d+/\d+/\d{4}: (\d+) nhiệm vụ)?; "
    r"đã hoàn thành: (\S+) \(đúng hạn: (\S+), trễ hạn: (\S+)\); "
    r"đang thực hiện: (\S+), trong đó quá hạn: (\S+); chưa thực hiện: (\S+), trong đó quá hạn: ([^;\s]+)"
    r" \(tính đến ngày (\d+)/(\d+)/(\d{4})\)\.")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def init_commune(tmp_path_factory) -> Path:
    """A second commune made as an office would: `vanban init` for the bundled plan's period, then `vanban build`."""
    target = tmp_path_factory.mktemp("communes") / "yen-lac"
    result = run("init", target, "--commune", "Yên Lạc", "--province", "Vĩnh Phúc", "--year", "2025",
                 "--period", "6-thang-cuoi")
    assert result.exit_code == 0, result.output
    result = run("build", "--inputs", target / "inputs", "--out", target / "outputs")
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(params=["bundled", "init", "mini"])
def commune(request):
    """(inputs folder, {report file name: Document}, province) of one commune."""
    if request.param == "bundled":
        built = request.getfixturevalue("built")
        docs = {p.removeprefix("bao-cao/"): open_docx(b.data) for p, b in built.items() if p.startswith("bao-cao/")}
        return INPUTS, docs, "Thanh Hóa"
    if request.param == "mini":
        out = request.getfixturevalue("tmp_path") / "mini"
        assert run("build", "--inputs", DATA / "mini", "--out", out).exit_code == 0
        return DATA / "mini", {p.name: open_docx(p) for p in sorted((out / "bao-cao").glob("*.docx"))}, "Nghệ An"
    target = request.getfixturevalue("init_commune")
    docs = {p.name: open_docx(p) for p in sorted((target / "outputs" / "bao-cao").glob("*.docx"))}
    return target / "inputs", docs, "Vĩnh Phúc"


def kinds_of(inputs: Path) -> dict[str, dict]:
    return {d["id"]: d for d in (yaml.safe_load(p.read_text(encoding="utf-8"))
                                 for p in sorted((inputs / "reports").glob("*.yaml")))}


def texts(doc) -> list[str]:
    """Every paragraph with text, in body order, table cells included (a Kính gửi block may be a table)."""
    return [line for line in body_text(doc).splitlines() if line.strip()]


def title_of(doc) -> str:
    paras = texts(doc)
    return paras[paras.index("BÁO CÁO") + 1]


def kind_and_period(doc, kinds: dict) -> tuple[str, str]:
    title = title_of(doc)
    found = [(k, title[len(d["name"]) + 1:]) for k, d in kinds.items()
             if title.startswith(d["name"][0].upper() + d["name"][1:] + " ")]
    assert len(found) == 1, f"the title {title!r} is the name of exactly one kind"
    return found[0]


def closing_paragraph(doc) -> str:
    """The last paragraph with text before the Nơi nhận / signature table."""
    sig = signature_table(doc)._tbl
    text = ""
    for el in doc.element.body:
        if el is sig:
            return text
        if el.tag == W + "p":
            t = "".join(x.text or "" for x in el.iter(W + "t"))
            text = t if t.strip() else text
    raise AssertionError("no signature table")


def recipients(doc) -> list[str]:
    return [p.text for p in signature_table(doc).rows[0].cells[0].paragraphs if p.text.strip()][1:]


def date_of(doc) -> tuple[int, int]:
    m = re.search(r"tháng (\d+) năm (\d{4})", doc.tables[0].rows[1].cells[1].text)
    return int(m.group(2)), int(m.group(1))


def test_every_report_is_one_a_clerk_would_send(commune):
    inputs, docs, province = commune
    kinds = kinds_of(inputs)
    assert docs
    seen = set()
    for name, doc in docs.items():
        kind, period = kind_and_period(doc, kinds)
        seen.add(kind)
        spec, paras, text = kinds[kind], texts(doc), body_text(doc)
        # a whole title, written in the kind's YAML, with its period
        assert re.fullmatch(PERIOD_RE, period), (name, period)
        assert "…" not in title_of(doc)
        intro = next(p for p in paras if p.startswith("Thực hiện "))
        assert "…" not in intro and f"báo cáo {spec['name']} {period}" in intro
        # Kính gửi, or a kind that says it is internal; Nơi nhận begins "- Như trên;" after a Kính gửi
        to_lines = [p for p in paras if p.startswith("Kính gửi")]
        if spec.get("internal"):
            assert not to_lines and "- Như trên;" not in recipients(doc), name
        else:
            assert to_lines, f"{name}: no Kính gửi"
            block = " ".join(paras[paras.index(to_lines[0]):paras.index(to_lines[0]) + len(spec["to"]) + 1])
            assert all(t in block for t in spec["to"]) and province in block, name
            assert recipients(doc)[0] == "- Như trên;", name
        assert recipients(doc)[-1].startswith("- Lưu: VT")
        # a closing sentence ending "./."
        closing = closing_paragraph(doc)
        assert closing.startswith("Trên đây là báo cáo") and closing.endswith("./."), (name, closing)
        # dated in a month not after its deadline; the data cut-off of Nghị định 09/2019 stated
        deadline = DEADLINES[(kind, period)]
        assert date_of(doc) <= (deadline.year, deadline.month), name
        window = EARLY if kind == "bc_theo_doi_thpl" else WINDOWS[period]
        if yaml.safe_load((inputs / "commune.yaml").read_text(encoding="utf-8")).get("established"):
            window = FORMED.get(window, window)
        assert f"({window})" in intro and "Nghị định số 09/2019/NĐ-CP" in intro, name
        # indicators only where the kind lists them
        assert ("(chỉ tiêu:" in text) == bool(spec.get("indicators")), name
        # an annual report looks ahead to the next year, not to "the plan" that ends with this one
        if period == "năm 2025":
            assert any("NĂM 2026" in p for p in paras if p[:1] in "IV"), name
            assert "theo Kế hoạch số" not in text, name
    assert seen == set(kinds), "every kind makes at least one report"


def test_counts_add_up_and_placeholders_are_never_zeros(commune):
    _, docs, _ = commune
    counted = 0
    for name, doc in docs.items():
        text = body_text(doc)
        for m in SUMMARY_RE.finditer(text):
            counted += 1
            total, known, done, on_time, late, going, going_late, idle, idle_late = m.groups()[:9]
            unknown = None if known is None else str(int(total) - int(known))
            annex_rows = len(doc.tables[-1].rows) - 1
            assert int(total) == annex_rows, f"{name}: the annex lists the same tasks"
            if done == "……":
                assert {on_time, late, going, going_late, idle, idle_late} == {"……"} and unknown is None
                continue
            n = lambda v: int(v)  # noqa: E731
            assert n(done) == n(on_time) + n(late), name
            assert n(total) == n(done) + n(going) + n(idle) + n(unknown or 0), name
            assert n(going_late) <= n(going) and n(idle_late) <= n(idle), name
        summary = SUMMARY_RE.search(text)
        if summary is None or summary.group(3) == "……":  # no progress entered for this report
            assert not re.search(r": 0\b", text), f"{name}: zeros where no progress was entered"
    assert counted >= 1


def test_q3_figures_from_the_progress_file(built):
    """2025-Q3.yaml, read by hand, and the set: the thrift programme (due 7/2025) is in the set, dated 7/2025;
    the report says it was issued and counts it done, never "chưa thực hiện (quá hạn)" (issue 29)."""
    text = body_text(open_docx(built["bao-cao/2025-09-bc-cchc-2025-q3.docx"].data))
    assert "chưa thực hiện: 0, trong đó quá hạn: 0" in text
    assert "quá hạn)" not in text
    assert ("- Đã ban hành Chương trình số      /CTr-UBND ngày      tháng 7 năm 2025 của Ủy ban nhân dân xã Xuân "
            "Bình về thực hành tiết kiệm, chống lãng phí") in text
    # the discipline report of the quarter: its one task has no progress entered — no 0/0/0, no "task: ……"
    # line either (issue 29): the place to write its results stays marked
    kl = body_text(open_docx(built["bao-cao/2025-09-bc-ky-luat-ky-cuong-2025-q3.docx"].data))
    assert ": 0" not in kl and "công vụ: ……" not in kl and "chỉ tiêu" not in kl
    assert ("[Cán bộ soạn thảo viết: Nêu kết quả thực hiện các nhiệm vụ về kỷ luật, kỷ cương hành chính của Kế "
            "hoạch trong quý III năm 2025.]") in kl


def test_monitoring_report_has_its_own_contents(built):
    doc = open_docx(built["bao-cao/2025-11-bc-theo-doi-thpl-2025.docx"].data)
    paras = texts(doc)
    assert "Kính gửi: Ủy ban nhân dân tỉnh Thanh Hóa (qua Sở Tư pháp)." in paras
    assert "Công tác theo dõi tình hình thi hành pháp luật năm 2025" in paras
    clauses = [p for p in paras if re.match(r"\d\. ", p)]
    for words in ("văn bản quy định chi tiết", "thống nhất, đồng bộ, khả thi", "bảo đảm điều kiện thi hành",
                  "tuân thủ pháp luật", "Kiến nghị"):
        assert any(words in c for c in clauses), words
    # the tasks of the monitoring sub-plan, not the seven TTHC indicators
    text = body_text(doc)
    assert "Kiểm tra tình hình thi hành pháp luật trong lĩnh vực đất đai" in text and "chỉ tiêu" not in text
    assert "Thực hiện Kế hoạch số" in text and "về theo dõi tình hình thi hành pháp luật" in text


@pytest.mark.parametrize("name,addressee", [
    ("2025-12-bc-chuyen-doi-so-2025.docx", "Kính gửi: Sở Khoa học và Công nghệ tỉnh Thanh Hóa."),
    ("2025-12-bc-thtk-clp-2025.docx", "Kính gửi: Sở Tài chính tỉnh Thanh Hóa."),
    ("2025-12-bc-tu-cham-diem-2025.docx", "Kính gửi: Sở Nội vụ tỉnh Thanh Hóa."),
])
def test_the_reports_the_sub_plans_require(built, name, addressee):
    assert addressee in texts(open_docx(built[f"bao-cao/{name}"].data))


@pytest.mark.parametrize("file,find,typed,words", [
    ("criteria/chi_so_cchc.yaml", "        max: 4\n", "        max: 4\n        score: 5\n", "lớn hơn điểm tối đa"),
    ("reports/bc_chuyen_doi_so.yaml", "to:\n  - Sở Khoa học và Công nghệ tỉnh Thanh Hóa\n", "", "internal: true"),
    ("reports/bc_tu_cham_diem.yaml", "criteria: chi_so_cchc", "criteria: chi_so_cchcc", "chi_so_cchc"),
    ("reports/bc_thtk_clp.yaml", "indicators", "indicators", None),
])
def test_bad_report_data_is_a_located_error(tmp_path, file, find, typed, words):
    if words is None:  # an indicator that is no target of the plan
        root = tmp_path / "inputs"
        shutil.copytree(INPUTS, root)
        path = root / file
        path.write_text(path.read_text(encoding="utf-8") + "indicators: [online_pay]\n", encoding="utf-8")
        words = "online_payment"
    else:
        root = tmp_path / "inputs"
        shutil.copytree(INPUTS, root)
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert find in text
        path.write_text(text.replace(find, typed, 1), encoding="utf-8")
    result = run("build", "--inputs", root, "--out", tmp_path / "o")
    assert result.exit_code == EXIT_INVALID_INPUT, result.output
    assert file in result.output and words in result.output
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir()), "nothing written"


def test_a_report_deadline_no_kind_answers_is_reported(tmp_path):
    root = tmp_path / "inputs"
    shutil.copytree(INPUTS, root)
    path = root / "reports" / "bc_cchc.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("collects: true\n", ""), encoding="utf-8")
    result = run("build", "--inputs", root, "--out", tmp_path / "o")
    assert result.exit_code == EXIT_INVALID_INPUT
    assert "the_che_pho_bien_pl" in result.output and "appendices.yaml:" in result.output


def test_the_calendar_still_lists_folded_report_deadlines(inputs):
    from pipeline.commands.calendar import entries

    found = [e for e in entries(inputs) if e.text.startswith("Báo cáo: Thực hiện tốt tuyên truyền")]
    assert [e.due for e in found] == [dt.date(2025, 11, 1)]
