"""Part 4: the client against a running server, end to end over HTTP.

create → poll → completed → download decodes as an image; each failure code arrives as a typed
GenerationFailedError; each documented 4xx example of openapi.yaml arrives with its documented status and detail,
both on the wire (raw HTTP: the server's side) and through the client (the documented error type, or a typed
InputError when the client refuses to send it at all).
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from conformance import http_clients
from conformance.client_under_test import luma_for, spend_one_post
from conformance.error_cases import (
    EDIT,
    FACTS,
    MAX_REFS,
    PROMPT,
    TRIGGERS,
    URL,
    Context,
    DocumentedError,
    Trigger,
    contradicted,
    documented_errors,
    documented_headers,
    example_values,
)
from conformance.report import STATS
from conformance.schemathesis_setup import PaidPostBudget
from conformance.spec import enum_values, load_spec, schema
from conformance.targets import Target, mock_app
from conformance.wait_budget import WaitBudget
from luma_agents_client import contract
from luma_agents_client.models import FailureCode, GenerationState
from luma_uni import GenerationFailedError, InputError, Luma, errors
from luma_uni_checks.findings import raise_first
from luma_uni_checks.rules import check_rate_limit_headers
from luma_uni_checks.spec import Spec
from luma_uni_mock import rule_wording
from luma_uni_mock.serve import serve_app

PART = "4 client vs mock, over HTTP"
DOCUMENTED = documented_errors()
STATE_ORDER = enum_values("GenerationState")  # queued → processing → completed | failed
PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG"}


@pytest.fixture
def image_file(tmp_path: Path) -> Path:
    path = tmp_path / "inputs" / "image.png"
    path.parent.mkdir()
    Image.new("RGB", (96, 64), (200, 80, 40)).save(path, "PNG")
    return path


def assert_decodes(path: Path, expected_format: str | None) -> tuple[int, int]:
    with Image.open(path) as image:
        image.verify()  # structure and checksums
    with Image.open(path) as image:
        image.load()  # every pixel decodes
        if expected_format is not None:
            assert image.format == expected_format, f"{path.name} is {image.format}, not {expected_format}"
        assert image.width > 0 and image.height > 0
        return image.size


def assert_lifecycle(states: list[GenerationState], last: str) -> None:
    assert states and states[0] == "queued", f"POST must answer queued, got {states[:1]}"
    order = [STATE_ORDER.index(s) for s in states]
    assert order == sorted(order), f"states went backwards: {states}"
    assert states[-1] == last


@pytest.mark.parametrize("output_format", enum_values("OutputFormat"))
def test_create_poll_complete_download(
    http_target: Target, output_format: str, tmp_path: Path, paid_posts: PaidPostBudget, wait_budget: WaitBudget
) -> None:
    spend_one_post(paid_posts)
    states: list[GenerationState] = []
    with luma_for(http_target) as luma:
        generation = wait_budget.wait(
            lambda timeout, progress: luma.generations.create_and_wait(
                prompt=PROMPT, output_format=output_format, on_progress=progress, timeout=timeout
            ),
            on_progress=lambda g: states.append(g.state),
        )
        paths = luma.generations.download(generation, tmp_path / "out")
    STATS.case(PART)
    assert_lifecycle(states, "completed")
    assert generation.output and len(paths) == len(generation.output)
    for path in paths:
        assert_decodes(path, PIL_FORMATS[output_format])
    STATS.check("client_end_to_end", True)


def test_edit_a_local_image(
    http_target: Target, image_file: Path, tmp_path: Path, paid_posts: PaidPostBudget, wait_budget: WaitBudget
) -> None:
    spend_one_post(paid_posts)
    states: list[GenerationState] = []
    with luma_for(http_target) as luma:
        generation = wait_budget.wait(
            lambda timeout, progress: luma.generations.create_and_wait(
                prompt="Make it winter", type="image_edit", source=image_file, on_progress=progress, timeout=timeout
            ),
            on_progress=lambda g: states.append(g.state),
        )
        (path,) = luma.generations.download(generation.id, tmp_path / "out")
    STATS.case(PART)
    assert generation.type_ == "image_edit"
    assert_lifecycle(states, "completed")
    assert_decodes(path, None)
    STATS.check("client_end_to_end", True)


def retryable_failure_codes() -> set[str]:
    """The codes the spec's FailureCode x-retryable calls worth retrying unchanged."""
    return set(schema("FailureCode")["x-retryable"])


