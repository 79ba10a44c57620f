"""Fixtures of the mock's tests: an httpx client on the session mock (reset per test, fresh key)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from conformance.mock.serve import RunningMock
from tests.mock.helpers import client


@pytest.fixture
def api(luma_mock: RunningMock) -> Iterator[httpx.Client]:
    with client(luma_mock) as http:
        yield http


@pytest.fixture
def raw(luma_mock: RunningMock) -> Iterator[httpx.Client]:
    """An unauthenticated client on the mock's root URL (control routes, presigned files, hand-made requests)."""
    with httpx.Client(base_url=luma_mock.root_url, timeout=30.0) as http:
        yield http
