"""Part 4: waiting for a generation (docs/client.md, "Waiting") and what the client hands back when a server
breaks the contract: the poll schedule, the deadline, and typed errors for answers the spec rules out."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from conformance.broken.variants import _ITEM, RewriteJsonResponse, _is
from conformance.client_under_test import recorded
from conformance.error_cases import PROMPT
from conformance.report import PARTS, STATS
from conformance.targets import Target, mock_app
from luma_uni import InputError, errors
from luma_uni_mock.asgi_types import Receive, Scope, Send
from luma_uni_mock.serve import serve_app

PART = PARTS["test_client_e2e"]
# docs/client.md: "polls 1 s after creation, then after 1.5 s, then every 2 s"; the last wait ends at the deadline.
SCHEDULE = [1.0, 1.5, 2.0, 2.0]
DEADLINE = 5.0  # cuts the fourth wait to its last half second: 1 + 1.5 + 2 + 0.5


@contextmanager
def frozen_mock(target: Target, wrap: Any = None) -> Iterator[str]:
    """A mock whose clock stands still (a generation stays queued), optionally behind ``wrap``; its base URL."""
    if not target.is_mock:
        pytest.skip("mock only: a generation held queued, or a server breaking the contract")
    _, app = mock_app(time_scale=0)
    with serve_app(wrap(app) if wrap else app) as port:
        yield f"http://127.0.0.1:{port}/v1"


def test_a_wait_polls_on_its_schedule_and_ends_at_its_deadline(http_target: Target) -> None:
    """Every poll is reported, the waits follow the documented schedule and stop at the deadline, and the
    WaitTimeoutError names the generation, its last state and the timeout."""
    seen: list[Any] = []
    with (
        frozen_mock(http_target) as base_url,
        recorded(http_target, base_url=base_url) as (luma, fake, sent),
        pytest.raises(errors.WaitTimeoutError) as caught,
    ):
        luma.generations.create_and_wait(prompt=PROMPT, timeout=DEADLINE, on_progress=seen.append)
    STATS.case(PART)
    expected = [*SCHEDULE[:3], DEADLINE - sum(SCHEDULE[:3])]
    assert fake.sleeps == expected, f"waited {fake.sleeps}, not {expected}"
    created = seen[0]
    assert [(g.id, g.state) for g in seen] == [(created.id, "queued")] * (len(expected) + 1), seen
    assert len(sent) == len(expected) + 1, f"{len(sent)} requests for {len(expected)} polls"
    error = caught.value
    assert (error.generation_id, error.last_state, error.timeout) == (str(created.id), "queued", DEADLINE)
    assert "last state: queued" in str(error), f"the message does not say where it stopped: {error}"
    STATS.check("client_wait_schedule", True)


@pytest.mark.parametrize("timeout", [0, -1, "5", True], ids=repr)
def test_a_wait_timeout_that_is_not_a_positive_number_is_refused_before_sending(
    http_target: Target, timeout: Any
) -> None:
    with recorded(http_target) as (luma, _, sent), pytest.raises(InputError, match="timeout"):
        luma.generations.create_and_wait(prompt=PROMPT, timeout=timeout)
    STATS.case(PART)
    assert sent == [], f"refused, yet {len(sent)} request(s) sent"
    STATS.check("client_wait_schedule", True)


def _answers_get(edit: Any) -> Any:
    return lambda app: RewriteJsonResponse(app, lambda scope, status: _is(scope, "GET", _ITEM) and status == 200, edit)


COMPLETED_EMPTY = "completed without output"
MALFORMED_REQUEST_ID = "conformance-malformed-1"  # the API echoes it: the error hands it back
# Answers the spec rules out: Generation's invariant (a completed generation has output) broken, or no Generation.
MALFORMED = {
    COMPLETED_EMPTY: _answers_get(lambda body: {**body, "state": "completed", "output": []}),
    "no generation": _answers_get(lambda body: {"id": body["id"]}),
}


@pytest.mark.parametrize("answer", sorted(MALFORMED))
def test_a_success_the_spec_rules_out_is_a_malformed_response(http_target: Target, answer: str) -> None:
    """A typed MalformedResponseError with the GET's status (not a generation handed back to download nothing),
    raised at once: a malformed answer is no transient error to send the GET again for."""
    with (
        frozen_mock(http_target, MALFORMED[answer]) as base_url,
        recorded(http_target, base_url=base_url) as (luma, fake, sent),
    ):
        generation = luma.generations.create(prompt=PROMPT)
        with pytest.raises(errors.MalformedResponseError) as caught:
            luma.generations.wait(generation.id, extra_headers={"X-Request-Id": MALFORMED_REQUEST_ID})
    STATS.case(PART)
    assert caught.value.status_code == 200, caught.value
    assert (len(sent), fake.sleeps) == (2, []), f"{len(sent) - 1} GETs, waited {fake.sleeps}"
    if answer == COMPLETED_EMPTY:  # read fine, judged after: it names the generation
        assert str(generation.id) in str(caught.value), f"the error does not name the generation: {caught.value}"
    else:  # refused as it was read: the response's request id (the API echoes the one sent) comes with it
        assert caught.value.request_id == MALFORMED_REQUEST_ID, f"request id {caught.value.request_id!r}, not the echo"
    STATS.check("client_malformed_answers", True)


PROXY_PAGE = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
PROXY_REQUEST_ID = "proxy-7"


async def _proxy_error_page(scope: Scope, receive: Receive, send: Send) -> None:
    """A proxy in front of the API answering its own HTML 502 page to every request."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body", False):
        pass
    headers = [(b"content-type", b"text/html"), (b"x-request-id", PROXY_REQUEST_ID.encode())]
    await send({"type": "http.response.start", "status": 502, "headers": headers})
    await send({"type": "http.response.body", "body": PROXY_PAGE})


def test_a_proxy_error_page_is_a_typed_status_error(http_target: Target) -> None:
    """A proxy's HTML 502 is still an InternalServerError (``.detail`` None, the page in ``.body``, the response in
    ``.response``); the GET is sent again (safe), the POST is not (the proxy may have passed it on)."""
    with (
        serve_app(_proxy_error_page) as port,
        recorded(http_target, base_url=f"http://127.0.0.1:{port}/v1") as (
            luma,
            _,
            sent,
        ),
    ):
        with pytest.raises(errors.InternalServerError) as post_error:
            luma.generations.create(prompt=PROMPT)
        posts = len(sent)
        with pytest.raises(errors.InternalServerError) as get_error:
            luma.generations.get("d290f1ee-6c54-4b01-90e6-d701748f0851")
    STATS.case(PART)
    assert (posts, len(sent) - posts) == (1, 3), f"{posts} POSTs, {len(sent) - posts} GETs"
    for caught in (post_error, get_error):
        error = caught.value
        assert (error.status_code, error.detail, error.body) == (502, None, PROXY_PAGE.decode()), repr(error)
        assert error.request_id == PROXY_REQUEST_ID, error.request_id
        assert str(error).startswith("502 Bad Gateway: <html>"), str(error)  # what it says: the status and the page
        response = error.response
        assert isinstance(response, httpx.Response) and (response.status_code, response.content) == (502, PROXY_PAGE)
    STATS.check("client_malformed_answers", True)
