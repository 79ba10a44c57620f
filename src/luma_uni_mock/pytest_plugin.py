"""Pytest fixtures for the mock: registered by the repository's conftest.py (``pytest_plugins = [...]``) and, for a
project that installs ``luma-uni[mock]``, by the wheel's ``pytest11`` entry point.

- ``luma_mock``: a `RunningMock` with a fresh API key per test. One server per session (uvicorn in a thread, on a
  free port, ``time_scale`` 100, so a 30 s generation takes 0.3 s); it is reset before each test.
- ``luma_mock_frozen``: the same, on a second session server whose clock is frozen (``time_scale`` 0): it moves
  only by ``control.advance()``, so a test that checks a state, a URL expiry or a rate-limit window right at the
  clock's edge gets the same answer however slowly the machine runs it.
- ``luma_mock_permissive``: a session mock in permissive mode, for an SDK's generated test suite.
- ``luma_mock_factory``: ``luma_mock_factory(MockConfig(...))`` starts a mock with that config for one test.

``pytest --luma-mock-lenient-choices`` (or the ini option ``luma_mock_lenient_choices = true``) starts the session
mocks of ``luma_mock`` and ``luma_mock_frozen`` with ``MockConfig.lenient_choices``: the refusals that rest only on a
choice of the spec are off, those resting on Luma's SDK or docs stay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack
from typing import TYPE_CHECKING

import pytest

from .config import MockConfig

if TYPE_CHECKING:
    from .serve import RunningMock

DEFAULT_TIME_SCALE = 100.0
FROZEN_TIME_SCALE = 0.0

MockFactory = Callable[[MockConfig], "RunningMock"]
LENIENT_OPTION = "luma_mock_lenient_choices"


def pytest_addoption(parser: pytest.Parser) -> None:
    help_text = "session Luma mocks turn off the refusals that rest only on a choice of the spec (x-source: choice)"
    parser.addoption("--luma-mock-lenient-choices", action="store_true", dest=LENIENT_OPTION, help=help_text)
    parser.addini(LENIENT_OPTION, help_text, type="bool", default=False)


def session_config(pytestconfig: pytest.Config, time_scale: float) -> MockConfig:
    """The config of a session mock: ``time_scale``, and lenient choices when the run asks for them."""
    lenient = bool(pytestconfig.getoption(LENIENT_OPTION) or pytestconfig.getini(LENIENT_OPTION))
    return MockConfig(time_scale=time_scale, lenient_choices=lenient)


def serve_in_thread(config: MockConfig) -> AbstractContextManager[RunningMock]:
    """The server, imported on first use: every project with luma-uni installed loads this plugin, and only those
    with the ``mock`` extra have the server's dependencies."""
    try:
        from .serve import serve_in_thread as serve
    except ImportError as exc:
        raise ImportError(f"the Luma mock needs its dependencies: pip install 'luma-uni[mock]' ({exc})") from exc
    return serve(config)


@pytest.fixture(scope="session")
def luma_mock_server(pytestconfig: pytest.Config) -> Iterator[RunningMock]:
    """The session's shared mock server (prefer ``luma_mock``, which resets it and hands out a fresh key)."""
    with serve_in_thread(session_config(pytestconfig, DEFAULT_TIME_SCALE)) as running:
        yield running


@pytest.fixture
def luma_mock(luma_mock_server: RunningMock) -> RunningMock:
    """The shared mock, reset (no generations, counters or faults), with a fresh valid API key."""
    luma_mock_server.control.reset()
    return luma_mock_server.with_new_key()


@pytest.fixture(scope="session")
def luma_mock_frozen_server(pytestconfig: pytest.Config) -> Iterator[RunningMock]:
    """The session's shared frozen-clock mock server (prefer ``luma_mock_frozen``)."""
    with serve_in_thread(session_config(pytestconfig, FROZEN_TIME_SCALE)) as running:
        yield running


@pytest.fixture
def luma_mock_frozen(luma_mock_frozen_server: RunningMock) -> RunningMock:
    """A reset mock with a fresh key whose clock moves only by ``control.advance()``."""
    luma_mock_frozen_server.control.reset()
    return luma_mock_frozen_server.with_new_key()


@pytest.fixture(scope="session")
def luma_mock_permissive() -> Iterator[RunningMock]:
    """A session mock in permissive mode, for an SDK's generated tests: any bearer token, any id, only the schema's
    types checked (see ``MockConfig.permissive``). Not reset between tests: such suites need no state."""
    with serve_in_thread(MockConfig(time_scale=DEFAULT_TIME_SCALE, permissive=True)) as running:
        yield running


@pytest.fixture
def luma_mock_factory() -> Iterator[MockFactory]:
    """Start mocks with custom configs; each is stopped at the end of the test."""
    with ExitStack() as stack:

        def start(config: MockConfig) -> RunningMock:
            return stack.enter_context(serve_in_thread(config))

        yield start
