"""When a failed request is sent again, and how long to wait first.

The policy (also in docs/client.md, "Retry policy"):

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

The loop that applies it is a plain ``while`` in the clients (as in the official SDK's ``_base_client.py``):
:func:`retry_delay` makes every decision, the sync and async forms only sleep and send again.
"""

from __future__ import annotations

import email.utils
import logging
import math
import random
from typing import NamedTuple

from luma_agents_client import contract

from .errors import APIConnectionError, APIStatusError, LumaError

logger = logging.getLogger("luma_uni")

RETRYABLE_GET_STATUSES = frozenset({408, 409, 429})  # and every status >= 500
SAFE_POST_STATUSES = frozenset({408, 429})
# Only with the API's own JSON error body: openapi.yaml's ServerError x-retry-statuses (502 and 503).
NOTHING_CREATED_5XX: frozenset[int] = contract.RETRY_SERVER_STATUSES


class RetryPolicy(NamedTuple):
    """The numbers of the policy above (a NamedTuple, cheaper to create at import than an attrs class)."""

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


def retry_delay(method: str, exc: LumaError, policy: RetryPolicy, retries_done: int) -> float | None:
    """Seconds to wait before sending a ``method`` request again after it failed with ``exc`` (``retries_done``
    repeats so far), or None when it must not be sent again: the policy forbids it or ``max_retries`` is used up.

    This is every decision of a retry; the clients' loops only sleep and send again.
    """
    if retries_done >= policy.max_retries or not should_retry(method, exc, policy):
        return None
    if isinstance(exc, APIStatusError) and exc.retry_after is not None:
        delay = exc.retry_after
    else:
        delay = min(policy.backoff_initial * 2**retries_done, policy.backoff_max) + random.uniform(0, policy.jitter)
    logger.info(
        "Retrying %s in %.2f s (retry %d of %d) after: %s", method, delay, retries_done + 1, policy.max_retries, exc
    )
    return delay
