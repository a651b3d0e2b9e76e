"""The direct way of rendering (issue 17): a document made from a prototype of its template (the body
rendered, appended by copying, put into the template's other parts) is byte for byte what docxtpl,
python-docx and docxcompose make of it. Where it would not be, because a template or the data uses
something docxcompose or docxtpl changes, the document is made their way.

The reference is the libraries' own result (``render_group(..., direct=False)``), never the direct
way's; each template variant also checks that what it adds is really in the document, so a
comparison cannot pass because the feature was lost on both sides.
"""

from __future__ import annotations

import copy
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from pipeline.plan.documents import plan_build
from pipeline.render.group import _render_direct, groups, render_group, task_of

ROOT = Path(__file__).resolve().parent.parent
PLAN_TEMPLATE = "kh_ubnd.docx"
APPENDIX_TEMPLATE = "phu_luc/phu_luc.docx"


def tasks(inputs):
    plan = plan_build(inputs)
    return plan, [task_of(plan, g) for g in groups(plan, list(range(len(plan))))]


def made(templates: Path, all_tasks, direct: bool) -> dict[int, bytes]:
    out: dict[int, bytes] = {}
    for task in all_tasks:
        out.update(render_group(templates, task, direct=direct))
    return out


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def edit_template(path: Path, name: str, change) -> None:
    """Rewrite one part of a template in place (the other entries as they were)."""
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            if info.filename == name:
                new = change(data.decode("utf-8"))
                assert new != data.decode("utf-8"), f"the edit of {name} changed nothing"
                data = new.encode("utf-8")
            z.writestr(info, data)
    path.write_bytes(buf.getvalue())


@pytest.fixture
def templates(tmp_path):
    dst = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", dst)
    return dst


def test_every_bundled_document_is_made_directly_and_is_what_the_libraries_make(inputs):
    plan, all_tasks = tasks(inputs)
    templates = ROOT / "templates"
    assert all(_render_direct(templates, t) is not None for t in all_tasks)  # no group fell back
    direct, libraries = made(templates, all_tasks, True), made(templates, all_tasks, False)
    assert sorted(direct) == list(range(len(plan)))
    assert [plan[i].path for i in direct if direct[i] != libraries[i]] == []
    for i, data in direct.items():  # and what is committed
        assert (ROOT / "outputs" / plan[i].path).read_bytes() == data, plan[i].path


def compare(inputs, templates: Path) -> tuple[list, dict[int, bytes]]:
    plan, all_tasks = tasks(inputs)
    direct, libraries = made(templates, all_tasks, True), made(templates, all_tasks, False)
    assert [plan[i].path for i in libraries if direct[i] != libraries[i]] == []
    return plan, libraries


def test_a_header_with_a_jinja_tag_is_rendered_for_each_document(inputs, templates):
    edit_template(templates / PLAN_TEMPLATE, "word/header2.xml",
                  lambda x: x.replace("</w:p></w:hdr>", "<w:r><w:t>{{ doc.type_name }}</w:t></w:r></w:p></w:hdr>"))
    plan, docs = compare(inputs, templates)
    headers = {i: part(d, "word/header2.xml") for i, d in docs.items() if plan[i].body.template == PLAN_TEMPLATE}
    assert "KẾ HOẠCH" in headers[0]  # the plan's type in its own header
    assert any("BÁO CÁO" in h for h in headers.values())  # and a report's in a report's


def test_an_appended_numbered_paragraph_gets_the_numbering_docxcompose_gives_it(inputs, templates):
    edit_template(templates / APPENDIX_TEMPLATE, "word/document.xml",
                  lambda x: x.replace('<w:pStyle w:val="VBAppendixTitle"/>',
                                      '<w:pStyle w:val="VBAppendixTitle"/><w:numPr><w:ilvl w:val="0"/>'
                                      '<w:numId w:val="1"/></w:numPr>', 1))
    plan, docs = compare(inputs, templates)
    template_nums = re.findall(r'<w:num w:numId="', part((templates / PLAN_TEMPLATE).read_bytes(), "word/numbering.xml"))
    assert len(re.findall(r'<w:num w:numId="', part(docs[0], "word/numbering.xml"))) > len(template_nums)


def test_a_style_only_the_appendix_has_is_copied_into_the_plan(inputs, templates):
    extra = ('<w:style w:type="paragraph" w:customStyle="1" w:styleId="VBExtraRef"><w:name w:val="VB Extra Ref"/>'
             '<w:basedOn w:val="Normal"/><w:rPr><w:i/></w:rPr></w:style>')
    edit_template(templates / APPENDIX_TEMPLATE, "word/styles.xml", lambda x: x.replace("</w:styles>", extra + "</w:styles>"))
    edit_template(templates / APPENDIX_TEMPLATE, "word/document.xml",
                  lambda x: x.replace('<w:pStyle w:val="VBAppendixRef"/>', '<w:pStyle w:val="VBExtraRef"/>', 1))
    plan, docs = compare(inputs, templates)
    assert 'w:styleId="VBExtraRef"' in part(docs[0], "word/styles.xml")  # the plan took the appendix's style
    assert 'w:styleId="VBExtraRef"' not in part((templates / PLAN_TEMPLATE).read_bytes(), "word/styles.xml")


