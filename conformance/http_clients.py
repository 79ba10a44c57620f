"""The suite's HTTP clients share one TLS context: httpx builds a fresh one for every client, loading the whole CA
bundle (about 35 ms), and the suite opens clients per test and the checks send thousands of raw requests."""

from __future__ import annotations

from typing import Any

import httpx

from luma_uni._requests import UPLOAD_SLICE_BYTES, BodyInSlices

TLS = httpx.create_ssl_context()
TIMEOUT = httpx.Timeout(30.0, connect=5.0)
# One pooled client for the checks' own requests (output URLs, the mock's clock): httpx clients are thread-safe.
_SHARED = httpx.Client(timeout=TIMEOUT, verify=TLS)


def client(**options: Any) -> httpx.Client:
    """A new ``httpx.Client`` with ``options``, on the shared TLS context."""
    return httpx.Client(verify=TLS, **options)


def request(method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request on the shared pooled client (what ``httpx.request`` does, without a new client each time)."""
    return _SHARED.request(method, url, **kwargs)


def in_slices(request: httpx.Request) -> None:
    """A request event hook: a body past a slice goes to the transport in slices, as the client under test sends it
    (luma_uni/_requests.py: httpcore's blocking writer copies what is left of a whole body after every send)."""
    if len(request.content) > UPLOAD_SLICE_BYTES:
        request.stream = BodyInSlices(request.content)
