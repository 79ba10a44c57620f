"""Client settings from arguments and the environment, read the way the official ``luma-agents`` SDK reads them.

An explicit argument wins over the environment: ``api_key`` over ``LUMA_AGENTS_API_KEY``, ``base_url`` over
``LUMA_BASE_URL``, ``default_headers`` over ``LUMA_CUSTOM_HEADERS`` ("Name: value" lines). ``LUMA_LOG=info|debug``
turns on logging to stderr.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from typing import NamedTuple

import httpx

from luma_agents_client import contract

from ._version import __version__
from .errors import ConfigurationError

ENV_API_KEY = "LUMA_AGENTS_API_KEY"
ENV_BASE_URL = "LUMA_BASE_URL"
ENV_CUSTOM_HEADERS = "LUMA_CUSTOM_HEADERS"
ENV_LOG = "LUMA_LOG"

DEFAULT_BASE_URL = contract.PRODUCTION_BASE_URL  # openapi.yaml's first server
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=DEFAULT_CONNECT_TIMEOUT)
DEFAULT_MAX_RETRIES = 2

_TOKEN_CHARS = re.compile(r"[\x21-\x7e]+")  # visible ASCII: what an HTTP header value can carry without quoting
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token

logger = logging.getLogger("luma_uni")


class ClientConfig(NamedTuple):
    """Resolved settings. ``headers`` are the default headers without ``Authorization``; ``request_headers`` all of
    them, ``Authorization`` included, as httpx.Headers built once: normalising them is a good part of what building
    a request costs, and they are the same for every request of the client (httpx copies them, never changes them).
    A NamedTuple rather than an attrs class: cheaper to create at import, which every program using the client pays.
    """

    api_key: str
    base_url: str
    timeout: httpx.Timeout
    max_retries: int
    headers: dict[str, str]
    request_headers: httpx.Headers

    def __repr__(self) -> str:
        return f"ClientConfig(base_url={self.base_url!r}, api_key={mask_key(self.api_key)!r})"


def mask_key(key: str) -> str:
    """A recognisable but useless form of an API key: its prefix and, for long keys, its last 4 characters."""
    prefix = "luma-api-" if key.startswith("luma-api-") else ""
    tail = key[-4:] if len(key) >= 24 else ""
    return f"{prefix}…{tail}"


def resolve_config(
    *,
    api_key: str | None,
    base_url: str | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int,
    default_headers: Mapping[str, str] | None,
    env: Mapping[str, str] | None = None,
) -> ClientConfig:
    """Merge arguments with the environment; raise :class:`ConfigurationError` naming what is wrong."""
    env = os.environ if env is None else env
    configure_logging(env.get(ENV_LOG))
    key = _api_key(api_key, env)
    url = _base_url(base_url, env)
    total = request_timeout(timeout)
    retries = _max_retries(max_retries)
    headers = {**_default_headers(), **_custom_headers(env.get(ENV_CUSTOM_HEADERS)), **dict(default_headers or {})}
    request_headers = httpx.Headers({"Authorization": f"Bearer {key}"})
    request_headers.update(headers)  # a default header may replace it, whatever its case
    return ClientConfig(key, url, total, retries, headers, request_headers)


def _api_key(explicit: str | None, env: Mapping[str, str]) -> str:
    key = explicit if explicit is not None else env.get(ENV_API_KEY)
    source = "api_key" if explicit is not None else ENV_API_KEY
    if not key or not key.strip():
        raise ConfigurationError(
            f"No API key: pass api_key=... or set the {ENV_API_KEY} environment variable"
            " (keys start with 'luma-api-'; create one in the Luma dashboard)"
        )
    key = key.strip()
    if not _TOKEN_CHARS.fullmatch(key):
        # Never echo the value: it is a secret, and a broken one is still mostly right.
        raise ConfigurationError(f"The API key from {source} contains spaces or non-ASCII characters")
    return key


def _base_url(explicit: str | None, env: Mapping[str, str]) -> str:
    url = explicit if explicit is not None else env.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    source = "base_url" if explicit is not None else ENV_BASE_URL
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ConfigurationError(f"{source} is not a valid URL: {url!r} ({exc})") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(f"{source} must be an http(s) URL with a host, e.g. {DEFAULT_BASE_URL!r}; got {url!r}")
    return url.rstrip("/")


def request_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    """A timeout argument (a number sets the total; connecting still gets at most 5 s) as an httpx.Timeout."""
    if timeout is None:
        return DEFAULT_TIMEOUT
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ConfigurationError(f"timeout must be a positive number of seconds or an httpx.Timeout; got {timeout!r}")
    return httpx.Timeout(float(timeout), connect=min(float(timeout), DEFAULT_CONNECT_TIMEOUT))


def borrowed_timeout(http_client: httpx.Client | httpx.AsyncClient | None) -> httpx.Timeout | None:
    """The timeout of a caller's httpx client when it set one (not httpx's 5 s default), as the official SDK does."""
    if http_client is None or http_client.timeout == httpx.Timeout(5.0):
        return None
    return http_client.timeout


def _max_retries(max_retries: int) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ConfigurationError(f"max_retries must be an integer >= 0; got {max_retries!r}")
    return max_retries


def _default_headers() -> dict[str, str]:
    return {"Accept": "application/json", "User-Agent": f"luma-uni/{__version__}"}


def _custom_headers(value: str | None) -> dict[str, str]:
    """Parse ``LUMA_CUSTOM_HEADERS``: newline-separated ``Name: value`` lines; blank lines are skipped."""
    headers: dict[str, str] = {}
    for number, line in enumerate((value or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, header_value = line.partition(":")
        name, header_value = name.strip(), header_value.strip()
        if not colon or not _HEADER_NAME.fullmatch(name) or any(c in header_value for c in "\r\n\0"):
            # The value may be a secret (a proxy token): name the line, not its content.
            raise ConfigurationError(f"{ENV_CUSTOM_HEADERS} line {number} is not a 'Name: value' header line")
        headers[name] = header_value
    return headers


def configure_logging(level_name: str | None) -> None:
    """``LUMA_LOG=info|debug`` (or another logging level name): log this client's and httpx's activity to stderr."""
    if not level_name:
        return
    level = logging.getLevelNamesMapping().get(level_name.strip().upper())
    if level is None:
        raise ConfigurationError(f"{ENV_LOG} must be a logging level such as 'info' or 'debug'; got {level_name!r}")
    for name in ("luma_uni", "httpx"):
        target = logging.getLogger(name)
        target.setLevel(level)
        if not any(getattr(h, "_luma_uni", False) for h in target.handlers):
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
            handler._luma_uni = True  # type: ignore[attr-defined]  # marks our own handler, so it is added once
            target.addHandler(handler)
