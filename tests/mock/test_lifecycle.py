"""The Generation lifecycle on the mock clock, failure on demand, visibility per API client, and 404s."""

from __future__ import annotations

import datetime
import time
import uuid
from typing import Any

import httpx
import jsonschema
import pytest

from conformance.spec import enum_values, load_spec, schema
from luma_uni_mock import MockConfig, app
from luma_uni_mock.clock import MockClock
from luma_uni_mock.serve import RunningMock
from tests.mock.helpers import GENERATION_KEYS, client, create, detail

FAILURE_REASONS: dict[str, str] = schema("FailureCode")["x-failure-reasons"]

# The spec's Generation schema, with its $refs resolvable, as the oracle for every body the mock sends.
_SPEC = load_spec()
GENERATION_VALIDATOR = jsonschema.Draft202012Validator(
    {"$ref": "#/components/schemas/Generation", "components": _SPEC["components"]},
    format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
)


def _check_generation(body: dict[str, Any]) -> None:
    assert set(body) == GENERATION_KEYS  # all 8 keys, nulls and [] included
    GENERATION_VALIDATOR.validate(body)


def _get(api: httpx.Client, generation_id: str) -> dict[str, Any]:
    response = api.get(f"/generations/{generation_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    _check_generation(body)
    return body


def test_post_answers_queued_with_defaults_and_all_keys(api: httpx.Client) -> None:
    response = api.post("/generations", json={"prompt": "a cat"})
    assert response.status_code == 201
    body = response.json()
    _check_generation(body)
    assert uuid.UUID(body["id"]).version == 4
    assert body["state"] == "queued"
    assert (body["model"], body["type"], body["output"]) == ("uni-1", "image", [])
    assert body["failure_code"] is None and body["failure_reason"] is None
    created = datetime.datetime.fromisoformat(body["created_at"].replace("Z", "+00:00"))
    assert created.tzinfo == datetime.UTC and body["created_at"].endswith("Z")


@pytest.mark.parametrize("unix_seconds", [0, 9, 59, 60, 3599, 86399, 86400, 951_868_799, 1_780_000_009])
def test_created_at_is_the_creation_second_in_rfc_3339(unix_seconds: int) -> None:
    """The minute is formatted once and the seconds appended (app._rfc3339): at every boundary it must still read
    as the one formatting of the whole time."""
    assert app._rfc3339(unix_seconds) == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(unix_seconds))


def test_queued_then_processing_then_completed_on_the_clock(luma_mock_frozen: RunningMock, api: httpx.Client) -> None:
    # Default durations: 2 s queued, 28 s processing (mock seconds). The clock is frozen, so each state is checked
    # one mock second inside its phase, however long the machine takes between requests.
    generation_id = create(api)["id"]
    assert _get(api, generation_id)["state"] == "queued"
    luma_mock_frozen.control.advance(1)
    assert _get(api, generation_id)["state"] == "queued"
    luma_mock_frozen.control.advance(2)
    assert _get(api, generation_id)["state"] == "processing"
    luma_mock_frozen.control.advance(26)
    assert _get(api, generation_id)["state"] == "processing"
    luma_mock_frozen.control.advance(2)
    done = _get(api, generation_id)
    assert done["state"] == "completed"
    assert len(done["output"]) == 1 and done["output"][0]["type"] == "image"
    assert done["failure_code"] is None


def test_a_generation_created_with_zero_durations_is_still_answered_queued(luma_mock_factory: Any) -> None:
    # Frozen: the GET happens at the very instant of the POST, and the generation is already done.
    mock: RunningMock = luma_mock_factory(MockConfig(time_scale=0, queued_seconds=0, processing_seconds=0))
    with client(mock) as api:
        created = create(api)
        assert created["state"] == "queued"
        assert _get(api, created["id"])["state"] == "completed"


def test_configured_durations_are_used(luma_mock_factory: Any) -> None:
    mock: RunningMock = luma_mock_factory(MockConfig(time_scale=0, queued_seconds=3600, processing_seconds=0))
    with client(mock) as api:
        generation_id = create(api)["id"]
        mock.control.advance(3599)
        assert _get(api, generation_id)["state"] == "queued"
        mock.control.advance(1)
        assert _get(api, generation_id)["state"] == "completed"


def test_the_clock_runs_at_its_time_scale_and_a_scale_of_zero_freezes_it() -> None:
    real = [1000.0]  # a fake monotonic clock: the test decides how much real time passes
    clock = MockClock(100, wall=lambda: 1_700_000_000.0, monotonic=lambda: real[0])
    real[0] += 0.25
    assert clock.now() == 1_700_000_025.0
    clock.advance(3600)
    assert clock.now() == 1_700_003_625.0
    frozen = MockClock(0, wall=lambda: 1_700_000_000.0, monotonic=lambda: real[0])
    real[0] += 1e6
    assert frozen.now() == 1_700_000_000.0
    frozen.advance(5)
    assert frozen.now() == 1_700_000_005.0
    with pytest.raises(ValueError, match="only moves forward"):
        frozen.advance(-1)


def test_the_session_mock_moves_on_real_time(luma_mock: RunningMock) -> None:
    """``luma_mock`` runs 100x fast: a generation nobody advances completes by itself, passing through each state
    in order. No bound on how fast: the deadline only keeps a broken clock from hanging the run."""
    order = ["queued", "processing", "completed"]
    with client(luma_mock) as api:
        generation_id = create(api)["id"]
        seen = ["queued"]
        deadline = time.monotonic() + 120  # 12,000 mock seconds, 400 times the job's 30
        while seen[-1] != "completed" and time.monotonic() < deadline:
            state = _get(api, generation_id)["state"]
            assert order.index(state) >= order.index(seen[-1]), (seen, state)  # never goes back
            seen.append(state)
            time.sleep(0.01)
        assert seen[-1] == "completed", seen


