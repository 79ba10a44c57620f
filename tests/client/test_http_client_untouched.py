"""A caller's own httpx client is lent, never changed: the key, base URL and timeout travel with each API request.

Every request goes through an ``httpx.MockTransport`` that records it: the API host answers with the spec's example
generations (whose output URL is on a storage host), the storage host with image bytes, any other host with "ok".
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from conformance.spec import load_spec
from luma_uni import AsyncLuma, Luma
from tests.client.helpers import AnyClient, Awaited, Mode

pytestmark = pytest.mark.anyio  # every test runs once per client kind (conftest: mode)

API_URL = "https://api.luma.test/v1"
API_HOST = "api.luma.test"
KEY_A = "luma-api-key-of-client-a"
KEY_B = "luma-api-key-of-client-b"
CALLER_TIMEOUT = httpx.Timeout(7.0)


def example(name: str) -> dict[str, Any]:
    value: dict[str, Any] = load_spec()["components"]["examples"][name]["value"]
    return value


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    return buffer.getvalue()


def fake_world(seen: list[httpx.Request]) -> httpx.MockTransport:
    """The API (POST: queued, GET: completed), the storage host of its output URL, and the rest of the web."""

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == API_HOST:
            if request.method == "POST":
                return httpx.Response(201, json=example("GenerationQueued"))
            return httpx.Response(200, json=example("GenerationCompleted"))
        if request.url.path.endswith(".png"):
            return httpx.Response(200, content=png(), headers={"content-type": "image/png"})
        return httpx.Response(200, text="ok")

    return httpx.MockTransport(answer)


def callers_settings(seen: list[httpx.Request]) -> dict[str, Any]:
    """A caller's httpx client settings: its own base URL, header and timeout (the same for Client and AsyncClient)."""
    return {
        "base_url": "https://mine.example/api",
        "headers": {"X-Mine": "kept"},
        "timeout": CALLER_TIMEOUT,
        "transport": fake_world(seen),
    }


def assert_unchanged(http: httpx.Client | httpx.AsyncClient) -> None:
    assert http.base_url == httpx.URL("https://mine.example/api/")
    assert http.timeout == CALLER_TIMEOUT
    assert "authorization" not in http.headers
    assert http.headers["x-mine"] == "kept"


def assert_key_only_to_the_api(seen: list[httpx.Request]) -> None:
    for request in seen:
        expected = request.url.host == API_HOST
        assert ("authorization" in request.headers) == expected, request.url
    hosts = {request.url.host for request in seen}
    assert {API_HOST, "luma-agents-outputs.s3.amazonaws.com", "example.org", "mine.example"} <= hosts


@contextlib.asynccontextmanager
async def callers_http(mode: Mode, seen: list[httpx.Request]) -> AsyncIterator[httpx.Client | httpx.AsyncClient]:
    """The caller's own httpx client, of the kind this test's client takes."""
    if mode == "sync":
        with httpx.Client(**callers_settings(seen)) as http:
            yield http
    else:
        async with httpx.AsyncClient(**callers_settings(seen)) as async_http:
            yield async_http


def lent_to(http: httpx.Client | httpx.AsyncClient, api_key: str, **options: Any) -> AnyClient:
    """A Luma or AsyncLuma sending through ``http`` (not closed: the caller's client is closed by the caller)."""
    if isinstance(http, httpx.Client):
        return AnyClient(Luma(api_key=api_key, base_url=API_URL, http_client=http, **options), http)
    return AnyClient(AsyncLuma(api_key=api_key, base_url=API_URL, http_client=http, **options), http)


async def test_callers_client_keeps_its_headers_base_url_and_timeout(mode: Mode) -> None:
    seen: list[httpx.Request] = []
    async with callers_http(mode, seen) as http:
        await lent_to(http, KEY_A, timeout=30).generations.create(prompt="a lighthouse")
        assert_unchanged(http)
    [api_request] = seen
    assert str(api_request.url) == f"{API_URL}/generations"
    assert api_request.headers["authorization"] == f"Bearer {KEY_A}"
    assert api_request.headers["x-mine"] == "kept"  # the caller's own headers still go along, as with the SDK
    assert api_request.extensions["timeout"]["read"] == 30


async def test_callers_timeout_is_used_when_none_is_given(mode: Mode) -> None:
    seen: list[httpx.Request] = []
    async with callers_http(mode, seen) as http:
        await lent_to(http, KEY_A).generations.create(prompt="a lighthouse")
    assert seen[0].extensions["timeout"] == CALLER_TIMEOUT.as_dict()


async def test_the_key_goes_to_the_api_host_only(mode: Mode, tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    async with callers_http(mode, seen) as http:
        client = lent_to(http, KEY_A)
        generation = await client.generations.create_and_wait(prompt="a lighthouse")
        [path] = await client.generations.download(generation, tmp_path)
        await Awaited(http).get("https://example.org/x")
        await Awaited(http).get("/relative")  # the caller's own base URL
        assert_unchanged(http)
    assert path.read_bytes() == png()
    assert_key_only_to_the_api(seen)


async def test_two_clients_sharing_one_http_client_send_their_own_keys(mode: Mode) -> None:
    seen: list[httpx.Request] = []
    async with callers_http(mode, seen) as http:
        a, b = lent_to(http, KEY_A), lent_to(http, KEY_B)
        await a.generations.create(prompt="from a")
        await b.generations.create(prompt="from b")
        await a.generations.get("d290f1ee-6c54-4b01-90e6-d701748f0851")
    assert [r.headers["authorization"] for r in seen] == [f"Bearer {KEY_A}", f"Bearer {KEY_B}", f"Bearer {KEY_A}"]
