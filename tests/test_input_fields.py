"""Input fields that change what the documents say, read back from the built .docx (issue 26).

``unit_word`` names the commune's level (xã, phường, đặc khu): the agency's names are made from it.
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
