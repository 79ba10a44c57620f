"""Fixtures of the conformance suite: its options, the servers to check (targets) and the live-mode POST cap."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from conformance.broken import MOCK_VARIANTS, activate_client_variant, active_variant
from conformance.checks import SKIPS
from conformance.options import Options
from conformance.report import STATS
from conformance.schemathesis_setup import PaidPostBudget
from conformance.targets import BOTH_IN_PROCESS, Target, in_process_target, mock_app
from conformance.wait_budget import WaitBudget, settles_within_seconds
from luma_uni_mock.serve import RunningMock, new_api_key, serve_app


def pytest_configure(config: pytest.Config) -> None:
    # CONFORMANCE_BROKEN_VARIANT=<client variant> patches the generated client for this run (see broken/).
    activate_client_variant()
    config.addinivalue_line("markers", "targets(*names): the local targets a `target` test runs against")


@pytest.fixture(scope="session")
def options() -> Options:
    return Options.from_env()


@pytest.fixture(scope="session")
def paid_posts(options: Options) -> PaidPostBudget:
    """The cap on POSTs that create (and, on a real server, bill) a generation; unlimited against the mock."""
    return PaidPostBudget(options.max_paid_posts if options.live else None)


@pytest.fixture(scope="session")
def wait_budget(options: Options) -> WaitBudget:
    """How long the end-to-end tests wait for a generation; shared, so one overrun ends the waiting for all."""
    return WaitBudget(options.wait_budget, settles_within=settles_within_seconds() if options.live else None)


# The local targets: the mock in process with its rules off (asgi) and on (rules), and on a socket (socket).
LOCAL_TARGETS = ("asgi", "rules", "socket")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # `target`: every local target (or those its `targets` marker names), or the live server. `http_target`: the
    # socket, or the live server.
    options = Options.from_env()
    marker = metafunc.definition.get_closest_marker("targets")
    local = {"target": list(marker.args if marker else LOCAL_TARGETS), "http_target": ["socket"]}
    for name, names in local.items():
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, ["live"] if options.live else names, indirect=True)


def pytest_collection_finish(session: pytest.Session) -> None:
    # Everything imported and built by collection (modules, the parsed spec, compiled schemas) lives to the end: frozen,
    # the full collections that Hypothesis' garbage triggers no longer walk it. Young collections every 10,000
    # allocations instead of 700: a worker spent ~11 CPU-s of a run collecting, ~6 with both (gc.callbacks, 3 workers).
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Live mode: every test against the live server runs on one xdist worker, in collection order, so the cap on paid
    # POSTs is counted in one process and spent in the documented order (runner's ORDER); the rest runs beside it.
    if Options.from_env().live:
        for item in items:
            if {"target", "http_target"} & set(getattr(item, "fixturenames", ())):
                # The one group: xdist joins all of an item's group names into one, so a test's own group
                # (test_mock_contract.py's, for the local targets) would take it to another worker.
                item.own_markers[:] = [mark for mark in item.own_markers if mark.name != "xdist_group"]
                item.add_marker(pytest.mark.xdist_group("live-server"))


def build_target(request: pytest.FixtureRequest, options: Options) -> Target:
    name: str = request.param
    if name == "live":
        assert options.base_url is not None and options.api_key is not None
        return Target("live", options.api_key, options.base_url)
    if name in ("asgi", "rules", BOTH_IN_PROCESS):
        return in_process_target(name.partition("+")[0], new_api_key())
    if active_variant() in MOCK_VARIANTS:
        # A broken variant wraps its own mock, served for this test only.
        control, app = mock_app()
        port = request.getfixturevalue("_exit_stack").enter_context(serve_app(app))
        return Target("socket", new_api_key(), f"http://127.0.0.1:{port}/v1", control=control)
    # Over a socket, the mock as `make mock` serves it (all rules on), on the session's server (reset per test).
    running: RunningMock = request.getfixturevalue("luma_mock")
    return Target("socket", running.api_key, running.base_url, control=running.control)


@pytest.fixture
def _exit_stack() -> Iterator[ExitStack]:
    with ExitStack() as stack:
        yield stack


@pytest.fixture
def target(request: pytest.FixtureRequest, options: Options) -> Target:
    return build_target(request, options)


@pytest.fixture
def http_target(request: pytest.FixtureRequest, options: Options) -> Target:
    return build_target(request, options)


WORKER_STATS = "conformance_stats"


def pytest_sessionfinish(session: pytest.Session) -> None:
    # Every process that ran checks counts their skips once; an xdist worker then hands all its counts to the
    # controller, which prints the summary (workers are separate processes, each with its own STATS).
    for (check, reason), count in SKIPS.items():
        STATS.skipped[f"{check}: {reason}"] += count
    SKIPS.clear()
    worker_output: dict[str, object] | None = getattr(session.config, "workeroutput", None)
    if worker_output is not None:
        worker_output[WORKER_STATS] = STATS.as_json()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """xdist's controller: a worker finished; add its counts (none if it crashed: its tests are reported failed)."""
    counts = getattr(node, "workeroutput", {}).get(WORKER_STATS)
    if counts is not None:
        STATS.merge(counts)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if STATS.cases or STATS.checks:
        checks = sum(t.passed + t.failed for t in STATS.checks.values())
        failed = sum(t.failed for t in STATS.checks.values())
        terminalreporter.write_line(
            f"conformance: {sum(STATS.cases.values())} cases generated, {checks} checks run, {failed} failed"
        )