@pytest.mark.parametrize("code", enum_values("FailureCode"))
def test_each_failure_code_arrives_typed(http_target: Target, code: str, wait_budget: WaitBudget) -> None:
    if not http_target.is_mock:
        pytest.skip("a live server cannot be asked to fail")
    with (
        luma_for(http_target, headers={"X-Mock-Failure": code}) as luma,
        pytest.raises(GenerationFailedError) as caught,
    ):
        wait_budget.wait(
            lambda timeout, progress: luma.generations.create_and_wait(
                prompt=PROMPT, on_progress=progress, timeout=timeout
            )
        )
    STATS.case(PART)
    error = caught.value
    assert isinstance(error.failure_code, FailureCode) and error.failure_code.is_known
    assert error.failure_code == code
    assert error.generation.state is GenerationState.FAILED
    assert isinstance(error.failure_reason, str) and error.failure_reason
    assert error.retryable == (code in retryable_failure_codes())
    assert code in str(error) and error.failure_reason in str(error), f"the message says neither: {error}"
    STATS.check("failure_code_typed", True)


# --- Documented limits, at their edge -------------------------------------------------------------------------


def boundary_requests() -> list[Any]:
    """Requests exactly at a documented limit, which the server must accept: read from the spec (image_ref's
    maxItems; the limit of too_many_edit_refs' example; the portrait ratios manga_landscape's example lists), never
    from the mock's own rules, so a mock that refuses too early is caught."""
    edit_limit = int(example_values("too_many_edit_refs", limits_too=True)["limit"])
    portrait = example_values("manga_landscape", limits_too=True)["valid"].split(", ")
    cases = [
        pytest.param({"image_ref": [URL] * MAX_REFS}, id=f"image_ref maxItems ({MAX_REFS})"),
        pytest.param({"type": EDIT, "source": URL, "image_ref": [URL] * edit_limit}, id=f"{EDIT} refs ({edit_limit})"),
    ]
    return cases + [
        pytest.param(
            {"style": rule_wording.MANGA_STYLE, "aspect_ratio": ratio}, id=f"{rule_wording.MANGA_STYLE} {ratio}"
        )
        for ratio in portrait
    ]


@pytest.mark.parametrize("fields", boundary_requests())
def test_a_request_at_a_documented_limit_is_accepted(
    http_target: Target, fields: dict[str, Any], paid_posts: PaidPostBudget
) -> None:
    spend_one_post(paid_posts)
    with luma_for(http_target) as luma:
        generation = luma.generations.create(prompt=PROMPT, **fields)
    STATS.case(PART)
    assert generation.state == STATE_ORDER[0], f"POST must answer {STATE_ORDER[0]}, got {generation.state}"
    STATS.check("documented_limit_accepted", True)


# --- Documented errors ------------------------------------------------------------------------------------------


def test_every_documented_4xx_example_has_a_trigger() -> None:
    assert sorted(DOCUMENTED) == sorted({t.example for t in TRIGGERS})


def _trigger_params() -> list[object]:
    return [
        pytest.param(t, id=t.id, marks=[pytest.mark.xfail(strict=True, reason=t.known_issue)] if t.known_issue else [])
        for t in TRIGGERS
    ]


