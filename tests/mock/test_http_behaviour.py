"""Headers on every response, routing (404, 405 with Allow, the /v1 prefix), the bounded store, and the 5xx shield."""

from __future__ import annotations

import asyncio
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from luma_uni_mock import MockConfig, create_app
from luma_uni_mock.serve import RunningMock
from luma_uni_mock.store import GenerationStore
from tests.mock.helpers import client, create, detail

ANY_ID = "d290f1ee-6c54-4b01-90e6-d701748f0851"
KEY = {"Authorization": "Bearer luma-api-headers"}


def _assorted_responses(mock: RunningMock, raw: httpx.Client, api: httpx.Client) -> list[httpx.Response]:
    generation_id = create(api)["id"]
    mock.control.advance(60)
    url = api.get(f"/generations/{generation_id}").json()["output"][0]["url"]
    return [
        api.post("/generations", json={"prompt": "x"}),  # 201
        api.get(f"/generations/{generation_id}"),  # 200
        api.get(f"/generations/{uuid.uuid4()}"),  # 404
        api.post("/generations", json={"prompt": ""}),  # 400
        api.post("/generations", content=b"x"),  # 415
        raw.post("/v1/generations", json={"prompt": "x"}),  # 401
        raw.post("/v1/generations", json={"prompt": "x"}, headers={"Authorization": "Bearer luma-api-suspended-1"}),
        raw.put("/v1/generations", headers=KEY),  # 405
        raw.get("/nowhere"),  # 404 route
        api.post("/generations", json={"prompt": "x"}, headers={"X-Mock-Status": "503"}),
        raw.get(url),  # 200 image
        raw.get(url + "0"),  # 403
        raw.get("/_mock/health"),
    ]


def test_every_response_carries_a_request_id_and_the_api_version(
    luma_mock_frozen: RunningMock, raw: httpx.Client, api: httpx.Client
) -> None:
    minted = []
    for response in _assorted_responses(luma_mock_frozen, raw, api):
        assert response.headers["x-api-version"] == "2026-04-01", response.request.url
        minted.append(uuid.UUID(response.headers["x-request-id"]))
    assert len(set(minted)) == len(minted)  # one id each, never reused


def test_a_sent_request_id_is_echoed(api: httpx.Client, raw: httpx.Client) -> None:
    for response in (
        api.post("/generations", json={"prompt": "x"}, headers={"X-Request-Id": "req-123"}),
        api.get(f"/generations/{uuid.uuid4()}", headers={"X-Request-Id": "req-124"}),
        raw.delete("/v1/generations", headers={"X-Request-Id": "req-125"}),
    ):
        assert response.headers["x-request-id"] == response.request.headers["x-request-id"]


@pytest.mark.parametrize("sent", ["", "a b", "x" * 201, "é"])
def test_an_unusable_request_id_is_replaced_by_a_minted_one(api: httpx.Client, sent: str) -> None:
    response = api.get(f"/generations/{uuid.uuid4()}", headers={b"X-Request-Id": sent.encode()})
    assert uuid.UUID(response.headers["x-request-id"])


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/v1/generations", "POST"),
        ("PUT", "/v1/generations", "POST"),
        ("DELETE", "/v1/generations", "POST"),
        ("OPTIONS", "/v1/generations", "POST"),
        ("PATCH", "/generations", "POST"),
        ("HEAD", "/v1/generations", "POST"),
        # Fixed ids: pytest-xdist's workers must collect the same test ids.
        ("POST", f"/v1/generations/{ANY_ID}", "GET"),
        ("DELETE", f"/v1/generations/{ANY_ID}", "GET"),
        ("TRACE", f"/generations/{ANY_ID}", "GET"),
    ],
)
def test_undocumented_methods_get_405_with_allow(raw: httpx.Client, method: str, path: str, allow: str) -> None:
    response = raw.request(method, path, headers=KEY)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    if method != "HEAD":
        assert detail(response) == "Method Not Allowed"


