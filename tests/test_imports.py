"""The package's shape, read from the source with ``ast``: its folders are the stages of
``pipeline/__init__.py``'s ``STAGES``, no stage imports a later one, no module imports itself round
a circle (imports inside functions and under TYPE_CHECKING count too), and no module, function or
class grows past the size a reader can hold (issue 26)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
STAGES = ast.literal_eval(next(  # read, not imported: the order is pipeline/__init__.py's STAGES
    node.value for node in ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8")).body
    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "STAGES"))
RANK = {name: i for i, name in enumerate(STAGES)}

MAX_TOP_LEVEL_MODULES = 12
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60
MAX_CLASS_LINES = 250


def _files(package: Path = PACKAGE) -> list[Path]:
    return sorted(p for p in package.rglob("*.py") if not {"data", "__pycache__"} & set(p.relative_to(package).parts))


def _module(path: Path, package: Path) -> str:
    """``path``'s dotted name inside the package: ``render.pool``, ``cli``; a package is its folder."""
    parts = path.relative_to(package).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules ``path`` imports, wherever the import statement is: ``from pipeline.a
    import b`` is ``a.b`` when that is a module, else ``a``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and (node.module + ".").startswith("pipeline."):
            base = node.module[len("pipeline."):]
            for alias in node.names:
                name = f"{base}.{alias.name}".lstrip(".")
                found.add(name if name in modules else base)
        elif isinstance(node, ast.Import):
            found |= {a.name[len("pipeline."):] for a in node.names if a.name.startswith("pipeline.")}
    return found & modules


def module_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Each module → the package's modules it imports (a package's ``__init__`` is its folder's name)."""
    files = _files(package)
    modules = {_module(p, package) for p in files}
    return {_module(p, package): _imports(p, modules) - {_module(p, package)} for p in files}


def stage_of(module: str) -> str:
    return module.split(".")[0]


def stage_graph(g: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for mod, deps in g.items():
        out.setdefault(stage_of(mod), set()).update(stage_of(d) for d in deps)
    return {s: deps - {s} for s, deps in out.items()}


def backward(g: dict[str, set[str]], rank: dict[str, int] = RANK) -> list[tuple[str, str]]:
    """(stage, stage it imports) where the import reaches a later stage."""
    return sorted((s, dep) for s, deps in stage_graph(g).items() for dep in deps
                  if "__init__" not in (s, dep) and rank[dep] > rank[s])


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


def test_every_folder_and_top_level_module_is_a_stage():
    stages = {stage_of(m) for m in module_graph()} - {"__init__"}
    assert stages == set(STAGES)


def test_no_stage_imports_a_later_stage():
    assert backward(module_graph()) == []


def test_no_import_circles_between_modules():
    assert circles(module_graph()) == []


def test_a_circle_and_a_backward_import_are_found(tmp_path):
    """The checks above on a made-up package: inputs imports render at module level, render imports
    inputs inside a function."""
    for folder in ("inputs", "render", "docread"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "inputs" / "validate.py").write_text("from pipeline.render.template import x\n", encoding="utf-8")
    (tmp_path / "render" / "template.py").write_text("def f():\n    from pipeline.inputs import validate\n",
                                                     encoding="utf-8")
    (tmp_path / "docread" / "parts.py").write_text("import pipeline.inputs.validate\n", encoding="utf-8")
    g = module_graph(tmp_path)
    assert g["inputs.validate"] == {"render.template"}
    assert g["render.template"] == {"inputs.validate"}
    assert g["docread.parts"] == {"inputs.validate"}
    assert backward(g, {"__init__": 0, "inputs": 1, "render": 2, "docread": 3}) == [("inputs", "render")]
    assert circles(g) == [["inputs.validate", "render.template", "inputs.validate"]]


def _sizes(package: Path = PACKAGE) -> list[tuple[str, str, int, int]]:
    """(file, what, lines, limit) of every module, function and class over its limit."""
    over = []
    for path in _files(package):
        rel = path.relative_to(package).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            over.append((rel, "module", lines, MAX_MODULE_LINES))
        for node in ast.walk(ast.parse(text)):
            size = (node.end_lineno or node.lineno) - node.lineno + 1 if hasattr(node, "end_lineno") else 0
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and size > MAX_FUNCTION_LINES:
                over.append((rel, f"def {node.name}", size, MAX_FUNCTION_LINES))
            elif isinstance(node, ast.ClassDef) and size > MAX_CLASS_LINES:
                over.append((rel, f"class {node.name}", size, MAX_CLASS_LINES))
    return over


def test_no_module_function_or_class_is_over_its_size():
    assert _sizes() == []


def test_at_most_twelve_modules_directly_in_the_package():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_sizes_are_measured(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    (tmp_path / "big.py").write_text(f"def long():\n{body}\n\n\ndef short():\n    pass\n", encoding="utf-8")
    assert _sizes(tmp_path) == [("big.py", "def long", MAX_FUNCTION_LINES + 1, MAX_FUNCTION_LINES)]
