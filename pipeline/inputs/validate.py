"""Validate the inputs against the schema and each other.

``load_inputs(dir)`` finds every input file (``discover``), validates each with
its pydantic model (messages in ``messages``), checks the references between
files (``crossfile``) and fills each sub-plan from the task that orders it
(``links``). All problems are collected and raised together as
``InputErrors``, each located by file, line, column and field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from pipeline.inputs import model as m
from pipeline.inputs.crossfile import check_references
from pipeline.errors import InputErrors, InputIssue
from pipeline.inputs.validated import Inputs
from pipeline.inputs.ordering import resolve_subplan
from pipeline.inputs import files
from pipeline.inputs.files import (
    CRITERIA_DIR,
    ITEM_FOLDERS,
    PROGRESS_DIR,
    REPORTS_DIR,
    REQUIRED_FILES,
    SUBPLANS_DIR,
    display_name,
)
from pipeline.inputs.load import load_yaml
from pipeline.inputs.messages import issues_from_validation

_M = TypeVar("_M", bound=BaseModel)

# each input file's model, by its key (a folder's files by the folder's name)
MODELS: dict[str, type[BaseModel]] = {
    "commune": m.Commune, "plan": m.Plan, "appendices": m.Appendices,
    SUBPLANS_DIR: m.SubPlan, REPORTS_DIR: m.ReportKind, PROGRESS_DIR: m.Progress, CRITERIA_DIR: m.CriteriaSet,
}


def discover(root: Path) -> list[tuple[str, Path, type[BaseModel]]]:
    """(key, path, model) of every input file under ``root``: the required ones, then each folder's."""
    return [(key, path, MODELS[key.split("/")[0]]) for key, path in files.discover(root).files]


@dataclass
class _Loaded:
    """What reading the files gave: the validated objects and, per file, its source and data."""

    objects: dict[str, BaseModel] = field(default_factory=dict)
    docs: dict[str, tuple] = field(default_factory=dict)  # key -> (YamlDoc, path)
    issues: list[InputIssue] = field(default_factory=list)
    notes: list[InputIssue] = field(default_factory=list)  # warnings about files not read (files.discover)


def _validate_file(root: Path, key: str, path: Path, model: type[BaseModel], loaded: _Loaded) -> None:
    display = display_name(root, path)
    if not path.exists() and not path.is_symlink():
        loaded.issues.append(InputIssue(display, 1, 1, "", f"thiếu tệp đầu vào bắt buộc {path.name}",
                                        rule="missing-file"))
        return
    try:
        doc = load_yaml(path, display, within=root.resolve().parent)
    except InputErrors as exc:
        loaded.issues.extend(exc.issues)
        return
    loaded.docs[key] = (doc, path)
    if doc.data is None or not isinstance(doc.data, dict):
        loaded.issues.append(InputIssue(display, 1, 1, "", "tệp phải là một mục gồm các trường 'khóa: giá trị'"))
        return
    try:
        loaded.objects[key] = model.model_validate(doc.data)
    except ValidationError as exc:
        loaded.issues.extend(issues_from_validation(exc, doc.data, doc.source))


def _as(obj: BaseModel, model: type[_M]) -> _M:
    """``obj`` as the model it was validated with (``MODELS`` gives its file's key)."""
    assert isinstance(obj, model)
    return obj


def _assemble(root: Path, loaded: _Loaded) -> Inputs:
    folder = {name: [k for k in loaded.objects if k.startswith(name + "/")] for name in ITEM_FOLDERS}
    objects = loaded.objects
    return Inputs(
        root=root, commune=_as(objects["commune"], m.Commune), plan=_as(objects["plan"], m.Plan),
        appendices=_as(objects["appendices"], m.Appendices).appendices,
        subplans=[_as(objects[k], m.SubPlan) for k in folder[SUBPLANS_DIR]],
        report_kinds=[_as(objects[k], m.ReportKind) for k in folder[REPORTS_DIR]],
        progress=[_as(objects[k], m.Progress) for k in folder[PROGRESS_DIR]],
        criteria=[_as(objects[k], m.CriteriaSet) for k in folder[CRITERIA_DIR]],
        sources={k: v[0].source for k, v in loaded.docs.items()},
        raw={k: v[0].data for k, v in loaded.docs.items()},
        files={k: v[1] for k, v in loaded.docs.items()},
        subplan_keys=folder[SUBPLANS_DIR], report_keys=folder[REPORTS_DIR], progress_keys=folder[PROGRESS_DIR],
        criteria_keys=folder[CRITERIA_DIR], notes=loaded.notes,
    )


def _no_inputs(root: Path) -> InputErrors:
    """No inputs folder: outside any commune's folder (``paths.not_a_commune``), or a wrong ``--inputs``."""
    from pipeline.errors import NotACommuneFolder
    from pipeline.paths import not_a_commune

    message = not_a_commune(root)
    if message is not None:
        return NotACommuneFolder([InputIssue(str(root), 1, 1, "", message, rule="not-a-commune")])
    return InputErrors([InputIssue(str(root), 1, 1, "", "không có thư mục đầu vào này", rule="missing-file")])


def load_inputs(root: Path) -> Inputs:
    """Load and validate every input under ``root``; raise ``InputErrors`` listing all problems."""
    root = Path(root)
    if not root.is_dir():
        raise _no_inputs(root)
    discovered = files.discover(root)
    loaded = _Loaded(issues=list(discovered.issues), notes=discovered.notes)
    for key, path in discovered.files:
        _validate_file(root, key, path, MODELS[key.split("/")[0]], loaded)
    if loaded.issues or any(key not in loaded.objects for key, _ in REQUIRED_FILES):
        raise InputErrors(loaded.issues + loaded.notes)
    inputs = _assemble(root, loaded)
    issues = check_references(inputs)
    if issues:
        raise InputErrors(issues + inputs.notes)
    resolved = []
    for key, sp in zip(inputs.subplan_keys, inputs.subplans):
        sp, found = resolve_subplan(inputs, key, sp)
        issues.extend(found)
        resolved.append(sp)
    if issues:
        raise InputErrors(issues + inputs.notes)
    return replace(inputs, subplans=resolved)  # its lookups derived again, from the resolved ones
