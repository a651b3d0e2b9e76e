"""Keys that an older vanban read and this one does not: a warning for each, where it is written.

A model that dropped a key lists it in its ``OBSOLETE`` (``fields.HasObsolete``): a file that still
has the key loads as if it were not there, and ``obsolete_fields`` finds it in the loaded data, by
walking each file as its model reads it, so that the office can delete it.
"""

from __future__ import annotations

import types
from functools import lru_cache
from typing import Annotated, Any, Iterator, Union, get_args, get_origin

from pydantic import BaseModel

from pipeline.errors import InputIssue
from pipeline.inputs.load import SourceMap, format_path
from pipeline.inputs.validate import MODELS
from pipeline.inputs.validated import Inputs

RULE = "obsolete-field"


def obsolete_fields(inputs: Inputs) -> list[InputIssue]:
    """A warning for every obsolete key in the input files, naming file, line and field."""
    out: list[InputIssue] = []
    for key, data in inputs.raw.items():
        out += obsolete_in(MODELS[key.split("/")[0]], data, inputs.sources[key])
    return out


def obsolete_in(model: type[BaseModel], data: Any, source: SourceMap) -> list[InputIssue]:
    """The warnings for one file's loaded ``data``, read as ``model``."""
    out = []
    for path, why in _found(model, data, ()):
        line, column = source.locate(path)
        out.append(InputIssue(source.file, line, column, format_path(path),
                              f"trường '{path[-1]}' không còn dùng, có thể xóa: {why}",
                              severity="warning", rule=RULE, fix=f"xóa trường '{path[-1]}' (cả các dòng con của nó)"))
    return out


def _found(model: type[BaseModel], data: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if not isinstance(data, dict):
        return
    obsolete = getattr(model, "OBSOLETE", {})
    walked = _walked(model)
    for key, value in data.items():
        if key in obsolete:
            yield path + (key,), obsolete[key]
        elif key in walked:
            for inner, item, where in _held(walked[key], value, path + (key,)):
                yield from _found(inner, item, where)


def _held(annotation: Any, value: Any, path: tuple) -> Iterator[tuple[type[BaseModel], Any, tuple]]:
    """(model, data, path) of each model that ``value`` holds, as ``annotation`` reads it.

    A union of several kinds (a body item: a paragraph, a clause …) is not followed: none has an
    obsolete key (tests/test_input_fields.py holds it so)."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        yield from _held(args[0], value, path)
    elif origin is list and isinstance(value, list):
        for i, item in enumerate(value):
            yield from _held(args[0], item, path + (i,))
    elif origin is dict and isinstance(value, dict):
        for key, item in value.items():
            yield from _held(args[1], item, path + (key,))
    elif origin in (Union, types.UnionType):
        kinds = [a for a in args if a is not type(None)]
        if len(kinds) == 1:
            yield from _held(kinds[0], value, path)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, value, path


@lru_cache(maxsize=None)
def _walked(model: type[BaseModel]) -> dict[str, Any]:
    """The fields of ``model`` that lead to a model with obsolete keys (most lead to none)."""
    return {name: field.annotation for name, field in model.model_fields.items()
            if any(_reaches(inner) for inner in models_in(field.annotation))}


@lru_cache(maxsize=None)
def _reaches(model: type[BaseModel]) -> bool:
    return bool(getattr(model, "OBSOLETE", {})) or bool(_walked(model))


def models_in(annotation: Any) -> set[type[BaseModel]]:
    """The models an annotation names, through lists, mappings, optionals and ``Annotated``; a union of
    several kinds (whose members are not followed by ``_held``) gives none."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return models_in(args[0])
    if origin is list:
        return models_in(args[0])
    if origin is dict:
        return models_in(args[1])
    if origin in (Union, types.UnionType):
        kinds = [a for a in args if a is not type(None)]
        return models_in(kinds[0]) if len(kinds) == 1 else set()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {annotation}
    return set()
