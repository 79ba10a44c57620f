"""Fixtures of the conformance suite: its options, the servers to check (targets) and the live-mode POST cap."""

from __future__ import annotations

import pytest

from conformance.broken import MOCK_VARIANTS, activate_client_variant, active_variant
from conformance.mock import MockConfig, create_app
from conformance.mock.pytest_plugin import DEFAULT_TIME_SCALE
from conformance.mock.serve import RunningMock, new_api_key
from conformance.options import Options
from conformance.report import STATS
from conformance.schemathesis_setup import PaidPostBudget
from conformance.targets import IN_PROCESS_BASE_URL, ServerErrorShield, Target


def pytest_configure(config: pytest.Config) -> None:
    # CONFORMANCE_BROKEN_VARIANT=<client variant> patches the generated client for this run (see broken/).
    activate_client_variant()


@pytest.fixture(scope="session")
def options() -> Options:
    return Options.from_env()


@pytest.fixture(scope="session")
def paid_posts(options: Options) -> PaidPostBudget:
    """The cap on POSTs that create (and, on a real server, bill) a generation; unlimited against the mock."""
    return PaidPostBudget(options.max_paid_posts if options.live else None)


def target_names(options: Options) -> list[str]:
    return ["live"] if options.live else ["asgi", "socket"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Tests that take `target` run once per server: the mock in-process and on a socket, or the live server.
    if "target" in metafunc.fixturenames:
        metafunc.parametrize("target", target_names(Options.from_env()), indirect=True)


@pytest.fixture
def target(request: pytest.FixtureRequest, options: Options) -> Target:
    name: str = request.param
    if name == "live":
        assert options.base_url is not None and options.api_key is not None
        return Target("live", options.api_key, options.base_url)
    if name == "asgi":
        # In-process, with the cross-field and media rules off: every schema-valid body must then be accepted.
        app = create_app(MockConfig(time_scale=DEFAULT_TIME_SCALE, schema_only=True))
        variant = active_variant()
        served = MOCK_VARIANTS[variant](app) if variant in MOCK_VARIANTS else app
        return Target(
            "asgi",
            new_api_key(),
            IN_PROCESS_BASE_URL,
            app=ServerErrorShield(served),
            control=app.control,
            strict_positive_acceptance=True,
        )
    if active_variant() in MOCK_VARIANTS:
        pytest.skip("broken mock variants are served in-process only")
    # Over a socket, the mock as `make mock` serves it (all rules on), on the session's server (reset per test).
    running: RunningMock = request.getfixturevalue("luma_mock")
    return Target("socket", running.api_key, running.base_url, control=running.control)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if STATS.cases or STATS.checks:
        checks = sum(t.passed + t.failed for t in STATS.checks.values())
        failed = sum(t.failed for t in STATS.checks.values())
        terminalreporter.write_line(
            f"conformance: {sum(STATS.cases.values())} cases generated, {checks} checks run, {failed} failed"
        )
