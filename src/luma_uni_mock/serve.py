"""Serving the mock with uvicorn: in a background thread (tests, scripts) or in the foreground (the CLI).

:func:`serve_app` is the one way to run uvicorn in a thread, for the mock and for any other ASGI app (the suite
serves the mock wrapped in a broken variant's middleware with it)."""

from __future__ import annotations

import dataclasses
import gc
import logging
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import uvicorn

from .app import MockApp, create_app
from .asgi_types import ASGIApp
from .auth import KEY_PREFIX
from .config import MockConfig
from .control import MockControl

STARTUP_TIMEOUT_SECONDS = 30.0
Lifespan = Literal["on", "off"]


def new_api_key() -> str:
    """A fresh valid API key: a new, empty set of generations and rate-limit counters."""
    return f"{KEY_PREFIX}{uuid.uuid4().hex}"


def root_url(host: str, port: int) -> str:
    """``http://host:port`` for a server listening there (an IPv6 host in brackets)."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@dataclass(frozen=True)
class RunningMock:
    """A mock listening on a socket. ``base_url`` is what a client takes (``http://127.0.0.1:<port>/v1``)."""

    app: MockApp
    host: str
    port: int
    api_key: str

    @property
    def root_url(self) -> str:
        return root_url(self.host, self.port)

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v1"

    @property
    def control(self) -> MockControl:
        return self.app.control

    def with_new_key(self) -> RunningMock:
        return dataclasses.replace(self, api_key=new_api_key())


class _DropFilter(logging.Filter):
    """Hide uvicorn's complaint about the responses `X-Mock-Drop` cuts short on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "returned without completing response" not in record.getMessage()


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None] | None = None) -> None:
        super().__init__(config)
        self._on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self._on_ready is not None:
            self._on_ready()


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0 picks a free one), bound before uvicorn starts so the port is known."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only turns Nagle off (TCP_NODELAY) on sockets that say they are TCP, and
    # without it every response written in two parts waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def uvicorn_config(
    app: ASGIApp, log_level: str = "warning", access_log: bool = False, lifespan: Lifespan = "on"
) -> uvicorn.Config:
    logging.getLogger("uvicorn.error").addFilter(_DropFilter())
    # http/loop "auto": httptools and uvloop when installed, h11 and asyncio otherwise. interface="asgi3": every app
    # here is ASGI 3; auto-detection misreads wrapped or instrumented ones (mutmut's trampolines). The app is handed
    # over as a factory: uvicorn otherwise calls the app itself with no arguments to see whether it is one, and an
    # instrumented __call__ answers that with a coroutine instead of a TypeError.
    return uvicorn.Config(
        lambda: app,
        factory=True,
        log_level=log_level,
        access_log=access_log,
        lifespan=lifespan,
        timeout_graceful_shutdown=5,
        interface="asgi3",
    )


@contextmanager
def serve_app(app: ASGIApp, host: str = "127.0.0.1", port: int = 0, *, lifespan: Lifespan = "off") -> Iterator[int]:
    """Serve ``app`` with uvicorn in a daemon thread for the duration of the ``with`` block; yield the bound port
    (port 0 picks a free one). ``lifespan="on"`` for an app that handles lifespan events, as the mock does."""
    sock = bind(host, port)
    ready = threading.Event()
    server = _Server(uvicorn_config(app, lifespan=lifespan), on_ready=ready.set)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="luma-mock", daemon=True)
    thread.start()
    try:
        if not ready.wait(STARTUP_TIMEOUT_SECONDS):
            raise RuntimeError(f"uvicorn did not start serving {app!r} within {STARTUP_TIMEOUT_SECONDS:g} s")
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(STARTUP_TIMEOUT_SECONDS)
        sock.close()


@contextmanager
def serve_in_thread(config: MockConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> Iterator[RunningMock]:
    """Run the mock in a daemon thread for the duration of the ``with`` block."""
    app = create_app(config)
    with serve_app(app, host, port, lifespan="on") as bound_port:
        yield RunningMock(app=app, host=host, port=bound_port, api_key=new_api_key())


def serve_forever(
    app: MockApp,
    *,
    host: str,
    port: int,
    on_ready: Callable[[RunningMock], None],
    log_level: str = "info",
    access_log: bool = True,
) -> None:
    """Serve in the foreground until SIGINT/SIGTERM (uvicorn handles both with a graceful shutdown)."""
    sock = bind(host, port)
    running = RunningMock(app=app, host=host, port=sock.getsockname()[1], api_key=new_api_key())
    server = _Server(uvicorn_config(app, log_level, access_log), on_ready=lambda: on_ready(running))
    # What start-up built (the parsed spec, its compiled schemas and facts, the imported modules: ~28k objects) lives
    # as long as the process: frozen out of the cyclic GC, whose full collections would walk all of it again while
    # the store fills (~1 us of a POST's ~20 in process; bench/README.md). Here only, in the process the CLI owns:
    # freezing is process-wide, and objects of a test process must stay collectable. No gc.collect() first: at
    # this point it finds nothing to free and costs ~9 ms of start-up.
    gc.freeze()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
