"""Documents in git: git-setup, readable git diffs, `vanban diff`, and Word redlines.

Runs real git in temporary repositories and real LibreOffice on the redlines.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from pipeline import errors as E
from pipeline.cli import main
from pipeline.output import manifest as mf
from pipeline.vcs.redline import redline
from pipeline.vcs.textconv import docx_lines
from tests.conftest import DATA, soffice_or_skip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PLAN = "ke-hoach-thu.docx"
APPENDIX = "phu-luc/phu-luc-tthc.docx"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_mini(inputs: Path) -> dict[str, bytes]:
    from pipeline.build.run import build_documents
    from pipeline.inputs.validate import load_inputs

    return {b.path: b.data for b in build_documents(load_inputs(inputs))}


def run(args, cwd):
    """`vanban ARGS` in ``cwd`` (in-process), returning click's Result."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args)
    finally:
        os.chdir(old)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True).stdout.decode("utf-8")


# ------------------------------------------------------------------ the redline itself


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """The mini documents, and the same after three edits: a sentence, a new point, a table cell."""
    root = tmp_path_factory.mktemp("versions")
    shutil.copytree(DATA / "mini", root / "inputs")
    old = build_mini(root / "inputs")
    edit(root / "inputs" / "plan.yaml", "Rà soát thủ tục.", "Rà soát toàn bộ thủ tục.")
    edit(root / "inputs" / "plan.yaml", "- point: Điểm thứ nhất.", "- point: Điểm mới chen vào.\n          - point: Điểm thứ nhất.")
    edit(root / "inputs" / "appendices.yaml", "content: Công khai thủ tục", "content: Công khai kết quả giải quyết thủ tục")
    new = build_mini(root / "inputs")
    return old, new


@pytest.fixture(scope="module")
def plan_redline(versions, tmp_path_factory):
    old, new = versions
    data, counts = redline(old[PLAN], new[PLAN])
    path = tmp_path_factory.mktemp("redline") / "ke-hoach-thu.redline.docx"
    path.write_bytes(data)
    return path, counts


def view(data: bytes, accept: bool) -> list[str]:
    """The text Word shows after 'accept all' (or 'reject all') revisions."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(zin.read("word/document.xml"))
    gone, kept = ("del", "ins") if accept else ("ins", "del")
    for p in list(root.iter(W + "p")):  # paragraphs whose mark vanishes in this view are wholly revised
        if p.find(f"{W}pPr/{W}rPr/{W}{gone}") is not None:
            p.getparent().remove(p)
    for tr in list(root.iter(W + "tr")):
        if tr.find(f"{W}trPr/{W}{gone}") is not None:
            tr.getparent().remove(tr)
    for el in list(root.iter(W + gone)):
        el.getparent().remove(el)
    for el in list(root.iter(W + kept)):
        parent = el.getparent()
        if parent.tag in (W + "rPr", W + "trPr"):
            parent.remove(el)
            continue
        for child in list(el):
            el.addprevious(child)
        parent.remove(el)
    for t in root.iter(W + "delText"):
        t.tag = W + "t"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            zout.writestr(name, etree.tostring(root) if name == "word/document.xml" else zin.read(name))
    return docx_lines(out.getvalue())


def test_redline_marks_revisions_reproducibly(versions, plan_redline):
    old, new = versions
    path, counts = plan_redline
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert counts["ins"] > 0 and counts["del"] > 0
    marks = re.findall(r"<w:(ins|del) ([^>]*)/?>", xml)
    assert len(marks) == counts["ins"] + counts["del"]
    for _, attrs in marks:
        assert 'w:author="vanban"' in attrs and 'w:date="2026-01-05T07:00:00Z"' in attrs
    ids = [int(i) for i in re.findall(r'<w:(?:ins|del) w:id="(\d+)"', xml)]
    assert sorted(ids) == list(range(1, len(ids) + 1))
    assert "<w:delText xml:space=\"preserve\">thủ tục.</w:delText>" not in xml  # word level, not the whole line
    assert re.search(r"<w:ins [^>]*><w:r>(<w:rPr>.*?</w:rPr>)?<w:t xml:space=\"preserve\">toàn bộ </w:t>", xml)
    assert redline(old[PLAN], new[PLAN])[0] == path.read_bytes()


def test_accepting_gives_the_new_text_and_rejecting_the_old(versions, plan_redline):
    old, new = versions
    data = plan_redline[0].read_bytes()
    assert view(data, accept=True) == docx_lines(new[PLAN])
    assert view(data, accept=False) == docx_lines(old[PLAN])


# ------------------------------------------------------------------ git, end to end


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A commune repository: set up, built and committed; then one sentence edited, rebuilt and
    committed. Returns the repository and what git said before the second commit."""
    repo = tmp_path_factory.mktemp("repo")
    git(repo, "init", "-q")
    git(repo, "config", "user.name", "Văn thư")
    git(repo, "config", "user.email", "vanthu@example.invalid")
    shutil.copytree(DATA / "mini", repo / "inputs")
    first = run(["git-setup"], repo)
    assert first.exit_code == 0, first.output
    assert run(["build"], repo).exit_code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Kế hoạch CCHC 2026")
    edit(repo / "inputs" / "plan.yaml", "Rà soát thủ tục.", "Rà soát toàn bộ thủ tục.")
    rebuilt = run(["build"], repo)
    assert rebuilt.exit_code == 0, rebuilt.output
    seen = {
        "status": sorted(line[3:] for line in git(repo, "status", "--porcelain").splitlines()),
        "diff": git(repo, "diff", "--", f"outputs/{PLAN}"),
        "word_diff": git(repo, "diff", "--word-diff", "--", f"outputs/{PLAN}"),
        "vanban_diff": run(["diff", "--exit-code"], repo),  # HEAD against the working tree
    }
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Sửa nhiệm vụ rà soát")
    return repo, seen


