"""The validated inputs: a container whose attributes are all declared."""

from __future__ import annotations

import pytest

from pipeline.inputs.textrefs import Refs


def test_inputs_take_no_undeclared_attribute(inputs):
    with pytest.raises(AttributeError):
        inputs.subplan_kyes = []  # a typo would otherwise become a silent new attribute


def test_a_short_document_reference_is_type_and_number(inputs):
    """{vb:…:so} cites type and number only; a draft's number is left blank for the register."""
    refs = Refs(inputs)
    assert refs.text(f"{{vb:{inputs.plan.id}:so}}") == "Kế hoạch số      /KH-UBND"
    assert refs.text(f"{{vb:{inputs.plan.id}}}").startswith(
        "Kế hoạch số      /KH-UBND ngày      tháng 7 năm 2025 của Ủy ban nhân dân xã Xuân Bình về ")


def test_the_model_module_offers_every_model_of_the_schema():
    """``model`` is the one import point: every model of the schema's modules is reachable as ``m.X``
    (callers use it so; the messages' list of field names, for typo hints, is read from it)."""
    from pydantic import BaseModel

    from pipeline.inputs import commune, criteria, document, fields, model, reporting, tasks

    for module in (fields, commune, document, tasks, criteria, reporting):
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
                assert getattr(model, name, None) is value, f"model.{name} ({module.__name__})"