@contextmanager
def trigger_context(target: Target, trigger: Trigger, files: Path, sent: list[httpx.Request]) -> Iterator[Context]:
    """Clients for one trigger: its key and headers, on a dedicated mock when it needs a special config."""
    if trigger.mock_only and not target.is_mock:
        pytest.skip(f"mock only: {trigger.mock_only}")
    with ExitStack() as stack:
        base_url, control = target.base_url, target.control
        if trigger.mock_config:
            control, app = mock_app(**trigger.mock_config)
            base_url = f"http://127.0.0.1:{stack.enter_context(serve_app(app))}/v1"
        key = trigger.key(target.api_key)
        raw = stack.enter_context(
            http_clients.client(
                base_url=base_url,
                headers={"Authorization": f"Bearer {key}", **trigger.headers},
                timeout=60.0,
                event_hooks={"request": [http_clients.in_slices]},  # the 413 triggers send ~70 MB
            )
        )

        def make_client(api_key: str) -> Luma:
            return stack.enter_context(luma_for(target, api_key=api_key, base_url=base_url, control=control))

        luma = stack.enter_context(
            luma_for(
                target,
                api_key=key,
                base_url=base_url,
                control=control,
                max_retries=0,
                headers=trigger.headers,
                sent=sent,
            )
        )
        yield Context(raw=raw, luma=luma, files=files, valid_key=target.api_key, make_client=make_client)


def _as_documented(trigger: Trigger, documented: DocumentedError, body: Any) -> str:
    """The detail expected: the documented one, or for a ``same_rule`` trigger the answer itself when it is worded
    as that x-rule (its example shows a generation id no trigger can reproduce)."""
    if trigger.values:
        rule = FACTS.rule(documented.name)
        shown = rule_wording.parse_detail(FACTS, rule, documented.detail) or {}
        return rule_wording.detail(FACTS, rule, {**shown, **trigger.values})
    answer = body.get("detail") if isinstance(body, dict) else None
    if trigger.same_rule and isinstance(answer, str):
        rule = FACTS.rule(trigger.same_rule)
        documented_values = rule_wording.parse_detail(FACTS, rule, documented.detail)
        answered_values = rule_wording.parse_detail(FACTS, rule, answer)
        if documented_values is not None and answered_values is not None:
            same_shape = {k: v for k, v in answered_values.items() if k != "id"} == {
                k: v for k, v in documented_values.items() if k != "id"
            }
            return answer if same_shape else documented.detail
    return documented.detail


@pytest.mark.parametrize("trigger", _trigger_params())
def test_documented_error_on_the_wire(http_target: Target, trigger: Trigger, image_file: Path) -> None:
    """The server answers the documented status and detail (the raw response, before any client)."""
    documented: DocumentedError = DOCUMENTED[trigger.example]
    with trigger_context(http_target, trigger, image_file.parent, []) as ctx:
        response = trigger.raw(ctx)
    STATS.case(PART)
    body = _json_or_text(response)
    expected = _as_documented(trigger, documented, body)
    ok = response.status_code == documented.status and body == {"detail": expected}
    if not trigger.known_issue:
        got = f"{response.status_code} {response.text[:80]}"
        reason = f"{trigger.example}: documented {documented.status} {expected!r}, got {got}"
        STATS.check("documented_error_on_the_wire", ok, None if ok else reason)
    broke = f"{trigger.example} (openapi.yaml {contradicted(documented, response.status_code)})"
    assert (response.status_code, body) == (documented.status, {"detail": expected}), broke
    try:
        _check_documented_headers(trigger, response)
    except AssertionError as broken:
        STATS.check("documented_error_headers", False, f"{trigger.example}: {broken}")
        raise
    STATS.check("documented_error_headers", True)


def _json_or_text(response: httpx.Response) -> Any:
    """The body as JSON, or its text when it is not JSON (a proxy's page): a mismatch either way, never a crash."""
    try:
        return response.json()
    except ValueError:
        return response.text


def _check_documented_headers(trigger: Trigger, response: httpx.Response) -> None:
    """The response carries the headers its spec response requires, each valid for its schema, and the rate-limit
    headers agree (luma_uni_checks' rule, shared with the schemathesis part and the proxy)."""
    documented = DOCUMENTED[trigger.example]
    for name, header in documented_headers(documented.component).items():
        value = response.headers.get(name)
        if value is None:
            where = f"(openapi.yaml components.headers.{name})"
            assert not header.get("required"), f"{trigger.example}: the documented header {name} is missing {where}"
            continue
        schema = header.get("schema", {})
        if schema.get("type") == "integer":
            assert value.strip().isdigit() and int(value) >= schema.get("minimum", 0), f"{name}: {value!r}"
    window = Spec(load_spec()).window_seconds
    raise_first(*check_rate_limit_headers(response.status_code, response.headers.get, None, window))


