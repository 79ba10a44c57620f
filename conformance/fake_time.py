"""A sleep and a clock for the client under test (``luma_uni.testing.set_time``): every wait the client asks for is
recorded and moves the clock, so its waits are checked as numbers and no real time passes."""

from __future__ import annotations

# More waits than any retry or poll schedule the tests drive: a client past it would wait forever.
MAX_SLEEPS = 50


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        assert len(self.sleeps) <= MAX_SLEEPS, f"still waiting after {MAX_SLEEPS} sleeps: {self.sleeps[:6]} ..."
        self.now += seconds

    def clock(self) -> float:
        return self.now
