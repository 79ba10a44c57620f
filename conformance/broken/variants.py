"""The broken variants: ASGI middlewares around the real mock, and patches of the generated client."""

from __future__ import annotations

import contextvars
import json
import os
import re
import uuid
from collections.abc import Callable
from types import ModuleType
from typing import Any, cast

from conformance.spec import enum_values
from luma_agents_client import models
from luma_uni import _generations, _inputs, _requests
from luma_uni_mock.app import MockApp
from luma_uni_mock.asgi_types import ASGIApp, Message, Receive, Scope, Send
from luma_uni_mock.rate_limits import RateLimiter
from luma_uni_mock.render import layers, outputs, videos
from luma_uni_mock.render.cards import Shape
from luma_uni_mock.signing import UrlSigner

ENV_VAR = "CONFORMANCE_BROKEN_VARIANT"

_ITEM = re.compile(r"(?:/v1)?/generations/[^/]+")
_COLLECTION = re.compile(r"(?:/v1)?/generations")

JsonEdit = Callable[[Any], Any]


def _is(scope: Scope, method: str, pattern: re.Pattern[str]) -> bool:
    return scope["type"] == "http" and scope["method"] == method and pattern.fullmatch(scope["path"]) is not None


class RewriteJsonResponse:
    """Rewrite the JSON body of the responses ``applies(scope, status)`` selects."""

    def __init__(self, app: ASGIApp, applies: Callable[[Scope, int], bool], edit: JsonEdit) -> None:
        self.app, self.applies, self.edit = app, applies, edit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffering_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                if not self.applies(scope, message["status"]):
                    await send(message)
                return
            if start is None or not self.applies(scope, start["status"]):
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = json.dumps(self.edit(json.loads(b"".join(chunks)))).encode()
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffering_send)


class ReplaceRequest:
    """Replace the headers and body of the requests ``applies(scope)`` selects before the app sees them."""

    def __init__(
        self,
        app: ASGIApp,
        applies: Callable[[Scope], bool],
        headers: Callable[[list[tuple[bytes, bytes]]], list[tuple[bytes, bytes]]],
        body: bytes | None = None,
    ) -> None:
        self.app, self.applies, self.headers, self.body = app, applies, headers, body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.applies(scope):
            await self.app(scope, receive, send)
            return
        scope = {**scope, "headers": self.headers(list(scope.get("headers", [])))}
        if self.body is None:
            await self.app(scope, receive, send)
            return
        while (await receive()).get("more_body", False):
            pass  # drain the original body
        await self.app(scope, _receive_once(self.body), send)


def _receive_once(body: bytes) -> Receive:
    """An ASGI ``receive`` that hands the app ``body`` in one message, then a disconnect."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _without(headers: list[tuple[bytes, bytes]], name: bytes) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in headers if k.lower() != name]


# --- Mock variants --------------------------------------------------------------------------------------------

FOREIGN_STATE = "cancelled"


def foreign_enum_value(app: ASGIApp) -> ASGIApp:
    """GET answers a ``state`` the spec's GenerationState does not list (only the stateful phase reaches it)."""
    assert FOREIGN_STATE not in enum_values("GenerationState")
    return RewriteJsonResponse(
        app,
        lambda scope, status: status == 200 and _is(scope, "GET", _ITEM),
        lambda body: body | {"state": FOREIGN_STATE},
    )


def accepts_invalid_body(app: ASGIApp) -> ASGIApp:
    """Every POST body is swapped for a valid one, so malformed and schema-violating bodies get 201."""
    return ReplaceRequest(
        app,
        lambda scope: _is(scope, "POST", _COLLECTION),
        lambda headers: [*_without(headers, b"content-type"), (b"content-type", b"application/json")],
        body=json.dumps({"prompt": "accepted whatever was sent"}).encode(),
    )


IGNORED_AUTH_KEY = b"Bearer luma-api-variant-ignoring-auth"


