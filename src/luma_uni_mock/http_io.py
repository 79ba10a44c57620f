"""Reading requests and sending responses over raw ASGI (what the mock needs, kept small for speed)."""

from __future__ import annotations

import functools
import itertools
import json
import re
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from .asgi_types import Headers, Message, Receive, Scope
from .http_errors import HttpError, body_too_large

# ASGI's codec of header bytes and the query string (a codec's name has many spellings: each would be an equivalent
# mutant inline).
LATIN_1 = "latin-1"
# An X-Request-Id is echoed only when it is a plain token (anything else is replaced by a minted one), so an echoed
# header can never carry a line break or a megabyte.
_ECHOABLE_REQUEST_ID = re.compile(r"[\x21-\x7e]{1,200}")
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.\-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?")
# What orjson cannot encode (a lone surrogate or an int past 64 bits, echoed from a request into an error's detail)
# goes through the standard library's encoder, built once (json.dumps with any argument builds one per call).
_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True)
JSON_CONTENT_TYPE = b"application/json"


# Ids must be unique, not secret (a generation is its owner's whatever its id; file URLs are signed): a random UUID's
# first groups, drawn once, then a counter. uuid.uuid4() asks the kernel for 16 bytes, and formatting 128 random bits
# as a UUID cost ~10k instructions a POST (bench/README.md).
_ID_PREFIX = str(uuid.uuid4())[:24]
_ID_NUMBERS = itertools.count()
_ID_TOP_BIT = 1 << 48  # above the counter's 12 hex digits (2^48 ids: never reached): hex() then gives all 12


def new_id() -> str:
    """A fresh id in a version 4 UUID's form (RFC 4122 variant), for generations and minted X-Request-Ids: unique in
    this process by its counter, and across processes by its random prefix. hex() of the counter with a top bit set,
    that bit's digit cut, is what ``:012x`` gives at a quarter of its cost (no format spec parsed per id)."""
    return _ID_PREFIX + hex(next(_ID_NUMBERS) | _ID_TOP_BIT)[3:]


class Request:
    """The parts of an ASGI HTTP scope the handlers use; header names are lower-case, values latin-1. Read from the
    scope by its own ``__init__``: one Python call a request (a classmethod building a dataclass was two). Slots, not
    a NamedTuple built in C: the interpreter specialises reads of slots, not of a NamedTuple's fields, and a request
    reads them a dozen times."""

    __slots__ = ("headers", "method", "path", "receive", "request_id", "scope")

    def __init__(self, scope: Scope, receive: Receive) -> None:
        # ASGI's HTTP scope always has method, path, query_string and headers: no defaults to invent.
        raw = scope["headers"]
        try:  # a keep-alive client sends the same headers request after request: decoded once (_decoded_cached)
            headers: Mapping[str, str] = _decoded_cached(tuple(raw))  # pragma: no mutate
        except TypeError:  # ASGI lets a server give each header as a list, which is not hashable
            headers = _decoded(raw)
        sent_id = headers.get("x-request-id")
        self.method: str = scope["method"]
        self.path: str = scope["path"]
        self.headers = headers  # shared between requests with the same headers: read-only
        self.request_id = (sent_id if sent_id and _ECHOABLE_REQUEST_ID.fullmatch(sent_id) else new_id()).encode()
        self.scope = scope
        self.receive = receive

    @property
    def query(self) -> str:
        """The query string (only file URLs read one: decoded when asked for)."""
        query: bytes = self.scope["query_string"]
        return query.decode(LATIN_1)

    def origin(self) -> str:
        """``scheme://host[:port]`` as the client addressed us, for absolute URLs (a garbled Host is not trusted)."""
        server = self.scope.get("server")  # a list from some servers: the cache wants a tuple
        return _origin(self.scope.get("scheme"), self.headers.get("host", ""), tuple(server) if server else None)

    async def read_body(self, limit: int) -> bytes:
        """The whole body, refusing (413) once it passes ``limit`` bytes without buffering the rest."""
        declared = self.headers.get("content-length", "")  # pragma: no mutate
        if declared.isdigit() and int(declared) > limit:  # pragma: no mutate
            raise body_too_large(limit)
        message = await self.receive()
        if message["type"] == "http.disconnect":  # pragma: no mutate
            raise ClientDisconnectedError
        body: bytes = message.get("body", b"")  # pragma: no mutate
        if len(body) > limit:  # pragma: no mutate
            raise body_too_large(limit)
        if not message.get("more_body"):  # a body in one message (most of them): no list, no join
            return body
        chunks = [body]
        size = len(body)
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":  # pragma: no mutate
                raise ClientDisconnectedError
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # pragma: no mutate
                raise body_too_large(limit)
            if not message.get("more_body"):
                return b"".join(chunks)


def _decoded(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """The headers by lower-case name. Decoding a header list cost ~2.8k instructions, and a keep-alive client sends
    the same one request after request: Request memoises it (bounded, and shared: the mapping is read-only)."""
    headers: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()  # pragma: no mutate
        # A repeated header keeps its first value, as the rules read single-valued headers.
        headers.setdefault(key, value.decode("latin-1"))  # pragma: no mutate
    return headers


# Wrapped, not decorated: mutation testing skips decorated functions.
_decoded_cached = functools.lru_cache(maxsize=64)(_decoded)


@dataclass(slots=True)
class MockResponse:
    """What a handler answers (named apart from httpx's and the generated client's Response)."""

    status: int
    body: bytes
    content_type: bytes = JSON_CONTENT_TYPE
    headers: Sequence[tuple[str, str]] = ()


Handler = Callable[[Request, "re.Match[str]"], Awaitable[MockResponse]]


class ClientDisconnectedError(Exception):
    """The client disconnected before its request was read: there is nobody to answer."""


def json_bytes(payload: Any) -> bytes:
    """The compact JSON of a response body. orjson: the standard library's encoder cost a third of serving a GET."""
    try:
        return orjson.dumps(payload)
    except orjson.JSONEncodeError:
        return _JSON.encode(payload).encode()


@functools.lru_cache(maxsize=64)  # a client sends the same Host every time; checking it is a regex match
def _origin(scheme: object, host: str, server: tuple[str, int | None] | None) -> str:
    scheme = "https" if scheme == "https" else "http"
    if not _HOST.fullmatch(host):
        host = f"{server[0]}:{server[1]}" if server and server[1] is not None else "localhost"
        if not _HOST.fullmatch(host):
            host = "localhost"
    return f"{scheme}://{host}"


# Header names are case-insensitive, so each is spelled once here rather than inline (where every other spelling of
# it would be an equivalent mutant).
_CONTENT_TYPE = b"content-type"
_CONTENT_LENGTH = b"content-length"
_REQUEST_ID = b"x-request-id"
_API_VERSION = b"x-api-version"


def response_start(request_id: bytes, api_version: bytes, response: MockResponse) -> Message:
    """The ``http.response.start`` message of a response, always with ``X-Request-Id`` and ``X-API-Version`` (the
    app awaits both messages itself: a coroutine of its own here cost a call a request)."""
    headers: Headers = [
        (_CONTENT_TYPE, response.content_type),
        (_CONTENT_LENGTH, str(len(response.body)).encode()),
        (_REQUEST_ID, request_id),
        (_API_VERSION, api_version),
    ]
    if response.headers:
        headers.extend([(name.encode(LATIN_1), value.encode(LATIN_1)) for name, value in response.headers])
    return {"type": "http.response.start", "status": response.status, "headers": headers}


def error_response(error: HttpError) -> MockResponse:
    return MockResponse(error.status, json_bytes({"detail": error.detail}), headers=error.headers)
