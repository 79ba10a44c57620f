"""The broken variants: ASGI middlewares around the real mock, and patches of the generated client."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Callable
from typing import Any, cast

from conformance.spec import enum_values
from luma_agents_client import models
from luma_uni_mock.app import MockApp
from luma_uni_mock.asgi_types import ASGIApp, Message, Receive, Scope, Send
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


class EditJsonRequest:
    """Edit the JSON body of the requests ``applies(scope)`` selects before the app sees them (bodies that are not
    a JSON object pass unchanged)."""

    def __init__(self, app: ASGIApp, applies: Callable[[Scope], bool], edit: JsonEdit) -> None:
        self.app, self.applies, self.edit = app, applies, edit

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
}


# --- Client variants ------------------------------------------------------------------------------------------


def drops_nulls() -> None:
    """The generated Generation.to_dict leaves out null fields (an `exclude_none` slip)."""
    original = models.Generation.to_dict

    def to_dict(self: models.Generation) -> dict[str, Any]:
        return {key: value for key, value in original(self).items() if value is not None}

    models.Generation.to_dict = to_dict  # type: ignore[method-assign]


CLIENT_VARIANTS: dict[str, Callable[[], None]] = {"client-drops-nulls": drops_nulls}


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