RATE_LIMITED = [t for t in TRIGGERS if t.mock_config and DOCUMENTED[t.example].status == 429]


@pytest.mark.parametrize("trigger", RATE_LIMITED, ids=lambda t: t.id)
def test_waiting_as_long_as_retry_after_says_is_enough(http_target: Target, trigger: Trigger) -> None:
    """A client that waits the 429's Retry-After gets its next request through; for the per-minute limit, whose
    Retry-After counts down to the moment the oldest request leaves the window, not a second earlier."""
    if not http_target.is_mock:
        pytest.skip("mock only: moves the server's clock")
    control, app = mock_app(**trigger.mock_config, time_scale=0)  # frozen: moves only when told
    with (
        serve_app(app) as port,
        http_clients.client(
            base_url=f"http://127.0.0.1:{port}/v1", headers={"Authorization": f"Bearer {http_target.api_key}"}
        ) as raw,
    ):
        assert raw.post("/generations", json={"prompt": PROMPT}).status_code == 201  # within the limit
        response = raw.post("/generations", json={"prompt": PROMPT})
        assert response.status_code == 429, f"the limit of {trigger.mock_config} let a second request through"
        wait = int(response.headers["Retry-After"])
        if "X-RateLimit-Reset" in response.headers:
            assert int(response.headers["X-RateLimit-Reset"]) == math.ceil(control.now() + wait), "Reset != now + wait"
            control.advance(wait - 1)
            early = raw.post("/generations", json={"prompt": PROMPT})
            assert early.status_code == 429, f"a second before Retry-After ran out: {early.status_code}"
            control.advance(1)
        else:
            control.advance(wait)
        later = raw.post("/generations", json={"prompt": PROMPT})
    STATS.case(PART)
    ok = later.status_code == 201
    STATS.check("retry_after_is_enough", ok, None if ok else f"{trigger.example}: {later.status_code} {later.text}")
    assert ok, f"after waiting Retry-After ({wait} s): {later.status_code} {later.text}"


# --- Retries: what the spec says is safe to repeat --------------------------------------------------------------


def transient_statuses() -> list[tuple[str, int]]:
    """(method, status) the spec documents as worth repeating: a response that carries Retry-After, and the 5xx of
    ServerError's x-retry-statuses (errors at submit time: nothing was created)."""
    spec = load_spec()
    retry_5xx = [int(code) for code in spec["components"]["responses"]["ServerError"]["x-retry-statuses"]]
    found = []
    for item in spec["paths"].values():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                component = spec["components"]["responses"].get(response.get("$ref", "").rsplit("/", 1)[-1], {})
                if status.isdigit() and "Retry-After" in component.get("headers", {}):
                    found.append((method.upper(), int(status)))
                elif status == "5XX":
                    found += [(method.upper(), code) for code in retry_5xx]
    return found


def _posts(sent: list[httpx.Request]) -> int:
    return sum(request.method == "POST" for request in sent)


@pytest.mark.parametrize(("method", "status"), transient_statuses(), ids=str)
def test_the_client_recovers_from_a_documented_transient_error(http_target: Target, method: str, status: int) -> None:
    """Answered once with a status the spec says to retry, the client repeats the request and succeeds; a POST so
    repeated creates exactly one generation."""
    if http_target.control is None:
        pytest.skip("mock only: needs the mock's fault queue")
    control, sent = http_target.control, list[httpx.Request]()
    with luma_for(http_target, sent=sent) as luma:
        if method == "POST":
            control.add_fault("POST", "/generations", status)
            generation = luma.generations.create(prompt=PROMPT)
            attempts, created = _posts(sent), control.generation_count()
            ok = (attempts, created) == (2, 1)
        else:
            generation = luma.generations.create(prompt=PROMPT)
            control.add_fault("GET", f"/generations/{generation.id}", status)
            again = luma.generations.get(str(generation.id))
            attempts, created = len(sent) - 1, control.generation_count()
            ok = (attempts, created, again.id) == (2, 1, generation.id)
    STATS.case(PART)
    reason = f"{method} answered {status} once: {attempts} attempts, {created} generation(s) created"
    STATS.check("retries_documented_transient_errors", ok, None if ok else reason)
    assert ok, reason


