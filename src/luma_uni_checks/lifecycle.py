"""The rules that only show across a generation's life: what one generation answered at different times, and what
its output URLs answered. Pure functions of what was observed; `Generations` keeps the observations of each
generation id for a caller that sees traffic pass (the proxy), and the conformance suite, which makes the requests
itself (re-GETs, moves the mock's clock, fetches the files), feeds what it saw to the same functions.

Facts come from the spec: ``x-state-order`` and ``x-terminal-states`` (a POST answers the first state, the state never
moves backwards, a terminal generation is frozen but for its freshly minted URLs), ``x-settles-within-seconds``,
GenerationOutput.url's ``x-lifetime-seconds`` and ``x-expired-status``, the request's ``x-server-default``\\ s and
GenerationType's ``x-types``.
"""

from __future__ import annotations

import threading
import urllib.parse
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .exchange import Exchange
from .findings import Finding
from .rules import finding, generation_of
from .spec import Operation, Spec

JSON = dict[str, Any]
IMMUTABLE = ("id", "type", "model", "created_at")
GENERATION_WHERE = "components.schemas.Generation"
URL_WHERE = "components.schemas.GenerationOutput.properties.url"
# Two GETs this far apart (seconds, on the observer's clock) must not answer the same output URL: every GET mints a
# fresh one, and a URL signed a second later differs (presigned URLs carry their signing time). Closer GETs may.
FRESH_URL_AFTER_SECONDS = 2.0


def created_in_first_state(spec: Spec, generation: JSON) -> Iterator[Finding]:
    """POST answers a new generation in the first state of ``x-state-order`` (``queued``), however short its queue."""
    order = spec.state_order
    if order and generation.get("state") != order[0]:
        yield finding(
            "created_in_first_state",
            f"POST answers a new generation in the first state ({order[0]!r}), however short its queue",
            f"{GENERATION_WHERE}.x-state-order",
            f"the 201 said {generation.get('state')!r}",
        )


def _rank(order: list[str], state: str) -> int:
    """Terminal states share the last rank: completed and failed are alternatives, not steps."""
    return min(order.index(state), len(order) - 2)


def without_urls(generation: JSON) -> JSON:
    """The generation with its output URLs blanked: every GET mints fresh ones (documented)."""
    outputs = generation.get("output")
    if not isinstance(outputs, list):
        return generation
    return {**generation, "output": [{**o, "url": None} if isinstance(o, dict) else o for o in outputs]}


def compare(spec: Spec, before: JSON, after: JSON, context: str) -> Iterator[Finding]:
    """``after`` is the same generation as ``before``, no earlier in its lifecycle, and frozen if terminal."""
    for name in IMMUTABLE:
        if before.get(name) != after.get(name):
            yield finding(
                "generation_immutable_fields",
                "a generation's id, type, model and created_at never change",
                GENERATION_WHERE,
                f"{context}: {name} was {before.get(name)!r}, then {after.get(name)!r}",
            )
            return
    order = spec.state_order
    was, now = before.get("state"), after.get("state")
    if was in order and now in order and _rank(order, now) < _rank(order, was):
        yield finding(
            "state_never_backwards",
            "a generation's state never moves backwards (queued → processing → completed | failed)",
            f"{GENERATION_WHERE}.x-state-order",
            f"{context}: {was!r}, then {now!r}",
        )
        return
    if was in spec.terminal_states and without_urls(before) != without_urls(after):
        changed = sorted(k for k in {*before, *after} if without_urls(before).get(k) != without_urls(after).get(k))
        yield finding(
            "terminal_generation_frozen",
            "a terminal generation never changes (only its output URLs are minted afresh)",
            f"{GENERATION_WHERE}.x-terminal-states",
            f"{context}: changed {changed} after it was {was!r}",
        )


def output_urls(generation: JSON) -> list[str]:
    return [str(o["url"]) for o in generation.get("output") or [] if isinstance(o, dict) and o.get("url")]


def urls_fresh(before: JSON, after: JSON, seconds_apart: float) -> Iterator[Finding]:
    """A GET at least `FRESH_URL_AFTER_SECONDS` after another answers none of the output URLs the earlier one did."""
    if seconds_apart < FRESH_URL_AFTER_SECONDS:
        return
    reused = set(output_urls(before)) & set(output_urls(after))
    if reused:
        yield finding(
            "output_urls_fresh",
            "every GET mints fresh presigned output URLs",
            URL_WHERE,
            f"a GET {seconds_apart:.0f} s after another answered the same URL again: {sorted(reused)[0]}",
        )


def settled_in_time(spec: Spec, generation: JSON, age_seconds: float) -> Iterator[Finding]:
    """A generation ``age_seconds`` old is terminal once that age reaches ``x-settles-within-seconds``."""
    limit = spec.settles_within_seconds
    state = generation.get("state")
    if limit is None or age_seconds < limit or state not in spec.state_order or state in spec.terminal_states:
        return
    yield finding(
        "settles_within",
        "every generation reaches a terminal state within the hour",
        f"{GENERATION_WHERE}.x-settles-within-seconds",
        f"still {state!r} after {age_seconds:g} s",
    )


