"""``client.generations``: create, get, wait, create_and_wait and download, in a sync and an asyncio form.

Each call is built from the generated operation's parts (``_requests``), so the wire format is exactly the
contract's; this layer adds validation before sending, the retry policy of ``_retries``, typed errors, polling and
downloads.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any, Unpack

import httpx
from attrs import frozen

from luma_agents_client import Client as ApiClient
from luma_agents_client.api.generations import create_generation, get_generation
from luma_agents_client.models import CreateGenerationRequest, Generation
from luma_agents_client.types import UNSET

from ._config import ClientConfig
from ._downloads import async_save_output, file_stem, outputs_of, save_output
from ._inputs import CreateOptions, build_request, reads_files
from ._polling import DEFAULT_WAIT_TIMEOUT, ProgressCallback, finished, poll_delay
from ._raw import RawResponse, async_parsed, parsed
from ._requests import BuildResponse, CallOptions, Query, async_send, read_response, send
from ._requests import build_request as build_http_request
from ._retries import AsyncRetrier, Retrier, RetryPolicy
from .errors import InputError, PermissionDeniedError, WaitTimeoutError

logger = logging.getLogger("luma_uni")

GenerationRef = str | uuid.UUID | Generation
"""A generation, or its id."""


class Generations:
    """Image generations and edits (``client.generations``)."""

    def __init__(
        self,
        http: httpx.Client,
        config: ClientConfig,
        policy: RetryPolicy,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
    ) -> None:
        self._http = http
        self._config = config
        self._api = ApiClient(base_url=config.base_url)  # only parses responses: requests are ours (``_requests``)
        self._sleep = sleep
        self._clock = clock
        self._retry_get = Retrier("GET", policy, sleep)
        self._retry_post = Retrier("POST", policy, sleep)

    def _raw_create(
        self,
        *,
        prompt: str,
        x_request_id: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
        **options: Unpack[CreateOptions],
    ) -> RawResponse:
        """Queue a generation (``type="image"``, the default) or an edit of ``source`` (``type="image_edit"``).

        Returns at once with state ``queued``. An argument left as None is left out (the server decides). Raises
        :class:`~luma_uni.errors.InputError` before sending for anything the API would refuse. Retried only when
        the API surely created nothing (see README.md, "Retry policy"): a retried POST could otherwise bill twice.

        As in the official SDK, ``extra_headers``, ``extra_query`` and ``extra_body`` add to this request (and win
        over the client's and the method's own values), and ``timeout`` replaces the client's for it.
        ``x_request_id`` is sent as ``X-Request-Id``; the API echoes it (see ``with_raw_response``).
        """
        body = build_request(prompt=prompt, **options)
        call = CallOptions(extra_headers, extra_query, extra_body, timeout)
        return self._retry_post(
            self._attempt, create_generation._build_response, _create_kwargs(body, x_request_id), call
        )

    create = parsed(_raw_create)

    def _raw_get(
        self,
        generation_id: GenerationRef,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> RawResponse:
        """The generation's current state (every call mints fresh one-hour output URLs). The per-call options are
        :meth:`create`'s (an ``X-Request-Id`` goes in ``extra_headers`` here)."""
        call = CallOptions(extra_headers, extra_query, None, timeout)
        return self._retry_get(self._attempt, get_generation._build_response, _get_kwargs(generation_id), call)

    get = parsed(_raw_get)

    @property
    def with_raw_response(self) -> GenerationsWithRawResponse:
        """``client.generations.with_raw_response.create(...)`` (or ``.get``): the response, with ``.headers``,
        ``.status_code``, ``.http_request``, ``.request_id`` and ``.parse()`` for the Generation."""
        return GenerationsWithRawResponse(self)

    def _attempt(self, build_response: BuildResponse, kwargs: dict[str, Any], options: CallOptions) -> RawResponse:
        request = build_http_request(self._http, self._config, kwargs, options)
        return read_response(build_response, self._api, send(self._http, request))

    def wait(
        self,
        generation_id: GenerationRef,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
    ) -> Generation:
        """Poll until the generation completes and return it.

        Raises :class:`~luma_uni.errors.GenerationFailedError` if it fails and
        :class:`~luma_uni.errors.WaitTimeoutError` after ``timeout`` seconds (the whole wait, not one request).
        ``on_progress`` gets every polled state; ``extra_headers`` and ``extra_query`` go with every poll.
        """
        deadline = self._clock() + _positive(timeout)
        polls = _Polls(deadline, timeout, on_progress, extra_headers, extra_query)
        first = self.get(generation_id, extra_headers=extra_headers, extra_query=extra_query)
        return self._wait(first, polls, polls_done=1)

    def create_and_wait(
        self,
        *,
        prompt: str,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
        x_request_id: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, object] | None = None,
        **options: Unpack[CreateOptions],
    ) -> Generation:
        """:meth:`create`, then :meth:`wait` (the deadline counts from the start of the create). ``extra_body`` and
        ``x_request_id`` go with the create, ``extra_headers`` and ``extra_query`` with every request."""
        deadline = self._clock() + _positive(timeout)
        polls = _Polls(deadline, timeout, on_progress, extra_headers, extra_query)
        generation = self.create(
            prompt=prompt,
            x_request_id=x_request_id,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            **options,
        )
        return self._wait(generation, polls, polls_done=0)

    def _wait(self, generation: Generation, polls: _Polls, polls_done: int) -> Generation:
        while True:
            if polls.on_progress is not None:
                polls.on_progress(generation)
            done = finished(generation)
            if done is not None:
                return done
            remaining = polls.deadline - self._clock()
            if remaining <= 0:
                raise WaitTimeoutError(str(generation.id), generation.state, polls.timeout)
            self._sleep(min(poll_delay(polls_done), remaining))
            generation = self.get(generation.id, extra_headers=polls.extra_headers, extra_query=polls.extra_query)
            polls_done += 1

    def download(self, generation: GenerationRef, directory: str | Path) -> list[Path]:
        """Save every output of a completed generation into ``directory`` (created if missing); return the paths.

        Files are named ``<id>.<ext>`` with the extension of the served content type, and appear whole or not at
        all. An expired presigned URL (403) is refreshed once by getting the generation again.
        """
        current = generation if isinstance(generation, Generation) else self.get(generation)
        done = _ready_for_download(current)
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        return [self._download_output(done, index, target) for index in range(len(outputs_of(done)))]

    def _download_output(self, generation: Generation, index: int, directory: Path) -> Path:
        stem = file_stem(generation, index)
        http, timeout = self._http, self._config.timeout
        try:
            return self._retry_get(save_output, http, outputs_of(generation)[index].url, directory, stem, timeout)
        except PermissionDeniedError:
            fresh = outputs_of(self.get(generation.id))
            if index >= len(fresh):
                raise
            logger.info("Output URL of %s was refused (expired?); retrying with a fresh one", generation.id)
            return self._retry_get(save_output, http, fresh[index].url, directory, stem, timeout)


