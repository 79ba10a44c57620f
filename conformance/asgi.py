"""ASGI plumbing for the suite: the app types, a shield that answers exceptions like a server, serving any app."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

from conformance.mock.serve import bind

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

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


STARTUP_TIMEOUT_SECONDS = 30.0


@contextmanager
def serve_app(app: ASGIApp, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve any ASGI app (e.g. the mock inside a broken variant's middleware) with uvicorn on a free port in a
    daemon thread; yield its root URL (``http://127.0.0.1:<port>``)."""
    sock = bind(host, 0)
    # interface="asgi3": every app here is ASGI 3; auto-detection misreads wrapped or instrumented ones (mutmut).
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", interface="asgi3")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="conformance-server", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start serving {app!r}")
            time.sleep(0.01)
        yield f"http://{host}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(STARTUP_TIMEOUT_SECONDS)
        sock.close()


def request_in_process(app: ASGIApp, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request to ``app`` in this thread, without a server (an event loop for the call only)."""

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://in-process") as client:
            return await client.request(method, url, **kwargs)

    return asyncio.run(send())
