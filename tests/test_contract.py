"""The contract (openapi.yaml) and the generated client agree, and the client survives what real servers send."""

from __future__ import annotations

import copy
import json
from enum import StrEnum
from http import HTTPStatus
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate

from conformance.spec import load_spec, schema, value_not_in
from luma_agents_client import AuthenticatedClient, errors, models
from luma_agents_client.api.generations import create_generation, get_generation
from luma_agents_client.types import UNSET

SPEC = load_spec()
GENERATION_ID = "d290f1ee-6c54-4b01-90e6-d701748f0851"


def _enum_components() -> list[str]:
    return [name for name, s in SPEC["components"]["schemas"].items() if "enum" in s]


def _example_bodies(status_prefix: str) -> list[tuple[str, Any]]:
    """Every example body the spec documents for responses whose status starts with ``status_prefix``."""
    found: list[tuple[str, Any]] = []
    components = SPEC["components"]
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            for status, response in op["responses"].items():
                if not status.startswith(status_prefix):
                    continue
                if "$ref" in response:
                    response = components["responses"][response["$ref"].rsplit("/", 1)[1]]  # noqa: PLW2901
                for name, example in response["content"]["application/json"].get("examples", {}).items():
                    value = example
                    if "$ref" in example:
                        value = components["examples"][example["$ref"].rsplit("/", 1)[1]]
                    found.append((f"{method.upper()} {path} {status} {name}", value["value"]))
    return found


def test_spec_is_valid_openapi_31() -> None:
    assert SPEC["openapi"] == "3.1.0"
    validate(copy.deepcopy(SPEC))


def test_spec_has_no_default_response_and_no_request_defaults() -> None:
    for item in SPEC["paths"].values():
        for op in item.values():
            assert "default" not in op["responses"], "a default response swallows every status"
    request = schema("CreateGenerationRequest")
    assert all("default" not in prop for prop in request["properties"].values())


@pytest.mark.parametrize("name", _enum_components())
def test_every_spec_enum_equals_the_generated_members(name: str) -> None:
    generated: type[StrEnum] = getattr(models, name)
    assert [m.value for m in generated] == SPEC["components"]["schemas"][name]["enum"]


@pytest.mark.parametrize(("where", "body"), _example_bodies("2"), ids=lambda v: v if isinstance(v, str) else "")
def test_documented_generation_examples_round_trip(where: str, body: dict[str, Any]) -> None:
    parsed = models.Generation.from_dict(body)
    assert str(parsed.id) == body["id"]
    again = parsed.to_dict()
    assert {k: v for k, v in again.items() if k != "created_at"} == {k: v for k, v in body.items() if k != "created_at"}
    assert models.Generation.from_dict(again) == parsed


@pytest.mark.parametrize(("where", "body"), _example_bodies("4") + _example_bodies("5"))
def test_documented_error_examples_round_trip(where: str, body: dict[str, Any]) -> None:
    assert models.Error.from_dict(body).to_dict() == body


def test_null_in_every_nullable_field_parses() -> None:
    body = {
        "id": GENERATION_ID,
        "type": "image",
        "state": "failed",
        "model": "uni-1",
        "created_at": "2026-04-08T12:00:00Z",
        "output": None,
        "failure_reason": None,
        "failure_code": None,
    }
    parsed = models.Generation.from_dict(body)
    assert (parsed.output, parsed.failure_code, parsed.failure_reason) == (None, None, None)
    assert parsed.to_dict()["output"] is None

    nulls = {"prompt": "p", "aspect_ratio": None, "output_format": None, "source": None, "user_id": None}
    assert models.CreateGenerationRequest.from_dict(nulls).to_dict() == nulls
    ref = models.ImageRef.from_dict({"url": None, "data": None, "media_type": None})
    assert ref.to_dict() == {"url": None, "data": None, "media_type": None}


def test_unset_request_fields_are_not_sent() -> None:
    """No defaults the user did not choose: the server decides."""
    assert models.CreateGenerationRequest(prompt="a cat").to_dict() == {"prompt": "a cat"}


# What a newer server sends (as luma-agents 0.5.0 does: another type, model and failure code, output layers),
# with values derived to be unknown to today's spec.
NEWER_MODEL, NEWER_TYPE, NEWER_CODE = value_not_in("Model"), value_not_in("GenerationType"), value_not_in("FailureCode")
NEWER_SERVER_BODY = {
    "id": GENERATION_ID,
    "type": NEWER_TYPE,
    "state": "completed",
    "model": NEWER_MODEL,
    "created_at": "2026-08-04t10:00:00.123456z",
    "output": [
        {
            "type": "video",
            "url": "https://cdn.example/out.mp4",
            "layer": {"index": 0, "label": "sky", "description": "the sky", "alpha_hint": "soft"},
            "frames": 120,  # a field today's spec does not know
        }
    ],
    "failure_reason": None,
    "failure_code": NEWER_CODE,
    "billing": {"credits": 12},
}


