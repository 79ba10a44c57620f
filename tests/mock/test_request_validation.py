"""POST body checks driven by the spec: content type (415), JSON syntax (400), the schema (400), body size (413)."""

from __future__ import annotations

import json
import warnings
from typing import Any

import httpx
import pytest

from conformance.spec import enum_values, load_spec, schema, value_not_in
from luma_uni_mock import MockConfig
from luma_uni_mock.rule_wording import rule_detail
from luma_uni_mock.serve import RunningMock
from tests.mock.helpers import client, create, detail, model_for, repo_facts

PROPERTIES = schema("CreateGenerationRequest")["properties"]
PROMPT_MAX = PROPERTIES["prompt"]["maxLength"]
FACTS = repo_facts()
PROMPT_MIN = FACTS.prompt_min_length  # every type but layering (the request schema's prompt_length item)
MAX_REFS = PROPERTIES["image_ref"]["maxItems"]


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "multipart/form-data; boundary=x", "application/jsonx", "application/xml"]
)
def test_a_body_that_is_not_declared_json_gets_415(api: httpx.Client, content_type: str | None) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = api.post("/generations", content=b'{"prompt": "x"}', headers=headers)
    assert response.status_code == 415
    assert detail(response) == "Content-Type must be application/json"


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "Application/JSON", "application/json ;x=1"]
)
def test_json_content_types_with_parameters_or_other_case_are_accepted(api: httpx.Client, content_type: str) -> None:
    response = api.post("/generations", content=b'{"prompt": "x"}', headers={"Content-Type": content_type})
    assert response.status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"prompt=x",
        b'{"prompt": "x",}',
        b'{"prompt": NaN}',
        b'{"prompt": Infinity}',
        b"\xff\xfe\x00",
        b"[" * 5000,
    ],
)
def test_a_body_that_is_not_strict_json_gets_400(api: httpx.Client, body: bytes) -> None:
    response = api.post("/generations", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert detail(response) == "Request body is not valid JSON"


def _reframe_at(x_norm: int) -> dict[str, Any]:
    """The spec's video_reframe example, its source a video URL and its ``x_norm`` the one given."""
    example = load_spec()["paths"]["/generations"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    body: dict[str, Any] = example["video_reframe"]["value"]
    position = {**body["video"]["source_position"], "x_norm": x_norm}
    source = {"url": "https://a.example/v.mp4", "media_type": "video/mp4"}
    return {**body, "source": source, "video": {**body["video"], "source_position": position}}


@pytest.mark.parametrize(
    "body",
    [
        '{"prompt": "x"}'.encode("utf-16"),  # JSON's other encodings, read by their first bytes
        b'\xef\xbb\xbf{"prompt": "x"}',  # a UTF-8 BOM
        b'{"prompt": "lone \\ud800 surrogate"}',
        json.dumps(_reframe_at(x_norm=123456789012345678901234567890)).encode(),
    ],
)
def test_json_the_fast_reader_refuses_or_reads_apart_is_still_accepted(api: httpx.Client, body: bytes) -> None:
    """Bodies orjson refuses (or reads integers past 64 bits of as floats) are read by the standard library's
    parser, the reference, exactly as before orjson read the valid ones (validation.checked_body)."""
    response = api.post("/generations", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 201, response.text


def test_a_refusal_echoes_an_integer_past_64_bits_exactly(api: httpx.Client) -> None:
    """A refused body is worded from what the reference parser read, not from orjson's float."""
    big = 123456789012345678901234567890
    response = api.post("/generations", content=f'{{"prompt": {big}}}', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert detail(response) == f"prompt: {big} is not of type 'string'"


@pytest.mark.parametrize("prompt", ["x" * (PROMPT_MIN - 1), "x" * (PROMPT_MAX + 1)])
def test_prompt_length_outside_the_limits_gets_the_documented_400(api: httpx.Client, prompt: str) -> None:
    response = api.post("/generations", json={"prompt": prompt})
    assert response.status_code == 400
    assert detail(response) == rule_detail("prompt_length")


def test_prompt_lengths_at_the_limits_are_accepted(api: httpx.Client) -> None:
    create(api, prompt="x" * PROMPT_MIN)
    create(api, prompt="é" * PROMPT_MAX)  # characters, not bytes


@pytest.mark.parametrize("model", [value_not_in("Model"), enum_values("Model")[0].upper(), "", 5, None])
def test_unknown_model_gets_the_documented_400(api: httpx.Client, model: Any) -> None:
    response = api.post("/generations", json={"prompt": "x", "model": model})
    assert response.status_code == 400
    shown = model if isinstance(model, str) else ("null" if model is None else str(model))
    assert detail(response) == rule_detail("unknown_model", value=shown)


@pytest.mark.parametrize("ratio", [value_not_in("AspectRatio"), enum_values("AspectRatio")[0] + " ", 16])
def test_bad_aspect_ratio_gets_the_documented_400_with_the_sorted_list(api: httpx.Client, ratio: Any) -> None:
    response = api.post("/generations", json={"prompt": "x", "aspect_ratio": ratio})
    assert response.status_code == 400
    assert detail(response) == rule_detail("invalid_aspect_ratio", value=str(ratio))


@pytest.mark.parametrize("model", enum_values("Model"))
def test_the_listed_ratios_are_the_models(api: httpx.Client, model: str) -> None:
    kind = sorted(FACTS.types_of(model))[0]  # a type the model makes, so the ratio is what is refused
    body = {"prompt": "x", "aspect_ratio": value_not_in("AspectRatio"), "model": model, "type": kind}
    listed = detail(api.post("/generations", json=body))
    assert sorted(listed.rsplit("Valid: ", 1)[1].split(", ")) == sorted(FACTS.ratios_of(model))


@pytest.mark.parametrize("model", [None, *enum_values("Model")])
def test_a_type_the_model_does_not_support_gets_400(api: httpx.Client, model: str | None) -> None:
    kind = value_not_in("GenerationType")
    body = {"prompt": "x", "type": kind} | ({} if model is None else {"model": model})
    response = api.post("/generations", json=body)
    assert response.status_code == 400
    default_model = PROPERTIES["model"]["x-server-default"]
    assert detail(response) == rule_detail("unsupported_type", value=kind, model=model or default_model)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"prompt": "x", "web_search": "yes"}, "web_search: 'yes' is not of type 'boolean'"),
        ({"prompt": "x", "colour": "red"}, "Additional properties are not allowed ('colour' was unexpected)"),
        ({}, "'prompt' is a required property"),
        ([], "[] is not of type 'object'"),
        ({"prompt": "x", "image_ref": [{"url": "https://a.example/x.png", "size": 1}]}, None),
        ({"prompt": "x", "user_id": "u" * (PROPERTIES["user_id"]["maxLength"] + 1)}, None),
        ({"prompt": "x", "style": None}, None),
        ({"prompt": "x", "image_ref": None}, None),
        ({"prompt": 12}, "prompt: 12 is not of type 'string'"),
    ],
)
def test_schema_violations_get_400_naming_the_field(api: httpx.Client, body: Any, expected: str | None) -> None:
    response = api.post("/generations", json=body)
    assert response.status_code == 400
    if expected is not None:
        assert detail(response) == expected
    else:
        assert detail(response)


