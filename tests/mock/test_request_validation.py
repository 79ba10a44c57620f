"""POST body checks driven by the spec: content type (415), JSON syntax (400), the schema (400), body size (413)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from conformance.mock import MockConfig
from conformance.mock.serve import RunningMock
from conformance.spec import enum_values
from tests.mock.helpers import client, create, detail

RATIOS_LISTED = "1:1, 1:2, 1:3, 16:9, 2:1, 2:3, 3:1, 3:2, 9:16"


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


@pytest.mark.parametrize("prompt", ["", "x" * 6001])
def test_prompt_length_outside_1_to_6000_gets_the_documented_400(api: httpx.Client, prompt: str) -> None:
    response = api.post("/generations", json={"prompt": prompt})
    assert response.status_code == 400
    assert detail(response) == "Prompt must be between 1 and 6000 characters"


def test_prompt_lengths_at_the_limits_are_accepted(api: httpx.Client) -> None:
    create(api, prompt="x")
    create(api, prompt="é" * 6000)  # characters, not bytes


@pytest.mark.parametrize("model", ["uni-2", "UNI-1", "", 5, None])
def test_unknown_model_gets_the_documented_400(api: httpx.Client, model: Any) -> None:
    response = api.post("/generations", json={"prompt": "x", "model": model})
    assert response.status_code == 400
    shown = model if isinstance(model, str) else ("null" if model is None else str(model))
    assert detail(response) == f"Unknown model: {shown}"


@pytest.mark.parametrize("ratio", ["4:3", "21:9", "1:1 ", 16])
def test_bad_aspect_ratio_gets_the_documented_400_with_the_sorted_list(api: httpx.Client, ratio: Any) -> None:
    response = api.post("/generations", json={"prompt": "x", "aspect_ratio": ratio})
    assert response.status_code == 400
    assert detail(response) == f"Invalid aspect_ratio '{ratio}'. Valid: {RATIOS_LISTED}"


def test_the_listed_ratios_are_the_spec_enum(api: httpx.Client) -> None:
    assert sorted(RATIOS_LISTED.split(", ")) == sorted(enum_values("AspectRatio"))


def test_a_type_the_model_does_not_support_gets_400(api: httpx.Client) -> None:
    response = api.post("/generations", json={"prompt": "x", "type": "video", "model": "uni-1-max"})
    assert response.status_code == 400
    assert detail(response) == "Type 'video' is not supported for model 'uni-1-max'"
    response = api.post("/generations", json={"prompt": "x", "type": "video"})
    assert detail(response) == "Type 'video' is not supported for model 'uni-1'"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"prompt": "x", "web_search": "yes"}, "web_search: 'yes' is not of type 'boolean'"),
        ({"prompt": "x", "colour": "red"}, "Additional properties are not allowed ('colour' was unexpected)"),
        ({}, "'prompt' is a required property"),
        ([], "[] is not of type 'object'"),
        ({"prompt": "x", "image_ref": [{"url": "https://a.example/x.png", "size": 1}]}, None),
        ({"prompt": "x", "user_id": "u" * 257}, None),
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


def test_more_than_nine_refs_for_an_image_get_the_chosen_400(api: httpx.Client) -> None:
    refs = [{"url": f"https://img.example/{i}.png"} for i in range(10)]
    response = api.post("/generations", json={"prompt": "x", "image_ref": refs})
    assert response.status_code == 400
    assert detail(response) == "image supports up to 9 reference images"


def test_every_documented_field_and_value_is_accepted(api: httpx.Client) -> None:
    for model in enum_values("Model"):
        for ratio in enum_values("AspectRatio"):
            body = create(api, model=model, aspect_ratio=ratio, style="auto", output_format="jpeg", web_search=True)
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
