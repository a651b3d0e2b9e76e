"""The workspace's parts without a browser: YAML edits that keep the file as typed, the checks an edit
goes through, the safety rules, the vendored htmx, and the Windows shortcut `vanban init` writes."""

from __future__ import annotations

import base64
import difflib
import hashlib
import os
import subprocess
import sys

import pytest
import yaml

from pipeline.workspace import editing
from pipeline.workspace.app import DATA, HTMX_SHA256, HTMX_VERSION
from pipeline.workspace.safety import Guard, Refused, inside, write_atomic
from tests.conftest import INPUTS, ROOT

APPENDICES = (INPUTS / "appendices.yaml").read_text(encoding="utf-8")
TASKS = ("appendices", 0, "tasks")


def _changes(old: str, new: str) -> list[str]:
    return [l for l in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            if l[:1] in "+-" and not l.startswith(("+++", "---"))]


def test_one_field_changes_one_line_and_keeps_its_comment():
    new, changed = editing.apply_values(APPENDICES, {"appendices[0].tasks[0].deadline[1].what": "Báo cáo năm"})
    assert changed == ["appendices[0].tasks[0].deadline[1].what"]
    assert _changes(APPENDICES, new) == [
        '-          - {what: Báo cáo, by_month: "2025-11"}   # bản gốc: "báo cáo chậm nhất tháng 11/2025"',
        '+          - {what: Báo cáo năm, by_month: "2025-11"}   # bản gốc: "báo cáo chậm nhất tháng 11/2025"']


def test_a_quoted_value_stays_quoted_and_an_unchanged_form_changes_nothing():
    plan = (INPUTS / "plan.yaml").read_text(encoding="utf-8")
    new, _ = editing.apply_values(plan, {"date": "2025-08"})
    assert _changes(plan, new) == ['-date: "2025-07"   # dự thảo: chỉ ghi năm-tháng; khi ký ghi đủ ngày, ví dụ 2025-07-15',
                                   '+date: "2025-08"   # dự thảo: chỉ ghi năm-tháng; khi ký ghi đủ ngày, ví dụ 2025-07-15']
    same, changed = editing.apply_values(plan, {"date": "2025-07", "summary": yaml.safe_load(plan)["summary"]})
    assert same == plan and changed == []


def test_rows_added_moved_and_removed_as_whole_lines():
    tasks = yaml.safe_load(APPENDICES)["appendices"][0]["tasks"]
    added = editing.add_row(APPENDICES, TASKS, set())
    new_id = f"nhiem_vu_moi_{len(tasks) + 1}"
    assert _changes(APPENDICES, added) == [  # a task the schema reads: what to fill marked, the rest as above
        f"+      - id: {new_id}", "+        content: CẦN ĐIỀN", "+        products: [CẦN ĐIỀN]",
        "+        partners: cac_phong_cm",
        "+        deadline: [{what: Kế hoạch, before: 2025-07-15}, {what: Báo cáo, before: 2025-11-01}]"]
    assert editing.check(INPUTS, "appendices.yaml", added).readable
    moved = editing.move_row(APPENDICES, TASKS, 1, -1)
    assert sorted(moved.splitlines()) == sorted(APPENDICES.splitlines())  # every line kept, comments too
    ids = [t["id"] for t in yaml.safe_load(moved)["appendices"][0]["tasks"]]
    assert ids[:2] == [tasks[1]["id"], tasks[0]["id"]] and ids[2:] == [t["id"] for t in tasks[2:]]
    removed = editing.delete_row(APPENDICES, TASKS, 1)
    assert all(l.startswith("-") for l in _changes(APPENDICES, removed))
    assert [t["id"] for t in yaml.safe_load(removed)["appendices"][0]["tasks"]] == \
        [t["id"] for i, t in enumerate(tasks) if i != 1]
    with pytest.raises(ValueError):  # a list in flow style is not a table of rows
        editing.add_row(APPENDICES, ("appendices", 0, "tasks", 1, "products"), set())


def test_checks_are_the_cli_validation_and_lint(tmp_path):
    slip, _ = editing.apply_values(APPENDICES, {"appendices[0].tasks[1].content": "Triẻn khai Luật"})
    checked = editing.check(INPUTS, "appendices.yaml", slip)
    found = editing.issues_of(checked, "inputs", "appendices.yaml")["appendices[0].tasks[1].content"]
    assert checked.readable and [(i.rule, i.message, i.fix) for i in found] == [
        ("spelling", "'Triẻn khai' sai dấu", "viết 'Triển khai'")]
    unknown, _ = editing.apply_values(APPENDICES, {"appendices[0].lead": "khong_co"})
    bad = editing.check(INPUTS, "appendices.yaml", unknown)
    assert not bad.readable  # an unknown unit: not written by a save
    assert "appendices[0].lead" in editing.issues_of(bad, "inputs", "appendices.yaml")


