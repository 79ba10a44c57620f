"""The cross-field rules (400 with the API's exact details), and schema-only mode that switches them off."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from conformance.mock import MockConfig
from conformance.mock.serve import RunningMock, serve_in_thread
from tests.mock.helpers import client, create, data_ref, detail

URL = {"url": "https://img.example/cat.png"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"source": URL}, "source is only valid for type 'image_edit'"),
        ({"type": "image", "source": URL}, "source is only valid for type 'image_edit'"),
        ({"type": "image_edit"}, "source is required for type 'image_edit'"),
        ({"type": "image_edit", "source": None}, "source is required for type 'image_edit'"),
        (
            {"type": "image_edit", "source": {"url": URL["url"], "data": "aGk=", "media_type": "image/png"}},
            "source: provide either 'url' or 'data', not both",
        ),
        ({"type": "image_edit", "source": {}}, "source: provide either 'url' or 'data', not neither"),
        (
            {"type": "image_edit", "source": {"url": None, "data": None}},
            "source: provide either 'url' or 'data', not neither",
        ),
        (
            {"image_ref": [URL, {"media_type": "image/png"}]},
            "image_ref[1]: provide either 'url' or 'data', not neither",
        ),
        ({"image_ref": [{"data": "aGk="}]}, "image_ref[0]: 'media_type' is required with 'data'"),
        (
            {"type": "image_edit", "source": {"data": "aGk=", "media_type": None}},
            "source: 'media_type' is required with 'data'",
        ),
        (
            {"type": "image_edit", "source": URL, "image_ref": [URL] * 9},
            "image_edit supports up to 8 reference images (source occupies one slot)",
        ),
        (
            {"style": "manga", "aspect_ratio": "16:9"},
            "style 'manga' requires a portrait aspect_ratio (1:2, 1:3, 2:3, 9:16) or none",
        ),
    ],
)
def test_each_cross_field_rule_answers_its_documented_400(
    api: httpx.Client, body: dict[str, Any], expected: str
) -> None:
    response = api.post("/generations", json={"prompt": "x", **body})
    assert response.status_code == 400
    assert detail(response) == expected


@pytest.mark.parametrize("ratio", ["3:1", "2:1", "16:9", "3:2", "1:1"])
def test_manga_refuses_every_landscape_and_square_ratio(api: httpx.Client, ratio: str) -> None:
    response = api.post("/generations", json={"prompt": "x", "style": "manga", "aspect_ratio": ratio})
    assert response.status_code == 400


@pytest.mark.parametrize("ratio", ["2:3", "9:16", "1:2", "1:3", None])
def test_manga_takes_portrait_ratios_or_none(api: httpx.Client, ratio: str | None) -> None:
    create(api, style="manga", aspect_ratio=ratio)


def test_accepted_combinations(api: httpx.Client) -> None:
    create(api, source=None)  # explicit null source is fine for type image
    create(api, image_ref=[URL] * 9)
    edit = create(api, type="image_edit", source=URL, image_ref=[URL] * 8)
    assert edit["type"] == "image_edit"
    # aspect_ratio is ignored for edits, so manga edits take any ratio (converting a photo to manga is documented).
    create(api, type="image_edit", source=data_ref(), style="manga", aspect_ratio="16:9")


SEMANTICALLY_REFUSED = [
    {"source": URL},
    {"type": "image_edit"},
    {"image_ref": [{}]},
    {"image_ref": [{"data": "data", "media_type": "media_type", "url": "url"}]},
    {"style": "manga", "aspect_ratio": "3:1"},
    {"type": "image_edit", "source": URL, "image_ref": [URL] * 9},
    {"image_ref": [{"url": "http://localhost/x.png"}]},
    {"image_ref": [{"data": "not base64!", "media_type": "image/png"}]},
]


@pytest.fixture(scope="module")
def schema_only_mock() -> Iterator[RunningMock]:
    with serve_in_thread(MockConfig(schema_only=True)) as running:
        yield running


@pytest.mark.parametrize("body", SEMANTICALLY_REFUSED)
def test_schema_only_mode_lets_schema_valid_combinations_through(
    schema_only_mock: RunningMock, body: dict[str, Any]
) -> None:
    with client(schema_only_mock) as api:
        created = create(api, **body)
        assert created["state"] == "queued"
        # The schema itself is still enforced.
        assert api.post("/generations", json={"prompt": "x", "bogus": 1}).status_code == 400
        assert api.post("/generations", json={"prompt": ""}).status_code == 400


def test_the_sdk_style_kitchen_sink_request_passes_in_schema_only_mode(schema_only_mock: RunningMock) -> None:
    """What Stainless-generated SDK tests send to a stateless mock: every field, placeholder strings included."""
    ref = {"data": "data", "media_type": "media_type", "url": "url"}
    body = {
        "prompt": "prompt",
        "aspect_ratio": "3:1",
        "image_ref": [ref],
        "model": "uni-1",
        "output_format": "png",
        "source": ref,
        "style": "auto",
        "type": "image",
        "user_id": "user_id",
        "web_search": True,
    }
    with client(schema_only_mock) as api:
        assert create(api, **body)["type"] == "image"
