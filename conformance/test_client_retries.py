"""Part 4: when the client sends a request again and how long it waits first (docs/client.md, "Retry policy"),
seen from outside: the requests on the wire, the waits it asks its sleep for (``set_time``: no real time passes),
what it raises and what it logs."""

from __future__ import annotations

import logging
import socket
import uuid

import httpx
import pytest

from conformance import http_clients
from conformance.client_under_test import mock_control, recorded
from conformance.error_cases import PROMPT
from conformance.fake_time import FakeTime
from conformance.report import PARTS, STATS
from conformance.targets import Target
from luma_uni import Luma, errors
from luma_uni._retries import RetryPolicy
from luma_uni.testing import set_time

PART = PARTS["test_client_e2e"]
POLICY = RetryPolicy()  # the documented defaults: two retries, Retry-After slept through up to 60 s
TRANSIENT = 503  # a status every GET is retried on (any 5xx)


def _gets(sent: list[httpx.Request]) -> int:
    return sum(request.method == "GET" for request in sent)


@pytest.mark.parametrize("seconds", [0, 7, POLICY.retry_after_cap])
def test_a_retry_waits_what_retry_after_says(http_target: Target, seconds: float) -> None:
    """The server's Retry-After is the wait, to the second, up to the cap included."""
    control = mock_control(http_target)
    with recorded(http_target) as (luma, fake, sent):
        generation = luma.generations.create(prompt=PROMPT)
        control.add_fault("GET", f"/generations/{generation.id}", TRANSIENT, retry_after=seconds)
        again = luma.generations.get(generation.id)
    STATS.case(PART)
    ok = (_gets(sent), fake.sleeps, again.id) == (2, [seconds], generation.id)
    reason = f"Retry-After {seconds}: {_gets(sent)} GETs, waited {fake.sleeps}"
    STATS.check("client_retry_after_honoured", ok, None if ok else reason)
    assert ok, reason


def test_a_retry_after_beyond_the_cap_is_raised_at_once(http_target: Target) -> None:
    """A Retry-After longer than the cap is not slept through: the error comes at once, with the wait it asked."""
    control = mock_control(http_target)
    longer = POLICY.retry_after_cap + 1
    with recorded(http_target) as (luma, fake, sent):
        generation = luma.generations.create(prompt=PROMPT)
        control.add_fault("GET", f"/generations/{generation.id}", 429, retry_after=longer)
        with pytest.raises(errors.RateLimitError) as caught:
            luma.generations.get(generation.id)
    STATS.case(PART)
    ok = (_gets(sent), fake.sleeps, caught.value.retry_after) == (1, [], longer)
    reason = f"Retry-After {longer}: {_gets(sent)} GETs, waited {fake.sleeps}, retry_after {caught.value.retry_after}"
    STATS.check("client_retry_after_honoured", ok, None if ok else reason)
    assert ok, reason


def test_without_retry_after_the_waits_back_off_and_are_logged(
    http_target: Target, caplog: pytest.LogCaptureFixture
) -> None:
    """0.5 s, then 1 s, each plus up to 0.5 s of jitter; ``max_retries`` repeats at most; each retry logged (what
    ``LUMA_LOG=info`` shows) with the method, the wait and the count."""
    control = mock_control(http_target)
    caplog.set_level(logging.INFO, logger="luma_uni")
    with recorded(http_target) as (luma, fake, sent):
        generation = luma.generations.create(prompt=PROMPT)
        control.add_fault("GET", f"/generations/{generation.id}", TRANSIENT, times=POLICY.max_retries + 1)
        with pytest.raises(errors.InternalServerError):
            luma.generations.get(generation.id)
    STATS.case(PART)
    assert _gets(sent) == POLICY.max_retries + 1, f"{_gets(sent)} GETs for max_retries={POLICY.max_retries}"
    first, second = fake.sleeps
    assert 0.5 <= first <= 1.0 and 1.0 <= second <= 1.5, f"waits {fake.sleeps}: not 0.5 s then 1 s, plus jitter"
    logged = [record.getMessage() for record in caplog.records if record.name == "luma_uni"]
    expected = [
        f"Retrying GET in {wait:.2f} s (retry {count} of {POLICY.max_retries}) after: {TRANSIENT} "
        for count, wait in enumerate(fake.sleeps, start=1)
    ]
    assert [line[: len(start)] for line, start in zip(logged, expected, strict=False)] == expected, logged
    STATS.check("client_backoff", True)


