"""ASGI plumbing for the suite: a shield that answers exceptions like a server, and one request in process. (The
ASGI types are the mock's ``asgi_types``; a server in a thread is the mock's ``serve.serve_app``.)"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from luma_uni_mock.asgi_types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("conformance")


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


def request_in_process(app: ASGIApp, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request to ``app`` in this thread, without a server (an event loop for the call only)."""

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://in-process") as client:
            return await client.request(method, url, **kwargs)

    return asyncio.run(send())
