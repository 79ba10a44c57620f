"""Fixtures for the client tests: a mock whose clock only moves when a test says so, fake time, a request log.

The behaviour tests are async and take ``client``: one body runs against Luma and against AsyncLuma on asyncio and
trio (anyio's pytest plugin; see ``mode``). Most use ``frozen_mock`` (the plugin's ``luma_mock_frozen``: its clock
moves only by ``advance``) with ``fake_time``, whose ``sleep`` takes no real time but moves the mock's clock by the
same amount. Waits, retries and URL expiry then run deterministically and instantly. The CLI tests, which sleep
for real, use ``luma_mock``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import cast

import pytest

from luma_uni_mock.serve import RunningMock
from tests.client.helpers import AnyClient, ClientFactory, FakeTime, Mode, RequestLog


@pytest.fixture
def frozen_mock(luma_mock_frozen: RunningMock) -> RunningMock:
    """A reset mock with a fresh key, whose generations progress only by ``control.advance``."""
    return luma_mock_frozen


@pytest.fixture
def fake_time(frozen_mock: RunningMock) -> FakeTime:
    return FakeTime(control=frozen_mock.control)


@pytest.fixture
def request_log() -> RequestLog:
    return RequestLog()


@pytest.fixture(params=["sync", "asyncio", "trio"])
def mode(request: pytest.FixtureRequest) -> Mode:
    """Every behaviour test runs for Luma and for AsyncLuma on asyncio and on trio."""
    return cast(Mode, request.param)


@pytest.fixture
def anyio_backend(mode: Mode) -> str:
    """anyio's pytest plugin runs each test on this backend (the sync client's tests too: they just never await)."""
    return "asyncio" if mode == "sync" else mode


@pytest.fixture
def open_client(mode: Mode, frozen_mock: RunningMock, fake_time: FakeTime, request_log: RequestLog) -> ClientFactory:
    """Opens this test's kind of client on the frozen mock (``async with open_client(max_retries=0) as client``)."""
    return ClientFactory(mode, frozen_mock, fake_time, request_log)


@pytest.fixture
async def client(open_client: ClientFactory) -> AsyncIterator[AnyClient]:
    """A Luma or AsyncLuma on the frozen mock, with fake time and every request logged."""
    async with open_client() as opened:
        yield opened
