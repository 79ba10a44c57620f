"""What ``with_raw_response`` gives: the HTTP response of a successful call and its parsed Generation, with the
names of the official SDK's ``APIResponse`` (``headers``, ``status_code``, ``http_request``, ``parse()``, ...)."""

from __future__ import annotations

import datetime
from typing import Any

import httpx

from luma_agents_client.models import Generation


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
        """The response's headers (``X-Request-Id``, ``X-RateLimit-*``, ...)."""
        return self.http_response.headers

    @property
    def status_code(self) -> int:
        """The HTTP status code of the response."""
        return self.http_response.status_code

    @property
    def http_request(self) -> httpx.Request:
        """The request as sent (its last attempt, when retried)."""
        return self.http_response.request

    @property
    def url(self) -> httpx.URL:
        """The URL requested."""
        return self.http_response.request.url

    @property
    def method(self) -> str:
        """The HTTP method: ``POST`` or ``GET``."""
        return self.http_response.request.method

    @property
    def http_version(self) -> str:
        """The HTTP version of the response, e.g. ``HTTP/1.1``."""
        return self.http_response.http_version

    @property
    def elapsed(self) -> datetime.timedelta:
        """The time from sending the request to reading the response."""
        return self.http_response.elapsed

    @property
    def request_id(self) -> str | None:
        """The ``X-Request-Id`` the API answered with: quote it to Luma's support."""
        request_id: str | None = self.http_response.headers.get("x-request-id")
        return request_id

    @property
    def content(self) -> bytes:
        """The response body as bytes."""
        return self.http_response.content

    @property
    def text(self) -> str:
        """The response body as text."""
        return self.http_response.text

    def read(self) -> bytes:
        """The response body as bytes (already read: nothing is sent again)."""
        return self.http_response.content

    def json(self) -> Any:
        """The response body parsed as JSON."""
        return self.http_response.json()

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code} {self.http_response.reason_phrase}] type={Generation.__name__}>"
