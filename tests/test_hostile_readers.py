"""Issue 33, the readers: small hostile Word files never hang, crash or exhaust a reader.

Each file of ``tests/helpers/hostile_docx.py`` is a few kilobytes and carries one value or structure Word
never writes (a list starting at 10^12 in Roman numerals, a cell spanning a billion columns, levels,
spans and page sizes that are not numbers, nesting a thousand deep, …). Every reader of a .docx runs on
each in a child process bounded in time (``TIMEOUT``) and memory (``MEMORY``): git's text conversion (the
script git runs, and ``vanban textconv``), ``vanban check``, ``vanban import``, ``vanban diff`` and its
redline. What a person sees is asserted: the lines git shows, the exit codes of the README's table, and a
Vietnamese reason (never libxml2's or Python's English) for a file that cannot be read.

Expected lines are what Word shows, with the rule of ``decree.labels`` for numbers no list holds (past
3999, Arabic figures), and Word's treatment of a value that is not a number: the default (a list starts at
1, a level is 0, a span is 1) or the largest Word allows (level 8, 63 columns).
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.check.file import check_model, check_path
from pipeline.cli import main
from pipeline.docread import limits, read_docx
from pipeline.importer.assemble import Assembler
from pipeline.importer.yamlout import dump
from pipeline.vcs import textconv, textlines
from pipeline.vcs.redline import redline
from tests.conftest import ROOT
from tests.helpers import hostile_docx as H

MEMORY = 1 << 30  # address space of each child: a reader needs under 400 MB; the 10^9-column span asked for 8 GB
TIMEOUT = 240  # seconds for a child (all files at once); a hang fails here instead of holding the suite
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
SCRIPT = ROOT / "pipeline" / "vcs" / "textconv.py"

DEEP = "các phần tử XML lồng nhau quá sâu (quá 256 cấp"
UNREADABLE = {"tables-1000-deep": DEEP, "elements-1000-deep": DEEP, "elements-100000-deep": DEEP,
              "no-body": "không có phần thân văn bản (w:body)", "encoding-unknown": "bảng mã ký tự"}
assert set(UNREADABLE) == H.UNREADABLE
A4 = "=== Phần 1: A4 dọc, lề trên 20 dưới 20 trái 30 phải 15 mm ==="
SPAN_63 = "| gộp |" + " < |" * 62  # Word's widest table: 63 columns
# what git shows of each readable file (textconv's lines), as Word shows the file
SHOWN = {
    "roman-10-12": [A4, "1000000000000. Mục 1", "1000000000001. Mục 2", "1000000000002. Mục 3"],
    "letter-10-12": [A4, "1000000000000) Mục 1", "1000000000001) Mục 2", "1000000000002) Mục 3"],
    "start-4400-digits": [A4, "1. Mục 1", "2. Mục 2", "3. Mục 3"],
    "start-not-a-number": [A4, "I. Mục 1", "II. Mục 2", "III. Mục 3"],
    "ilvl-not-a-number": [A4, "1. Mục một", "2. Mục hai"],
    "ilvl-in-style": [A4, "1. Đoạn theo kiểu"],
    "gridspan-abc": [A4, "| gộp |", "| x |"],
    "gridspan-10-9": [A4, SPAN_63],
    "page-size-abc": ["=== Phần 1: ?×297 mm dọc, lề trên ? dưới 20 trái 30 phải 15 mm ===", "Trang"],
    "page-size-inf": ["=== Phần 1: 210×? mm dọc, lề trên 20 dưới 20 trái ? phải 15 mm ===", "Trang"],
    "cell-width-abc": [A4, "| ô |"],
    "shape-size-abc": [A4, "[hình]"],
    "header-span-huge": [A4, "[Đầu trang] " + SPAN_63.replace("gộp", "đầu"), "Thân"],
    "footnote-nested-paragraphs": [A4, "Thân", "[^1] (Chú thích) chú"],
    "comment-in-border": [A4, "Viền"],
    "comment-in-drawing": [A4, "[hình]"],
    "pages-5000-digits": [A4, "Trang"],
    "style-chain-5000": [A4, "Kiểu"],
    "font-name-100k": [A4, "chữ"],
}
# a file whose every line is not written out above: lines that must be among git's
HAS = {
    "ilvl-huge": ["Mục một", "Mục hai"],
    "number-5000-digits": ["KẾ HOẠCH", "Cải cách hành chính quý X năm 0000"],
    "control-characters": ["I. NHIỆM VỤ"],
    "level-text-100k": ["Mục 1", "Mục 2", "Mục 3"],
    "opening-regex-bomb": ["I. MỤC ĐÍCH", "II. NHIỆM VỤ"],
}
assert set(SHOWN) | set(HAS) | set(UNREADABLE) == set(H.CASES)
ENGLISH = ("Traceback", "Error", "Excessive", "invalid literal", "not well-formed", "mismatched", "Unsupported",
           "XML_PARSE_HUGE", "could not", "line 1, column")


def _bounded() -> None:  # in the child, before it runs
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def child(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, timeout=TIMEOUT, preexec_fn=_bounded,
                          env=ENV, cwd=ROOT, **kw)


def english(text: str) -> list[str]:
    """Lines with a library's English in them (the schema validator's own words, an info finding, aside)."""
    return [line for line in text.splitlines() if "ooxml.schema" not in line and any(w in line for w in ENGLISH)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def files(corpus) -> dict[str, Path]:
    return {p.stem: p for p in H.write_all(corpus)}


@pytest.fixture(scope="module")
def readers(corpus, files) -> dict:
    """Every reader on every file, in one child process bounded in time and memory."""
    code = ("import json, sys; from pathlib import Path; from tests.helpers.hostile_docx import run_readers;"
            "sys.stdout.write(json.dumps(run_readers(Path(sys.argv[1])), default=str, ensure_ascii=False))")
    proc = child("-c", code, str(corpus))
    assert proc.returncode == 0, proc.stderr.decode("utf-8")[-3000:]
    return json.loads(proc.stdout.decode("utf-8"))


# ------------------------------------------------------------------ git's text conversion


@pytest.mark.parametrize("name", sorted(H.CASES))
def test_git_gets_the_text_or_one_line_and_goes_on(name, files):
    """git runs the script on each version of a file: it shows the file's lines, or one Vietnamese line for a
    file it cannot read, and exits 0 — git's diff, log -p and show never stop on a hostile file."""
    proc = child(str(SCRIPT), str(files[name]))
    assert proc.returncode == 0 and proc.stderr == b""
    lines = proc.stdout.decode("utf-8").splitlines()
    if name in UNREADABLE:
        assert len(lines) == 1 and lines[0].startswith("[vanban: không đọc được tệp Word này — ")
        assert UNREADABLE[name] in lines[0] and not english(lines[0])
    elif name in SHOWN:
        assert lines == SHOWN[name]
    else:
        assert lines[0] == A4 and all(any(line.endswith(x) for line in lines) for x in HAS[name])


