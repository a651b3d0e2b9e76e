"""The templates are made from the rules: regenerating them gives the committed bytes, and a
changed chosen value in ``pipeline/decree/rules.py`` changes what a build produces.

Expected values below are typed from the decree (docs/nd30.md) or from the changed value the
test itself sets, never read back from the generator.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import io
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from pipeline.decree import rules

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


def _tool():
    spec = importlib.util.spec_from_file_location("make_templates", ROOT / "tools" / "make_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _relative(paths: list[Path], base: Path) -> list[str]:
    return sorted(p.relative_to(base).as_posix() for p in paths)


def test_regenerated_templates_equal_the_committed_ones_byte_for_byte(tmp_path):
    written = _tool().write_templates(tmp_path)
    committed = [p for p in TEMPLATES.rglob("*.docx")]
    assert _relative(written, tmp_path) == _relative(committed, TEMPLATES)
    for path in written:
        rel = path.relative_to(tmp_path)
        assert path.read_bytes() == (TEMPLATES / rel).read_bytes(), (
            f"templates/{rel.as_posix()} differs from what the rules give: run python tools/make_templates.py")


def _other_value(r: rules.Rule) -> float:
    """A value different from the chosen one: inside the decree's range when it allows one."""
    if r.allowed:
        return next(a for a in r.allowed if a != r.chosen)
    if r.lo != r.chosen:
        return r.lo
    if r.hi != r.chosen and r.hi < 1e6:
        return r.hi
    return r.chosen + (57 if r.unit == "twips" else -0.1 if r.unit == "fraction" else 1)


def _with(monkeypatch, key: str, value: float) -> None:
    monkeypatch.setitem(rules.RULES, key, dataclasses.replace(rules.RULES[key], chosen=value))


def _plan_and_appendix(inputs, templates: Path) -> list[bytes]:
    """The plan (without its appendices) and its first appendix, rendered from ``templates``."""
    from pipeline.plan.context import appendix_context, document_context
    from pipeline.paths import APPENDIX_TEMPLATE, PLAN_TEMPLATE
    from pipeline.inputs.textrefs import Refs
    from pipeline.render.template import render
    from pipeline.ooxml.package import docx_bytes

    refs = Refs(inputs)
    return [docx_bytes(render(templates / PLAN_TEMPLATE, document_context(refs, inputs.plan))),
            docx_bytes(render(templates / APPENDIX_TEMPLATE, appendix_context(refs, 0)))]


@pytest.fixture(scope="module")
def as_committed(inputs):
    return _plan_and_appendix(inputs, TEMPLATES)


@pytest.mark.parametrize("key", sorted(k for k, r in rules.RULES.items() if r.generated))
def test_every_chosen_value_reaches_the_documents(key, inputs, as_committed, tmp_path, monkeypatch):
    _with(monkeypatch, key, _other_value(rules.RULES[key]))
    _tool().write_templates(tmp_path)
    assert _plan_and_appendix(inputs, tmp_path) != as_committed, f"changing {key} changes nothing"


def _style_size(doc, style_id: str) -> float:
    st = doc.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
    return int(st.find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val"))) / 2


def _build_into(tmp_path: Path, inputs_dir: Path) -> dict[str, bytes]:
    from pipeline.build.run import build_documents
    from pipeline.inputs.validate import load_inputs
    from pipeline.output.commit import write_outputs

    built = build_documents(load_inputs(inputs_dir))  # uses tmp_path/templates, beside the inputs
    write_outputs(built, tmp_path / "outputs")
    return {b.path: (tmp_path / "outputs" / b.path).read_bytes() for b in built}


def test_body_size_13_instead_of_14_is_what_a_build_prints(inputs_copy, tmp_path, monkeypatch, built):
    _with(monkeypatch, "size.body", 13)  # §4 allows 13–14 pt
    _tool().write_templates(tmp_path / "templates")
    out = _build_into(tmp_path, inputs_copy)
    plan = next(p for p in out if "/" not in p)
    assert out[plan] != built[plan].data
    assert _style_size(Document(io.BytesIO(out[plan])), "VBBody") == 13
    assert _style_size(Document(io.BytesIO(built[plan].data)), "VBBody") == 14


def test_left_margin_35_mm_is_what_a_build_prints(inputs_copy, tmp_path, monkeypatch, built):
    _with(monkeypatch, "margin.left", rules.mm(35))  # §1 allows 30–35 mm
    _tool().write_templates(tmp_path / "templates")
    out = _build_into(tmp_path, inputs_copy)
    for rel, data in out.items():
        assert data != built[rel].data, rel
        for section in Document(io.BytesIO(data)).sections:
            assert section.left_margin.twips == 1985  # 35 mm, in twips rounded up
    plan = Document(io.BytesIO(out[next(p for p in out if "/" not in p)]))
    grid = [int(c.get(qn("w:w"))) for c in plan.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(grid) == 11906 - 1985 - 851  # the header block spans the narrower text column
