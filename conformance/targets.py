"""The servers parts 2 and 4 run against: the mock in-process (ASGI), the mock on a socket, or a live server."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from conformance.mock import MockControl

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

logger = logging.getLogger("conformance")

# The base URL for in-process calls: never resolved, only parsed (the transport hands requests to the app).
IN_PROCESS_BASE_URL = "http://mock.in-process/v1"


class ServerErrorShield:
    """Answer an exception from the app with a bare 500, as uvicorn does over a socket.

    In-process transports re-raise app exceptions into the test instead, which would turn a server bug into a
    traceback in the suite rather than a response that the checks judge (not_a_server_error, status codes).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if scope["type"] != "http" or started:
                raise
            logger.exception("the app raised; answering 500 as a server would")
            await send({"type": "http.response.start", "status": 500, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"Internal Server Error"})


@dataclass(frozen=True)
class Target:
    """One server to check. ``app`` is set for in-process calls, ``control`` when the server is our mock."""

    name: str
    api_key: str
    base_url: str  # what a client takes: `http://host:port/v1`
    app: ASGIApp | None = None
    control: MockControl | None = None
    # The mock without its cross-field and media rules accepts every schema-valid body: check exactly that.
    strict_positive_acceptance: bool = False

    @property
    def is_mock(self) -> bool:
        return self.control is not None