def _defaults_of(spec: Spec, body: Any) -> JSON | None:
    """The fields of a POST body that have a server default (what its outputs are judged by); None when unread."""
    return {name: body[name] for name in spec.server_defaults if name in body} if isinstance(body, dict) else None


def not_found_after_created(spec: Spec, operation: Operation, generation_id: str, status: int) -> Iterator[Finding]:
    """The generation a 201 answered can be fetched by the caller that created it."""
    if status == 404:
        yield finding(
            "created_generation_found",
            "a created generation can be fetched by its creator (the 201's link)",
            "paths./generations.post.responses.201.links",
            f"GET of {generation_id!r}, created through this proxy by the same caller, answered 404",
        )


# --- Output files (fetched by the conformance suite; a proxy never sees the presigned URLs' traffic) -------------


# OutputFormat's values are image subtypes; the format applies to the types whose x-types output is an image (a
# video is an MP4, layering makes PNGs with alpha, whatever output_format says). A type without an entry makes one.
FORMATTED_OUTPUT = "image"


def expected_format(spec: Spec, generation: JSON, request: Any) -> str | None:
    """The content subtype the generation's output must have: the request's ``output_format``, else its
    ``x-server-default``; None for a type whose output is not an image."""
    if spec.type_outputs.get(str(generation.get("type")), FORMATTED_OUTPUT) != FORMATTED_OUTPUT:
        return None
    chosen = request.get("output_format") if isinstance(request, dict) else None
    if chosen is not None:
        return str(chosen)
    default = spec.server_defaults.get("output_format")
    return None if default is None else str(default)


def output_file(output: JSON, status: int, content_type: str, expected: str | None, context: str) -> Iterator[Finding]:
    """An output URL, fetched while valid, answers 200 with a file of the declared type (and the expected format)."""
    content_type = content_type.partition(";")[0].strip().lower()
    if status != 200:
        yield finding(
            "output_file",
            "an output URL answers with the file while valid",
            f"{URL_WHERE}.x-lifetime-seconds",
            f"{context}: {status}",
        )
    elif not content_type.startswith(f"{output.get('type')}/"):
        yield finding(
            "output_file",
            "an output URL answers with the declared output type",
            URL_WHERE,
            f"{context}: type {output.get('type')!r}, content type {content_type!r}",
        )
    elif expected is not None and content_type != f"{FORMATTED_OUTPUT}/{expected}":
        yield finding(
            "output_format",
            "the output is in the requested output_format, or in its x-server-default when left out",
            "components.schemas.CreateGenerationRequest.properties.output_format.x-server-default",
            f"{context}: expected {FORMATTED_OUTPUT}/{expected}, got {content_type!r}",
        )


def refused_status(spec: Spec) -> int:
    """What an altered or expired output URL answers (GenerationOutput.url's ``x-expired-status``)."""
    return int(spec.output_url.get("x-expired-status", 403))


def tampered_urls(url: str) -> Iterator[tuple[str, str]]:
    """``url`` with one query parameter left out or altered, each with how: every one must be refused."""
    parts = urllib.parse.urlsplit(url)
    params = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    for index, (name, value) in enumerate(params):
        changed = str(int(value) + 3600) if value.isdigit() else value[:-1] + ("1" if value[-1:] == "0" else "0")
        variants = {f"without {name}": [*params[:index], *params[index + 1 :]]}
        for other in (changed, "x"):
            variants[f"with {name}={other!r}"] = [*params[:index], (name, other), *params[index + 1 :]]
        for how, query in variants.items():
            yield urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query))), how


def tampered_url_refused(spec: Spec, how: str, status: int, context: str) -> Iterator[Finding]:
    refused = refused_status(spec)
    if status != refused:
        yield finding(
            "tampered_url_refused",
            f"a presigned output URL works only as minted: altered, it answers {refused}",
            f"{URL_WHERE}.x-expired-status",
            f"{context}: {how} it answered {status}",
        )


def url_lifetime(spec: Spec) -> float | None:
    lifetime = spec.output_url.get("x-lifetime-seconds")
    return float(lifetime) if isinstance(lifetime, int | float) else None


def expired_url_refused(spec: Spec, status: int, seconds_after: float) -> Iterator[Finding]:
    """An output URL fetched ``seconds_after`` it was minted, past ``x-lifetime-seconds``, answers as expired."""
    lifetime, expired = url_lifetime(spec), spec.output_url.get("x-expired-status")
    if lifetime is None or not isinstance(expired, int) or seconds_after <= lifetime or status == expired:
        return
    yield finding(
        "expired_url_refused",
        f"an output URL stops working after its lifetime ({lifetime:g} s) with {expired}",
        f"{URL_WHERE}.x-lifetime-seconds",
        f"{seconds_after:g} s after it was minted it answered {status}",
    )


