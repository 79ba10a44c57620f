"""The client as parts 4's tests drive it: against a target, optionally recording what it sends and how long it
asks to wait."""

from __future__ import annotations

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


@contextmanager
def luma_for(
    target: Target,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    control: MockControl | None = None,
    max_retries: int = 2,
    headers: dict[str, str] | None = None,
    sent: list[httpx.Request] | None = None,
    timeout: float | None = None,
) -> Iterator[Luma]:
    """A client for ``target`` (or for the mock at ``base_url``, whose ``control`` is then given). Against a mock,
    every wait the client asks for moves that mock's clock instead of passing, and the client reads the mock's
    clock: a 30 s generation is polled on the client's own schedule, state by state, with no real time spent
    waiting. Against a live server the waits are real."""
    if control is None and base_url in (None, target.base_url):
        control = target.control
    if target.is_mock and control is None:
        raise ValueError(f"a client of a mock at {base_url} needs that mock's control, to move its clock")
    with _client(target, api_key, base_url, max_retries, headers, sent, timeout) as client:
        yield client if control is None else set_time(client, sleep=control.advance, clock=control.now)


@contextmanager
def recorded(
    target: Target, *, base_url: str | None = None, max_retries: int = 2
) -> Iterator[tuple[Luma, FakeTime, list[httpx.Request]]]:
    """A client for ``target`` whose every request is recorded and whose waits take no time (recorded too)."""
    sent: list[httpx.Request] = []
    fake = FakeTime()
    with _client(target, None, base_url, max_retries, None, sent, None) as luma:
        yield set_time(luma, sleep=fake.sleep, clock=fake.clock), fake, sent


@contextmanager
def _client(  # noqa: PLR0917 - private, called positionally by the two above
    target: Target,
    api_key: str | None,
    base_url: str | None,
    max_retries: int,
    headers: dict[str, str] | None,
    sent: list[httpx.Request] | None,
    timeout: float | None,
) -> Iterator[Luma]:
    hooks = {"request": [sent.append]} if sent is not None else {}
    with http_clients.client(event_hooks=hooks, timeout=httpx.Timeout(60.0, connect=5.0)) as http:
        yield Luma(
            api_key=api_key or target.api_key,
            base_url=base_url or target.base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=headers,
            http_client=http,
        )


def mock_control(target: Target) -> MockControl:
    """The mock's control (its fault queue), or skip: a live server cannot be told to fail."""
    if target.control is None:
        pytest.skip("mock only: needs the mock's fault queue")
    return target.control


def spend_one_post(paid_posts: PaidPostBudget) -> None:
    if not paid_posts.allows_post():
        pytest.skip(f"live mode: the cap of {paid_posts.cap} paid POSTs is reached")
    paid_posts.record_post(201)
