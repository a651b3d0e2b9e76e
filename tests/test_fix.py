"""`vanban fix` (issue 32): the decree's fixable faults mended as Word tracked changes.

Faults are typed into copies of real government files (``../shared/corpus/``, as ``test_check_corpus.py`` does)
and into vanban's own outputs; the result is read back from its XML (each revision by "vanban", holding the old
properties) and through ``docread`` (what a person sees), checked again, compared with the source's visible text
and with LibreOffice's own "accept all changes", and held to the OOXML schema. The expected values are the
decree's (30 mm left margin, 14 pt body, "Độc lập - Tự do - Hạnh phúc", "ngày 05"), written here.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from lxml import etree

from pipeline.check.file import check_path
from pipeline.cli import main
from pipeline.decree.fixes import FIXABLE
from pipeline.docread import read
from pipeline.docread.convert import as_docx
from pipeline.fix.run import fix_file
from pipeline.ooxml.audit import schema_errors
from tests.conftest import OUTPUTS, ROOT
from tests.docx_read import p_text, set_p_text
from tests.helpers.hostile_docx import UNREADABLE
from tests.test_check_corpus import (CORPUS, corpus_file, fault_body_font, fault_date_zero, fault_margins,
                                     fault_motto_dash, fault_type_not_bold, needs_corpus, needs_soffice)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REVISIONS = ("rPrChange", "pPrChange", "sectPrChange", "ins", "del")
FIXED_CHARS = set("–—-0;.")  # the only characters fix may change: dashes, leading zeros, "Nơi nhận" punctuation
HOSTS = ["To_trinh_519", "To_trinh_124"]
WHOLLY = {r for r, f in FIXABLE.items() if not f.partly}  # rules whose every finding fix can mend


# ---------------------------------------------------------------- reading the result back
def parts_xml(path: Path) -> list[etree._Element]:
    """document.xml, styles.xml and every header and footer, parsed."""
    with zipfile.ZipFile(path) as z:
        return [etree.fromstring(z.read(n)) for n in z.namelist()
                if n in ("word/document.xml", "word/styles.xml") or n.startswith(("word/header", "word/footer"))]


def revisions(path: Path) -> dict[str, list]:
    out: dict[str, list] = {t: [] for t in REVISIONS}
    for root in parts_xml(path):
        for t in REVISIONS:
            out[t] += [el for el in root.iter(W + t) if el.get(W + "author") == "vanban"]
    return out


def revision_texts(path: Path, tag: str) -> list[str]:
    inner = "delText" if tag == "del" else "t"
    return ["".join(x.text or "" for x in el.iter(W + inner)) for el in revisions(path)[tag]]


def visible(path: Path) -> str:
    return "\n".join(p.text for p in read(path).paragraphs)


def changed_chars(a: str, b: str) -> set[str]:
    """The characters that differ between two texts: paragraphs matched first, then characters inside them."""
    out: set[str] = set()
    lines = difflib.SequenceMatcher(None, a.split("\n"), b.split("\n"), autojunk=False)
    for op, i1, i2, j1, j2 in lines.get_opcodes():
        if op == "equal":
            continue
        x, y = "\n".join(lines.a[i1:i2]), "\n".join(lines.b[j1:j2])
        chars = difflib.SequenceMatcher(None, x, y, autojunk=False)
        out |= {c for o, k1, k2, l1, l2 in chars.get_opcodes() if o != "equal" for c in x[k1:k2] + y[l1:l2]}
    return out


def view(path: Path):
    """What a person sees that fix may change: each paragraph's characters grouped by bold, italic, size and
    font; alignment, indent, spacing; each section's paper, margins (mm), first page and numbering."""
    d = read(path)
    paras = []
    for p in d.paragraphs:
        if not p.stripped:  # LibreOffice adds an empty paragraph before a table that opens the document
            continue
        groups: list[list] = []
        for r in p.runs:
            for c in r.text:
                if c.isspace():
                    continue
                a = [r.bold, r.italic, r.size, r.font]
                if groups and groups[-1][1] == a:
                    groups[-1][0] += c
                else:
                    groups.append([c, a])
        paras.append((p.stripped, groups, p.align, p.indent_first + p.indent_left,
                      max(p.space_before, p.space_after)))
    secs = [(round(s.width / 56.7), round(s.height / 56.7), {k: round(v / 56.7, 1) for k, v in s.margins.items()},
             s.title_page, s.page_start, s.header_page_size, s.header_page_align) for s in d.sections]
    return paras, secs