def ignores_auth(app: ASGIApp) -> ASGIApp:
    """Requests without a well-formed key are served as if they carried a valid one."""

    def authorise(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        given = dict(headers).get(b"authorization", b"")
        if given.startswith(b"Bearer luma-api-"):
            return headers
        return [*_without(headers, b"authorization"), (b"authorization", IGNORED_AUTH_KEY)]

    return ReplaceRequest(app, lambda scope: scope["type"] == "http", authorise)


def loses_created_generation(app: ASGIApp) -> ASGIApp:
    """POST answers 201 with an id the server never stored, so the created generation cannot be found."""
    return RewriteJsonResponse(
        app,
        lambda scope, status: status == 201 and _is(scope, "POST", _COLLECTION),
        lambda body: body | {"id": str(uuid.uuid4())},
    )


def rewords_errors(app: ASGIApp) -> ASGIApp:
    """Every 4xx keeps its status but words its detail differently from the documented strings."""
    return RewriteJsonResponse(
        app,
        lambda scope, status: 400 <= status < 500 and scope["path"].startswith(("/v1/", "/generations")),
        lambda body: body | {"detail": f"Error: {body.get('detail', '')}"},
    )


def failure_reason_while_queued(app: ASGIApp) -> ASGIApp:
    """A queued generation already carries a failure_reason (the spec's if/then invariant forbids it)."""
    return RewriteJsonResponse(
        app,
        lambda scope, status: status in (200, 201) and (_is(scope, "GET", _ITEM) or _is(scope, "POST", _COLLECTION)),
        lambda body: body | {"failure_reason": "Generation failed"} if body.get("state") == "queued" else body,
    )


HeaderEdit = Callable[[Any, list[tuple[bytes, bytes]]], list[tuple[bytes, bytes]]]


class EditJsonRequest:
    """Edit the JSON body of the requests ``applies(scope)`` selects before the app sees them (bodies that are not
    a JSON object pass unchanged), and with ``headers``, their headers as the parsed body decides."""

    def __init__(
        self, app: ASGIApp, applies: Callable[[Scope], bool], edit: JsonEdit, headers: HeaderEdit | None = None
    ) -> None:
        self.app, self.applies, self.edit, self.headers = app, applies, edit, headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.applies(scope):
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        raw = b"".join(chunks)
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
        body = json.dumps(self.edit(parsed)).encode() if isinstance(parsed, dict) else raw
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"content-length"]
        if self.headers is not None:
            headers = self.headers(parsed, headers)
        scope = {**scope, "headers": [*headers, (b"content-length", str(len(body)).encode())]}
        await self.app(scope, _receive_once(body), send)


def jpeg_by_default(app: ASGIApp) -> ASGIApp:
    """A request that leaves output_format out (or null) gets JPEG, where the spec's server default is PNG."""
    return EditJsonRequest(
        app,
        lambda scope: _is(scope, "POST", _COLLECTION),
        lambda body: body if body.get("output_format") else body | {"output_format": "jpeg"},
    )


class _NeverExpiringSigner:
    """The mock's signer, whose URLs never expire: the signature is still checked, the expiry is not."""

    def __init__(self, signer: UrlSigner) -> None:
        self.signer = signer

    def sign(self, origin: str, generation_id: str, name: str, now: float) -> str:
        return self.signer.sign(origin, generation_id, name, now)

    def verify(self, path: str, query: str, now: float) -> None:
        self.signer.verify(path, query, 0.0)  # as if it were always 1970: no URL is ever past its expiry


def urls_never_expire(app: ASGIApp) -> ASGIApp:
    """Presigned output URLs keep working after their hour."""
    assert isinstance(app, MockApp), "this variant replaces the mock's signer"
    app.state.signer = cast(UrlSigner, _NeverExpiringSigner(app.state.signer))
    return app


def reuses_output_urls(app: ASGIApp) -> ASGIApp:
    """Every GET answers the output URLs the first GET of the generation answered (a cache of presigned URLs), where
    the spec says each GET mints fresh ones."""
    first: dict[str, list[Any]] = {}

    def reuse(body: Any) -> Any:
        outputs = body.get("output") if isinstance(body, dict) else None
        if not outputs:
            return body
        urls = first.setdefault(str(body.get("id")), [output.get("url") for output in outputs])
        return body | {"output": [output | {"url": url} for output, url in zip(outputs, urls, strict=False)]}

    return RewriteJsonResponse(app, lambda scope, status: status == 200 and _is(scope, "GET", _ITEM), reuse)


# --- Realistic variants: each wrong in one case, as a real bug is ---------------------------------------------------


def failure_fields_early_when_doomed(app: ASGIApp) -> ASGIApp:
    """A generation that is going to fail already shows its failure_code and failure_reason while queued and
    processing (the server fills them from the job's planned result); one that will complete is right."""
    assert isinstance(app, MockApp), "this variant reads the mock's store"
    state = app.state

    def early(body: Any) -> Any:
        record = state.store.get_any(str(body.get("id"))) if isinstance(body, dict) else None
        if record is None or record.failure_code is None or body.get("state") in ("completed", "failed"):
            return body
        return body | {
            "failure_code": record.failure_code,
            "failure_reason": state.facts.failure_reasons[record.failure_code],
        }

    return RewriteJsonResponse(
        app,
        lambda scope, status: status in (200, 201) and (_is(scope, "GET", _ITEM) or _is(scope, "POST", _COLLECTION)),
        early,
    )


