"""The build manifest: reproducible, and hand edits are never overwritten silently."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from docx import Document

from pipeline import errors as E
from pipeline.output import manifest as mf
from pipeline.cli import main
from tests.conftest import DATA

PLAN = "ke-hoach-thu.docx"
APPENDIX = "phu-luc/phu-luc-tthc.docx"


@pytest.fixture
def project(tmp_path):
    shutil.copytree(DATA / "mini", tmp_path / "inputs")
    return tmp_path


def build(project, *extra):
    return CliRunner().invoke(main, ["build", "--inputs", str(project / "inputs"),
                                     "--out", str(project / "outputs"), *extra])


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def hand_edit(path, old, new):
    doc = Document(str(path))
    for p in doc.paragraphs:
        if old in p.text:
            p.runs[0].text = p.text.replace(old, new)
            for r in p.runs[1:]:
                r.text = ""
    doc.save(str(path))


def test_manifest_records_sources_and_outputs_reproducibly(project):
    assert build(project).exit_code == 0
    out = project / "outputs"
    raw = (out / mf.MANIFEST_NAME).read_bytes()
    data = json.loads(raw)
    assert set(data["outputs"]) == {p.relative_to(out).as_posix() for p in out.rglob("*.docx")} >= {PLAN, APPENDIX}
    assert data["outputs"][PLAN]["output"] == mf.sha256((out / PLAN).read_bytes())
    expected = {f"inputs/{p.relative_to(project / 'inputs').as_posix()}" for p in (project / "inputs").rglob("*.yaml")}
    assert set(data["sources"]) == expected | {"templates/kh_ubnd.docx", "templates/phu_luc/phu_luc.docx"}
    assert "inputs/plan.yaml" in expected
    assert raw == (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()
    # a second build writes nothing and --check passes right after a normal build
    before = snapshot(out)
    again = build(project)
    assert again.exit_code == 0 and "Không có gì thay đổi" in again.output
    assert snapshot(out) == before
    assert build(project, "--check").exit_code == 0
    # the manifest belongs to the outputs: --check notices when it is stale
    (out / mf.MANIFEST_NAME).unlink()
    check = build(project, "--check")
    assert check.exit_code == E.EXIT_FINDINGS and mf.MANIFEST_NAME in check.stderr


def test_an_input_change_rewrites_only_the_documents_it_changes(project):
    assert build(project).exit_code == 0
    out = project / "outputs"
    before = snapshot(out)
    plan = project / "inputs" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("Rà soát thủ tục.", "Rà soát toàn bộ thủ tục."),
                    encoding="utf-8")
    result = build(project)
    assert result.exit_code == 0 and "(1 thay đổi)" in result.output
    after = snapshot(out)
    assert {k for k in after if after[k] != before.get(k)} == {PLAN, mf.MANIFEST_NAME}
    sources = json.loads(after[mf.MANIFEST_NAME])["outputs"]
    assert sources[APPENDIX]["output"] == json.loads(before[mf.MANIFEST_NAME])["outputs"][APPENDIX]["output"]


def test_a_hand_edit_is_refused_then_backed_up_with_force(project):
    assert build(project).exit_code == 0
    out = project / "outputs"
    hand_edit(out / PLAN, "Điểm thứ hai.", "Điểm thứ hai, do văn phòng sửa tay.")
    plan = project / "inputs" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("Điểm thứ nhất.", "Điểm số một."), encoding="utf-8")
    edited = snapshot(out)

    refused = build(project)
    assert refused.exit_code == E.EXIT_REFUSED  # the set is not what the inputs say: a hook or script sees it
    assert snapshot(out)[PLAN] == edited[PLAN]  # the hand edit is kept as it is …
    recorded = json.loads((out / mf.MANIFEST_NAME).read_bytes())  # … and the rest written: the new sources
    assert recorded["sources"]["inputs/plan.yaml"] == mf.text_sha256(plan.read_bytes())
    assert recorded["outputs"][PLAN]["held"] == "edited" and recorded["outputs"][PLAN]["output"] != mf.sha256(edited[PLAN])
    assert str(out / PLAN) in refused.stderr and "các văn bản khác đã được ghi" in refused.stderr
    assert "sửa tay" in refused.stderr and "YAML" in refused.stderr and "--force" in refused.stderr
    again = build(project)  # named again at the next build, never forgotten
    assert again.exit_code == E.EXIT_REFUSED and str(out / PLAN) in again.stderr
    assert snapshot(out)[PLAN] == edited[PLAN]
    # --check still just compares bytes
    assert build(project, "--check").exit_code == E.EXIT_FINDINGS

    forced = build(project, "--force")
    assert forced.exit_code == 0
    backups = list((out / mf.BACKUP_DIR).rglob("*.docx"))
    assert [b.name for b in backups] == [f"ke-hoach-thu.{mf.sha256(edited[PLAN])[:8]}.docx"]
    assert backups[0].read_bytes() == edited[PLAN]
    assert "do văn phòng sửa tay" in "\n".join(p.text for p in Document(str(backups[0])).paragraphs)
    assert str(backups[0]) in forced.output
    text = "\n".join(p.text for p in Document(str(out / PLAN)).paragraphs)
    assert "Điểm số một." in text and "sửa tay" not in text
    assert build(project, "--check").exit_code == 0


def test_a_hand_edit_is_refused_even_when_inputs_did_not_change(project):
    assert build(project).exit_code == 0
    out = project / "outputs"
    hand_edit(out / PLAN, "Điểm thứ hai.", "Điểm thứ hai (sửa tay).")
    assert build(project).exit_code == E.EXIT_REFUSED


def test_unknown_outputs_are_protected_and_deleted_ones_rebuilt(project):
    assert build(project).exit_code == 0
    out = project / "outputs"
    (out / mf.MANIFEST_NAME).unlink()
    # same bytes as the build: adopted without complaint
    assert build(project).exit_code == 0 and (out / mf.MANIFEST_NAME).exists()
    # a file vanban has no record of, and that differs from the build: refused
    (out / mf.MANIFEST_NAME).unlink()
    (out / APPENDIX).write_bytes(b"not ours")
    assert build(project).exit_code == E.EXIT_REFUSED
    assert (out / APPENDIX).read_bytes() == b"not ours"
    # a deleted output is simply written again
    (out / APPENDIX).unlink()
    assert build(project).exit_code == 0 and (out / APPENDIX).exists()