def test_git_setup_is_idempotent(repo):
    repo, _ = repo
    attributes = (repo / ".gitattributes").read_bytes()
    config = git(repo, "config", "--local", "--list")
    again = run(["git-setup"], repo)
    assert again.exit_code == 0 and again.output.count("  đã có ") == 4
    assert "  thêm " not in again.output and "  đặt " not in again.output
    assert (repo / ".gitattributes").read_bytes() == attributes == b"*.docx diff=vanban\n"
    assert git(repo, "config", "--local", "--list") == config
    assert git(repo, "config", "--get-all", "diff.vanban.textconv").count("\n") == 1
    assert git(repo, "config", "--get", "diff.vanban.cachetextconv").strip() == "true"


def test_only_the_affected_documents_changed(repo):
    _, seen = repo
    assert seen["status"] == ["inputs/plan.yaml", "outputs/.vanban-manifest.json", f"outputs/{PLAN}"]


def test_git_diff_shows_the_edited_sentence(repo):
    repo, seen = repo
    diff = seen["diff"]
    assert "Binary files" not in diff
    assert "\n-- Rà soát thủ tục.\n" in diff and "\n+- Rà soát toàn bộ thủ tục.\n" in diff
    assert "@@ === Phần 1: A4 dọc" in diff  # the hunk names its section
    assert "- Rà soát {+toàn bộ+} thủ tục." in seen["word_diff"]
    assert "+- Rà soát toàn bộ thủ tục." in git(repo, "show", "--", f"outputs/{PLAN}")
    assert "+- Rà soát toàn bộ thủ tục." in git(repo, "log", "-p", "-1", "--", "outputs")


@pytest.fixture(scope="module")
def git_redline(repo):
    """`vanban diff HEAD~1 HEAD --redline` after the edit was committed."""
    repo, _ = repo
    result = run(["diff", "HEAD~1", "HEAD", "--redline", "thay-doi.docx"], repo)
    assert result.exit_code == 0, result.output
    return repo / "thay-doi.docx", result.output


