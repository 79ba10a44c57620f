"""The ASGI app: routing, the request pipeline of each API endpoint, and the shield that turns any bug into a 5xx
(the ``/_mock/`` control routes are control.py's).

POST /v1/generations checks, in order: fault injection, auth (401/403), Content-Type (415), body size (413),
JSON syntax (400), the schema (400), the failure switch (400), the cross-field rules (400) and input media
(413/422) unless ``schema_only``, the balance (402), the rate limits (429), then creates the generation (201).
Every response carries ``X-Request-Id`` and ``X-API-Version``. ``permissive`` mode (see config.py) loosens auth, the
schema and unknown ids. A refusal of auth, the schema, the rules or the media checks that rests only on a choice of
the spec (the lenient view of the spec would take the request) says so with ``X-Mock-Choice``; ``lenient_choices``
mode checks the request against that lenient view instead.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from . import auth, failure_switch, lifecycle, media, planning, rules, validation
from .asgi_types import Receive, Scope, Send
from .config import MockConfig
from .control import ControlApi, MockControl
from .faults import FAULT_HEADERS, drop_connection, from_headers
from .http_errors import (
    GENERATION_NOT_FOUND,
    INTERNAL_ERROR,
    INTERNAL_ERROR_STATUS,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    UNSUPPORTED_MEDIA_TYPE,
    HttpError,
)
from .http_io import (
    JSON_CONTENT_TYPE,
    ClientDisconnectedError,
    Handler,
    MockResponse,
    Request,
    error_response,
    json_bytes,
    new_id,
    response_start,
)
from .planning import plan_files
from .rate_limits import too_many_concurrent_jobs
from .render import outputs
from .render.cards import Card
from .render.outputs import PlannedFile
from .signing import FILE_PATH
from .spec_facts import SpecFacts
from .state import MockState
from .store import GenerationRecord, StoreFullError

logger = logging.getLogger("luma_uni_mock")  # one logger for the package, as uvicorn names its own

JSON_TYPE = "application/json"
# Stand-ins for the id and created_at of the queued template (_queued_body_template): random, so that no example,
# type or model a client sends can hold one; plain hex, which either JSON encoder writes as it is.
_ID_SLOT = uuid.uuid4().hex
_CREATED_AT_SLOT = uuid.uuid4().hex
# The record a 201 template is encoded from: only its id, created_at text, type and model reach the queued body.
_TEMPLATE_RECORD = GenerationRecord(_ID_SLOT, "", 0.0, _CREATED_AT_SLOT, 0.0, "", "", "", (), None)  # pragma: no mutate
BIG_BODY_BYTES = 1024 * 1024  # bodies past this are validated in a worker thread, off the event loop


@dataclass(frozen=True, slots=True)
class Route:
    pattern: re.Pattern[str]
    methods: dict[str, Handler]
    faults_apply: bool  # fault injection is for the API and the files, not for the control routes

    @property
    def allow(self) -> str:
        return ", ".join(self.methods)


class MockApp:
    """The mock as an ASGI 3 application; ``control`` steers it."""

    def __init__(self, config: MockConfig) -> None:
        self.state = MockState.build(config)
        self.control = MockControl(self.state)
        self._api_version = self.state.facts.api_version.encode()
        lenient = self.state.facts.lenient  # None when the mock already checks leniently
        self._one_token = self.state.facts.one_token
        self._one_token_choice = self._one_token and lenient is not None and not lenient.one_token
        api = "(?:/v1)?/generations"
        self._routes = [
            Route(re.compile(api), {"POST": self._create}, True),
            Route(re.compile(api + "/([^/]+)"), {"GET": self._get}, True),
            Route(FILE_PATH, {"GET": self._file}, True),
            *(Route(pattern, methods, False) for pattern, methods in ControlApi(self.control).routes()),
        ]
        # The paths a route's pattern matches whole, routed by one dict lookup instead of regexes (the POST's): each
        # with its route and the match that route's pattern makes of it (a Match is read-only: one serves all).
        self._fixed_paths: dict[str, tuple[Route, re.Match[str]]] = {}
        for path in ("/v1/generations", "/generations"):  # the collection, with and without the version prefix
            match = self._routes[0].pattern.fullmatch(path)
            assert match is not None  # pragma: no mutate
            self._fixed_paths[path] = (self._routes[0], match)
        # A client sends the same Authorization header every time: who it is is worked out once (bounded; a refusal
        # raises, so it is never kept). Wrapped, not decorated, so that mutation testing still mutates _caller.
        self._caller_of = functools.lru_cache(maxsize=256)(self._caller)
        # The 201's body differs between generations of one type and model only by id and created_at (bounded:
        # keyed on the two values, strings by the schema, whatever else the body holds).
        self._queued_template = functools.lru_cache(maxsize=64)(self._queued_body_template)
        # Most POSTs make an image from a prompt, whose files rest on three of its options alone: planned once per
        # (type, aspect_ratio, output_format), by plan_files itself (bounded; keyed on the values, strings or null by
        # the schema, whatever else the body holds).
        facts = self.state.facts
        self._types_planned_from_options = planning.types_planned_from_options(facts)
        self._plan_of_options = functools.lru_cache(maxsize=256)(functools.partial(planning.plan_from_options, facts))
        # The fields the rules and the media checks read: a body with none of them (most) cannot break either.
        rule_fields = self.state.body_rules.reads
        self._media_or_rule_fields = None if rule_fields is None else rule_fields | rules.REF_FIELDS

    # ASGI entry point and the shield ---------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # HTTP served here, not in a coroutine of its own: one call fewer on every request.
        if scope["type"] != "http":
            await _not_http(scope, receive, send)
            return
        request = Request(scope, receive)  # reads the scope only: cannot fail on any client input
        try:
            # Routed here, not in a coroutine of its own: one call fewer on every request.
            match: re.Match[str] | None
            fixed = self._fixed_paths.get(request.path)
            if fixed is not None:
                route, match = fixed
            else:
                for route in self._routes:
                    match = route.pattern.fullmatch(request.path)
                    if match is not None:
                        break
                else:
                    raise HttpError(404, NOT_FOUND)
            handler = route.methods.get(request.method)
            if handler is None:
                raise HttpError(405, METHOD_NOT_ALLOWED, [("Allow", route.allow)])
            # Nearly every request asks for no fault and finds none queued: two tests in C instead of two calls.
            if route.faults_apply and (self.state.faults.queued or not FAULT_HEADERS.isdisjoint(request.headers)):
                response = await self._with_fault(request, send, handler, match)
            else:
                response = await handler(request, match)
        except HttpError as error:
            response = error_response(error)
        except ClientDisconnectedError:
            return
        except Exception:  # a bug: log it, answer a documented 5xx, never a 500 or a traceback to the client
            logger.exception("internal error while handling %s %s", request.method, request.path)  # pragma: no mutate
            response = error_response(HttpError(INTERNAL_ERROR_STATUS, INTERNAL_ERROR))
        if response is not None:
            await send(response_start(request.request_id, self._api_version, response))
            await send({"type": "http.response.body", "body": response.body, "more_body": False})  # pragma: no mutate

    async def _with_fault(
        self, request: Request, send: Send, handler: Handler, match: re.Match[str]
    ) -> MockResponse | None:
        """The handler's response, or the fault the request's X-Mock-* headers or the fault queue ask for instead
        (None: the connection was dropped)."""
        fault = from_headers(request.headers) or self.state.faults.take(request.method, request.path)
        if fault is not None:
            if fault.delay_ms:
                await _sleep_at_least(fault.delay_ms / 1000)
            if fault.drop:
                await drop_connection(request.receive, send, self.state.max_body_bytes)
                return None
            error = fault.error()
            if error is not None:
                raise error
        return await handler(request, match)

    # The API ---------------------------------------------------------------------------------------------------

    def _caller(self, authorization: str | None) -> tuple[str, bool]:
        """The caller's API client and whether its key can pay, or the 401/403 its Authorization header earns."""
        key = auth.authenticate(
            authorization,
            permissive=self.state.config.permissive,
            one_token=self._one_token,
            one_token_choice=self._one_token_choice,
        )
        return auth.client_of(key), auth.can_pay(key)

    async def _create(self, request: Request, _: re.Match[str]) -> MockResponse:
        state = self.state
        headers = request.headers
        client, can_pay = self._caller_of(headers.get("authorization"))
        content_type = headers.get("content-type", "")  # pragma: no mutate
        if content_type != JSON_TYPE and content_type.partition(";")[0].strip().lower() != JSON_TYPE:
            raise HttpError(415, UNSUPPORTED_MEDIA_TYPE)
        raw = await request.read_body(state.max_body_bytes)
        failure_header = headers.get(failure_switch.FAILURE_HEADER)
        if len(raw) > BIG_BODY_BYTES:  # pragma: no mutate
            body, failure_code, source = await asyncio.to_thread(self._check_body, raw, failure_header, client)
        else:
            body, failure_code, source = self._check_body(raw, failure_header, client)
        if not can_pay:
            raise HttpError(402, auth.INSUFFICIENT_CREDITS)
        return self._created(client, body, failure_code, source)

    def _created(
        self, client: str, body: dict[str, Any], failure_code: str | None, source: bytes | None
    ) -> MockResponse:
        """The 201 of a new generation of a checked body, or the 429 the rate limits or a full store answer. Apart
        from `_create`, which awaits the body: a coroutine's frame lives in its object, and with these locals too it
        passed the 512 bytes Python's small-object allocator serves (malloc and free on every POST instead)."""
        state = self.state
        facts = state.facts
        generation_type = body.get("type", facts.default_type)
        model = body.get("model", facts.default_model)
        source_ref = body.get("source")
        chained_id = source_ref.get("generation_id") if source_ref else None
        with state.lock:
            now = state.clock.now()
            limiter = state.limiter
            if limiter.limits:  # off unless configured
                limiter.admit(client, now)
            try:
                state.store.make_room(now)
            except StoreFullError:
                raise too_many_concurrent_jobs() from None
            generation_id = new_id()
            chained = self._chained_files(chained_id, client) if chained_id is not None else None
            created_at_text = _created_at_text(int(now))
            record = GenerationRecord(  # positional: a call with keywords costs more
                generation_id,
                client,
                now,
                created_at_text,
                now + state.timing.total_seconds,  # when it finishes (every job lasts as long)
                model,
                generation_type,
                body.get("prompt") or "",  # pragma: no mutate
                self._plan_of_options(generation_type, body.get("aspect_ratio"), body.get("output_format"))
                if generation_type in self._types_planned_from_options
                else plan_files(facts, body, source, chained),
                failure_code,
            )
            state.store.add(record)
            rate_headers = limiter.record(client, now, record.finishes_at) if limiter.limits else ()
        # POST always answers `queued`, even with a zero queue time: the body is its (type, model)'s queued template
        # with the id and created_at filled in.
        before_id, before_created_at, rest = self._queued_template(generation_type, model)
        body_bytes = b"".join((before_id, generation_id.encode(), before_created_at, created_at_text.encode(), rest))
        return MockResponse(201, body_bytes, JSON_CONTENT_TYPE, rate_headers)

    def _queued_body_template(self, generation_type: str, model: str) -> tuple[bytes, bytes, bytes]:
        """The 201 body of a generation of this type and model, encoded once (by the GET's own `_generation`) and
        cut where its id and created_at go: what precedes the id, what lies between the two, and the rest. Both are
        plain ASCII (new_id, strftime), so either JSON encoder writes them as they are."""
        record = dataclasses.replace(_TEMPLATE_RECORD, model=model, type=generation_type)
        encoded = json_bytes(self._generation(record, lifecycle.QUEUED, []))
        before_id, _, after_id = encoded.partition(_ID_SLOT.encode())  # pragma: no mutate
        before_created_at, _, rest = after_id.partition(_CREATED_AT_SLOT.encode())
        return before_id, before_created_at, rest

    def _check_body(
        self, raw: bytes, failure_header: str | None, client: str, facts: SpecFacts | None = None
    ) -> tuple[dict[str, Any], str | None, bytes | None]:
        """Parse and check a POST body against ``facts`` (the spec's, unless given); the body, the failure asked for,
        and the decoded source image if any. A refusal the lenient view of the spec would not make rests only on a
        choice, and says so (the lenient view is checked by calling this again: one function, one call a POST)."""
        config = self.state.config
        try:
            checked_facts = facts or self.state.facts
            # The lenient view (the one ``facts`` given) is checked for its verdict only: its wording is never sent.
            body = validation.checked_body(checked_facts, raw, config.permissive, worded=facts is None)
            prompt = body["prompt"]
            failure_code = None
            if failure_header is not None or failure_switch.MARKER_START in prompt:  # else no failure is asked for
                failure_code = failure_switch.requested_failure(checked_facts, failure_header, prompt)
            source = None
            fields = self._media_or_rule_fields
            if not (config.schema_only or config.permissive) and (fields is None or not fields.isdisjoint(body)):
                lookup = lambda generation_id: self._prior(generation_id, client)  # noqa: E731
                rules.check(checked_facts, self.state.body_rules, body, lookup)
                source = media.check(checked_facts, body)
        except HttpError as refused:
            lenient = self.state.facts.lenient
            if facts is not None or lenient is None:
                raise
            try:
                self._check_body(raw, failure_header, client, lenient)
            except HttpError:
                raise refused from None
            raise refused.resting_on_a_choice() from None
        return body, failure_code, source

    def _prior(self, generation_id: str, client: str) -> rules.Prior | None:
        """The client's generation ``generation_id`` as the chain rules see it (None: unknown or another's)."""
        state = self.state
        with state.lock:
            record = state.store.get(generation_id, client)
            now = state.clock.now()
        if record is None:
            return None
        current = state.timing.state(record.created_at, record.failure_code, now)
        return rules.Prior(state=current, output=state.facts.of_type(record.type).output)

    def _chained_files(self, generation_id: object, client: str) -> tuple[PlannedFile, ...] | None:
        """The files of the generation a ``source.generation_id`` names, when the client has it (call under the
        lock); permissive mode lets any client's through."""
        if not isinstance(generation_id, str):
            return None
        store = self.state.store
        permissive = self.state.config.permissive  # pragma: no mutate
        key = generation_id.lower()
        record = store.get_any(key) if permissive else store.get(key, client)  # pragma: no mutate
        return record.files if record is not None else None

    async def _get(self, request: Request, match: re.Match[str]) -> MockResponse:
        state = self.state
        permissive = state.config.permissive
        client, _ = self._caller_of(request.headers.get("authorization"))
        generation_id = match.group(1)
        with state.lock:
            store = state.store
            record = store.get_any(generation_id.lower()) if permissive else store.get(generation_id.lower(), client)
        # No check of the id against the parameter's schema (a UUID): an ill-formed id is answered exactly as an
        # unknown one (404 "Generation not found"), and permissive mode answers any id.
        if record is not None:
            now = state.clock.now()
            current = state.timing.state(record.created_at, record.failure_code, now)
            output = self._output(record, request, now) if current == lifecycle.COMPLETED else []
            return MockResponse(200, json_bytes(self._generation(record, current, output)))
        if permissive:  # an id the suite never created (a placeholder): a generation shaped like the spec's examples
            example = {**_completed_example(state.facts), "id": generation_id}  # pragma: no mutate
            return MockResponse(200, json_bytes(example))  # pragma: no mutate
        raise HttpError(404, GENERATION_NOT_FOUND)

    def _output(self, record: GenerationRecord, request: Request, now: float) -> list[dict[str, object]]:
        """A completed generation's ``output``: its files, each with a freshly signed URL."""
        origin = request.origin()
        sign = self.state.signer.sign
        output = []  # a loop, not a comprehension: one call fewer a GET (a comprehension is a function)
        for file in record.files:
            output.append(outputs.output_entry(file, sign(origin, record.id, file.name, now)))
        return output

    def _generation(self, record: GenerationRecord, state: str, output: list[dict[str, object]]) -> dict[str, Any]:
        """The Generation body: all 8 keys, nulls and ``[]`` included; any other property the spec gives an example
        is answered with it."""
        failed = state == lifecycle.FAILED
        facts = self.state.facts
        return {
            **facts.generation_field_examples,
            "id": record.id,
            "type": record.type,
            "state": state,
            "model": record.model,
            "created_at": record.created_at_text,
            "output": output,
            "failure_reason": facts.failure_reasons[record.failure_code] if failed and record.failure_code else None,
            "failure_code": record.failure_code if failed else None,
        }

    async def _file(self, request: Request, match: re.Match[str]) -> MockResponse:
        state = self.state
        now = state.clock.now()
        state.signer.verify(request.path, request.query, now)
        generation_id, name = match.group(1), match.group(2)
        with state.lock:
            record = state.store.get_any(generation_id)
        if record is None or state.timing.state(record.created_at, record.failure_code, now) != lifecycle.COMPLETED:
            raise HttpError(404, NOT_FOUND)
        file = next((file for file in record.files if file.name == name), None)
        if file is None:  # pragma: no mutate
            raise HttpError(404, NOT_FOUND)  # pragma: no mutate
        # A video takes a tenth of a second or more to encode the first time: off the event loop.
        card = Card(record.id, record.type, record.model, record.prompt)
        if file.kind == "video":  # pragma: no mutate
            content_type, body = await asyncio.to_thread(outputs.render, file, card)
        else:
            content_type, body = outputs.render(file, card)
        return MockResponse(200, body, content_type.encode())


