"""Fault injection: added latency, a chosen error status, a dropped connection.

Two sources, for the API routes and the presigned files (never for the /_mock/ control routes):
- per request, the headers ``X-Mock-Delay-Ms``, ``X-Mock-Status``, ``X-Mock-Retry-After``, ``X-Mock-Drop: 1``;
- a queue filled by ``control.add_fault(...)`` or ``POST /_mock/faults``: each rule applies to the next ``times``
  requests matching its method and path fragment.
When a request carries fault headers they decide, and the queue is left alone.
"""

from __future__ import annotations

import http
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .asgi_types import Receive, Send
from .http_errors import HttpError, bad_request

MAX_DELAY_MS = 300_000  # five minutes: longer than any client timeout worth testing, short of a hang
MAX_RETRY_AFTER = 86_400.0
DEFAULT_RETRY_AFTER_429 = 1.0

# Bodies that look like the real API's for each status (the documented string where there is one).
FAULT_DETAILS: Mapping[int, str] = {
    400: "Invalid request",
    401: "Invalid API key",
    402: "Insufficient credits. Please add credits to continue.",
    403: "API client is suspended",
    404: "Generation not found",
    408: "Request timeout",
    409: "Conflict",
    413: "Image exceeds 50 MB size limit",
    415: "Content-Type must be application/json",
    422: "Parameter combination rejected",
    429: "Rate limit exceeded",
    500: "Internal server error",
    502: "Upstream service unavailable",
    503: "Image URL ingestion unavailable",
    504: "Gateway timeout",
}


@dataclass(frozen=True, slots=True)
class Fault:
    status: int | None = None
    retry_after: float | None = None
    delay_ms: int = 0
    drop: bool = False

    def __post_init__(self) -> None:
        if self.status is not None and not 400 <= self.status <= 599:
            raise ValueError(f"status must be an error status 400-599, got {self.status!r}")
        if self.retry_after is not None and not 0 <= self.retry_after <= MAX_RETRY_AFTER:
            raise ValueError(f"retry_after must be between 0 and {MAX_RETRY_AFTER:g} seconds, got {self.retry_after!r}")
        if not 0 <= self.delay_ms <= MAX_DELAY_MS:
            raise ValueError(f"delay_ms must be between 0 and {MAX_DELAY_MS}, got {self.delay_ms!r}")

    def error(self) -> HttpError | None:
        """The error response this fault answers with, if it sets a status."""
        if self.status is None:
            return None
        retry_after = self.retry_after
        if retry_after is None and self.status == 429:
            retry_after = DEFAULT_RETRY_AFTER_429
        headers = [] if retry_after is None else [("Retry-After", _format_seconds(retry_after))]
        return HttpError(self.status, FAULT_DETAILS.get(self.status) or _phrase(self.status), headers)


def _format_seconds(seconds: float) -> str:
    return str(int(seconds)) if seconds == math.floor(seconds) else f"{seconds:g}"


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


@dataclass(slots=True)
class FaultRule:
    fault: Fault
    method: str | None
    path_contains: str | None
    times: int

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method.upper() == method) and (
            self.path_contains is None or self.path_contains in path
        )


class FaultQueue:
    def __init__(self) -> None:
        self.queued: list[FaultRule] = []  # read without the lock by the app: empty on nearly every request
        self._lock = threading.Lock()

    def add(
        self,
        *,
        method: str | None = None,
        path_contains: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        delay_ms: int = 0,
        drop: bool = False,
        times: int = 1,
    ) -> None:
        if times < 1:
            raise ValueError(f"times must be at least 1, got {times!r}")
        fault = Fault(status=status, retry_after=retry_after, delay_ms=delay_ms, drop=drop)
        with self._lock:
            self.queued.append(FaultRule(fault, method, path_contains, times))

    def clear(self) -> None:
        with self._lock:
            self.queued.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """The first queued fault matching this request, used up by one."""
        if not self.queued:  # the common case, without the lock
            return None
        with self._lock:
            for index, rule in enumerate(self.queued):
                if rule.matches(method, path):
                    rule.times -= 1
                    if rule.times == 0:
                        del self.queued[index]
                    return rule.fault
        return None


HEADER_DELAY, HEADER_STATUS, HEADER_RETRY_AFTER, HEADER_DROP = (
    "x-mock-delay-ms",
    "x-mock-status",
    "x-mock-retry-after",
    "x-mock-drop",
)
FAULT_HEADERS = frozenset((HEADER_DELAY, HEADER_STATUS, HEADER_RETRY_AFTER, HEADER_DROP))


def from_headers(headers: Mapping[str, str]) -> Fault | None:
    """The fault a request asks for with X-Mock-* headers; 400 for a value that cannot be honoured."""
    if FAULT_HEADERS.isdisjoint(headers):  # every request asks: one set operation in C
        return None
    try:
        return Fault(
            status=_int(headers, HEADER_STATUS),
            retry_after=_float(headers, HEADER_RETRY_AFTER),
            delay_ms=_int(headers, HEADER_DELAY) or 0,
            drop=headers.get(HEADER_DROP, "").strip().lower() in {"1", "true", "yes"},
        )
    except ValueError as exc:
        raise bad_request(f"Invalid X-Mock-* header: {exc}") from None


def fault_from_json(payload: Any) -> dict[str, Any]:
    """The keyword arguments of `FaultQueue.add` from a ``POST /_mock/faults`` body; ValueError when unusable."""
    if not isinstance(payload, dict):
        raise ValueError("expected a JSON object")
    fields: dict[str, tuple[type, ...]] = {
        "method": (str,),
        "path_contains": (str,),
        "status": (int,),
        "retry_after": (int, float),
        "delay_ms": (int,),
        "drop": (bool,),
        "times": (int,),
    }
    unknown = sorted(set(payload) - set(fields))
    if unknown:
        raise ValueError(f"unknown fields {unknown}; allowed: {sorted(fields)}")
    for name, value in payload.items():
        ok = value is None and name in {"method", "path_contains", "status", "retry_after"}
        ok = ok or (isinstance(value, fields[name]) and (name == "drop" or not isinstance(value, bool)))
        if not ok:
            raise ValueError(f"{name}: {value!r} has the wrong type")
    return dict(payload)


def _int(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)
    if raw is None:
        return None
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        raise ValueError(f"{name}: {raw[:40]!r} is not a non-negative integer")
    return int(raw)


def _float(headers: Mapping[str, str], name: str) -> float | None:
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        value = float(raw.strip())
    except ValueError:
        raise ValueError(f"{name}: {raw[:40]!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{name}: {raw[:40]!r} is not a finite number")
    return value


async def drop_connection(receive: Receive, send: Send, limit: int) -> None:
    """The ``drop`` fault: read the request body to its end without keeping it (giving up past ``limit`` bytes), then
    start a response and stop half-way, so the client sees a connection closed before a complete response. Closing
    with request bytes still unread would make the kernel reset the connection instead."""
    size = 0
    while size <= limit:
        message = await receive()
        size += len(message.get("body", b""))
        if message["type"] == "http.disconnect" or not message.get("more_body", False):
            break
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")],
        }
    )
    await send({"type": "http.response.body", "body": b'{"id":', "more_body": True})
