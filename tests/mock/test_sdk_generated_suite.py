"""An SDK's generated tests, in the shape Stainless writes them (luma-agents' tests/api_resources/test_generations.py),
run with the official SDK (luma-agents, the dev dependency) against the mock in permissive mode, as generated SDKs
run them against Prism: a placeholder token, a placeholder id, every optional field filled at once, and the raw and
streaming response forms, sync and async, each with loose and strict response validation.

The last tests send what newer SDK versions send (0.5.0's fields, with values copied from its own generated suite)
before our spec knows them: permissive mode must let them through.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, cast

import httpx
import pytest
from luma_agents import AsyncLuma, BadRequestError, Luma
from luma_agents.types import Generation

from luma_uni_mock.config import MockConfig
from luma_uni_mock.serve import RunningMock

AUTH_TOKEN = "My Auth Token"
PROMPT = "A glass of iced coffee on a marble countertop, morning light streaming through a window"
PLACEHOLDER_ID = "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e"
IMAGE_REF = {"data": "data", "media_type": "media_type", "url": "url"}  # url and data at once: only types checked
ALL_PARAMS: dict[str, Any] = {
    "aspect_ratio": "3:1",
    "image_ref": [IMAGE_REF],
    "model": "uni-1",
    "output_format": "png",
    "source": IMAGE_REF,  # a source on type "image": a rule between fields, not a type
    "style": "auto",
    "type": "image",
    "user_id": "user_id",
    "web_search": True,
}
# Fields of luma-agents 0.5.0 that this spec does not have yet (values as in that version's generated suite).
NEWER_REF = {**IMAGE_REF, "file_id": PLACEHOLDER_ID, "generation_id": PLACEHOLDER_ID}
NEWER_FIELDS: dict[str, Any] = {
    "image_ref": [NEWER_REF],
    "source": NEWER_REF,
    "layering": {"resolution": "1k"},
    "video": {"duration": "5s", "loop": True, "resolution": "360p", "start_frame": NEWER_REF, "keyframe_indexes": [0]},
}

parametrize = pytest.mark.parametrize("client", [False, True], indirect=True, ids=["loose", "strict"])
parametrize_async = pytest.mark.parametrize("async_client", [False, True], indirect=True, ids=["loose", "strict"])


@pytest.fixture
def client(request: pytest.FixtureRequest, luma_mock_permissive: RunningMock) -> Iterator[Luma]:
    with Luma(
        base_url=luma_mock_permissive.root_url, auth_token=AUTH_TOKEN, _strict_response_validation=request.param
    ) as sdk:
        yield sdk


@pytest.fixture
async def async_client(request: pytest.FixtureRequest, luma_mock_permissive: RunningMock) -> AsyncIterator[AsyncLuma]:
    async with AsyncLuma(
        base_url=luma_mock_permissive.root_url, auth_token=AUTH_TOKEN, _strict_response_validation=request.param
    ) as sdk:
        yield sdk


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class TestGenerations:
    @parametrize
    def test_method_create(self, client: Luma) -> None:
        generation = client.generations.create(prompt=PROMPT)
        assert isinstance(generation, Generation)
        assert generation.state == "queued"

    @parametrize
    def test_method_create_with_all_params(self, client: Luma) -> None:
        generation = client.generations.create(prompt=PROMPT, **ALL_PARAMS)
        assert isinstance(generation, Generation)

    @parametrize
    def test_raw_response_create(self, client: Luma) -> None:
        response = client.generations.with_raw_response.create(prompt=PROMPT)
        assert response.is_closed is True
        assert response.http_request.headers.get("X-Stainless-Lang") == "python"
        assert isinstance(response.parse(), Generation)

    @parametrize
    def test_streaming_response_create(self, client: Luma) -> None:
        with client.generations.with_streaming_response.create(prompt=PROMPT) as response:
            assert not response.is_closed
            assert response.http_request.headers.get("X-Stainless-Lang") == "python"
            assert isinstance(response.parse(), Generation)
        assert cast(Any, response.is_closed) is True

    @parametrize
    def test_method_get(self, client: Luma) -> None:
        generation = client.generations.get(PLACEHOLDER_ID)
        assert isinstance(generation, Generation)
        assert generation.id == PLACEHOLDER_ID

    @parametrize
    def test_raw_response_get(self, client: Luma) -> None:
        response = client.generations.with_raw_response.get(PLACEHOLDER_ID)
        assert response.is_closed is True
        assert response.parse().id == PLACEHOLDER_ID

    @parametrize
    def test_streaming_response_get(self, client: Luma) -> None:
        with client.generations.with_streaming_response.get(PLACEHOLDER_ID) as response:
            assert not response.is_closed
            assert response.parse().id == PLACEHOLDER_ID
        assert cast(Any, response.is_closed) is True

    @parametrize
    def test_path_params_get(self, client: Luma) -> None:
        with pytest.raises(ValueError, match=r"Expected a non-empty value for `generation_id` but received ''"):
            client.generations.with_raw_response.get("")

    @parametrize
    def test_a_created_generation_is_got_back(self, client: Luma) -> None:
        created = client.generations.create(prompt=PROMPT)
        assert client.generations.get(created.id).id == created.id

    @parametrize
    def test_newer_sdk_fields_and_values_pass(self, client: Luma) -> None:
        newer = {**ALL_PARAMS, "model": "uni-1-max", "aspect_ratio": "21:9", "output_format": "webp"}
        generation = client.generations.create(prompt=PROMPT, **newer, extra_body=NEWER_FIELDS)
        assert isinstance(generation, Generation)

    def test_a_wrong_type_is_still_refused(self, luma_mock_permissive: RunningMock) -> None:
        with (
            Luma(base_url=luma_mock_permissive.root_url, auth_token=AUTH_TOKEN, max_retries=0) as sdk,
            pytest.raises(BadRequestError, match="web_search"),
        ):
            sdk.generations.create(prompt=PROMPT, extra_body={"web_search": "yes"})


class TestAsyncGenerations:
    @parametrize_async
    @pytest.mark.anyio
    async def test_method_create(self, async_client: AsyncLuma) -> None:
        assert isinstance(await async_client.generations.create(prompt=PROMPT), Generation)

    @parametrize_async
    @pytest.mark.anyio
    async def test_method_create_with_all_params(self, async_client: AsyncLuma) -> None:
        assert isinstance(await async_client.generations.create(prompt=PROMPT, **ALL_PARAMS), Generation)

    @parametrize_async
    @pytest.mark.anyio
    async def test_raw_response_create(self, async_client: AsyncLuma) -> None:
        response = await async_client.generations.with_raw_response.create(prompt=PROMPT)
        assert response.is_closed is True
        assert isinstance(await response.parse(), Generation)

    @parametrize_async
    @pytest.mark.anyio
    async def test_streaming_response_create(self, async_client: AsyncLuma) -> None:
        async with async_client.generations.with_streaming_response.create(prompt=PROMPT) as response:
            assert not response.is_closed
            assert isinstance(await response.parse(), Generation)
        assert cast(Any, response.is_closed) is True

    @parametrize_async
    @pytest.mark.anyio
    async def test_method_get(self, async_client: AsyncLuma) -> None:
        assert (await async_client.generations.get(PLACEHOLDER_ID)).id == PLACEHOLDER_ID

    @parametrize_async
    @pytest.mark.anyio
    async def test_raw_response_get(self, async_client: AsyncLuma) -> None:
        response = await async_client.generations.with_raw_response.get(PLACEHOLDER_ID)
        assert (await response.parse()).id == PLACEHOLDER_ID

    @parametrize_async
    @pytest.mark.anyio
    async def test_streaming_response_get(self, async_client: AsyncLuma) -> None:
        async with async_client.generations.with_streaming_response.get(PLACEHOLDER_ID) as response:
            assert (await response.parse()).id == PLACEHOLDER_ID
        assert cast(Any, response.is_closed) is True


def test_no_token_is_still_refused(luma_mock_permissive: RunningMock) -> None:
    response = httpx.post(f"{luma_mock_permissive.base_url}/generations", json={"prompt": PROMPT})
    assert response.status_code == 401


def test_permissive_mode_is_a_switch_of_the_environment_too() -> None:
    assert MockConfig.from_env({"LUMA_MOCK_PERMISSIVE": "1"}).permissive is True
    assert MockConfig().permissive is False
