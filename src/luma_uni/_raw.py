"""What ``with_raw_response`` gives: the HTTP response of a successful call and its parsed Generation, with the
names of the official SDK's ``APIResponse`` (``headers``, ``status_code``, ``http_request``, ``parse()``, ...)."""

from __future__ import annotations

import datetime
import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import httpx

from luma_agents_client.models import Generation

P = ParamSpec("P")
S = TypeVar("S")


class RawResponse:
    """A successful response (an error status raises, as in the official SDK), already read and parsed."""

    def __init__(self, http_response: httpx.Response, parsed: Generation) -> None:
        self.http_response = http_response
        self._parsed = parsed

    def parse(self) -> Generation:
        """The Generation the method would have returned."""
        return self._parsed

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def url(self) -> httpx.URL:
        return self.http_response.request.url

    @property
    def method(self) -> str:
        return self.http_response.request.method

    @property
    def http_version(self) -> str:
        return self.http_response.http_version

    @property
    def elapsed(self) -> datetime.timedelta:
        return self.http_response.elapsed

    @property
    def request_id(self) -> str | None:
        """The ``X-Request-Id`` the API answered with: quote it to Luma's support."""
        request_id: str | None = self.http_response.headers.get("x-request-id")
        return request_id

    @property
    def content(self) -> bytes:
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    def read(self) -> bytes:
        return self.http_response.content

    def json(self) -> Any:
        return self.http_response.json()

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code} {self.http_response.reason_phrase}] type={Generation.__name__}>"


def parsed(method: Callable[Concatenate[S, P], RawResponse]) -> Callable[Concatenate[S, P], Generation]:
    """The plain form of a ``_raw_<name>`` method (its signature and docstring, returning the Generation), so each
    method is written once and ``with_raw_response.<name>`` is the method itself, as in the official SDK."""

    @functools.wraps(method)
    def call(self: S, /, *args: P.args, **kwargs: P.kwargs) -> Generation:
        return method(self, *args, **kwargs).parse()

    call.__name__ = method.__name__.removeprefix("_raw_")
    call.__qualname__ = method.__qualname__.replace("._raw_", ".")
    call.__signature__ = inspect.signature(method).replace(return_annotation=Generation.__name__)  # type: ignore[attr-defined]  # for help()
    return call


def async_parsed(
    method: Callable[Concatenate[S, P], Awaitable[RawResponse]],
) -> Callable[Concatenate[S, P], Awaitable[Generation]]:
    """The asyncio form of :func:`parsed`."""

    @functools.wraps(method)
    async def call(self: S, /, *args: P.args, **kwargs: P.kwargs) -> Generation:
        return (await method(self, *args, **kwargs)).parse()

    call.__name__ = method.__name__.removeprefix("_raw_")
    call.__qualname__ = method.__qualname__.replace("._raw_", ".")
    call.__signature__ = inspect.signature(method).replace(return_annotation=Generation.__name__)  # type: ignore[attr-defined]  # for help()
    return call