def test_vanban_diff_lists_changed_documents_and_their_text(git_redline, repo):
    repo, seen = repo
    before_commit = seen["vanban_diff"]
    assert before_commit.exit_code == E.EXIT_FINDINGS
    assert f"thay đổi: {PLAN}" in before_commit.output and "+- Rà soát toàn bộ thủ tục." in before_commit.output
    path, output = git_redline
    assert f"thay đổi: {PLAN}" in output and APPENDIX not in output
    assert "-- Rà soát thủ tục." in output and "+- Rà soát toàn bộ thủ tục." in output
    assert path.exists()
    # HEAD against the working tree: nothing changed since the commit
    same = run(["diff", "HEAD", "--exit-code"], repo)
    assert same.exit_code == 0 and "Không có văn bản nào khác nhau" in same.output
    assert run(["diff", "HEAD~1", "--exit-code", "--stat"], repo).exit_code == E.EXIT_FINDINGS


def test_vanban_diff_over_folders_reports_added_and_removed(tmp_path, versions):
    old, new = versions
    for name, docs in (("cu", old), ("moi", new)):
        for rel, data in docs.items():
            (tmp_path / name / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name / rel).write_bytes(data)
    (tmp_path / "moi" / APPENDIX).rename(tmp_path / "moi" / "phu-luc" / "phu-luc-moi.docx")
    result = run(["diff", "cu", "moi"], tmp_path)
    assert result.exit_code == 0
    assert f"thay đổi: {PLAN}" in result.output
    assert f"bị xóa: {APPENDIX}" in result.output
    assert "thêm mới: phu-luc/phu-luc-moi.docx" in result.output
    # two files: compared with each other whatever their names
    pair = run(["diff", f"cu/{PLAN}", "moi/phu-luc/phu-luc-moi.docx", "--stat"], tmp_path)
    assert pair.exit_code == 0 and "thay đổi: phu-luc-moi.docx" in pair.output
    # several changed documents and one .docx: ask which (--doc); a folder takes them all
    (tmp_path / "moi" / "phu-luc" / "phu-luc-moi.docx").rename(tmp_path / "moi" / APPENDIX)
    changed = sorted(k for k in new if k in old and old[k] != new[k])
    assert PLAN in changed and APPENDIX in changed
    two = run(["diff", "cu", "moi", "--redline", "y.docx", "--stat"], tmp_path)
    assert two.exit_code == E.EXIT_USAGE and "--doc" in two.output and not (tmp_path / "y.docx").exists()
    one = run(["diff", "cu", "moi", "--redline", "y.docx", "--doc", "phu-luc/"], tmp_path)
    assert one.exit_code == 0 and "phu-luc-tthc.docx" in one.output
    assert "Công khai kết quả giải quyết thủ tục" in "\n".join(docx_lines((tmp_path / "y.docx").read_bytes()))
    assert run(["diff", "cu", "moi", "--redline", "redlines"], tmp_path).exit_code == 0
    assert sorted(p.relative_to(tmp_path / "redlines").as_posix() for p in (tmp_path / "redlines").rglob("*.docx")) \
        == changed