def errors_of(path: Path) -> set[str]:
    return {f.rule for f in check_path(path, schema=False).findings if f.severity == "error"}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def faulted(tmp_path: Path, host: str, *faults) -> Path:
    doc = Document(str(corpus_file(host)))
    for fault in faults:
        fault(doc)
    out = tmp_path / f"{host}-sai.docx"
    doc.save(out)
    return out


# ---------------------------------------------------------------- each typed fault, one tracked change
def _margins(path):
    old = [el.find(f"{W}sectPr/{W}pgMar").get(W + "left") for el in revisions(path)["sectPrChange"]]
    new = [el.getparent().find(W + "pgMar").get(W + "left") for el in revisions(path)["sectPrChange"]]
    assert (old, new) == (["1134"], ["1701"])  # 20 mm → 30 mm (§1: 30–35 mm)


def _motto(path):
    assert revision_texts(path, "del") == ["–", "–"] and revision_texts(path, "ins") == ["-", "-"]
    assert "Độc lập - Tự do - Hạnh phúc" in visible(path)


def _date(path):
    assert revision_texts(path, "ins") == ["0"] and revision_texts(path, "del") == []
    assert "Lâm Đồng, ngày 05 tháng 3 năm 2026" in visible(path)


def _font(path):
    changes = revisions(path)["rPrChange"]
    assert changes and all(c.find(f"{W}rPr/{W}rFonts").get(W + "ascii") == "Arial" for c in changes)
    assert all(c.getparent().find(W + "rFonts").get(W + "ascii") == "Times New Roman" for c in changes)


def _type_bold(path):
    changes = revisions(path)["rPrChange"]
    assert changes and all(c.find(f"{W}rPr/{W}b").get(W + "val") == "0" for c in changes)
    assert all(c.getparent().find(W + "b").get(W + "val") is None for c in changes)  # <w:b/>: bold


FAULTS = [(fault_margins, "page.margins", _margins), (fault_motto_dash, "header.motto-dash", _motto),
          (fault_date_zero, "header.date-zero", _date), (fault_body_font, "font.family", _font),
          (fault_type_not_bold, "title.type", _type_bold)]


@needs_corpus
@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("fault,rule,shown", FAULTS, ids=[r for _, r, _ in FAULTS])
def test_a_typed_fault_is_mended_as_one_tracked_change(tmp_path, host, fault, rule, shown):
    src = corpus_file(host)
    host_fixed = fix_file(src, tmp_path / "host.docx")
    if rule in {c.rule for c in host_fixed.changes} or rule in errors_of(src):
        pytest.skip(f"{host} already breaks {rule}")
    if host_fixed.output is not None:  # the host's own fixable faults: mended first, the fault typed into that
        host_fixed = fix_file(src, tmp_path / "host-accepted.docx", accept=True)
        src = host_fixed.output
    bad = tmp_path / "sai.docx"
    doc = Document(str(src))
    fault(doc)
    doc.save(bad)
    before = sha(bad)
    res = fix_file(bad, tmp_path / "sua.docx")
    assert {c.rule for c in res.changes} == {rule}, res.changes
    assert rule in {f.rule for f in res.before.findings}
    shown(res.output)
    ids = [el.get(W + "id") for els in revisions(res.output).values() for el in els]
    assert len(ids) == len(set(ids))
    assert sha(bad) == before  # the source is never written
    assert rule not in errors_of(res.output)
    accepted = fix_file(bad, tmp_path / "sua-chap-nhan.docx", accept=True).output
    assert sum(map(len, revisions(accepted).values())) == 0
    assert not {f.rule for f in check_path(accepted, schema=False).findings} & WHOLLY
    assert changed_chars(visible(bad), visible(accepted)) <= FIXED_CHARS
    assert view(accepted) == view(res.output)  # the tracked file, as read, is the accepted one