@pytest.mark.parametrize("code", enum_values("FailureCode"))
def test_failure_on_demand_by_header_for_every_code(
    luma_mock_frozen: RunningMock, api: httpx.Client, code: str
) -> None:
    response = api.post("/generations", json={"prompt": "x"}, headers={"X-Mock-Failure": code})
    assert response.status_code == 201
    assert response.json()["state"] == "queued"
    luma_mock_frozen.control.advance(29)
    processing = _get(api, response.json()["id"])
    assert (processing["state"], processing["failure_code"], processing["failure_reason"]) == ("processing", None, None)
    luma_mock_frozen.control.advance(2)  # its 30 s are over
    failed = _get(api, response.json()["id"])
    assert failed["state"] == "failed"
    assert failed["failure_code"] == code
    assert failed["failure_reason"] == FAILURE_REASONS[code]
    assert failed["output"] == []


@pytest.mark.parametrize("code", enum_values("FailureCode"))
def test_failure_on_demand_by_prompt_marker(luma_mock_frozen: RunningMock, api: httpx.Client, code: str) -> None:
    generation_id = create(api, prompt=f"a cat [mock:failure={code}] on a mat")["id"]
    luma_mock_frozen.control.advance(60)
    assert _get(api, generation_id)["failure_code"] == code


def test_documented_failure_reasons_are_used_verbatim() -> None:
    """luma-api.md §2 is the oracle: the spec's x-failure-reasons keep the four documented strings."""
    assert FAILURE_REASONS["content_moderated"] == "Generation output was flagged by our content moderation system."
    assert FAILURE_REASONS["budget_exhausted"] == "Insufficient credits to complete this generation."
    assert FAILURE_REASONS["generation_failed"] == "Generation failed"
    assert FAILURE_REASONS["output_not_found"] == "Output artifacts not found"


def test_an_unknown_failure_code_is_refused(api: httpx.Client) -> None:
    response = api.post("/generations", json={"prompt": "x"}, headers={"X-Mock-Failure": "meltdown"})
    assert response.status_code == 400
    assert detail(response).startswith(
        f"Unknown mock failure code 'meltdown'. Valid: {', '.join(sorted(FAILURE_REASONS))}"
    )
    response = api.post("/generations", json={"prompt": "x [mock:failure=meltdown]"})
    assert response.status_code == 400


def test_generations_are_visible_only_to_the_keys_of_the_client_that_created_them(
    luma_mock_frozen: RunningMock, api: httpx.Client
) -> None:
    generation_id = create(api)["id"]
    with client(luma_mock_frozen, key="luma-api-someone-else") as other:
        response = other.get(f"/generations/{generation_id}")
        assert response.status_code == 404
        assert detail(response) == "Generation not found"
    # Keys sharing the text before the first "." are one client's (auth.client_of); the bare name is one too.
    for sibling_key in (f"{luma_mock_frozen.api_key}.ci", f"{luma_mock_frozen.api_key}.ci.nightly"):
        with client(luma_mock_frozen, key=sibling_key) as sibling:
            assert _get(sibling, generation_id)["id"] == generation_id
    with client(luma_mock_frozen, key=f"{luma_mock_frozen.api_key}.ci") as sibling:
        made_by_sibling = create(sibling)["id"]
    assert _get(api, made_by_sibling)["id"] == made_by_sibling
    with client(luma_mock_frozen, key=f"{luma_mock_frozen.api_key}x.ci") as lookalike:  # another client's name
        assert lookalike.get(f"/generations/{generation_id}").status_code == 404
    assert _get(api, generation_id)["id"] == generation_id


@pytest.mark.parametrize(
    "generation_id",
    [
        "d290f1ee-6c54-4b01-90e6-d701748f0851",  # well formed, fixed (xdist workers must collect the same ids)
        "not-a-uuid",
        "d290f1ee6c5440b190e6d701748f0851",
        "{d290f1ee-6c54-4b01-90e6-d701748f0851}",
        "urn:uuid:d290f1ee-6c54-4b01-90e6-d701748f0851",
        "%00",
        "1" * 500,
    ],
)
def test_unknown_or_malformed_ids_get_404_generation_not_found(api: httpx.Client, generation_id: str) -> None:
    response = api.get(f"/generations/{generation_id}")
    assert response.status_code == 404
    assert detail(response) == "Generation not found"


def test_an_id_in_upper_case_finds_the_same_generation(api: httpx.Client) -> None:
    generation_id = create(api)["id"]
    assert _get(api, generation_id.upper())["id"] == generation_id


def test_reset_forgets_generations(luma_mock_frozen: RunningMock, api: httpx.Client) -> None:
    generation_id = create(api)["id"]
    luma_mock_frozen.control.reset()
    assert api.get(f"/generations/{generation_id}").status_code == 404


def test_model_and_type_are_echoed(api: httpx.Client) -> None:
    body = create(api, model="uni-1-max", type="image_edit", source={"url": "https://img.example/a.png"})
    assert (body["model"], body["type"]) == ("uni-1-max", "image_edit")
    assert _get(api, body["id"])["model"] == "uni-1-max"