class AsyncGenerations:
    """The asyncio form of :class:`Generations` (``AsyncLuma().generations``)."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        config: ClientConfig,
        policy: RetryPolicy,
        sleep: Callable[[float], Awaitable[None]],
        clock: Callable[[], float],
    ) -> None:
        self._http = http
        self._config = config
        self._api = ApiClient(base_url=config.base_url)  # only parses responses: requests are ours (``_requests``)
        self._sleep = sleep
        self._clock = clock
        self._retry_get = AsyncRetrier("GET", policy, sleep)
        self._retry_post = AsyncRetrier("POST", policy, sleep)

    async def _raw_create(
        self,
        *,
        prompt: str,
        x_request_id: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
        **options: Unpack[CreateOptions],
    ) -> RawResponse:
        """See :meth:`Generations.create`. Local image files are read in a worker thread."""

        def build() -> CreateGenerationRequest:
            return build_request(prompt=prompt, **options)

        if reads_files(options.get("source"), options.get("image_ref")):
            import anyio.to_thread

            body = await anyio.to_thread.run_sync(build)
        else:
            body = build()
        call = CallOptions(extra_headers, extra_query, extra_body, timeout)
        kwargs = _create_kwargs(body, x_request_id)
        return await self._retry_post(self._attempt, create_generation._build_response, kwargs, call)

    create = async_parsed(_raw_create)

    async def _raw_get(
        self,
        generation_id: GenerationRef,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> RawResponse:
        """See :meth:`Generations.get`."""
        call = CallOptions(extra_headers, extra_query, None, timeout)
        return await self._retry_get(self._attempt, get_generation._build_response, _get_kwargs(generation_id), call)

    get = async_parsed(_raw_get)

    @property
    def with_raw_response(self) -> AsyncGenerationsWithRawResponse:
        """See :attr:`Generations.with_raw_response`."""
        return AsyncGenerationsWithRawResponse(self)

    async def _attempt(
        self, build_response: BuildResponse, kwargs: dict[str, Any], options: CallOptions
    ) -> RawResponse:
        request = build_http_request(self._http, self._config, kwargs, options)
        return read_response(build_response, self._api, await async_send(self._http, request))

    async def wait(
        self,
        generation_id: GenerationRef,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
    ) -> Generation:
        """See :meth:`Generations.wait`."""
        deadline = self._clock() + _positive(timeout)
        polls = _Polls(deadline, timeout, on_progress, extra_headers, extra_query)
        first = await self.get(generation_id, extra_headers=extra_headers, extra_query=extra_query)
        return await self._wait(first, polls, polls_done=1)

    async def create_and_wait(
        self,
        *,
        prompt: str,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
        x_request_id: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, object] | None = None,
        **options: Unpack[CreateOptions],
    ) -> Generation:
        """See :meth:`Generations.create_and_wait`."""
        deadline = self._clock() + _positive(timeout)
        polls = _Polls(deadline, timeout, on_progress, extra_headers, extra_query)
        generation = await self.create(
            prompt=prompt,
            x_request_id=x_request_id,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            **options,
        )
        return await self._wait(generation, polls, polls_done=0)

    async def _wait(self, generation: Generation, polls: _Polls, polls_done: int) -> Generation:
        while True:
            if polls.on_progress is not None:
                polls.on_progress(generation)
            done = finished(generation)
            if done is not None:
                return done
            remaining = polls.deadline - self._clock()
            if remaining <= 0:
                raise WaitTimeoutError(str(generation.id), generation.state, polls.timeout)
            await self._sleep(min(poll_delay(polls_done), remaining))
            generation = await self.get(generation.id, extra_headers=polls.extra_headers, extra_query=polls.extra_query)
            polls_done += 1

    async def download(self, generation: GenerationRef, directory: str | Path) -> list[Path]:
        """See :meth:`Generations.download`."""
        current = generation if isinstance(generation, Generation) else await self.get(generation)
        done = _ready_for_download(current)
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        return [await self._download_output(done, index, target) for index in range(len(outputs_of(done)))]

    async def _download_output(self, generation: Generation, index: int, directory: Path) -> Path:
        stem = file_stem(generation, index)
        http, timeout = self._http, self._config.timeout
        url = outputs_of(generation)[index].url
        try:
            return await self._retry_get(async_save_output, http, url, directory, stem, timeout)
        except PermissionDeniedError:
            fresh = outputs_of(await self.get(generation.id))
            if index >= len(fresh):
                raise
            logger.info("Output URL of %s was refused (expired?); retrying with a fresh one", generation.id)
            return await self._retry_get(async_save_output, http, fresh[index].url, directory, stem, timeout)


class GenerationsWithRawResponse:
    """``client.generations.with_raw_response``: the same methods, returning a :class:`RawResponse`."""

    def __init__(self, generations: Generations) -> None:
        self.create = generations._raw_create
        self.get = generations._raw_get


class AsyncGenerationsWithRawResponse:
    """``AsyncLuma().generations.with_raw_response``."""

    def __init__(self, generations: AsyncGenerations) -> None:
        self.create = generations._raw_create
        self.get = generations._raw_get


@frozen
class _Polls:
    """What a wait keeps for every poll: its deadline, progress callback and per-call options."""

    deadline: float
    timeout: float
    on_progress: ProgressCallback | None
    extra_headers: Mapping[str, str] | None
    extra_query: Query | None


def _create_kwargs(body: CreateGenerationRequest, x_request_id: str | None) -> dict[str, Any]:
    return create_generation._get_kwargs(body=body, x_request_id=UNSET if x_request_id is None else x_request_id)


def _get_kwargs(generation_id: GenerationRef) -> dict[str, Any]:
    return get_generation._get_kwargs(_generation_id(generation_id))


def _generation_id(value: GenerationRef) -> uuid.UUID:
    if isinstance(value, Generation):
        return value.id
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str) or not value.strip():
        raise InputError("generation_id must be a non-empty string")
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        raise InputError(
            f"generation_id {value!r} is not a UUID (ids look like d290f1ee-6c54-4b01-90e6-d701748f0851)"
        ) from None


def _positive(timeout: float) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise InputError(f"timeout must be a positive number of seconds, not {timeout!r}")
    return float(timeout)


def _ready_for_download(generation: Generation) -> Generation:
    done = finished(generation)
    if done is None:
        raise InputError(f"Generation {generation.id} is still {generation.state}; wait for it before downloading")
    return done
