"""Issue 33, part 1: a commune's own Word template cannot run code, hang the build or exhaust its memory.

A commune may keep its own templates (``templates/kh_ubnd.docx``, ``templates/phu_luc/phu_luc.docx``),
and templates travel between offices like documents. Each attack of the issue is written into a
copy of the bundled templates — in the body, in a header, hidden in the document's title
(``docProps/core.xml``) — and the real command is run in a process of its own, with a timeout and
its memory bounded (``resource.setrlimit``): a hang fails the test in time, a ``MemoryError`` would
be an exit 70. Each asserts the exit code (3), the Vietnamese message naming the template, its part
and the text around the tag, that no command ran (the file the payload would create is not there),
and that ``outputs/`` is as it was. The same holds for ``build --check``, a batch (the other
communes still build), a render worker (the build renders the share again itself: the same words)
and ``vanban watch`` (it reports, then waits for the next save).
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import jinja2
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_INVALID_INPUT
from tests.conftest import DATA, OUTPUTS, ROOT
from tests.docx_read import zip_parts, zipped
from tests.test_hostile import snapshot

VANBAN = [sys.executable, "-m", "pipeline"]
MEMORY = 1 << 30  # a build of the test commune needs about 600 MB of address space, workers included
TIMEOUT = 120  # seconds; a hang fails here
PLAN, APPENDIX = "kh_ubnd.docx", "phu_luc/phu_luc.docx"
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="memory limits and forked workers are Linux's")
REFUSED = "vanban chặn một thẻ Jinja không an toàn"


# --------------------------------------------------------------------------- making hostile templates


def as_xml_text(text: str) -> bytes:
    """``text`` as Word stores typed text inside its XML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


ANCHOR = {PLAN: b"{{ doc.type_name }}", APPENDIX: b"{{ app.title }}"}  # a tag each bundled template has


