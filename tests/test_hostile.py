"""Issue 13: a build that cannot hurt — hostile and unlucky inputs, each ending in a located
message (or a correct document), the README's exit code, outputs as they were, and nothing
outside the output folder ever written or deleted.

The YAML cases are files in ``tests/data/hostile/``; their expected lines and columns were
read off those files by hand. Large .docx bombs are made here (they compress to little).
Resource figures (time, memory) of the bombs are in ``bench/run.py``, not here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.output import commit
from pipeline import errors as E
from pipeline.output import manifest as mf
from pipeline.ooxml import safezip
from pipeline.cli import main
from pipeline.errors import InputErrors
from pipeline.inputs.load import load_yaml
from tests.conftest import DATA, OUTPUTS, ROOT

HOSTILE = DATA / "hostile"
VANBAN = [sys.executable, "-m", "pipeline"]


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path):
    """The mini commune's inputs, built once into outputs/, and a victim file beside the project."""
    shutil.copytree(DATA / "mini", tmp_path / "inputs")
    result = build(tmp_path)
    assert result.exit_code == 0, result.output
    (tmp_path / "victim.docx").write_bytes(b"not yours")
    return tmp_path


def build(project: Path, *extra):
    return CliRunner().invoke(main, ["build", "--inputs", str(project / "inputs"),
                                     "--out", str(project / "outputs"), *extra])


def run(project: Path, *args, env_extra=None, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, VANBAN_CACHE=str(project / "cache"), **(env_extra or {}))
    return subprocess.run([*VANBAN, *args], cwd=project, env=env, capture_output=True, text=True, **kw)


def issues_of(path: Path) -> list[tuple[int, int, str, str]]:
    with pytest.raises(InputErrors) as exc:
        load_yaml(path, display=path.name)
    return [(i.line, i.column, i.rule, i.message) for i in sorted(exc.value.issues)]


# --------------------------------------------------------------------------- bounded YAML


def test_alias_bomb_is_refused_at_an_alias():
    [(line, _, rule, message)] = issues_of(HOSTILE / "alias-bomb.yaml")
    assert rule == "yaml-alias-budget" and 2 <= line <= 10 and "bí danh" in message


def test_an_alias_to_itself_is_refused():
    assert [i[:3] for i in issues_of(HOSTILE / "alias-self.yaml")] == [(1, 4, "yaml-alias-budget")]


def test_nesting_beyond_the_limit_is_located_at_the_bracket_that_passes_it():
    # 'x: ' then 900 '['; the mapping is level 1, so the 50th '[' (column 3 + 50) is level 51
    [(line, col, rule, message)] = issues_of(HOSTILE / "deep-900.yaml")
    assert (line, col, rule) == (1, 53, "yaml-depth") and "50 cấp" in message


def test_50000_brackets_end_in_a_message_not_a_crash(tmp_path):
    shutil.copytree(DATA / "mini", tmp_path / "inputs")
    with open(tmp_path / "inputs" / "plan.yaml", "a", encoding="utf-8") as f:
        f.write("deep: " + "[" * 50_000 + "]" * 50_000 + "\n")
    proc = run(tmp_path, "lint", "--inputs", "inputs")
    assert proc.returncode == E.EXIT_INVALID_INPUT, proc.stderr
    assert "plan.yaml" in proc.stdout and "yaml-depth" in proc.stdout  # lint's findings: on standard output


def test_complex_keys_are_located():
    found = issues_of(HOSTILE / "complex-key.yaml")
    # 'summary: {{ 7*7 }}': the inner '{' (column 11) is a mapping used as a key; '? [a, b]' on line 2
    assert [f[:3] for f in found] == [(1, 11, "yaml-complex-key"), (2, 3, "yaml-complex-key")]
    assert "ngoặc kép" in found[0][3]


def test_merge_keys_are_refused():
    assert [i[:3] for i in issues_of(HOSTILE / "merge-key.yaml")] == [(3, 3, "yaml-merge-key")]


def test_control_characters_are_named_and_located():
    found = issues_of(HOSTILE / "control-chars.yaml")
    # line 2: 'title: "chào\u0001bạn"' — the escape starts at column 13; line 3 likewise with '\f'
    assert [f[:3] for f in found] == [(2, 13, "control-char"), (3, 13, "control-char")]
    assert "U+0001" in found[0][3] and "U+000C" in found[1][3]