def test_a_list_level_s_number_format_is_read_up_to_255_characters(files):
    """"%1%1%1…" written 50,000 times: the label stops at MAX_LEVEL_TEXT characters of the format."""
    proc = child(str(SCRIPT), str(files["level-text-100k"]))
    numbered = proc.stdout.decode("utf-8").splitlines()[1:]
    assert [line.rsplit(" ", 2)[-2:] for line in numbered] == [["Mục", "1"], ["Mục", "2"], ["Mục", "3"]]
    assert all(len(line) < 255 + 10 for line in numbered)


def test_git_log_and_show_go_on_past_hostile_files(tmp_path, files):
    """In a commune's repository: ``git log -p`` and ``git show`` print each document's text (a list started at
    10^12 as Arabic figures) and one line for a file vanban cannot read, and finish with git's own success."""
    from pipeline.vcs.git import ATTRIBUTE_LINE, driver_settings

    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, timeout=TIMEOUT, preexec_fn=_bounded,
                              env=ENV)
        assert proc.returncode == 0, proc.stderr.decode("utf-8")
        return proc

    git("init", "-q")
    git("config", "user.name", "Văn thư")
    git("config", "user.email", "vanthu@example.invalid")
    (repo / ".gitattributes").write_text(ATTRIBUTE_LINE + "\n", encoding="utf-8")
    for key, value in driver_settings().items():
        git("config", key, value)
    for name in ("roman-10-12", "tables-1000-deep"):
        (repo / f"{name}.docx").write_bytes(files[name].read_bytes())
        git("add", "-A")
        git("commit", "-qm", name)
    log = git("log", "-p").stdout.decode("utf-8")
    assert "+1000000000000. Mục 1\n+1000000000001. Mục 2\n" in log
    unreadable = f"+[vanban: không đọc được tệp Word này — {DEEP}"
    assert unreadable in log and unreadable in git("show", "HEAD").stdout.decode("utf-8")


def test_the_textconv_command_says_why_a_file_is_not_read(files):
    """``vanban textconv`` for a clerk: every readable file printed, each unreadable one named with its
    Vietnamese reason on stderr, exit 3 (bad input)."""
    proc = child("-m", "pipeline", "textconv", *(str(files[n]) for n in sorted(H.CASES)))
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 3, err
    for name, reason in UNREADABLE.items():
        assert f"vanban textconv: {files[name]}: không đọc được tệp Word — " in err and reason in err
    assert len(err.splitlines()) == len(UNREADABLE) and not english(err)
    out = proc.stdout.decode("utf-8")
    assert all(line in out for lines in SHOWN.values() for line in lines)


