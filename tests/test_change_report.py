"""The change report classes each spec change as additive or breaking for code that uses the client (oasdiff's
rules as the reference; a value added to a response enum is additive because the client keeps unknown values), and
a changed ``x-`` extension as review: its meaning is the reader's, so the report says "check it"."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from conformance.spec import load_spec, value_not_in
from luma_uni_checks.spec_diff import ADDITIVE, BREAKING, REVIEW, Change, spec_changes
from scripts.change_report import Report

SPEC = load_spec()


def _edited(edit: Any) -> dict[str, Any]:
    spec = copy.deepcopy(SPEC)
    edit(spec["components"]["schemas"])
    return spec


def _found(spec: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c.where, c.kind) for c in spec_changes(SPEC, spec)}


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


def test_every_x_extension_is_seen_and_a_changed_or_removed_one_is_review() -> None:
    def edit(schemas: dict[str, Any]) -> None:
        schemas["ImageRef"]["x-accepted-media-types"].pop()  # a list that loses an item
        del schemas["GenerationOutput"]["properties"]["url"]["x-lifetime-seconds"]
        schemas["Generation"]["x-settles-within-seconds"] += 1  # a number: its meaning is unknown here
        schemas["CreateGenerationRequest"]["properties"]["prompt"]["x-made-up-later"] = ["a"]  # no rule knows it
        schemas["FailureCode"]["x-failure-reasons"][next(iter(schemas["FailureCode"]["enum"]))] += " Reworded."
        model = schemas["CreateGenerationRequest"]["properties"]["model"]
        model["x-server-default"] = value_not_in("Model")
        schemas["ImageRef"]["x-max-decoded-bytes"] -= 1  # a known request limit: breaking

    first_failure = SPEC["components"]["schemas"]["FailureCode"]["enum"][0]
    assert _found(_edited(edit)) == {
        ("ImageRef.x-accepted-media-types", REVIEW),
        ("GenerationOutput.url.x-lifetime-seconds", REVIEW),
        ("Generation.x-settles-within-seconds", REVIEW),
        ("CreateGenerationRequest.prompt.x-made-up-later", ADDITIVE),
        (f"FailureCode.x-failure-reasons.{first_failure}", REVIEW),
        ("CreateGenerationRequest.model.x-server-default", REVIEW),
        ("ImageRef.x-max-decoded-bytes", BREAKING),
    }


def test_an_extension_entry_for_a_new_enum_value_is_additive_and_nested_entries_are_named() -> None:
    models = SPEC["components"]["schemas"]["Model"]["enum"]
    ratios = SPEC["components"]["schemas"]["AspectRatio"]["enum"]
    with_models = _edited(
        lambda s: s["Model"].update({"x-models": {m: {"aspect_ratios": list(ratios)} for m in models}})
    )
    new_model = value_not_in("Model")

    def edit(schemas: dict[str, Any]) -> None:
        schemas["Model"]["enum"].append(new_model)
        schemas["Model"]["x-models"][new_model] = {"aspect_ratios": ratios[:1]}
        schemas["Model"]["x-models"][models[0]]["aspect_ratios"].pop()

    after = copy.deepcopy(with_models)
    edit(after["components"]["schemas"])
    changes = {(c.where, c.kind): c.what for c in spec_changes(with_models, after)}
    assert set(changes) == {
        ("Model", ADDITIVE),
        (f"Model.x-models.{new_model}" if "." not in new_model else f"Model.x-models[{new_model!r}]", ADDITIVE),
        (f"Model.x-models{_key(models[0])}.aspect_ratios", REVIEW),
    }
    lost = changes[(f"Model.x-models{_key(models[0])}.aspect_ratios", REVIEW)]
    assert lost.startswith("lost") and ratios[-1] in lost


def _key(key: str) -> str:
    return f"[{key!r}]" if "." in key else f".{key}"


def _rules(spec: dict[str, Any]) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = spec["components"]["schemas"]["CreateGenerationRequest"]["x-rules"]
    return rules


def test_a_removed_rule_is_additive_alone_and_review_beside_a_new_rule() -> None:
    first, second = (rule["id"] for rule in _rules(SPEC)[:2])
    removed = copy.deepcopy(SPEC)
    del _rules(removed)[:2]
    assert _found(removed) == {(f"x-rules.{first}", ADDITIVE), (f"x-rules.{second}", ADDITIVE)}

    merged = copy.deepcopy(removed)
    _rules(merged).append({"id": "merged_rule", "status": 400, "detail": "d", "description": "d"})
    changes = {c.where: c for c in spec_changes(SPEC, merged)}
    assert {where: c.kind for where, c in changes.items()} == {
        f"x-rules.{first}": REVIEW,
        f"x-rules.{second}": REVIEW,
        "x-rules.merged_rule": BREAKING,
    }
    assert "new rule merged_rule may refuse what it refused" in changes[f"x-rules.{first}"].what


def test_request_examples_info_and_header_descriptions_are_documentation_lines() -> None:
    spec = copy.deepcopy(SPEC)
    spec["info"]["description"] += "More."
    post = spec["paths"]["/generations"]["post"]
    examples = post["requestBody"]["content"]["application/json"]["examples"]
    first = next(iter(examples))
    examples[first]["value"]["prompt"] += "!"
    examples["another"] = copy.deepcopy(examples[first])
    spec["components"]["headers"]["Retry-After"]["description"] += "More."
    del spec["components"]["responses"]["TooManyRequests"]["headers"]["Retry-After"]
    changes = {c.where: (c.kind, c.what) for c in spec_changes(SPEC, spec)}
    assert changes == {
        "info.description": (ADDITIVE, "changed (documentation only)"),
        f"POST /generations requestBody.examples.{first}": (ADDITIVE, "example changed (documentation only)"),
        "POST /generations requestBody.examples.another": (ADDITIVE, "example new (documentation only)"),
        "headers.Retry-After": (ADDITIVE, "header description changed (documentation only)"),
        "responses.TooManyRequests.headers.Retry-After": (REVIEW, "header removed"),
    }


def test_the_report_groups_by_class_and_review_never_fails_the_build() -> None:
    spec = [Change(ADDITIVE, "A", "a"), Change(REVIEW, "B", "b"), Change(BREAKING, "C", "c"), Change(REVIEW, "A", "r")]
    report = Report("HEAD", "0" * 40, spec, [Change(ADDITIVE, "pkg.A", "new public object")])
    assert report.breaking_python == []
    lines = [line for line in report.markdown().splitlines() if line.startswith("- **")]
    assert lines[:4] == [
        "- **breaking** `C`: c",
        "- **review** `A`: r",
        "- **review** `B`: b",
        "- **additive** `A`: a",
    ]
    assert "Review (behaviour described by an extension or a rule changed: check it):" in report.markdown()


def test_a_changed_source_is_one_provenance_line() -> None:
    """Where facts come from (x-source) changes no request or response: one additive line counts the places."""

    def relabel(schemas: dict[str, Any]) -> None:
        schemas["CreateGenerationRequest"]["properties"]["user_id"]["x-source"] = {"choice": "a guess"}
        schemas["LayeringOptions"]["properties"]["resolution"]["x-source"] = {"docs": "guides/model: 1k"}

    changes = spec_changes(SPEC, _edited(relabel))
    assert [(c.where, c.kind) for c in changes] == [("x-source", ADDITIVE)]
    assert "at 2 place(s)" in changes[0].what