def sibling_key_cannot_see(app: ASGIApp) -> ASGIApp:
    """GET looks a generation up by the whole key, not its API client: another key of the creator's client gets 404
    (POSTs, and so limits and chaining, still go by the client)."""

    def whole_key(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        given = dict(headers).get(b"authorization", b"")
        return [*_without(headers, b"authorization"), (b"authorization", given.replace(b".", b"_"))]

    return ReplaceRequest(app, lambda scope: _is(scope, "GET", _ITEM), whole_key)


def chains_another_clients_generation(app: ASGIApp) -> ASGIApp:
    """A ``source.generation_id`` is looked up among every client's generations (the chain lookup forgets the owner):
    another client's completed generation can be edited. GET still hides it."""
    assert isinstance(app, MockApp), "this variant reads the mock's store"
    store = app.state.store

    def as_owner(body: Any, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        source = body.get("source") if isinstance(body, dict) else None
        chained = source.get("generation_id") if isinstance(source, dict) else None
        record = store.get_any(str(chained).lower()) if chained else None
        if record is None:
            return headers
        return [*_without(headers, b"authorization"), (b"authorization", f"Bearer {record.owner}".encode())]

    return EditJsonRequest(app, lambda scope: _is(scope, "POST", _COLLECTION), lambda body: body, as_owner)


_CALLER_KEY: contextvars.ContextVar[str] = contextvars.ContextVar("caller_key", default="")


class _PerKeyLimiter:
    """The mock's limiter, counting each key apart: it is handed the client, and uses the request's key instead."""

    def __init__(self, limiter: RateLimiter) -> None:
        self.limiter = limiter

    def __getattr__(self, name: str) -> Any:
        return getattr(self.limiter, name)

    def admit(self, client: str, now: float) -> None:
        self.limiter.admit(_CALLER_KEY.get() or client, now)

    def record(self, client: str, now: float, finishes_at: float) -> Any:
        return self.limiter.record(_CALLER_KEY.get() or client, now, finishes_at)


def limits_per_key(app: ASGIApp) -> ASGIApp:
    """The per-minute limit counts each key's requests apart, not its API client's: a client with two keys gets twice
    its limit. A client with one key is right."""
    assert isinstance(app, MockApp), "this variant replaces the mock's limiter"
    app.state.limiter = cast(RateLimiter, _PerKeyLimiter(app.state.limiter))

    async def remember_key(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            _CALLER_KEY.set(dict(scope.get("headers", [])).get(b"authorization", b"").decode("latin-1"))
        await app(scope, receive, send)

    return remember_key


def jpeg_for_image_edits(app: ASGIApp) -> ASGIApp:
    """An image_edit that leaves output_format out is served as JPEG (the default is applied per type, and wrongly
    for edits); every other type gets the spec's PNG."""
    return EditJsonRequest(
        app,
        lambda scope: _is(scope, "POST", _COLLECTION),
        lambda body: (
            body | {"output_format": "jpeg"}
            if body.get("type") == "image_edit" and not body.get("output_format")
            else body
        ),
    )


_PATCHED: set[tuple[str, str]] = set()


def _patch_once(module: ModuleType, name: str, replacement: object) -> None:
    """Replace ``module.name`` for the rest of the process, once: a variant wraps every mock its run makes, and a
    second patch would wrap the first (reversing the layers twice puts them right)."""
    if (module.__name__, name) not in _PATCHED:
        _PATCHED.add((module.__name__, name))
        setattr(module, name, replacement)


def ten_second_video_cut_short(app: ASGIApp) -> ASGIApp:
    """A ``10s`` video is planned from the duration's first digit: one second long (``5s`` is right)."""
    original = videos.seconds_of

    def first_digit(duration: str | None) -> int:
        seconds = original(duration)
        return int(str(seconds)[0])

    _patch_once(videos, "seconds_of", first_digit)
    return app


def portrait_videos_landscape(app: ASGIApp) -> ASGIApp:
    """A portrait video is encoded with its sides swapped (width and height mixed up in the video path only): a
    9:16 request gets a 16:9 clip; images, landscape and square videos are right."""
    original = outputs.video_file

    def swapped(shape: Shape, duration: Any) -> Any:
        if shape.height > shape.width:
            shape = shape._replace(width=shape.height, height=shape.width)
        return original(shape, duration)

    _patch_once(outputs, "video_file", swapped)
    return app


def layers_back_to_front(app: ASGIApp) -> ASGIApp:
    """The layer files are rendered back to front (file i shows the last-but-i layer) while ``output[].layer`` lists
    them front to back: the first file is the opaque background."""
    original = layers.render

    def reversed_render(card: Any, shape: Any, long_side: int, index: int) -> bytes:
        return original(card, shape, long_side, len(layers.LAYERS) - 1 - index)

    _patch_once(layers, "render", reversed_render)
    return app


class _EarlyExpiringSigner(_NeverExpiringSigner):
    """The mock's signer, whose URLs expire after half their documented lifetime."""

    def __init__(self, signer: UrlSigner, lifetime: float) -> None:
        super().__init__(signer)
        self.lifetime = lifetime

    def verify(self, path: str, query: str, now: float) -> None:
        self.signer.verify(path, query, now + self.lifetime / 2)


def urls_expire_early(app: ASGIApp) -> ASGIApp:
    """Presigned output URLs stop working after half their documented lifetime: right at once, wrong only once the
    clock has moved most of an hour."""
    assert isinstance(app, MockApp), "this variant replaces the mock's signer"
    lifetime = app.state.facts.url_lifetime_seconds
    app.state.signer = cast(UrlSigner, _EarlyExpiringSigner(app.state.signer, lifetime))
    return app


MOCK_VARIANTS: dict[str, Callable[[ASGIApp], ASGIApp]] = {
    "failure-reason-while-queued": failure_reason_while_queued,
    "jpeg-by-default": jpeg_by_default,
    "urls-never-expire": urls_never_expire,
    "reuses-output-urls": reuses_output_urls,
    "foreign-enum-value": foreign_enum_value,
    "accepts-invalid-body": accepts_invalid_body,
    "ignores-auth": ignores_auth,
    "loses-created-generation": loses_created_generation,
    "rewords-errors": rewords_errors,
    "failure-fields-early-when-doomed": failure_fields_early_when_doomed,
    "sibling-key-cannot-see": sibling_key_cannot_see,
    "chains-another-clients-generation": chains_another_clients_generation,
    "jpeg-for-image-edits": jpeg_for_image_edits,
    "ten-second-video-cut-short": ten_second_video_cut_short,
    "layers-back-to-front": layers_back_to_front,
    "urls-expire-early": urls_expire_early,
    "limits-per-key": limits_per_key,
    "portrait-videos-landscape": portrait_videos_landscape,
}


# --- Client variants ------------------------------------------------------------------------------------------


def drops_nulls() -> None:
    """The generated Generation.to_dict leaves out null fields (an `exclude_none` slip)."""
    original = models.Generation.to_dict

    def to_dict(self: models.Generation) -> dict[str, Any]:
        return {key: value for key, value in original(self).items() if value is not None}

    models.Generation.to_dict = to_dict  # type: ignore[method-assign]


def get_drops_extra_query() -> None:
    """``get`` forgets its ``extra_query`` (the GET's options are rebuilt without it); ``create`` keeps its own."""
    original = _requests.build_http_request

    def build(http: Any, config: Any, call: _requests.ApiCall) -> Any:
        if call.method == "GET" and call.options.extra_query:
            call = call._replace(options=call.options._replace(extra_query=None))
        return original(http, config, call)

    _generations.build_http_request = build  # type: ignore[attr-defined]  # where Generations calls it


def extra_headers_stick() -> None:
    """A call's ``extra_headers`` are merged into headers the client shares, so they go on every later request too
    (the call itself is right)."""
    original = _requests.build_http_request
    stuck: dict[str, str] = {}

    def build(http: Any, config: Any, call: _requests.ApiCall) -> Any:
        request = original(http, config, call)
        for name, value in stuck.items():
            if name not in (call.options.extra_headers or {}):
                request.headers[name] = value
        stuck.update(call.options.extra_headers or {})
        return request

    _generations.build_http_request = build  # type: ignore[attr-defined]  # where Generations calls it


def chains_a_generation_by_url() -> None:
    """A completed Generation passed as an input goes as its first output's presigned URL (which expires within
    the hour) instead of its ``generation_id``; a Generation without outputs is still chained by id."""
    original = _inputs.image

    def image(value: Any, path: str) -> models.ImageRef:
        if isinstance(value, models.Generation) and value.output:
            return models.ImageRef(url=value.output[0].url)
        return original(value, path)

    _inputs.image = image


CLIENT_VARIANTS: dict[str, Callable[[], None]] = {
    "client-drops-nulls": drops_nulls,
    "client-get-drops-extra-query": get_drops_extra_query,
    "client-extra-headers-stick": extra_headers_stick,
    "client-chains-a-generation-by-url": chains_a_generation_by_url,
}


def active_variant() -> str | None:
    """The variant named by CONFORMANCE_BROKEN_VARIANT (None when unset); an unknown name is an error."""
    name = os.environ.get(ENV_VAR, "").strip() or None
    if name is not None and name not in MOCK_VARIANTS and name not in CLIENT_VARIANTS:
        known = ", ".join(sorted([*MOCK_VARIANTS, *CLIENT_VARIANTS]))
        raise ValueError(f"{ENV_VAR}={name!r} is not a variant; known: {known}")
    return name


def activate_client_variant() -> str | None:
    """Apply the client variant named by CONFORMANCE_BROKEN_VARIANT, if any (for the whole process)."""
    name = active_variant()
    if name in CLIENT_VARIANTS:
        CLIENT_VARIANTS[name]()
        return name
    return None