def test_safety_paths_and_atomic_writes(tmp_path):
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "a.yaml").write_text("a: 1\n")
    os.symlink("/etc/passwd", tmp_path / "inputs" / "out.yaml")
    assert inside(tmp_path, "inputs/a.yaml") == (tmp_path / "inputs" / "a.yaml").resolve()
    for bad in ("../x", "/etc/passwd", "inputs/../../x", "inputs/out.yaml", "C:/x", "a\\..\\b", ""):
        with pytest.raises(Refused):
            inside(tmp_path, bad)
    write_atomic(tmp_path / "inputs" / "a.yaml", b"a: 2\n")
    assert (tmp_path / "inputs" / "a.yaml").read_bytes() == b"a: 2\n"
    assert sorted(p.name for p in (tmp_path / "inputs").iterdir()) == ["a.yaml", "out.yaml"]


def _scope(method="GET", **headers):
    return {"type": "http", "method": method, "query_string": b"",
            "headers": [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]}


def test_guard_refuses_other_hosts_other_origins_and_writes_without_the_token():
    g = Guard(None, {"127.0.0.1:8630", "localhost:8630"}, "T0KEN")
    assert g.problem(_scope(host="127.0.0.1:8630")) is None
    assert "Host" in g.problem(_scope(host="attacker.example:8630"))
    assert "mã phiên" in g.problem(_scope("POST", host="127.0.0.1:8630"))
    assert g.problem(_scope("POST", host="127.0.0.1:8630", x_vanban_token="T0KEN")) is None
    assert "Origin" in g.problem(_scope("POST", host="127.0.0.1:8630", origin="http://attacker.example",
                                        x_vanban_token="T0KEN"))
    assert g.problem(_scope("POST", host="127.0.0.1:8630"), form_token="T0KEN") is None
    lan = Guard(None, set(), "T0KEN", password="mật khẩu")
    assert lan.problem(_scope(host="192.168.1.20:8630")) == "cần mật khẩu"
    auth = "Basic " + base64.b64encode("x:mật khẩu".encode()).decode()
    assert lan.problem(_scope(host="192.168.1.20:8630", authorization=auth)) is None


def test_htmx_is_vendored_as_recorded():
    data = (DATA / "htmx.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == HTMX_SHA256
    assert f'version:"{HTMX_VERSION}"'.encode() in data


def test_init_writes_the_windows_shortcut(tmp_path):
    target = tmp_path / "xa"
    subprocess.run([sys.executable, "-m", "pipeline", "init", str(target), "--commune", "Hòa Sơn", "--province",
                    "Nghệ An"], env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True, capture_output=True)
    cmd = (target / "Mo-ban-lam-viec.cmd").read_bytes()
    assert b"vanban serve ." in cmd and b"\r\n" in cmd and b"\n" not in cmd.replace(b"\r\n", b"")
    assert cmd.isascii()  # cmd.exe reads the file in the console's code page
    assert "Mo-ban-lam-viec.cmd" in (target / "README.md").read_text(encoding="utf-8")


def test_without_libreoffice_the_preview_is_the_text_and_says_what_is_missing(tmp_path, monkeypatch):
    import shutil

    import pipeline.paths
    from pipeline.workspace.preview import Previewer
    from tests.conftest import OUTPUTS

    shutil.copytree(OUTPUTS, tmp_path / "outputs")
    monkeypatch.setattr(pipeline.paths, "find_soffice", lambda given=None: None)
    pages = Previewer(INPUTS, tmp_path / "outputs", tmp_path / "pages").pages("ke-hoach-cchc.docx")
    assert pages.images == [] and "chưa có LibreOffice (hoặc Word)" in pages.missing
    assert any("Cải cách hành chính trên địa bàn xã Xuân Bình" in line for line in pages.text)


def test_a_new_row_is_shaped_like_its_table():
    commune = (INPUTS / "commune.yaml").read_text(encoding="utf-8")
    units = yaml.safe_load(commune)["units"]
    added = editing.add_row(commune, ("units",), set())
    assert yaml.safe_load(added)["units"][-1] == {"id": f"don_vi_moi_{len(units) + 1}", "name": "CẦN ĐIỀN",
                                                   "archive_code": "CẦN ĐIỀN"}  # the keys every unit has
    assert editing.check(INPUTS, "commune.yaml", added).readable
    assert all(l.startswith("+") for l in _changes(commune, added))