@needs_corpus
def test_all_faults_at_once_schema_valid_and_reproducible(tmp_path):
    bad = faulted(tmp_path, "To_trinh_124", fault_motto_dash, fault_date_zero, fault_body_font, fault_type_not_bold)
    res = fix_file(bad, tmp_path / "a.docx")
    again = fix_file(bad, tmp_path / "b.docx")
    assert res.output.read_bytes() == again.output.read_bytes()
    old = {e.message for e in schema_errors(bad)}
    for path in (res.output, fix_file(bad, tmp_path / "c.docx", accept=True).output):
        assert {e.message for e in schema_errors(path)} <= old, "no new OOXML errors"
    assert {c.rule for c in res.changes} >= {"header.motto-dash", "header.date-zero", "font.family", "title.type",
                                             "page.margins"}


# ---------------------------------------------------------------- LibreOffice's "accept all" = --accept
MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub AcceptAll(inPath As String, outPath As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), &quot;_blank&quot;, 0, args())
  disp = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  disp.executeDispatch(doc.CurrentController.Frame, &quot;.uno:AcceptAllTrackedChanges&quot;, &quot;&quot;, 0, Array())
  Dim sargs(0) As New com.sun.star.beans.PropertyValue
  sargs(0).Name = &quot;FilterName&quot;
  sargs(0).Value = &quot;MS Word 2007 XML&quot;
  doc.storeToURL(ConvertToURL(outPath), sargs())
  doc.close(True)
  StarDesktop.terminate()
