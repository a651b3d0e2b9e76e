"""The package's import graph, read from the source with ``ast``: no circles, and no stage
importing a later stage (imports inside functions and under TYPE_CHECKING count too)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"

# The stages in the order a build runs them; a module may import its own stage and earlier ones.
# A sub-package (pipeline/docread/, pipeline/importer/) counts as one module, named by its folder.
STAGES = [
    ("rules", {"rules", "metrics"}),
    ("base", {"__init__", "xmlns", "ooxml", "safezip", "pairing", "errors", "textutil", "paths", "wml", "nd30",
              "model", "deadlines", "periods", "shares"}),
    ("load", {"load"}),
    ("validate", {"inputs", "refs", "messages", "crossrefs", "kinds_check", "links", "validate"}),
    ("lint", {"lint"}),
    ("plan", {"reports", "report_kinds", "selfassess", "report_body", "context", "report_context", "plan"}),
    ("render", {"render"}),
    ("compose", {"compose"}),
    ("write", {"write", "manifest", "commit"}),
    ("pdf", {"pdf"}),
    ("run", {"incremental", "workers", "build", "batch", "watch", "i18n", "cli", "__main__"}),
    ("tools", {"agenda", "check", "docread", "textconv", "gitdiff", "redline", "scaffold", "commune_folder",
               "schema", "importer"}),
]
RANK = {mod: i for i, (_, mods) in enumerate(STAGES) for mod in mods}


def _node(path: Path, package: Path = PACKAGE) -> str:
    """The module a file belongs to: its stem, or its sub-package's folder."""
    rel = path.relative_to(package)
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


def graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    files = [p for p in package.rglob("*.py") if "data" not in p.relative_to(package).parts]
    nodes = {_node(p, package) for p in files}
    out: dict[str, set[str]] = {n: set() for n in nodes}
    for p in files:
        out[_node(p, package)] |= (_imports(p) & nodes) - {_node(p, package)}
    return out


def backward(g: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(module, what it imports) where the import reaches a later stage."""
    return sorted((mod, dep) for mod, deps in g.items() for dep in deps
                  if dep != "__init__" and RANK[dep] > RANK[mod])


def circles(g: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    done: set[str] = set()

    def visit(mod: str, path: list[str]) -> None:
        for dep in sorted(g[mod]):
            if dep in path:
                found.append(path[path.index(dep):] + [dep])
            elif dep not in done:
                visit(dep, path + [dep])
        done.add(mod)

    for mod in sorted(g):
        if mod not in done:
            visit(mod, [mod])
    return found


def test_every_module_has_a_stage():
    assert set(graph()) - set(RANK) == set()


def test_no_stage_imports_a_later_stage():
    assert backward(graph()) == []


def test_no_import_circles():
    assert circles(graph()) == []


def test_a_circle_and_a_backward_import_are_found(tmp_path):
    """The checks above on a made-up package: validate imports render at module level, render
    imports validate inside a function, a sub-package imports validate."""
    (tmp_path / "validate.py").write_text("from pipeline.render import x\n", encoding="utf-8")
    (tmp_path / "render.py").write_text("def f():\n    from pipeline import validate\n", encoding="utf-8")
    (tmp_path / "docread").mkdir()
    (tmp_path / "docread" / "parts.py").write_text("import pipeline.validate\n", encoding="utf-8")
    g = graph(tmp_path)
    assert g == {"validate": {"render"}, "render": {"validate"}, "docread": {"validate"}}
    assert backward(g) == [("validate", "render")]
    assert circles(g) == [["validate", "render", "validate"]]