def test_a_raw_control_character_in_the_file_is_located():
    # line 2 is 'title: chào' then a raw U+0001: column 7 + 4 + 1
    [(line, col, rule, message)] = issues_of(HOSTILE / "raw-control.yaml")
    assert (line, col, rule) == (2, 12, "control-char") and "U+0001" in message


def test_a_control_character_in_a_task_stops_the_build_with_its_place(project):
    plan = project / "inputs" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    line_no = next(i for i, row in enumerate(text.split("\n"), 1) if row.startswith("summary:"))
    plan.write_text(text.replace("summary: ", 'summary: "A\\u0001" # ', 1), encoding="utf-8")
    before = snapshot(project / "outputs")
    result = build(project)
    assert result.exit_code == E.EXIT_INVALID_INPUT
    assert f"plan.yaml:{line_no}:12" in result.stderr and "U+0001" in result.stderr
    assert snapshot(project / "outputs") == before


def test_unquoted_template_braces_in_a_summary_are_a_located_error(project):
    plan = project / "inputs" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    line_no = next(i for i, row in enumerate(text.split("\n"), 1) if row.startswith("summary:"))
    plan.write_text(text.replace("summary: ", "summary: {{ 7*7 }} # ", 1), encoding="utf-8")
    result = build(project)
    assert result.exit_code == E.EXIT_INVALID_INPUT
    assert f"plan.yaml:{line_no}:11" in result.stderr and "yaml-complex-key" in result.stderr


# --------------------------------------------------------------------------- confinement


def test_an_output_name_leaving_the_folder_is_a_located_input_error(project):
    plan = project / "inputs" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text + "output: ../../victim\n", encoding="utf-8")
    line_no = len(text.split("\n"))
    before = snapshot(project / "outputs")
    result = build(project, "--force")
    assert result.exit_code == E.EXIT_INVALID_INPUT
    assert f"plan.yaml:{line_no}:1" in result.stderr and "[output]" in result.stderr
    assert snapshot(project / "outputs") == before
    assert (project / "victim.docx").read_bytes() == b"not yours"


def _add_entries(project: Path, entries: dict) -> None:
    path = project / "outputs" / mf.MANIFEST_NAME
    data = json.loads(path.read_text(encoding="utf-8"))
    data["outputs"].update(entries)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_manifest_entries_leaving_the_folder_are_ignored_never_deleted(project):
    victim = project / "victim.docx"
    digest = mf.sha256(victim.read_bytes())
    _add_entries(project, {"../victim.docx": {"output": digest}, str(victim): {"output": digest},
                           "..\\victim.docx": {"output": digest}, "bad.docx": "not an entry"})
    (project / "inputs" / "plan.yaml").write_text(
        (project / "inputs" / "plan.yaml").read_text(encoding="utf-8").replace("summary: ", "summary: Mới ", 1),
        encoding="utf-8")
    result = build(project, "--force")
    assert result.exit_code == 0, result.output
    assert victim.read_bytes() == b"not yours"
    for key in ("../victim.docx", "..\\victim.docx", "bad.docx"):
        assert f"bỏ qua mục '{key}'" in result.stderr
    recorded = json.loads((project / "outputs" / mf.MANIFEST_NAME).read_text(encoding="utf-8"))["outputs"]
    assert not any(".." in k or k.startswith("/") for k in recorded)
    assert not list((project / "outputs").glob("victim*"))


def test_a_symlink_leading_out_is_never_followed(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "keep.docx").write_bytes(b"outside")
    out = project / "outputs"
    sub = next(p for p in out.iterdir() if p.is_dir())
    moved = {p.name: p.read_bytes() for p in sub.iterdir()}
    for name, data in moved.items():
        (outside / name).write_bytes(data)
    shutil.rmtree(sub)
    sub.symlink_to(outside, target_is_directory=True)
    before = snapshot(outside)
    result = build(project, "--force")
    assert result.exit_code == E.EXIT_EXTERNAL
    assert "ngoài thư mục kết quả" in result.stderr and sub.name in result.stderr
    assert snapshot(outside) == before