def with_tag(template: Path, where: str, tag: str) -> None:
    """Type ``tag`` into the commune's ``template``: in the body (just after a tag the template has), in
    its first header (a run of its own), in a footnote, or as the document's title (File ▸ Properties)."""
    members = zip_parts(template)
    if where == "body":
        anchor = ANCHOR[PLAN if template.name == PLAN else APPENDIX]
        assert anchor in members["word/document.xml"]
        members["word/document.xml"] = members["word/document.xml"].replace(anchor, anchor + as_xml_text(tag), 1)
    elif where == "header":
        end = b"</w:pPr></w:p></w:hdr>"
        assert end in members["word/header1.xml"]
        members["word/header1.xml"] = members["word/header1.xml"].replace(
            end, b"</w:pPr><w:r><w:t>" + as_xml_text(tag) + b"</w:t></w:r></w:p></w:hdr>")
    elif where == "footnotes":  # a footnotes part, as Word adds one with the first footnote
        w = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        members["word/footnotes.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes '
                                         b'xmlns:w="' + w + b'"><w:footnote w:id="1"><w:p><w:r><w:t>' + as_xml_text(tag)
                                         + b"</w:t></w:r></w:p></w:footnote></w:footnotes>")
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(b"</Types>", (
            b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'wordprocessingml.footnotes+xml"/></Types>'))
        members["word/_rels/document.xml.rels"] = members["word/_rels/document.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rIdVanbanFn" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    else:
        assert b"<dc:title></dc:title>" in members["docProps/core.xml"]
        members["docProps/core.xml"] = members["docProps/core.xml"].replace(
            b"<dc:title></dc:title>", b"<dc:title>" + as_xml_text(tag) + b"</dc:title>")
    template.write_bytes(zipped(members))


def popen(target: Path) -> str:
    """The issue's payload: a shell command reached through a Jinja global's Python internals."""
    return f"{{{{ cycler.__init__.__globals__.os.popen('touch {target}').read() }}}}"


@pytest.fixture
def commune(tmp_path):
    """The mini commune with its own copy of the bundled templates, built once."""
    c = tmp_path / "xa"
    shutil.copytree(DATA / "mini", c / "inputs")
    shutil.copytree(ROOT / "templates", c / "templates")
    result = CliRunner().invoke(main, ["build", "--jobs", "1", "--inputs", str(c / "inputs"), "--out", str(c / "outputs")])
    assert result.exit_code == 0, result.output
    return c


def vanban(cwd: Path, *args: str, memory: int = MEMORY) -> subprocess.CompletedProcess:
    """The command line in a process of its own: bounded in time and in memory (its workers too)."""
    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = dict(os.environ, VANBAN_CACHE=str(cwd / "cache"))
    return subprocess.run([*VANBAN, *args], cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=TIMEOUT, preexec_fn=bounded)


def refused(proc: subprocess.CompletedProcess, heading: str) -> str:
    """The message of a build that stopped on a template: exit 3, said in Vietnamese, no traceback."""
    assert proc.returncode == EXIT_INVALID_INPUT, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "Lỗi nội bộ" not in proc.stderr
    assert heading in proc.stderr, proc.stderr
    return proc.stderr


# --------------------------------------------------------------------------- code never runs


def test_the_payload_runs_a_command_when_jinja_is_not_sandboxed(tmp_path):
    """What the issue saw: the same text in a plain Jinja environment runs a shell command."""
    target = tmp_path / "da-chay"
    jinja2.Environment(autoescape=True).from_string(popen(target)).render()
    assert target.exists()


@linux_only
@pytest.mark.parametrize("where, part", [("body", "word/document.xml"), ("header", "word/header1.xml"),
                                         ("core", "docProps/core.xml, thuộc tính title"),
                                         ("footnotes", "word/footnotes.xml")])
def test_a_command_in_a_communes_template_is_refused_and_never_runs(commune, where, part):
    target = commune / "da-chay"
    template = commune / "templates" / PLAN
    with_tag(template, where, popen(target))
    before = snapshot(commune / "outputs")
    for args in (["build"], ["build", "--check"]):
        err = refused(vanban(commune, *args), f"Lỗi mẫu văn bản: mẫu kh_ubnd.docx, phần {part}: {REFUSED}")
        assert "«" in err and "cycler.__init__.__globals__.os.popen" in err  # the text around the tag
        assert f"tệp mẫu: {template}" in err
        assert not target.exists(), args
        assert snapshot(commune / "outputs") == before, args


ESCAPES = [  # other ways out of Jinja known from published template-injection payloads
    "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('touch TARGET').read() }}",
    "{{ joiner.__init__.__globals__.os.popen('touch TARGET').read() }}",
    "{{ namespace.__init__.__globals__.os.popen('touch TARGET').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''|attr('__class__') }}",
    "{{ '{0.__init__.__globals__[os]}'.format(cycler) }}",
    "{{ cycler.__init__.__globals__['__builtins__']['open']('TARGET', 'w') }}",
    "{% set x = doc.preamble.append('TARGET') %}",
]


@pytest.mark.parametrize("direct", [True, False], ids=["prototype", "docxtpl"])
@pytest.mark.parametrize("tag", ESCAPES)
def test_no_known_way_out_of_the_sandbox_works_in_either_render(commune, tag, direct, monkeypatch):
    from pipeline.build.run import build_documents
    from pipeline.inputs.validate import load_inputs
    from pipeline.render import group
    from pipeline.render.template import TemplateProblem

    target = commune / "da-chay"
    with_tag(commune / "templates" / PLAN, "body", tag.replace("TARGET", str(target)))
    if not direct:  # docxtpl's own render, as for a template with tags outside its body
        monkeypatch.setattr(group, "_render_direct", lambda templates, task: None)
    with pytest.raises(TemplateProblem) as exc:
        build_documents(load_inputs(commune / "inputs"), commune / "templates")
    assert exc.value.format_message().startswith(f"mẫu kh_ubnd.docx, phần word/document.xml: {REFUSED}")
    assert not target.exists()


def test_lipsum_is_not_there_to_reach_through(commune):
    from pipeline.build.run import build_documents
    from pipeline.inputs.validate import load_inputs
    from pipeline.render.template import TemplateProblem

    target = commune / "da-chay"
    with_tag(commune / "templates" / PLAN, "body", f"{{{{ lipsum.__globals__.os.popen('touch {target}') }}}}")
    with pytest.raises(TemplateProblem, match="dùng một tên không có trong dữ liệu .'lipsum' is undefined"):
        build_documents(load_inputs(commune / "inputs"), commune / "templates")
    assert not target.exists()


# --------------------------------------------------------------------------- limits: no hang, no MemoryError


LIMITS = {
    "a range of 10**10": ("{% for i in range(10**10) %}x{% endfor %}", "range() quá lớn"),
    "nested loops": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
                     "mẫu chạy quá 250.000 bước"),
    "a macro calling itself twice": ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
                                     "{{ f(60) }}", "mẫu chạy quá 250.000 bước"),
    "'x' * 10**10": ("{{ 'x' * 10**10 }}", "mẫu tạo ra một giá trị quá lớn"),
    "[0] * 10**9": ("{{ [0] * 10**9 }}", "mẫu tạo ra một giá trị quá lớn"),
    "2 ** 10**8": ("{{ 2 ** (10 ** 8) }}", "mẫu tính ra một số quá lớn"),
    "a text doubled 64 times": ("{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
                                "{% endfor %}", "mẫu tạo ra một giá trị quá lớn"),
    "center(10**10)": ("{{ 'x'|center(10**10) }}", "mẫu tạo ra một giá trị quá lớn"),
    "a width of 10**10": ("{{ '{:>9999999999}'.format(1) }}", "mẫu tạo ra một giá trị quá lớn"),
    "a join of a long text": ("{{ ('x' * 1000000).join(range(100)|map('string')) }}", "mẫu tạo ra một giá trị quá lớn"),
    "100 MB of output": ("{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}",
                         "phần văn bản dựng từ mẫu quá lớn (hơn 20.000.000 ký tự)"),
    "many long texts": ("{% set s = 'x' * 9000000 %}{% for i in range(10) %}{% set t = s ~ i %}{% endfor %}",
                        "mẫu tạo ra quá nhiều dữ liệu cho một văn bản (hơn 50.000.000 ký tự)"),
    "a list of long texts": ("{% set s = 'x' * 9000000 %}{% set ns = namespace(l=[]) %}{% for i in range(10) %}"
                             "{% set ns.l = ns.l + [s ~ i] %}{% endfor %}", "mẫu tạo ra một giá trị quá lớn"),
}