End Sub
</script:module>
"""


@pytest.fixture(scope="module")
def lo_profile(tmp_path_factory) -> Path:
    """A LibreOffice profile of its own holding a Basic macro that accepts every tracked change and saves."""
    profile = tmp_path_factory.mktemp("lo-accept") / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--terminate_after_init"],
                   capture_output=True, timeout=180, check=False)
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    assert module.exists(), "LibreOffice made no profile"
    module.write_text(MACRO, encoding="utf-8")
    return profile


def lo_accept_all(profile: Path, src: Path, out: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    f'macro:///Standard.Module1.AcceptAll("{src}","{out}")'], capture_output=True, timeout=180,
                   check=False)
    assert out.exists(), "LibreOffice did not save the accepted file"
    return out


@needs_corpus
@needs_soffice
@pytest.mark.parametrize("case", ["faults", "plan-style", "To_trinh_65", "BAO_CAO_To_trinh_629", "CV_4214"])
def test_libreoffice_accept_all_gives_the_accepted_file(tmp_path, lo_profile, case):
    if case == "faults":
        src = faulted(tmp_path, "To_trinh_124", fault_margins, fault_motto_dash, fault_date_zero, fault_body_font,
                      fault_type_not_bold)
    elif case == "plan-style":  # a style's font changed: mended in the style (w:rPrChange in styles.xml)
        doc = Document(str(OUTPUTS / "ke-hoach-cchc.docx"))
        doc.styles["VB Body"].font.name = "Arial"
        doc.sections[0].left_margin = Pt(72)
        src = tmp_path / "plan.docx"
        doc.save(src)
    else:
        src = corpus_file(case)
    tracked = fix_file(src, tmp_path / "tracked.docx")
    accepted = fix_file(src, tmp_path / "accepted.docx", accept=True)
    assert tracked.changes and [vars(c) for c in tracked.changes] == [vars(c) for c in accepted.changes]
    by_lo = lo_accept_all(lo_profile, tracked.output, tmp_path / "lo.docx")
    assert sum(map(len, revisions(by_lo).values())) == 0
    assert view(by_lo)[0] == view(accepted.output)[0]  # every paragraph: text, weight, slant, size, font, layout
    # sections as LibreOffice saves them (its round trip rewrites a header's sizes whatever the changes)
    assert view(by_lo) == view(lo_accept_all(lo_profile, accepted.output, tmp_path / "lo-accepted.docx"))


# ---------------------------------------------------------------- every real file
CORPUS_FILES = sorted(p.name for p in CORPUS.glob("*.doc*")) if CORPUS.is_dir() else []


@needs_corpus
@pytest.mark.parametrize("name", CORPUS_FILES, ids=[n[-40:] for n in CORPUS_FILES])
def test_every_corpus_file_is_mended_without_touching_its_words(tmp_path, name):
    src = CORPUS / name
    if src.suffix == ".doc" and shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    before = sha(src)
    res = fix_file(src, tmp_path / "sua.docx", accept=True)
    assert sha(src) == before
    if res.output is None:
        assert not {f.rule for f in res.before.findings} & WHOLLY
        return
    left = {f.rule for f in check_path(res.output, schema=False).findings if f.severity == "error"}
    assert not left & WHOLLY, left
    src_text = visible(src)
    assert changed_chars(src_text, visible(res.output)) <= FIXED_CHARS
    tracked = fix_file(src, tmp_path / "theo-doi.docx")
    with as_docx(src) as docx_path:  # a .doc: the .docx LibreOffice makes of it, which fix starts from
        old = {e.message for e in schema_errors(docx_path)}
    assert {e.message for e in schema_errors(tracked.output)} <= old, "no new OOXML errors"


@needs_corpus
def test_a_draft_stays_a_draft(tmp_path):
    src = corpus_file("To_trinh_124")  # "Số:            /KH-UBND", "ngày      tháng      năm 2026"
    res = fix_file(src, tmp_path / "sua.docx", accept=True)
    doc = read(res.output)
    assert doc.draft and doc.header.number.number == "" and doc.header.date.day == ""
    assert doc.header.number.text == read(src).header.number.text
    assert "header.draft" in {f.rule for f in res.left()}


# ---------------------------------------------------------------- vanban's own documents
def test_vanban_outputs_have_nothing_to_fix(tmp_path):
    files = sorted(OUTPUTS.rglob("*.docx"))
    assert len(files) >= 20
    for f in files:
        res = fix_file(f, tmp_path / f"{f.stem}.docx")
        assert res.output is None and res.changes == [], (f, res.changes)
    assert list(tmp_path.iterdir()) == []


def test_faults_typed_into_a_vanban_plan_are_mended(tmp_path):
    doc = Document(str(OUTPUTS / "ke-hoach-cchc.docx"))
    doc.sections[0].left_margin = Pt(72)  # 25.4 mm
    doc.styles["VB Body"].font.name = "Arial"  # the body's style: mended in the style, one change
    body = [p for p in doc.paragraphs if len(p.text) > 120]
    for r in body[3].runs:
        r.font.size = Pt(12)
    bad = tmp_path / "ke-hoach-sai.docx"
    doc.save(bad)
    assert {"page.margins", "body.size"} <= errors_of(bad)
    res = fix_file(bad, tmp_path / "ke-hoach-sua.docx")
    assert {c.rule for c in res.changes} == {"page.margins", "body.size", "font.family"}
    assert [(c.where, c.before) for c in res.changes if c.rule == "font.family"] == [("kiểu “VB Body”", "Arial")]
    assert not errors_of(res.output)
    with zipfile.ZipFile(res.output) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
    (change,) = styles.iter(W + "rPrChange")
    assert change.find(f"{W}rPr/{W}rFonts").get(W + "ascii") == "Arial"
    assert change.getparent().find(W + "rFonts").get(W + "ascii") == "Times New Roman"
    assert {r.font for p in read(res.output).paragraphs for r in p.runs} == {"Times New Roman"}
    fixed = read(res.output)
    assert fixed.sections[0].margins["left"] == 1701
    assert {r.size for p in fixed.body for r in p.runs if p.text == body[3].text} == {14.0}
    assert len(revisions(res.output)["sectPrChange"]) == 1 and len(revisions(res.output)["rPrChange"]) > 1


# ---------------------------------------------------------------- the command
@needs_corpus
def test_command_reports_in_vietnamese_and_json(tmp_path):
    bad = faulted(tmp_path, "To_trinh_519", fault_date_zero, fault_motto_dash)
    result = CliRunner().invoke(main, ["fix", str(bad)])
    out = bad.with_name(bad.stem + ".fixed.docx")
    assert out.exists(), result.output
    assert "đã sửa header.date-zero" in result.output and "→" in result.output
    assert "thay đổi được theo dõi" in result.output
    assert result.exit_code == 0  # no breach left; the draft's blank number is a note (info), not a finding
    first = sha(out)
    again = CliRunner().invoke(main, ["fix", str(bad)])
    assert again.exit_code == 5 and sha(out) == first
    forced = CliRunner().invoke(main, ["fix", str(bad), "--force", "--format", "json", "-o", str(tmp_path / "j.docx")])
    data = json.loads(forced.stdout)
    assert {c["rule"] for c in data["fixed"]} >= {"header.date-zero", "header.motto-dash"}
    assert all(set(c) == {"rule", "where", "before", "after"} for c in data["fixed"])
    assert "header.draft" in {f["rule"] for f in data["left"]}
    over = CliRunner().invoke(main, ["fix", str(bad), "-o", str(bad)])
    assert over.exit_code == 2 and "không ghi đè lên tệp gốc" in over.output
    (tmp_path / "tep").write_text("x")
    blocked = CliRunner().invoke(main, ["fix", str(bad), "-o", str(tmp_path / "tep" / "sua.docx")])
    assert blocked.exit_code == 4 and "Không ghi được" in blocked.output and "tệp trùng tên" in blocked.output
    not_docx = CliRunner().invoke(main, ["fix", str(bad), "-o", str(tmp_path / "sua.doc")])
    assert not_docx.exit_code == 2 and not (tmp_path / "sua.doc").exists()


@needs_corpus
def test_command_exits_1_when_something_is_left_for_a_person(tmp_path):
    src = corpus_file("To_trinh_65")  # a công văn whose symbol "BCĐ" lacks the drafting unit: content
    result = CliRunner().invoke(main, ["fix", str(src), "-o", str(tmp_path / "sua.docx")])
    assert result.exit_code == 1, result.output
    assert "đã sửa recipients.archive" in result.output  # "- Lưu: VT, NC.Châu" → "… NC.Châu."
    assert "còn" in result.output and "header.number" in result.output
    assert read(tmp_path / "sua.docx").recipients.entries[-1][0] == "- Lưu: VT, NC.Châu."


def test_command_on_a_file_with_nothing_to_fix_writes_nothing(tmp_path):
    src = tmp_path / "kh.docx"
    shutil.copy(OUTPUTS / "ke-hoach-cchc.docx", src)
    result = CliRunner().invoke(main, ["fix", str(src)])
    assert result.exit_code == 0, result.output
    assert "không có lỗi thể thức nào sửa được" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kh.docx"]


def test_hostile_files_are_refused_with_exit_3_never_a_crash(tmp_path):
    code = ("import json, sys; from pathlib import Path; from click.testing import CliRunner;"
            "from pipeline.cli import main; from tests.helpers import hostile_docx as H;"
            "files = H.write_all(Path(sys.argv[1]));"
            "out = {p.stem: CliRunner().invoke(main, ['fix', str(p), '-o', str(p.with_suffix('.out.docx'))]).exit_code"
            " for p in files}; print(json.dumps(out))")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, timeout=600, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    codes = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    assert all(codes[n] == 3 for n in UNREADABLE), codes
    assert set(codes.values()) <= {0, 1, 3}, codes


def _set_para_text(doc, old: str, new: str) -> None:
    from docx.oxml.ns import qn

    for p in doc.element.body.iter(qn("w:p")):
        if " ".join(p_text(p).split()) == old:  # spaces and no-break spaces as one
            set_p_text(p, new)
            return
    raise AssertionError(f"not found: {old}")


def test_number_zero_recipient_marks_and_first_page_in_a_vanban_plan(tmp_path):
    doc = Document(str(OUTPUTS / "ke-hoach-cchc.docx"))
    _set_para_text(doc, "Số: /KH-UBND", "Số: 5/KH–UBND")  # registered: number 5 without its zero, an en dash
    _set_para_text(doc, "- Các thôn;", "- Các thôn")  # a recipient without its ";"
    _set_para_text(doc, "- Lưu: VT, VP.", "- Lưu: VT, VP")  # the archive line without its "."
    doc.sections[0].different_first_page_header_footer = False  # page 1 numbered
    (type_name,) = [p for p in doc.paragraphs if p.text.strip() == "KẾ HOẠCH"]
    type_name.alignment = WD_ALIGN_PARAGRAPH.LEFT  # §3: the type name is centred
    bad = tmp_path / "ke-hoach-sai.docx"
    doc.save(bad)
    assert {"header.number", "recipients.entry", "recipients.archive", "pagenum.first-page",
            "title.type"} <= errors_of(bad)
    res = fix_file(bad, tmp_path / "ke-hoach-sua.docx")
    assert {c.rule for c in res.changes} == {"header.number", "header.number-zero", "recipients.entry",
                                             "recipients.archive", "pagenum.first-page", "title.type"}
    (centred,) = revisions(res.output)["pPrChange"]
    assert centred.find(f"{W}pPr/{W}jc").get(W + "val") == "left"
    assert centred.getparent().find(W + "jc").get(W + "val") == "center"
    assert sorted(revision_texts(res.output, "ins")) == ["-", ".", "0", ";"]
    assert revision_texts(res.output, "del") == ["–"]
    (sect,) = revisions(res.output)["sectPrChange"]
    assert sect.find(f"{W}sectPr/{W}titlePg") is None and sect.getparent().find(W + "titlePg") is not None
    fixed = read(res.output)
    assert fixed.header.number.text == "Số: 05/KH-UBND"
    texts = [t for t, _ in fixed.recipients.entries]
    assert "- Các thôn;" in texts and texts[-1] == "- Lưu: VT, VP."
    assert fixed.sections[0].title_page
    assert not errors_of(res.output)


def test_an_appendix_label_not_bold_nor_centred_is_mended(tmp_path):
    doc = Document(str(OUTPUTS / "phu-luc" / "phu-luc-I-the-che.docx"))
    (label,) = [p for p in doc.paragraphs if p.text.strip() == "Phụ lục I"]
    label.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for r in label.runs:
        r.font.bold, r.font.size = False, Pt(13)
    bad = tmp_path / "phu-luc-sai.docx"
    doc.save(bad)
    assert "appendix.style" in errors_of(bad)
    res = fix_file(bad, tmp_path / "phu-luc-sua.docx")
    assert [(c.rule, c.before, c.after) for c in res.changes] == [
        ("appendix.style", "không đậm, cỡ 13, căn trái", "đậm, cỡ 14, căn giữa")]
    (fixed,) = read(res.output).appendices
    assert fixed.label.align == "center" and [(r.bold, r.size) for r in fixed.label.runs] == [(True, 14.0)]
    assert not errors_of(res.output)