def test_an_unreadable_manifest_is_reported_as_such(project):
    out = project / "outputs"
    (out / mf.MANIFEST_NAME).write_text("{ không phải JSON", encoding="utf-8")
    plan = next(out.glob("*.docx"))
    plan.write_bytes(plan.read_bytes() + b"\0")  # now vanban cannot vouch for it
    result = build(project)
    assert result.exit_code == E.EXIT_REFUSED
    assert mf.MANIFEST_NAME in result.stderr and "không đọc được" in result.stderr
    assert plan.read_bytes().endswith(b"\0")  # kept as it is; the rest written, with a manifest again
    assert json.loads((out / mf.MANIFEST_NAME).read_text(encoding="utf-8"))["outputs"][plan.name]["held"] == "edited"
    plan.write_bytes(plan.read_bytes()[:-1])
    result = build(project)
    assert result.exit_code == 0 and "không đọc được" not in result.stderr
    assert "held" not in json.loads((out / mf.MANIFEST_NAME).read_text(encoding="utf-8"))["outputs"][plan.name]


# --------------------------------------------------------------------------- environment faults


def test_out_naming_a_file_is_exit_4(project):
    target = project / "a-file"
    target.write_bytes(b"keep")
    result = CliRunner().invoke(main, ["build", "--inputs", str(project / "inputs"), "--out", str(target)])
    assert result.exit_code == E.EXIT_EXTERNAL and str(target) in result.stderr
    assert "Traceback" not in result.output and target.read_bytes() == b"keep"


def test_a_folder_that_is_a_file_is_exit_4_and_outputs_stay(project):
    out = project / "outputs"
    sub = next(p for p in out.iterdir() if p.is_dir())
    shutil.rmtree(sub)
    sub.write_bytes(b"a file where a folder should be")
    before = snapshot(out)
    result = build(project, "--force")
    assert result.exit_code == E.EXIT_EXTERNAL, result.output
    assert sub.name in result.stderr and snapshot(out) == before


def _changed_inputs(project: Path) -> None:
    commune = project / "inputs" / "commune.yaml"
    commune.write_text(commune.read_text(encoding="utf-8").replace("place: Hòa Sơn", "place: Hòa Sơn Bắc"),
                       encoding="utf-8")


def _limit_file_size():  # runs in the child: writes past 5 kB fail with EFBIG (Python ignores SIGXFSZ)
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (5_000, 5_000))


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_leaves_outputs_as_they_were_and_the_next_build_succeeds(project):
    """No tmpfs or FUSE here: a file-size limit (EFBIG) stands in for a full disk (ENOSPC)."""
    out = project / "outputs"
    _changed_inputs(project)
    before = snapshot(out)
    # no .pyc written under the limit: CPython would leave truncated ones behind
    proc = run(project, "build", preexec_fn=_limit_file_size, env_extra={"PYTHONDONTWRITEBYTECODE": "1"})
    assert proc.returncode == E.EXIT_EXTERNAL, proc.stderr
    assert "Traceback" not in proc.stderr and "giữ nguyên" in proc.stderr
    assert snapshot(out) == before
    proc = run(project, "build")
    assert proc.returncode == 0 and "sửa tay" not in proc.stderr
    assert build(project, "--check").exit_code == 0  # outputs equal a clean build


@contextlib.contextmanager
def read_only(folder: Path):
    """``folder`` refuses new files: chmod for a normal user; root ignores modes, so chattr +i for root."""
    if os.geteuid() == 0:
        if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(folder)]).returncode != 0:
            pytest.skip("running as root without chattr: cannot make a folder read-only")
        undo = ["chattr", "-i", str(folder)]
    else:
        folder.chmod(0o555)
        undo = None
    try:
        yield
    finally:
        subprocess.run(undo) if undo else folder.chmod(0o755)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
