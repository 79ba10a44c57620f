"""Test helpers for the client tests: fake time that moves the mock's clock, a request log, sample images."""

from __future__ import annotations

import contextlib
import inspect
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, cast

import av
import httpx
from PIL import Image

from luma_agents_client import contract
from luma_agents_client.models import GenerationType
from luma_uni import AsyncLuma, Luma
from luma_uni.testing import set_time
from luma_uni_mock.control import MockControl
from luma_uni_mock.serve import RunningMock

Mode = Literal["sync", "asyncio", "trio"]
"""Which client a behaviour test runs: Luma (its calls made straight from the test), or AsyncLuma on a backend."""


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


class Awaited:
    """Any object's methods as async functions: a sync result is returned as is, an awaitable one awaited. Over
    ``Luma().generations`` and ``AsyncLuma().generations`` alike, so one test body runs against both clients."""

    def __init__(self, target: Any) -> None:  # Any: the sync and the async classes share no base type
        self._target = target

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        method = getattr(self._target, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            return await result if inspect.isawaitable(result) else result

        return call

    @property
    def with_raw_response(self) -> Awaited:
        return Awaited(self._target.with_raw_response)


@dataclass
class AnyClient:
    """A Luma or an AsyncLuma for a behaviour test: ``await client.generations.create(...)`` calls either."""

    luma: Luma | AsyncLuma
    http: httpx.Client | httpx.AsyncClient  # the borrowed httpx client it sends through

    @property
    def generations(self) -> Awaited:
        return Awaited(self.luma.generations)


@dataclass
class ClientFactory:
    """Opens the test's kind of client on ``mock`` with fake time (unless ``real_time``) and a request log; ``http``
    goes to the httpx client, ``options`` (which win over the defaults) to Luma or AsyncLuma."""

    mode: Mode
    mock: RunningMock
    fake_time: FakeTime
    log: RequestLog

    @contextlib.asynccontextmanager
    async def __call__(
        self, http: dict[str, Any] | None = None, *, real_time: bool = False, **options: Any
    ) -> AsyncIterator[AnyClient]:
        sync = self.mode == "sync"
        hook = self.log.record if sync else self.log.arecord
        http_options = {"event_hooks": {"request": [hook]}, **(http or {})}
        settings = {"api_key": self.mock.api_key, "base_url": self.mock.base_url, **options}
        if sync:
            with httpx.Client(**http_options) as http_client, Luma(http_client=http_client, **settings) as luma:
                if not real_time:
                    set_time(luma, sleep=self.fake_time.sleep, clock=self.fake_time.clock)
                yield AnyClient(luma, http_client)
        else:
            async with (
                httpx.AsyncClient(**http_options) as async_http,
                AsyncLuma(http_client=async_http, **settings) as async_luma,
            ):
                if not real_time:
                    set_time(async_luma, sleep=self.fake_time.async_sleep, clock=self.fake_time.clock)
                yield AnyClient(async_luma, async_http)


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (24, 16)) -> bytes:
    """A small real image in ``fmt`` (PNG, JPEG, WEBP, GIF)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 20)).save(buffer, format=fmt)
    return buffer.getvalue()


def model_for(kind: GenerationType) -> str:
    """The first model whose per-model schema item makes ``kind``."""
    return next(model for model, types in contract.MODEL_TYPES.items() if kind.value in types)


def video_seconds(path: Path) -> tuple[float, tuple[int, int]]:
    """The duration and frame size of the first video stream, as PyAV decodes it."""
    with av.open(str(path)) as container:
        [stream] = container.streams.video
        frames = sum(1 for _ in container.decode(stream))
        assert stream.average_rate is not None
        return float(Fraction(frames) / stream.average_rate), (stream.width, stream.height)


def check_layer_files(paths: list[Path]) -> None:
    """Each layer file is an RGBA PNG; every layer but the last (the background, opaque) is partly transparent."""
    for index, path in enumerate(paths):
        assert path.suffix == ".png"
        with Image.open(path) as picture:
            assert picture.mode == "RGBA"
            low, high = cast(tuple[int, int], picture.getchannel("A").getextrema())
        assert high == 255
        assert low < 255 if index < len(paths) - 1 else low == 255
