"""The rules that span keys: a key belongs to an API client, which may hold several; generations and rate limits are
the client's (components.securitySchemes.bearerAuth). Pure functions of what two callers were answered.

- every key of a client sees the client's generations and may chain them by ``generation_id``;
- another client's generation is as unknown as a missing one: GET answers 404, chaining it the same 400
  ``generation_not_found`` as an unknown id;
- the per-minute limit counts the client's requests, whichever of its keys sent them, and no other client's.
"""

from __future__ import annotations

from collections.abc import Iterator

from .findings import Finding
from .rules import finding

WHERE = "components.securitySchemes.bearerAuth"


def _answered(rule: str, text: str, wanted: int, status: int, context: str) -> Iterator[Finding]:
    if status != wanted:
        yield finding(rule, text, WHERE, f"{context}: answered {status}, not {wanted}")


def sibling_sees(status: int, context: str) -> Iterator[Finding]:
    """A GET of a client's generation with another key of the same client answers 200."""
    text = "a generation is its API client's: every key of the client can GET it"
    return _answered("client_visibility", text, 200, status, context)


def other_client_does_not_see(status: int, context: str) -> Iterator[Finding]:
    """A GET of another client's generation answers 404, as for an id that does not exist."""
    text = "another API client's generation is not found (404), as an unknown one"
    return _answered("client_visibility", text, 404, status, context)


def sibling_chains(status: int, context: str) -> Iterator[Finding]:
    """Another key of the same client may use the client's completed generation as a ``generation_id`` source."""
    text = "every key of a client may chain the client's generations by generation_id"
    return _answered("client_chaining", text, 201, status, context)


def other_client_cannot_chain(status: int, detail: object, unknown_detail: object, context: str) -> Iterator[Finding]:
    """Chaining another client's generation is refused exactly as chaining an unknown id (same status, same
    detail: the answer never tells the two apart)."""
    if status != 400 or detail != unknown_detail:
        yield finding(
            "client_chaining",
            "another client's generation_id is refused as an unknown one (generation_not_found)",
            WHERE,
            f"{context}: answered {status} {detail!r}; an unknown id gets 400 {unknown_detail!r}",
        )


def limits_shared(remaining: tuple[int, int, int], context: str) -> Iterator[Finding]:
    """``X-RateLimit-Remaining`` of three POSTs in one window, at once: a key's, then another key of its client's,
    then another client's first. The sibling's counts the first key's request; the other client's does not."""
    first, sibling, other = remaining
    if sibling != first - 1:
        yield finding(
            "client_rate_limit",
            "the per-minute limit is the client's: a request by any of its keys counts for all",
            WHERE,
            f"{context}: remaining {first} after one key's POST, then {sibling} after its sibling's",
        )
    if other < first:
        yield finding(
            "client_rate_limit",
            "another client's requests do not count against a client's limit",
            WHERE,
            f"{context}: remaining {first} after one client's first POST, {other} after another client's first",
        )
