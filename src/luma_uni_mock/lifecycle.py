"""The Generation lifecycle on the mock clock: ``queued`` → ``processing`` → ``completed`` | ``failed``.

A generation's state is a pure function of its creation time and the clock, so it advances whether or not anyone
polls, and a test moves it with ``control.advance()``. A generation whose request chose a failure (the test switch
of failure_switch.py) ends ``failed`` with that code when its processing time is over.
"""

from __future__ import annotations

from .spec_facts import SpecFacts

QUEUED, PROCESSING, COMPLETED, FAILED = "queued", "processing", "completed", "failed"
TERMINAL = frozenset({COMPLETED, FAILED})
MAX_JOB_SECONDS = 3600.0  # a job never stays active for more than an hour (documented for concurrency accounting)


def check_states(facts: SpecFacts) -> None:  # pragma: no mutate block
    """Refuse to start unless the spec's GenerationState has every state this lifecycle moves through (a state the
    spec adds, which this lifecycle never enters, is fine: clients must cope with it, the mock need not send it)."""
    missing = sorted({QUEUED, PROCESSING, COMPLETED, FAILED} - set(facts.states))
    if missing:
        lacking = f"the spec's GenerationState lacks {missing}, which the mock's lifecycle enters"  # pragma: no mutate
        raise ValueError(lacking)


class Timing:
    """How long each phase lasts, in mock seconds."""

    def __init__(self, queued_seconds: float, processing_seconds: float) -> None:
        self.queued_seconds = queued_seconds
        self.total_seconds = min(queued_seconds + processing_seconds, MAX_JOB_SECONDS)

    def state(self, created_at: float, failure_code: str | None, now: float) -> str:
        elapsed = now - created_at  # pragma: no mutate
        if elapsed < self.queued_seconds:  # pragma: no mutate
            return QUEUED
        if elapsed < self.total_seconds:  # pragma: no mutate
            return PROCESSING
        return FAILED if failure_code is not None else COMPLETED

    def finishes_at(self, created_at: float) -> float:
        return created_at + self.total_seconds
