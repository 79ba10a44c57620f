"""The client as parts 4's tests drive it: against a target, optionally recording what it sends and how long it
asks to wait."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from conformance import http_clients
from conformance.fake_time import FakeTime
from conformance.schemathesis_setup import PaidPostBudget
from conformance.targets import Target
from luma_uni import Luma
from luma_uni.testing import set_time
from luma_uni_mock import MockControl
from luma_uni_mock.pytest_plugin import DEFAULT_TIME_SCALE


@contextmanager
def luma_for(
    target: Target,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    max_retries: int = 2,
    headers: dict[str, str] | None = None,
    sent: list[httpx.Request] | None = None,
    timeout: float | None = None,
) -> Iterator[Luma]:
    """A client for ``target``. Against the mock, its clock and sleep run at the mock's time scale, so a 30 s
    generation is waited for in 0.3 s exactly as the client would wait for it in real time."""
    scale = DEFAULT_TIME_SCALE if target.is_mock else 1.0
    hooks = {"request": [sent.append]} if sent is not None else {}
    with http_clients.client(event_hooks=hooks, timeout=httpx.Timeout(60.0, connect=5.0)) as http:
        client = Luma(
            api_key=api_key or target.api_key,
            base_url=base_url or target.base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=headers,
            http_client=http,
        )
        yield set_time(client, sleep=lambda s: time.sleep(s / scale), clock=lambda: time.monotonic() * scale)


@contextmanager
def recorded(
    target: Target, *, base_url: str | None = None, max_retries: int = 2
) -> Iterator[tuple[Luma, FakeTime, list[httpx.Request]]]:
    """A client for ``target`` whose every request is recorded and whose waits take no time (recorded too)."""
    sent: list[httpx.Request] = []
    fake = FakeTime()
    with luma_for(target, base_url=base_url, max_retries=max_retries, sent=sent) as luma:
        yield set_time(luma, sleep=fake.sleep, clock=fake.clock), fake, sent


def mock_control(target: Target) -> MockControl:
    """The mock's control (its fault queue), or skip: a live server cannot be told to fail."""
    if target.control is None:
        pytest.skip("mock only: needs the mock's fault queue")
    return target.control


def spend_one_post(paid_posts: PaidPostBudget) -> None:
    if not paid_posts.allows_post():
        pytest.skip(f"live mode: the cap of {paid_posts.cap} paid POSTs is reached")
    paid_posts.record_post(201)
