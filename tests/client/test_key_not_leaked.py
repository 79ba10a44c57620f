"""The API key never shows in a repr, a log line, an exception message or the CLI's output."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator

import pytest

from luma_uni import APIError, AsyncLuma, Luma, LumaError
from luma_uni._config import configure_logging
from luma_uni.cli import main
from luma_uni.testing import set_time
from luma_uni_mock.serve import RunningMock
from tests.client.helpers import FakeTime

SECRET_PART = "s3cr3t0123456789abcdefXYZ"


@pytest.fixture
def secret_key(frozen_mock: RunningMock) -> str:
    return f"luma-api-{SECRET_PART}"


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    for name in ("luma_uni", "httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def everything_said_about(error: BaseException) -> str:
    """The error's message, repr, whole traceback and chained causes, as a user or a log would see them."""
    return "\n".join(
        [str(error), repr(error), *traceback.format_exception(error), *(repr(v) for v in vars(error).values())]
    )


def test_repr_masks_the_key(secret_key: str) -> None:
    client = Luma(api_key=secret_key)
    assert SECRET_PART not in repr(client)
    assert SECRET_PART[:8] not in repr(client)
    assert "luma-api-…" in repr(client)
    assert SECRET_PART not in repr(AsyncLuma(api_key=secret_key))
    assert SECRET_PART not in repr(client.generations.__dict__)
    client.close()


def test_errors_and_debug_logs_never_hold_the_key(
    frozen_mock: RunningMock, fake_time: FakeTime, secret_key: str, debug_logs: pytest.LogCaptureFixture
) -> None:
    errors: list[LumaError] = []
    luma = Luma(api_key=secret_key, base_url=frozen_mock.base_url, timeout=0.3)
    with set_time(luma, sleep=fake_time.sleep) as client:
        generation = client.generations.create(prompt="x")  # a key the mock accepts: requests go through
        for fault in ({"status": 503, "times": 3}, {"drop": True, "times": 3}, {"delay_ms": 1000, "times": 3}):
            frozen_mock.control.add_fault(method="GET", path_contains="/generations/", **fault)  # type: ignore[arg-type]
            with pytest.raises(APIError) as caught:
                client.generations.get(generation.id)
            errors.append(caught.value)
            frozen_mock.control.clear_faults()
    with (
        Luma(api_key=f"luma-api-revoked-{SECRET_PART}", base_url=frozen_mock.base_url) as revoked,
        pytest.raises(APIError) as caught,
    ):
        revoked.generations.create(prompt="x")
    errors.append(caught.value)
    assert debug_logs.records, "debug logging was on: something must have been logged"
    assert SECRET_PART not in debug_logs.text
    for error in errors:
        assert SECRET_PART not in everything_said_about(error)


def test_luma_log_debug_output_holds_no_key(
    frozen_mock: RunningMock, secret_key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("debug")
    try:
        with Luma(api_key=secret_key, base_url=frozen_mock.base_url) as client:
            client.generations.create(prompt="x")
    finally:
        for name in ("luma_uni", "httpx"):
            logger = logging.getLogger(name)
            logger.setLevel(logging.NOTSET)
            for handler in [h for h in logger.handlers if getattr(h, "_luma_uni", False)]:
                logger.removeHandler(handler)
    captured = capsys.readouterr()
    assert "HTTP Request: POST" in captured.err
    assert SECRET_PART not in captured.err + captured.out


def test_cli_output_holds_no_key(
    frozen_mock: RunningMock, secret_key: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LUMA_AGENTS_API_KEY", f"luma-api-invalid-{SECRET_PART}")
    assert main(["get", "d290f1ee-6c54-4b01-90e6-d701748f0851", "--base-url", frozen_mock.base_url]) == 3
    assert main(["--json", "get", "d290f1ee-6c54-4b01-90e6-d701748f0851", "--base-url", frozen_mock.base_url]) == 3
    captured = capsys.readouterr()
    assert "Invalid API key" in captured.err + captured.out
    assert SECRET_PART not in captured.err + captured.out
