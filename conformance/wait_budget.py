"""Live waiting with a budget of its own: the end-to-end tests wait at most CONFORMANCE_WAIT_BUDGET seconds for a
generation, and once one generation overran it the server is taken not to finish generations at all: the remaining
end-to-end tests fail at once with that reason instead of each waiting the client's full timeout (a stateless
server such as Prism's mock never completes one, and the run would last for hours).

In live mode the spec's own bound ends a wait sooner: a generation still unfinished longer than Generation's
``x-settles-within-seconds`` after its ``created_at`` (the server's clock) has broken that rule, and waiting on
proves nothing more (Prism answers every GET with the spec's example, created long ago and queued forever)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NoReturn, TypeVar

import pytest

from conformance.report import STATS, Stats
from conformance.spec import schema
from luma_uni import Generation, errors

CHECK = "generation_finishes_within_wait_budget"

T = TypeVar("T")
Progress = Callable[[Generation], None]


class _PastSettlingError(Exception):
    """Raised from the progress callback to end a wait the spec's bound has already decided."""


def settles_within_seconds() -> float:
    """Generation's ``x-settles-within-seconds``: every generation reaches a terminal state that soon."""
    return float(schema("Generation")["x-settles-within-seconds"])


@dataclass
class WaitBudget:
    seconds: int
    settles_within: float | None = None  # live mode: seconds after created_at by which a generation has settled
    overrun: str | None = None  # why the server is not waited for any more
    stats: Stats = field(default_factory=lambda: STATS)

    def wait(self, create_and_wait: Callable[[float, Progress], T], on_progress: Progress | None = None) -> T:
        """Run ``create_and_wait(timeout, progress)`` within the budget (``progress`` goes to the client's
        ``on_progress`` and calls ``on_progress``); fail the test at once if an earlier wait overran."""
        if self.overrun is not None:
            pytest.fail(f"not waited for: {self.overrun}")

        def progress(generation: Generation) -> None:
            if on_progress is not None:
                on_progress(generation)
            reason = self.past_settling(str(generation.id), str(generation.state), generation.created_at)
            if reason is not None:
                raise _PastSettlingError(reason)

        try:
            result = create_and_wait(float(self.seconds), progress)
        except errors.WaitTimeoutError as exc:
            self.give_up(
                f"generation {exc.generation_id} was still {exc.last_state!s} after the wait budget of "
                f"{self.seconds} s (CONFORMANCE_WAIT_BUDGET): the server does not finish generations"
            )
        except _PastSettlingError as exc:
            self.give_up(str(exc))
        self.stats.check(CHECK, True)
        return result

    def past_settling(self, generation_id: str, state: str, created_at: datetime.datetime) -> str | None:
        """Why waiting for this generation is over before the budget (live mode), or None."""
        if self.settles_within is None or state in schema("Generation")["x-terminal-states"]:
            return None
        age = (datetime.datetime.now(datetime.UTC) - created_at).total_seconds()
        if age <= self.settles_within:
            return None
        return (
            f"generation {generation_id} was still {state} {age:.0f} s after its created_at "
            f"{created_at.isoformat()}, past Generation's x-settles-within-seconds ({self.settles_within:g} s): "
            "the server does not finish generations"
        )

    def give_up(self, reason: str) -> NoReturn:
        """Fail the test with ``reason``, and every later wait at once."""
        self.overrun = reason
        self.stats.check(CHECK, False, reason)
        pytest.fail(reason)