def test_the_client_never_repeats_a_post_the_server_may_have_acted_on(http_target: Target) -> None:
    """The spec has no idempotency key (a repeated POST may create and bill a second generation): a POST whose
    connection dropped after it was sent, or answered by a 5xx the spec does not call safe to retry, is sent once."""
    if http_target.control is None:
        pytest.skip("mock only: needs the mock's fault queue")
    control, sent = http_target.control, list[httpx.Request]()
    unsafe_5xx = next(code for code in range(500, 600) if code not in contract.RETRY_SERVER_STATUSES)
    with luma_for(http_target, sent=sent) as luma:
        control.add_fault("POST", "/generations", drop=True)
        with pytest.raises(errors.APIConnectionError):
            luma.generations.create(prompt=PROMPT)
        dropped = _posts(sent)
        control.add_fault("POST", "/generations", unsafe_5xx)
        with pytest.raises(errors.APIStatusError) as caught:
            luma.generations.create(prompt=PROMPT)
    STATS.case(PART)
    ok = (dropped, _posts(sent), caught.value.status_code) == (1, 2, unsafe_5xx)
    reason = f"POSTs sent: {dropped} for a dropped connection, {_posts(sent) - dropped} for a {unsafe_5xx}"
    STATS.check("never_repeats_an_unsafe_post", ok, None if ok else reason)
    assert ok, reason


@pytest.mark.parametrize("trigger", [t for t in TRIGGERS if t.call is not None], ids=lambda t: t.id)
def test_documented_error_through_the_client(http_target: Target, trigger: Trigger, image_file: Path) -> None:
    """Through the client: the documented error type with the documented status and detail, or an InputError
    (refused before sending, nothing sent) that says the same."""
    documented = DOCUMENTED[trigger.example]
    sent: list[httpx.Request] = []
    assert trigger.call is not None
    with trigger_context(http_target, trigger, image_file.parent, sent) as ctx:
        before = len(sent)
        try:
            trigger.call(ctx)
        except (errors.APIStatusError, InputError) as caught:
            error = caught
        else:
            took = contradicted(documented, 201)
            pytest.fail(f"{trigger.example}: the server took the request (openapi.yaml {took})")
    STATS.case(PART)
    if isinstance(error, InputError):
        assert len(sent) == before, f"the client raised InputError but sent {len(sent) - before} request(s)"
        if trigger.client_detail:
            assert documented.detail in str(error), f"refused locally as {error!s}, not as {documented.detail!r}"
    else:
        broke = f"(openapi.yaml {contradicted(documented, error.status_code)})"
        assert type(error) is errors.status_error_class(documented.status), (
            f"{type(error).__name__} for {documented.status} {broke}"
        )
        expected = _as_documented(trigger, documented, {"detail": error.detail})
        assert (error.status_code, error.detail) == (documented.status, expected), broke
        if documented.status == 429:
            assert isinstance(error, errors.RateLimitError) and error.retry_after is not None and error.retry_after > 0
    STATS.check("documented_error_through_the_client", True)


# --- What the client puts on the wire and hands back beyond the models ---------------------------------------------

STYLES = enum_values("Style")
CLIENT_TIMEOUT = 42.0  # the client's own timeout, unlike any default: a call without one must send it


def _timeouts(request: httpx.Request) -> dict[str, float | None]:
    timeouts: dict[str, float | None] = request.extensions["timeout"]
    return timeouts


