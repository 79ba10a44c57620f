"""Live waiting with a budget of its own: the end-to-end tests wait at most CONFORMANCE_WAIT_BUDGET seconds for a
generation, and once one generation overran it the server is taken not to finish generations at all: the remaining
end-to-end tests fail at once with that reason instead of each waiting the client's full timeout (a stateless
server such as Prism's mock never completes one, and the run would last for hours)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pytest

from conformance.report import STATS
from luma_uni import errors

CHECK = "generation_finishes_within_wait_budget"

T = TypeVar("T")


@dataclass
class WaitBudget:
    seconds: int
    overrun: str | None = None  # why the server is not waited for any more

    def wait(self, create_and_wait: Callable[[float], T]) -> T:
        """Run ``create_and_wait(timeout)`` within the budget; fail the test at once if an earlier wait overran."""
        if self.overrun is not None:
            pytest.fail(f"not waited for: {self.overrun}")
        try:
            result = create_and_wait(float(self.seconds))
        except errors.WaitTimeoutError as exc:
            self.overrun = (
                f"generation {exc.generation_id} was still {exc.last_state!s} after the wait budget of "
                f"{self.seconds} s (CONFORMANCE_WAIT_BUDGET): the server does not finish generations"
            )
            STATS.check(CHECK, False, self.overrun)
            pytest.fail(self.overrun)
        STATS.check(CHECK, True)
        return result
