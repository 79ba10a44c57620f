"""Custom schemathesis checks: the documented rules of openapi.yaml that JSON Schema cannot state.

Registered with ``@schemathesis.check`` and loaded the documented way: schemathesis.toml names this module under
``hooks``, so `make conformance` and the plain ``schemathesis run openapi.yaml --url ...`` both run them, against
the mock or any other server. Every fact (defaults, state order, URL lifetime, the expired status) is read from the
spec the run was given; each failure message names the rule that broke and where the spec states it.

- ``request_id_echoed``: an ``X-Request-Id`` sent is echoed on the response.
- ``retry_after_on_429``: every 429 says when to retry (``Retry-After``, whole seconds, at least 1).
- ``rate_limit_headers``: ``X-RateLimit-*`` come together and agree with each other, with the 429 and with the
  generation's ``created_at`` (the window is X-RateLimit-Reset's ``x-window-seconds``).
- ``server_defaults_reported``: a field with ``x-server-default`` left out of a POST is reported with that default.
- ``generation_get_is_stable``: GET is idempotent: a second GET answers the same generation, its state not
  earlier, and nothing but the fresh output URLs changed once it is terminal.
- ``generation_lifecycle``: after a 201, the generation is followed to its end: it settles within
  ``x-settles-within-seconds``, its state never moves backwards, its output URLs answer with the requested (or
  default) format, refuse to serve once altered, and stop working after ``x-lifetime-seconds``. Moving time needs
  a server whose clock can be moved (the mock's ``/_mock/clock``); elsewhere that part skips itself, and says so
  once (see ``SKIPS``).
"""

from __future__ import annotations

import datetime
import re
import sys
import threading
import urllib.parse
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import schemathesis
from schemathesis import APIOperation, Case, CheckContext, HookContext, Response

from conformance import http_clients
from conformance.asgi import request_in_process
from luma_uni_mock import failure_switch, faults

JSON = dict[str, Any]
GENERATION_REF = "#/components/schemas/Generation"
REQUEST_SCHEMA = "CreateGenerationRequest"

# Why a check (or a part of one) did not run, counted per (check, reason); printed once per reason and shown in
# the suite's summary.
SKIPS: Counter[tuple[str, str]] = Counter()
_SKIPS_LOCK = threading.Lock()
NO_CLOCK = "the server has no movable clock (/_mock/clock): time-dependent rules not checked"


def skip(check: str, reason: str) -> None:
    with _SKIPS_LOCK:
        first = (check, reason) not in SKIPS
        SKIPS[(check, reason)] += 1
    if first:
        print(f"conformance check {check}: skipped: {reason}", file=sys.stderr)


class RuleBrokenError(AssertionError):
    """A documented rule of the spec that the server broke (the message says which and where it is stated)."""

    def __init__(self, rule: str, where: str, detail: str) -> None:
        super().__init__(f"Documented rule broken: {rule} (openapi.yaml {where}). {detail}")


# --- Reading the spec the run was given ---------------------------------------------------------------------------


def _spec(case: Case[Any]) -> JSON:
    raw: JSON = case.operation.schema.raw_schema
    return raw


def _component(case: Case[Any], name: str) -> JSON:
    schemas: JSON = _spec(case).get("components", {}).get("schemas", {})
    component: JSON = schemas.get(name, {})
    return component


def _answers_generation(case: Case[Any], status: int) -> bool:
    """Whether the operation documents a Generation body for ``status`` (POST 201, GET 200)."""
    responses = case.operation.definition.raw.get("responses", {})
    content = responses.get(str(status), {}).get("content", {}).get("application/json", {})
    return bool(content.get("schema", {}).get("$ref") == GENERATION_REF)


def _generation(case: Case[Any], response: Response) -> JSON | None:
    if not 200 <= response.status_code < 300 or not _answers_generation(case, response.status_code):
        return None
    try:
        body = response.json()
    except ValueError:
        return None  # not JSON: the built-in checks report that
    return body if isinstance(body, dict) and isinstance(body.get("id"), str) else None


