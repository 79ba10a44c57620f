"""Rate limits of POST /generations, per API client (auth.client_of: all its keys share them): a sliding
window (RPM; its length is X-RateLimit-Reset's ``x-window-seconds``, 60) and a concurrent-jobs cap.

Off unless configured. Only requests that create a generation count. A 201 carries ``X-RateLimit-Limit``,
``-Remaining`` and ``-Reset`` (now + the window, rounded up: the current docs' meaning on a success); the RPM 429
carries them too, with ``-Reset`` the Unix second at which the oldest request in the window leaves it, plus
``Retry-After`` (seconds until that moment, at least 1); the concurrency 429 carries only ``Retry-After: 60``. Not
thread-safe by itself: the app calls it under its state lock. (``key`` below is the client.)
"""

from __future__ import annotations

import math
from collections import deque

from .http_errors import HttpError

CONCURRENCY_RETRY_AFTER = 60
# Header names in one place.
RETRY_AFTER = "Retry-After"
LIMIT, REMAINING, RESET = "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"
RATE_LIMIT_EXCEEDED = "Rate limit exceeded"
TOO_MANY_CONCURRENT_JOBS = "Too many concurrent jobs"

SWEEP_EVERY = 10_000  # creations between sweeps of idle keys

HeaderList = list[tuple[str, str]]


def too_many_concurrent_jobs() -> HttpError:
    return HttpError(429, TOO_MANY_CONCURRENT_JOBS, [(RETRY_AFTER, str(CONCURRENCY_RETRY_AFTER))])


class RateLimiter:
    def __init__(self, rpm: int | None, max_concurrent: int | None, window_seconds: float) -> None:
        self.rpm = rpm
        self.window_seconds = window_seconds
        self.max_concurrent = max_concurrent
        self.limits = rpm is not None or max_concurrent is not None  # off: the app skips admit and record
        self._requests: dict[str, deque[float]] = {}  # key -> creation times inside the window
        self._jobs: dict[str, deque[float]] = {}  # key -> finish times of jobs that may still be running
        self._since_sweep = 0

    def admit(self, key: str, now: float) -> None:
        """Raise the 429 a new generation for ``key`` would earn now."""
        if self.rpm is not None:
            window = self._window(key, now)
            if len(window) >= self.rpm:
                leaves_at = window[0] + self.window_seconds
                headers = [(RETRY_AFTER, str(max(1, math.ceil(leaves_at - now)))), *self._headers(0, leaves_at)]
                raise HttpError(429, RATE_LIMIT_EXCEEDED, headers)
        if self.max_concurrent is not None and self.active_jobs(key, now) >= self.max_concurrent:
            raise too_many_concurrent_jobs()

    def record(self, key: str, now: float, finishes_at: float) -> HeaderList:
        """Count a created generation; the ``X-RateLimit-*`` headers for its 201 (none when the RPM limit is off)."""
        self._since_sweep += 1  # pragma: no mutate
        if self._since_sweep >= SWEEP_EVERY:  # pragma: no mutate
            self._sweep(now)
        if self.max_concurrent is not None:
            self._jobs.setdefault(key, deque()).append(finishes_at)
        if self.rpm is None:
            return []
        window = self._window(key, now)
        window.append(now)
        return self._headers(self.rpm - len(window), now + self.window_seconds)

    def active_jobs(self, key: str, now: float) -> int:
        jobs = self._jobs.get(key)
        if not jobs:
            return 0
        while jobs and jobs[0] <= now:  # finish times arrive in order: every job lasts equally long
            jobs.popleft()
        return len(jobs)

    def tracked_keys(self) -> int:
        """How many keys the limiter holds state for (bounded by the periodic sweep)."""
        return len(set(self._requests) | set(self._jobs))

    def clear(self) -> None:
        self._requests.clear()
        self._jobs.clear()

    def _sweep(self, now: float) -> None:
        """Forget keys with nothing left in their window and no running job, so many one-off keys cannot pile up."""
        self._since_sweep = 0  # pragma: no mutate
        for key in list(self._requests):
            if not self._window(key, now):
                del self._requests[key]
        for key in list(self._jobs):
            if not self.active_jobs(key, now):
                del self._jobs[key]

    def _window(self, key: str, now: float) -> deque[float]:
        window = self._requests.setdefault(key, deque())
        while window and window[0] <= now - self.window_seconds:  # at its reset instant a request has left
            window.popleft()
        return window

    def _headers(self, remaining: int, resets_at: float) -> HeaderList:
        return [
            (LIMIT, str(self.rpm)),
            (REMAINING, str(max(0, remaining))),
            (RESET, str(math.ceil(resets_at))),
        ]