# ------------------------------------------------------------------ check, import, diff, redline


def test_check_reads_every_file_or_reports_it_unreadable(readers):
    for name, got in readers.items():
        check = got["check"]
        if name in UNREADABLE:
            assert check["code"] == 3, (name, check)
            assert "lỗi file.unreadable [tệp]: không đọc được tệp Word: " in check["stdout"]
            assert UNREADABLE[name] in check["stdout"], (name, check["stdout"])
        else:
            assert check["code"] in (0, 1), (name, check)  # the file is read; its slips are findings
        assert not english(check["stdout"] + check["stderr"]), (name, check)


def test_the_schema_audit_reports_values_that_are_not_numbers(readers):
    """What Word would "repair" is said (as information): the list start, the level, the span, the page size."""
    for name in ("start-not-a-number", "ilvl-not-a-number", "gridspan-abc", "page-size-abc"):
        assert "ghi chú ooxml.schema" in readers[name]["check"]["stdout"], name


def test_import_writes_inputs_or_refuses_the_file(readers):
    for name, got in readers.items():
        imp = got["import"]
        if name in UNREADABLE:
            assert imp["code"] == 3 and got["plan"] is None, (name, imp)
            assert "Tệp Word không đọc được" in imp["stderr"] and UNREADABLE[name] in imp["stderr"], (name, imp)
        else:
            assert imp["code"] in (0, 1) and got["plan"] is not None, (name, imp)
        assert not english(imp["stdout"] + imp["stderr"]), (name, imp)


def test_import_takes_no_number_or_year_that_is_not_one(readers):
    """"Số: 999…9/KH-UBND" (5,000 digits), "năm 99999", "quý X năm 0000": none is taken for a number, a date or
    a period; the plan is written with placeholders to review."""
    plan = readers["number-5000-digits"]["plan"]
    assert plan["number"] is None
    assert "quý" not in str(plan["period"]["label"]) and plan["kind"] == "KH"


def test_import_keeps_control_characters_in_valid_yaml(readers):
    """U+0080 survives the trip into YAML (escaped); NEL and the line separator are spaces, as in Word."""
    plan = readers["control-characters"]["plan"]
    assert "Điều một hai\x80ba" in json.dumps(plan, ensure_ascii=False)


def test_diff_and_redline_against_each_file(readers):
    """``vanban diff plain.docx hostile.docx --redline`` writes tracked changes Word opens, or says in
    Vietnamese why the file cannot be compared; the redline alone says the same."""
    for name, got in readers.items():
        diff, red = got["diff"], got["redline"]
        if name in UNREADABLE:
            assert diff["code"] == 3 and UNREADABLE[name] in diff["stderr"], (name, diff)
            assert UNREADABLE[name] in red["refused"] and not english(red["refused"]), (name, red)
        else:
            assert diff["code"] == 0 and "thay đổi" in diff["stdout"], (name, diff)
            assert got["red_lines"] and got["red_lines"][0].startswith("=== Phần 1:"), name
            assert red["counts"]["ins"] >= 1 and red["lines"] == got["red_lines"], name
        assert not english(diff["stdout"] + diff["stderr"]), (name, diff)


# ------------------------------------------------------------------ a reader that stops reading


@pytest.fixture(scope="module")
def long_file(corpus) -> Path:
    path = corpus / "ke-hoach-dai.docx"
    path.write_bytes(H.long_plan(3000))
    return path


@pytest.mark.parametrize("how", ["check", "textconv", "script"])
def test_output_into_a_reader_that_stops_early_ends_quietly(how, files, long_file):
    """``vanban check … | head -1``: no traceback, no "Exception ignored", the command's own exit code."""
    args = {"check": ["-m", "pipeline", "check", "--no-schema", *[str(files["roman-10-12"])] * 300],
            "textconv": ["-m", "pipeline", "textconv", str(long_file)],
            "script": [str(SCRIPT), str(long_file)]}[how]
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_bounded, env=ENV, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # as `head -1` does
    err = proc.stderr.read().decode("utf-8")
    code = proc.wait(timeout=TIMEOUT)
    assert first.decode("utf-8").startswith(str(files["roman-10-12"]) if how == "check" else "=== Phần 1:")
    assert err == "" and code == (1 if how == "check" else 0)


# ------------------------------------------------------------------ the time budget


