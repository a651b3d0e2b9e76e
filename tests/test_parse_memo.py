"""Parses remembered by text (``inputs.load.remember_parses``), as the workspace checks every file at each keystroke."""

from __future__ import annotations

import pytest

from pipeline.inputs import load


@pytest.fixture
def remembering(monkeypatch):
    monkeypatch.setattr(load, "_REMEMBERED", None)
    load.remember_parses()
    yield
    monkeypatch.setattr(load, "_REMEMBERED", None)


def test_the_same_text_is_parsed_once_and_each_reader_gets_its_own_copy(tmp_path, remembering, monkeypatch):
    f = tmp_path / "plan.yaml"
    f.write_text("id: plan\nbases:\n  - Căn cứ Luật Tổ chức chính quyền địa phương\n", encoding="utf-8")
    parses = []
    real = load._parse
    monkeypatch.setattr(load, "_parse", lambda *a: parses.append(1) or real(*a))
    first = load.load_yaml(f)
    first.data["bases"].append("changed by its reader")
    second = load.load_yaml(f)
    assert parses == [1]  # read again with the same text: not parsed again
    assert second.data == {"id": "plan", "bases": ["Căn cứ Luật Tổ chức chính quyền địa phương"]}
    assert second.source.locate(("bases", 0)) == (3, 5)


def test_a_changed_file_is_parsed_again(tmp_path, remembering):
    f = tmp_path / "plan.yaml"
    f.write_text("id: plan\n", encoding="utf-8")
    assert load.load_yaml(f).data == {"id": "plan"}
    f.write_text("id: ke_hoach\n", encoding="utf-8")
    assert load.load_yaml(f).data == {"id": "ke_hoach"}

