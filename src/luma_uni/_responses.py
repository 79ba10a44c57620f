"""Turning what a request produced (a generated ``Response``, an httpx error, a malformed body) into a Generation
or one of :mod:`luma_uni.errors`."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping

import httpx

from luma_agents_client.errors import MalformedResponse
from luma_agents_client.models import Error, Generation
from luma_agents_client.types import Response

from ._retries import parse_retry_after
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    MalformedResponseError,
    status_error_class,
)

# httpx errors raised before a connection to the server existed: the request surely never reached it.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def generation_from(response: Response[Error | Generation]) -> Generation:
    """The Generation of a success response; raise the matching :class:`APIStatusError` for an error status."""
    parsed = response.parsed
    status = int(response.status_code)
    if 200 <= status < 300:
        if isinstance(parsed, Generation):
            return parsed
        # A success status the spec does not list for this operation (e.g. 200 instead of 201): still a success
        # for the official SDK, so parse the body ourselves.
        try:
            return Generation.from_dict(json.loads(response.content))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise MalformedResponseError(
                status,
                f"{type(exc).__name__}: {exc}",
                body=_body(response.content),
                request_id=response.headers.get("x-request-id"),
            ) from exc
    detail = parsed.detail if isinstance(parsed, Error) else None
    raise status_error(status, response.content, response.headers, detail=detail)


def status_error(
    status: int,
    content: bytes,
    headers: Mapping[str, str],
    *,
    detail: object = None,
) -> APIStatusError:
    """The error for an error status; ``detail`` is the documented ``{"detail": ...}`` text when there is one."""
    body = _body(content)
    if detail is None and isinstance(body, dict):
        detail = body.get("detail")
    if detail is not None and not isinstance(detail, str):
        detail = json.dumps(detail)  # e.g. FastAPI's list form [{loc, msg, type}]
    return status_error_class(status)(
        status,
        detail,
        request_id=headers.get("x-request-id"),
        body=body,
        retry_after=parse_retry_after(headers.get("retry-after"), time.time()),
    )


def malformed_error(exc: MalformedResponse, headers: Mapping[str, str]) -> APIError:
    """A body the generated parser refused: for an error status, still the status's error (a proxy's HTML 502 is a
    502); for a success status, :class:`MalformedResponseError`."""
    if exc.status_code >= 400:
        return status_error(exc.status_code, exc.content, headers)
    return MalformedResponseError(
        exc.status_code, exc.reason, body=_body(exc.content), request_id=headers.get("x-request-id")
    )


def connection_error(exc: httpx.RequestError, method: str, url: str) -> APIConnectionError:
    """The error for a request that got no usable response; ``request_sent`` says whether it may have arrived."""
    sent = not isinstance(exc, _NEVER_SENT)
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    url = url.split("?", 1)[0]  # a presigned URL's query is a credential for an hour: keep it out of messages
    message = f"{method} {url}: {type(exc).__name__}: {exc or 'no detail'}"
    if sent and method == "POST":
        message += (
            "; the request may have been processed, so a generation may exist. It was not retried: the API has no"
            " idempotency key and a second request could bill twice"
        )
    return cls(message, method=method, url=url, request_sent=sent)


def _body(content: bytes) -> object:
    """The parsed JSON body, else its text (or None when empty)."""
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", errors="replace")
