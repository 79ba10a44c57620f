"""CreateGenerationRequest's x-rules in openapi.yaml are the one home of the request rules: the mock implements
exactly those ids, and each rule has an error example of the same name that shows its wording."""

from __future__ import annotations

import dataclasses

import pytest

from conformance.spec import enum_values, load_spec, value_not_in
from luma_uni_mock import rule_wording, rules
from luma_uni_mock.config import REPO_SPEC_PATH
from luma_uni_mock.spec_facts import Rule, load_spec_facts
from luma_uni_mock.stated_rules import Mark

FACTS = load_spec_facts(REPO_SPEC_PATH)
SPEC = load_spec()


def _example(rule: Rule) -> tuple[str, str | None]:
    """Where the rule's example lives in the spec, and its detail (None when there is none)."""
    ref = SPEC["paths"]["/generations"]["post"]["responses"][str(rule.status)]["$ref"]
    component = ref.rsplit("/", 1)[1]
    examples = SPEC["components"]["responses"][component]["content"]["application/json"]["examples"]
    where = f"components.responses.{component}.examples.{rule.id}"
    return where, examples.get(rule.id, {}).get("value", {}).get("detail")


def test_the_mock_implements_exactly_the_specs_rules() -> None:
    rules.check_registry(FACTS)


def test_a_rule_the_mock_does_not_implement_stops_it_naming_the_id() -> None:
    extra = Rule(id="keyframes_match", status=400, detail="d", description="d")
    facts = dataclasses.replace(FACTS, rules=(*FACTS.rules, extra))
    with pytest.raises(ValueError, match=r"in the spec only \['keyframes_match'\], marked or implemented only \[\]"):
        rules.check_registry(facts)


def test_a_schema_mark_naming_no_rule_stops_it_naming_the_id() -> None:
    node = {"x-rule": "keyframes_match", "if": {}, "then": {}}
    facts = dataclasses.replace(FACTS, stated_marks=[*FACTS.stated_marks, Mark("keyframes_match", node, None)])
    with pytest.raises(ValueError, match=r"marked or implemented only \['keyframes_match'\]"):
        rules.check_registry(facts)


def test_a_mark_without_placeholders_stops_it_naming_the_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(rules.REGISTRY, "manga_landscape", rules.Implementation())
    with pytest.raises(
        ValueError, match=r"no placeholders \(@stated_rule\) for the schema's x-rule marks \['manga_landscape'\]"
    ):
        rules.check_registry(FACTS)


@pytest.mark.parametrize("rule", FACTS.rules, ids=lambda rule: rule.id)
def test_each_rule_has_an_example_with_its_wording(rule: Rule) -> None:
    """The example shows the rule's wording with today's lists and limits, and an "unknown" value that is still
    unknown: a spec edit that changes either fails here, naming the example and the wording to put in it."""
    where, detail = _example(rule)
    assert detail is not None, f"openapi.yaml: add the example {where} with a detail worded {rule.detail!r}"
    written = rule_wording.parse_detail(FACTS, rule, detail, any_fixed=True)
    assert written is not None, f"openapi.yaml: the example {where} ({detail!r}) is not worded as {rule.detail!r}"
    fixed = rule_wording.fixed_values(FACTS, rule.id)
    request_values = {name: text for name, text in written.items() if name not in fixed}
    enum = rules.REGISTRY[rule.id].unknown_value_of
    if enum is not None:
        suggestion = rule_wording.detail(FACTS, rule, {**request_values, "value": value_not_in(enum)})
        assert written["value"] not in enum_values(enum), (
            f"openapi.yaml: the example {where} uses {written['value']!r}, which is now a valid {enum}: change it "
            f"to a value the enum does not list, e.g. {suggestion!r}"
        )
    today = rule_wording.detail(FACTS, rule, request_values)
    assert detail == today, f"openapi.yaml: the example {where} is out of date with the spec: change it to {today!r}"


@pytest.mark.parametrize("rule", FACTS.rules, ids=lambda rule: rule.id)
def test_each_rule_is_documented_and_has_a_check(rule: Rule) -> None:
    implementation = rules.REGISTRY[rule.id]
    stated = rule.id in {mark.rule_id for mark in FACTS.stated_marks}
    assert stated or implementation.schema_check or implementation.body_check or implementation.chain_check
    assert rule.description.strip()