def test_per_call_options_go_on_their_request_only(http_target: Target, paid_posts: PaidPostBudget) -> None:
    """``extra_headers``, ``extra_query``, ``extra_body`` and ``timeout`` of one call reach that request on the wire,
    over the client's defaults, and no other request: the next call without them sends the client's own.
    ``with_raw_response`` hands back the response's headers, its request id (the API echoes the one sent) and the
    same Generation ``parse()`` gives."""
    spend_one_post(paid_posts)
    sent: list[httpx.Request] = []
    style = STYLES[-1]
    defaults = {"X-Conformance-Default": "client", "X-Conformance-Both": "client"}
    with luma_for(http_target, headers=defaults, sent=sent, timeout=CLIENT_TIMEOUT) as luma:
        raw = luma.generations.with_raw_response.create(
            prompt=PROMPT,
            x_request_id="conformance-create-1",
            extra_headers={"X-Conformance-Both": "call"},
            extra_query={"conformance": "create"},
            extra_body={"style": style},
            timeout=7.5,
        )
        created, create_request = raw.parse(), sent[-1]
        luma.generations.get(created.id)
        client_timeout = _timeouts(sent[-1])  # the client's own, before any GET with options
        assert client_timeout["read"] == CLIENT_TIMEOUT, f"a call without options: {client_timeout}, not the client's"
        raw_get = luma.generations.with_raw_response.get(
            created.id,
            extra_headers={"X-Request-Id": "conformance-get-1"},
            extra_query={"conformance": "get"},
            timeout=3,
        )
        get_request = raw_get.http_request
        luma.generations.get(created.id)
        plain_request = sent[-1]
    STATS.case(PART)
    body = json.loads(create_request.content)
    assert (body["prompt"], body["style"]) == (PROMPT, style), body
    assert create_request.headers["X-Conformance-Both"] == "call", "extra_headers must win over the client's"
    assert create_request.headers["X-Conformance-Default"] == "client"
    assert create_request.url.params["conformance"] == "create"
    assert _timeouts(create_request)["read"] == 7.5, _timeouts(create_request)  # connecting: at most 5 s
    assert (raw.status_code, raw.request_id, raw.headers["x-request-id"]) == (
        201,
        "conformance-create-1",
        "conformance-create-1",
    )
    assert raw.json()["id"] == str(created.id)
    assert get_request.url.params.get("conformance") == "get", f"GET sent {get_request.url}"
    assert _timeouts(get_request)["read"] == 3.0, _timeouts(get_request)
    assert raw_get.request_id == "conformance-get-1" and raw_get.parse().id == created.id
    assert raw_get.headers.get("x-ratelimit-limit") is None or raw_get.headers["x-ratelimit-limit"].isdigit()
    # The call after: the client's own, nothing of the earlier calls' options.
    assert plain_request.headers["X-Conformance-Both"] == "client", "a call's extra_headers stuck to the client"
    assert "conformance" not in plain_request.url.params, f"a call's extra_query stuck: {plain_request.url}"
    assert "X-Request-Id" not in plain_request.headers or plain_request.headers["X-Request-Id"] not in (
        "conformance-create-1",
        "conformance-get-1",
    )
    assert _timeouts(plain_request) == client_timeout, "a call's timeout stuck to the client"
    STATS.check("client_per_call_options", True)


def test_a_generation_and_a_file_as_inputs(
    http_target: Target, image_file: Path, paid_posts: PaidPostBudget, wait_budget: WaitBudget
) -> None:
    """An earlier Generation passed as ``source`` goes on the wire as its ``generation_id``; a local file as its
    bytes in ``data`` with its ``media_type``; the server accepts both."""
    spend_one_post(paid_posts)
    spend_one_post(paid_posts)
    sent: list[httpx.Request] = []
    with luma_for(http_target, sent=sent) as luma:
        first = wait_budget.wait(
            lambda timeout, progress: luma.generations.create_and_wait(
                prompt=PROMPT, on_progress=progress, timeout=timeout
            )
        )
        refused: errors.APIStatusError | None = None
        try:
            chained = luma.generations.create(prompt=PROMPT, type="image_edit", source=first)
        except errors.APIStatusError as error:  # said after what was sent: the wire shows why
            refused = error
        chained_body = json.loads(sent[-1].content)
        assert chained_body["source"] == {"generation_id": str(first.id)}, chained_body["source"]
        assert refused is None, refused
        from_file = luma.generations.create(prompt=PROMPT, type="image_edit", source=image_file)
        file_body = json.loads(sent[-1].content)
    STATS.case(PART)
    assert chained.type_ == "image_edit" and from_file.type_ == "image_edit"
    assert base64.b64decode(file_body["source"]["data"]) == image_file.read_bytes()
    assert file_body["source"]["media_type"] == "image/png", file_body["source"]
    STATS.check("client_inputs", True)
