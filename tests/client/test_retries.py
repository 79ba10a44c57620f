"""Retries lose nothing and bill nothing twice: GETs are retried freely, a POST only when nothing was created."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from luma_uni import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
)
from luma_uni._retries import RetryPolicy, parse_retry_after, should_retry
from luma_uni.errors import APIStatusError, status_error_class
from luma_uni_mock.serve import RunningMock
from tests.client.helpers import AnyClient, ClientFactory, FakeTime, RequestLog

pytestmark = pytest.mark.anyio  # the async tests run once per client kind (conftest: mode)


POLICY = RetryPolicy()


def status(code: int, *, api_body: bool = True, retry_after: float | None = None) -> APIStatusError:
    detail = "Upstream service unavailable" if api_body else None
    return status_error_class(code)(code, detail, retry_after=retry_after)


def connection(*, sent: bool, method: str = "POST") -> APIConnectionError:
    return APIConnectionError("x", method=method, url="/generations", request_sent=sent)


@pytest.mark.parametrize(
    ("method", "error", "retried"),
    [
        ("GET", status(500), True),
        ("GET", status(502, api_body=False), True),
        ("GET", status(408), True),
        ("GET", status(409), True),
        ("GET", status(429), True),
        ("GET", status(404), False),
        ("GET", status(401), False),
        ("GET", connection(sent=True, method="GET"), True),
        ("POST", connection(sent=False), True),  # connection refused, connect timeout: never reached the server
        ("POST", connection(sent=True), False),  # read timeout, dropped connection: may have been processed
        ("POST", status(429), True),
        ("POST", status(408), True),
        ("POST", status(502), True),  # the API's own "Upstream service unavailable": nothing was created
        ("POST", status(503), True),
        ("POST", status(502, api_body=False), False),  # a proxy's page: the API may have acted
        ("POST", status(500), False),
        ("POST", status(504), False),
        ("POST", status(409), False),
        ("POST", status(400), False),
        ("POST", status(402), False),
        ("GET", status(429, retry_after=POLICY.retry_after_cap + 1), False),  # longer than we will block
    ],
)
def test_policy(method: str, error: Exception, retried: bool) -> None:
    assert should_retry(method, error, POLICY) is retried


def test_retry_after_seconds_and_http_date() -> None:
    now = 1_775_649_600.0
    assert parse_retry_after("12", now) == 12.0
    assert parse_retry_after("1.5", now) == 1.5
    http_date = format_datetime(datetime.fromtimestamp(now + 30, UTC), usegmt=True)
    assert parse_retry_after(http_date, now) == pytest.approx(30.0)
    past = format_datetime(datetime.fromtimestamp(now - 30, UTC), usegmt=True)
    assert parse_retry_after(past, now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("nan", now) is None
    assert parse_retry_after(None, now) is None


async def test_429_retry_after_is_honoured(
    client: AnyClient, frozen_mock: RunningMock, fake_time: FakeTime, request_log: RequestLog
) -> None:
    frozen_mock.control.add_fault(method="POST", path_contains="/generations", status=429, retry_after=7)
    generation = await client.generations.create(prompt="a lighthouse")
    assert generation.state == "queued"
    assert fake_time.sleeps == [7.0]
    assert request_log.count("POST") == 2
    assert frozen_mock.control.generation_count() == 1


async def test_429_with_http_date_retry_after_is_honoured(open_client: ClientFactory, fake_time: FakeTime) -> None:
    # The mock sends seconds; an HTTP date arrives through a transport that rewrites the header.
    def handler(request: httpx.Request) -> httpx.Response:
        if len(fake_time.sleeps) == 0:
            when = format_datetime(datetime.fromtimestamp(datetime.now(UTC).timestamp() + 20, UTC), usegmt=True)
            return httpx.Response(429, json={"detail": "Rate limit exceeded"}, headers={"Retry-After": when})
        return httpx.Response(201, json=_queued())

    transport = httpx.MockTransport(handler)
    async with open_client({"transport": transport}, base_url="https://api.example/v1") as client:
        await client.generations.create(prompt="x")
    assert len(fake_time.sleeps) == 1
    assert 18 <= fake_time.sleeps[0] <= 20


async def test_retry_after_beyond_the_cap_is_raised_at_once(
    client: AnyClient, frozen_mock: RunningMock, fake_time: FakeTime, request_log: RequestLog
) -> None:
    frozen_mock.control.add_fault(method="POST", path_contains="/generations", status=429, retry_after=3600)
    with pytest.raises(RateLimitError) as caught:
        await client.generations.create(prompt="a lighthouse")
    assert caught.value.retry_after == 3600.0
    assert fake_time.sleeps == []
    assert request_log.count("POST") == 1


async def test_5xx_on_get_is_retried_with_backoff(
    client: AnyClient, frozen_mock: RunningMock, fake_time: FakeTime, request_log: RequestLog
) -> None:
    generation = await client.generations.create(prompt="a lighthouse")
    frozen_mock.control.add_fault(method="GET", path_contains="/generations/", status=503, times=2)
    assert (await client.generations.get(generation.id)).id == generation.id
    assert request_log.count("GET") == 3
    assert len(fake_time.sleeps) == 2
    first, second = fake_time.sleeps
    assert 0.5 <= first <= 1.0 and 1.0 <= second <= 1.5  # 0.5 s then 1 s, plus up to 0.5 s of jitter


async def test_get_gives_up_after_max_retries(
    client: AnyClient, frozen_mock: RunningMock, fake_time: FakeTime, request_log: RequestLog
) -> None:
    generation = await client.generations.create(prompt="a lighthouse")
    frozen_mock.control.add_fault(method="GET", path_contains="/generations/", status=500, times=5)
    with pytest.raises(InternalServerError):
        await client.generations.get(generation.id)
    assert request_log.count("GET") == 3  # max_retries=2: three attempts


async def test_dropped_get_is_retried(client: AnyClient, frozen_mock: RunningMock, request_log: RequestLog) -> None:
    generation = await client.generations.create(prompt="a lighthouse")
    frozen_mock.control.add_fault(method="GET", path_contains="/generations/", drop=True)
    assert (await client.generations.get(generation.id)).id == generation.id
    assert request_log.count("GET") == 2


async def test_post_is_not_retried_after_a_read_timeout(
    open_client: ClientFactory, frozen_mock: RunningMock, fake_time: FakeTime, request_log: RequestLog
) -> None:
    log = request_log
    frozen_mock.control.add_fault(method="POST", path_contains="/generations", delay_ms=3000)
    timeout = httpx.Timeout(5.0, read=0.5)  # only the read times out, however busy the machine
    async with open_client(timeout=timeout) as client:
        with pytest.raises(APITimeoutError) as caught:
            await client.generations.create(prompt="a lighthouse")
    assert caught.value.request_sent is True
    assert "may have been processed" in str(caught.value)
    assert log.count("POST") == 1
    assert fake_time.sleeps == []


async def test_post_is_not_retried_after_a_dropped_connection(
    client: AnyClient, frozen_mock: RunningMock, request_log: RequestLog
) -> None:
    frozen_mock.control.add_fault(method="POST", path_contains="/generations", drop=True)
    with pytest.raises(APIConnectionError) as caught:
        await client.generations.create(prompt="a lighthouse")
    assert caught.value.request_sent is True
    assert request_log.count("POST") == 1


async def test_post_is_retried_when_the_server_cannot_be_reached(
    open_client: ClientFactory, fake_time: FakeTime, request_log: RequestLog
) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: connections are refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with open_client(base_url=f"http://127.0.0.1:{port}/v1") as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.generations.create(prompt="a lighthouse")
    assert caught.value.request_sent is False
    assert request_log.count("POST") == 3
    assert len(fake_time.sleeps) == 2


async def test_502_from_the_api_on_post_is_retried(
    client: AnyClient, frozen_mock: RunningMock, request_log: RequestLog
) -> None:
    frozen_mock.control.add_fault(method="POST", path_contains="/generations", status=502)
    await client.generations.create(prompt="a lighthouse")
    assert request_log.count("POST") == 2
    assert frozen_mock.control.generation_count() == 1


async def test_500_on_post_is_not_retried(client: AnyClient, frozen_mock: RunningMock, request_log: RequestLog) -> None:
    frozen_mock.control.add_fault(method="POST", path_contains="/generations", status=500)
    with pytest.raises(InternalServerError):
        await client.generations.create(prompt="a lighthouse")
    assert request_log.count("POST") == 1


async def test_max_retries_zero_disables_retries(
    open_client: ClientFactory, frozen_mock: RunningMock, request_log: RequestLog
) -> None:
    frozen_mock.control.add_fault(method="POST", path_contains="/generations", status=429, retry_after=1)
    async with open_client(max_retries=0) as client:
        with pytest.raises(RateLimitError):
            await client.generations.create(prompt="a lighthouse")
    assert request_log.count("POST") == 1


async def test_the_default_sleep_and_clock_work(open_client: ClientFactory, frozen_mock: RunningMock) -> None:
    frozen_mock.control.add_fault(method="POST", path_contains="/generations", status=429, retry_after=0)
    async with open_client(real_time=True) as client:  # time.sleep, or anyio.sleep on asyncio and trio
        assert (await client.generations.create(prompt="x")).state == "queued"


def _queued() -> dict[str, object]:
    return {
        "id": "d290f1ee-6c54-4b01-90e6-d701748f0851",
        "type": "image",
        "state": "queued",
        "model": "uni-1",
        "created_at": "2026-04-08T12:00:00Z",
        "output": [],
        "failure_reason": None,
        "failure_code": None,
    }
