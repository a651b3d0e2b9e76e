"""Incremental builds (issue 17): a build renders only the documents whose inputs changed, and its
outputs are byte for byte those of a clean build of the same inputs into an empty folder.

Which documents an edit must touch is read from the documents themselves: those whose text shows
the edited words, and those whose bytes differ between two clean builds (before and after).
Renders are counted through the build result (``BuildResult.rendered``), nothing is mocked.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from pipeline.build.run import run_build
from tests.conftest import INPUTS, ROOT, open_docx
from tests.docx_read import body_text


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def docs_showing(folder: Path, words: str) -> set[str]:
    """The documents whose body text (paragraphs and table cells) contains ``words`` (any case)."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.docx")
            if words.lower() in body_text(open_docx(p)).lower()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A commune folder with the bundled inputs, built once; its own cache folder."""
    monkeypatch.setenv("VANBAN_CACHE", str(tmp_path / "cache"))
    shutil.copytree(INPUTS, tmp_path / "p" / "inputs")
    first = run_build(tmp_path / "p" / "inputs", tmp_path / "p" / "outputs")
    assert len(first.rendered) == len(first.built) > 20
    return tmp_path / "p"


def clean_build(inputs: Path, out: Path) -> dict[str, str]:
    result = run_build(inputs, out)
    assert len(result.rendered) == len(result.built)  # nothing to keep in an empty folder
    return snapshot(out)


EDITS = {
    # one task's text: its appendix, the plan that carries the appendices, the reports listing it
    "task": ("appendices.yaml", "content: Xây dựng Kế hoạch kiểm tra việc thực hiện các văn bản QPPL",
             "content: Xây dựng Kế hoạch kiểm tra định kỳ việc thực hiện các văn bản QPPL",
             "kiểm tra định kỳ việc thực hiện"),
    # a progress result: only the reports of that quarter's period quote it
    "progress": ("progress/2025-Q3.yaml", "result: Đã đăng 12 tin, bài trên Trang thông tin điện tử xã.",
                 "result: Đã đăng 17 tin, bài trên Trang thông tin điện tử xã.", "Đã đăng 17 tin"),
    # the plan's number: every document cites it (the appendices "kèm theo Kế hoạch số …")
    "plan number": ("plan.yaml", "number: null ", "number: 125 ", "125/KH-UBND"),
}


@pytest.mark.parametrize("what", EDITS)
def test_an_edit_renders_only_the_documents_showing_it_and_equals_a_clean_build(project, tmp_path, what):
    name, old, new, words = EDITS[what]
    before = snapshot(project / "outputs")
    edit(project / "inputs" / name, old, new)

    result = run_build(project / "inputs", project / "outputs")

    shutil.copytree(project / "inputs", tmp_path / "c" / "inputs")
    clean = clean_build(tmp_path / "c" / "inputs", tmp_path / "c" / "outputs")
    assert snapshot(project / "outputs") == clean  # every output and the manifest, byte for byte
    differ = {p for p in clean if p.endswith(".docx") and clean[p] != before.get(p)}
    showing = docs_showing(tmp_path / "c" / "outputs", words)
    documents = [p for p in clean if p.endswith(".docx")]
    assert showing and (len(showing) < len(documents) or what == "plan number")
    assert differ == showing  # read from the documents: the edit shows in these and only these
    assert set(result.rendered) == showing
    assert sorted(result.changed) == sorted(showing)


def test_an_edit_elsewhere_renders_nothing_again(project):
    """A comment in a YAML file changes no document: the full pipeline runs, nothing is rendered."""
    before = snapshot(project / "outputs")
    path = project / "inputs" / "appendices.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# ghi chú của văn phòng\n", encoding="utf-8")
    result = run_build(project / "inputs", project / "outputs")
    assert not result.unchanged_sources  # the sources changed: loaded, validated, linted, planned
    assert result.rendered == []
    after = snapshot(project / "outputs")
    assert {p: h for p, h in after.items() if p.endswith(".docx")} == \
        {p: h for p, h in before.items() if p.endswith(".docx")}  # (the manifest lists the new file hash)


def test_a_bad_input_still_stops_an_incremental_build(project):
    from pipeline.errors import InputErrors

    before = snapshot(project / "outputs")
    edit(project / "inputs" / "progress" / "2025-Q3.yaml", "status: done_late", "status: xong_muon")
    with pytest.raises(InputErrors):
        run_build(project / "inputs", project / "outputs")
    assert snapshot(project / "outputs") == before


def _replace_in_template(path: Path, old: str, new: str) -> None:
    """Rewrite one text of a Word template, as an office editing it in Word would."""
    members = {}
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        for info in infos:
            members[info.filename] = zf.read(info.filename)
    xml = members["word/document.xml"].decode("utf-8")
    assert xml.count(old) == 1
    members["word/document.xml"] = xml.replace(old, new).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in infos:
            zf.writestr(info, members[info.filename])
    path.write_bytes(buf.getvalue())


def test_a_changed_template_renders_again_the_documents_made_from_it(project, tmp_path):
    """The commune's own templates (beside its inputs): the body template's recipients heading is
    reworded; the documents that show it are rendered again, the appendices are kept."""
    shutil.copytree(ROOT / "templates", project / "templates")
    own = run_build(project / "inputs", project / "outputs")
    assert own.rendered == []  # the same template bytes: the keys did not change
    _replace_in_template(project / "templates" / "kh_ubnd.docx", ">Nơi nhận:<", ">Nơi gửi văn bản:<")

    result = run_build(project / "inputs", project / "outputs")

    shutil.copytree(project / "inputs", tmp_path / "c" / "inputs")
    shutil.copytree(project / "templates", tmp_path / "c" / "templates")
    clean = clean_build(tmp_path / "c" / "inputs", tmp_path / "c" / "outputs")
    assert snapshot(project / "outputs") == clean
    showing = docs_showing(project / "outputs", "Nơi gửi văn bản:")
    appendices = [p for p in clean if p.startswith("phu-luc/")]
    assert len(appendices) == 6 and not any(p.startswith("phu-luc/") for p in showing)
    assert len(showing) == len([p for p in clean if p.endswith(".docx")]) - 6
    assert set(result.rendered) == showing


def test_a_hand_edited_output_is_not_kept(project):
    """An output edited by hand is rendered again (its hand edit kept on disk, the build naming it), never
    taken as the build's own; with --force it is written."""
    target = project / "outputs" / "phu-luc" / "phu-luc-I-the-che.docx"
    edited = target.read_bytes() + b"\0"
    target.write_bytes(edited)
    edit(project / "inputs" / "progress" / "2025-Q3.yaml", "Đã đăng 12 tin", "Đã đăng 17 tin")
    held = run_build(project / "inputs", project / "outputs")
    assert held.kept == ["phu-luc/phu-luc-I-the-che.docx"] and "phu-luc/phu-luc-I-the-che.docx" in held.rendered
    assert target.read_bytes() == edited
    result = run_build(project / "inputs", project / "outputs", force=True)
    assert "phu-luc/phu-luc-I-the-che.docx" in result.rendered and not result.kept


