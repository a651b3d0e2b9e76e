"""JSON Schemas of the input files, for editors (written by ``vanban schema``).

The input files start with a yaml-language-server modeline pointing at these
schemas, so VS Code (with the YAML extension) completes field names and
underlines mistakes while the office types. The command itself is
``pipeline/commands/schema.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from pipeline.inputs import model as m

SCHEMAS: dict[str, type[BaseModel]] = {
    "commune": m.Commune,
    "plan": m.Plan,
    "appendices": m.Appendices,
    "subplan": m.SubPlan,
    "report": m.ReportKind,
    "progress": m.Progress,
    "criteria": m.CriteriaSet,
}
# which schema each input file uses (relative to the inputs folder)
FILES = {
    "commune.yaml": "commune", "plan.yaml": "plan", "appendices.yaml": "appendices",
    "subplans/*.yaml": "subplan", "reports/*.yaml": "report", "progress/*.yaml": "progress",
    "criteria/*.yaml": "criteria",
}


def schema_bytes(name: str) -> bytes:
    data = SCHEMAS[name].model_json_schema(mode="validation")
    if '"x-ref"' in json.dumps(data):  # model.Deadline: a single part or a list of parts
        part = m.DeadlinePart.model_json_schema(mode="validation")
        data.setdefault("$defs", {}).update(part.pop("$defs", {}))
        data["$defs"]["DeadlinePart"] = part
        data = _refs(data)
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    data["title"] = f"vanban: {name}"
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _refs(node):
    if isinstance(node, dict):
        if set(node) == {"x-ref"}:
            return {"$ref": f"#/$defs/{node['x-ref']}"}
        return {k: _refs(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_refs(v) for v in node]
    return node


def modeline(file_pattern: str, schema_dir: str = "../schema") -> str:
    depth = file_pattern.count("/")
    prefix = "../" * depth
    return f"# yaml-language-server: $schema={prefix}{schema_dir}/{FILES[file_pattern]}.schema.json"


def write_schemas(out: Path) -> list[Path]:
    from pipeline.ooxml.package import atomic_write

    written = []
    for name in SCHEMAS:
        path = Path(out) / f"{name}.schema.json"
        data = schema_bytes(name)
        if not (path.exists() and path.read_bytes() == data):
            atomic_write(path, data)
        written.append(path)
    return written