@linux_only
@pytest.mark.parametrize("tag, said", LIMITS.values(), ids=LIMITS.keys())
def test_a_template_past_a_limit_stops_the_build_in_seconds_with_its_place(commune, tag, said):
    with_tag(commune / "templates" / PLAN, "body", tag)
    before = snapshot(commune / "outputs")
    started = time.monotonic()
    err = refused(vanban(commune, "build"), "Lỗi mẫu văn bản: mẫu kh_ubnd.docx, phần word/document.xml: ")
    assert time.monotonic() - started < 60
    assert said in err
    assert f"gần: «{{{{ doc.type_name }}}}{tag}"[:60] in err  # the paragraph's text, where the tag was typed
    assert snapshot(commune / "outputs") == before


@linux_only
@pytest.mark.parametrize("where, part", [("header", "word/header1.xml"), ("core", "docProps/core.xml, thuộc tính title")])
def test_a_loop_past_its_limit_in_a_header_or_the_title_is_located_there(commune, where, part):
    with_tag(commune / "templates" / PLAN, where, LIMITS["nested loops"][0])
    before = snapshot(commune / "outputs")
    err = refused(vanban(commune, "build"), f"Lỗi mẫu văn bản: mẫu kh_ubnd.docx, phần {part}: mẫu chạy quá 250.000 bước")
    assert "gần: «{% for i in range(100000) %}" in err
    assert snapshot(commune / "outputs") == before


