"""Rate limits on POST per API client: the sliding RPM window and the concurrent-jobs cap, their headers and bodies."""

from __future__ import annotations

import math
import uuid
from typing import Any

import httpx
import pytest

from luma_uni_mock import MockConfig
from luma_uni_mock.rate_limits import SWEEP_EVERY, RateLimiter
from luma_uni_mock.serve import RunningMock
from tests.mock.helpers import client, create, detail

RATE_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


def test_off_by_default_no_headers_no_throttling(api: httpx.Client) -> None:
    for _ in range(40):
        response = api.post("/generations", json={"prompt": "x"})
        assert response.status_code == 201
        assert not any(name in response.headers for name in RATE_HEADERS)


def test_the_rpm_window_counts_down_then_refuses_with_headers(luma_mock_factory: Any) -> None:
    # Frozen clock: all three requests are made at `start`, so every header is exact.
    mock: RunningMock = luma_mock_factory(MockConfig(rpm=3, time_scale=0))
    with client(mock) as api:
        start = mock.control.now()
        resets_at = str(math.ceil(start + 60))
        remaining = []
        for _ in range(3):
            response = api.post("/generations", json={"prompt": "x"})
            assert response.status_code == 201
            assert response.headers["x-ratelimit-limit"] == "3"
            assert response.headers["x-ratelimit-reset"] == resets_at
            remaining.append(int(response.headers["x-ratelimit-remaining"]))
        assert remaining == [2, 1, 0]
        refused = api.post("/generations", json={"prompt": "x"})
        assert refused.status_code == 429
        assert detail(refused) == "Rate limit exceeded"
        assert refused.headers["x-ratelimit-remaining"] == "0"
        assert refused.headers["x-ratelimit-limit"] == "3"
        assert refused.headers["retry-after"] == "60"
        assert refused.headers["x-ratelimit-reset"] == resets_at

        mock.control.advance(20)
        later = api.post("/generations", json={"prompt": "x"})
        assert later.headers["retry-after"] == "40"  # the oldest request leaves sooner now
        assert later.headers["x-ratelimit-reset"] == resets_at

        # Other keys have their own window; GETs are outside it.
        with client(mock, key="luma-api-other") as other:
            assert create(other)["state"] == "queued"
        assert api.get(f"/generations/{uuid.uuid4()}").status_code == 404

        mock.control.advance(39)
        assert api.post("/generations", json={"prompt": "x"}).headers["retry-after"] == "1"
        mock.control.advance(1)  # waiting exactly Retry-After is enough
        assert api.post("/generations", json={"prompt": "x"}).status_code == 201


def test_refused_and_invalid_requests_do_not_use_up_the_window(luma_mock_factory: Any) -> None:
    mock: RunningMock = luma_mock_factory(MockConfig(rpm=2, time_scale=0))
    with client(mock) as api:
        for _ in range(5):
            assert api.post("/generations", json={"prompt": ""}).status_code == 400
        assert api.post("/generations", json={"prompt": "x"}).headers["x-ratelimit-remaining"] == "1"


def test_the_concurrency_cap_refuses_with_a_fixed_retry_after_and_no_rate_headers(luma_mock_factory: Any) -> None:
    mock: RunningMock = luma_mock_factory(MockConfig(max_concurrent=2, time_scale=0))
    with client(mock) as api:
        create(api)
        create(api)
        refused = api.post("/generations", json={"prompt": "x"})
        assert refused.status_code == 429
        assert detail(refused) == "Too many concurrent jobs"
        assert refused.headers["retry-after"] == "60"
        assert not any(name in refused.headers for name in RATE_HEADERS)
        mock.control.advance(29)  # both jobs are still processing
        assert api.post("/generations", json={"prompt": "x"}).status_code == 429
        mock.control.advance(2)  # both jobs finished: slots are free again
        assert api.post("/generations", json={"prompt": "x"}).status_code == 201


def test_failed_jobs_free_their_slot_too(luma_mock_factory: Any) -> None:
    mock: RunningMock = luma_mock_factory(MockConfig(max_concurrent=1, time_scale=0))
    with client(mock) as api:
        api.post("/generations", json={"prompt": "x"}, headers={"X-Mock-Failure": "rate_limited"})
        assert api.post("/generations", json={"prompt": "x"}).status_code == 429
        mock.control.advance(29)
        assert api.post("/generations", json={"prompt": "x"}).status_code == 429
        mock.control.advance(2)
        assert api.post("/generations", json={"prompt": "x"}).status_code == 201


