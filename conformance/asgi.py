"""ASGI plumbing for the suite: a shield that answers exceptions like a server, and requests to an app in process,
run in the calling thread. (The ASGI types are the mock's ``asgi_types``; a server in a thread is the mock's
``serve.serve_app``.)

Schemathesis reaches an ASGI app through a `requests` session that hands every request to an event loop in a thread
of its own (anyio's blocking portal) and back: ~800 us of CPU per request, about 25 times what the mock itself spends
on one. The suite's in-process targets are sent their cases through `in_thread_session` instead: the same session
type (`Case.call(session=...)`, schemathesis' documented way to reuse one), whose adapter runs the app on this
thread's own event loop: ~360 us (the same case, measured one after the other in one process).
"""

from __future__ import annotations

import asyncio
import atexit
import http
import io
import logging
import threading
import weakref
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
import requests
import requests.adapters
import urllib3
from schemathesis import Case
from schemathesis.python.asgi import HOST, ASGIClient
from urllib3.exceptions import ReadTimeoutError

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


# --- One event loop per thread -----------------------------------------------------------------------------------

_LOOPS = threading.local()
_ALL_LOOPS: list[asyncio.AbstractEventLoop] = []


def _thread_loop() -> asyncio.AbstractEventLoop:
    """This thread's event loop for in-process requests, made on first use (a loop made and closed per request
    cost ~180 us of CPU), closed when the process exits."""
    loop: asyncio.AbstractEventLoop | None = getattr(_LOOPS, "loop", None)
    if loop is None:
        loop = _LOOPS.loop = asyncio.new_event_loop()
        _ALL_LOOPS.append(loop)
    return loop


@atexit.register
def _close_loops() -> None:
    for loop in _ALL_LOOPS:
        loop.close()


def request_in_process(app: ASGIApp, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request to ``app`` in this thread, without a server."""

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://in-process") as client:
            return await client.request(method, url, **kwargs)

    return _thread_loop().run_until_complete(send())


# --- Schemathesis' cases, in process ---------------------------------------------------------------------------------


class _OriginalResponse:
    """What `requests` reads cookies from (the `http.client` response under urllib3's)."""

    def __init__(self, headers: list[tuple[str, str]]) -> None:
        self.msg = self
        self._headers = headers
        self.closed = False

    def get_all(self, name: str, default: list[str] | None = None) -> list[str] | None:
        matches = [value for key, value in self._headers if key.lower() == name.lower()]
        return matches or default

    def isclosed(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True


def _latin_1(text: str | bytes) -> bytes:
    # Headers travel as latin-1: the app gets the octets a server would give it.
    return text if isinstance(text, bytes) else text.encode("latin-1")


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


class _InThreadAdapter(requests.adapters.HTTPAdapter):
    """Hands a request to the app on this thread's event loop, as schemathesis' own ASGI adapter hands it to its
    portal's: the same scope (host header, testclient peer, latin-1 headers), body, response and read timeout."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__()
        self.app = app

    def close(self) -> None:
        pass

    def send(
        self, request: requests.PreparedRequest, *args: Any, timeout: Any = None, **kwargs: Any
    ) -> requests.Response:
        parts = urlsplit(str(request.url))
        scheme, path = parts.scheme, parts.path
        default_port = {"http": 80, "https": 443}[scheme]
        host = parts.hostname or ""
        port = parts.port or default_port
        header_host = f"[{host}]" if ":" in host else host
        headers: list[tuple[bytes, bytes]] = []
        if "host" not in request.headers:
            headers.append((b"host", (header_host if port == default_port else f"{header_host}:{port}").encode()))
        headers += [(_latin_1(key.lower()), _latin_1(value)) for key, value in request.headers.items()]
        scope: Scope = {
            "type": "http",
            "http_version": "1.1",
            "method": request.method,
            "path": unquote(path),
            "raw_path": path.encode(),
            "root_path": "",
            "scheme": scheme,
            "query_string": parts.query.encode(),
            "headers": headers,
            "client": ["testclient", 50000],
            "server": [host, port],
            "state": {},
        }
        body = request.body
        content = body.encode() if isinstance(body, str) else b"" if body is None else body
        if not isinstance(content, bytes):  # a streamed body: never sent by the suite
            raise TypeError(f"in-process requests take a body in one piece, not {type(content).__name__}")
        raw: dict[str, Any] = {"body": io.BytesIO(), "request_method": request.method, "preload_content": False}
        requested = False
        answered = asyncio.Event()

        async def receive() -> Message:
            nonlocal requested
            if requested:  # like a server: the client is gone once the response is complete
                await answered.wait()
                return {"type": "http.disconnect"}
            requested = True
            return {"type": "http.request", "body": content, "more_body": False}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message.get("headers", [])]
                status = message["status"]
                raw.update(version=11, status=status, reason=_reason(status), headers=names)
                raw["original_response"] = _OriginalResponse(names)
            elif message["type"] == "http.response.body":
                raw["body"].write(message.get("body", b"") if request.method != "HEAD" else b"")
                if not message.get("more_body", False):
                    raw["body"].seek(0)
                    answered.set()

        read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
        try:
            _thread_loop().run_until_complete(asyncio.wait_for(self.app(scope, receive, send), read_timeout))
        except TimeoutError:
            error = ReadTimeoutError(None, request.url, f"Read timed out. (read timeout={read_timeout})")  # type: ignore[arg-type]
            raise requests.exceptions.ReadTimeout(error, request=request) from None
        assert "status" in raw, "the application did not answer"
        return self.build_response(request, urllib3.HTTPResponse(**raw))


class _InThreadSession(ASGIClient):
    """Schemathesis' ASGI session (its transport sends through one as it is), with the in-thread adapter, and
    without the environment's proxy settings (`requests` read the whole environment on every request for them)."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app, base_url=f"http://{HOST}")  # type: ignore[arg-type]  # its own alias of ASGI types
        self.adapter = _InThreadAdapter(app)  # type: ignore[assignment]
        self.mount("http://", self.adapter)
        self.mount("https://", self.adapter)
        self.trust_env = False


_SESSIONS: weakref.WeakKeyDictionary[Any, requests.Session] = weakref.WeakKeyDictionary()


def in_thread_session(app: ASGIApp) -> requests.Session:
    """The session that sends schemathesis' cases to ``app`` in the calling thread (one per app)."""
    session = _SESSIONS.get(app)
    if session is None:
        session = _SESSIONS[app] = _InThreadSession(app)
    return session


def call_kwargs(case: Case[Any]) -> Mapping[str, Any]:
    """What `Case.call` / `call_and_validate` take to send ``case`` in this thread when its operation runs in
    process (nothing otherwise: a server on a socket)."""
    app = case.operation.app
    return {"session": in_thread_session(app)} if app is not None else {}
