"""Input fields that change what the documents say, read back from the built .docx (issue 26).

``unit_word`` names the commune's level (xã, phường, đặc khu): the agency's names are made from it.
``done_on``, the day a task was completed, follows its status in the reports.
"""

from __future__ import annotations

import pytest

from pipeline.inputs import model as m
from pipeline.inputs.validate import load_inputs
from tests.conftest import open_docx
from tests.docx_read import body_text


def build(inputs_dir) -> dict:
    """{output path: python-docx Document} of every document built from ``inputs_dir``."""
    from pipeline.build.run import build_documents

    return {b.path: open_docx(b.data) for b in build_documents(load_inputs(inputs_dir))}


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def header_lines(doc) -> list[str]:
    return [p.text for p in doc.tables[0].rows[0].cells[0].paragraphs if p.text.strip()]


# ------------------------------------------------------------------ unit_word


def test_a_ward_is_named_a_ward_in_every_document(inputs_copy):
    edit(inputs_copy / "commune.yaml", "unit_word: xã ", "unit_word: phường ")
    docs = build(inputs_copy)
    subplan, appendix = docs["ke-hoach-con/kh-chuyen-doi-so.docx"], docs["phu-luc/phu-luc-I-the-che.docx"]
    report = docs["bao-cao/2025-09-bc-cchc-2025-q3.docx"]
    for doc in (subplan, report, docs["ke-hoach-cchc.docx"]):
        assert header_lines(doc) == ["ỦY BAN NHÂN DÂN", "PHƯỜNG XUÂN BÌNH"]
    text = body_text(subplan)
    assert "của Ủy ban nhân dân phường Xuân Bình về" in text  # the plan it carries out, cited
    assert "UBND phường Xuân Bình ban hành Kế hoạch" in text  # the opening sentence
    assert "UBND phường Xuân Bình báo cáo" in body_text(report)
    assert "của Ủy ban nhân dân phường Xuân Bình, trân trọng báo cáo./." in body_text(report)  # the closing
    assert "Ủy ban nhân dân phường Xuân Bình)" in body_text(appendix)  # "(Kèm theo Kế hoạch … )"
    for doc in (subplan, appendix, report):  # what still says "xã" ("trên địa bàn xã …") is the clerk's own text
        text = body_text(doc)
        assert [name for name in ("Ủy ban nhân dân xã Xuân Bình", "UBND xã Xuân Bình", "XÃ XUÂN BÌNH")
                if name in text] == []


def test_the_agency_names_come_from_the_unit_word_unless_written():
    base = {"province": "Khánh Hòa", "name": "Côn Đảo", "place": "Côn Đảo",
            "leaders": [{"id": "chu_tich", "position": "Chủ tịch"}], "units": [{"id": "vp", "name": "Văn phòng"}]}
    agency = {"symbol": "UBND", "collective": "ỦY BAN NHÂN DÂN", "head_position": "Chủ tịch"}
    made = m.Commune.model_validate(dict(base, unit_word="Đặc khu", agency=agency)).agency
    assert made.name_lines == ["ỦY BAN NHÂN DÂN", "ĐẶC KHU CÔN ĐẢO"]
    assert (made.full_name, made.short_name) == ("Ủy ban nhân dân đặc khu Côn Đảo", "UBND đặc khu")
    assert m.Commune.model_validate(dict(base, agency=agency)).agency.short_name == "UBND xã"  # the default word
    written = dict(agency, name_lines=["ỦY BAN NHÂN DÂN", "ĐẶC KHU", "CÔN ĐẢO"], short_name="UBND Đặc khu")
    kept = m.Commune.model_validate(dict(base, unit_word="đặc khu", agency=written)).agency
    assert kept.name_lines == ["ỦY BAN NHÂN DÂN", "ĐẶC KHU", "CÔN ĐẢO"] and kept.short_name == "UBND Đặc khu"
    assert kept.full_name == "Ủy ban nhân dân đặc khu Côn Đảo"


@pytest.mark.parametrize("field", ["name_lines", "full_name", "short_name"])
def test_the_schema_offers_the_agency_names_as_optional(field):
    schema = m.Commune.model_json_schema(mode="validation")
    agency = schema["$defs"]["Agency"]
    assert field not in agency["required"] and "Không ghi thì" in agency["properties"][field]["description"]
    assert "phường" in schema["properties"]["unit_word"]["description"]


# ------------------------------------------------------------------ done_on

