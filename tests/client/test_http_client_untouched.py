"""A caller's own httpx client is lent, never changed: the key, base URL and timeout travel with each API request.

Every request goes through an ``httpx.MockTransport`` that records it: the API host answers with the spec's example
generations (whose output URL is on a storage host), the storage host with image bytes, any other host with "ok".
"""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from conformance.spec import load_spec
from luma_uni import AsyncLuma, Luma

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


def test_callers_client_keeps_its_headers_base_url_and_timeout() -> None:
    seen: list[httpx.Request] = []
    with httpx.Client(**callers_settings(seen)) as http:
        with Luma(api_key=KEY_A, base_url=API_URL, http_client=http, timeout=30) as client:
            client.generations.create(prompt="a lighthouse")
        assert_unchanged(http)
    [api_request] = seen
    assert str(api_request.url) == f"{API_URL}/generations"
    assert api_request.headers["authorization"] == f"Bearer {KEY_A}"
    assert api_request.headers["x-mine"] == "kept"  # the caller's own headers still go along, as with the SDK
    assert api_request.extensions["timeout"]["read"] == 30


def test_callers_timeout_is_used_when_none_is_given() -> None:
    seen: list[httpx.Request] = []
    with (
        httpx.Client(**callers_settings(seen)) as http,
        Luma(api_key=KEY_A, base_url=API_URL, http_client=http) as client,
    ):
        client.generations.create(prompt="a lighthouse")
    assert seen[0].extensions["timeout"] == CALLER_TIMEOUT.as_dict()


def test_the_key_goes_to_the_api_host_only(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    with httpx.Client(**callers_settings(seen)) as http:
        with Luma(api_key=KEY_A, base_url=API_URL, http_client=http) as client:
            generation = client.generations.create_and_wait(prompt="a lighthouse")
            [path] = client.generations.download(generation, tmp_path)
        http.get("https://example.org/x")
        http.get("/relative")  # the caller's own base URL
    assert path.read_bytes() == png()
    assert_key_only_to_the_api(seen)


def test_two_clients_sharing_one_http_client_send_their_own_keys() -> None:
    seen: list[httpx.Request] = []
    with httpx.Client(**callers_settings(seen)) as http:
        a = Luma(api_key=KEY_A, base_url=API_URL, http_client=http)
        b = Luma(api_key=KEY_B, base_url=API_URL, http_client=http)
        a.generations.create(prompt="from a")
        b.generations.create(prompt="from b")
        a.generations.get("d290f1ee-6c54-4b01-90e6-d701748f0851")
    assert [r.headers["authorization"] for r in seen] == [f"Bearer {KEY_A}", f"Bearer {KEY_B}", f"Bearer {KEY_A}"]


def test_async_callers_client_is_never_changed_and_the_key_goes_to_the_api_only(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    async def scenario() -> None:
        async with httpx.AsyncClient(**callers_settings(seen)) as http:
            async with AsyncLuma(api_key=KEY_A, base_url=API_URL, http_client=http, timeout=30) as a:
                b = AsyncLuma(api_key=KEY_B, base_url=API_URL, http_client=http)
                generation = await a.generations.create_and_wait(prompt="a lighthouse")
                await b.generations.get(generation.id)
                await a.generations.download(generation, tmp_path)
            assert_unchanged(http)
            await http.get("https://example.org/x")
            await http.get("/relative")

    asyncio.run(scenario())
    assert_key_only_to_the_api(seen)
    api_keys = [r.headers["authorization"] for r in seen if r.url.host == API_HOST]
    assert api_keys == [f"Bearer {KEY_A}", f"Bearer {KEY_A}", f"Bearer {KEY_B}"]
