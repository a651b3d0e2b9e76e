"""Editor support: JSON Schemas of the inputs, and the modelines that point at them."""

from __future__ import annotations

import glob
import json

import yaml
from jsonschema import Draft202012Validator

from pipeline.inputs.schema import FILES, SCHEMAS, modeline, schema_bytes
from tests.conftest import INPUTS, ROOT


def test_committed_schemas_are_up_to_date():
    for name in SCHEMAS:
        path = ROOT / "schema" / f"{name}.schema.json"
        assert path.read_bytes() == schema_bytes(name), f"run 'vanban schema' ({name})"


def test_every_input_file_carries_its_modeline_and_validates():
    count = 0
    for pattern, name in FILES.items():
        validator = Draft202012Validator(json.loads((ROOT / "schema" / f"{name}.schema.json").read_text()))
        for path in sorted(glob.glob(str(INPUTS / pattern))):
            text = open(path, encoding="utf-8").read()
            assert text.splitlines()[0] == modeline(pattern), path
            data = json.loads(json.dumps(yaml.safe_load(text), default=str))
            assert not list(validator.iter_errors(data)), path
            count += 1
    assert count >= 13


def test_schema_rejects_a_typo_the_editor_should_underline():
    validator = Draft202012Validator(json.loads((ROOT / "schema" / "plan.schema.json").read_text()))
    data = json.loads(json.dumps(yaml.safe_load((INPUTS / "plan.yaml").read_text(encoding="utf-8")), default=str))
    data["sumary"] = data.pop("summary")
    messages = [e.message for e in validator.iter_errors(data)]
    assert any("sumary" in msg for msg in messages) and any("summary" in msg for msg in messages)


def test_the_schema_command_writes_the_committed_schemas(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    result = CliRunner().invoke(main, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{name}.schema.json" for name in SCHEMAS)
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (ROOT / "schema" / path.name).read_bytes(), path.name
