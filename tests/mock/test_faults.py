"""Fault injection by header and by queue (in-process and over HTTP): status, Retry-After, delay, dropped connection."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from luma_uni_mock.serve import RunningMock
from tests.mock.helpers import create, detail


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (500, "Internal server error"),
        (502, "Upstream service unavailable"),
        (503, "Image URL ingestion unavailable"),
        (409, "Conflict"),
        (418, "I'm a Teapot"),
    ],
)
def test_x_mock_status_answers_that_status_with_a_detail_body(api: httpx.Client, status: int, text: str) -> None:
    response = api.post("/generations", json={"prompt": "x"}, headers={"X-Mock-Status": str(status)})
    assert response.status_code == status
    assert detail(response) == text
    assert "retry-after" not in response.headers


def test_a_429_fault_carries_retry_after(api: httpx.Client) -> None:
    response = api.get(f"/generations/{uuid.uuid4()}", headers={"X-Mock-Status": "429"})
    assert response.status_code == 429
    assert detail(response) == "Rate limit exceeded"
    assert response.headers["retry-after"] == "1"
    response = api.post("/generations", json={}, headers={"X-Mock-Status": "429", "X-Mock-Retry-After": "7"})
    assert response.headers["retry-after"] == "7"
    response = api.post("/generations", json={}, headers={"X-Mock-Status": "503", "X-Mock-Retry-After": "0.5"})
    assert (response.status_code, response.headers["retry-after"]) == (503, "0.5")


def test_a_fault_status_creates_nothing(luma_mock_frozen: RunningMock, api: httpx.Client) -> None:
    api.post("/generations", json={"prompt": "x"}, headers={"X-Mock-Status": "503"})
    assert luma_mock_frozen.control.generation_count() == 0


def test_x_mock_delay_adds_latency_then_answers_normally(api: httpx.Client) -> None:
    started = time.monotonic()
    response = api.post("/generations", json={"prompt": "x"}, headers={"X-Mock-Delay-Ms": "200"})
    assert time.monotonic() - started >= 0.2  # a lower bound only: the delay happened
    assert response.status_code == 201


def test_a_delay_longer_than_the_client_timeout_times_the_client_out(luma_mock_frozen: RunningMock) -> None:
    # Only the read is impatient: a connect slowed by a busy machine must not raise ConnectTimeout instead.
    timeout = httpx.Timeout(30.0, read=0.2)
    with (
        httpx.Client(base_url=luma_mock_frozen.base_url, timeout=timeout) as impatient,
        pytest.raises(httpx.ReadTimeout),
    ):
        impatient.get(f"/generations/{uuid.uuid4()}", headers={"X-Mock-Delay-Ms": "2000"})


@pytest.mark.parametrize("prompt_size", [1, 1_000_000])
def test_x_mock_drop_cuts_the_connection(api: httpx.Client, luma_mock_frozen: RunningMock, prompt_size: int) -> None:
    # Always a response cut short, never a reset: the mock reads the whole body before it closes (with a 1 MB body
    # still unread, the kernel would reset the connection about half the time, and httpx raise ReadError instead).
    for _ in range(5):
        with pytest.raises(httpx.RemoteProtocolError):
            api.post("/generations", json={"prompt": "x" * prompt_size}, headers={"X-Mock-Drop": "1"})
    assert luma_mock_frozen.control.generation_count() == 0
    assert create(api)["state"] == "queued"  # the server itself is fine


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Mock-Status": "abc"},
        {"X-Mock-Status": "200"},
        {"X-Mock-Status": "600"},
        {"X-Mock-Delay-Ms": "-5"},
        {"X-Mock-Delay-Ms": "9999999"},
        {"X-Mock-Retry-After": "soon", "X-Mock-Status": "429"},
        {"X-Mock-Retry-After": "nan", "X-Mock-Status": "429"},
    ],
)
def test_fault_headers_that_cannot_be_honoured_get_400(api: httpx.Client, headers: dict[str, str]) -> None:
    response = api.post("/generations", json={"prompt": "x"}, headers=headers)
    assert response.status_code == 400
    assert detail(response).startswith("Invalid X-Mock-* header: ")


def test_queued_faults_apply_to_the_next_matching_requests(luma_mock_frozen: RunningMock, api: httpx.Client) -> None:
    luma_mock_frozen.control.add_fault(method="POST", path_contains="/generations", status=503, times=2)
    for _ in range(2):
        assert api.post("/generations", json={"prompt": "x"}).status_code == 503
    assert api.post("/generations", json={"prompt": "x"}).status_code == 201


def test_queued_faults_match_on_method_and_path(luma_mock_frozen: RunningMock, api: httpx.Client) -> None:
    generation_id = create(api)["id"]
    luma_mock_frozen.control.add_fault(method="GET", path_contains=generation_id, status=429, retry_after=3)
    assert api.post("/generations", json={"prompt": "x"}).status_code == 201  # another method: untouched
    assert api.get(f"/generations/{uuid.uuid4()}").status_code == 404  # another path: untouched
    response = api.get(f"/generations/{generation_id}")
    assert (response.status_code, response.headers["retry-after"]) == (429, "3")
    assert api.get(f"/generations/{generation_id}").status_code == 200


def test_a_queued_drop_and_clear_faults(luma_mock_frozen: RunningMock, api: httpx.Client) -> None:
    luma_mock_frozen.control.add_fault(drop=True)
    with pytest.raises(httpx.RemoteProtocolError):
        api.get(f"/generations/{uuid.uuid4()}")
    luma_mock_frozen.control.add_fault(status=500, times=5)
    luma_mock_frozen.control.clear_faults()
    assert api.post("/generations", json={"prompt": "x"}).status_code == 201


def test_header_faults_win_and_leave_the_queue_alone(luma_mock_frozen: RunningMock, api: httpx.Client) -> None:
    luma_mock_frozen.control.add_fault(status=500)
    assert api.post("/generations", json={"prompt": "x"}, headers={"X-Mock-Status": "502"}).status_code == 502
    assert api.post("/generations", json={"prompt": "x"}).status_code == 500


def test_faults_over_the_control_api(luma_mock_frozen: RunningMock, api: httpx.Client, raw: httpx.Client) -> None:
    queued = raw.post("/_mock/faults", json={"method": "POST", "status": 502, "times": 1})
    assert queued.status_code == 201
    assert api.post("/generations", json={"prompt": "x"}).status_code == 502
    raw.post("/_mock/faults", json={"status": 500, "times": 3})
    assert raw.delete("/_mock/faults").status_code == 200
    assert api.post("/generations", json={"prompt": "x"}).status_code == 201


@pytest.mark.parametrize(
    "payload",
    [
        {"status": "500"},
        {"status": 200},
        {"times": 0},
        {"colour": 1},
        {"drop": "yes"},
        [],
        {"delay_ms": -1},
        {"status": True},
    ],
)
def test_bad_fault_payloads_get_400(raw: httpx.Client, payload: object) -> None:
    response = raw.post("/_mock/faults", json=payload)
    assert response.status_code == 400
    assert detail(response)


def test_control_routes_are_never_faulted(luma_mock_frozen: RunningMock, raw: httpx.Client) -> None:
    luma_mock_frozen.control.add_fault(status=500, times=10)
    assert raw.get("/_mock/health", headers={"X-Mock-Status": "500"}).status_code == 200
    assert raw.post("/_mock/reset").status_code == 200


def test_control_clock_over_http(luma_mock_frozen: RunningMock, raw: httpx.Client) -> None:
    before = raw.get("/_mock/clock").json()["now"]
    after = raw.post("/_mock/clock", json={"advance": 3600}).json()["now"]
    assert after - before == 3600  # frozen: only the advance moved it
    assert luma_mock_frozen.control.now() == after
    for payload in ({"advance": -1}, {"advance": "1"}, {}, {"advance": True}):
        assert raw.post("/_mock/clock", json=payload).status_code == 400


def test_health_is_ready(raw: httpx.Client) -> None:
    response = raw.get("/_mock/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