@pytest.mark.parametrize("path", ["/", "/v2/generations", "/v1/generations/", "/v1/generations/a/b", "/v1/Generations"])
def test_unknown_routes_get_404_json(raw: httpx.Client, path: str) -> None:
    response = raw.get(path, headers=KEY)
    assert response.status_code == 404
    assert detail(response) == "Not Found"


def test_the_api_answers_with_and_without_the_v1_prefix(luma_mock_frozen: RunningMock, raw: httpx.Client) -> None:
    created = raw.post("/generations", json={"prompt": "x"}, headers=KEY).json()
    assert raw.get(f"/v1/generations/{created['id']}", headers=KEY).status_code == 200


def test_the_store_evicts_the_oldest_finished_generations(luma_mock_factory: Any) -> None:
    mock: RunningMock = luma_mock_factory(MockConfig(max_generations=3, time_scale=0))
    with client(mock) as api:
        ids = [create(api)["id"] for _ in range(3)]
        refused = api.post("/generations", json={"prompt": "x"})  # full, and nothing has finished
        assert refused.status_code == 429
        assert detail(refused) == "Too many concurrent jobs"
        mock.control.advance(31)
        newest = create(api)["id"]
        assert api.get(f"/generations/{ids[0]}").status_code == 404  # evicted
        for kept in [*ids[1:], newest]:
            assert api.get(f"/generations/{kept}").status_code == 200
        assert mock.control.generation_count() == 3


def test_an_internal_bug_becomes_a_documented_5xx_json_body_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(MockConfig())

    def broken(*args: Any) -> bool:
        raise RuntimeError("a bug")

    monkeypatch.setattr(GenerationStore, "get", broken)

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            return await http.get(f"/v1/generations/{uuid.uuid4()}", headers=KEY)

    response = asyncio.run(call())
    assert response.status_code == 502
    assert detail(response) == "Upstream service unavailable"
    assert response.headers["x-api-version"] == "2026-04-01"


def test_in_process_use_serves_the_whole_api() -> None:
    app = create_app(MockConfig(time_scale=0))

    async def flow() -> tuple[int, int, str]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver/v1", headers=KEY) as http:
            created = (await http.post("/generations", json={"prompt": "x"})).json()
            app.control.advance(60)
            done = (await http.get(f"/generations/{created['id']}")).json()
            image = await http.get(done["output"][0]["url"])
            return image.status_code, len(image.content), done["output"][0]["url"]

    status, size, url = asyncio.run(flow())
    assert status == 200 and size > 100
    assert re.match(r"http://testserver/_mock/files/[0-9a-f-]{36}/output\.png\?", url)


def test_websocket_and_lifespan_scopes_do_not_hang() -> None:
    app = create_app(MockConfig())
    sent: list[dict[str, Any]] = []

    async def drive() -> None:
        async def send(message: Any) -> None:
            sent.append(message)

        messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

        async def receive() -> Any:
            return next(messages)

        await asyncio.wait_for(app({"type": "lifespan"}, receive, send), 5)
        await asyncio.wait_for(app({"type": "websocket", "path": "/"}, receive, send), 5)

    asyncio.run(drive())
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete", "websocket.close"]


def test_concurrent_requests_keep_the_state_consistent(luma_mock_factory: Any) -> None:
    """32 clients at once against a cap of 5 running jobs: exactly 5 are created, and every one is found."""
    mock: RunningMock = luma_mock_factory(MockConfig(max_concurrent=5, time_scale=0))
    barrier = threading.Barrier(32)

    def attempt(_: int) -> httpx.Response:
        with client(mock) as api:
            barrier.wait()
            return api.post("/generations", json={"prompt": "x"})

    with ThreadPoolExecutor(max_workers=32) as pool:
        responses = list(pool.map(attempt, range(32)))
    created = [r.json()["id"] for r in responses if r.status_code == 201]
    assert len(created) == 5
    assert sorted(r.status_code for r in responses) == [201] * 5 + [429] * 27
    assert mock.control.generation_count() == 5
    with client(mock) as api, ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda gid: api.get(f"/generations/{gid}").status_code, created * 20))
    assert statuses == [200] * 100
