"""The package's import graph, read from the source with ``ast``: no circles, and no stage
importing a later stage (imports inside functions and under TYPE_CHECKING count too)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"

# The stages in the order a build runs them; a module may import its own stage and earlier ones.
# A sub-package (pipeline/docread/, pipeline/importer/) counts as one module, named by its folder.
STAGES = [
    ("rules", {"rules"}),
    ("base", {"__init__", "xmlns", "ooxml", "safezip", "pairing", "errors", "textutil", "paths", "wml", "nd30",
              "model", "deadlines", "periods"}),
    ("load", {"load"}),
    ("validate", {"inputs", "refs", "messages", "crossrefs", "links", "validate"}),
    ("lint", {"lint"}),
    ("plan", {"reports", "context", "report_context", "plan"}),
    ("render", {"render"}),
    ("compose", {"compose"}),
    ("write", {"write", "manifest"}),
    ("pdf", {"pdf"}),
    ("run", {"build", "batch", "i18n", "cli", "__main__"}),
    ("tools", {"agenda", "check", "docread", "textconv", "gitdiff", "redline", "scaffold", "commune_folder",
               "schema", "importer"}),
]
RANK = {mod: i for i, (_, mods) in enumerate(STAGES) for mod in mods}


def _node(path: Path) -> str:
    """The module a file belongs to: its stem, or its sub-package's folder."""
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> set[str]:
    """The package modules (top level) ``path`` imports, wherever the import statement is."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "pipeline":
                found |= {a.name for a in node.names}
            elif node.module.startswith("pipeline."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("pipeline.")}
    return found


def graph() -> dict[str, set[str]]:
    files = [p for p in PACKAGE.rglob("*.py") if "data" not in p.relative_to(PACKAGE).parts]
    nodes = {_node(p) for p in files}
    out: dict[str, set[str]] = {n: set() for n in nodes}
    for p in files:
        out[_node(p)] |= (_imports(p) & nodes) - {_node(p)}
    return out


def test_every_module_has_a_stage():
    assert set(graph()) - set(RANK) == set()


def test_no_stage_imports_a_later_stage():
    late = sorted((mod, dep) for mod, deps in graph().items() for dep in deps
                  if dep != "__init__" and RANK[dep] > RANK[mod])
    assert late == []


def test_no_import_circles():
    g = graph()
    circles = []

    def visit(mod: str, path: list[str]) -> None:
        for dep in sorted(g[mod]):
            if dep in path:
                circles.append(path[path.index(dep):] + [dep])
            elif dep not in done:
                visit(dep, path + [dep])
        done.add(mod)

    done: set[str] = set()
    for mod in sorted(g):
        if mod not in done:
            visit(mod, [mod])
    assert circles == []


def test_the_reader_finds_a_circle_and_a_backward_import(tmp_path):
    """The test above would see a circle: a module importing itself through another is listed."""
    (tmp_path / "a.py").write_text("from pipeline.b import x\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def f():\n    from pipeline import a\n", encoding="utf-8")
    assert _imports(tmp_path / "a.py") == {"b"}
    assert _imports(tmp_path / "b.py") == {"a"}
