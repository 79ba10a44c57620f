"""The mock's clock: wall time at start-up, running ``time_scale`` times faster, and movable forward by hand.

Every time-dependent rule (lifecycle, URL expiry, rate-limit windows) reads this clock, so a test can jump an
hour ahead with ``advance(3600)`` instead of sleeping. A time scale of 0 freezes it: it then moves only by
``advance()``, so what a test sees never depends on how fast the machine runs it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class MockClock:
    def __init__(
        self,
        time_scale: float = 1.0,
        *,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._scale = time_scale
        self._monotonic = monotonic
        self._start_wall = wall()
        self._start_mono = monotonic()
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """Mock time as Unix seconds."""
        return self._start_wall + (self._monotonic() - self._start_mono) * self._scale + self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward (never back: the mock's state only moves forward in time)."""
        if not seconds >= 0:  # also refuses NaN
            raise ValueError(f"the clock only moves forward; got {seconds!r} seconds")
        if seconds == float("inf"):
            raise ValueError("cannot advance the clock by an infinite amount")
        with self._lock:
            self._offset += seconds