def test_a_folder_diff_takes_the_word_documents_and_says_what_it_left_out(tmp_path, versions):
    """The folders are walked as every command walks them (``paths.word_documents``): Word's lock file of an
    open document, an empty file and the hidden .backup folder are no documents to compare."""
    old, new = versions
    for name in ("cu", "moi"):
        (tmp_path / name).mkdir()
        (tmp_path / name / PLAN).write_bytes(old[PLAN])
    (tmp_path / "moi" / f"~${PLAN}").write_bytes(b"\x00" * 162)  # Word's lock file: 162 bytes
    (tmp_path / "moi" / "rong.docx").write_bytes(b"")
    (tmp_path / "moi" / ".backup").mkdir()
    (tmp_path / "moi" / ".backup" / PLAN).write_bytes(new[PLAN])
    result = run(["diff", "cu", "moi", "--exit-code"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "Không có văn bản nào khác nhau" in result.output
    assert f"Bỏ qua moi/~${PLAN}: tệp khóa Word" in result.output and "Bỏ qua moi/rong.docx: tệp rỗng" in result.output


def test_bad_arguments_are_explained(tmp_path):
    result = run(["diff", "khong-co-gi"], tmp_path)
    assert result.exit_code == E.EXIT_USAGE and "không phải tệp, thư mục hay phiên bản git" in result.output
    assert "cho CŨ/MỚI:" in result.output and "OLD" not in result.output and "NEW" not in result.output
    outside = run(["git-setup"], tmp_path)
    assert outside.exit_code == E.EXIT_EXTERNAL and "kho git" in outside.stderr


# ------------------------------------------------------------------ LibreOffice sees the revisions


@pytest.fixture(scope="module")
def libreoffice_views(plan_redline, git_redline, tmp_path_factory):
    """Both redlines converted by LibreOffice (one call) to flat ODT: {name: xml text}."""
    soffice = soffice_or_skip()
    out = tmp_path_factory.mktemp("lo")
    files = [plan_redline[0], git_redline[0]]
    subprocess.run([soffice, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
                    "--convert-to", "fodt", "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=180)
    return {f.name: (out / (f.stem + ".fodt")).read_text(encoding="utf-8") for f in files}


def _tracked(fodt: str) -> tuple[int, int, str]:
    block = re.search(r"<text:tracked-changes.*?</text:tracked-changes>", fodt, re.S)
    assert block, "LibreOffice found no tracked changes"
    regions = block.group(0)
    return regions.count("<text:insertion>"), regions.count("<text:deletion>"), regions


def test_libreoffice_shows_the_redline_as_tracked_changes(libreoffice_views, plan_redline):
    fodt = libreoffice_views[plan_redline[0].name]
    ins, dele, regions = _tracked(fodt)
    assert ins >= 3 and dele >= 2
    assert "<dc:creator>vanban</dc:creator>" in regions and "2026-01-05T07:00:00" in regions
    # the deleted words and the inserted words are both in the document LibreOffice loaded
    body = re.sub(r"<[^>]+>", "", fodt.split("</text:tracked-changes>", 1)[1])
    for text in ("Rà soát", "toàn bộ", "Điểm mới chen vào.", "Công khai", "kết quả giải quyết"):
        assert text in body


def test_libreoffice_shows_the_git_redline(libreoffice_views, git_redline):
    ins, dele, _ = _tracked(libreoffice_views[git_redline[0].name])
    assert ins >= 1
    body = re.sub(r"<[^>]+>", "", libreoffice_views[git_redline[0].name])
    assert "toàn bộ" in body


def test_a_hand_edit_survives_a_rebuild_in_git(repo, tmp_path):
    from docx import Document

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo[0]), str(clone)], check=True)
    plan_out = clone / "outputs" / PLAN
    doc = Document(str(plan_out))
    target = next(p for p in doc.paragraphs if p.text == "b) Điểm thứ hai.")
    target.runs[0].text = "b) Điểm thứ hai, văn phòng sửa tay."
    doc.save(str(plan_out))
    edited = plan_out.read_bytes()
    edit(clone / "inputs" / "plan.yaml", "Điểm thứ nhất.", "Điểm số một.")
    refused = run(["build"], clone)
    assert refused.exit_code == E.EXIT_REFUSED and "outputs/ke-hoach-thu.docx" in refused.stderr
    assert plan_out.read_bytes() == edited  # kept; the rest of the set written (here: the manifest)
    assert sorted(line[3:] for line in git(clone, "status", "--porcelain").splitlines()) == \
        ["inputs/plan.yaml", f"outputs/{mf.MANIFEST_NAME}", f"outputs/{PLAN}"]
    forced = run(["build", "--force"], clone)
    assert forced.exit_code == 0
    backups = list((clone / "outputs" / ".backup").glob("ke-hoach-thu.*.docx"))
    assert len(backups) == 1 and backups[0].read_bytes() == edited
    # `vanban diff` between the backup and the new build shows what the office had typed
    shown = run(["diff", str(backups[0]), str(plan_out)], clone)
    assert "\n-b) Điểm thứ hai, văn phòng sửa tay.\n" in shown.output and "\n+b) Điểm thứ hai.\n" in shown.output
    assert "\n+a) Điểm số một.\n" in shown.output
