"""The proxy under bad conditions: upstream down, slow, answering garbage or breaking off; a client that goes away
mid-request; a large upload (memory stays bounded: bodies stream); 64 clients at once; paths the spec lacks."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from luma_uni_mock.asgi_types import Receive, Scope, Send
from luma_uni_mock.faults import HEADER_DROP
from luma_uni_proxy.config import ProxyConfig
from luma_uni_proxy.inspector import UNKNOWN_PATH, UPSTREAM
from luma_uni_proxy.serve import serve_in_thread
from tests.proxy.helpers import api_client, json_app, mock, poll_until_terminal, proxy_in_front_of, read_body

GID = "d290f1ee-6c54-4b01-90e6-d701748f0851"
KEY = {"Authorization": "Bearer luma-api-bad.conditions"}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_upstream_down_is_a_502_with_a_clear_detail_and_a_finding() -> None:
    lines: list[str] = []
    config = ProxyConfig(upstream=f"http://127.0.0.1:{_closed_port()}/v1")
    with serve_in_thread(config, emit=lines.append) as running:
        answer = httpx.get(f"{running.base_url}/generations/{GID}", headers=KEY)
    assert answer.status_code == 502
    assert answer.json()["detail"].startswith(f"luma-uni-proxy: upstream {config.origin} unreachable: ")
    assert running.inspector.tallies[UPSTREAM].failed == 1 and lines[0].startswith("upstream_answers at servers")


def test_a_slow_upstream_is_a_504_and_a_finding() -> None:
    release = threading.Event()

    async def slow(scope: Scope, receive: Receive, send: Send) -> None:
        await read_body(receive)
        await asyncio.to_thread(release.wait, 30)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    try:
        with proxy_in_front_of(slow, timeout_seconds=0.2) as proxied:
            answer = httpx.get(f"{proxied.base_url}/generations/{GID}", headers=KEY)
            release.set()
    finally:
        release.set()
    assert answer.status_code == 504
    assert "did not answer within 0.2 s" in answer.json()["detail"]
    assert proxied.rules() == {UPSTREAM}


def test_a_body_that_is_not_json_reaches_the_client_as_sent_and_is_named() -> None:
    html = b"<html><body>502 Bad Gateway</body></html>"
    upstream = json_app(200, html, [(b"content-type", b"text/html"), (b"x-request-id", b"r"), (b"x-api-version", b"v")])
    with proxy_in_front_of(upstream) as proxied:
        answer = httpx.get(f"{proxied.base_url}/generations/{GID}", headers=KEY)
    assert (answer.status_code, answer.content, answer.headers["content-type"]) == (200, html, "text/html")
    assert proxied.rules() == {"media_type_documented"}


def test_with_errors_a_broken_answer_is_a_502_naming_the_rule_and_a_good_one_passes() -> None:
    truncated = b'{"id": "' + GID.encode()
    upstream = json_app(200, truncated, [(b"content-type", b"application/json"), (b"x-request-id", b"r")])
    with proxy_in_front_of(upstream, errors=True) as proxied:
        answer = httpx.get(f"{proxied.base_url}/generations/{GID}", headers=KEY)
    assert answer.status_code == 502
    body = answer.json()
    assert body["detail"].startswith("luma-uni-proxy: the response broke a documented rule: ")
    assert {finding["rule"] for finding in body["findings"]} >= {"body_matches_schema", "headers_documented"}
    with proxy_in_front_of(mock(), lifespan="on", errors=True) as proxied, api_client(proxied.base_url) as client:
        created = client.post("/generations", json={"prompt": "x"})
        assert created.status_code == 201 and created.json()["state"] == "queued"
    assert proxied.findings() == []


def test_an_answer_broken_off_upstream_is_broken_off_for_the_client_too_and_named() -> None:
    with proxy_in_front_of(mock(), lifespan="on") as proxied:
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(f"{proxied.base_url}/generations/{GID}", headers={**KEY, HEADER_DROP: "1"})
        assert httpx.get(f"{proxied.base_url}/generations/{GID}", headers=KEY).status_code == 404
    [broken] = [finding for finding in proxied.findings() if finding.rule == UPSTREAM]
    assert "upstream's body broke off after" in broken.detail


def test_a_client_gone_mid_upload_leaves_the_proxy_serving() -> None:
    with proxy_in_front_of(mock(), lifespan="on") as proxied:
        host, port = proxied.proxy.host, proxied.proxy.port
        with socket.create_connection((host, port)) as sock:
            sock.sendall(
                b"POST /v1/generations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Authorization: Bearer luma-api-gone\r\nContent-Length: 100000\r\n\r\n" + b'{"prompt": "' + b"x" * 1000
            )
        with api_client(proxied.base_url) as client:
            created = client.post("/generations", json={"prompt": "after"})
            assert created.status_code == 201
    assert proxied.findings() == []
    assert proxied.proxy.inspector.exchanges == 1


def test_a_large_upload_streams_through_in_bounded_memory() -> None:
    size = 64 << 20
    received = [0]

    async def counting(scope: Scope, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            received[0] += len(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = json.dumps({"detail": "Request body is not valid JSON"}).encode()
        headers = [(b"content-type", b"application/json"), (b"x-request-id", b"r"), (b"x-api-version", b"v")]
        await send({"type": "http.response.start", "status": 400, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def chunks() -> Iterator[bytes]:
        block = b"x" * (1 << 16)
        for _ in range(size // len(block)):
            yield block

    with proxy_in_front_of(counting) as proxied:
        tracemalloc.start()
        try:
            answer = httpx.post(f"{proxied.base_url}/generations", content=chunks(), headers=KEY, timeout=60)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert answer.status_code == 400 and received[0] == size
    assert peak < size // 4, f"peak {peak / 2**20:.1f} MiB for a {size >> 20} MiB upload"
    assert proxied.findings() == []
    assert proxied.proxy.inspector.unchecked  # the body was too large to check, and the report says so


def test_64_clients_at_once_are_all_served_and_judged() -> None:
    with proxy_in_front_of(mock(), lifespan="on") as proxied:

        def one(index: int) -> str:
            with api_client(proxied.base_url) as client:
                created = client.post("/generations", json={"prompt": f"client {index}"})
                return str(poll_until_terminal(client, created.json()["id"])["state"])

        with ThreadPoolExecutor(max_workers=64) as pool:
            states = list(pool.map(one, range(64)))
    assert states == ["completed"] * 64
    assert proxied.findings() == [], proxied.lines[:5]
    assert proxied.proxy.inspector.exchanges >= 128


def test_a_path_the_spec_lacks_is_forwarded_and_reported_once() -> None:
    with proxy_in_front_of(mock(), lifespan="on") as proxied:
        for _ in range(3):
            assert httpx.get(f"{proxied.base_url}/files", headers=KEY).status_code == 404
            assert httpx.delete(f"{proxied.base_url}/generations/{GID}", headers=KEY).status_code == 405
    found = [finding for finding in proxied.findings() if finding.rule == UNKNOWN_PATH]
    assert [finding.detail for finding in found] == [
        "GET /files (answered 404; reported once)",
        "DELETE (answered 405; reported once)",
    ]
