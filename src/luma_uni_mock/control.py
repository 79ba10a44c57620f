"""The control API under ``/_mock/``: the HTTP face of `MockControl` (health, the clock, the fault queue, reset) for
a test whose client is in another process. No auth, no fault injection, and not part of the spec.
"""

from __future__ import annotations

import re
from typing import Any

from . import validation
from .faults import fault_from_json
from .http_errors import bad_request
from .http_io import Handler, MockResponse, Request, json_bytes
from .state import MockControl

CONTROL_BODY_LIMIT = 64 * 1024


class ControlApi:
    """The handlers of the ``/_mock/`` routes, each steering one app through its `MockControl`."""

    def __init__(self, control: MockControl) -> None:
        self._control = control

    def routes(self) -> list[tuple[re.Pattern[str], dict[str, Handler]]]:
        """Each route's path pattern and its handler per method."""
        return [
            (re.compile("/_mock/health"), {"GET": self._health}),
            (re.compile("/_mock/clock"), {"GET": self._clock, "POST": self._clock}),
            (re.compile("/_mock/faults"), {"POST": self._add_fault, "DELETE": self._clear_faults}),
            (re.compile("/_mock/reset"), {"POST": self._reset}),
        ]

    async def _health(self, request: Request, _: re.Match[str]) -> MockResponse:
        return MockResponse(200, json_bytes({"status": "ok", "now": self._control.now()}))

    async def _clock(self, request: Request, _: re.Match[str]) -> MockResponse:
        if request.method == "POST":
            payload = await _control_json(request)
            seconds = payload.get("advance") if isinstance(payload, dict) else None
            if isinstance(seconds, bool) or not isinstance(seconds, int | float):
                raise bad_request('expected {"advance": <seconds>}')
            try:
                self._control.advance(seconds)
            except ValueError as exc:
                raise bad_request(str(exc)) from None
        return MockResponse(200, json_bytes({"now": self._control.now()}))

    async def _add_fault(self, request: Request, _: re.Match[str]) -> MockResponse:
        try:
            self._control.add_fault(**fault_from_json(await _control_json(request)))
        except ValueError as exc:
            raise bad_request(str(exc)) from None
        return MockResponse(201, json_bytes({"status": "queued"}))

    async def _clear_faults(self, request: Request, _: re.Match[str]) -> MockResponse:
        self._control.clear_faults()
        return MockResponse(200, json_bytes({"status": "cleared"}))

    async def _reset(self, request: Request, _: re.Match[str]) -> MockResponse:
        self._control.reset()
        return MockResponse(200, json_bytes({"status": "reset"}))


async def _control_json(request: Request) -> Any:
    return validation.parse_json(await request.read_body(CONTROL_BODY_LIMIT))
