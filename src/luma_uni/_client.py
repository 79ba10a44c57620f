"""The clients: :class:`Luma` and :class:`AsyncLuma`, configured like the official ``luma-agents`` SDK."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Self

import httpx

from ._config import DEFAULT_MAX_RETRIES, ClientConfig, borrowed_timeout, mask_key, resolve_config
from ._generations import AsyncGenerations, Generations
from .errors import ConfigurationError


class BaseLuma:
    """What :class:`Luma` and :class:`AsyncLuma` share: what a client shows of its settings."""

    def __init__(self, config: ClientConfig, *, owns_http: bool) -> None:
        self._config = config
        self._owns_http = owns_http

    @property
    def base_url(self) -> str:
        return self._config.base_url

    @property
    def max_retries(self) -> int:
        return self._config.max_retries

    def __repr__(self) -> str:
        config = self._config
        return (
            f"{type(self).__name__}(base_url={config.base_url!r}, api_key={mask_key(config.api_key)!r},"
            f" max_retries={config.max_retries})"
        )


class Luma(BaseLuma):
    """A client for the Luma Agents API's generations: images and their edits, videos, video edits and reframes,
    layer splits (``client.generations``).

    ``api_key`` (or ``auth_token``, the official SDK's name for it) defaults to ``LUMA_AGENTS_API_KEY``,
    ``base_url`` to ``LUMA_BASE_URL`` or the production URL, extra headers come from ``LUMA_CUSTOM_HEADERS``
    ("Name: value" lines) and ``default_headers``. The timeout is 60 s with 5 s to connect unless given (a number
    sets the total; connecting still gets at most 5 s).
    ``max_retries`` (default 2) bounds automatic retries (see docs/client.md, "Retry policy").

    ``http_client`` is an ``httpx.Client`` to send through, e.g. for a proxy or custom transport. It is never
    changed: the key, base URL and timeout go with each API request, as in the official SDK (its own headers go
    along too; its timeout is used when ``timeout`` is not given and it set one). It is not closed by :meth:`close`.
    Tests and simulations can replace the time retries and waiting sleep and read: :func:`luma_uni.testing.set_time`.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        config = _resolve(
            http_client,
            api_key=api_key,
            auth_token=auth_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
        )
        super().__init__(config, owns_http=http_client is None)
        self._http = http_client if http_client is not None else httpx.Client()
        self.generations = Generations(self._http, self._config)
        """Create, get, wait for and download generations."""

    def close(self) -> None:
        """Close the connection pool (not an ``http_client`` passed in: its owner closes it)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncLuma(BaseLuma):
    """The async form of :class:`Luma`, for asyncio and trio (through anyio); ``http_client`` is an
    ``httpx.AsyncClient``."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        auth_token: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        config = _resolve(
            http_client,
            api_key=api_key,
            auth_token=auth_token,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
        )
        super().__init__(config, owns_http=http_client is None)
        self._http = http_client if http_client is not None else httpx.AsyncClient()
        self.generations = AsyncGenerations(self._http, self._config)
        """Create, get, wait for and download generations (async)."""

    async def close(self) -> None:
        """Close the connection pool (not an ``http_client`` passed in: its owner closes it)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


def _resolve(
    http_client: httpx.Client | httpx.AsyncClient | None,
    *,
    api_key: str | None,
    auth_token: str | None,
    base_url: str | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int,
    default_headers: Mapping[str, str] | None,
) -> ClientConfig:
    """The settings of both clients. A borrowed httpx client's own timeout counts when none is given; the client
    itself is only ever sent through (see ``_requests``)."""
    if api_key is not None and auth_token is not None and api_key != auth_token:
        raise ConfigurationError("api_key and auth_token are the same setting; pass one of them")
    return resolve_config(
        api_key=api_key if api_key is not None else auth_token,
        base_url=base_url,
        timeout=timeout if timeout is not None else borrowed_timeout(http_client),
        max_retries=max_retries,
        default_headers=default_headers,
    )
