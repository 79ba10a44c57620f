"""``client.generations``: create, get, wait, create_and_wait and download, in a sync and an asyncio form.

Each call is built from the generated operation's parts (``_requests``), so the wire format is exactly the
contract's; this layer adds validation before sending, the retry policy of ``_retries``, typed errors, polling and
downloads.

As in httpx's ``BaseClient``, :class:`BaseGenerations` makes every decision that needs no I/O: the request of each
call, whether and when to retry (``retry_delay``), when to poll next (``Waiting``), which files to save and the
fresh URL after a refusal (``_downloads``). :class:`Generations` and :class:`AsyncGenerations` only send, sleep and
read, so the two forms cannot drift apart.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Generic, ParamSpec, TypeVar, Unpack

import httpx

from luma_agents_client import Client as ApiClient
from luma_agents_client.api.generations import create_generation, get_generation
from luma_agents_client.models import CreateGenerationRequest, Generation
from luma_agents_client.types import UNSET

from ._config import ClientConfig
from ._inputs import CreateOptions, build_request, reads_files
from ._polling import DEFAULT_WAIT_TIMEOUT, ProgressCallback, Waiting
from ._raw import RawResponse
from ._requests import ApiCall, CallOptions, Query, async_send, build_http_request, read_response, send
from ._retries import RetryPolicy, retry_delay
from .errors import InputError, LumaError, PermissionDeniedError

if TYPE_CHECKING:
    from ._downloads import OutputFile

GenerationRef = str | uuid.UUID | Generation
"""A generation, or its id."""

P = ParamSpec("P")
T = TypeVar("T")
HttpClient = TypeVar("HttpClient", httpx.Client, httpx.AsyncClient)


class BaseGenerations(Generic[HttpClient]):
    """What :class:`Generations` and :class:`AsyncGenerations` share: every decision that needs no I/O."""

    def __init__(self, http: HttpClient, config: ClientConfig) -> None:
        self._http: HttpClient = http
        self._config = config
        self._clock: Callable[[], float] = time.monotonic  # luma_uni.testing.set_time replaces it
        self._policy = RetryPolicy(max_retries=config.max_retries)
        self._api = ApiClient(base_url=config.base_url)  # only parses responses: requests are ours (``_requests``)

    def _create_call(self, body: CreateGenerationRequest, x_request_id: str | None, options: CallOptions) -> ApiCall:
        kwargs = create_generation._get_kwargs(body=body, x_request_id=UNSET if x_request_id is None else x_request_id)
        return ApiCall(create_generation._build_response, kwargs, options)

    def _get_call(self, generation_id: GenerationRef, options: CallOptions) -> ApiCall:
        kwargs = get_generation._get_kwargs(_generation_id(generation_id))
        return ApiCall(get_generation._build_response, kwargs, options)

    def _request(self, call: ApiCall) -> httpx.Request:
        return build_http_request(self._http, self._config, call)

    def _read(self, call: ApiCall, response: httpx.Response) -> RawResponse:
        return read_response(call.build_response, self._api, response)

    def _waiting(self, timeout: float, on_progress: ProgressCallback | None, polls_done: int) -> Waiting:
        return Waiting(timeout, on_progress, self._clock, polls_done)

    def _retry_delay(self, method: str, exc: LumaError, retries_done: int) -> float | None:
        return retry_delay(method, exc, self._policy, retries_done)


class Generations(BaseGenerations[httpx.Client]):
    """Generations of every type: images and their edits, videos, video edits and reframes, layer splits
    (``client.generations``)."""

    def __init__(self, http: httpx.Client, config: ClientConfig) -> None:
        super().__init__(http, config)
        self._sleep: Callable[[float], None] = time.sleep  # luma_uni.testing.set_time replaces it

    def create(
        self,
        *,
        prompt: str,
        x_request_id: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
        **fields: Unpack[CreateOptions],
    ) -> Generation:
        """Queue a generation: an image (``type="image"``, the server's default), a video (``"video"``, with a model
        that makes videos, options in ``video``), an edit, reframe or layer split of ``source`` (``"image_edit"``,
        ``"video_edit"``, ``"video_reframe"``, ``"layering"`` with options in ``layering``). An input may be a
        local image or video file, a URL, an ``ImageRef`` (``generation_id``, ``file_id``, ...) or an earlier
        ``Generation``, which chains off its output.

        The request's fields are keyword arguments (:class:`~luma_uni._inputs.CreateOptions`: every optional field
        of the spec's request, and the images). Returns at once with state ``queued``. An argument left as None is
        left out (the server decides). Raises :class:`~luma_uni.errors.InputError` before sending for anything the
        API would refuse. Retried only when the API surely created nothing (see docs/client.md, "Retry policy"): a
        retried POST could otherwise bill twice.

        As in the official SDK, ``extra_headers``, ``extra_query`` and ``extra_body`` add to this request (and win
        over the client's and the method's own values), and ``timeout`` replaces the client's for it.
        ``x_request_id`` is sent as ``X-Request-Id``; the API echoes it (see ``with_raw_response``).
        """
        options = CallOptions(extra_headers, extra_query, extra_body, timeout)
        return self._create(prompt, fields, x_request_id, options).parse()

    def get(
        self,
        generation_id: GenerationRef,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> Generation:
        """The generation's current state (every call mints fresh one-hour output URLs). The per-call options
        ``extra_headers``, ``extra_query`` and ``timeout`` are :meth:`create`'s (an ``X-Request-Id`` goes in
        ``extra_headers`` here)."""
        return self._get(generation_id, CallOptions(extra_headers, extra_query, None, timeout)).parse()

    @property
    def with_raw_response(self) -> GenerationsWithRawResponse:
        """``client.generations.with_raw_response.create(...)`` (or ``.get``): the response, with ``.headers``,
        ``.status_code``, ``.http_request``, ``.request_id`` and ``.parse()`` for the Generation."""
        return GenerationsWithRawResponse(self)

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
        waiting = self._waiting(timeout, on_progress, polls_done=1)
        options = CallOptions(extra_headers, extra_query)
        return self._wait(self._get(generation_id, options).parse(), waiting, options)

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
        **fields: Unpack[CreateOptions],
    ) -> Generation:
        """:meth:`create`, then :meth:`wait` (the deadline counts from the start of the create). ``extra_body`` and
        ``x_request_id`` go with the create, ``extra_headers`` and ``extra_query`` with every request."""
        waiting = self._waiting(timeout, on_progress, polls_done=0)
        created = self._create(prompt, fields, x_request_id, CallOptions(extra_headers, extra_query, extra_body))
        return self._wait(created.parse(), waiting, CallOptions(extra_headers, extra_query))

    def download(self, generation: GenerationRef, directory: str | Path) -> list[Path]:
        """Save every output of a completed generation into ``directory`` (created if missing); return the paths.

        Files are named ``<id>.<ext>`` with the extension of the served content type (``.png``, ``.mp4``), the
        layers of a ``layering`` generation ``<id>-<index>-<label>.png`` (front to back, the background last); each
        appears whole or not at all. An expired presigned URL (403) is refreshed once by getting the generation
        again.
        """
        from ._downloads import output_files  # only programs that download pay for importing it

        current = generation if isinstance(generation, Generation) else self.get(generation)
        return [self._save(file) for file in output_files(current, directory)]

    def _create(
        self, prompt: str, fields: CreateOptions, x_request_id: str | None, options: CallOptions
    ) -> RawResponse:
        body = build_request(prompt=prompt, **fields)
        return self._send(self._create_call(body, x_request_id, options))

    def _get(self, generation_id: GenerationRef, options: CallOptions) -> RawResponse:
        return self._send(self._get_call(generation_id, options))

    def _wait(self, generation: Generation, waiting: Waiting, options: CallOptions) -> Generation:
        while not isinstance(delay := waiting.next_poll(generation), Generation):
            self._sleep(delay)
            generation = self._get(generation.id, options).parse()
        return delay

    def _save(self, file: OutputFile) -> Path:
        from ._downloads import refreshed, save_output

        try:
            return self._with_retries("GET", save_output, self._http, file, self._config.timeout)
        except PermissionDeniedError:
            fresh = refreshed(file, self.get(file.generation.id))
            if fresh is None:
                raise
            return self._with_retries("GET", save_output, self._http, fresh, self._config.timeout)

    def _send(self, call: ApiCall) -> RawResponse:
        return self._with_retries(call.method, self._attempt, call)

    def _attempt(self, call: ApiCall) -> RawResponse:
        return self._read(call, send(self._http, self._request(call)))

    def _with_retries(self, method: str, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        retries_done = 0
        while True:
            try:
                return fn(*args, **kwargs)
            except LumaError as exc:
                delay = self._retry_delay(method, exc, retries_done)
                if delay is None:
                    raise
            self._sleep(delay)
            retries_done += 1


class AsyncGenerations(BaseGenerations[httpx.AsyncClient]):
    """The asyncio (and trio) form of :class:`Generations` (``AsyncLuma().generations``)."""

    def __init__(self, http: httpx.AsyncClient, config: ClientConfig) -> None:
        super().__init__(http, config)
        self._sleep: Callable[[float], Awaitable[None]] = _anyio_sleep  # luma_uni.testing.set_time replaces it

    async def create(
        self,
        *,
        prompt: str,
        x_request_id: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
        **fields: Unpack[CreateOptions],
    ) -> Generation:
        """See :meth:`Generations.create`. Local image files are read in a worker thread."""
        options = CallOptions(extra_headers, extra_query, extra_body, timeout)
        return (await self._create(prompt, fields, x_request_id, options)).parse()

    async def get(
        self,
        generation_id: GenerationRef,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> Generation:
        """See :meth:`Generations.get`."""
        return (await self._get(generation_id, CallOptions(extra_headers, extra_query, None, timeout))).parse()

    @property
    def with_raw_response(self) -> AsyncGenerationsWithRawResponse:
        """See :attr:`Generations.with_raw_response`."""
        return AsyncGenerationsWithRawResponse(self)

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
        waiting = self._waiting(timeout, on_progress, polls_done=1)
        options = CallOptions(extra_headers, extra_query)
        return await self._wait((await self._get(generation_id, options)).parse(), waiting, options)

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
        **fields: Unpack[CreateOptions],
    ) -> Generation:
        """See :meth:`Generations.create_and_wait`."""
        waiting = self._waiting(timeout, on_progress, polls_done=0)
        created = await self._create(prompt, fields, x_request_id, CallOptions(extra_headers, extra_query, extra_body))
        return await self._wait(created.parse(), waiting, CallOptions(extra_headers, extra_query))

    async def download(self, generation: GenerationRef, directory: str | Path) -> list[Path]:
        """See :meth:`Generations.download`."""
        from ._downloads import output_files  # only programs that download pay for importing it

        current = generation if isinstance(generation, Generation) else await self.get(generation)
        return [await self._save(file) for file in output_files(current, directory)]

    async def _create(
        self, prompt: str, fields: CreateOptions, x_request_id: str | None, options: CallOptions
    ) -> RawResponse:
        def build() -> CreateGenerationRequest:
            return build_request(prompt=prompt, **fields)

        if reads_files(fields):
            import anyio.to_thread

            body = await anyio.to_thread.run_sync(build)
        else:
            body = build()
        return await self._send(self._create_call(body, x_request_id, options))

    async def _get(self, generation_id: GenerationRef, options: CallOptions) -> RawResponse:
        return await self._send(self._get_call(generation_id, options))

    async def _wait(self, generation: Generation, waiting: Waiting, options: CallOptions) -> Generation:
        while not isinstance(delay := waiting.next_poll(generation), Generation):
            await self._sleep(delay)
            generation = (await self._get(generation.id, options)).parse()
        return delay

    async def _save(self, file: OutputFile) -> Path:
        from ._downloads import async_save_output, refreshed

        try:
            return await self._with_retries("GET", async_save_output, self._http, file, self._config.timeout)
        except PermissionDeniedError:
            fresh = refreshed(file, await self.get(file.generation.id))
            if fresh is None:
                raise
            return await self._with_retries("GET", async_save_output, self._http, fresh, self._config.timeout)

    async def _send(self, call: ApiCall) -> RawResponse:
        return await self._with_retries(call.method, self._attempt, call)

    async def _attempt(self, call: ApiCall) -> RawResponse:
        return self._read(call, await async_send(self._http, self._request(call)))

    async def _with_retries(self, method: str, fn: Callable[P, Awaitable[T]], *args: P.args, **kwargs: P.kwargs) -> T:
        retries_done = 0
        while True:
            try:
                return await fn(*args, **kwargs)
            except LumaError as exc:
                delay = self._retry_delay(method, exc, retries_done)
                if delay is None:
                    raise
            await self._sleep(delay)
            retries_done += 1


class GenerationsWithRawResponse:
    """``client.generations.with_raw_response``: :meth:`~Generations.create` and :meth:`~Generations.get`
    returning the :class:`~luma_uni.RawResponse` (headers, status, request) instead of the Generation, as in the
    official SDK. The same arguments, the same retries and errors."""

    def __init__(self, generations: Generations) -> None:
        self._generations = generations

    def create(
        self,
        *,
        prompt: str,
        x_request_id: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
        **fields: Unpack[CreateOptions],
    ) -> RawResponse:
        """:meth:`Generations.create`, returning the response; ``.parse()`` gives the Generation."""
        options = CallOptions(extra_headers, extra_query, extra_body, timeout)
        return self._generations._create(prompt, fields, x_request_id, options)

    def get(
        self,
        generation_id: GenerationRef,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> RawResponse:
        """:meth:`Generations.get`, returning the response; ``.parse()`` gives the Generation."""
        return self._generations._get(generation_id, CallOptions(extra_headers, extra_query, None, timeout))


class AsyncGenerationsWithRawResponse:
    """``AsyncLuma().generations.with_raw_response``: see :class:`GenerationsWithRawResponse`."""

    def __init__(self, generations: AsyncGenerations) -> None:
        self._generations = generations

    async def create(
        self,
        *,
        prompt: str,
        x_request_id: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | None = None,
        **fields: Unpack[CreateOptions],
    ) -> RawResponse:
        """:meth:`AsyncGenerations.create`, returning the response; ``.parse()`` gives the Generation."""
        options = CallOptions(extra_headers, extra_query, extra_body, timeout)
        return await self._generations._create(prompt, fields, x_request_id, options)

    async def get(
        self,
        generation_id: GenerationRef,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Query | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> RawResponse:
        """:meth:`AsyncGenerations.get`, returning the response; ``.parse()`` gives the Generation."""
        return await self._generations._get(generation_id, CallOptions(extra_headers, extra_query, None, timeout))


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


async def _anyio_sleep(seconds: float) -> None:
    import anyio  # only async users pay for it

    await anyio.sleep(seconds)