@pytest.mark.parametrize("where", ["the output folder", "one sub-folder"])
def test_a_read_only_folder_is_exit_4_and_outputs_stay(project, where):
    out = project / "outputs"
    _changed_inputs(project)
    folder = out if where == "the output folder" else next(p for p in sorted(out.iterdir()) if p.is_dir())
    before = snapshot(out)
    with read_only(folder):
        proc = run(project, "build")
    assert proc.returncode == E.EXIT_EXTERNAL, proc.stderr
    assert str(folder.name) in proc.stderr and "chỉ cho đọc" in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(out) == before
    proc = run(project, "build")
    assert proc.returncode == 0 and "sửa tay" not in proc.stderr
    assert build(project, "--check").exit_code == 0  # outputs equal a clean build


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_rename_failing_midway_puts_back_what_was_moved(project):
    """A folder turns read-only after the commit point (as a file open in Word refuses a rename on
    Windows): the renames already made are undone, exit 4, outputs as they were."""
    out = project / "outputs"
    _changed_inputs(project)
    before = snapshot(out)
    last = out / "bao-cao"  # reports are renamed last (build order: plan, appendices, sub-plans, reports)
    plan = next(out.glob("*.docx"))
    written = plan.stat().st_mtime_ns
    env = dict(os.environ, VANBAN_CACHE=str(project / "cache"), VANBAN_COMMIT_PAUSE="0.3")
    proc = subprocess.Popen([*VANBAN, "build"], cwd=project, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (out / mf.STAGING_DIR / commit.JOURNAL).exists() and time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.002)
    with read_only(last):
        _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == E.EXIT_EXTERNAL, stderr
    assert "bao-cao" in stderr and "Traceback" not in stderr
    assert snapshot(out) == before
    # the plan had been renamed into place, then written back by the undo (not its inode number: ext4 gives
    # a freed number to the next new file at once, which made this test fail now and then)
    assert plan.stat().st_mtime_ns > written
    proc = run(project, "build")
    assert proc.returncode == 0 and "sửa tay" not in proc.stderr
    assert build(project, "--check").exit_code == 0


def test_a_staging_folder_without_journal_is_rolled_back(project):
    out = project / "outputs"
    before = snapshot(out)
    staged = out / mf.STAGING_DIR / "files" / "half.docx"
    staged.parent.mkdir(parents=True)
    staged.write_bytes(b"half written")
    result = build(project)
    assert result.exit_code == 0 and not (out / mf.STAGING_DIR).exists()
    assert snapshot(out) == before


# --------------------------------------------------------------------------- kill during the commit


def _variant(project: Path, which: int) -> None:
    src = (DATA / "mini" / "commune.yaml").read_text(encoding="utf-8")
    text = src if which == 0 else src.replace("place: Hòa Sơn", "place: Hòa Sơn Bắc")
    (project / "inputs" / "commune.yaml").write_text(text, encoding="utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_build_killed_while_committing_is_completed_by_the_next_one(tmp_path):
    """SIGKILL at a random moment of the commit (each rename waits 0.2 s), many times: the next build
    with the same inputs succeeds without --force, says nothing of hand edits, and its outputs
    (manifest included) equal a clean build of those inputs."""
    clean = {}
    for which in (0, 1):
        ref = tmp_path / f"ref{which}"
        shutil.copytree(DATA / "mini", ref / "inputs")
        _variant(ref, which)
        assert run(ref, "build").returncode == 0
        clean[which] = snapshot(ref / "outputs")
    assert clean[0] != clean[1]
    project = tmp_path / "p"
    shutil.copytree(DATA / "mini", project / "inputs")
    assert run(project, "build").returncode == 0
    out, rng, kinds = project / "outputs", random.Random(13), set()
    for attempt in range(6):
        which = (attempt + 1) % 2
        _variant(project, which)
        env = dict(os.environ, VANBAN_CACHE=str(project / "cache"), VANBAN_COMMIT_PAUSE="0.2")
        proc = subprocess.Popen([*VANBAN, "build"], cwd=project, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while not (out / mf.STAGING_DIR).exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        journal = (out / mf.STAGING_DIR / commit.JOURNAL).exists()
        kinds.add("after journal" if journal else "before journal or done")
        after = run(project, "build")
        assert after.returncode == 0, after.stderr
        assert "sửa tay" not in after.stderr + after.stdout
        assert snapshot(out) == clean[which], f"attempt {attempt}"
    assert "after journal" in kinds  # at least one kill landed between the commit point and the end


# --------------------------------------------------------------------------- bounded .docx reading


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _lying(path: Path, real: bytes, declared: int) -> Path:
    """A zip whose member declares ``declared`` bytes but holds ``real`` (sizes patched in both headers)."""
    _zip(path, {"word/document.xml": real})
    data = bytearray(path.read_bytes())
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(sig)
        data[at + offset:at + offset + 4] = declared.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


@pytest.fixture
def bombs(tmp_path):
    big = b"<w:document xmlns:w='x'>" + b" " * (101 * safezip.MB) + b"</w:document>"
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              b"<w:document xmlns:w='x'>&lol2;</w:document>")
    return {
        "declared 101 MB": _zip(tmp_path / "big.docx", {"word/document.xml": big}),
        "ratio": _zip(tmp_path / "ratio.docx", {"word/document.xml": b"<a>" + b"\0" * (6 * safezip.MB) + b"</a>"}),
        "lying header": _lying(tmp_path / "lying.docx", b"<a>" + b" " * 100_000 + b"</a>", 10),
        "DTD": _zip(tmp_path / "dtd.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": laughs}),
        "not a zip": _write(tmp_path / "text.docx", "không phải Word".encode()),
    }


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_every_bomb_is_refused_by_the_reading_layer(bombs):
    for what, path in bombs.items():
        with pytest.raises(safezip.BadDocx) as exc:
            safezip.open_zip(path)
        assert str(path) in str(exc.value), what


