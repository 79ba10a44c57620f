"""One API request: built per call from the generated operation's parts, sent through the (possibly borrowed) httpx
client, and read back into a Generation or a typed error.

The generated module of each operation gives the method, path, JSON body and its own headers (``_get_kwargs``)
and parses the response (``_build_response``). Everything the client holds travels with the request itself, as in
the official SDK: the absolute URL, the API key, the default headers, the timeout and the per-call options. Nothing
is written onto the httpx client, so a client passed in by the caller keeps its own base URL, headers and timeout,
and the key never reaches a request the caller sends elsewhere through it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple, Protocol

import httpx

from luma_agents_client import Client as ApiClient
from luma_agents_client.errors import MalformedResponse
from luma_agents_client.models import Error, Generation
from luma_agents_client.types import Response

from ._config import ClientConfig, request_timeout
from ._raw import RawResponse
from ._responses import connection_error, generation_from, malformed_error
from .errors import APIStatusError

Query = Mapping[str, str | int | float | bool]
"""Extra query parameters (``extra_query``), as httpx takes them."""


class BuildResponse(Protocol):
    """A generated operation's ``_build_response``: status, headers and the parsed body of an httpx response."""

    def __call__(self, *, client: ApiClient, response: httpx.Response) -> Response[Error | Generation]: ...


class CallOptions(NamedTuple):
    """The official SDK's per-call options of one request: headers, query parameters and JSON fields added to it (they
    win over the client's and the method's own), and a timeout for it instead of the client's.

    This module's records are NamedTuples rather than attrs classes: creating an attrs class costs about four times
    as much, and importing the client is paid by every program that uses it (bench/README.md)."""

    extra_headers: Mapping[str, str] | None = None
    extra_query: Query | None = None
    extra_body: Mapping[str, object] | None = None
    timeout: float | httpx.Timeout | None = None


class ApiCall(NamedTuple):
    """One API operation as the clients send it: the generated module's request parts (``_get_kwargs``), its
    response parser (``_build_response``) and the per-call options. Every attempt of a retry sends the same."""

    build_response: BuildResponse
    kwargs: Mapping[str, Any]
    options: CallOptions

    @property
    def method(self) -> str:
        method: str = self.kwargs["method"].upper()
        return method


def build_http_request(http: httpx.Client | httpx.AsyncClient, config: ClientConfig, call: ApiCall) -> httpx.Request:
    """The request for one attempt. httpx adds the borrowed client's own default headers, cookies and query
    parameters, as it does for the official SDK; ours win over them, and the per-call options over ours."""
    kwargs, options = call.kwargs, call.options
    headers = config.request_headers
    own, extra = kwargs.get("headers"), options.extra_headers
    if own or extra:
        headers = headers.copy()  # the client's stay as they are, for its next request
        headers.update(own)
        headers.update(extra)
    body = kwargs.get("json")
    if options.extra_body:
        body = {**(body or {}), **options.extra_body}
    return http.build_request(
        call.method,
        api_url(config.base_url, kwargs["url"]),
        headers=headers,
        params=options.extra_query,
        json=body,
        timeout=config.timeout if options.timeout is None else request_timeout(options.timeout),
    )


@functools.lru_cache(maxsize=256)
def api_url(base_url: str, path: str) -> httpx.URL:
    """The absolute URL of an API path, parsed once: parsing a URL is most of what httpx spends building a request,
    and a client asks for the same few again and again (every create the same one, every poll of a wait the same
    generation's). Bounded, so a long run over many generations keeps only the recent ones."""
    return httpx.URL(base_url + path)


# httpcore's blocking socket writer drops what each send() took with `buffer = buffer[n:]`, copying the rest of the
# body every time: quadratic in its size. A 50 MB input is ~67 MB of JSON: ~0.3 s of CPU on loopback, and more over
# a real link, which takes less per send(). Slices of this size keep every copy small; the asyncio and trio writers
# do not copy, so the async client sends as it is.
UPLOAD_SLICE_BYTES = 1 << 20  # pragma: no mutate


class BodyInSlices(httpx.SyncByteStream):
    """A request body handed to the transport a slice at a time; the headers (its Content-Length) stay as they are.
    Read again on every iteration, so a transport that sends the body twice (a redirect) sends it whole."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def __iter__(self) -> Iterator[bytes]:
        view = memoryview(self._body)
        for start in range(0, len(view), UPLOAD_SLICE_BYTES):
            yield bytes(view[start : start + UPLOAD_SLICE_BYTES])


def send(http: httpx.Client, request: httpx.Request) -> httpx.Response:
    """Send one attempt; an httpx failure becomes :class:`~luma_uni.errors.APIConnectionError`."""
    if len(request.content) > UPLOAD_SLICE_BYTES:  # pragma: no mutate
        request.stream = BodyInSlices(request.content)
    try:
        return http.send(request)
    except httpx.RequestError as exc:
        raise connection_error(exc, request.method, request.url.path) from exc


async def async_send(http: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    """The asyncio form of :func:`send`."""
    try:
        return await http.send(request)
    except httpx.RequestError as exc:
        raise connection_error(exc, request.method, request.url.path) from exc


def read_response(build_response: BuildResponse, api: ApiClient, response: httpx.Response) -> RawResponse:
    """The response with its Generation; raise the typed error of an error status or a malformed body."""
    try:
        return RawResponse(response, generation_from(build_response(client=api, response=response)))
    except MalformedResponse as exc:
        error = malformed_error(exc, response.headers)
        if isinstance(error, APIStatusError):
            error.response = response
        raise error from exc
    except APIStatusError as exc:
        exc.response = response
        raise