def test_more_refs_than_max_items_for_an_image_get_the_chosen_400(api: httpx.Client) -> None:
    refs = [{"url": f"https://img.example/{i}.png"} for i in range(MAX_REFS + 1)]
    response = api.post("/generations", json={"prompt": "x", "image_ref": refs})
    assert response.status_code == 400
    assert detail(response) == rule_detail("too_many_refs")


def _taken_ratios() -> list[str]:
    """The aspect ratios some model takes. A ratio no model's item lists (the spec documents it ahead of its
    per-model lists, which are choices) is listed, not failed: only a choice refuses it, so the lenient view takes
    it."""
    taken = [ratio for ratio in enum_values("AspectRatio") if any(ratio in FACTS.ratios_of(m) for m in FACTS.models)]
    ahead = [ratio for ratio in enum_values("AspectRatio") if ratio not in taken]
    if ahead:
        assert FACTS.lenient is not None and all(r in FACTS.lenient.ratios_of(FACTS.default_model) for r in ahead)
        warnings.warn(f"no model's item in openapi.yaml takes the aspect ratios {ahead} yet", stacklevel=2)
    return taken


def test_every_documented_field_and_value_is_accepted(api: httpx.Client) -> None:
    """Every aspect ratio with a model that takes it, every model with a ratio it takes (the schema's per-model
    items)."""
    image = enum_values("GenerationType")[0]
    pairs = {(model_for(ratio=ratio), ratio) for ratio in _taken_ratios()}
    pairs |= {(model, FACTS.ratios_of(model)[0]) for model in enum_values("Model")}
    for model, ratio in sorted(pairs):
        kind = image if image in FACTS.types_of(model) else sorted(FACTS.types_of(model))[0]
        body = create(
            api,
            type=kind,
            model=model,
            aspect_ratio=ratio,
            style=PROPERTIES["style"]["x-server-default"],
            output_format=enum_values("OutputFormat")[-1],
            web_search=True,
        )
        assert body["model"] == model
    create(api, aspect_ratio=None, output_format=None, user_id=None, source=None, image_ref=[])


def test_a_body_over_the_limit_gets_413_before_it_is_read(luma_mock_factory: Any) -> None:
    mock: RunningMock = luma_mock_factory(MockConfig(max_body_bytes=2048))
    with client(mock) as api:
        response = api.post("/generations", json={"prompt": "x" * 3000})
        assert response.status_code == 413
        assert detail(response) == "Request body exceeds the 2048-byte limit"
        # Streamed without a Content-Length: refused once the limit is passed.
        chunks = iter([b'{"prompt": "', b"x" * 4096, b'"}'])
        response = api.post("/generations", content=chunks, headers={"Content-Type": "application/json"})
        assert response.status_code == 413
        assert create(api, prompt="x" * 1000)["state"] == "queued"
