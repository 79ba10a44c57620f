"""Failure on demand: the mock's test switch that makes a generation end ``failed`` with a chosen ``failure_code``.

A request asks for it with the header ``X-Mock-Failure: <code>`` or the text ``[mock:failure=<code>]`` in its prompt
(for clients that cannot add headers). The choice is made at creation, so it is deterministic; the lifecycle
(lifecycle.py) then ends the generation ``failed`` with that code when its processing time is over. Like the fault
headers (faults.py), this is test control outside the contract: a real server has no such switch.
"""

from __future__ import annotations

import re

from .http_errors import bad_request
from .spec_facts import SpecFacts

FAILURE_HEADER = "x-mock-failure"
_PROMPT_MARKER = re.compile(r"\[mock:failure=([^\]]*)\]")
MARKER_START = "[mock:failure="  # searched for first: a plain substring test, a third of the pattern's cost


def requested_failure(facts: SpecFacts, header: str | None, prompt: str) -> str | None:
    """The failure_code a request asks for (header first, then the prompt marker); 400 for an unknown code."""
    code = header.strip() if header is not None else None
    if code is None:
        match = _PROMPT_MARKER.search(prompt) if MARKER_START in prompt else None
        code = match.group(1).strip() if match else None
    if code is None:
        return None
    if code not in facts.failure_reasons:
        valid = ", ".join(sorted(facts.failure_reasons))
        raise bad_request(f"Unknown mock failure code {code!r}. Valid: {valid}")
    return code
