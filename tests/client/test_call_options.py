"""The official SDK's per-call options (extra_headers, extra_query, extra_body, timeout), its raw-response form
(with_raw_response) and the caller's own X-Request-Id, in the sync and the async client."""

from __future__ import annotations

import json

import httpx
import pytest

from luma_uni import Generation, LumaError, NotFoundError, RawResponse
from luma_uni_mock.serve import RunningMock
from tests.client.helpers import AnyClient, ClientFactory, RequestLog

pytestmark = pytest.mark.anyio  # the async tests run once per client kind (conftest: mode)


UNKNOWN_ID = "d290f1ee-6c54-4b01-90e6-d701748f0851"


async def test_extra_headers_query_body_and_timeout_go_with_that_request_only(
    client: AnyClient, request_log: RequestLog
) -> None:
    await client.generations.create(
        prompt="a lighthouse",
        extra_headers={"X-Trace": "abc", "User-Agent": "mine/1"},
        extra_query={"debug": "1"},
        extra_body={"web_search": True},
        timeout=12,
    )
    await client.generations.create(prompt="a lighthouse")
    first, second = request_log.requests
    assert (first.headers["x-trace"], first.headers["user-agent"]) == ("abc", "mine/1")  # theirs win over ours
    assert first.url.params["debug"] == "1"
    assert json.loads(first.content) == {"prompt": "a lighthouse", "web_search": True}
    assert first.extensions["timeout"]["read"] == 12
    assert "x-trace" not in second.headers
    assert not second.url.params
    assert second.extensions["timeout"]["read"] == 60  # the client's again


async def test_extra_body_wins_over_the_methods_own_fields(client: AnyClient, request_log: RequestLog) -> None:
    await client.generations.create(prompt="a lighthouse", model="uni-1", extra_body={"model": "uni-1-max"})
    assert json.loads(request_log.requests[0].content)["model"] == "uni-1-max"


async def test_get_takes_the_same_options(client: AnyClient, request_log: RequestLog) -> None:
    created = await client.generations.create(prompt="a lighthouse")
    await client.generations.get(created.id, extra_headers={"X-Trace": "get"}, extra_query={"v": "2"}, timeout=3)
    get = request_log.requests[-1]
    assert (get.method, get.headers["x-trace"], get.url.params["v"]) == ("GET", "get", "2")
    assert get.extensions["timeout"]["read"] == 3


async def test_the_waiting_helpers_send_the_options_with_every_request(
    client: AnyClient, request_log: RequestLog
) -> None:
    await client.generations.create_and_wait(
        prompt="a lighthouse", extra_headers={"X-Trace": "w"}, extra_query={"v": "1"}, extra_body={"style": "auto"}
    )
    assert request_log.count("GET") >= 1
    assert all(r.headers["x-trace"] == "w" and r.url.params["v"] == "1" for r in request_log.requests)
    assert json.loads(request_log.requests[0].content)["style"] == "auto"


async def test_raw_response_has_the_status_headers_request_and_the_parsed_generation(
    client: AnyClient, frozen_mock: RunningMock
) -> None:
    raw = await client.generations.with_raw_response.create(prompt="a lighthouse", x_request_id="my-request-1")
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 201
    assert raw.request_id == raw.headers["x-request-id"] == "my-request-1"  # sent by us, echoed by the API
    assert raw.http_request.headers["x-request-id"] == "my-request-1"
    assert "x-api-version" in raw.headers
    assert (raw.method, raw.url.path) == ("POST", "/v1/generations")
    generation = raw.parse()
    assert isinstance(generation, Generation)
    assert str(generation.id) == raw.json()["id"]
    got = await client.generations.with_raw_response.get(generation.id)
    assert (got.status_code, got.parse().id) == (200, generation.id)


async def test_raw_response_raises_the_typed_error_of_an_error_status_with_its_response(client: AnyClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await client.generations.with_raw_response.get(UNKNOWN_ID)
    response = caught.value.response  # as in the official SDK
    assert response is not None
    assert response.status_code == 404
    assert response.headers["x-request-id"] == caught.value.request_id


async def test_a_bad_per_call_timeout_is_refused_before_sending(client: AnyClient, request_log: RequestLog) -> None:
    with pytest.raises(LumaError, match="timeout must be a positive number"):
        await client.generations.get(UNKNOWN_ID, timeout=-1)
    assert request_log.requests == []


async def test_the_raw_form_and_wait_take_the_same_options(client: AnyClient, request_log: RequestLog) -> None:
    raw = await client.generations.with_raw_response.create(
        prompt="a lighthouse", x_request_id="raw-1", extra_headers={"X-Trace": "a"}, timeout=9
    )
    done = await client.generations.wait(raw.parse(), extra_query={"v": "3"})
    assert (raw.status_code, raw.request_id) == (201, "raw-1")
    assert done.state == "completed"
    post, *gets = request_log.requests
    assert (post.headers["x-trace"], post.extensions["timeout"]["read"]) == ("a", 9)
    assert gets and all(r.url.params["v"] == "3" for r in gets)


async def test_options_reach_a_borrowed_http_client_without_changing_it(open_client: ClientFactory) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404, json={"detail": "Generation not found"})

    transport = httpx.MockTransport(answer)
    async with open_client({"transport": transport}, base_url="https://api.test/v1", max_retries=0) as client:
        with pytest.raises(NotFoundError):
            await client.generations.get(UNKNOWN_ID, extra_headers={"X-Request-Id": "mine"})
        assert "x-request-id" not in client.http.headers
    assert seen[0].headers["x-request-id"] == "mine"
