"""luma_agents_client.contract, written by scripts/generate.py, holds the spec's facts the client needs at run time,
so that importing the client parses no YAML."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import attrs

from conformance.sources import facts
from conformance.spec import load_spec, schema
from luma_agents_client import contract
from luma_agents_client.models import CreateGenerationRequest
from luma_uni._inputs import CreateOptions
from luma_uni.errors import RETRYABLE_FAILURE_CODES

REQUEST = schema("CreateGenerationRequest")["properties"]


def test_the_constants_are_the_specs() -> None:
    spec = load_spec()
    assert spec["info"]["version"] == contract.API_VERSION
    assert spec["servers"][0]["url"] == contract.PRODUCTION_BASE_URL
    assert (
        REQUEST["prompt"]["minLength"],
        REQUEST["prompt"]["maxLength"],
    ) == (contract.PROMPT_MIN_LENGTH, contract.PROMPT_MAX_LENGTH)
    assert REQUEST["user_id"]["maxLength"] == contract.USER_ID_MAX_LENGTH
    assert REQUEST["image_ref"]["maxItems"] == contract.IMAGE_REF_MAX_ITEMS
    assert schema("ImageRef")["x-max-decoded-bytes"] == contract.MAX_IMAGE_BYTES
    assert frozenset(schema("ImageRef")["x-accepted-media-types"]) == contract.ACCEPTED_MEDIA_TYPES


def test_server_defaults_are_every_x_server_default() -> None:
    expected = {name: p["x-server-default"] for name, p in REQUEST.items() if "x-server-default" in p}
    assert {k: list(v) if isinstance(v, tuple) else v for k, v in contract.SERVER_DEFAULTS.items()} == expected


def test_the_retryable_codes_are_x_retryable() -> None:
    assert {code.value for code in RETRYABLE_FAILURE_CODES} == set(schema("FailureCode")["x-retryable"])
    assert all(code.is_known for code in RETRYABLE_FAILURE_CODES)


def test_importing_the_client_parses_no_yaml() -> None:
    code = "import sys, luma_uni; luma_uni.Luma; sys.exit('yaml' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0, "luma_uni imported yaml"


def test_every_optional_request_field_is_a_create_option() -> None:
    optional = [name for name in REQUEST if name not in schema("CreateGenerationRequest")["required"]]
    assert list(CreateOptions.__annotations__) == [
        *(field.wire_name for field in contract.REQUEST_FIELDS),
        "image_ref",  # the client's own image inputs, typed in _inputs.py
        "source",
    ]
    assert sorted(CreateOptions.__annotations__) == sorted(optional)
    assert list(contract.CreateRequestFields.__annotations__) == [field.wire_name for field in contract.REQUEST_FIELDS]


def test_each_request_field_names_the_generated_attribute_it_fills() -> None:
    attributes = {field.name for field in attrs.fields(CreateGenerationRequest)}
    for field in contract.REQUEST_FIELDS:
        assert field.python_name in attributes, field
        value: object = next(iter(field.enum)) if field.enum else field.model.from_dict({}) if field.model else "x"
        attributes_given: dict[str, Any] = {field.python_name: value}
        sent = CreateGenerationRequest(prompt="x", **attributes_given).to_dict()
        assert field.wire_name in sent, field  # the attribute is the one written under that wire name


def test_the_facts_name_their_sources_as_the_spec_does() -> None:
    """FACT_SOURCES gives each limit, list and default the x-source openapi.yaml gives it (issue 17)."""
    known = {f"{fact.source.kind}: {fact.source.text}" for fact in facts(load_spec()) if fact.source is not None}
    for name, source in contract.FACT_SOURCES.items():
        assert hasattr(contract, name.partition("[")[0]), f"FACT_SOURCES names {name}, which contract lacks"
        assert source in known, f"{name}: {source!r} is no x-source of openapi.yaml"
    listed = {*(f"SERVER_DEFAULTS[{name!r}]" for name in contract.SERVER_DEFAULTS), "MAX_IMAGE_BYTES"}
    assert listed <= set(contract.FACT_SOURCES)