def _rfc3339(unix_seconds: int) -> str:
    """``2026-12-06T09:30:05Z``. Formatting a time costs ~10k instructions, a tenth of a POST, and the clock of a fast
    mock (make bench runs it 1000x) moves on a second every request: the minute is formatted once, the seconds
    appended (Unix time has no leap seconds, so a minute is always 60 of them)."""
    minute, second = divmod(unix_seconds, 60)
    return f"{_minute_cached(minute)}{second:02d}Z"


def _minute(unix_minutes: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:", time.gmtime(unix_minutes * 60))


# Wrapped, not decorated: mutation testing skips decorated functions.
_minute_cached = functools.lru_cache(maxsize=4)(_minute)
# Every POST formats its created_at, and a second holds many of them (at make bench's 1000x clock, a real
# millisecond): the whole text is kept per second, found without a Python call.
_created_at_text = functools.lru_cache(maxsize=4)(_rfc3339)


def _completed_example(facts: SpecFacts) -> dict[str, Any]:  # pragma: no mutate block
    """The spec's completed example generation (else its first): what permissive mode answers for unknown ids."""
    examples = facts.generation_examples
    return next((e for e in examples if e.get("state") == lifecycle.COMPLETED), examples[0])


async def _not_http(scope: Scope, receive: Receive, send: Send) -> None:  # pragma: no mutate block
    kind = scope["type"]
    if kind == "lifespan":
        await _lifespan(receive, send)
    elif kind == "websocket":  # not served: refuse the handshake instead of hanging
        await send({"type": "websocket.close", "code": 1008})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def create_app(config: MockConfig | None = None) -> MockApp:
    """The mock as an ASGI app (``app.control`` steers it). Raises `ContractError` if openapi.yaml is unusable."""
    return MockApp(config or MockConfig())


async def _sleep_at_least(seconds: float) -> None:
    """Wait ``seconds`` or a little more, never less: uvloop's timers tick in whole milliseconds and can fire up to
    one early, and a delay fault promises its full latency."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        await asyncio.sleep(left)
