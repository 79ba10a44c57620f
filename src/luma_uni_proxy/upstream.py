"""The proxy's client to upstream: aiohttp (HTTP/1.1 parsed in C, keep-alive connections pooled, TLS by the standard
library), set up to forward and nothing more: no redirects, cookies, decompression (a gzip answer goes on as it
came), proxies or credentials from the environment, or headers of its own (User-Agent, Accept, Accept-Encoding and a
body's Content-Type are sent only when the client sent them). Bodies stream both ways with flow control: aiohttp
pauses the socket when its read-ahead buffer fills and waits for the socket to drain when writing.

Its failures become the three kinds of `UpstreamError` the proxy answers 502 or 504 with, so a caller never sees
aiohttp's own exceptions.

Why aiohttp: httpx's transport cost ~575 µs of CPU per GET, which held the proxy at a fifth of the direct throughput;
aiohttp costs ~125 µs, a little less than the hand-written asyncio + httptools client it replaced (~150 µs, measured
side by side), and keeps the proxy within issue 19's goals (``python -m bench.proxy``, bench/README.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
from yarl import URL

Headers = list[tuple[bytes, bytes]]
READ_AHEAD_BYTES = 256 * 1024  # an answer's bytes read ahead of the client before the socket is paused
IDLE_SECONDS = 4.0  # a pooled connection idle longer is closed (servers close idle ones: uvicorn after 5 s)
# What aiohttp would add to a request on its own; a proxy forwards only what the client sent.
NOT_ADDED = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")


class UpstreamError(Exception):
    """Upstream gave no complete answer; the message says what happened."""


class UnreachableError(UpstreamError):
    """No connection could be made."""


class TimedOutError(UpstreamError):
    """Upstream did not answer (or went quiet mid-answer) within the timeout."""


class BrokeOffError(UpstreamError):
    """The connection closed, or the answer was not HTTP, before the answer was complete."""


class Answer:
    """Upstream's answer: status and headers at once, the body as it comes (`chunks`); `close` when done with it."""

    def __init__(self, response: aiohttp.ClientResponse, timeout: float) -> None:
        self._response, self._timeout = response, timeout
        self.status = response.status
        self.headers: Headers = list(response.raw_headers)

    async def chunks(self) -> AsyncIterator[bytes]:
        content = self._response.content
        while True:
            try:
                chunk = await content.readany()
            except aiohttp.SocketTimeoutError:
                raise TimedOutError(
                    f"upstream went quiet for {self._timeout:g} s in the middle of its answer"
                ) from None
            except (aiohttp.ClientError, OSError) as exc:
                raise BrokeOffError(_broke_off(exc)) from None
            if not chunk:
                return
            yield chunk

    def close(self) -> None:
        """Give the connection back (aiohttp reuses it only when the answer was read to its end)."""
        self._response.release()


class Upstream:
    """Connections to one origin (``http://host:port`` or ``https://host``), pooled while idle."""

    def __init__(self, origin: str, timeout: float, connect_timeout: float) -> None:
        self.origin = origin.rstrip("/")
        self.timeout, self.connect_timeout = timeout, connect_timeout
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=IDLE_SECONDS),
            # sock_read runs from the end of the upload to the head, then between pieces of the body.
            timeout=aiohttp.ClientTimeout(total=None, connect=connect_timeout, sock_read=timeout),
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            read_bufsize=READ_AHEAD_BYTES // 2,  # aiohttp pauses reading at twice this
            trust_env=False,
            skip_auto_headers=NOT_ADDED,
        )

    async def send(self, method: str, target: str, headers: Headers, body: AsyncIterator[bytes] | None) -> Answer:
        """Send a request (``headers`` as they go, Host added when absent; ``body`` streamed, framed chunked when no
        Content-Length says its size) and wait for the answer's head. An exception ``body`` raises (the client went
        away mid-upload) propagates as it is."""
        upload = _Upload(body) if body is not None else None
        fields = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers]
        try:
            response = await self._session.request(
                method,
                URL(self.origin + target, encoded=True),  # the path and query exactly as the client sent them
                headers=fields,
                data=upload,
                allow_redirects=False,
            )
        except aiohttp.ConnectionTimeoutError:
            raise TimedOutError(f"no connection to upstream within {self.connect_timeout:g} s") from None
        except aiohttp.SocketTimeoutError:
            raise TimedOutError(f"upstream did not answer within {self.timeout:g} s") from None
        except aiohttp.ClientConnectorError as exc:
            raise UnreachableError(f"{type(exc.os_error).__name__}: {exc.os_error}") from None
        except (aiohttp.ClientError, OSError) as exc:
            if upload is not None and upload.error is not None:
                raise upload.error from None
            raise BrokeOffError(_broke_off(exc)) from None
        return Answer(response, self.timeout)

    async def close(self) -> None:
        await self._session.close()


class _Upload:
    """The client's body, as aiohttp reads it, keeping the error it raised (aiohttp reports it as its own)."""

    def __init__(self, body: AsyncIterator[bytes]) -> None:
        self._body = body
        self.error: Exception | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._body:
                yield chunk
        except Exception as exc:
            self.error = exc
            raise


def _broke_off(exc: BaseException) -> str:
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "upstream closed the connection before its answer was complete"
    if isinstance(exc, aiohttp.ClientResponseError):
        return f"upstream's answer is not HTTP/1.1 ({exc.message})"
    return f"{type(exc).__name__}: {exc}"