def test_a_get_refused_for_good_is_sent_once(http_target: Target) -> None:
    """A 404 is no transient error: one GET, no wait."""
    with recorded(http_target) as (luma, fake, sent), pytest.raises(errors.NotFoundError):
        luma.generations.get(uuid.uuid4())
    STATS.case(PART)
    assert (len(sent), fake.sleeps) == (1, []), f"{len(sent)} GETs, waited {fake.sleeps}"
    STATS.check("client_retries_only_transient", True)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens on it once the socket is closed: a connection is refused


def test_a_post_that_never_reached_a_server_is_sent_again() -> None:
    """A refused connection surely created nothing: the POST is repeated, and the error says it was never sent."""
    sent: list[httpx.Request] = []
    fake = FakeTime()
    with http_clients.client(event_hooks={"request": [sent.append]}) as http:
        luma = Luma(api_key="luma-api-unused", base_url=f"http://127.0.0.1:{_closed_port()}/v1", http_client=http)
        set_time(luma, sleep=fake.sleep, clock=fake.clock)
        with pytest.raises(errors.APIConnectionError) as caught:
            luma.generations.create(prompt=PROMPT)
    STATS.case(PART)
    error = caught.value
    assert not isinstance(error, errors.APITimeoutError) and error.request_sent is False, repr(error)
    assert (len(sent), len(fake.sleeps)) == (POLICY.max_retries + 1, POLICY.max_retries), f"{len(sent)} POSTs"
    STATS.check("client_retries_only_transient", True)


def test_a_slow_answer_within_the_timeout_is_the_answer(http_target: Target) -> None:
    """A GET the server answers late, but within the client's timeout, returns the generation, sent once: a delay
    fault delays the handler's own answer, it does not replace it."""
    control = mock_control(http_target)
    with recorded(http_target) as (luma, fake, sent):
        generation = luma.generations.create(prompt=PROMPT)
        control.add_fault("GET", f"/generations/{generation.id}", delay_ms=50, times=1)
        again = luma.generations.get(generation.id, timeout=httpx.Timeout(30.0))
    STATS.case(PART)
    assert (again.id, _gets(sent), fake.sleeps) == (generation.id, 1, []), f"{_gets(sent)} GETs, waited {fake.sleeps}"
    STATS.check("client_timeouts", True)


def test_a_get_that_times_out_is_typed_and_sent_again(http_target: Target) -> None:
    """A GET whose answer takes longer than its timeout raises APITimeoutError (it was sent) after one repeat."""
    control = mock_control(http_target)
    with recorded(http_target, max_retries=1) as (luma, fake, sent):
        generation = luma.generations.create(prompt=PROMPT)
        # The server's handlers sleep out their delay after the client gave up, and the session's server waits for
        # them when it shuts down: a 3 s delay held the end of a run by ~2.5 s.
        control.add_fault("GET", f"/generations/{generation.id}", delay_ms=500, times=2)
        with pytest.raises(errors.APITimeoutError) as caught:
            luma.generations.get(generation.id, timeout=httpx.Timeout(5.0, read=0.05))  # a tenth of the delay
    STATS.case(PART)
    assert caught.value.request_sent is True, repr(caught.value)
    assert (_gets(sent), len(fake.sleeps)) == (2, 1), f"{_gets(sent)} GETs, waited {fake.sleeps}"
    STATS.check("client_timeouts", True)
