"""The README and docs/ name only code that exists: every ``pipeline/…`` path, and every dotted
name that starts with a stage of the package (``render.keys.document_keys``, ``cli.run``) names a
module, and a function, class or constant defined in it. A move or a rename that forgets the
documentation fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pipeline"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PATH_RE = re.compile(r"\bpipeline/[\w/]+(?:\.\w+)?/?")
DOTTED_RE = re.compile(r"`(?:pipeline\.)?([a-z_]+(?:\.[A-Za-z_]\w*)+)(?:\(\))?`")
FILE_ENDINGS = {"py", "yaml", "json", "md", "txt", "docx", "doc", "pdf", "po", "mo"}
NOT_CODE = {"ooxml.schema"}  # a rule id that `vanban check` prints, not a module
INSTALLED_ONLY = ("pipeline/templates", "pipeline/schemas")  # where the wheel maps templates/ and schema/


def _stages() -> set[str]:
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    return set(next(ast.literal_eval(n.value) for n in tree.body
                    if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "STAGES"))


def _defined(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            names.add(node.name)
            if isinstance(node, ast.ClassDef):  # methods and class attributes: Prototype.compile
                names |= {f"{node.name}.{n.name}" for n in node.body
                          if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def resolve(dotted: str) -> bool:
    """Is ``dotted`` (``stage[.module…][.name[.member]]``) something the package defines?"""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        base = PACKAGE.joinpath(*parts[:cut])
        module = base.with_suffix(".py") if base.with_suffix(".py").is_file() else base / "__init__.py"
        if module.is_file():
            rest = ".".join(parts[cut:])
            return not rest or rest in _defined(module) or ((base / rest.split(".")[0]).with_suffix(".py")).is_file()
    return False


def _modules() -> dict[str, str]:
    """Module names that are unique in the package (``compose`` → ``render.compose``): the docs may
    name a function by its module alone."""
    found: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).with_suffix("")
        if rel.name != "__init__" and "data" not in rel.parts:
            found.setdefault(rel.name, []).append(".".join(rel.parts))
    return {name: paths[0] for name, paths in found.items() if len(paths) == 1}


def references(text: str) -> tuple[list[str], list[str]]:
    stages, modules = _stages(), _modules()
    paths = sorted(set(PATH_RE.findall(text)))
    dotted = sorted({m if m.split(".")[0] in stages else f"{modules[m.split('.')[0]]}{m[m.index('.'):]}"
                     for m in DOTTED_RE.findall(text)
                     if (m.split(".")[0] in stages or m.split(".")[0] in modules)
                     and m.rsplit(".", 1)[1] not in FILE_ENDINGS and m not in NOT_CODE})
    paths = [p for p in paths if not p.startswith(INSTALLED_ONLY)]
    return paths, dotted


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_path_and_name_a_document_gives_exists(doc):
    paths, dotted = references(doc.read_text(encoding="utf-8"))
    assert [p for p in paths if not (ROOT / p.rstrip("/")).exists()] == []
    assert [d for d in dotted if not resolve(d)] == []


def test_a_stale_name_is_found():
    paths, dotted = references("see `pipeline/workers.py` and `render.keys.no_such_thing`, "
                               "`render.keys.document_keys` and `cli.run`")
    assert [p for p in paths if not (ROOT / p).exists()] == ["pipeline/workers.py"]
    assert [d for d in dotted if not resolve(d)] == ["render.keys.no_such_thing"]
