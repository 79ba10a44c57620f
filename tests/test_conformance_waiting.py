"""The conformance suite's live waits end as soon as the spec's bound decides them: a generation still unfinished
longer than Generation's x-settles-within-seconds after its created_at is not waited for (Prism's stateless mock
answers one such example forever)."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import pytest

from conformance.report import Stats
from conformance.spec import load_spec
from conformance.wait_budget import CHECK, WaitBudget, settles_within_seconds
from luma_uni import Generation

HOUR = datetime.timedelta(seconds=settles_within_seconds())


def _generation(state: str, age: datetime.timedelta) -> Generation:
    body: dict[str, Any] = copy.deepcopy(load_spec()["components"]["examples"]["GenerationQueued"]["value"])
    body["state"] = state
    body["created_at"] = (datetime.datetime.now(datetime.UTC) - age).isoformat()
    return Generation.from_dict(body)


def test_a_generation_unfinished_past_its_settling_time_ends_every_wait() -> None:
    stats = Stats()
    budget = WaitBudget(150, settles_within=settles_within_seconds(), stats=stats)
    polled: list[str] = []

    def create_and_wait(timeout: float, progress: Any) -> Generation:
        progress(_generation("queued", HOUR + datetime.timedelta(minutes=5)))
        raise AssertionError("the wait went on past the spec's bound")

    with pytest.raises(pytest.fail.Exception, match="past Generation's x-settles-within-seconds"):
        budget.wait(create_and_wait, on_progress=lambda g: polled.append(str(g.state)))
    assert polled == ["queued"], "the test's own progress callback still sees every state"
    assert (stats.checks[CHECK].passed, stats.checks[CHECK].failed) == (0, 1)
    with pytest.raises(pytest.fail.Exception, match="not waited for"):
        budget.wait(create_and_wait)


@pytest.mark.parametrize(
    ("state", "age", "settles_within"),
    [
        ("processing", HOUR - datetime.timedelta(minutes=5), settles_within_seconds()),  # young enough
        ("completed", 10 * HOUR, settles_within_seconds()),  # terminal: nothing to wait for
        ("queued", 10 * HOUR, None),  # the mock: its clock is moved and scaled, not the wall clock's
    ],
)
def test_a_wait_the_bound_does_not_decide_goes_on(
    state: str, age: datetime.timedelta, settles_within: float | None
) -> None:
    stats = Stats()
    budget = WaitBudget(150, settles_within=settles_within, stats=stats)
    done = _generation("completed", datetime.timedelta(0))

    def create_and_wait(timeout: float, progress: Any) -> Generation:
        progress(_generation(state, age))
        progress(done)
        return done

    assert budget.wait(create_and_wait) is done
    assert budget.overrun is None and stats.checks[CHECK].passed == 1