def test_bookmarks_in_the_plan_are_renumbered_as_docxcompose_renumbers_them(inputs, templates):
    edit_template(templates / PLAN_TEMPLATE, "word/document.xml",
                  lambda x: x.replace('<w:pStyle w:val="VBNation"/></w:pPr>', '<w:pStyle w:val="VBNation"/></w:pPr>'
                                      '<w:bookmarkStart w:id="41" w:name="dau"/><w:bookmarkEnd w:id="41"/>', 1))
    plan, docs = compare(inputs, templates)
    assert '<w:bookmarkStart w:id="0" w:name="dau"/>' in part(docs[0], "word/document.xml")  # 41 → 0
    sub = next(i for i, p in enumerate(plan) if p.body.template == PLAN_TEMPLATE and not p.appended)
    assert '<w:bookmarkStart w:id="41" w:name="dau"/>' in part(docs[sub], "word/document.xml")  # nothing appended


def test_tabs_and_line_breaks_in_the_data_become_words_elements_as_docxtpl_makes_them(inputs):
    plan, all_tasks = tasks(inputs)
    (head, job), shares = all_tasks[0]
    context = copy.deepcopy(job.body[1])
    context["doc"]["summary"] = "Cải cách hành chính\tnăm 2025\ndòng hai"
    appendix = copy.deepcopy(job.appended[0][1])
    appendix["app"]["title"] = "Nhiệm vụ\nthứ hai"
    task = ((head, type(job)(job.title, job.author, job.date, (job.body[0], context),
                             ((job.appended[0][0], appendix),))), {})
    direct = render_group(ROOT / "templates", task, direct=True)
    assert direct == render_group(ROOT / "templates", task, direct=False)
    body = part(direct[0][1], "word/document.xml")
    assert "<w:tab/>" in body and "<w:br/>" in body and "dòng hai" in body and "thứ hai" in body


def test_a_template_edited_between_two_renders_is_read_again(inputs, templates):
    import os

    plan, all_tasks = tasks(inputs)
    first = made(templates, all_tasks[:1], True)
    edit_template(templates / APPENDIX_TEMPLATE, "word/document.xml",
                  lambda x: x.replace('<w:pStyle w:val="VBAppendixRef"/>', '<w:pStyle w:val="VBAppendixTitle"/>', 1))
    path = templates / APPENDIX_TEMPLATE
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))  # a later save, whatever the clock
    again = made(templates, all_tasks[:1], True)
    assert again == made(templates, all_tasks[:1], False)
    assert again[0] != first[0]


def test_the_listing_rewrite_is_docxtpls_own_wherever_a_text_holds_a_tab_or_break():
    """render._Template.resolve_listing gives docxtpl's own resolve_listing only the paragraphs that need
    it; the result must be docxtpl's on the whole XML."""
    import random

    from docxtpl import DocxTemplate

    from pipeline.render.template import _Template

    xml = part((ROOT / "outputs" / "ke-hoach-cchc.docx").read_bytes(), "word/document.xml")
    body = xml[xml.index("<w:body>"):xml.index("</w:body>") + len("</w:body>")]
    texts = [m.end() for m in re.finditer(r"<w:t(?: [^>]*)?>", body)]
    assert len(texts) > 200
    tpl = _Template.__new__(_Template)  # the rewrite uses no state of the template
    rng = random.Random(2020)
    for n in (0, 1, 3, 40):
        for _ in range(5):
            at = sorted(rng.sample(texts, n))
            marked = "".join(body[a:b] + rng.choice("\t\n\a\f") for a, b in zip([0, *at], at)) + body[at[-1]:] \
                if at else body
            marked = marked.replace("</w:p><w:p>", "</w:p>\n<w:p>", 3)  # and newlines between elements
            assert tpl.resolve_listing(marked) == DocxTemplate.resolve_listing(tpl, marked)
            if n:
                assert tpl.resolve_listing(marked) != marked  # something was rewritten


@pytest.mark.parametrize("old, new", [("word/document.xml", "word/document2.xml"),  # Word for the web
                                      ("docProps/core.xml", "docProps/core1.xml")])
def test_a_template_whose_parts_have_other_names_renders_into_them(inputs, templates, old, new):
    from tests.test_part_names import renamed

    for name in (PLAN_TEMPLATE, APPENDIX_TEMPLATE):
        path = templates / name
        path.write_bytes(renamed(path.read_bytes(), {old: new}))
    plan, docs = compare(inputs, templates)
    with zipfile.ZipFile(io.BytesIO(docs[0])) as z:
        assert new in z.namelist() and old not in z.namelist()
    main = "word/document2.xml" if old.startswith("word/") else "word/document.xml"
    text = part(docs[0], main)
    assert "{{" not in text and "Xuân Bình" in text  # the rendered plan, not the template
