"""Custom schemathesis checks: the documented rules of openapi.yaml that JSON Schema cannot state.

Registered with ``@schemathesis.check`` and loaded the documented way: schemathesis.toml names this module under
``hooks``, so `make conformance` and the plain ``schemathesis run openapi.yaml --url ...`` both run them, against
the mock or any other server. The rules themselves live once in the installed package ``luma_uni_checks`` (pure
functions over what was observed, shared with the validating proxy, ``luma-uni-proxy``); each check here only turns
schemathesis' case and response into an observed exchange and, for the rules that need requests of their own (a
second GET, following a generation to its end, fetching its files, moving the mock's clock), makes them and feeds
what it saw to the same functions. Every fact is read from the spec the run was given; each failure message names
the rule that broke and where the spec states it.

- ``request_id_echoed``: an ``X-Request-Id`` sent is echoed on the response.
- ``retry_after_on_429``: every 429 says when to retry (``Retry-After``, whole seconds, at least 1).
- ``rate_limit_headers``: ``X-RateLimit-*`` come together and agree with each other, with the 429 and with the
  generation's ``created_at`` (the window is X-RateLimit-Reset's ``x-window-seconds``).
- ``server_defaults_reported``: a field with ``x-server-default`` left out of a POST is reported with that default.
- ``generation_get_is_stable``: GET is idempotent: a second GET answers the same generation (the one asked for), its
  state not earlier, and nothing but the fresh output URLs changed once it is terminal.
- ``generation_lifecycle``: after a 201, the generation is followed to its end: it settles within
  ``x-settles-within-seconds``, its state never moves backwards, its output URLs answer with the requested (or
  default) format, refuse to serve once altered, stop working after ``x-lifetime-seconds``, and a later GET mints
  fresh ones. Moving time needs a server whose clock can be moved (the mock's ``/_mock/clock``); elsewhere that part
  skips itself, and says so once (see ``SKIPS``).
"""

from __future__ import annotations

import sys
import threading
import urllib.parse
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import schemathesis
from schemathesis import APIOperation, Case, CheckContext, HookContext, Response
from schemathesis.core import NOT_SET

from conformance import http_clients
from conformance.asgi import call_kwargs, request_in_process
from luma_uni_checks import lifecycle, rules
from luma_uni_checks.exchange import NO_BODY, Exchange, parse_json
from luma_uni_checks.findings import Finding, RuleBrokenError, raise_first
from luma_uni_checks.spec import Operation, Spec, spec_of
from luma_uni_mock import failure_switch, faults

JSON = dict[str, Any]

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


# --- What schemathesis saw, as an exchange the shared rules read ---------------------------------------------------


def _spec(case: Case[Any]) -> Spec:
    return spec_of(case.operation.schema.raw_schema)


def _operation(case: Case[Any]) -> Operation:
    operation = _spec(case).operation(case.operation.method, case.operation.path)
    assert operation is not None, f"the spec has no {case.operation.label}"
    return operation


def _headers(headers: Mapping[str, Any]) -> dict[str, str]:
    """Lower-case names, first values, text; never the credentials."""
    found: dict[str, str] = {}
    for name, value in headers.items():
        first = value[0] if isinstance(value, list | tuple) and value else value
        text = first.decode("latin-1") if isinstance(first, bytes) else str(first)
        if name.lower() != "authorization":
            found.setdefault(name.lower(), text)
    return found


def _authorization(response: Response) -> str | None:
    value = response.request.headers.get("Authorization")
    return value.decode("latin-1") if isinstance(value, bytes) else value


def exchange_of(case: Case[Any], response: Response) -> Exchange:
    authorization = _authorization(response) or ""
    scheme, _, token = authorization.partition(" ")
    return Exchange(
        method=case.operation.method.upper(),
        path=case.formatted_path,
        status=response.status_code,
        request_headers=_headers(response.request.headers),
        response_headers=_headers(response.headers),
        request_json=NO_BODY if case.body is NOT_SET else case.body,
        response_body=response.content,
        response_json=parse_json(response.content),
        bearer=scheme == "Bearer" and bool(token) and " " not in token,
    )


