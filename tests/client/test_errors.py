"""Responses become typed errors carrying the status, the detail, the request id and the body."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

import httpx
import pytest

from conformance.spec import load_spec
from luma_uni import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    MalformedResponseError,
    NotFoundError,
    PayloadTooLargeError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    UnsupportedMediaTypeError,
)
from tests.client.helpers import AnyClient, ClientFactory

pytestmark = pytest.mark.anyio  # the async tests run once per client kind (conftest: mode)

GENERATION: dict[str, object] = {
    "id": "d290f1ee-6c54-4b01-90e6-d701748f0851",
    "type": "image",
    "state": "queued",
    "model": "uni-1",
    "created_at": "2026-04-08T12:00:00Z",
    "output": [],
    "failure_reason": None,
    "failure_code": None,
}
EXPECTED = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: InternalServerError,
    502: InternalServerError,
    503: InternalServerError,
    520: InternalServerError,
}


def answering(
    open_client: ClientFactory, handler: Callable[[httpx.Request], httpx.Response]
) -> AbstractAsyncContextManager[AnyClient]:
    """This test's kind of client, on a transport that answers with ``handler`` and no retries."""
    return open_client({"transport": httpx.MockTransport(handler)}, base_url="https://api.example/v1", max_retries=0)


def documented_error_statuses() -> set[int]:
    statuses = set()
    for item in load_spec()["paths"].values():
        for operation in item.values():
            statuses |= {int(s) for s in operation["responses"] if s.isdigit() and int(s) >= 400}
    return statuses


def test_every_documented_error_status_has_its_own_class() -> None:
    assert documented_error_statuses() <= set(EXPECTED)


@pytest.mark.parametrize(("status", "cls"), sorted(EXPECTED.items()))
async def test_status_maps_to_class_with_detail_request_id_and_body(
    open_client: ClientFactory, status: int, cls: type[APIStatusError]
) -> None:
    body = {"detail": f"problem {status}"}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body, headers={"X-Request-Id": "req-123"})

    async with answering(open_client, handler) as client:
        with pytest.raises(cls) as caught:
            await client.generations.create(prompt="a cat")
    error = caught.value
    assert type(error) is cls
    assert (error.status_code, error.detail, error.request_id, error.body) == (status, body["detail"], "req-123", body)
    assert f"problem {status}" in str(error)
    assert "req-123" in str(error)


async def test_rate_limit_error_carries_retry_after(open_client: ClientFactory) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, json={"detail": "Too many concurrent jobs"}, headers={"Retry-After": "60"})

    async with answering(open_client, handler) as client:
        with pytest.raises(RateLimitError) as caught:
            await client.generations.create(prompt="a cat")
    assert caught.value.retry_after == 60.0


async def test_proxy_html_on_an_error_status_is_still_that_status(open_client: ClientFactory) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(502, text="<html>Bad gateway</html>", headers={"content-type": "text/html"})

    async with answering(open_client, handler) as client:
        with pytest.raises(InternalServerError) as caught:
            await client.generations.get(GENERATION["id"])
    assert caught.value.status_code == 502
    assert caught.value.detail is None
    assert caught.value.body == "<html>Bad gateway</html>"


async def test_fastapi_list_detail_is_kept_as_text(open_client: ClientFactory) -> None:
    detail = [{"loc": ["body", "prompt"], "msg": "field required", "type": "missing"}]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422, json={"detail": detail})

    async with answering(open_client, handler) as client:
        with pytest.raises(UnprocessableEntityError) as caught:
            await client.generations.create(prompt="a cat")
    assert caught.value.detail is not None
    assert json.loads(caught.value.detail) == detail


async def test_malformed_success_body_is_a_malformed_response_error(open_client: ClientFactory) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, json={"id": "not-a-uuid", "state": "queued"})

    async with answering(open_client, handler) as client:
        with pytest.raises(MalformedResponseError) as caught:
            await client.generations.create(prompt="a cat")
    assert caught.value.status_code == 201


async def test_undocumented_success_status_is_still_a_generation(open_client: ClientFactory) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=GENERATION)  # 200 where the spec says 201

    async with answering(open_client, handler) as client:
        generation = await client.generations.create(prompt="a cat")
    assert str(generation.id) == GENERATION["id"]


async def test_unknown_enum_values_from_a_newer_server_are_kept(open_client: ClientFactory) -> None:
    newer = {**GENERATION, "type": "video", "model": "ray-3.2", "state": "cancelled", "layer": {"index": 0}}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=newer)

    async with answering(open_client, handler) as client:
        generation = await client.generations.get(GENERATION["id"])
    assert (generation.type_, generation.model, generation.state) == ("video", "ray-3.2", "cancelled")
    assert generation["layer"] == {"index": 0}