def test_unknown_enum_values_and_fields_parse_and_keep_the_raw_values() -> None:
    parsed = models.Generation.from_dict(NEWER_SERVER_BODY)
    assert parsed.model == NEWER_MODEL and not parsed.model.is_known
    assert parsed.type_ == NEWER_TYPE and not parsed.type_.is_known
    assert parsed.failure_code == NEWER_CODE
    assert parsed.state is models.GenerationState.COMPLETED and parsed.state.is_known
    assert parsed.additional_properties == {"billing": {"credits": 12}}
    assert isinstance(parsed.output, list)
    assert parsed.output[0].additional_properties == {"frames": 120}
    assert isinstance(parsed.output[0].layer, models.GenerationLayer) and parsed.output[0].layer.label == "sky"
    assert parsed.created_at.year == 2026 and parsed.created_at.utcoffset() is not None
    dumped = parsed.to_dict()
    assert {k: v for k, v in dumped.items() if k != "created_at"} == {
        k: v for k, v in NEWER_SERVER_BODY.items() if k != "created_at"
    }


def test_unknown_enum_values_do_not_become_members() -> None:
    models.Model(NEWER_MODEL)
    assert [m.value for m in models.Model] == SPEC["components"]["schemas"]["Model"]["enum"]
    first = next(iter(models.Model))
    assert models.Model(first.value) is first


def _client(handler: Any) -> AuthenticatedClient:
    client = AuthenticatedClient(base_url="https://agents.example/v1", token="luma-api-test")
    return client.set_httpx_client(
        httpx.Client(base_url="https://agents.example/v1", transport=httpx.MockTransport(handler))
    )


def test_default_timeout_is_finite() -> None:
    client = AuthenticatedClient(base_url="https://agents.example/v1", token="luma-api-test")
    timeout = client.get_httpx_client().timeout
    assert (timeout.read, timeout.connect) == (60.0, 5.0)


def test_a_documented_response_parses() -> None:
    example = SPEC["components"]["examples"]["GenerationCompleted"]["value"]
    client = _client(lambda request: httpx.Response(200, json=example))
    response = get_generation.sync_detailed(GENERATION_ID, client=client)  # type: ignore[arg-type]
    assert response.status_code == HTTPStatus.OK
    assert isinstance(response.parsed, models.Generation)
    assert response.parsed.state is models.GenerationState.COMPLETED


def test_a_non_json_502_gives_a_typed_error() -> None:
    html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    client = _client(lambda request: httpx.Response(502, content=html, headers={"content-type": "text/html"}))
    with pytest.raises(errors.MalformedResponse) as caught:
        create_generation.sync_detailed(client=client, body=models.CreateGenerationRequest(prompt="x"))
    assert caught.value.status_code == 502
    assert caught.value.content == html
    assert isinstance(caught.value, errors.UnexpectedStatus)


def test_a_non_iana_status_520_is_kept_as_an_int() -> None:
    client = _client(lambda request: httpx.Response(520, json={"detail": "Web server returned an unknown error"}))
    response = create_generation.sync_detailed(client=client, body=models.CreateGenerationRequest(prompt="x"))
    assert response.status_code == 520
    assert isinstance(response.parsed, models.Error)
    assert response.parsed.detail == "Web server returned an unknown error"


def test_a_520_with_an_html_body_gives_a_typed_error() -> None:
    client = _client(lambda request: httpx.Response(520, content=b"<html>origin error</html>"))
    with pytest.raises(errors.MalformedResponse) as caught:
        get_generation.sync_detailed(GENERATION_ID, client=client)  # type: ignore[arg-type]
    assert caught.value.status_code == 520


@pytest.mark.parametrize(
    "body",
    [b'{"id": "not-a-uuid"}', b"[]", b'"queued"', b'{"id": "' + GENERATION_ID.encode() + b'"}', b"{truncated"],
)
def test_a_malformed_success_body_gives_a_typed_error(body: bytes) -> None:
    client = _client(lambda request: httpx.Response(200, content=body))
    with pytest.raises(errors.MalformedResponse):
        get_generation.sync_detailed(GENERATION_ID, client=client)  # type: ignore[arg-type]


def test_the_request_the_client_builds_is_what_the_spec_describes() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json=SPEC["components"]["examples"]["GenerationQueued"]["value"])

    body = models.CreateGenerationRequest(
        prompt="a fox",
        type_=models.GenerationType.IMAGE_EDIT,
        aspect_ratio=models.AspectRatio.RATIO_9_16,
        source=models.ImageRef(url="https://example.com/a.png"),
        image_ref=[models.ImageRef(data="aGk=", media_type="image/png")],
        user_id=UNSET,
    )
    create_generation.sync_detailed(client=_client(handler), body=body, x_request_id="req-1")
    (request,) = seen
    assert request.method == "POST" and request.url.path == "/v1/generations"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-request-id"] == "req-1"
    assert json.loads(request.content) == {
        "prompt": "a fox",
        "type": "image_edit",
        "aspect_ratio": "9:16",
        "source": {"url": "https://example.com/a.png"},
        "image_ref": [{"data": "aGk=", "media_type": "image/png"}],
    }