# --- Following generations as traffic passes ---------------------------------------------------------------------


@dataclass
class _Seen:
    generation: JSON
    at: float  # when it was last answered
    caller: str | None
    created_at: float | None = None  # when a 201 answered it (the proxy's clock), if one passed
    urls_at: float = 0.0  # when the last output URLs were answered
    request: Any = None  # the POST's body, when it passed: what its output format must be


@dataclass(frozen=True)
class _Minted:
    """An output URL as a GET answered it: a download of exactly this URL is judged as one of that output."""

    output: JSON
    at: float
    expected_format: str | None


MINTED_PER_FILE = 8  # the most recent URLs of one output file that a download may use
# The server minted a URL before the observer saw it, and signs whole seconds: a download this close to the end of
# the URL's lifetime, by the observer's clock, is not judged.
URL_CLOCK_SLACK_SECONDS = 1.0


class Generations:
    """The last observation of each generation id (the most recent ``limit`` ids, so memory stays bounded), and the
    rules each new observation of one is held to. Thread-safe."""

    def __init__(self, limit: int = 10_000) -> None:
        self._seen: OrderedDict[str, _Seen] = OrderedDict()
        self._minted: OrderedDict[str, dict[str, _Minted]] = OrderedDict()  # by URL path, then by query
        self._limit = limit
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._seen)

    def observe(self, spec: Spec, operation: Operation, exchange: Exchange) -> list[Finding]:
        generation = generation_of(spec, operation, exchange)
        with self._lock:
            if generation is None:
                return self._missing(spec, operation, exchange)
            key = str(generation["id"]).lower()
            seen = self._seen.get(key)
            found: list[Finding] = []
            if operation.method == "POST":
                found += created_in_first_state(spec, generation)
                request = _defaults_of(spec, exchange.request_json)
                seen = self._seen[key] = _Seen(generation, exchange.at, exchange.caller, exchange.at, request=request)
            elif seen is not None:
                found += compare(spec, seen.generation, generation, "an earlier answer, then this GET")
                if output_urls(seen.generation) and output_urls(generation):
                    found += urls_fresh(seen.generation, generation, exchange.at - seen.urls_at)
                if seen.created_at is not None:
                    found += settled_in_time(spec, generation, exchange.at - seen.created_at)
                seen.generation, seen.at = generation, exchange.at
            else:
                seen = self._seen[key] = _Seen(generation, exchange.at, exchange.caller)
            if output_urls(generation):
                seen.urls_at = exchange.at
                self._mint(spec, generation, seen, exchange.at)
            self._seen.move_to_end(key)
            while len(self._seen) > self._limit:
                self._seen.popitem(last=False)
            return found

    def _mint(self, spec: Spec, generation: JSON, seen: _Seen, at: float) -> None:
        expected = expected_format(spec, generation, seen.request) if seen.request is not None else None
        for output in generation.get("output") or []:
            if not isinstance(output, dict) or not output.get("url"):
                continue
            parts = urllib.parse.urlsplit(str(output["url"]))
            queries = self._minted.setdefault(parts.path, {})
            queries[parts.query] = _Minted(output, at, expected)
            while len(queries) > MINTED_PER_FILE:
                del queries[next(iter(queries))]
            self._minted.move_to_end(parts.path)
        while len(self._minted) > self._limit:
            self._minted.popitem(last=False)

    def observe_download(self, spec: Spec, exchange: Exchange) -> list[Finding] | None:
        """Judge a GET of an output URL a generation answered (None: ``exchange`` is no such download). A download
        of a URL the proxy never saw minted (another path, or an altered query) is not judged."""
        path, _, query = exchange.target.partition("?")
        with self._lock:
            minted = self._minted.get(path, {}).get(query) if exchange.method == "GET" else None
        if minted is None:
            return None
        age = exchange.at - minted.at
        lifetime = url_lifetime(spec)
        if lifetime is not None and age > lifetime + URL_CLOCK_SLACK_SECONDS:
            return list(expired_url_refused(spec, exchange.status, age))
        if lifetime is not None and age >= lifetime - URL_CLOCK_SLACK_SECONDS:
            return []  # at the edge of its lifetime, by clocks that differ: valid and expired are both right
        content_type = exchange.response_header("Content-Type") or ""
        return list(output_file(minted.output, exchange.status, content_type, minted.expected_format, "a download"))

    def _missing(self, spec: Spec, operation: Operation, exchange: Exchange) -> list[Finding]:
        """A GET that found nothing, of a generation created by the same caller (another caller's 404 is right)."""
        asked = operation.parameters(exchange.path).get("generation_id")
        seen = self._seen.get(asked.lower()) if operation.method == "GET" and asked else None
        if seen is None or seen.created_at is None or seen.caller is None or seen.caller != exchange.caller:
            return []
        return list(not_found_after_created(spec, operation, asked or "", exchange.status))
