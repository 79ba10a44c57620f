"""`MockControl`, the handle a test steers its mock by, and the control API under ``/_mock/``, its HTTP face (health,
the clock, the fault queue, reset) for a test whose client is in another process. No auth, no fault injection, and
not part of the spec.
"""

from __future__ import annotations

import re
from typing import Any

from . import validation
from .config import MockConfig
from .faults import fault_from_json
from .http_errors import bad_request
from .http_io import Handler, MockResponse, Request, json_bytes
from .state import MockState

CONTROL_BODY_LIMIT = 64 * 1024


class MockControl:
    """Steers a running mock from the test that owns it (also reachable over HTTP under /_mock/)."""

    def __init__(self, state: MockState) -> None:
        self._state = state

    @property
    def config(self) -> MockConfig:
        return self._state.config

    def now(self) -> float:
        """The mock clock, Unix seconds."""
        return self._state.clock.now()

    def advance(self, seconds: float) -> None:
        """Move the mock clock forward by ``seconds`` (generations progress, URLs and windows expire)."""
        self._state.clock.advance(seconds)

    def add_fault(  # noqa: PLR0917 - the fixed public interface takes these positionally too
        self,
        method: str | None = None,
        path_contains: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        delay_ms: int = 0,
        drop: bool = False,
        times: int = 1,
    ) -> None:
        """Apply a fault to the next ``times`` requests matching ``method`` and ``path_contains``."""
        self._state.faults.add(
            method=method,
            path_contains=path_contains,
            status=status,
            retry_after=retry_after,
            delay_ms=delay_ms,
            drop=drop,
            times=times,
        )

    def clear_faults(self) -> None:
        self._state.faults.clear()

    def reset(self) -> None:
        """Forget every generation, rate-limit counter and queued fault (the clock keeps running)."""
        with self._state.lock:
            self._state.store.clear()
            self._state.limiter.clear()
        self._state.faults.clear()

    def generation_count(self) -> int:
        with self._state.lock:
            return len(self._state.store)


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
