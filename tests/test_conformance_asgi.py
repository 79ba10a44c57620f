"""The suite's in-thread session hands an app exactly what schemathesis' own ASGI transport hands it."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis import Case

from conformance.asgi import call_kwargs
from luma_uni_mock.asgi_types import Message, Receive, Scope, Send

SEEN_BY_THE_APP = ("type", "http_version", "method", "path", "raw_path", "root_path", "scheme", "query_string")


class EchoApp:
    """Answers with what it was given: the scope, the body, and the thread it ran on."""

    def __init__(self) -> None:
        self.threads: list[int] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        self.threads.append(threading.get_ident())
        message: Message = await receive()
        if scope["path"].endswith("/slow"):
            await asyncio.sleep(5)
        echoed = {key: _text(scope[key]) for key in SEEN_BY_THE_APP}
        echoed |= {
            "headers": [[_text(k), _text(v)] for k, v in scope["headers"]],
            "client": list(scope["client"]),
            "server": list(scope["server"]),
            "body": _text(message.get("body", b"")),
            "more_body": message.get("more_body", False),
        }
        body = json.dumps(echoed).encode()
        headers = [(b"content-type", b"application/json"), (b"x-caf\xe9", b"\xe9t\xe9"), (b"set-cookie", b"a=1")]
        await send({"type": "http.response.start", "status": 418, "headers": headers})
        await send({"type": "http.response.body", "body": body[:10], "more_body": True})
        await send({"type": "http.response.body", "body": body[10:]})


def _text(value: Any) -> Any:
    return value.decode("latin-1") if isinstance(value, bytes) else value


SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "echo", "version": "1"},
    "paths": {
        "/things/{name}": {
            "post": {
                "parameters": [
                    {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {"name": "X-Tag", "in": "header", "schema": {"type": "string"}},
                ],
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"418": {"description": "echo"}},
            }
        }
    },
}


@pytest.fixture
def operation() -> Any:
    schema = schemathesis.openapi.from_dict(SPEC)
    schema.app = EchoApp()
    return schema["/things/{name}"]["POST"]


CASES = [
    {"path_parameters": {"name": "plain"}, "body": {"a": 1}},
    {"path_parameters": {"name": "with space/and%slash"}, "query": {"q": "x y&z=é"}, "body": {"ü": "ß"}},
    {"path_parameters": {"name": "h"}, "headers": {"X-Tag": "caf\xe9", "Host": "elsewhere:8080"}, "body": {}},
]


@pytest.mark.parametrize("fields", CASES, ids=["plain", "escapes", "headers"])
def test_the_app_sees_and_answers_the_same_as_through_schemathesis_own_transport(
    operation: Any, fields: dict[str, Any]
) -> None:
    case: Case[Any] = operation.Case(**fields)
    theirs = case.call()
    ours = case.call(**call_kwargs(case))
    assert ours.status_code == theirs.status_code == 418
    assert ours.headers == theirs.headers
    assert json.loads(ours.content) == json.loads(theirs.content)
    assert ours.request.headers == theirs.request.headers


def test_the_app_runs_in_the_calling_thread(operation: Any) -> None:
    case: Case[Any] = operation.Case(path_parameters={"name": "t"}, body={})
    case.call(**call_kwargs(case))
    assert operation.app.threads == [threading.get_ident()]


def test_a_read_timeout_is_raised_as_requests_raises_it(operation: Any) -> None:
    case: Case[Any] = operation.Case(path_parameters={"name": "slow"}, body={})
    with pytest.raises(requests.exceptions.ReadTimeout):
        case.call(timeout=0.05, **call_kwargs(case))


def test_a_server_on_a_socket_gets_no_session() -> None:
    schema = schemathesis.openapi.from_dict(SPEC)
    case = schema["/things/{name}"]["POST"].Case(path_parameters={"name": "n"}, body={})
    assert call_kwargs(case) == {}