def test_a_file_over_its_time_budget_is_unreadable_to_every_reader(monkeypatch, files, tmp_path):
    """The budget is a backstop for a structure that would cost far more than its size: with none left, the
    file is not read, said in Vietnamese (exit 3; git gets its one line)."""
    path = files["roman-10-12"]
    monkeypatch.setattr(limits, "BUDGET_S", 0.0)
    monkeypatch.setattr(limits, "BUDGET_S_PER_MB", 0.0)
    monkeypatch.setattr(textlines, "BUDGET_S", 0.0)
    monkeypatch.setattr(textlines, "BUDGET_S_PER_MB", 0.0)
    report = check_path(path)
    assert [f.rule for f in report.findings] == ["file.unreadable"]
    assert "đọc quá 0 giây mà chưa xong — cấu trúc tệp bất thường" in report.findings[0].message
    imported = CliRunner().invoke(main, ["import", str(path), "--out", str(tmp_path / "x")])
    assert imported.exit_code == 3 and "đọc quá 0 giây" in imported.stderr
    assert not (tmp_path / "x" / "inputs").exists()
    shown = CliRunner().invoke(main, ["textconv", str(path)])
    assert shown.exit_code == 3 and "đọc quá 0 giây" in shown.stderr
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with contextlib.redirect_stdout(out):
        textconv.emit_for_git(str(path))  # what the script does for git
    out.seek(0)
    assert out.read().startswith("[vanban: không đọc được tệp Word này — đọc quá 0 giây")


# ------------------------------------------------------------------ linear in the file's size


def _calls(run) -> int:
    """Python and C calls made by ``run()``: work counted, not timed (the machine's load does not change it)."""
    profile = cProfile.Profile()
    profile.enable()
    run()
    profile.disable()
    return sum(entry[1] for entry in pstats.Stats(profile).stats.values())  # type: ignore[attr-defined]


def _readers(path: Path, data: bytes) -> dict:
    return {
        "textconv": lambda: textconv.docx_lines(data),
        "check": lambda: check_model(read_docx(path)),
        "import": lambda: [dump(d) for d in Assembler(read_docx(path), "x").run().files.values()],
        "redline": lambda: redline(data, data.replace("Nội dung".encode(), "Nội dung mới".encode(), 1)),
    }


@pytest.mark.parametrize("shape", sorted(H.GROWING))
def test_the_work_of_each_reader_grows_as_the_file(shape, tmp_path):
    """Ten times the paragraphs (sections, appendices, lines in one header cell, numbering keys) cost at most
    ten times the calls, with a fifth for slack: a reader quadratic in them (issue 33: 57 s and 200 s for
    20,000 paragraphs) makes a hundred times as many."""
    small, big = H.GROWING[shape](60), H.GROWING[shape](600)
    (tmp_path / "small.docx").write_bytes(small)
    (tmp_path / "big.docx").write_bytes(big)
    few, many = _readers(tmp_path / "small.docx", small), _readers(tmp_path / "big.docx", big)
    for reader in few:
        ratio = _calls(many[reader]) / _calls(few[reader])
        assert ratio <= 12, (shape, reader, ratio)


def test_sibling_positions_counted_once_give_the_validator_s_own_paths(files):
    """The schema audit with its positions counted once names the same places as without."""
    from pipeline.check.file import _positions_counted_once
    from pipeline.ooxml.audit import schema_errors

    for name in ("gridspan-abc", "page-size-abc", "footnote-nested-paragraphs"):
        plain = [str(e) for e in schema_errors(files[name])]
        with _positions_counted_once():
            counted = [str(e) for e in schema_errors(files[name])]
        assert counted == plain and plain, name


def test_a_large_file_is_checked_without_the_schema_unless_asked(monkeypatch, files):
    import pipeline.check.file as check_file

    monkeypatch.setattr(check_file, "SCHEMA_AUTO_BYTES", 100)
    auto = check_path(files["gridspan-abc"])
    assert not [f for f in auto.findings if f.rule == "ooxml.schema"]
    assert [x["why"] for x in auto.not_evaluated if x["rule"] == "ooxml.schema"] == [
        "tệp lớn (0.0 MB XML): không soát lược đồ OOXML khi không yêu cầu; thêm --schema để soát (chậm)"]
    asked = check_path(files["gridspan-abc"], schema=True)
    assert [f.rule for f in asked.findings if f.rule == "ooxml.schema"] == ["ooxml.schema"]


def test_the_written_inputs_read_back_with_every_text(readers):
    """No YAML read-back while importing: the written files load as YAML (the child loaded each)."""
    assert all(got["plan"] is not None or name in UNREADABLE for name, got in readers.items())
    assert yaml.safe_load(dump({"t": ["a\x85b", "x\u2028y", "\x80", "yes", "1e3", "- a"]})[0]) == {
        "t": ["a\x85b", "x\u2028y", "\x80", "yes", "1e3", "- a"]}
