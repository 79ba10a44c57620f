"""Waiting for a generation: the poll schedule, completion, typed failures, the deadline."""

from __future__ import annotations

import pytest

from luma_uni import FailureCode, Generation, GenerationFailedError, InputError, WaitTimeoutError, poll_delay
from luma_uni._polling import MAX_POLL_INTERVAL
from luma_uni_mock.serve import RunningMock
from tests.client.helpers import AnyClient, FakeTime, RequestLog

pytestmark = pytest.mark.anyio  # the async tests run once per client kind (conftest: mode)

# luma-api.md §2: the failure codes worth retrying with the same request (the oracle for RETRYABLE_FAILURE_CODES).
WORTH_RETRYING = {"generation_failed", "output_not_found", "rate_limited"}


def test_poll_schedule_starts_soon_and_backs_off_to_a_cap() -> None:
    delays = [poll_delay(n) for n in range(8)]
    assert delays[:3] == [1.0, 1.5, 2.0]
    assert all(d == MAX_POLL_INTERVAL for d in delays[2:])
    assert delays == sorted(delays)


async def test_30_s_generation_is_noticed_within_2_s_with_at_most_20_gets(
    client: AnyClient, frozen_mock: RunningMock, fake_time: FakeTime, request_log: RequestLog
) -> None:

    seen: list[tuple[str, float]] = []
    started = fake_time.now
    generation = await client.generations.create_and_wait(
        prompt="a lighthouse", on_progress=lambda g: seen.append((str(g.state), fake_time.now - started))
    )
    assert generation.state == "completed"
    states = [state for state, _ in seen]
    assert (states[0], states[-1]) == ("queued", "completed")
    assert "processing" in states
    noticed_after = seen[-1][1]
    mock_duration = frozen_mock.control.config.queued_seconds + frozen_mock.control.config.processing_seconds
    assert mock_duration <= noticed_after <= mock_duration + 2.0
    assert request_log.count("GET") <= 20


async def test_wait_on_an_existing_id_returns_the_completed_generation(
    client: AnyClient, frozen_mock: RunningMock, request_log: RequestLog
) -> None:
    created = await client.generations.create(prompt="a lighthouse")
    frozen_mock.control.advance(60)
    done = await client.generations.wait(str(created.id))
    assert done.state == "completed"
    assert request_log.count("GET") == 1  # already finished: one look is enough


@pytest.mark.parametrize("code", list(FailureCode))
async def test_each_failure_code_raises_a_typed_error(client: AnyClient, code: FailureCode) -> None:
    with pytest.raises(GenerationFailedError) as caught:
        await client.generations.create_and_wait(prompt=f"a lighthouse [mock:failure={code.value}]")
    error = caught.value
    assert error.failure_code == code
    assert error.failure_code is not None and error.failure_code.is_known
    assert error.failure_reason
    assert error.retryable is (code.value in WORTH_RETRYING)
    assert isinstance(error.generation, Generation)
    assert error.generation.state == "failed"
    assert code.value in str(error)


def test_unknown_failure_code_is_kept_and_not_retryable() -> None:
    generation = Generation.from_dict(
        {
            "id": "d290f1ee-6c54-4b01-90e6-d701748f0851",
            "type": "image",
            "state": "failed",
            "model": "uni-1",
            "created_at": "2026-04-08T12:00:00Z",
            "output": [],
            "failure_reason": "new",
            "failure_code": "gpu_on_fire",
        }
    )
    error = GenerationFailedError(generation)
    assert error.failure_code == "gpu_on_fire"
    assert error.failure_code is not None and not error.failure_code.is_known
    assert error.retryable is False


async def test_deadline_raises_wait_timeout_with_the_last_state(
    client: AnyClient, fake_time: FakeTime, request_log: RequestLog
) -> None:
    started = fake_time.now
    with pytest.raises(WaitTimeoutError) as caught:
        await client.generations.create_and_wait(prompt="a lighthouse", timeout=10)
    assert caught.value.last_state == "processing"
    assert caught.value.generation_id
    assert fake_time.now - started == pytest.approx(10.0)  # the last sleep is cut to the deadline


async def test_timeout_must_be_positive(client: AnyClient) -> None:
    with pytest.raises(InputError, match="timeout"):
        await client.generations.wait("d290f1ee-6c54-4b01-90e6-d701748f0851", timeout=0)


@pytest.mark.parametrize("bad_id", ["", "   ", "not-a-uuid"])
async def test_bad_generation_id_is_refused_before_sending(
    client: AnyClient, request_log: RequestLog, bad_id: str
) -> None:
    with pytest.raises(InputError, match="generation_id"):
        await client.generations.get(bad_id)
    assert request_log.requests == []
