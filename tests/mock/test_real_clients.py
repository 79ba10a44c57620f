"""What real clients send works: the official luma-agents 0.2.0 SDK (sync and async, X-Stainless-* headers and
all), our generated client, and curl-like raw requests."""

from __future__ import annotations

import asyncio
import io

import httpx
import luma_agents
import pytest
from PIL import Image

from conformance.spec import value_not_in
from luma_agents_client import AuthenticatedClient
from luma_agents_client.api.generations import create_generation, get_generation
from luma_agents_client.models import CreateGenerationRequest, Error, Generation
from luma_uni_mock.rule_wording import rule_detail
from luma_uni_mock.serve import RunningMock

UNKNOWN_RATIO = value_not_in("AspectRatio")


def _sdk(mock: RunningMock, key: str | None = None) -> luma_agents.Luma:
    return luma_agents.Luma(auth_token=key or mock.api_key, base_url=mock.base_url, max_retries=0)


def test_sdk_create_poll_download(luma_mock_frozen: RunningMock) -> None:
    with _sdk(luma_mock_frozen) as sdk:
        created = sdk.generations.create(prompt="a lighthouse", aspect_ratio="9:16", output_format="jpeg")
        assert (created.state, created.model, created.type, created.output) == ("queued", "uni-1", "image", [])
        luma_mock_frozen.control.advance(5)
        assert sdk.generations.get(created.id).state == "processing"  # the clock is frozen: no race with real time
        luma_mock_frozen.control.advance(60)
        done = sdk.generations.get(created.id)
        assert done.state == "completed" and done.output
        image = Image.open(io.BytesIO(httpx.get(done.output[0].url).content))
        assert image.format == "JPEG" and image.height > image.width


def test_sdk_edit_with_references(luma_mock_frozen: RunningMock) -> None:
    with _sdk(luma_mock_frozen) as sdk:
        edit = sdk.generations.create(
            prompt="make it winter",
            type="image_edit",
            model="uni-1-max",
            source={"url": "https://img.example/photo.jpg"},
            image_ref=[{"url": "https://img.example/ref.jpg"}],
            style="manga",
            web_search=False,
            user_id="user-1",
        )
        assert (edit.type, edit.model) == ("image_edit", "uni-1-max")


def test_sdk_failure_on_demand(luma_mock_frozen: RunningMock) -> None:
    with _sdk(luma_mock_frozen) as sdk:
        created = sdk.generations.create(prompt="x", extra_headers={"X-Mock-Failure": "content_moderated"})
        luma_mock_frozen.control.advance(60)
        failed = sdk.generations.get(created.id)
        assert (failed.state, failed.failure_code) == ("failed", "content_moderated")


def test_sdk_errors_map_to_its_exception_classes(luma_mock_frozen: RunningMock) -> None:
    with _sdk(luma_mock_frozen) as sdk:
        with pytest.raises(luma_agents.BadRequestError) as bad:
            sdk.generations.create(prompt="x", aspect_ratio=UNKNOWN_RATIO)  # type: ignore[arg-type]
        assert bad.value.body == {"detail": rule_detail("invalid_aspect_ratio", value=UNKNOWN_RATIO)}
        with pytest.raises(luma_agents.NotFoundError):
            sdk.generations.get("d290f1ee-6c54-4b01-90e6-d701748f0851")
        with pytest.raises(luma_agents.RateLimitError) as limited:
            sdk.generations.create(prompt="x", extra_headers={"X-Mock-Status": "429"})
        assert limited.value.response.headers["retry-after"] == "1"
    with (
        _sdk(luma_mock_frozen, "luma-api-revoked-1") as revoked,
        pytest.raises(luma_agents.AuthenticationError) as denied,
    ):
        revoked.generations.create(prompt="x")
    assert denied.value.body == {"detail": "API key has been revoked"}
    with _sdk(luma_mock_frozen, "luma-api-suspended-1") as suspended, pytest.raises(luma_agents.PermissionDeniedError):
        suspended.generations.get("d290f1ee-6c54-4b01-90e6-d701748f0851")


def test_sdk_retries_a_queued_5xx_and_succeeds(luma_mock_frozen: RunningMock) -> None:
    luma_mock_frozen.control.add_fault(method="POST", status=503, retry_after=0.01)
    with luma_agents.Luma(
        auth_token=luma_mock_frozen.api_key, base_url=luma_mock_frozen.base_url, max_retries=1
    ) as sdk:
        assert sdk.generations.create(prompt="x").state == "queued"
    assert luma_mock_frozen.control.generation_count() == 1


def test_async_sdk(luma_mock_frozen: RunningMock) -> None:
    async def flow() -> str:
        async with luma_agents.AsyncLuma(
            auth_token=luma_mock_frozen.api_key, base_url=luma_mock_frozen.base_url
        ) as sdk:
            created = await sdk.generations.create(prompt="x")
            luma_mock_frozen.control.advance(60)
            return (await sdk.generations.get(created.id)).state

    assert asyncio.run(flow()) == "completed"


def test_our_generated_client(luma_mock_frozen: RunningMock) -> None:
    client = AuthenticatedClient(base_url=luma_mock_frozen.base_url, token=luma_mock_frozen.api_key)
    with client:
        created = create_generation.sync_detailed(client=client, body=CreateGenerationRequest(prompt="a cat"))
        assert created.status_code == 201 and isinstance(created.parsed, Generation)
        luma_mock_frozen.control.advance(60)
        fetched = get_generation.sync_detailed(created.parsed.id, client=client)
        assert isinstance(fetched.parsed, Generation) and fetched.parsed.state == "completed"
        refused = create_generation.sync_detailed(client=client, body=CreateGenerationRequest(prompt=""))
        assert refused.status_code == 400 and isinstance(refused.parsed, Error)


def test_curl_like_raw_requests(luma_mock_frozen: RunningMock) -> None:
    """Exactly what ``curl -X POST -H 'Authorization: Bearer …' -H 'Content-Type: application/json' -d …`` sends."""
    headers = {
        "Authorization": f"Bearer {luma_mock_frozen.api_key}",
        "Content-Type": "application/json",
        "Accept": "*/*",
        "User-Agent": "curl/8.5.0",
    }
    created = httpx.post(f"{luma_mock_frozen.base_url}/generations", content=b'{"prompt":"a cat"}', headers=headers)
    assert created.status_code == 201
    fetched = httpx.get(
        f"{luma_mock_frozen.base_url}/generations/{created.json()['id']}",
        headers={"Authorization": headers["Authorization"]},
    )
    assert fetched.status_code == 200
