"""`vanban check` on real government files (../shared/corpus/, issue 18).

Each file has a truth table written by reading the file itself (its XML, and its pages rendered by
LibreOffice) — not from the checker: the breaches a văn thư would point at (``must``), the false alarms
earlier versions raised or a naive reader would raise (``must_not``), and the kind of document.
The corpus is not copied into the repository; the tests skip when it is absent.

Then faults are typed into copies of real files (margins, an en dash in the motto, a date without its
leading zero, a body font, the type name not bold, a page number in the footer): each must be reported
on each file, and must not have been reported before the fault was typed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from pipeline.check.file import check_path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def corpus_file(key: str) -> Path:
    (path,) = [p for p in CORPUS.iterdir() if key in p.name]
    return path


# key (part of the file name) -> kind, errors that must be found, rules that must not be found (any severity
# for header/body false alarms), and rules that must be reported with another severity.
TRUTH = {
    # Phù Mỹ Bắc weekly report: agency line 14 pt, no "Số:", type and summary on one line, page number 11 pt
    # (header runs carry no size; docDefaults 11 pt); no "Nơi nhận". Rules are drawn DrawingML lines.
    "weekly_template": dict(
        kind="văn bản hành chính — Báo cáo (BC)",
        must={"header.agency-style", "header.number", "title.type-line", "pagenum.size"},
        must_not={"header.motto-rule", "header.agency-rule", "header.date", "header.date-zero", "font.family",
                  "body.numbering", "page.margins"},
        other={"recipients.missing": "warning"}),
    # The decree's own Phụ lục I (.doc): an appendix file; its landscape page has a 15 mm bottom margin;
    # a few paragraphs are squeezed to 4 pt before, 0 after ("Đối với những văn bản có phạm vi …").
    "Phuluc1.doc": dict(
        kind="phụ lục (tệp riêng)",
        must={"page.margins", "body.spacing"},
        must_not={"header.national", "header.number", "header.motto-rule", "body.numbering", "font.family",
                  "signature.form", "recipients.entry", "page.size"},
        other={}),
    # Phụ lục III (.doc): the model forms, with blanks; one run in Normal's Calibri ("quy định trực tiếp").
    "Phuluc3.doc": dict(
        kind="phụ lục (tệp riêng)",
        must={"font.family"},
        must_not={"header.national", "header.number", "header.date", "body.numbering", "body.size",
                  "page.margins"},
        other={}),
    # Appendix of a provincial report: US Letter landscape, margins 18.3/4.9/25.4 mm, "PHỤ LỤC" in capitals.
    "Phu_luc_kem_BC_CCHC": dict(
        kind="phụ lục (tệp riêng)",
        must={"page.size", "page.margins", "appendix.case"},
        must_not={"header.national", "header.number", "body.numbering"},
        other={}),
    # Ban Chỉ đạo 06 report: margins 18 mm; sections I then III (II missing); a draft (blank number and day).
    "BC_thang_3.2026": dict(
        kind="văn bản hành chính — Báo cáo (BC)",
        must={"page.margins", "body.numbering"},
        must_not={"header.date", "header.date-zero", "header.number", "header.motto-rule", "header.agency-rule",
                  "title.summary-rule"},
        other={"header.draft": "info"}),
    # Công văn 4214: bottom margin 5 mm; "- Lưu: VT, NC.Châu" without its full stop, "Châu" in 9 pt;
    # one page, so no page number is needed; rules drawn in row 2 of the header table.
    "CV_4214": dict(
        kind="văn bản hành chính — Công văn",
        must={"page.margins", "recipients.archive", "recipients.size"},
        must_not={"header.motto-rule", "header.agency-rule", "header.date", "header.number", "pagenum.missing",
                  "title.type", "title.summary"},
        other={"header.draft": "info", "to.form": "warning"}),  # "Kính gửi: Công an tỉnh" without its "."
    # Giấy mời (.doc): no summary under "GIẤY MỜI"; "TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG" is a valid form;
    # the signer's name is typed below the signature table.
    "Giay_moi_hop_CCHC": dict(
        kind="văn bản hành chính — Giấy mời (GM)",
        must={"title.summary"},
        must_not={"header.date", "header.date-zero", "header.number", "signature.form", "recipients.entry",
                  "recipients.archive", "header.motto-rule", "header.agency-rule", "page.margins"},
        other={"signature.name": "warning", "header.draft": "info"}),
    # Kế hoạch 124: left margin 25 mm; day and month blank (draft); page number also in an 'even' footer
    # that is never used (the document has no odd/even setting).
    "To_trinh_124": dict(
        kind="văn bản hành chính — Kế hoạch (KH)",
        must={"page.margins"},
        must_not={"header.date", "header.date-zero", "pagenum.footer", "header.motto-rule", "header.agency-rule",
                  "body.numbering", "title.summary-rule"},
        other={"header.draft": "info"}),
    # Báo cáo 493: national name and motto in one paragraph; the "M" of NAM in 14 pt; sections I, II, IV, IV;
    # "6.1.Công tác" (no space) is clause 6.1, not a second "6.".
    "To_trinh_493": dict(
        kind="văn bản hành chính — Báo cáo (BC)",
        must={"header.national", "body.numbering"},
        must_not={"header.motto", "header.motto-rule", "header.motto-style", "header.agency-rule", "header.date"},
        other={"header.draft": "info"}),
    # Quyết định 519: clauses restart in each Điều; "Nơi nhận:" and its first line in one paragraph;
    # the head signs personally ("CHỦ TỊCH"); page number 12 pt (Normal 12 pt).
    "To_trinh_519": dict(
        kind="văn bản hành chính — Quyết định (QĐ)",
        must={"pagenum.size"},
        must_not={"body.numbering", "recipients.entry", "recipients.archive", "signature.form", "signature.name",
                  "header.motto-rule", "header.date", "title.summary-rule"},
        other={"header.draft": "info"}),
    # Kế hoạch 51: last section's bottom margin 10 mm; "Nơi nhận" with its colon not bold, not italic, 14 pt;
    # "- Lưu: VT, NC.Châu"; appendices restart their page numbers; KT. CHỦ TỊCH / PHÓ CHỦ TỊCH over two rows.
    "KE_HOACH_KIEM_TRA_CCHC": dict(
        kind="văn bản hành chính — Kế hoạch (KH)",
        must={"page.margins", "recipients.title", "recipients.archive"},
        must_not={"signature.form", "signature.name", "pagenum.appendix", "header.date", "body.numbering",
                  "appendix.numbering", "appendix.case"},
        other={"header.draft": "info"}),
    # Công văn of the Ban Chỉ đạo: symbol "/BCĐ" lacks the drafting unit; "V/v" 11 pt; "Nơi nhận:" 11 pt.
    "Cong_van_trien_khai_cac_nhiem_vu_02": dict(
        kind="văn bản hành chính — Công văn",
        must={"header.number", "header.about-style", "recipients.title", "recipients.archive"},
        must_not={"header.date", "header.motto-rule", "header.agency-rule", "signature.form", "signature.name",
                  "to.form"},
        other={"header.draft": "info"}),
    # Kế hoạch CCHC 2026: "PHỤ LỤC" in capitals, its pages continue the plan's numbering; the landscape
    # appendix takes its binding margin at the top (30 mm); items numbered by Word's list numbering.
    "Ke_hoach_CCHC_2026_cua_tinh": dict(
        kind="văn bản hành chính — Kế hoạch (KH)",
        must={"appendix.case", "pagenum.appendix", "recipients.archive"},
        must_not={"page.margins", "body.numbering", "header.date", "header.motto-rule", "header.agency-rule"},
        other={"header.draft": "info"}),
}


def _needs(key):
    marks = [needs_corpus]
    if key.endswith(".doc"):
        marks.append(needs_soffice)
    return marks


@pytest.mark.parametrize("key", [pytest.param(k, marks=_needs(k)) for k in TRUTH])
def test_corpus_file_truth_table(key):
    truth = TRUTH[key]
    report = check_path(corpus_file(key))
    by_rule = {}
    for f in report.findings:
        by_rule.setdefault(f.rule, set()).add(f.severity)
    errors = {r for r, sev in by_rule.items() if "error" in sev}
    assert report.kind.startswith(truth["kind"]), report.kind
    assert truth["must"] <= errors, (truth["must"] - errors, [f.format(key) for f in report.findings])
    assert not truth["must_not"] & set(by_rule), [f.format(key) for f in report.findings if f.rule in truth["must_not"]]
    for rule, severity in truth["other"].items():
        assert by_rule.get(rule) == {severity}, (rule, by_rule.get(rule))
    for f in report.findings:  # every finding says where it is and what the decree allows
        assert f.where and f.message and ("§" in f.message + f.section or f.rule == "ooxml.schema"), f


# ---------------------------------------------------------------- faults typed into copies of real files
HOSTS = ["To_trinh_493", "To_trinh_519", "Ke_hoach_CCHC_2026_cua_tinh", "To_trinh_124"]


def _text(p) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", "".join(t.text or "" for t in p.iter(qn("w:t"))))


def _para(doc, pred):
    return next(p for p in doc.element.body.iter(qn("w:p")) if pred(_text(p)))


def _set_text(p, text: str) -> None:
    ts = list(p.iter(qn("w:t")))
    ts[0].text = text
    for t in ts[1:]:
        t.text = ""


def _runs(p):
    return [r for r in p.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()]


def _rpr(r):
    rpr = r.find(qn("w:rPr"))
    if rpr is None:
        rpr = r.makeelement(qn("w:rPr"), {})
        r.insert(0, rpr)
    return rpr


def fault_margins(doc):
    for s in doc.sections:
        s.left_margin = Mm(20)


def fault_motto_dash(doc):
    for t in doc.element.body.iter(qn("w:t")):
        if t.text and "Độc lập - Tự do" in t.text:
            t.text = t.text.replace("Độc lập - Tự do - Hạnh phúc", "Độc lập – Tự do – Hạnh phúc")
            return
    raise AssertionError("motto not found")


def fault_date_zero(doc):
    _set_text(_para(doc, lambda t: "Lâm Đồng, ngày" in t), "Lâm Đồng, ngày 5 tháng 3 năm 2026")


def fault_body_font(doc):
    body = [p for p in doc.element.body.findall(qn("w:p")) if len(_text(p)) > 100]
    for r in _runs(body[2]):
        rpr = _rpr(r)
        for old in rpr.findall(qn("w:rFonts")):
            rpr.remove(old)
        rpr.insert(0, parse_xml(f'<w:rFonts {nsdecls("w")} w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/>'))


def fault_type_not_bold(doc):
    names = {"BÁO CÁO", "QUYẾT ĐỊNH", "KẾ HOẠCH"}
    p = _para(doc, lambda t: t.strip() in names)
    for r in _runs(p):
        rpr = _rpr(r)
        for tag in ("w:b", "w:bCs"):
            for old in rpr.findall(qn(tag)):
                rpr.remove(old)
        rpr.append(parse_xml(f'<w:b {nsdecls("w")} w:val="0"/>'))


def fault_page_in_footer(doc):
    sec = doc.sections[0]
    sec.footer.is_linked_to_previous = False
    p = sec.footer.paragraphs[0]
    p._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


FAULTS = [
    (fault_margins, "page.margins"),
    (fault_motto_dash, "header.motto-dash"),
    (fault_date_zero, "header.date-zero"),
    (fault_body_font, "font.family"),
    (fault_type_not_bold, "title.type"),
    (fault_page_in_footer, "pagenum.footer"),
]


@needs_corpus
@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("fault,rule", FAULTS, ids=[f"{f.__name__}->{r}" for f, r in FAULTS])
def test_a_fault_typed_into_a_real_file_is_reported(tmp_path, host, fault, rule):
    src = corpus_file(host)
    before = {f.rule for f in check_path(src, schema=False).findings if f.severity == "error"}
    doc = Document(str(src))
    fault(doc)
    out = tmp_path / "sai.docx"
    doc.save(out)
    after = check_path(out, schema=False)
    errors = {f.rule for f in after.findings if f.severity == "error"}
    if rule in before:
        pytest.skip(f"{host} already breaks {rule}")  # the host itself is wrong there: nothing to prove
    assert rule in errors, [f.format(host) for f in after.findings]
    new = errors - before
    assert new == {rule}, f"one fault, one finding: {new}"


@needs_corpus
def test_a_filled_in_date_is_held_to_the_zero_rules_and_a_draft_is_not(tmp_path):
    """A blank day is a draft (info, never a malformed date); once filled in, "ngày 05 tháng 3" passes."""
    src = corpus_file("To_trinh_124")
    draft = check_path(src, schema=False)
    assert [f.severity for f in draft.findings if f.rule == "header.draft"] == ["info"]
    doc = Document(str(src))
    _set_text(_para(doc, lambda t: "Lâm Đồng, ngày" in t), "Lâm Đồng, ngày 05 tháng 3 năm 2026")
    _set_text(_para(doc, lambda t: t.strip().startswith("Số:")), "Số: 124/KH-UBND")
    out = tmp_path / "vao-so.docx"
    doc.save(out)
    rules = {f.rule for f in check_path(out, schema=False).findings}
    assert not {"header.date", "header.date-zero", "header.draft", "header.number", "header.number-zero"} & rules


@needs_corpus
@needs_soffice
def test_cli_reads_a_doc_file_and_says_its_kind(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    result = CliRunner().invoke(main, ["check", "--format", "json", str(corpus_file("Giay_moi_hop_CCHC"))])
    import json

    (entry,) = json.loads(result.output).values()
    assert entry["kind"] == "văn bản hành chính — Giấy mời (GM)"
    assert result.exit_code == 1
    found = {f["rule"]: f for f in entry["findings"]}
    assert found["title.summary"]["severity"] == "error" and found["title.summary"]["section"] == "§3"


# ---------------------------------------------------------------- the reader's model (for check and import)
@needs_corpus
def test_reader_model_of_a_decision():
    """Quyết định 519, as read from its XML: two-row header table, national name and motto in one paragraph."""
    from pipeline.docread import read

    d = read(corpus_file("To_trinh_519"))
    h = d.header
    assert [p.stripped for p in h.agency] == ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"] and h.parent == []
    assert h.motto is h.national and h.motto_text == "Độc lập - Tự do - Hạnh phúc"
    assert h.motto_rule.shape.kind == "drawingml" and h.agency_rule.shape.kind == "drawingml"
    assert (h.number.number, h.number.symbol, h.number.year) == ("", "QĐ-UBND", None)
    assert (h.date.place_name, h.date.day, h.date.month, h.date.year) == ("Lâm Đồng", "", "01", "2026")
    assert d.draft and d.title.type_name == "QUYẾT ĐỊNH"
    assert [p.stripped for p in d.title.summary] == ["Thành lập Ban Chỉ đạo về dữ liệu tỉnh Lâm Đồng"]
    assert d.title.issuer_line.stripped == "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert [i.value for i in d.items if i.level == "article"] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert len(d.bases) == 3 and d.bases[0].stripped.startswith("Căn cứ Luật Tổ chức chính quyền địa phương")
    assert d.signature.form is None and d.signature.authority.lines[0] == "CHỦ TỊCH"
    assert d.signature.signer.stripped == "Hồ Văn Mười"
    assert [t for t, _ in d.recipients.entries] == [
        "- Như Điều 8;", "- Ban Chỉ đạo quốc gia về dữ liệu;", "- Thường trực UBND tỉnh;",
        "- UBND các xã, phường, đặc khu;", "- Ngân hàng Nhà nước khu vực 10;", "- Lưu: VT, NC."]
    s = d.sections[0]
    assert (s.width, s.height, s.title_page) == (11906, 16838, True)
    assert s.header_page_field == {"default": True}


@needs_corpus
def test_reader_model_of_a_plan_with_appendices_and_an_official_letter():
    from pipeline.docread import read

    plan = read(corpus_file("KE_HOACH_KIEM_TRA_CCHC"))
    assert [(a.label.stripped, a.section) for a in plan.appendices] == [("Phụ lục I", 2), ("Phụ lục II", 3)]
    assert plan.appendices[0].reference.stripped.startswith("(Kèm theo Kế hoạch số")
    assert [s.page_start for s in plan.sections] == [None, 1, 1]
    assert plan.signature.form == "KT" and [p.stripped for p in plan.signature.positions] == ["PHÓ CHỦ TỊCH"]
    assert plan.signature.signer.stripped == "Nguyễn Ngọc Phúc"
    assert [i.label for i in plan.items if i.level == "roman"] == ["I", "II", "III", "IV", "V", "VI"]
    letter = read(corpus_file("Cong_van_trien_khai_cac_nhiem_vu_02"))
    assert letter.doc_type == "Công văn" and letter.header.number.symbol == "BCĐ"
    assert letter.addressees == ["Các sở, ban, ngành thuộc tỉnh;", "UBND các xã, phường, đặc khu."]
    assert [p.stripped for p in letter.header.about][0] == "V/v triển khai thực hiện các nhiệm vụ"
    assert [p.stripped for p in letter.header.parent] == ["UBND TỈNH LÂM ĐỒNG"]
