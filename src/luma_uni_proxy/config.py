"""The proxy's settings: where upstream is, which spec judges the traffic, and its limits."""

from __future__ import annotations

import math
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from luma_uni_mock.config import DEFAULT_SPEC_PATH

DEFAULT_TIMEOUT_SECONDS = 60.0  # a POST whose images the API fetches may take ~20 s; a slower answer is a 504
DEFAULT_MAX_CHECKED_BYTES = 1 << 20  # a body larger than this goes through unread by the checks (memory stays bounded)
DEFAULT_REPORTS = Path("reports") / "proxy"


class ProxyConfigError(ValueError):
    """A setting that cannot work; the message says which and why."""


@dataclass(frozen=True)
class ProxyConfig:
    upstream: str  # e.g. https://agents.lumalabs.ai/v1: requests go to its origin, under the same paths
    spec_path: Path = DEFAULT_SPEC_PATH
    errors: bool = False  # answer a response that breaks a rule with a 502 naming it (Prism's --errors)
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    max_checked_bytes: int = DEFAULT_MAX_CHECKED_BYTES
    reports: Path = DEFAULT_REPORTS
    # Forward the client's Host instead of upstream's: for an upstream that mints output URLs from the Host it was
    # asked by (the mock does), so downloads come through the proxy and are checked too. Never for a public API.
    preserve_host: bool = False

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.upstream)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ProxyConfigError(
                f"the upstream must be an http(s) URL such as https://host/v1, got {self.upstream!r}"
            )
        if parts.query or parts.fragment:
            raise ProxyConfigError(f"the upstream URL takes no query or fragment, got {self.upstream!r}")
        if not (math.isfinite(self.timeout_seconds) and self.timeout_seconds > 0):
            raise ProxyConfigError(f"the timeout must be a positive number of seconds, got {self.timeout_seconds!r}")
        if self.max_checked_bytes < 1024:
            raise ProxyConfigError(f"max_checked_bytes must be at least 1024, got {self.max_checked_bytes!r}")

    @property
    def origin(self) -> str:
        """``scheme://host[:port]`` of upstream: every request goes there under the path the client used."""
        parts = urllib.parse.urlsplit(self.upstream)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def base_path(self) -> str:
        """Upstream's path (``/v1``): the proxy serves the API under the same one, and removes it to match the spec."""
        return urllib.parse.urlsplit(self.upstream).path.rstrip("/")
