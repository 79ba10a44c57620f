"""How often to poll a generation while waiting for it, and what its end state means.

The docs: a generation typically takes 30–60 s (p50 about 30 s); poll every 2 s (the quickstart) or every 2–5 s
with backoff (the older FAQ); GETs do not count against the rate limit. The schedule below polls soon after
creation (cheap, and early failures such as moderation show up at once), then backs off to one poll every 2 s:
a finished generation is noticed within 2 s, and a 30 s generation costs about 16 GETs.
"""

from __future__ import annotations

from collections.abc import Callable

from luma_agents_client.models import Generation, GenerationState

from .errors import GenerationFailedError, MalformedResponseError

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
