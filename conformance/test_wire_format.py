"""Part 2, on the wire: what every response of the server carries whatever it answers, and how it reads a body.

- every response (success or error, of either endpoint, and of a route or method it does not serve) carries the
  spec's `X-Request-Id` and `X-API-Version`, a JSON `Content-Type` and a `Content-Length` that frames its body, and an
  error's body is the spec's `Error`, even when its detail quotes a huge value;
- an `X-Request-Id` of the form the spec echoes comes back unchanged, and any other (or none) is replaced by a freshly
  minted UUID;
- headers an ASGI server gives as two-item lists are read as those given as tuples;
- a body is refused with 413 (its detail naming the limit) by its declared length before it is read, or once what
  arrives passes the limit, and one that fits is read whole however it is split; a body that can carry one image of
  the spec's maximal size is never refused for its size;
- a refusal that rests only on a choice of the spec names that choice (`X-Mock-Choice`, the mock's own header);
- a server that has served many generations still takes new ones and keeps the newest visible; and the output URLs
  it signs name the scheme and host the client used, or the server itself when the `Host` header is garbled.

Each case is a handful of requests to an in-process mock of its own (its limits set by the case, its clock standing
still), or to the session's socket mock where the socket is the point. Against a live server they skip: they need the
mock's configuration and clock.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from conformance import http_clients
from conformance.asgi import request_in_process
from conformance.options import Options
from conformance.report import PARTS, STATS
from conformance.targets import mock_app
from conformance.wait_budget import settles_within_seconds
from luma_uni_checks.spec import Spec
from luma_uni_mock.config import REPO_SPEC_PATH
from luma_uni_mock.serve import RunningMock, new_api_key
from luma_uni_mock.spec_facts import load_spec_facts

JSON = dict[str, Any]
PART = PARTS["test_wire_format"]
SPEC = Spec.load(REPO_SPEC_PATH)
FACTS = load_spec_facts(REPO_SPEC_PATH)
VALID = {"prompt": "a lighthouse at dusk"}
SECURITY_SCHEMES: JSON = SPEC.raw["components"]["securitySchemes"]


@pytest.fixture(autouse=True)
def _mock_only(options: Options) -> None:
    if options.live:
        pytest.skip("live mode: these set the mock's limits and move its clock")


def _key_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {new_api_key()}"}


def _counted(ok: bool) -> None:
    STATS.case(PART)
    STATS.check("wire_format", ok)


def _judge(response: httpx.Response, status: int) -> JSON:
    """``status``, with the headers every response carries, framed; an error's body is the spec's Error."""
    problems = []
    if response.status_code != status:
        problems.append(f"status {response.status_code}, not {status}")
    if response.headers.get("x-api-version") != FACTS.api_version:
        problems.append(f"X-API-Version {response.headers.get('x-api-version')!r}, not {FACTS.api_version!r}")
    if not response.headers.get("x-request-id"):
        problems.append("no X-Request-Id")
    if response.headers.get("content-type", "").partition(";")[0] != "application/json":
        problems.append(f"Content-Type {response.headers.get('content-type')!r}")
    if response.headers.get("content-length") != str(len(response.content)):
        problems.append(f"Content-Length {response.headers.get('content-length')!r} for {len(response.content)} bytes")
    body: JSON = response.json()
    if status >= 400 and not (isinstance(body, dict) and isinstance(body.get("detail"), str) and body["detail"]):
        problems.append(f"not an Error body: {response.text[:200]}")
    _counted(not problems)
    assert not problems, f"{response.request.method} {response.request.url.path}: {'; '.join(problems)}"
    return body


# --- Every response's headers, and the request id --------------------------------------------------------------


def _each_kind_of_response(app: Any) -> Iterator[tuple[httpx.Response, int]]:
    key = _key_headers()
    created = request_in_process(app, "POST", "/v1/generations", json=VALID, headers=key)
    yield created, 201
    yield request_in_process(app, "GET", f"/v1/generations/{created.json()['id']}", headers=key), 200
    yield request_in_process(app, "GET", f"/v1/generations/{uuid.uuid4()}", headers=key), 404
    yield request_in_process(app, "POST", "/v1/generations", content=b"{", headers=key | _json_type()), 400
    yield request_in_process(app, "POST", "/v1/generations", json=VALID), 401
    yield request_in_process(app, "POST", "/v1/generations", content=b"prompt", headers=key), 415
    yield request_in_process(app, "DELETE", "/v1/generations", headers=key), 405
    yield request_in_process(app, "GET", "/v1/no-such-route", headers=key), 404


def _json_type() -> dict[str, str]:
    return {"Content-Type": "application/json"}


def test_every_response_carries_the_documented_headers() -> None:
    _, app = mock_app()
    for response, status in _each_kind_of_response(app):
        _judge(response, status)


def test_a_detail_quoting_a_huge_value_is_still_an_error_body() -> None:
    _, app = mock_app()
    huge = {**VALID, "type": "x" * 5000}
    _judge(request_in_process(app, "POST", "/v1/generations", json=huge, headers=_key_headers()), 400)


def _minted(response: httpx.Response, sent: str | None) -> str:
    echoed = str(response.headers.get("x-request-id", ""))
    try:
        uuid.UUID(echoed)
    except ValueError:
        _counted(False)
        raise AssertionError(f"sent X-Request-Id {sent!r}: got {echoed!r}, not a minted UUID") from None
    _counted(echoed != sent)
    assert echoed != sent, f"X-Request-Id {sent!r} is not of the echoed form, yet it came back"
    return echoed


# A fixed unknown id: a test's id must be the same at every collection (mutmut selects tests by id).
UNKNOWN_ID = "0b7f6d2e-3c1a-4e5b-9d8f-7a6c5b4e3d21"


@pytest.mark.parametrize("path", ["/v1/generations", f"/v1/generations/{UNKNOWN_ID}"], ids=["POST", "GET"])
def test_the_request_id_is_echoed_or_minted(path: str) -> None:
    """RequestId's ``x-echoed-pattern``: an id of that form comes back unchanged; any other, or none, is replaced by
    a UUID minted for that response alone."""
    _, app = mock_app()
    method = "POST" if path.endswith("generations") else "GET"

    def answer(sent: str | None) -> httpx.Response:
        headers = _key_headers() | ({"X-Request-Id": sent} if sent is not None else {})
        return request_in_process(app, method, path, json=VALID if method == "POST" else None, headers=headers)

    for echoable in ("trace-0042", "!~" * 100):
        assert re.fullmatch(SPEC.echoed_request_id, echoable), echoable
        echoed = answer(echoable).headers.get("x-request-id")
        _counted(echoed == echoable)
        assert echoed == echoable, f"X-Request-Id {echoable!r} came back as {echoed!r}"
    minted = {_minted(answer(sent), sent) for sent in (None, None, "a" * 201, "two words", "tab\there")}
    _counted(len(minted) == 5)
    assert len(minted) == 5, f"minted X-Request-Ids repeat: {sorted(minted)}"


def _asgi_call(app: Any, scope: JSON, body: bytes) -> tuple[int, dict[bytes, bytes], JSON]:
    """``app`` called as an ASGI server calls it, with ``scope`` as given: the status, headers and JSON body sent."""
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[JSON] = []

    async def receive() -> JSON:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: JSON) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {bytes(k).lower(): bytes(v) for k, v in start["headers"]}, json.loads(content)


def test_headers_given_as_lists_are_read_alike() -> None:
    """ASGI lets a server give each header as a two-item list instead of a tuple: the mock reads them alike (the key,
    the content type, an echoed X-Request-Id)."""
    _, app = mock_app()
    headers = [[name.lower().encode(), value.encode()] for name, value in (_key_headers() | _json_type()).items()]
    headers.append([b"x-request-id", b"trace-0042"])
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/generations",
        "raw_path": b"/v1/generations",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    status, sent, body = _asgi_call(app, scope, json.dumps(VALID).encode())
    ok = status == 201 and sent.get(b"x-request-id") == b"trace-0042" and body.get("state") == "queued"
    _counted(ok)
    assert ok, f"{status} {sent.get(b'x-request-id')!r} {body}"


# --- The body: its limit, and a body in parts --------------------------------------------------------------------

LIMIT = 4096  # the body limit of the mock these cases configure (bytes)


async def _in_parts(body: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def _post(app: Any, **request: Any) -> httpx.Response:
    headers = _key_headers() | _json_type() | request.pop("headers", {})
    return request_in_process(app, "POST", "/v1/generations", headers=headers, **request)


def test_a_body_past_the_limit_is_refused_413() -> None:
    control, app = mock_app(max_body_bytes=LIMIT)
    assert control.config.max_body_bytes == LIMIT
    # Declared too long: refused by its Content-Length (the two bytes sent would be a 400 if read).
    refusals = [_judge(_post(app, content=b"{}", headers={"Content-Length": str(LIMIT + 1)}), 413)]
    # Sent in parts of no declared length: refused once the parts pass the limit, whichever part does.
    padded = b'{"prompt": "' + b"p" * LIMIT + b'"}'
    refusals.append(_judge(_post(app, content=_in_parts(padded, LIMIT // 4)), 413))
    refusals.append(_judge(_post(app, content=_in_parts(padded, LIMIT * 2)), 413))
    assert control.generation_count() == 0
    # The detail names the limit (the mock's wording: the spec says only "too large"), so a client can size its body.
    assert all(f" {LIMIT}-byte " in body["detail"] for body in refusals), refusals


def test_a_body_in_parts_is_read_whole() -> None:
    """A body split in parts is taken whole (its first part alone is no JSON), and its size is the sum of its parts."""
    control, app = mock_app(max_body_bytes=LIMIT)
    key = _key_headers()
    body = b'{"prompt": "' + b"p" * (LIMIT // 2) + b'"}'
    created = _judge(_post(app, content=_in_parts(body, 100), headers=key), 201)
    _judge(request_in_process(app, "GET", f"/v1/generations/{created['id']}", headers=key), 200)
    _judge(_post(app, content=_in_parts(b'{"prompt": "' + b"p" * LIMIT + b'"}', 100)), 413)
    assert control.generation_count() == 1


def test_a_body_that_can_carry_a_maximal_image_is_read() -> None:
    """ImageRef's x-max-decoded-bytes: an image of that size is taken, so a body that carries it in base64 (with a
    little JSON around it) is not refused for its declared size; one declared a terabyte long is (413)."""
    _, app = mock_app()
    base64_length = 4 * -(-FACTS.max_image_bytes // 3)
    declared = str(base64_length + 1000)
    # The declared length is read first; what is then sent (not JSON) shows the body was read rather than refused.
    _judge(_post(app, content=b"not json", headers={"Content-Length": declared}), 400)
    _judge(_post(app, content=b"{}", headers={"Content-Length": str(2**40)}), 413)


# --- A refusal resting on a choice of the spec says so --------------------------------------------------------------


def test_a_refusal_resting_on_a_choice_names_it() -> None:
    """The security scheme's ``x-one-token`` is sourced as a choice (x-source), so the mock's 401 for a key with a
    space inside says so, naming the fact as ``<scheme>.x-one-token``."""
    chosen = [
        name
        for name, scheme in SECURITY_SCHEMES.items()
        if scheme.get("x-one-token") and "choice" in scheme.get("x-source", {}).get("x-one-token", {})
    ]
    assert chosen, "no security scheme whose x-one-token is a choice: this case has nothing to check"
    _, app = mock_app()
    refused = _post(app, json=VALID, headers={"Authorization": f"Bearer {new_api_key()} more"})
    _judge(refused, 401)
    named = refused.headers.get("x-mock-choice")
    _counted(named == f"{chosen[0]}.x-one-token")
    assert named == f"{chosen[0]}.x-one-token", f"X-Mock-Choice {named!r}"


# --- A server that has served many generations, and output URLs under a garbled Host -------------------------------


def test_a_full_store_still_takes_new_generations() -> None:
    """With room for two, a third and a fourth generation are still created once the first have finished, and the
    newest stay visible; while all it holds still run, a new one is refused 429."""
    control, app = mock_app(max_generations=2, time_scale=0)
    key = _key_headers()
    first, second = (_judge(_post(app, json=VALID, headers=key), 201) for _ in range(2))
    _judge(_post(app, json=VALID, headers=key), 429)
    control.advance(settles_within_seconds())
    newest = [_judge(_post(app, json=VALID, headers=key), 201) for _ in range(2)]
    for generation in newest:
        _judge(request_in_process(app, "GET", f"/v1/generations/{generation['id']}", headers=key), 200)
    assert {first["id"], second["id"]}.isdisjoint(g["id"] for g in newest)


def test_output_urls_name_the_address_the_client_used() -> None:
    """A client reaches the server by the scheme and Host it used (a port mapping, a TLS front): the output URLs
    name that address, so that the client can fetch them."""
    control, app = mock_app(time_scale=0)
    key = _key_headers()
    created = _judge(_post(app, json=VALID, headers=key), 201)
    control.advance(settles_within_seconds())
    address = "https://mock.example:8443"
    fetched = _judge(request_in_process(app, "GET", f"{address}/v1/generations/{created['id']}", headers=key), 200)
    urls = [output["url"] for output in fetched.get("output") or []]
    assert urls, f"a completed generation with no output: {fetched}"
    for url in urls:
        _counted(url.startswith(f"{address}/"))
        assert url.startswith(f"{address}/"), f"{url} does not name {address}, the address the client used"


def _http10_get(port: int, path: str, headers: dict[str, str]) -> bytes:
    """The body of an HTTP/1.0 GET sent without a Host header, over a raw socket (the server closes when done)."""
    head = f"GET {path} HTTP/1.0\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(head.encode("latin-1"))
        answer = b"".join(iter(lambda: connection.recv(65536), b""))
    status_line, _, rest = answer.partition(b"\r\n")
    assert b" 200 " in status_line, f"GET {path} without Host: {status_line!r}"
    return rest.partition(b"\r\n\r\n")[2]


def test_output_urls_point_back_under_a_garbled_host(luma_mock: RunningMock) -> None:
    """The output URLs are absolute: under a Host header that is no host, they name the server that answered."""
    headers = {"Authorization": f"Bearer {luma_mock.api_key}"}
    with http_clients.client(base_url=luma_mock.base_url, headers=headers, timeout=30) as client:
        created = client.post("/generations", json=VALID)
        _judge(created, 201)
        luma_mock.control.advance(settles_within_seconds())
        path = f"/generations/{created.json()['id']}"
        fetched = _judge(client.get(path, headers={"Host": "no host/at all"}), 200)
        urls = [output["url"] for output in fetched.get("output") or []]
        assert urls, f"a completed generation with no output: {fetched}"
        for url in urls:
            served = http_clients.request("GET", url)
            _counted(served.status_code == 200)
            assert served.status_code == 200, f"{url}: {served.status_code}"
        # An HTTP/1.0 request may carry no Host at all (httpx always sends one): the server names itself.
        port = httpx.URL(luma_mock.base_url).port
        assert port is not None
        without_host = json.loads(_http10_get(port, f"{httpx.URL(luma_mock.base_url).path}{path}", headers))
        for output in without_host.get("output") or []:
            _counted(output["url"].startswith(f"http://127.0.0.1:{port}/"))
            assert output["url"].startswith(f"http://127.0.0.1:{port}/"), f"no Host: {output['url']}"
        # Another name of the same server (the client's, not the socket's) is the one the URLs carry.
        named = _judge(client.get(path, headers={"Host": f"localhost:{port}"}), 200)
        for output in named.get("output") or []:
            _counted(output["url"].startswith(f"http://localhost:{port}/"))
            assert output["url"].startswith(f"http://localhost:{port}/"), f"{output['url']}: not the Host sent"
