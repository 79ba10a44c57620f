"""Fixtures of the mock's tests: httpx clients on the session's frozen-clock mock (reset per test, fresh key).

The mock's own tests use ``luma_mock_frozen``: its clock moves only when a test calls ``advance()``, so a check
right inside a phase, an expiry or a rate-limit window cannot be overtaken by real time on a busy machine.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from luma_uni_mock.serve import RunningMock
from tests.mock.helpers import client


@pytest.fixture
def api(luma_mock_frozen: RunningMock) -> Iterator[httpx.Client]:
    with client(luma_mock_frozen) as http:
        yield http


@pytest.fixture
def raw(luma_mock_frozen: RunningMock) -> Iterator[httpx.Client]:
    """An unauthenticated client on the mock's root URL (control routes, presigned files, hand-made requests)."""
    with httpx.Client(base_url=luma_mock_frozen.root_url, timeout=30.0) as http:
        yield http