def _generation(case: Case[Any], response: Response) -> JSON | None:
    return rules.generation_of(_spec(case), _operation(case), exchange_of(case, response))


# What a check returns, as schemathesis reads it: None when it ran and found nothing (a pass), True when it did not run
# (a skip, left out of the counts); a broken rule raises.
PASSED = None
SKIPPED = True


def _run(rule: rules.Rule, case: Case[Any], response: Response) -> None:
    raise_first(*rule(_spec(case), _operation(case), exchange_of(case, response)))


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


def _settle_seconds(case: Case[Any]) -> float:
    seconds = _spec(case).settles_within_seconds
    if seconds is None:  # the spec is the only home of how long a generation may run
        raise AssertionError("the spec gives Generation no x-settles-within-seconds: how long to wait is unknown")
    return seconds


def settle(case: Case[Any]) -> bool:
    """Move the mock's clock past the time every generation takes (Generation's x-settles-within-seconds); False
    when the server has no clock to move (a live server: wait in real time instead)."""
    if not _has_clock(case):
        return False
    _advance(case, _settle_seconds(case))
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
    value = _authorization(response)
    return {"Authorization": value} if value else {}


def _fetch_generation(case: Case[Any], credentials: dict[str, str], context: str) -> JSON:
    """GET the generation again (``case`` GETs it); it must be found, and be the one asked for."""
    answer = case.call(headers=credentials, **call_kwargs(case))
    spec, operation, exchange = _spec(case), _operation(case), exchange_of(case, answer)
    raise_first(*rules.answers_the_id_asked_for(spec, operation, exchange))
    generation = rules.generation_of(spec, operation, exchange)
    if answer.status_code != 200 or generation is None:
        detail = f"{context}: GET {case.formatted_path} answered {answer.status_code}: {answer.text[:200]}"
        raise RuleBrokenError(
            rules.finding(
                "created_generation_found",
                "a generation found once is found again (GET is idempotent)",
                f"{operation.where}.responses.200",
                detail,
            )
        )
    return generation


# --- The checks -----------------------------------------------------------------------------------------------


