"""The proxy as an ASGI app: each request goes upstream as sent, the answer comes back as upstream gave it, and the
exchange goes through the checks (after the answer, or before it with ``errors``: then a response that broke a rule
is answered 502 naming the rule).

Bodies stream both ways in chunks; at most ``max_checked_bytes`` of each is kept for the checks (a larger body goes
through unread), so memory stays bounded whatever the size. Only hop-by-hop headers and ``Host`` (upstream's own,
unless ``preserve_host``) are not forwarded. The caller's ``Authorization`` goes upstream and nowhere else: the checks
see whether it was a well-formed bearer key and a keyed hash of it (the key is random and lives in this process
only), to tell whether two requests came from the same caller.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from luma_uni_checks.exchange import NO_BODY, Exchange, parse_json
from luma_uni_checks.findings import Finding
from luma_uni_checks.redact import redact
from luma_uni_mock.asgi_types import Message, Receive, Scope, Send

from .config import ProxyConfig
from .inspector import Inspector
from .upstream import Answer, Headers, TimedOutError, UnreachableError, Upstream, UpstreamError

# RFC 9110 §7.6.1: meaningful for one connection only, never forwarded; plus Host (upstream's own) and Expect (the
# ASGI server has already answered the client's 100-continue).
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"host",
        b"expect",
    }
)
CONNECT_TIMEOUT_SECONDS = 10.0


class ClientDisconnectedError(Exception):
    """The client went away before its request was sent in full: nothing to answer."""


class BodyCopy:
    """The first ``limit`` bytes of a body, kept for the checks; past the limit nothing is kept."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.chunks: list[bytes] = []
        self.size = 0
        self.complete = True  # False once the body outgrew the limit

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if not self.complete:
            return
        if self.size > self.limit:
            self.complete, self.chunks = False, []
        else:
            self.chunks.append(chunk)

    def data(self) -> bytes | None:
        return b"".join(self.chunks) if self.complete else None


def _decoded(body: bytes | None, encoding: str) -> bytes | None:
    """A kept response body as the checks must read it: gzip and deflate undone, other codings not readable."""
    if body is None or encoding in ("", "identity"):
        return body
    if encoding in ("gzip", "deflate"):
        try:
            return zlib.decompress(body, wbits=47)  # 47: gzip or zlib, by the header
        except zlib.error:
            return None
    return None


@dataclass(frozen=True)
class _Call:
    """One request on its way: what the client sent and, once it came, upstream's answer."""

    scope: Scope
    request_copy: BodyCopy
    answer: Answer | None  # None: upstream gave none
    response_copy: BodyCopy
    arrived: float  # when upstream's answer (or the failure) came, on the monotonic clock

    def start(self) -> Message:
        assert self.answer is not None, "only a call that got an answer is relayed"
        headers = [(name, value) for name, value in self.answer.headers if name.lower() not in HOP_BY_HOP]
        return {"type": "http.response.start", "status": self.answer.status, "headers": headers}