def test_vanbans_own_documents_pass_the_reading_layer():
    for path in sorted(OUTPUTS.rglob("*.docx")):
        safezip.open_docx(path)


def test_textconv_check_and_diff_refuse_bombs_with_exit_3(bombs, tmp_path):
    good = next(OUTPUTS.glob("*.docx"))
    for what, path in bombs.items():
        for args in (["textconv", str(path)], ["check", str(path)], ["diff", str(good), str(path)]):
            result = CliRunner().invoke(main, args)
            assert result.exit_code == E.EXIT_INVALID_INPUT, (what, args, result.output)
            assert "Traceback" not in result.output and path.name in result.output


def test_a_communes_own_template_is_read_through_the_same_limits(bombs, project):
    shutil.copytree(ROOT / "templates", project / "templates")
    (project / "inputs" / "plan.yaml").write_text(  # a change, so that the build renders again
        (project / "inputs" / "plan.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    before = snapshot(project / "outputs")
    for what in ("declared 101 MB", "ratio", "DTD", "not a zip"):
        shutil.copyfile(bombs[what], project / "templates" / "kh_ubnd.docx")
        result = build(project)
        assert result.exit_code == E.EXIT_INVALID_INPUT, (what, result.output)
        assert "Lỗi mẫu văn bản: mẫu kh_ubnd.docx" in result.output, (what, result.output)
        assert "Traceback" not in result.output
        assert snapshot(project / "outputs") == before, what


def test_dtd_in_xml_is_refused_by_parse_xml():
    with pytest.raises(safezip.BadDocx):
        safezip.parse_xml(b'<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>')
    with pytest.raises(safezip.BadDocx):
        safezip.parse_et('<!DOCTYPE a><a/>'.encode("utf-16"))


# --------------------------------------------------------------------------- init


def test_init_names_round_trip_verbatim_into_the_documents(tmp_path):
    from pipeline.vcs.textconv import docx_text

    commune, province = '*Hòa #Sơn: "Bắc" \\ Nam', "Nghệ 'An' #1"
    result = CliRunner().invoke(main, ["init", str(tmp_path / "xa"), "--commune", commune, "--province", province])
    assert result.exit_code == 0, result.output
    assert load_yaml(tmp_path / "xa" / "inputs" / "commune.yaml").data["name"] == commune
    proc = run(tmp_path / "xa", "build", "--inputs", "inputs", "--out", "outputs")
    assert proc.returncode == 0, proc.stderr
    plan = next((tmp_path / "xa" / "outputs").glob("*.docx"))
    text = docx_text(plan.read_bytes())
    assert f"xã {commune}" in text and f"{commune}, ngày" in text
    assert f"XÃ {commune.upper()}" in text.replace(" / ", " ")  # the header cell wraps a long name
    assert f"tỉnh {province}" in text


def test_init_refuses_a_newline_in_a_name(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "xa"), "--commune", "Hòa\nSơn", "--province", "A"])
    assert result.exit_code == E.EXIT_USAGE and "xuống dòng" in result.output
    assert not (tmp_path / "xa" / "inputs").exists()
