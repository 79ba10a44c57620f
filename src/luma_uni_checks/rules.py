"""The rules one exchange shows by itself, each a function of the spec, the operation and the exchange that yields
what broke (nothing when the rule holds or does not apply).

Two families:

- the documented rules JSON Schema cannot state, which the conformance suite runs as schemathesis checks
  (conformance/checks.py adapts them): ``request_id_echoed``, ``retry_after_on_429``, ``rate_limit_headers``,
  ``server_defaults_reported``;
- the response's conformance to its documented response (status, media type, headers, body schema with its
  ``if``/``then`` invariants), the request's acceptance (a body or a caller the spec refuses, served), the error
  wording and the id a GET answers: schemathesis' built-in checks do this for the suite, and these do it for the
  proxy, which must not depend on schemathesis (they judge what was observed; they never replay a request).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from typing import Any

from .exchange import NO_BODY, Exchange
from .findings import Finding
from .spec import Operation, ResponseSpec, Spec

Rule = Callable[[Spec, Operation, Exchange], Iterator[Finding]]
JSON = dict[str, Any]


def finding(rule: str, text: str, where: str, detail: str) -> Finding:
    return Finding(rule=rule, text=text, where=where, detail=detail)


def _media_type(value: str | None) -> str:
    return (value or "").partition(";")[0].strip().lower()


def generation_of(spec: Spec, operation: Operation, exchange: Exchange) -> JSON | None:
    """The Generation a 2xx answered with (POST 201, GET 200), or None."""
    if not 200 <= exchange.status < 300:
        return None
    response = spec.response(operation, exchange.status)
    if response is None or not _documents_generation(response):
        return None
    body = exchange.response_json
    return body if isinstance(body, dict) and isinstance(body.get("id"), str) else None


def _documents_generation(response: ResponseSpec) -> bool:
    schema = response.json_schema()
    return isinstance(schema, dict) and schema.get("$ref") == "#/components/schemas/Generation"


# --- The documented rules JSON Schema cannot state -----------------------------------------------------------------


def request_id_echoed(spec: Spec, operation: Operation, exchange: Exchange) -> Iterator[Finding]:
    """An ``X-Request-Id`` the request carried comes back unchanged on the response."""
    sent = exchange.request_headers.get("x-request-id")
    if sent is None or re.fullmatch(spec.echoed_request_id, sent) is None:
        return  # ids outside the pattern are replaced by a minted one (documented)
    echoed = exchange.response_header("X-Request-Id")
    if echoed != sent:
        yield finding(
            "request_id_echoed",
            "the server echoes the caller's X-Request-Id",
            "components.parameters.RequestId",
            f"sent {sent!r}, the response carried {echoed!r}",
        )


def retry_after_on_429(spec: Spec, operation: Operation, exchange: Exchange) -> Iterator[Finding]:
    """A 429 says when to retry: ``Retry-After`` in whole seconds, at least 1."""
    if exchange.status != 429:
        return
    value = exchange.response_header("Retry-After")
    if value is None or not value.strip().isdigit() or int(value) < 1:
        yield finding(
            "retry_after_on_429",
            "a 429 carries Retry-After (an integer, at least 1)",
            "components.headers.Retry-After",
            f"Retry-After was {value!r}",
        )


RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
# A 201's reset is ceil(creation + window): up to a second after it; a live server's limiter and its database may
# also read clocks a second apart.
RESET_SLACK_SECONDS = (1.0, 2.0)  # (before, after) creation + window


def created_at(generation: JSON) -> float | None:
    try:
        return datetime.datetime.fromisoformat(str(generation.get("created_at"))).timestamp()
    except ValueError:
        return None  # the schema check reports an unreadable created_at


def check_rate_limit_headers(
    status: int, header: Callable[[str], str | None], created: JSON | None, window: float | None
) -> Iterator[Finding]:
    """The rules of ``rate_limit_headers`` for a response of ``status`` whose headers ``header`` reads (``created``:
    the generation a 201 answered with)."""
    given = {name: value for name in RATE_LIMIT_HEADERS if (value := header(name)) is not None}
    rule = "rate_limit_headers"
    if not given:
        return
    if len(given) != len(RATE_LIMIT_HEADERS):
        yield finding(
            rule,
            "the X-RateLimit-* headers come together (all three, or none when the limiter fails open)",
            "components.headers.X-RateLimit-Limit",
            f"the response carried only {sorted(given)}",
        )
        return
    for name, value in given.items():
        if not value.strip().isdigit():
            yield finding(rule, "X-RateLimit-* are non-negative integers", f"components.headers.{name}", f"{value!r}")
            return
    limit, remaining, reset = (int(given[name]) for name in RATE_LIMIT_HEADERS)
    if remaining > limit:
        yield finding(
            rule,
            "X-RateLimit-Remaining never exceeds X-RateLimit-Limit",
            "components.headers.X-RateLimit-Remaining",
            f"limit {limit}, remaining {remaining}",
        )
        return
    if status == 429:
        retry_after = header("Retry-After") or ""
        if remaining != 0:
            yield finding(
                rule,
                "a per-minute 429 has no request remaining",
                "components.responses.TooManyRequests",
                f"remaining {remaining}",
            )
        elif window is not None and retry_after.strip().isdigit() and int(retry_after) > window:
            yield finding(
                rule,
                "a per-minute 429 asks to wait at most the window (until the oldest request leaves it)",
                "components.headers.X-RateLimit-Reset.x-window-seconds",
                f"Retry-After {retry_after} s, window {window:g} s",
            )
        return
    created_time = created_at(created) if created is not None and status == 201 else None
    if created_time is None or window is None:
        return
    before, after = RESET_SLACK_SECONDS
    if not created_time + window - before <= reset <= created_time + window + after:
        yield finding(
            rule,
            "a 201's X-RateLimit-Reset is its creation time plus the window, in Unix seconds",
            "components.headers.X-RateLimit-Reset",
            f"created_at {created.get('created_at') if created else None} + {window:g} s, reset {reset}",
        )


def rate_limit_headers(spec: Spec, operation: Operation, exchange: Exchange) -> Iterator[Finding]:
    """``X-RateLimit-*`` come all three or none, as integers, remaining within the limit; a per-minute 429 has none
    remaining and never asks to wait past the window; a 201's reset is its creation time plus the window."""
    created = generation_of(spec, operation, exchange) if operation.method == "POST" else None
    yield from check_rate_limit_headers(exchange.status, exchange.response_header, created, spec.window_seconds)


