"""No input of any kind gets a 5xx or a non-JSON answer: random bytes, random JSON, random headers, paths, methods."""

from __future__ import annotations

import string
import urllib.parse
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.spec import load_spec, schema
from luma_uni_mock.serve import RunningMock
from tests.mock.helpers import GENERATION_KEYS, data_ref

DOCUMENTED = {200, 201, 400, 401, 402, 403, 404, 405, 413, 415, 422, 429}
# No deadline and no too_slow check: how fast examples are made and run depends on how busy the machine is.
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Headers that would break HTTP framing on the client side rather than test the server.
FRAMING = {"host", "content-length", "transfer-encoding", "connection", "upgrade", "expect", "te", "trailer"}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
field_names = st.sampled_from(sorted(schema("CreateGenerationRequest")["properties"]))
image_ref_values = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "url": st.one_of(st.none(), st.text(max_size=20), st.just("https://img.example/a.png")),
            "data": st.one_of(st.none(), st.text(max_size=20), st.just(data_ref()["data"])),
            "media_type": st.one_of(st.none(), st.sampled_from(["image/png", "text/html", ""])),
        },
    ),
)
# Bodies shaped like requests (known field names, random values), so the rules and media checks are reached too.
request_like = st.dictionaries(field_names, json_values, max_size=6).flatmap(
    lambda base: st.fixed_dictionaries(
        {"prompt": st.one_of(st.text(max_size=40), json_values)},
        optional={
            "type": st.sampled_from(["image", "image_edit", "video", None]),
            "source": image_ref_values,
            "image_ref": st.lists(image_ref_values, max_size=10),
            "style": st.sampled_from(["auto", "manga", ""]),
            "aspect_ratio": st.sampled_from(["16:9", "2:3", "4:3", None]),
        },
    ).map(lambda extra: {**base, **extra})
)
header_names = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,20}", fullmatch=True).filter(
    lambda name: name.lower() not in FRAMING and not name.lower().startswith("x-mock-")
)
header_values = st.text(alphabet=string.ascii_letters + string.digits + string.punctuation + " ", max_size=40).map(
    str.strip
)


def _check(response: httpx.Response) -> None:
    assert response.status_code in DOCUMENTED, (response.status_code, response.text)
    assert response.headers["x-api-version"] == load_spec()["info"]["version"]
    assert response.headers["x-request-id"]
    if response.request.method == "HEAD":
        return
    body = response.json()
    if response.request.url.path.startswith("/_mock/") and response.status_code == 200:
        return  # a control route (GET /_mock/clock, POST /_mock/reset, ...): not part of the API
    if response.status_code in {200, 201}:
        assert set(body) == GENERATION_KEYS
    else:
        assert isinstance(body["detail"], str) and body["detail"]


@SETTINGS
@given(body=st.binary(max_size=300), content_type=st.sampled_from(["application/json", "text/plain", None]))
def test_random_bytes(api: httpx.Client, body: bytes, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    _check(api.post("/generations", content=body, headers=headers))


@SETTINGS
@given(body=json_values)
def test_random_json(api: httpx.Client, body: Any) -> None:
    _check(api.post("/generations", json=body))


@SETTINGS
@given(body=request_like)
def test_random_request_shaped_json(api: httpx.Client, body: dict[str, Any]) -> None:
    _check(api.post("/generations", json=body))


@SETTINGS
@given(headers=st.dictionaries(header_names, header_values, max_size=8), post=st.booleans())
def test_random_headers(raw: httpx.Client, headers: dict[str, str], post: bool) -> None:
    if post:
        _check(raw.post("/v1/generations", content=b'{"prompt": "x"}', headers=headers))
    else:
        _check(raw.get("/v1/generations/d290f1ee-6c54-4b01-90e6-d701748f0851", headers=headers))


@SETTINGS
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
    path=st.text(max_size=40),
)
def test_random_paths_and_methods(luma_mock_frozen: RunningMock, raw: httpx.Client, method: str, path: str) -> None:
    url = "/" + urllib.parse.quote(path.lstrip("/"), safe="/")
    response = raw.request(method, url, headers={"Authorization": f"Bearer {luma_mock_frozen.api_key}"})
    if response.status_code == 403 and response.request.url.path.startswith("/_mock/files/"):
        return  # an unsigned file URL
    _check(response)
