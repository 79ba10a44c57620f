"""The proxy in front of an upstream served in this process: the mock, a broken variant of it, or a small app made
for one test. Findings are read after the ``with`` block: leaving it stops the proxy once every exchange is judged."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from luma_uni_checks.findings import Finding
from luma_uni_mock import MockConfig, create_app
from luma_uni_mock.asgi_types import ASGIApp, Receive, Scope, Send
from luma_uni_mock.config import REPO_SPEC_PATH
from luma_uni_mock.pytest_plugin import DEFAULT_TIME_SCALE
from luma_uni_mock.serve import Lifespan, new_api_key, serve_app
from luma_uni_proxy.config import ProxyConfig
from luma_uni_proxy.serve import RunningProxy, serve_in_thread

JSON = dict[str, Any]


@dataclass
class Proxied:
    running: RunningProxy | None = None
    lines: list[str] = field(default_factory=list)
    upstream_port: int = 0

    @property
    def proxy(self) -> RunningProxy:
        assert self.running is not None
        return self.running

    @property
    def base_url(self) -> str:
        return self.proxy.base_url

    def findings(self) -> list[Finding]:
        return [finding for tally in self.proxy.inspector.tallies.values() for finding in tally.kept]

    def rules(self) -> set[str]:
        return {finding.rule for finding in self.findings()}


@contextmanager
def proxy_in_front_of(
    upstream: ASGIApp, *, lifespan: Lifespan = "off", spec_path: Path = REPO_SPEC_PATH, **options: Any
) -> Iterator[Proxied]:
    proxied = Proxied()
    with serve_app(upstream, lifespan=lifespan) as port:
        proxied.upstream_port = port
        config = ProxyConfig(upstream=f"http://127.0.0.1:{port}/v1", spec_path=spec_path, **options)
        with serve_in_thread(config, emit=proxied.lines.append) as running:
            proxied.running = running
            yield proxied


def mock(**config: Any) -> ASGIApp:
    """The mock as `make mock` serves it, 100 times faster (a generation completes in 0.3 s)."""
    return create_app(MockConfig(**{"time_scale": DEFAULT_TIME_SCALE, **config}))


def api_client(base_url: str, key: str | None = None) -> httpx.Client:
    return httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key or new_api_key()}"}, timeout=30.0)


def poll_until_terminal(client: httpx.Client, generation_id: str, *, budget_seconds: float = 30.0) -> JSON:
    """GET until the generation is completed or failed (a bound, not a timing assertion: the mock takes 0.3 s)."""
    deadline = time.monotonic() + budget_seconds
    while True:
        generation: JSON = client.get(f"/generations/{generation_id}").json()
        if generation["state"] in ("completed", "failed") or time.monotonic() > deadline:
            return generation
        time.sleep(0.05)


def tour(client: httpx.Client, *, download: Callable[[str], httpx.Response] | None = None) -> JSON:
    """Create an image, poll it to its end, fetch its outputs (through ``download``), and meet the documented errors
    a client meets: a body the schema refuses, no key, an unknown id. The completed generation."""
    created = client.post("/generations", json={"prompt": "a lighthouse at dusk"})
    assert created.status_code == 201, created.text
    done = poll_until_terminal(client, created.json()["id"])
    for output in done["output"] or []:
        if download is not None:
            assert download(output["url"]).status_code == 200
    assert client.post("/generations", json={"prompt": "x", "web_search": "yes"}).status_code == 400
    assert client.post("/generations", json={"prompt": "x"}, headers={"Authorization": ""}).status_code == 401
    assert client.get("/generations/00000000-0000-4000-8000-000000000000").status_code == 404
    return done


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if message["type"] == "http.disconnect" or not message.get("more_body", False):
            return b"".join(chunks)


def json_app(status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None) -> ASGIApp:
    """An upstream answering every request with ``status``, ``body`` and ``headers`` (after reading the request)."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await read_body(receive)
        given = headers if headers is not None else [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": status, "headers": given})
        await send({"type": "http.response.body", "body": body})

    return app


def echo_app(scope: Scope, receive: Receive, send: Send) -> Any:
    """An upstream answering 299 with what it received, and a header of its own."""

    async def run() -> None:
        body = await read_body(receive)
        seen = {
            "method": scope["method"],
            "path": scope["path"],
            "query": scope["query_string"].decode(),
            "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]],
            "body": body.decode("latin-1"),
        }
        payload = json.dumps(seen).encode()
        headers = [(b"content-type", b"application/json"), (b"x-upstream", b"echo"), (b"set-cookie", b"a=1")]
        await send({"type": "http.response.start", "status": 299, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    return run()
