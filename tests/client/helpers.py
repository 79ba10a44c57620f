"""Test helpers for the client tests: fake time that moves the mock's clock, a request log, sample images."""

from __future__ import annotations

import contextlib
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from PIL import Image

from conformance.mock.serve import RunningMock
from conformance.mock.state import MockControl
from luma_uni import AsyncLuma


@dataclass
class FakeTime:
    """``sleep`` records the delay, moves a fake monotonic clock and the mock's clock; no real time passes."""

    control: MockControl | None = None
    now: float = 1_000.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.control is not None:
            self.control.advance(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def clock(self) -> float:
        return self.now


@dataclass
class RequestLog:
    """Every request an httpx client sent (via an event hook): method, URL and headers."""

    requests: list[httpx.Request] = field(default_factory=list)

    def record(self, request: httpx.Request) -> None:
        self.requests.append(request)

    async def arecord(self, request: httpx.Request) -> None:
        self.requests.append(request)

    def count(self, method: str, path_contains: str = "/generations") -> int:
        return sum(1 for r in self.requests if r.method == method and path_contains in r.url.path)


@contextlib.asynccontextmanager
async def async_client(
    mock: RunningMock, fake_time: FakeTime, log: RequestLog, **options: Any
) -> AsyncIterator[AsyncLuma]:
    """An AsyncLuma on ``mock`` with fake time and a request log; closes its httpx client on exit."""
    async with (
        httpx.AsyncClient(event_hooks={"request": [log.arecord]}) as http,
        AsyncLuma(
            api_key=mock.api_key,
            base_url=mock.base_url,
            http_client=http,
            sleep=fake_time.async_sleep,
            clock=fake_time.clock,
            **options,
        ) as client,
    ):
        yield client


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (24, 16)) -> bytes:
    """A small real image in ``fmt`` (PNG, JPEG, WEBP, GIF)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 20)).save(buffer, format=fmt)
    return buffer.getvalue()