def check_server_defaults(spec: Spec, body: Any, generation: JSON) -> Iterator[Finding]:
    """A request field left out (``x-server-default``) is reported with its default; one sent is echoed."""
    if not isinstance(body, dict):
        return
    reported = set(spec.component("Generation").get("properties", {}))
    for name, default in spec.server_defaults.items():
        if name not in reported:
            continue  # not part of the Generation (output_format shows in the output file)
        expected = body.get(name, default)
        if generation.get(name) != expected:
            how = f"the request sent {expected!r}" if name in body else f"the request left it out ({default!r})"
            yield finding(
                "server_defaults_reported",
                f"a generation reports the {name} it was created with, the server default when left out",
                f"components.schemas.CreateGenerationRequest.properties.{name}.x-server-default",
                f"{how}, the generation reports {generation.get(name)!r}",
            )


def server_defaults_reported(spec: Spec, operation: Operation, exchange: Exchange) -> Iterator[Finding]:
    """A request field left out (``x-server-default``) is reported with its default; one sent is echoed."""
    generation = generation_of(spec, operation, exchange)
    if generation is not None and operation.method == "POST":
        yield from check_server_defaults(spec, exchange.request_json, generation)


# --- The response against its documented response -----------------------------------------------------------------


def status_documented(spec: Spec, operation: Operation, exchange: Exchange) -> Iterator[Finding]:
    """The status is one the operation documents (its own entry, its range such as ``5XX``, or ``default``)."""
    if spec.response(operation, exchange.status) is None:
        documented = ", ".join(operation.definition.get("responses", {}))
        yield finding(
            "status_documented",
            f"{operation.label} answers only the statuses it documents",
            f"{operation.where}.responses",
            f"answered {exchange.status}; documented: {documented}",
        )


