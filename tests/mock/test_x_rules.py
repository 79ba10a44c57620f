"""CreateGenerationRequest's x-rules in openapi.yaml are the one home of the request rules: the mock implements
exactly those ids, and each rule has an error example of the same name that shows its wording."""

from __future__ import annotations

import dataclasses

import pytest

from conformance.mock import rules
from conformance.mock.config import REPO_SPEC_PATH
from conformance.mock.contract import Rule, load_contract
from conformance.spec import enum_values, load_spec

CONTRACT = load_contract(REPO_SPEC_PATH)
SPEC = load_spec()


def _example(rule: Rule) -> tuple[str, str | None]:
    """Where the rule's example lives in the spec, and its detail (None when there is none)."""
    ref = SPEC["paths"]["/generations"]["post"]["responses"][str(rule.status)]["$ref"]
    component = ref.rsplit("/", 1)[1]
    examples = SPEC["components"]["responses"][component]["content"]["application/json"]["examples"]
    where = f"components.responses.{component}.examples.{rule.id}"
    return where, examples.get(rule.id, {}).get("value", {}).get("detail")


def test_the_mock_implements_exactly_the_specs_rules() -> None:
    rules.check_registry(CONTRACT)


def test_a_rule_the_mock_does_not_implement_stops_it_naming_the_id() -> None:
    extra = Rule(id="keyframes_match", status=400, detail="d", description="d")
    contract = dataclasses.replace(CONTRACT, rules=(*CONTRACT.rules, extra))
    with pytest.raises(ValueError, match=r"in the spec only \['keyframes_match'\], implemented only \[\]"):
        rules.check_registry(contract)


@pytest.mark.parametrize("rule", CONTRACT.rules, ids=lambda rule: rule.id)
def test_each_rule_has_an_example_with_its_wording(rule: Rule) -> None:
    where, detail = _example(rule)
    assert detail is not None, f"openapi.yaml: add the example {where} with a detail worded {rule.detail!r}"
    values = rules.parse_detail(CONTRACT, rule, detail)
    fixed = rules.fixed_values(CONTRACT, rule.id)
    assert values is not None, (
        f"openapi.yaml: the example {where} ({detail!r}) is not worded as x-rules says ({rule.detail!r}) "
        f"with the values the spec gives today ({fixed}): change the example"
    )
    enum = rules.REGISTRY[rule.id].unknown_value_of
    if enum is not None:
        assert values["value"] not in enum_values(enum), (
            f"openapi.yaml: the example {where} uses {values['value']!r}, which is now a valid {enum}: "
            "change the example to a value the enum does not list"
        )


@pytest.mark.parametrize("rule", CONTRACT.rules, ids=lambda rule: rule.id)
def test_each_rule_is_documented_and_has_a_check(rule: Rule) -> None:
    implementation = rules.REGISTRY[rule.id]
    assert implementation.schema_check or implementation.body_check
    assert rule.description.strip()