class ProxyApp:
    def __init__(self, config: ProxyConfig, inspector: Inspector) -> None:
        self.config = config
        self.inspector = inspector
        self._upstream: Upstream | None = None
        self._secret = os.urandom(32)  # for `caller` only; never leaves this process
        self._dropped = HOP_BY_HOP - {b"host"} if config.preserve_host else HOP_BY_HOP

    @property
    def upstream(self) -> Upstream:
        if self._upstream is None:  # made on the serving loop (its connections belong to it)
            timeout = self.config.timeout_seconds
            self._upstream = Upstream(self.config.origin, timeout, min(timeout, CONNECT_TIMEOUT_SECONDS))
        return self._upstream

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._forward(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._upstream is not None:
                    await self._upstream.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # --- one request ------------------------------------------------------------------------------------------

    async def _forward(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers: Headers = [(name, value) for name, value in scope["headers"] if name.lower() not in self._dropped]
        names = {name.lower() for name, _ in scope["headers"]}
        has_body = b"content-length" in names or b"transfer-encoding" in names
        request_copy = BodyCopy(self.config.max_checked_bytes)
        if not has_body:
            await _drain(receive)
        body = _stream(receive, request_copy) if has_body else None
        try:
            answer = await self.upstream.send(scope["method"], _target(scope), headers, body)
        except ClientDisconnectedError:
            self.inspector.note_unchecked("the client disconnected before its request was sent in full")
            return
        except TimedOutError as exc:
            await self._answer_failure(scope, request_copy, send, 504, f"{self.config.origin}: {exc}")
            return
        except UnreachableError as exc:
            await self._answer_failure(scope, request_copy, send, 502, f"{self.config.origin} unreachable: {exc}")
            return
        except UpstreamError as exc:
            await self._answer_failure(scope, request_copy, send, 502, f"{self.config.origin}: {exc}")
            return
        call = _Call(scope, request_copy, answer, BodyCopy(self.config.max_checked_bytes), time.monotonic())
        try:
            if self.config.errors:
                await self._relay_judged(call, answer, send)
            else:
                await self._relay(call, answer, send)
        finally:
            answer.close()

    async def _relay(self, call: _Call, answer: Answer, send: Send) -> None:
        await send(call.start())
        held = b""  # each piece goes on when the next comes, so the last goes with the end: one write, not two
        try:
            async for chunk in answer.chunks():
                call.response_copy.add(chunk)
                if held:
                    await send({"type": "http.response.body", "body": held, "more_body": True})
                held = chunk
        except UpstreamError as exc:
            # The client got the start of the answer: end it the way upstream did, by closing the connection.
            if held:
                await send({"type": "http.response.body", "body": held, "more_body": True})
            self.inspector.upstream_failed(self._exchange(call), _broke_off(call.response_copy, exc))
            return
        await send({"type": "http.response.body", "body": held, "more_body": False})
        self.inspector.inspect(self._exchange(call))

    async def _relay_judged(self, call: _Call, answer: Answer, send: Send) -> None:
        """``errors`` mode: read the answer first (streaming on, unjudged, if it outgrows the kept limit), judge it,
        then pass it on or answer 502 naming what broke."""
        chunks = answer.chunks()
        try:
            async for chunk in chunks:
                call.response_copy.add(chunk)
                if not call.response_copy.complete:
                    break
        except UpstreamError as exc:
            exchange = self._exchange(call)
            failure = self.inspector.upstream_failed(exchange, _broke_off(call.response_copy, exc))
            await _send_json(send, 502, _violation([failure]), exchange.request_id)
            return
        if not call.response_copy.complete:
            self.inspector.note_unchecked("response larger than the checked limit: passed on unjudged")
            await send(call.start())
            await send({"type": "http.response.body", "body": b"".join(call.response_copy.chunks), "more_body": True})
            async for chunk in chunks:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        exchange = self._exchange(call)
        found = self.inspector.inspect(exchange)
        if found:
            await _send_json(send, 502, _violation(found), exchange.request_id)
            return
        await send(call.start())
        await send({"type": "http.response.body", "body": b"".join(call.response_copy.chunks), "more_body": False})

    async def _answer_failure(self, scope: Scope, request_copy: BodyCopy, send: Send, status: int, detail: str) -> None:
        exchange = self._exchange(_Call(scope, request_copy, None, BodyCopy(0), time.monotonic()))
        self.inspector.upstream_failed(exchange, detail)
        await _send_json(send, status, {"detail": f"luma-uni-proxy: upstream {detail}"}, exchange.request_id)

    # --- what the checks see ------------------------------------------------------------------------------------

    def _exchange(self, call: _Call) -> Exchange:
        scope, answer = call.scope, call.answer
        request_headers: dict[str, str] = {}
        authorization = ""
        for name, value in scope["headers"]:
            key = name.decode("latin-1").lower()
            if key == "authorization":
                authorization = authorization or value.decode("latin-1")
            else:
                request_headers.setdefault(key, value.decode("latin-1"))
        response_headers: dict[str, str] = {}
        for name, value in answer.headers if answer is not None else ():
            response_headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
        kept = call.response_copy.data() if answer is not None else None
        body = _decoded(kept, response_headers.get("content-encoding", "").strip().lower())
        request_body = call.request_copy.data()
        scheme, _, token = authorization.partition(" ")
        return Exchange(
            method=scope["method"].upper(),
            path=self._spec_path(scope["path"]),
            status=answer.status if answer is not None else 0,
            request_headers=request_headers,
            response_headers=response_headers,
            request_json=parse_json(request_body),
            request_body_kept=request_body is not None,
            response_body=body,
            response_json=parse_json(body) if body is not None else NO_BODY,
            bearer=scheme == "Bearer" and bool(token) and " " not in token.strip(),
            caller=self._caller(authorization),
            at=call.arrived,
            target=_target(scope),
        )

    def _spec_path(self, path: str) -> str:
        base = self.config.base_path
        return path[len(base) :] or "/" if base and (path == base or path.startswith(base + "/")) else path

    def _caller(self, authorization: str) -> str | None:
        if not authorization:
            return None
        return hmac.new(self._secret, authorization.encode("latin-1", "replace"), hashlib.sha256).hexdigest()[:32]


def _target(scope: Scope) -> str:
    """The request's path and query exactly as the client sent them."""
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    query: bytes = scope.get("query_string", b"")
    return raw_path.decode("latin-1") + (f"?{query.decode('latin-1')}" if query else "")


async def _stream(receive: Receive, copy: BodyCopy) -> AsyncIterator[bytes]:
    """The client's body as it arrives, a copy kept for the checks."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnectedError
        chunk: bytes = message.get("body", b"")
        copy.add(chunk)
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return


async def _drain(receive: Receive) -> None:
    """Read a request without a declared body to its end (an ASGI server hands it over as one empty message)."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect" or not message.get("more_body", False):
            return


def _broke_off(copy: BodyCopy, exc: Exception) -> str:
    return f"upstream's body broke off after {copy.size} bytes ({exc})"


def _violation(found: list[Finding]) -> dict[str, Any]:
    first = found[0]
    return {
        "detail": f"luma-uni-proxy: the response broke a documented rule: {first.text} (openapi.yaml {first.where})",
        "findings": [{"rule": f.rule, "where": f.where, "detail": f.detail, "source": f.source} for f in found],
    }


async def _send_json(send: Send, status: int, payload: dict[str, Any], request_id: str | None) -> None:
    body = redact(json.dumps(payload)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if request_id:
        headers.append((b"x-request-id", request_id.encode("latin-1", "replace")))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