def _server_defaults(case: Case[Any]) -> dict[str, Any]:
    properties = _component(case, REQUEST_SCHEMA).get("properties", {})
    return {name: prop["x-server-default"] for name, prop in properties.items() if "x-server-default" in prop}


def _state_order(case: Case[Any]) -> list[str]:
    return list(_component(case, "Generation").get("x-state-order", []))


def _terminal_states(case: Case[Any]) -> set[str]:
    return set(_component(case, "Generation").get("x-terminal-states", []))


def _url_spec(case: Case[Any]) -> JSON:
    url: JSON = _component(case, "GenerationOutput").get("properties", {}).get("url", {})
    return url


def _header(response: Response, name: str) -> str | None:
    values = response.headers.get(name.lower())
    return values[0] if values else None


# --- Talking to the server outside the generated cases ------------------------------------------------------------


def _raw(case: Case[Any], method: str, url: str, **kwargs: Any) -> httpx.Response:
    """A request without the API key (output URLs, control routes): in-process when the run is, else over HTTP."""
    app = case.operation.app
    if app is not None:
        return request_in_process(app, method, url, **kwargs)
    return http_clients.request(method, url, **kwargs)


def _origin(case: Case[Any]) -> str:
    parts = urllib.parse.urlsplit(case.operation.base_url or "http://in-process")
    return f"{parts.scheme}://{parts.netloc}"


_CLOCKS: dict[str, bool] = {}


def _has_clock(case: Case[Any]) -> bool:
    """Whether the server is the mock, whose clock ``/_mock/clock`` moves forward on request (asked once)."""
    key = f"{id(case.operation.app)}:{_origin(case)}"
    if key not in _CLOCKS:
        try:
            answer = _raw(case, "GET", f"{_origin(case)}/_mock/clock")
            _CLOCKS[key] = answer.status_code == 200 and isinstance(answer.json().get("now"), int | float)
        except (httpx.HTTPError, ValueError, AttributeError):
            _CLOCKS[key] = False
    return _CLOCKS[key]


def _advance(case: Case[Any], seconds: float) -> None:
    answer = _raw(case, "POST", f"{_origin(case)}/_mock/clock", json={"advance": seconds})
    if answer.status_code != 200:
        raise AssertionError(f"the mock refused to move its clock by {seconds} s: {answer.status_code} {answer.text}")


def settle(case: Case[Any]) -> bool:
    """Move the mock's clock past the time every generation takes (Generation's x-settles-within-seconds); False
    when the server has no clock to move (a live server: wait in real time instead)."""
    if not _has_clock(case):
        return False
    _advance(case, float(_component(case, "Generation").get("x-settles-within-seconds", 3600)))
    return True


def _get_operation(case: Case[Any]) -> tuple[APIOperation[Any, Any, Any, Any], str, str] | None:
    """The operation the 201's link points at, its parameter and the body field that fills it."""
    response = case.operation.definition.raw.get("responses", {}).get("201", {})
    for link in response.get("links", {}).values():
        for parameter, expression in link.get("parameters", {}).items():
            if isinstance(expression, str) and expression.startswith("$response.body#/"):
                operation = case.operation.schema.find_operation_by_id(link["operationId"])
                return operation, parameter, expression.removeprefix("$response.body#/")
    return None


def regets(case: Case[Any], response: Response, generation: JSON) -> Case[Any] | None:
    """A case that GETs ``generation`` again: the same case for a GET, the link's target for a POST."""
    if case.operation.method.upper() == "GET":
        return case
    found = _get_operation(case)
    if found is None:
        return None
    operation, parameter, field = found
    return operation.Case(path_parameters={parameter: generation[field]})


def _credentials(response: Response) -> dict[str, str]:
    """The Authorization the checked request was sent with (the run's configured auth is applied by the runner,
    not by ``Case.call``), to send the follow-up GETs as the same caller."""
    value = response.request.headers.get("Authorization")
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return {"Authorization": value} if value else {}


def _fetch_generation(case: Case[Any], credentials: dict[str, str], rule: str, where: str) -> JSON:
    answer = case.call(headers=credentials)
    generation = _generation(case, answer)
    if answer.status_code != 200 or generation is None:
        detail = f"GET {case.formatted_path} answered {answer.status_code}: {answer.text[:200]}"
        raise RuleBrokenError(rule, where, detail)
    return generation


