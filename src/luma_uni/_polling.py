"""How often to poll a generation while waiting for it, and what its end state means.

The docs: a generation typically takes 30–60 s (p50 about 30 s); poll every 2 s (the quickstart) or every 2–5 s
with backoff (the older FAQ); GETs do not count against the rate limit. The schedule below polls soon after
creation (cheap, and early failures such as moderation show up at once), then backs off to one poll every 2 s:
a finished generation is noticed within 2 s, and a 30 s generation costs about 16 GETs.
"""

from __future__ import annotations

from collections.abc import Callable

from luma_agents_client.models import Generation, GenerationState

from .errors import GenerationFailedError, InputError, MalformedResponseError, WaitTimeoutError

FIRST_POLL_DELAY = 1.0
POLL_BACKOFF = 1.5
MAX_POLL_INTERVAL = 2.0
DEFAULT_WAIT_TIMEOUT = 180.0

ProgressCallback = Callable[[Generation], None]


def poll_delay(polls_done: int) -> float:
    """Seconds to sleep before the next poll, after ``polls_done`` polls since the generation was created.

    1 s, 1.5 s, then 2 s for every later poll.
    """
    return min(MAX_POLL_INTERVAL, FIRST_POLL_DELAY * POLL_BACKOFF**polls_done)


def finished(generation: Generation) -> Generation | None:
    """The generation if it completed, None while it runs; raise :class:`GenerationFailedError` if it failed.

    A state this client does not know (a newer server's) counts as still running: the deadline bounds the wait.
    """
    state = generation.state
    if state == GenerationState.FAILED:
        raise GenerationFailedError(generation)
    if state == GenerationState.COMPLETED:
        if not generation.output:
            raise MalformedResponseError(200, f"generation {generation.id} is completed but has no output")
        return generation
    return None


class Waiting:
    """The decisions of one wait: the deadline (counted from now), the progress callback and the poll schedule.
    The clients' wait loops only sleep for what :meth:`next_poll` says and get the generation again."""

    def __init__(
        self, timeout: float, on_progress: ProgressCallback | None, clock: Callable[[], float], polls_done: int
    ) -> None:
        self.deadline = clock() + _positive(timeout)
        self.timeout = timeout
        self._on_progress = on_progress
        self._clock = clock
        self._polls_done = polls_done

    def next_poll(self, generation: Generation) -> Generation | float:
        """The generation if it completed, else the seconds to sleep before polling it again; raise
        :class:`GenerationFailedError` if it failed and :class:`WaitTimeoutError` at the deadline."""
        if self._on_progress is not None:
            self._on_progress(generation)
        done = finished(generation)
        if done is not None:
            return done
        remaining = self.deadline - self._clock()
        if remaining <= 0:
            raise WaitTimeoutError(str(generation.id), generation.state, self.timeout)
        delay = min(poll_delay(self._polls_done), remaining)
        self._polls_done += 1
        return delay


def _positive(timeout: float) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise InputError(f"timeout must be a positive number of seconds, not {timeout!r}")
    return float(timeout)
