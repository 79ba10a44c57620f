"""AsyncLuma behaves like Luma: create, wait, typed failures, retries, downloads, the deadline."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from conformance.mock.serve import RunningMock
from luma_uni import APIConnectionError, AsyncLuma, GenerationFailedError, RateLimitError, WaitTimeoutError
from tests.client.helpers import FakeTime, RequestLog, async_client, image_bytes


def test_create_and_wait_then_download(frozen_mock: RunningMock, fake_time: FakeTime, tmp_path: Path) -> None:
    log = RequestLog()
    states: list[str] = []

    async def scenario() -> list[Path]:
        async with async_client(frozen_mock, fake_time, log) as client:
            generation = await client.generations.create_and_wait(
                prompt="a lighthouse", on_progress=lambda g: states.append(str(g.state))
            )
            assert generation.state == "completed"
            frozen_mock.control.advance(2 * 3600)  # the URL expires: refreshed on download
            return await client.generations.download(generation, tmp_path)

    [path] = asyncio.run(scenario())
    assert path.read_bytes().startswith(b"\x89PNG")
    assert (states[0], states[-1]) == ("queued", "completed")
    assert log.count("GET") <= 20


def test_edit_of_a_local_file(frozen_mock: RunningMock, fake_time: FakeTime, tmp_path: Path) -> None:
    source = tmp_path / "photo.png"
    source.write_bytes(image_bytes("PNG"))

    async def scenario() -> str:
        async with async_client(frozen_mock, fake_time, RequestLog()) as client:
            generation = await client.generations.create_and_wait(prompt="winter", type="image_edit", source=source)
            return str(generation.type_)

    assert asyncio.run(scenario()) == "image_edit"


def test_failure_is_typed(frozen_mock: RunningMock, fake_time: FakeTime) -> None:
    async def scenario() -> None:
        async with async_client(frozen_mock, fake_time, RequestLog()) as client:
            await client.generations.create_and_wait(prompt="x [mock:failure=output_not_found]")

    with pytest.raises(GenerationFailedError) as caught:
        asyncio.run(scenario())
    assert caught.value.failure_code == "output_not_found"
    assert caught.value.retryable is True


def test_429_retry_after_honoured_and_dropped_post_not_retried(frozen_mock: RunningMock, fake_time: FakeTime) -> None:
    log = RequestLog()

    async def scenario() -> None:
        async with async_client(frozen_mock, fake_time, log) as client:
            frozen_mock.control.add_fault(method="POST", path_contains="/generations", status=429, retry_after=3)
            await client.generations.create(prompt="x")
            frozen_mock.control.add_fault(method="POST", path_contains="/generations", drop=True)
            await client.generations.create(prompt="y")

    with pytest.raises(APIConnectionError) as caught:
        asyncio.run(scenario())
    assert caught.value.request_sent is True
    assert fake_time.sleeps == [3.0]
    assert log.count("POST") == 3  # 429, retry, then the dropped one (not retried)


def test_rate_limit_beyond_the_cap_is_raised(frozen_mock: RunningMock, fake_time: FakeTime) -> None:
    async def scenario() -> None:
        async with async_client(frozen_mock, fake_time, RequestLog()) as client:
            frozen_mock.control.add_fault(method="POST", path_contains="/generations", status=429, retry_after=600)
            await client.generations.create(prompt="x")

    with pytest.raises(RateLimitError):
        asyncio.run(scenario())
    assert fake_time.sleeps == []


def test_deadline(frozen_mock: RunningMock, fake_time: FakeTime) -> None:
    async def scenario() -> None:
        async with async_client(frozen_mock, fake_time, RequestLog()) as client:
            await client.generations.create_and_wait(prompt="x", timeout=5)

    with pytest.raises(WaitTimeoutError) as caught:
        asyncio.run(scenario())
    assert caught.value.last_state in ("queued", "processing")


def test_default_sleep_and_clock_work(frozen_mock: RunningMock) -> None:
    log = RequestLog()

    async def scenario() -> str:
        async with (
            httpx.AsyncClient(event_hooks={"request": [log.arecord]}) as http,
            AsyncLuma(api_key=frozen_mock.api_key, base_url=frozen_mock.base_url, http_client=http) as client,
        ):
            frozen_mock.control.add_fault(method="POST", path_contains="/generations", status=429, retry_after=0)
            return str((await client.generations.create(prompt="x")).state)

    assert asyncio.run(scenario()) == "queued"
    assert log.count("POST") == 2