@pytest.mark.parametrize(("limit", "expected"), [("rpm", 30), ("max_concurrent", 10)])
def test_one_switch_turns_on_the_documented_defaults(luma_mock_factory: Any, limit: str, expected: int) -> None:
    config = MockConfig(rate_limits=True, time_scale=0)
    assert (config.effective_rpm, config.effective_max_concurrent) == (30, 10)
    # Lift the other limit so that this one is the first to bite.
    mock: RunningMock = luma_mock_factory(config.replace(**{"max_concurrent" if limit == "rpm" else "rpm": 1000}))
    with client(mock) as api:
        for _ in range(expected):
            assert api.post("/generations", json={"prompt": "x"}).status_code == 201
        refused = api.post("/generations", json={"prompt": "x"})
        assert refused.status_code == 429
        assert detail(refused) == ("Rate limit exceeded" if limit == "rpm" else "Too many concurrent jobs")


def test_idle_keys_are_forgotten_so_one_off_keys_cannot_pile_up() -> None:
    limiter = RateLimiter(rpm=5, max_concurrent=5, window_seconds=60)
    for index in range(SWEEP_EVERY):
        limiter.record(f"luma-api-{index}", now=0.0, finishes_at=30.0)
    assert limiter.tracked_keys() == SWEEP_EVERY
    for _ in range(SWEEP_EVERY):  # an hour later every other window and job is over; a sweep comes within this loop
        limiter.record("luma-api-late", now=3600.0, finishes_at=3630.0)
    assert limiter.tracked_keys() == 1


def test_a_201s_reset_is_a_minute_from_now_and_the_429s_when_the_oldest_leaves(luma_mock_factory: Any) -> None:
    mock: RunningMock = luma_mock_factory(MockConfig(rpm=2, time_scale=0))
    with client(mock) as api:
        start = mock.control.now()
        assert api.post("/generations", json={"prompt": "x"}).headers["x-ratelimit-reset"] == str(math.ceil(start + 60))
        mock.control.advance(25)
        second = api.post("/generations", json={"prompt": "x"})
        assert second.headers["x-ratelimit-reset"] == str(math.ceil(start + 25 + 60))  # not when the first leaves
        refused = api.post("/generations", json={"prompt": "x"})
        assert refused.status_code == 429
        assert refused.headers["x-ratelimit-reset"] == str(math.ceil(start + 60))
        assert refused.headers["retry-after"] == "35"


def test_keys_of_one_client_share_its_limits_and_other_clients_do_not(luma_mock_factory: Any) -> None:
    mock: RunningMock = luma_mock_factory(MockConfig(rpm=2, max_concurrent=3, time_scale=0))
    with (
        client(mock, key="luma-api-acme.ci") as ci,
        client(mock, key="luma-api-acme.laptop") as laptop,
        client(mock, key="luma-api-other.ci") as other,
    ):
        assert ci.post("/generations", json={"prompt": "x"}).headers["x-ratelimit-remaining"] == "1"
        assert laptop.post("/generations", json={"prompt": "x"}).headers["x-ratelimit-remaining"] == "0"
        assert ci.post("/generations", json={"prompt": "x"}).status_code == 429
        assert other.post("/generations", json={"prompt": "x"}).status_code == 201


def test_the_concurrency_cap_counts_every_key_of_the_client(luma_mock_factory: Any) -> None:
    mock: RunningMock = luma_mock_factory(MockConfig(max_concurrent=2, time_scale=0))
    with client(mock, key="luma-api-acme.ci") as ci, client(mock, key="luma-api-acme.laptop") as laptop:
        create(ci)
        create(laptop)
        refused = ci.post("/generations", json={"prompt": "x"})
        assert (refused.status_code, detail(refused)) == (429, "Too many concurrent jobs")
        with client(mock, key="luma-api-acme") as bare:  # the client's name alone is one of its keys too
            assert bare.post("/generations", json={"prompt": "x"}).status_code == 429