# --- The checks -----------------------------------------------------------------------------------------------


@schemathesis.check
def request_id_echoed(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """An ``X-Request-Id`` the request carried comes back unchanged on the response."""
    sent = next((str(v) for k, v in (case.headers or {}).items() if k.lower() == "x-request-id"), None)
    parameter = _spec(case).get("components", {}).get("parameters", {}).get("RequestId", {})
    echoable = parameter.get("x-echoed-pattern", "^[!-~]{1,200}$")
    if sent is None or re.fullmatch(echoable, sent) is None:
        return None  # ids outside the pattern are replaced by a minted one (documented)
    echoed = _header(response, "X-Request-Id")
    if echoed != sent:
        raise RuleBrokenError(
            "the server echoes the caller's X-Request-Id",
            "components.parameters.RequestId",
            f"sent {sent!r}, the response carried {echoed!r}",
        )
    return True


@schemathesis.check
def retry_after_on_429(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A 429 says when to retry: ``Retry-After`` in whole seconds, at least 1."""
    if response.status_code != 429:
        return None
    value = _header(response, "Retry-After")
    if value is None or not value.strip().isdigit() or int(value) < 1:
        raise RuleBrokenError(
            "a 429 carries Retry-After (an integer, at least 1)",
            "components.headers.Retry-After",
            f"Retry-After was {value!r}",
        )
    return True


RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
# A 201's reset is ceil(creation + window): up to a second after it; a live server's limiter and its database may
# also read clocks a second apart.
RESET_SLACK_SECONDS = (1.0, 2.0)  # (before, after) creation + window


def window_seconds(spec: JSON) -> float | None:
    """X-RateLimit-Reset's ``x-window-seconds``: the per-minute limit's sliding window."""
    reset = spec.get("components", {}).get("headers", {}).get("X-RateLimit-Reset", {})
    value = reset.get("x-window-seconds") if isinstance(reset, dict) else None
    return float(value) if isinstance(value, int | float) else None


def _created_at(generation: JSON) -> float | None:
    try:
        return datetime.datetime.fromisoformat(str(generation.get("created_at"))).timestamp()
    except ValueError:
        return None  # the format checks report an unreadable created_at


def check_rate_limit_headers(
    status: int, header: Callable[[str], str | None], created: JSON | None, window: float | None
) -> bool | None:
    """The rules of ``rate_limit_headers`` for a response of ``status`` whose headers ``header`` reads (``created``:
    the generation a 201 answered with); raises `RuleBrokenError`, None when there is nothing to check."""
    given = {name: value for name in RATE_LIMIT_HEADERS if (value := header(name)) is not None}
    if not given:
        return None
    if len(given) != len(RATE_LIMIT_HEADERS):
        raise RuleBrokenError(
            "the X-RateLimit-* headers come together (all three, or none when the limiter fails open)",
            "components.headers.X-RateLimit-Limit",
            f"the response carried only {sorted(given)}",
        )
    for name, value in given.items():
        if not value.strip().isdigit():
            raise RuleBrokenError("X-RateLimit-* are non-negative integers", f"components.headers.{name}", f"{value!r}")
    limit, remaining, reset = (int(given[name]) for name in RATE_LIMIT_HEADERS)
    if remaining > limit:
        raise RuleBrokenError(
            "X-RateLimit-Remaining never exceeds X-RateLimit-Limit",
            "components.headers.X-RateLimit-Remaining",
            f"limit {limit}, remaining {remaining}",
        )
    if status == 429:
        retry_after = header("Retry-After") or ""
        if remaining != 0:
            raise RuleBrokenError(
                "a per-minute 429 has no request remaining", "responses.TooManyRequests", f"remaining {remaining}"
            )
        if window is not None and retry_after.strip().isdigit() and int(retry_after) > window:
            raise RuleBrokenError(
                "a per-minute 429 asks to wait at most the window (until the oldest request leaves it)",
                "components.headers.X-RateLimit-Reset.x-window-seconds",
                f"Retry-After {retry_after} s, window {window:g} s",
            )
        return True
    created_at = _created_at(created) if created is not None and status == 201 else None
    if created_at is None or window is None:
        return True
    before, after = RESET_SLACK_SECONDS
    if not created_at + window - before <= reset <= created_at + window + after:
        raise RuleBrokenError(
            "a 201's X-RateLimit-Reset is its creation time plus the window, in Unix seconds",
            "components.headers.X-RateLimit-Reset",
            f"created_at {created.get('created_at') if created else None} + {window:g} s, reset {reset}",
        )
    return True


@schemathesis.check
def rate_limit_headers(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """``X-RateLimit-*`` come all three or none, as integers, remaining within the limit; a per-minute 429 has none
    remaining and never asks to wait past the window; a 201's reset is its creation time plus the window."""
    created = _generation(case, response) if case.operation.method.upper() == "POST" else None
    return check_rate_limit_headers(
        response.status_code, lambda name: _header(response, name), created, window_seconds(_spec(case))
    )


@schemathesis.check
def server_defaults_reported(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A request field left out (``x-server-default``) is reported with its default; one sent is echoed."""
    generation = _generation(case, response)
    if generation is None or case.operation.method.upper() != "POST" or not isinstance(case.body, dict):
        return None
    reported = set(_component(case, "Generation").get("properties", {}))
    for name, default in _server_defaults(case).items():
        if name not in reported:
            continue  # not part of the Generation (output_format shows in the output: generation_lifecycle)
        expected = case.body.get(name, default)
        if generation.get(name) != expected:
            how = f"the request sent {expected!r}" if name in case.body else f"the request left it out ({default!r})"
            raise RuleBrokenError(
                f"a generation reports the {name} it was created with, the server default when left out",
                f"CreateGenerationRequest.{name}.x-server-default",
                f"{how}, the generation reports {generation.get(name)!r}",
            )
    return True


IMMUTABLE = ("id", "type", "model", "created_at")


def _without_urls(generation: JSON) -> JSON:
    """The generation with its output URLs blanked: every GET mints fresh ones (documented)."""
    outputs = generation.get("output")
    if not isinstance(outputs, list):
        return generation
    return {**generation, "output": [{**o, "url": None} if isinstance(o, dict) else o for o in outputs]}


def _compare(case: Case[Any], before: JSON, after: JSON, context: str) -> None:
    """``after`` is the same generation as ``before``, no earlier in its lifecycle, and frozen if terminal."""
    for name in IMMUTABLE:
        if before.get(name) != after.get(name):
            raise RuleBrokenError(
                "a generation's id, type, model and created_at never change",
                "components.schemas.Generation",
                f"{context}: {name} was {before.get(name)!r}, then {after.get(name)!r}",
            )
    order = _state_order(case)
    was, now = before.get("state"), after.get("state")
    if was in order and now in order and _rank(order, now) < _rank(order, was):
        raise RuleBrokenError(
            "a generation's state never moves backwards (queued → processing → completed | failed)",
            "components.schemas.Generation.x-state-order",
            f"{context}: {was!r}, then {now!r}",
        )
    if was in _terminal_states(case) and _without_urls(before) != _without_urls(after):
        changed = sorted(k for k in {*before, *after} if _without_urls(before).get(k) != _without_urls(after).get(k))
        raise RuleBrokenError(
            "a terminal generation never changes (only its output URLs are minted afresh)",
            "components.schemas.Generation.x-terminal-states",
            f"{context}: changed {changed} after it was {was!r}",
        )


def _rank(order: list[str], state: str) -> int:
    """Terminal states share the last rank: completed and failed are alternatives, not steps."""
    return min(order.index(state), len(order) - 2)


@schemathesis.check
def generation_get_is_stable(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """GET is idempotent: asked again at once, the same generation comes back, never earlier, frozen if terminal."""
    generation = _generation(case, response)
    if generation is None or case.operation.method.upper() != "GET":
        return None
    rule = "GET is idempotent: a generation found once is found again"
    again = _fetch_generation(case, _credentials(response), rule, case.operation.label)
    _compare(case, generation, again, "two GETs in a row")
    return True


# OutputFormat's values are image subtypes; the format applies to the types whose x-types output is an image (a
# video is an MP4, layering makes PNGs with alpha, whatever output_format says). A type without an entry makes one.
FORMATTED_OUTPUT = "image"


def _expected_format(case: Case[Any], generation: JSON) -> str | None:
    """The content subtype the generation's output must have: the request's ``output_format``, else its
    ``x-server-default``; None for a type whose output is not an image."""
    kinds: JSON = _component(case, "GenerationType").get("x-types", {})
    entry = kinds.get(str(generation.get("type")), {})
    if not isinstance(entry, dict) or entry.get("output", FORMATTED_OUTPUT) != FORMATTED_OUTPUT:
        return None
    body = case.body if isinstance(case.body, dict) else {}
    chosen = body.get("output_format")
    return str(chosen) if chosen is not None else _server_defaults(case).get("output_format")


def _check_output_file(case: Case[Any], output: JSON, expected_format: str | None, context: str) -> None:
    """The URL answers 200 with an image of the declared type (and of the requested format when known)."""
    answer = _raw(case, "GET", str(output.get("url")))
    content_type = answer.headers.get("content-type", "").partition(";")[0].strip().lower()
    where = "components.schemas.GenerationOutput.url"
    if answer.status_code != 200:
        rule = "an output URL answers with the file while valid"
        raise RuleBrokenError(rule, where, f"{context}: {answer.status_code}")
    if not content_type.startswith(f"{output.get('type')}/"):
        raise RuleBrokenError(
            "an output URL answers with the declared output type",
            where,
            f"{context}: type {output.get('type')!r}, content type {content_type!r}",
        )
    expected = f"{FORMATTED_OUTPUT}/{expected_format}"
    if expected_format is not None and content_type != expected:
        raise RuleBrokenError(
            "the output is in the requested output_format, or in its x-server-default when left out",
            "CreateGenerationRequest.output_format.x-server-default",
            f"{context}: expected {expected}, got {content_type!r}",
        )


# Following a generation to its end costs a few requests and two image downloads; what it checks depends only on
# the generation's type and output format, so a few of each kind per server and run are followed.
LIFECYCLE_SAMPLES = 3
_FOLLOWED: Counter[tuple[str, str, str]] = Counter()


def _sample(case: Case[Any]) -> bool:
    body = case.body if isinstance(case.body, dict) else {}
    key = (f"{id(case.operation.app)}:{case.operation.base_url}", str(body.get("type")), str(body.get("output_format")))
    with _SKIPS_LOCK:
        _FOLLOWED[key] += 1
        return _FOLLOWED[key] <= LIFECYCLE_SAMPLES


def _tampered(value: str) -> list[str]:
    """``value`` changed: a later time or longer lifetime for numbers, another last character, and garbage."""
    changed = str(int(value) + 3600) if value.isdigit() else value[:-1] + ("1" if value[-1:] == "0" else "0")
    return [changed, "x"]


def _check_tamper_proof(case: Case[Any], output: JSON, context: str) -> None:
    """A presigned URL works only as minted: with a query parameter altered or left out it is refused, with the same
    status as an expired one (S3 answers 403 to both)."""
    parts = urllib.parse.urlsplit(str(output.get("url")))
    params = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    refused = int(_url_spec(case).get("x-expired-status", 403))
    for index, (name, value) in enumerate(params):
        others = [*params[:index], *params[index + 1 :]]
        variants = {f"without {name}": others}
        for changed in _tampered(value):
            variants[f"with {name}={changed!r}"] = [*params[:index], (name, changed), *params[index + 1 :]]
        for how, query in variants.items():
            url = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
            answer = _raw(case, "GET", url)
            if answer.status_code != refused:
                raise RuleBrokenError(
                    f"a presigned output URL works only as minted: altered, it answers {refused}",
                    "components.schemas.GenerationOutput.url",
                    f"{context}: {how} it answered {answer.status_code}",
                )


@schemathesis.check
def generation_lifecycle(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Follow a created generation to its end and past its URLs' lifetime (on a server whose clock can move)."""
    generation = _generation(case, response)
    if generation is None or case.operation.method.upper() != "POST":
        return None
    follow = regets(case, response, generation)
    if follow is None:
        skip("generation_lifecycle", "the 201 response has no link to GET the generation")
        return None
    order = _state_order(case)
    if order and generation.get("state") != order[0]:
        raise RuleBrokenError(
            f"POST answers a new generation in the first state ({order[0]!r}), however short its queue",
            "components.schemas.Generation.x-state-order",
            f"the 201 said {generation.get('state')!r}",
        )
    rule = "a created generation can be fetched"
    credentials = _credentials(response)
    first = follow.call(headers=credentials)
    again = _generation(follow, first)
    if first.status_code != 200 or again is None:
        return None  # the built-in check for created resources (ST302) reports a generation that cannot be found
    _compare(case, generation, again, "POST, then GET")
    if not _has_clock(case):
        skip("generation_lifecycle", NO_CLOCK)
        return True
    if not _sample(case):
        return True
    spec = _component(case, "Generation")
    settle = float(spec.get("x-settles-within-seconds", 3600))
    _advance(case, settle)
    settled = _fetch_generation(follow, credentials, rule, "links")
    _compare(case, again, settled, f"GET, then GET {settle:g} s later")
    if settled.get("state") in _state_order(case) and settled.get("state") not in _terminal_states(case):
        raise RuleBrokenError(
            "every generation reaches a terminal state within the hour",
            "components.schemas.Generation.x-settles-within-seconds",
            f"still {settled.get('state')!r} after {settle:g} s",
        )
    outputs = [o for o in settled.get("output") or [] if isinstance(o, dict)]
    for output in outputs:
        _check_output_file(case, output, _expected_format(case, settled), "the completed generation's output")
        _check_tamper_proof(case, output, "the completed generation's output")
    if not outputs:
        return True
    url_spec = _url_spec(case)
    lifetime, expired_status = url_spec.get("x-lifetime-seconds"), url_spec.get("x-expired-status")
    if not isinstance(lifetime, int | float) or not isinstance(expired_status, int):
        return True  # the spec states no lifetime or expired status: no rule to hold the URLs to
    _advance(case, lifetime + 1)
    for output in outputs:
        answer = _raw(case, "GET", str(output["url"]))
        if answer.status_code != expired_status:
            raise RuleBrokenError(
                f"an output URL stops working after its lifetime ({lifetime:g} s) with {expired_status}",
                "components.schemas.GenerationOutput.url.x-lifetime-seconds",
                f"{lifetime + 1:g} s after it was minted it answered {answer.status_code}",
            )
    later = _fetch_generation(follow, credentials, rule, "links")
    _compare(case, settled, later, "GET after the output URLs expired")
    for output in [o for o in later.get("output") or [] if isinstance(o, dict)]:
        _check_output_file(case, output, _expected_format(case, later), "a URL minted after the old ones expired")
    return True


# The mock's test switches (fault injection, failure on demand): request headers outside the contract.
MOCK_SWITCHES = frozenset(
    {
        faults.HEADER_DELAY,
        faults.HEADER_STATUS,
        faults.HEADER_RETRY_AFTER,
        faults.HEADER_DROP,
        failure_switch.FAILURE_HEADER,
    }
)


@schemathesis.hook
def map_headers(context: HookContext, headers: dict[str, Any] | None) -> dict[str, Any] | None:
    """Generated requests never carry the mock's switches. Hypothesis mixes string constants of local modules into
    what it generates, the mock's header names included, so the fuzzer could otherwise send ``X-Mock-Status: <junk>``
    and judge the mock's answer to its own test control (a 400 on a GET, which documents none) as the contract's."""
    if headers is None:
        return None
    return {name: value for name, value in headers.items() if name.lower() not in MOCK_SWITCHES}


def check_names() -> Mapping[str, str]:
    """The checks of this module and the first line of their docstrings (for docs and the summary)."""
    checks = (
        request_id_echoed,
        retry_after_on_429,
        rate_limit_headers,
        server_defaults_reported,
        generation_get_is_stable,
        generation_lifecycle,
    )
    return {check.__name__: (check.__doc__ or "").strip().splitlines()[0] for check in checks}
