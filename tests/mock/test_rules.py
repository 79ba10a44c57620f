"""The cross-field rules (400 with the API's exact details), and schema-only mode that switches off those the schema
cannot state."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from luma_uni_mock import MockConfig, rule_wording
from luma_uni_mock.config import REPO_SPEC_PATH
from luma_uni_mock.rule_wording import rule_detail
from luma_uni_mock.serve import RunningMock, serve_in_thread
from luma_uni_mock.spec_facts import load_spec_facts
from tests.mock.helpers import client, create, data_ref, detail

URL = {"url": "https://img.example/cat.png"}
FACTS = load_spec_facts(REPO_SPEC_PATH)
EDIT, MANGA = rule_wording.EDIT_TYPE, rule_wording.MANGA_STYLE  # the values the rules are about
IMAGE = next(t for t in FACTS.types if t != EDIT)
MAX_REFS = FACTS.max_image_refs
PORTRAIT = rule_wording.portrait_ratios(FACTS)
NOT_PORTRAIT = [ratio for ratio in FACTS.ratios_of(FACTS.default_model) if ratio not in PORTRAIT]


@pytest.mark.parametrize(
    ("body", "rule_id", "values"),
    [
        ({"source": URL}, "source_not_allowed", {}),
        ({"type": IMAGE, "source": URL}, "source_not_allowed", {}),
        ({"type": EDIT}, "source_required", {"value": EDIT}),
        ({"type": EDIT, "source": None}, "source_required", {"value": EDIT}),
        (
            {"type": EDIT, "source": {"url": URL["url"], "data": "aGk=", "media_type": "image/png"}},
            "ref_exactly_one",
            {"path": "source"},
        ),
        ({"type": EDIT, "source": {**URL, "file_id": str(uuid.uuid4())}}, "ref_exactly_one", {"path": "source"}),
        ({"type": EDIT, "source": {}}, "ref_exactly_one", {"path": "source"}),
        ({"type": EDIT, "source": {"url": None, "data": None}}, "ref_exactly_one", {"path": "source"}),
        ({"image_ref": [URL, {"media_type": "image/png"}]}, "ref_exactly_one", {"path": "image_ref[1]"}),
        ({"image_ref": [{"data": "aGk="}]}, "media_type_required", {"path": "image_ref[0]"}),
        ({"type": EDIT, "source": {"data": "aGk=", "media_type": None}}, "media_type_required", {"path": "source"}),
        ({"type": EDIT, "source": URL, "image_ref": [URL] * MAX_REFS}, "too_many_edit_refs", {}),
        ({"type": EDIT, "source": URL, "image_ref": [URL] * (MAX_REFS + 1)}, "too_many_edit_refs", {}),
        *(({"style": MANGA, "aspect_ratio": ratio}, "manga_landscape", {}) for ratio in NOT_PORTRAIT),
    ],
)
def test_each_cross_field_rule_answers_its_documented_400(
    api: httpx.Client, body: dict[str, Any], rule_id: str, values: dict[str, str]
) -> None:
    response = api.post("/generations", json={"prompt": "x", **body})
    assert response.status_code == FACTS.rule(rule_id).status
    assert detail(response) == rule_detail(rule_id, **values)


@pytest.mark.parametrize("ratio", [*PORTRAIT, None])
def test_manga_takes_portrait_ratios_or_none(api: httpx.Client, ratio: str | None) -> None:
    create(api, style=MANGA, aspect_ratio=ratio)


def test_accepted_combinations(api: httpx.Client) -> None:
    create(api, source=None)  # explicit null source is fine for type image
    create(api, image_ref=[URL] * MAX_REFS)
    edit = create(api, type=EDIT, source=URL, image_ref=[URL] * (MAX_REFS - 1))
    assert edit["type"] == EDIT
    # aspect_ratio is ignored for edits, so manga edits take any ratio (converting a photo to manga is documented).
    create(api, type=EDIT, source=data_ref(), style=MANGA, aspect_ratio=NOT_PORTRAIT[0])


# Refused by the mock's code (input media, files), which schema-only mode switches off.
REFUSED_BY_CODE = [
    {"image_ref": [{"url": "http://localhost/x.png"}]},
    {"image_ref": [{"data": "not base64!", "media_type": "image/png"}]},
    {"image_ref": [{"file_id": str(uuid.uuid4())}]},
    {"image_ref": [{**URL, "media_type": "video/mp4"}]},
]
# Refused by the request schema itself (its rule nodes), which schema-only mode enforces like any schema.
STATED_IN_THE_SCHEMA = [
    ({"source": URL}, "source_not_allowed"),
    ({"type": EDIT}, "source_required"),
    ({"image_ref": [{}]}, "ref_exactly_one"),
    ({"image_ref": [{"data": "data", "media_type": "media_type", "url": "url"}]}, "ref_exactly_one"),
    ({"style": MANGA, "aspect_ratio": NOT_PORTRAIT[0]}, "manga_landscape"),
    ({"type": EDIT, "source": URL, "image_ref": [URL] * MAX_REFS}, "too_many_edit_refs"),
]


@pytest.fixture(scope="module")
def schema_only_mock() -> Iterator[RunningMock]:
    with serve_in_thread(MockConfig(schema_only=True)) as running:
        yield running


@pytest.mark.parametrize("body", REFUSED_BY_CODE)
def test_schema_only_mode_lets_schema_valid_combinations_through(
    schema_only_mock: RunningMock, body: dict[str, Any]
) -> None:
    with client(schema_only_mock) as api:
        created = create(api, **body)
        assert created["state"] == "queued"
        # The schema itself is still enforced.
        assert api.post("/generations", json={"prompt": "x", "bogus": 1}).status_code == 400
        assert api.post("/generations", json={"prompt": "x" * (FACTS.prompt_max_length + 1)}).status_code == 400


@pytest.mark.parametrize(("body", "rule_id"), STATED_IN_THE_SCHEMA)
def test_schema_only_mode_still_refuses_what_the_schema_states(
    schema_only_mock: RunningMock, body: dict[str, Any], rule_id: str
) -> None:
    with client(schema_only_mock) as api:
        response = api.post("/generations", json={"prompt": "x", **body})
    assert response.status_code == FACTS.rule(rule_id).status
    assert rule_wording.parse_detail(FACTS, FACTS.rule(rule_id), detail(response)) is not None, detail(response)


def test_the_sdk_style_kitchen_sink_request_passes_in_permissive_mode(luma_mock_permissive: RunningMock) -> None:
    """What Stainless-generated SDK tests send to a stateless mock: every field, placeholder strings included."""
    ref = {"data": "data", "media_type": "media_type", "url": "url"}
    body = {
        "prompt": "prompt",
        "aspect_ratio": FACTS.aspect_ratios[0],
        "image_ref": [ref],
        "model": FACTS.models[0],
        "output_format": FACTS.output_formats[0],
        "source": ref,
        "style": FACTS.styles[0],
        "type": IMAGE,
        "user_id": "user_id",
        "web_search": True,
    }
    with client(luma_mock_permissive) as api:
        assert create(api, **body)["type"] == IMAGE
