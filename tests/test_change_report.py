"""The change report classes each spec change as additive or breaking for code that uses the client (oasdiff's
rules as the reference; a value added to a response enum is additive because the client keeps unknown values)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from conformance.spec import load_spec, value_not_in
from scripts.change_report import ADDITIVE, BREAKING, Change, spec_changes

SPEC = load_spec()


def _edited(edit: Any) -> dict[str, Any]:
    spec = copy.deepcopy(SPEC)
    edit(spec["components"]["schemas"])
    return spec


def _only(change_list: list[Change]) -> Change:
    assert len(change_list) == 1, change_list
    return change_list[0]


def test_no_edit_no_change() -> None:
    assert spec_changes(SPEC, copy.deepcopy(SPEC)) == []


@pytest.mark.parametrize("enum", ["Model", "AspectRatio", "GenerationState", "FailureCode"])
def test_a_new_enum_value_is_additive_and_a_removed_one_breaking(enum: str) -> None:
    value = value_not_in(enum)
    added = _edited(lambda schemas: schemas[enum]["enum"].append(value))
    change = _only(spec_changes(SPEC, added))
    assert (change.kind, change.where) == (ADDITIVE, enum) and repr(value) in change.what
    removed = _edited(lambda schemas: schemas[enum]["enum"].pop())
    assert _only(spec_changes(SPEC, removed)).kind == BREAKING


def test_fields_required_nullable_and_limits() -> None:
    def edit(schemas: dict[str, Any]) -> None:
        request, generation = schemas["CreateGenerationRequest"], schemas["Generation"]
        request["properties"]["seed"] = {"type": "integer"}
        generation["properties"]["credits"] = {"type": "integer"}
        request["required"].append("model")
        request["properties"]["prompt"]["maxLength"] -= 1
        generation["required"].remove("model")
        del request["properties"]["user_id"]

    found = {(c.where, c.kind) for c in spec_changes(SPEC, _edited(edit))}
    assert found == {
        ("CreateGenerationRequest.seed", ADDITIVE),
        ("Generation.credits", ADDITIVE),
        ("CreateGenerationRequest.model", BREAKING),  # now required in a request
        ("CreateGenerationRequest.prompt", BREAKING),  # a tighter request limit
        ("Generation.model", BREAKING),  # a response field no longer required
        ("CreateGenerationRequest.user_id", BREAKING),  # removed
    }


def test_statuses_examples_and_rules() -> None:
    spec = copy.deepcopy(SPEC)
    responses = spec["paths"]["/generations"]["post"]["responses"]
    del responses["402"]
    rules = spec["components"]["schemas"]["CreateGenerationRequest"]["x-rules"]
    rules.append({"id": "keyframes_match", "status": 400, "detail": "d", "description": "d"})
    spec["components"]["examples"]["GenerationQueued"]["value"]["model"] = value_not_in("Model")
    found = {(c.where, c.kind) for c in spec_changes(SPEC, spec)}
    assert found == {
        ("POST /generations", BREAKING),
        ("x-rules.keyframes_match", BREAKING),
        ("examples.GenerationQueued", ADDITIVE),
    }