def media_type_documented(spec: Spec, operation: Operation, exchange: Exchange) -> Iterator[Finding]:
    """The body comes in a media type the response documents (no body at all is not judged here)."""
    response = spec.response(operation, exchange.status)
    if response is None or not response.media_types or not exchange.response_body:
        return
    media_type = _media_type(exchange.response_header("Content-Type"))
    if media_type not in response.media_types:
        yield finding(
            "media_type_documented",
            f"a {exchange.status} of {operation.label} comes as {' or '.join(response.media_types)}",
            f"{response.where}.content",
            f"Content-Type was {exchange.response_header('Content-Type')!r}",
        )


def headers_documented(spec: Spec, operation: Operation, exchange: Exchange) -> Iterator[Finding]:
    """Every header the response requires is there, and every documented header present matches its schema."""
    response = spec.response(operation, exchange.status)
    if response is None:
        return
    for header in spec.headers(response):
        value = exchange.response_header(header.name)
        if value is None:
            if header.required:
                yield finding(
                    "headers_documented",
                    f"a {exchange.status} of {operation.label} carries {header.name}",
                    header.where,
                    f"{header.name} is missing",
                )
            continue
        if not spec.compiled(f"{header.where}.schema", header.schema).accepts_fast(_header_value(header.schema, value)):
            yield finding(
                "headers_documented",
                f"{header.name} matches its documented schema",
                f"{header.where}.schema",
                f"{header.name} was {value!r}",
            )


def _header_value(schema: JSON, value: str) -> Any:
    """A header's text as the JSON value its schema describes (an integer header: the integer)."""
    kind = schema.get("type") if isinstance(schema, dict) else None
    text = value.strip()
    if kind == "integer" and re.fullmatch(r"-?\d+", text):
        return int(text)
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return value


def body_matches_schema(spec: Spec, operation: Operation, exchange: Exchange) -> Iterator[Finding]:
    """A JSON body is JSON and matches the documented schema, ``if``/``then`` invariants included."""
    response = spec.response(operation, exchange.status)
    schema = response.json_schema() if response is not None else None
    if response is None or schema is None or exchange.response_body is None:
        return  # nothing documented, or a body too large to keep
    if _media_type(exchange.response_header("Content-Type")) not in ("application/json", ""):
        return  # media_type_documented reports it
    where = f"{response.where}.content.application/json.schema"
    body = exchange.response_json
    if body is NO_BODY:
        shown = exchange.response_body[:80].decode("utf-8", "replace")
        yield finding(
            "body_matches_schema",
            f"a {exchange.status} of {operation.label} has a JSON body",
            where,
            f"the body is not JSON ({len(exchange.response_body)} bytes): {shown!r}",
        )
        return
    error = schema_error(spec, where, schema, body)
    if error is not None:
        text = f"a {exchange.status} of {operation.label} matches its documented schema"
        yield finding("body_matches_schema", text, where, error)


def schema_error(spec: Spec, where: str, schema: Any, instance: Any) -> str | None:
    """Why ``instance`` breaks ``schema`` (the schema at ``where``): ``path: message``; None when it is valid."""
    compiled = spec.compiled(where, schema)
    if compiled.accepts_fast(instance):
        return None
    error = compiled.first_error(instance)
    if error is None:
        return None  # jsonschema, the authority, accepts it (jsonschema_rs refused, e.g. an integer too large for it)
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    return f"{path.lstrip('.') or '(body)'}: {error.message}"


# --- The request's acceptance --------------------------------------------------------------------------------------


def refused_request_accepted(spec: Spec, operation: Operation, exchange: Exchange) -> Iterator[Finding]:
    """A request body the spec refuses (not JSON, or against the request schema) is never answered 2xx."""
    schema = spec.request_schema(operation)
    if schema is None or not 200 <= exchange.status < 300 or not exchange.request_body_kept:
        return
    where = f"{operation.where}.requestBody"
    body = exchange.request_json
    detail = "the body was not JSON" if body is NO_BODY else schema_error(spec, _request_where(operation), schema, body)
    if detail is None:
        return
    yield finding(
        "refused_request_accepted",
        f"{operation.label} refuses a body its schema refuses",
        where,
        f"answered {exchange.status} to a body the spec refuses ({detail})",
    )


def served_without_key(spec: Spec, operation: Operation, exchange: Exchange) -> Iterator[Finding]:
    """A request without ``Authorization: Bearer <key>`` is never served (2xx) by an operation that needs one."""
    if 200 <= exchange.status < 300 and not exchange.bearer and spec.security_applies(operation):
        yield finding(
            "served_without_key",
            f"{operation.label} serves only requests with a bearer key",
            "components.securitySchemes.bearerAuth",
            f"answered {exchange.status} to a request without a well-formed bearer key",
        )


