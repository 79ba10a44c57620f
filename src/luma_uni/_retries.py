"""When a failed request is sent again, and how long to wait first. The mechanics are tenacity's.

The policy (also in README.md, "Retry policy"):

* GET (a generation, or an output file) is safe to repeat. It is retried on connection errors, timeouts and the
  statuses 408, 409, 429 and >= 500.
* POST /generations has no idempotency key: a repeat may create and bill a second generation. It is retried only
  when the server surely created nothing:
  - the connection was never made: connection refused, DNS or TLS failure, connect timeout, no pooled connection;
  - 408 (the server did not receive the whole request) and 429 (rate limited: nothing was queued);
  - 502 and 503 answered by the API itself (its JSON ``{"detail": ...}`` body): the docs say to retry them and
    that errors returned at submit time are never charged. A 5xx with any other body may come from a proxy after
    the API acted, so it is not retried.
  Never after a read timeout, a write error or a dropped connection: the request may have been processed.
* The wait is the server's ``Retry-After`` (seconds or an HTTP date) when it sent one. One longer than
  ``retry_after_cap`` (60 s) is not slept through: the error is raised at once, with ``.retry_after`` for the caller.
  Otherwise exponential backoff: 0.5 s, 1 s, 2 s, ... capped at 8 s, plus up to 0.5 s of random jitter.
* At most ``max_retries`` repeats (default 2, so three attempts in all), as in the official SDK.

The first attempt runs outside tenacity: its per-call bookkeeping (about 20 µs) would be most of this client's
overhead per request, and a first attempt needs none of it. A failure that may be retried enters tenacity, which
replays it as attempt 1, so its stop, wait and logging see the whole history. (tenacity is imported then, too.)
"""

from __future__ import annotations

import email.utils
import logging
import math
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from attrs import frozen

from .errors import APIConnectionError, APIStatusError, LumaError

if TYPE_CHECKING:  # tenacity is imported when the first client is built, not with the package
    import tenacity

logger = logging.getLogger("luma_uni")

P = ParamSpec("P")
T = TypeVar("T")

RETRYABLE_GET_STATUSES = frozenset({408, 409, 429})  # and every status >= 500
SAFE_POST_STATUSES = frozenset({408, 429})
NOTHING_CREATED_5XX = frozenset({502, 503})  # only with the API's own JSON error body


@frozen
class RetryPolicy:
    """The numbers of the policy above."""

    max_retries: int = 2
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    jitter: float = 0.5
    retry_after_cap: float = 60.0


def should_retry(method: str, exc: BaseException, policy: RetryPolicy) -> bool:
    """Whether a request that failed with ``exc`` may be sent again (the policy in this module's docstring)."""
    if isinstance(exc, APIConnectionError):
        return method == "GET" or not exc.request_sent
    if not isinstance(exc, APIStatusError):
        return False
    if exc.retry_after is not None and exc.retry_after > policy.retry_after_cap:
        return False
    status = exc.status_code
    if method == "GET":
        return status in RETRYABLE_GET_STATUSES or status >= 500
    return status in SAFE_POST_STATUSES or (status in NOTHING_CREATED_5XX and exc.detail is not None)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: delay-seconds (fractions tolerated) or an HTTP date.

    ``now`` is the current Unix time, for the HTTP-date form. Returns None for a missing or unreadable value.
    """
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # an HTTP date is always GMT
            return None
        seconds = when.timestamp() - now
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


class _Wait:
    """tenacity wait strategy: the server's Retry-After if given, else capped exponential backoff with jitter."""

    def __init__(self, policy: RetryPolicy) -> None:
        import tenacity

        # wait_exponential + wait_random rather than wait_exponential_jitter, whose arguments changed in tenacity 9.
        self._backoff = tenacity.wait_exponential(
            multiplier=policy.backoff_initial, max=policy.backoff_max
        ) + tenacity.wait_random(0, policy.jitter)

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(exc, APIStatusError) and exc.retry_after is not None:
            return exc.retry_after
        return float(self._backoff(retry_state))


def _log_retry(method: str, policy: RetryPolicy) -> Callable[[tenacity.RetryCallState], None]:
    def log(retry_state: tenacity.RetryCallState) -> None:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        delay = retry_state.upcoming_sleep
        logger.info(
            "Retrying %s in %.2f s (retry %d of %d) after: %s",
            method,
            delay,
            retry_state.attempt_number,
            policy.max_retries,
            exc,
        )

    return log


class Retrier:
    """Runs a ``method`` request under the policy: ``retrier(fn, *args)`` calls ``fn`` until it succeeds, fails for
    good, or runs out of retries. Thread-safe."""

    def __init__(self, method: str, policy: RetryPolicy, sleep: Callable[[float], None]) -> None:
        self._method = method
        self._policy = policy
        self._sleep = sleep
        self._retrying: tenacity.Retrying | None = None

    def __call__(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        except LumaError as exc:
            if self._policy.max_retries == 0 or not should_retry(self._method, exc, self._policy):
                raise
            first_failure = exc
        pending: list[LumaError] = [first_failure]

        def attempt() -> T:
            if pending:
                raise pending.pop()
            return fn(*args, **kwargs)

        if self._retrying is None:
            self._retrying = _tenacity_retrying(self._method, self._policy, self._sleep)
        return self._retrying(attempt)


class AsyncRetrier:
    """The asyncio form of :class:`Retrier` (``sleep`` is an async function)."""

    def __init__(self, method: str, policy: RetryPolicy, sleep: Callable[[float], Awaitable[None]]) -> None:
        self._method = method
        self._policy = policy
        self._sleep = sleep
        self._retrying: tenacity.AsyncRetrying | None = None

    async def __call__(self, fn: Callable[P, Awaitable[T]], *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return await fn(*args, **kwargs)
        except LumaError as exc:
            if self._policy.max_retries == 0 or not should_retry(self._method, exc, self._policy):
                raise
            first_failure = exc
        pending: list[LumaError] = [first_failure]

        async def attempt() -> T:
            if pending:
                raise pending.pop()
            return await fn(*args, **kwargs)

        if self._retrying is None:
            self._retrying = _tenacity_async_retrying(self._method, self._policy, self._sleep)
        return await self._retrying(attempt)


def _tenacity_retrying(method: str, policy: RetryPolicy, sleep: Callable[[float], None]) -> tenacity.Retrying:
    import tenacity

    return tenacity.Retrying(
        stop=tenacity.stop_after_attempt(policy.max_retries + 1),
        wait=_Wait(policy),
        retry=tenacity.retry_if_exception(lambda exc: should_retry(method, exc, policy)),
        sleep=sleep,
        before_sleep=_log_retry(method, policy),
        reraise=True,
    )


def _tenacity_async_retrying(
    method: str, policy: RetryPolicy, sleep: Callable[[float], Awaitable[None]]
) -> tenacity.AsyncRetrying:
    import tenacity

    return tenacity.AsyncRetrying(
        stop=tenacity.stop_after_attempt(policy.max_retries + 1),
        wait=_Wait(policy),
        retry=tenacity.retry_if_exception(lambda exc: should_retry(method, exc, policy)),
        sleep=sleep,
        before_sleep=_log_retry(method, policy),
        reraise=True,
    )
