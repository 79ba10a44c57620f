"""The servers parts 2 and 4 run against: the mock in-process (ASGI), the mock on a socket, or a live server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conformance.asgi import ServerErrorShield
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


UNREACHED_LIMIT = 1_000_000  # more requests per minute, and jobs at once, than any run of the suite makes


def in_process_target(name: str, api_key: str) -> Target:
    """The mock in this process: ``asgi`` (its rules off) or ``rules`` (every rule on)."""
    if name == "asgi":
        # In-process, with the cross-field and media rules off: every schema-valid body must then be accepted. Its
        # rate limits are on but out of reach: every 201 carries X-RateLimit-* for the checks, none is refused. No
        # time in the queue: the POST must still answer `queued` (a server that reads the state off its clock
        # would answer `processing`).
        control, app = mock_app(schema_only=True, rpm=UNREACHED_LIMIT, max_concurrent=UNREACHED_LIMIT, queued_seconds=0)
        return Target(
            "asgi",
            api_key,
            IN_PROCESS_BASE_URL,
            app=ServerErrorShield(app),
            control=control,
            strict_positive_acceptance=True,
        )
    assert name == "rules", name
    # In-process, the mock as `make mock` serves it (every rule on): what the socket serves, without the socket.
    control, app = mock_app()
    return Target("rules", api_key, IN_PROCESS_BASE_URL, app=ServerErrorShield(app), control=control)


# A test marked `targets("asgi+rules", ...)` gets the asgi target and sends each case to the rules target too (see
# test_mock_contract.py): one draw of cases for both in-process mocks.
BOTH_IN_PROCESS = "asgi+rules"