@schemathesis.check
def request_id_echoed(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """An ``X-Request-Id`` the request carried comes back unchanged on the response."""
    _run(rules.request_id_echoed, case, response)
    return PASSED


@schemathesis.check
def retry_after_on_429(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A 429 says when to retry: ``Retry-After`` in whole seconds, at least 1."""
    _run(rules.retry_after_on_429, case, response)
    return PASSED


@schemathesis.check
def rate_limit_headers(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """``X-RateLimit-*`` come all three or none, as integers, remaining within the limit; a per-minute 429 has none
    remaining and never asks to wait past the window; a 201's reset is its creation time plus the window."""
    _run(rules.rate_limit_headers, case, response)
    return PASSED


@schemathesis.check
def server_defaults_reported(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A request field left out (``x-server-default``) is reported with its default; one sent is echoed."""
    _run(rules.server_defaults_reported, case, response)
    return PASSED


@schemathesis.check
def generation_get_is_stable(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """GET is idempotent: asked again at once, the same generation comes back, never earlier, frozen if terminal."""
    generation = _generation(case, response)
    if generation is None or case.operation.method.upper() != "GET":
        return SKIPPED
    _run(rules.answers_the_id_asked_for, case, response)
    again = _fetch_generation(case, _credentials(response), "two GETs in a row")
    raise_first(*lifecycle.compare(_spec(case), generation, again, "two GETs in a row"))
    return PASSED


# Following a generation to its end costs a few requests and two image downloads; what it checks depends only on
# the generation's type and output format, so a few of each kind per server and run are followed.
LIFECYCLE_SAMPLES = 3
LATE_IN_LIFETIME = 0.75  # the share of an output URL's lifetime after which it is fetched once more
_FOLLOWED: Counter[tuple[str, str, str]] = Counter()


def _sample(case: Case[Any]) -> bool:
    body = case.body if isinstance(case.body, dict) else {}
    key = (f"{id(case.operation.app)}:{case.operation.base_url}", str(body.get("type")), str(body.get("output_format")))
    with _SKIPS_LOCK:
        _FOLLOWED[key] += 1
        return _FOLLOWED[key] <= LIFECYCLE_SAMPLES


def _outputs(generation: JSON) -> list[JSON]:
    return [o for o in generation.get("output") or [] if isinstance(o, dict)]


def _check_files(case: Case[Any], generation: JSON, context: str, *, tamper: bool) -> Iterator[Finding]:
    """Fetch each output URL as minted: the file in the expected format; with ``tamper``, altered too: refused."""
    spec = _spec(case)
    expected = lifecycle.expected_format(spec, generation, case.body)
    for output in _outputs(generation):
        answer = _raw(case, "GET", str(output.get("url")))
        content_type = answer.headers.get("content-type", "")
        yield from lifecycle.output_file(output, answer.status_code, content_type, expected, context)
        for url, how in lifecycle.tampered_urls(str(output.get("url"))) if tamper else ():
            yield from lifecycle.tampered_url_refused(spec, how, _raw(case, "GET", url).status_code, context)


@schemathesis.check
def generation_lifecycle(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Follow a created generation to its end and past its URLs' lifetime (on a server whose clock can move)."""
    generation = _generation(case, response)
    if generation is None or case.operation.method.upper() != "POST":
        return SKIPPED
    spec = _spec(case)
    follow = regets(case, response, generation)
    if follow is None:
        skip("generation_lifecycle", "the 201 response has no link to GET the generation")
        return SKIPPED
    # From here on the check has run: the rest of the lifecycle is followed where the server's clock and the run's
    # sample allow.
    raise_first(*lifecycle.created_in_first_state(spec, generation))
    credentials = _credentials(response)
    first = follow.call(headers=credentials, **call_kwargs(follow))
    again = _generation(follow, first)
    if first.status_code != 200 or again is None:
        return PASSED  # the built-in check for created resources (ST302) reports a generation that cannot be found
    raise_first(*lifecycle.compare(spec, generation, again, "POST, then GET"))
    if not _has_clock(case):
        skip("generation_lifecycle", NO_CLOCK)
        return PASSED
    if not _sample(case):
        return PASSED
    settle_seconds = _settle_seconds(case)
    _advance(case, settle_seconds)
    settled = _fetch_generation(follow, credentials, "GET after it settled")
    raise_first(
        *lifecycle.compare(spec, again, settled, f"GET, then GET {settle_seconds:g} s later"),
        *lifecycle.settled_in_time(spec, settled, settle_seconds),
        *_check_files(case, settled, "the completed generation's output", tamper=True),
    )
    lifetime = lifecycle.url_lifetime(spec)
    if not _outputs(settled) or lifetime is None:
        return PASSED  # no output, or the spec states no lifetime: no rule to hold the URLs to
    # A URL is good for its whole lifetime: fetched late in it, it still serves the file. Not at its last second: a
    # mock whose clock runs faster than real time (the suite's runs 100 times faster) moves on while it answers.
    late = lifetime * LATE_IN_LIFETIME
    _advance(case, late)
    raise_first(*_check_files(case, settled, f"a URL {late:g} s after it was minted", tamper=False))
    _advance(case, lifetime + 1 - late)
    raise_first(
        *(
            finding
            for output in _outputs(settled)
            for finding in lifecycle.expired_url_refused(
                spec, _raw(case, "GET", str(output["url"])).status_code, lifetime + 1
            )
        )
    )
    later = _fetch_generation(follow, credentials, "GET after the output URLs expired")
    raise_first(
        *lifecycle.compare(spec, settled, later, "GET after the output URLs expired"),
        *lifecycle.urls_fresh(settled, later, lifetime + 1),
        *_check_files(case, later, "a URL minted after the old ones expired", tamper=False),
    )
    return PASSED


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