def test_a_key_keeps_what_a_template_can_tell_apart():
    """Values a template prints differently never share a key: markup and text, a tuple and a list,
    1 and True and 1.0, the order of a mapping."""
    from markupsafe import Markup

    from pipeline.render.keys import canonical

    pairs = [(Markup("a &amp; b"), "a &amp; b"), ((1, 2), [1, 2]), (1, True), (1, 1.0),
             ({"a": 1, "b": 2}, {"b": 2, "a": 1}), ({"1": "x"}, {1: "x"})]
    for left, right in pairs:
        assert canonical(left) != canonical(right), (left, right)
    assert canonical({"a": [Markup("<b/>"), None]}) == canonical({"a": [Markup("<b/>"), None]})


def test_the_code_digest_names_each_output_librarys_installed_version():
    from importlib import metadata

    from pipeline.render.keys import OUTPUT_LIBRARIES, installed

    for name in OUTPUT_LIBRARIES:
        assert f"-{metadata.version(name)}.dist-info" in installed(name), name


def test_a_library_upgraded_or_reinstalled_reads_differently(tmp_path, monkeypatch):
    import os
    import sys

    from pipeline.render.keys import installed

    (tmp_path / "fakelib").mkdir()
    init = tmp_path / "fakelib" / "__init__.py"
    init.write_text("VERSION = 1\n")
    (tmp_path / "fakelib-1.0.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("fakelib", None)
    first = installed("fakelib")
    assert "fakelib-1.0.dist-info" in first and "fakelib" not in sys.modules  # found, not imported
    (tmp_path / "fakelib-1.0.dist-info").rename(tmp_path / "fakelib-2.0.dist-info")
    upgraded = installed("fakelib")
    assert "fakelib-2.0.dist-info" in upgraded and upgraded != first
    stat = init.stat()
    os.utime(init, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # the same version written again
    assert installed("fakelib") != upgraded
    assert installed("no_such_library_here") == "?"
