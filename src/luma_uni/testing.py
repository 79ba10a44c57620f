"""Hooks for tests and simulations, kept out of the clients' signatures.

```python
from luma_uni import Luma
from luma_uni.testing import set_time

client = set_time(Luma(), sleep=fake.sleep, clock=fake.now)  # retries and waits take no real time
```
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, overload

from ._client import AsyncLuma, Luma

__all__ = ["set_time"]


@overload
def set_time(client: Luma, *, sleep: Callable[[float], None], clock: Callable[[], float] | None = None) -> Luma: ...


@overload
def set_time(
    client: AsyncLuma, *, sleep: Callable[[float], Awaitable[None]], clock: Callable[[], float] | None = None
) -> AsyncLuma: ...


def set_time(client: Luma | AsyncLuma, *, sleep: Any, clock: Callable[[], float] | None = None) -> Luma | AsyncLuma:
    """Make ``client`` sleep with ``sleep`` (instead of ``time.sleep``, or ``anyio.sleep`` for an
    :class:`~luma_uni.AsyncLuma`, whose ``sleep`` is an ``async def``) between retries and polls, and read the time
    for its waits' deadlines from ``clock`` (a monotonic clock in seconds, instead of ``time.monotonic``), e.g. to
    move a fake clock instead of waiting. Returns the client."""
    if not isinstance(client, Luma | AsyncLuma):
        raise TypeError(f"set_time takes a Luma or an AsyncLuma, not {type(client).__name__}")
    wants_async = isinstance(client, AsyncLuma)
    if not callable(sleep) or inspect.iscoroutinefunction(sleep) != wants_async:
        kind = "an async function" if wants_async else "a plain (not async) function"
        raise TypeError(f"{type(client).__name__}'s sleep must be {kind} taking seconds")
    if clock is not None and not callable(clock):
        raise TypeError("clock must be a function returning seconds")
    client.generations._sleep = sleep
    if clock is not None:
        client.generations._clock = clock
    return client