# the report's first use of QPPL is spelled out (commune.yaml, abbreviations); its annex, after, keeps it short
RA_SOAT = ("Xây dựng và tổ chức thực hiện Kế hoạch rà soát văn bản quy phạm pháp luật (QPPL); kiến nghị sửa đổi, "
           "bãi bỏ các văn bản trái pháp luật")
RA_SOAT_ANNEX = "Xây dựng và tổ chức thực hiện Kế hoạch rà soát văn bản QPPL; kiến nghị sửa đổi, bãi bỏ các văn bản trái pháp luật"


def test_the_day_a_task_was_done_follows_its_status_in_the_report(inputs_copy):
    edit(inputs_copy / "progress" / "2025-Q3.yaml", "  the_che_ra_soat_qppl:\n",
         "  the_che_ra_soat_qppl:\n    done_on: 2025-07-22\n")
    report = build(inputs_copy)["bao-cao/2025-09-bc-cchc-2025-q3.docx"]
    # the body writes the area's results as prose (issue 29); the status and its day are in the annex
    assert "- Kế hoạch rà soát ban hành ngày 22/7/2025." in body_text(report).split("\n")
    annex = next(t for t in report.tables if t.rows[0].cells[0].text == "TT")
    row = next(r for r in annex.rows if r.cells[1].text == RA_SOAT_ANNEX)
    assert row.cells[4].text == "Hoàn thành trễ hạn (ngày 22/7/2025)"
    others = [r.cells[4].text for r in annex.rows[1:] if r.cells[1].text != RA_SOAT_ANNEX]
    assert others and not any("(ngày" in text for text in others), "only a task with its day shows one"


def test_a_completion_day_needs_a_finished_task():
    with pytest.raises(ValueError, match="status đang là 'in_progress'"):
        m.TaskProgress.model_validate({"status": "in_progress", "done_on": "2025-07-22"})
    assert m.TaskProgress.model_validate({"status": "done_late", "done_on": "2025-07-22"}).done_on.day == 22


# ------------------------------------------------------------------ keys no longer read


def test_an_old_commune_file_still_loads_builds_the_same_and_is_told_what_to_delete(inputs_copy, built):
    from pipeline.inputs.obsolete import obsolete_fields

    edit(inputs_copy / "commune.yaml", "    position: Phó Chủ tịch\n",
         "    position: Phó Chủ tịch\n    also: kiêm Giám đốc Trung tâm Phục vụ Hành chính công\n")
    lines = (inputs_copy / "commune.yaml").read_text(encoding="utf-8").split("\n")
    inputs = load_inputs(inputs_copy)
    found = obsolete_fields(inputs)
    assert [(i.file, i.line, i.column, i.path, i.severity, i.rule) for i in found] == [
        ("inputs/commune.yaml", lines.index("    also: kiêm Giám đốc Trung tâm Phục vụ Hành chính công") + 1, 5,
         "leaders[1].also", "warning", "obsolete-field")]
    assert found[0].message.startswith("trường 'also' không còn dùng, có thể xóa: ")
    assert found[0].format().startswith(f"inputs/commune.yaml:{found[0].line}:5: cảnh báo obsolete-field "
                                        "[leaders[1].also]: trường 'also' không còn dùng, có thể xóa")
    from pipeline.build.run import build_documents

    assert {b.path: b.data for b in build_documents(inputs)} == {path: b.data for path, b in built.items()}


def test_the_bundled_inputs_have_no_obsolete_key(inputs):
    from pipeline.inputs.obsolete import obsolete_fields

    assert obsolete_fields(inputs) == []


def test_every_obsolete_key_is_out_of_the_schema_and_found_in_its_file():
    """A model with obsolete keys is reached from an input file's model the way ``obsolete`` walks
    (through lists, mappings and optionals; not inside a union of several kinds, such as a body item)."""
    from pipeline.inputs.obsolete import models_in
    from pipeline.inputs.schema import SCHEMAS, schema_bytes
    from pipeline.inputs.validate import MODELS

    reached, todo = set(), list(MODELS.values())
    while todo:
        model = todo.pop()
        if model not in reached:
            reached.add(model)
            todo += [inner for f in model.model_fields.values() for inner in models_in(f.annotation)]
    retired = [cls for cls in vars(m).values() if isinstance(cls, type) and getattr(cls, "OBSOLETE", None)]
    # 'abbreviations' of Commune is read again; a criteria set's 'source' gave way to its 'decision'
    assert {cls.__name__ for cls in retired} == {"Leader", "CriteriaSet"}
    for cls in retired:
        assert cls in reached and not set(cls.OBSOLETE) & set(cls.model_fields)
    text = b"".join(schema_bytes(name) for name in SCHEMAS)
    assert b'"also"' not in text