def answers_the_id_asked_for(spec: Spec, operation: Operation, exchange: Exchange) -> Iterator[Finding]:
    """A GET of a generation answers that generation (its ``id`` is the path's)."""
    generation = generation_of(spec, operation, exchange)
    if generation is None or operation.method != "GET":
        return
    asked = operation.parameters(exchange.path).get("generation_id")
    if asked is not None and str(generation["id"]).lower() != asked.lower():
        yield finding(
            "answers_the_id_asked_for",
            "GET /generations/{generation_id} answers the generation asked for",
            f"{operation.where}.parameters",
            f"asked for {asked!r}, answered {generation['id']!r}",
        )


# --- Error wordings ----------------------------------------------------------------------------------------------

# An example whose detail starts with a field path ("source: ...", "image_ref[2]: ...") documents the same wording
# for any field path.
_LEADING_PATH = re.compile(r"^[A-Za-z_][\w]*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*: ")


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{[A-Za-z_]\w*\}", template)
    return re.compile(".+?".join(re.escape(part) for part in parts), re.DOTALL)


def documented_wordings(spec: Spec, response: ResponseSpec, status: int) -> list[re.Pattern[str]]:
    """The wordings the spec documents for ``response``: its examples' details (a leading field path standing for
    any) and the detail templates of every ``x-rules`` entry answering ``status``."""
    patterns = []
    for value in response.examples().values():
        detail = value.get("detail") if isinstance(value, dict) else None
        if isinstance(detail, str):
            match = _LEADING_PATH.match(detail)
            template = "{path}: " + detail[match.end() :] if match else detail
            patterns.append(_template_pattern(template))
    for rule in _x_rules(spec.raw):
        if rule.get("status") == status and isinstance(rule.get("detail"), str):
            patterns.append(_template_pattern(rule["detail"]))
    return patterns


def _x_rules(node: Any) -> Iterator[JSON]:
    """Every entry of every ``x-rules`` list in the document (wherever the rules live)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "x-rules" and isinstance(value, list):
                yield from (entry for entry in value if isinstance(entry, dict))
            else:
                yield from _x_rules(value)
    elif isinstance(node, list):
        for item in node:
            yield from _x_rules(item)


def _worded_by_validator(spec: Spec, operation: Operation, exchange: Exchange) -> bool:
    """Whether a 400's detail is the schema validator's or the parser's message (any wording is documented then):
    the request body was not kept, not JSON, or against the request schema."""
    schema = spec.request_schema(operation)
    if exchange.status != 400 or schema is None:
        return False
    if exchange.request_json is NO_BODY or not exchange.request_body_kept:
        return True
    return not spec.compiled(_request_where(operation), schema).accepts_fast(exchange.request_json)


def _request_where(operation: Operation) -> str:
    return f"{operation.where}.requestBody.content.application/json.schema"


def error_wording_documented(spec: Spec, operation: Operation, exchange: Exchange) -> Iterator[Finding]:
    """An error's ``detail`` is one of the wordings the spec documents for that response."""
    response = spec.response(operation, exchange.status)
    body = exchange.response_json
    if response is None or exchange.status < 400 or not isinstance(body, dict):
        return
    detail = body.get("detail")
    if not isinstance(detail, str) or _worded_by_validator(spec, operation, exchange):
        return
    patterns = documented_wordings(spec, response, exchange.status)
    if patterns and not any(pattern.fullmatch(detail) for pattern in patterns):
        yield finding(
            "error_wording_documented",
            f"a {exchange.status} of {operation.label} words its detail as documented",
            f"{response.where}.content.application/json.examples",
            f"detail {detail!r}",
        )


# The rules the proxy runs on every exchange of a documented operation, in this order.
EXCHANGE_RULES: tuple[Rule, ...] = (
    status_documented,
    media_type_documented,
    headers_documented,
    body_matches_schema,
    refused_request_accepted,
    served_without_key,
    error_wording_documented,
    answers_the_id_asked_for,
    request_id_echoed,
    retry_after_on_429,
    rate_limit_headers,
    server_defaults_reported,
)
