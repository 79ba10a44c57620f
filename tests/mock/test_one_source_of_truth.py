"""The mock's wording and enums agree with openapi.yaml, and its two validators (jsonschema, jsonschema_rs) agree."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.spec import enum_values, schema
from luma_uni_mock import auth, faults, http_errors, rate_limits, rule_wording
from luma_uni_mock.config import REPO_SPEC_PATH
from luma_uni_mock.spec_facts import load_spec_facts
from tests.mock.helpers import data_ref, documented_details

FACTS = load_spec_facts(REPO_SPEC_PATH)
USER_ID_MAX = schema("CreateGenerationRequest")["properties"]["user_id"]["maxLength"]


def test_every_fixed_detail_the_mock_sends_is_an_example_in_the_spec() -> None:
    """(The request rules' details come from the spec's x-rules: tests/mock/test_x_rules.py.)"""
    fixed = [
        auth.MISSING_OR_INVALID,
        auth.INSUFFICIENT_CREDITS,
        *(text for _, text in auth.SPECIAL_KEYS.values()),
        http_errors.GENERATION_NOT_FOUND,
        http_errors.UNSUPPORTED_MEDIA_TYPE,
        http_errors.INVALID_JSON,
        http_errors.INTERNAL_ERROR,
        rate_limits.RATE_LIMIT_EXCEEDED,
        rate_limits.TOO_MANY_CONCURRENT_JOBS,
        faults.FAULT_DETAILS[502],
        faults.FAULT_DETAILS[503],
    ]
    missing = [text for text in fixed if text not in documented_details()]
    assert not missing


def test_the_failure_reasons_come_from_the_spec() -> None:
    assert dict(FACTS.failure_reasons) == schema("FailureCode")["x-failure-reasons"]
    assert list(FACTS.failure_reasons) == enum_values("FailureCode")


def test_the_spec_facts_are_the_spec_enums() -> None:
    assert list(FACTS.models) == enum_values("Model")
    assert list(FACTS.aspect_ratios) == enum_values("AspectRatio")
    for ratio in rule_wording.portrait_ratios(FACTS):
        width, height = (int(term) for term in ratio.split(":"))
        assert width < height


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)
enum_or_noise = st.one_of(
    st.sampled_from([*enum_values("Model"), *enum_values("AspectRatio"), *enum_values("Style"), *FACTS.types]),
    json_values,
)
refs = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "url": st.one_of(st.none(), st.text(max_size=10)),
            "data": st.one_of(st.none(), st.just(data_ref()["data"])),
            "media_type": st.one_of(st.none(), st.text(max_size=10)),
            "extra": json_values,
        },
    ),
)
bodies = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "prompt": st.one_of(
                st.text(max_size=8), st.just(""), st.just("x" * (FACTS.prompt_max_length + 1)), json_values
            ),
            "model": enum_or_noise,
            "type": enum_or_noise,
            "aspect_ratio": enum_or_noise,
            "style": enum_or_noise,
            "output_format": st.one_of(st.sampled_from([*enum_values("OutputFormat"), None]), json_values),
            "web_search": json_values,
            "image_ref": st.one_of(st.lists(refs, max_size=FACTS.max_image_refs + 2), json_values),
            "source": refs,
            "user_id": st.one_of(
                st.text(max_size=4),
                st.just("u" * (schema("CreateGenerationRequest")["properties"]["user_id"]["maxLength"] + 1)),
                json_values,
            ),
            "unknown": json_values,
        },
    ),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies)
def test_jsonschema_rs_and_jsonschema_agree_on_request_bodies(body: Any) -> None:
    schema = FACTS.request_schema
    assert schema.accepts_fast(body) == (schema.first_error(body) is None)


@pytest.mark.parametrize(
    "value",
    [
        "d290f1ee-6c54-4b01-90e6-d701748f0851",
        "D290F1EE-6C54-4B01-90E6-D701748F0851",
        "d290f1ee6c5440b190e6d701748f0851",
        "{d290f1ee-6c54-4b01-90e6-d701748f0851}",
        "urn:uuid:d290f1ee-6c54-4b01-90e6-d701748f0851",
        "d290f1ee-6c54-4b01-90e6-d701748f085",
        "d290f1ee-6c54-4b01-90e6-d701748f08511",
        "g290f1ee-6c54-4b01-90e6-d701748f0851",
        "",
        "generation_id",
    ],
)
def test_jsonschema_rs_and_jsonschema_agree_on_ids(value: str) -> None:
    schema = FACTS.generation_id_schema
    assert schema.accepts_fast(value) == (schema.first_error(value) is None)