@contextmanager
def alarm(seconds: int):
    """Fail the test instead of hanging it (for what runs in the test's own process)."""
    def ring(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@linux_only
def test_a_template_slower_than_the_time_budget_is_stopped_by_the_clock(commune, monkeypatch):
    from pipeline.build.run import build_documents
    from pipeline.inputs.validate import load_inputs
    from pipeline.render import limits
    from pipeline.render.template import TemplateProblem

    monkeypatch.setattr(limits, "STEP_LIMIT", 10**12)  # only the clock can stop it
    monkeypatch.setattr(limits, "TIME_LIMIT", 1.0)
    with_tag(commune / "templates" / PLAN, "body", LIMITS["a macro calling itself twice"][0])
    inputs = load_inputs(commune / "inputs")
    started = time.monotonic()
    with alarm(60), pytest.raises(TemplateProblem) as exc:
        build_documents(inputs, commune / "templates")
    assert time.monotonic() - started < 30
    assert "mẫu chạy quá 1 giây cho một văn bản" in exc.value.format_message()


# --------------------------------------------------------------------------- damaged templates


def _without(member: str):
    return lambda m: {k: v for k, v in m.items() if k != member}


DAMAGED = {
    "not a zip": (lambda m: None, "Lỗi mẫu văn bản: mẫu kh_ubnd.docx: không phải tệp Word (.docx) hợp lệ"),
    "no main part": (_without("word/document.xml"),
                     "Lỗi mẫu văn bản: mẫu kh_ubnd.docx không phải tệp Word (.docx) đọc được"),
    "styles not XML": (lambda m: {**m, "word/styles.xml": b"garbage"},
                       "Lỗi mẫu văn bản: mẫu kh_ubnd.docx không phải tệp Word (.docx) đọc được"),
}


@linux_only
@pytest.mark.parametrize("damage, said", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_template_is_exit_3_not_a_crash(commune, damage, said):
    template = commune / "templates" / PLAN
    members = damage(zip_parts(template))
    template.write_bytes(zipped(members) if members is not None else "không phải Word".encode())
    before = snapshot(commune / "outputs")
    for args in (["build"], ["build", "--check"]):
        refused(vanban(commune, *args), said)
        assert snapshot(commune / "outputs") == before


BROKEN = {  # templates whose tags make XML Word cannot read, or that Jinja cannot read
    "|safe closing the body's elements": ("body", "{{ '</w:t></w:r></w:p></w:tc>'|safe }}", "word/document.xml",
                                          "sau khi điền dữ liệu, phần này không còn là XML hợp lệ"),
    "|safe closing the header": ("header", "{{ '</w:t></w:r></w:p></w:hdr>'|safe }}", "word/header1.xml",
                                 "sau khi điền dữ liệu, phần này không còn là XML hợp lệ"),
    "an if never closed": ("body", "{% if doc.type_name %}", "word/document.xml", "thẻ Jinja sai cú pháp"),
    # docxtpl's regular expressions take minutes over a part full of unclosed tags, before Jinja sees them
    "40,000 unclosed {{": ("body", "{{ " * 40_000, "word/document.xml",
                           "thẻ Jinja sai cú pháp (một thẻ «{{» không được đóng bằng «}}» trước thẻ «{{» tiếp theo)"),
    "40,000 unclosed {%": ("header", "{% " * 40_000, "word/header1.xml",
                           "thẻ Jinja sai cú pháp (một thẻ «{%» không được đóng bằng «%}» trước thẻ «{%» tiếp theo)"),
    "a name the data lacks": ("header", "{{ so_cong_van }}", "word/header1.xml",
                              "dùng một tên không có trong dữ liệu ('so_cong_van' is undefined)"),
}


@linux_only
@pytest.mark.parametrize("where, tag, part, said", BROKEN.values(), ids=BROKEN.keys())
def test_a_template_that_renders_broken_xml_or_names_nothing_is_located(commune, where, tag, part, said):
    with_tag(commune / "templates" / PLAN, where, tag)
    before = snapshot(commune / "outputs")
    started = time.monotonic()
    err = refused(vanban(commune, "build"), f"Lỗi mẫu văn bản: mẫu kh_ubnd.docx, phần {part}: ")
    assert time.monotonic() - started < 60
    assert said in err
    assert snapshot(commune / "outputs") == before


def _paragraphs(count: int, text: str) -> bytes:
    """``count`` paragraphs of ``text`` each, the first of every ten words random (so the part compresses
    as Word's do, within the reading layer's ratio)."""
    import random

    rnd = random.Random(33)
    words = ["".join(rnd.choice("abcdeghiklmnopqrstuvxy") for _ in range(6)) for _ in range(count)]
    return b"".join(f"<w:p><w:r><w:t>{w} {text}</w:t></w:r></w:p>".encode() for w in words)


@linux_only
@pytest.mark.parametrize("count, text, said", [
    (60_000, "Kế hoạch cải cách hành chính năm 2025 của xã", "phần này quá lớn để điền dữ liệu"),
    (20_001 - 45, "{{ doc.type_name }}", "quá nhiều thẻ Jinja (20.001; giới hạn 20.000)"),  # the plan has 45 of its own
], ids=["4 MB of XML", "20,001 tags"])
def test_a_template_part_too_large_for_jinja_is_refused_before_it_is_read(commune, count, text, said):
    template = commune / "templates" / PLAN
    members = zip_parts(template)
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"<w:body>", b"<w:body>" + _paragraphs(count, text), 1)
    template.write_bytes(zipped(members))
    started = time.monotonic()
    err = refused(vanban(commune, "build"), "Lỗi mẫu văn bản: mẫu kh_ubnd.docx, phần word/document.xml: ")
    assert said in err and time.monotonic() - started < 30


# --------------------------------------------------------------------------- the bounded reader, in a worker


def _ratio_bomb(m: dict) -> dict:
    return {**m, "word/document.xml": b"<a>" + b"\0" * (6 * 1024 * 1024) + b"</a>"}


def _laughs(member: str):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
              b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><cp:coreProperties>&lol3;</cp:coreProperties>')
    return lambda m: {**m, member: laughs}


BOMBS = {
    "zip bomb": (_ratio_bomb, "phần 'word/document.xml' nén quá mức bình thường"),
    "entities in the body": (_laughs("word/document.xml"), "phần 'word/document.xml' có khai báo DTD"),
    "entities in core.xml": (_laughs("docProps/core.xml"), "phần 'docProps/core.xml' có khai báo DTD"),
}


@linux_only
@pytest.mark.parametrize("bomb, said", BOMBS.values(), ids=BOMBS.keys())
def test_a_bomb_of_an_appendix_template_is_refused_by_the_reading_layer(commune, bomb, said):
    template = commune / "templates" / APPENDIX
    template.write_bytes(zipped(bomb(zip_parts(template))))
    before = snapshot(commune / "outputs")
    for args in (["build", "--jobs", "2"], ["build", "--check"]):
        err = refused(vanban(commune, *args), "Lỗi mẫu văn bản: mẫu phu_luc.docx: ")
        assert said in err and "vanban không đọc" in err
        assert snapshot(commune / "outputs") == before


@linux_only
@pytest.mark.parametrize("tag", ["popen", LIMITS["nested loops"][0]], ids=["a command", "nested loops"])
def test_a_template_error_in_a_render_worker_says_what_one_process_says(commune, tag):
    target = commune / "da-chay"
    with_tag(commune / "templates" / APPENDIX, "body", popen(target) if tag == "popen" else tag)
    before = snapshot(commune / "outputs")
    heading = "Lỗi mẫu văn bản: mẫu phu_luc.docx, phần word/document.xml: "
    workers = refused(vanban(commune, "build", "--jobs", "2"), heading)
    alone = refused(vanban(commune, "build", "--jobs", "1"), heading)
    assert workers == alone
    assert (REFUSED if tag == "popen" else "mẫu chạy quá 250.000 bước") in workers
    assert not target.exists()
    assert snapshot(commune / "outputs") == before


# --------------------------------------------------------------------------- batch, watch


@linux_only
def test_a_batch_reports_the_communes_template_and_builds_the_others(tmp_path):
    for name in ("xa-a", "xa-b"):
        shutil.copytree(DATA / "mini", tmp_path / name / "inputs")
    shutil.copytree(ROOT / "templates", tmp_path / "xa-b" / "templates")
    target = tmp_path / "da-chay"
    with_tag(tmp_path / "xa-b" / "templates" / PLAN, "body", popen(target))
    proc = vanban(tmp_path, "build", "--inputs", str(tmp_path / "*" / "inputs"), "--jobs", "2")
    assert proc.returncode == EXIT_INVALID_INPUT, proc.stdout + proc.stderr
    said = " ".join(proc.stdout.split())  # as printed, long lines wrapped at the console's width
    assert "xa-b (mẫu văn bản lỗi):" in said
    assert f"Lỗi mẫu văn bản: mẫu kh_ubnd.docx, phần word/document.xml: {REFUSED}" in said
    assert "1/2 xã xong" in said and "Traceback" not in proc.stdout + proc.stderr
    assert (tmp_path / "xa-a" / "outputs" / "ke-hoach-thu.docx").exists()  # the mini commune's plan
    assert not (tmp_path / "xa-b" / "outputs").exists()
    assert not target.exists()


@linux_only
def test_watch_reports_a_hostile_template_and_waits_for_the_next_save(commune):
    from tests.test_watch import Watcher

    template = commune / "templates" / PLAN
    good = template.read_bytes()
    target = commune / "da-chay"
    w = Watcher(commune, dict(os.environ, VANBAN_CACHE=str(commune / "cache")))
    try:
        w.until("Không có gì thay đổi", "Xong:")
        before = snapshot(commune / "outputs")
        saves = [  # each saved in turn over the template: what watch must say of it
            (lambda: with_tag(template, "body", popen(target)), REFUSED),
            (lambda: with_tag(template, "core", LIMITS["nested loops"][0]), "mẫu chạy quá 250.000 bước"),
            (lambda: template.write_bytes(b"PK\x03\x04 hong"), "không phải tệp Word (.docx) hợp lệ"),
            (lambda: template.write_bytes(zipped(_ratio_bomb(zip_parts(ROOT / "templates" / PLAN)))), "nén quá mức"),
        ]
        for save, said in saves:
            template.write_bytes(good)
            save()
            lines = w.until("Sửa rồi lưu lại tệp")
            assert any(line.startswith("Lỗi mẫu văn bản: mẫu kh_ubnd.docx") for line in lines), lines
            assert any(said in line for line in lines), lines
            assert snapshot(commune / "outputs") == before
        template.write_bytes(good)  # mended: built again (the documents are as they were)
        assert w.until("Không có gì thay đổi", "Xong:")
        assert snapshot(commune / "outputs") == before
        w.proc.send_signal(signal.SIGINT)
        assert w.proc.wait(timeout=30) == 0
        assert not any("Traceback" in line or "Lỗi nội bộ" in line for line in w.said)
        assert not target.exists()
    finally:
        if w.proc.poll() is None:
            w.proc.kill()


# --------------------------------------------------------------------------- the sandbox renders what Jinja renders


def test_the_bundled_templates_still_write_the_committed_bytes(tmp_path):
    proc = vanban(tmp_path, "build", "--inputs", str(ROOT / "inputs"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    committed = sorted(p.relative_to(OUTPUTS) for p in OUTPUTS.rglob("*.docx"))
    assert len(committed) == 25
    for path in committed:
        assert (tmp_path / "out" / path).read_bytes() == (OUTPUTS / path).read_bytes(), path


ORDINARY = [  # what a template maker writes; the sandbox must render each as Jinja does
    "{% for b in items %}{{ loop.index }}/{{ loop.length }} {{ b }}{% if not loop.last %}, {% endif %}{% endfor %}",
    "{% for b in items if b != 'hai' %}{{ loop.revindex }}{{ loop.previtem is defined }}{% else %}trống{% endfor %}",
    "{% for x in tree recursive %}[{{ x.name }}{{ loop(x.children) }}]{% endfor %}",
    "{{ title ~ ' — ' ~ items|length }} {{ '<b>' ~ title }} {{ title[:3] }} {{ items[1:]|join('; ') }}",
    "{{ '%s/%d' % (title, 2025) }} {{ '{} – {}'.format(title, 7) }} {{ title|center(30) }} {{ 'ab' * 3 }}",
    "{% macro row(a, b='x') %}<{{ a }}|{{ b }}>{% endmacro %}{{ row(1) }}{{ row(2, b=title) }}",
    "{% set ns = namespace(total=0) %}{% for i in range(5) %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}",
    "{{ items|map('upper')|join(', ') }} {{ items|batch(2)|list }} {{ items|sort|first }} {{ 2 ** 10 }}",
    "{% filter upper %}{{ title }}{% endfilter %} {{ title|replace('Kế', 'K') }} {{ title|wordwrap(8) }}",
]


@pytest.mark.parametrize("source", ORDINARY)
def test_an_ordinary_template_renders_in_the_sandbox_as_in_jinja(source):
    from pipeline.render.limits import budget
    from pipeline.render.sandbox import Environment

    context = {"title": "Kế hoạch & <cải cách>", "items": ["một", "hai", "ba"],
               "tree": [{"name": "a", "children": [{"name": "b", "children": []}]}]}
    plain = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(source).render(context)
    with budget():
        assert Environment().from_string(source).render(context) == plain
