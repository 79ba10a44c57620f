"""The servers parts 2 and 4 run against: the mock in-process (ASGI), the mock on a socket, or a live server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conformance.broken import MOCK_VARIANTS, active_variant
from luma_uni_mock import MockConfig, MockControl, create_app
from luma_uni_mock.asgi_types import ASGIApp
from luma_uni_mock.pytest_plugin import DEFAULT_TIME_SCALE

# The base URL for in-process calls: never resolved, only parsed (the transport hands requests to the app).
IN_PROCESS_BASE_URL = "http://mock.in-process/v1"


@dataclass(frozen=True)
class Target:
    """One server to check. ``app`` is set for in-process calls, ``control`` when the server is our mock."""

    name: str
    api_key: str
    base_url: str  # what a client takes: `http://host:port/v1`
    app: ASGIApp | None = None
    control: MockControl | None = None
    # The mock without its cross-field and media rules accepts every schema-valid body: check exactly that.
    strict_positive_acceptance: bool = False

    @property
    def is_mock(self) -> bool:
        return self.control is not None


def mock_app(**config: Any) -> tuple[MockControl, ASGIApp]:
    """A mock (time scale 100 unless given) inside the active broken variant's middleware, if there is one."""
    app = create_app(MockConfig(**{"time_scale": DEFAULT_TIME_SCALE, **config}))
    variant = active_variant()
    return app.control, MOCK_VARIANTS[variant](app) if variant in MOCK_VARIANTS else app
