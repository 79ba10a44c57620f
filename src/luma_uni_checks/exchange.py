"""One observed request and its response, as every check reads it.

The caller's credentials are never part of it: only whether the request carried a well-formed bearer token, and an
opaque ``caller`` value that is equal for two requests with the same credentials (the proxy makes it with a keyed
hash whose key lives in memory only). Bodies are parsed JSON, or `NO_BODY` when there was none, it was not JSON, or
it was too large to keep.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final


class _NoBody:
    def __repr__(self) -> str:
        return "NO_BODY"


NO_BODY: Final[Any] = _NoBody()


def parse_json(body: bytes | None) -> Any:
    """``body`` as JSON, or `NO_BODY` (none, not JSON, not UTF-8)."""
    if not body:
        return NO_BODY
    try:
        return json.loads(body)
    except ValueError:
        return NO_BODY


@dataclass(frozen=True, slots=True)
class Exchange:
    method: str  # upper case
    path: str  # as the spec writes paths: the server's base path removed (``/generations/…``)
    status: int
    request_headers: Mapping[str, str]  # lower-case names, first value; never Authorization
    response_headers: Mapping[str, str]  # lower-case names, first value
    request_json: Any = NO_BODY
    request_body_kept: bool = True  # False: a body too large to keep went through unread (request_json is NO_BODY)
    response_body: bytes | None = None  # None: not kept (too large)
    response_json: Any = NO_BODY
    bearer: bool = False  # whether the request carried ``Authorization: Bearer <one token>``
    caller: str | None = None  # equal for equal credentials; None without any
    at: float = 0.0  # seconds on any monotonic clock: when the response arrived
    target: str = ""  # the request's path and query as sent (an output URL's, for a download)

    @property
    def request_id(self) -> str | None:
        """The response's ``X-Request-Id`` (what a finding is filed under), else the request's."""
        return self.response_headers.get("x-request-id") or self.request_headers.get("x-request-id")

    def response_header(self, name: str) -> str | None:
        return self.response_headers.get(name.lower())
