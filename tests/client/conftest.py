"""Fixtures for the client tests: a mock whose clock only moves when a test says so, fake time, a request log.

Most behaviour tests use ``frozen_mock`` (the plugin's ``luma_mock_frozen``: its clock moves only by ``advance``)
with ``fake_time``, whose ``sleep`` takes no real time but moves the mock's clock by the same amount. Waits, retries
and URL expiry then run deterministically and instantly. The CLI tests, which sleep for real, use ``luma_mock``.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from conformance.mock.serve import RunningMock
from luma_uni import Luma
from tests.client.helpers import FakeTime, RequestLog


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


@pytest.fixture
def client(frozen_mock: RunningMock, fake_time: FakeTime, request_log: RequestLog) -> Iterator[Luma]:
    """A Luma client on the frozen mock, with fake time and every request logged."""
    with (
        httpx.Client(event_hooks={"request": [request_log.record]}) as http,
        Luma(
            api_key=frozen_mock.api_key,
            base_url=frozen_mock.base_url,
            http_client=http,
            sleep=fake_time.sleep,
            clock=fake_time.clock,
        ) as luma,
    ):
        yield luma
