"""The Generation lifecycle on the mock clock: ``queued`` → ``processing`` → ``completed`` | ``failed``.

A generation's state is a pure function of its creation time and the clock, so it advances whether or not anyone
polls, and a test moves it with ``control.advance()``. Failures are chosen at creation (deterministic): with the
header ``X-Mock-Failure: <code>`` or the text ``[mock:failure=<code>]`` in the prompt; the generation then ends
``failed`` with that code when its processing time is over.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .contract import Contract
from .errors import bad_request

QUEUED, PROCESSING, COMPLETED, FAILED = "queued", "processing", "completed", "failed"
TERMINAL = frozenset({COMPLETED, FAILED})
MAX_JOB_SECONDS = 3600.0  # a job never stays active for more than an hour (documented for concurrency accounting)

# failure_reason per failure_code: the documented strings where the docs give one, our own wording otherwise
# (the docs give none for the last five; they are listed in README.md).
FAILURE_REASONS: Mapping[str, str] = {
    "content_moderated": "Generation output was flagged by our content moderation system.",
    "generation_failed": "Generation failed",
    "budget_exhausted": "Insufficient credits to complete this generation.",
    "output_not_found": "Output artifacts not found",
    "image_too_large": "An input image exceeds the size limit.",
    "unsupported_format": "An input image format is not supported.",
    "corrupt_input": "An input image could not be decoded.",
    "invalid_request": "The request was rejected during processing.",
    "rate_limited": "The upstream provider is rate limiting requests; retry later.",
}

FAILURE_HEADER = "x-mock-failure"
_PROMPT_MARKER = re.compile(r"\[mock:failure=([^\]]*)\]")


def check_failure_reasons(contract: Contract) -> None:
    """Refuse to start unless every failure_code of the spec has a reason here, and no other code does, and the
    states this lifecycle moves through are the spec's GenerationState."""
    if set(contract.states) != {QUEUED, PROCESSING, COMPLETED, FAILED}:
        raise ValueError(f"the mock's lifecycle states do not match the spec's GenerationState: {contract.states}")
    if set(FAILURE_REASONS) != set(contract.failure_codes):
        raise ValueError(
            "the mock's failure reasons do not match the spec's FailureCode enum: "
            f"spec {sorted(contract.failure_codes)}, mock {sorted(FAILURE_REASONS)}"
        )


def requested_failure(header: str | None, prompt: str) -> str | None:
    """The failure_code a request asks for (header first, then the prompt marker); 400 for an unknown code."""
    code = header.strip() if header is not None else None
    if code is None:
        match = _PROMPT_MARKER.search(prompt)
        code = match.group(1).strip() if match else None
    if code is None:
        return None
    if code not in FAILURE_REASONS:
        raise bad_request(f"Unknown mock failure code {code!r}. Valid: {', '.join(sorted(FAILURE_REASONS))}")
    return code


class Timing:
    """How long each phase lasts, in mock seconds."""

    def __init__(self, queued_seconds: float, processing_seconds: float) -> None:
        self.queued_seconds = queued_seconds
        self.total_seconds = min(queued_seconds + processing_seconds, MAX_JOB_SECONDS)

    def state(self, created_at: float, failure_code: str | None, now: float) -> str:
        elapsed = now - created_at
        if elapsed < self.queued_seconds:
            return QUEUED
        if elapsed < self.total_seconds:
            return PROCESSING
        return FAILED if failure_code is not None else COMPLETED

    def finishes_at(self, created_at: float) -> float:
        return created_at + self.total_seconds
