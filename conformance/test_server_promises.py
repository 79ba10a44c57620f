"""Part 2, on purpose: the promises of the spec beyond one response's schema, each reached by a request made for it
rather than left to random bodies: the failure switch watched while queued and processing, two API clients and two
keys of one client, and every type's served files decoded and held against the generation and its request.

These need the mock's test controls (its failure switch, its clock, keys of any client), so they run against a mock
of their own whose clock stands still (it moves only when a test moves it: no state depends on how fast the machine
runs), wrapped in the active broken variant if there is one. Against a live server they skip.
The rules are luma_uni_checks' (also what the validating proxy judges with); this module makes the requests.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from conformance import http_clients
from conformance.media_samples import IMAGE_FORMATS, VIDEO_CONTAINERS, image_bytes, video_bytes
from conformance.options import Options
from conformance.report import PARTS, STATS
from conformance.served_files import decode, expected_for
from conformance.sources import short, source_at
from conformance.spec import load_spec
from conformance.targets import UNREACHED_LIMIT, mock_app
from conformance.wait_budget import settles_within_seconds
from luma_uni_checks import clients, files, rules
from luma_uni_checks.exchange import Exchange, parse_json
from luma_uni_checks.findings import Finding, raise_first
from luma_uni_checks.spec import Spec
from luma_uni_mock.config import REPO_SPEC_PATH
from luma_uni_mock.control import MockControl
from luma_uni_mock.failure_switch import FAILURE_HEADER
from luma_uni_mock.http_errors import CHOICE_HEADER
from luma_uni_mock.rate_limits import SWEEP_EVERY
from luma_uni_mock.serve import new_api_key, serve_app
from luma_uni_mock.spec_facts import load_spec_facts

JSON = dict[str, Any]
PART = PARTS["test_server_promises"]
SPEC = Spec.load(REPO_SPEC_PATH)
FACTS = load_spec_facts(REPO_SPEC_PATH)
SPEC_DOCUMENT = load_spec()
IMAGE_REF = "components.schemas.ImageRef"
GET_ONE = SPEC.operation("GET", "/generations/{generation_id}")
CREATE = SPEC.operation("POST", "/generations")
PROMPT = "a lighthouse at dusk"


@dataclass(frozen=True)
class Frozen:
    """A mock whose clock moves only by ``advance``, over HTTP."""

    base_url: str
    control: MockControl

    def client(self, key: str) -> httpx.Client:
        return http_clients.client(base_url=self.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30)

    def settle(self) -> None:
        self.control.advance(settles_within_seconds())


@pytest.fixture(scope="module")
def frozen(options: Options) -> Iterator[Frozen]:
    if options.live:
        pytest.skip("live mode: these need the mock's failure switch, clock and keys of any client")
    # Limits on but out of reach: every 201 carries X-RateLimit-* to compare, none is refused.
    control, app = mock_app(time_scale=0, rpm=UNREACHED_LIMIT, max_concurrent=UNREACHED_LIMIT)
    with serve_app(app) as port:
        yield Frozen(f"http://127.0.0.1:{port}/v1", control)


def _exchange(response: httpx.Response, path: str) -> Exchange:
    return Exchange(
        method=response.request.method,
        path=path,
        status=response.status_code,
        request_headers={},
        response_headers={name.lower(): value for name, value in response.headers.items()},
        response_body=response.content,
        response_json=parse_json(response.content),
        bearer=True,
    )


def _judged(*findings: Finding) -> None:
    STATS.case(PART)
    try:
        raise_first(*findings)
    except AssertionError:
        STATS.check("server_promises", False)
        raise
    STATS.check("server_promises", True)


def _created(client: httpx.Client, body: JSON, headers: dict[str, str] | None = None) -> JSON:
    response = client.post("/generations", json=body, headers=headers or {})
    assert response.status_code == 201, f"{body}: {response.status_code} {response.text}"
    assert CREATE is not None
    _judged(*rules.body_matches_schema(SPEC, CREATE, _exchange(response, "/generations")))
    generation: JSON = response.json()
    return generation


def _get(client: httpx.Client, generation_id: str) -> httpx.Response:
    return client.get(f"/generations/{generation_id}")


def _fetched(client: httpx.Client, generation_id: str) -> JSON:
    """GET the generation: found, and its body judged by the schema with its if/then invariants."""
    response = _get(client, generation_id)
    assert response.status_code == 200, f"GET {generation_id}: {response.status_code} {response.text}"
    assert GET_ONE is not None
    _judged(*rules.body_matches_schema(SPEC, GET_ONE, _exchange(response, f"/generations/{generation_id}")))
    generation: JSON = response.json()
    return generation


# --- The failure switch, watched at every state --------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(FACTS.failure_reasons))
def test_failure_fields_appear_only_once_failed(frozen: Frozen, code: str) -> None:
    """A generation that is going to fail carries no failure_code or failure_reason while queued and processing
    (Generation's if/then invariant), then fails with the code asked for. Only a doomed generation shows the bug
    of filling them early, so the switch is thrown on purpose and the generation GET at every state."""
    timing = frozen.control.config
    with frozen.client(new_api_key()) as client:
        created = _created(client, {"prompt": PROMPT}, headers={FAILURE_HEADER: code})
        states = [_fetched(client, created["id"])["state"]]
        frozen.control.advance(timing.queued_seconds)
        states.append(_fetched(client, created["id"])["state"])
        frozen.control.advance(timing.processing_seconds)
        last = _fetched(client, created["id"])
    assert states == SPEC.state_order[:2], f"the switch's generation went through {states}, not queued, processing"
    assert (last["state"], last["failure_code"]) == ("failed", code), last


# --- Two API clients, and two keys of one -------------------------------------------------------------------------


def _sibling(key: str, name: str) -> str:
    """Another key of ``key``'s API client (the mock: the text before the first ``.`` names the client)."""
    return f"{key}.{name}"


def test_a_generation_is_its_clients_not_its_keys(frozen: Frozen) -> None:
    """A sibling key of the creator's client GETs the generation and chains it by generation_id; another client's
    key gets 404 for it and the 400 of an unknown id when chaining it."""
    key = new_api_key()
    with frozen.client(key) as owner, frozen.client(_sibling(key, "laptop")) as sibling:
        created = _created(owner, {"prompt": PROMPT})
        frozen.settle()
        with frozen.client(new_api_key()) as stranger:
            _judged(
                *clients.sibling_sees(_get(sibling, created["id"]).status_code, "the sibling key's GET"),
                *clients.other_client_does_not_see(_get(stranger, created["id"]).status_code, "another client's GET"),
            )
            edit = {"prompt": PROMPT, "type": "image_edit", "source": {"generation_id": created["id"]}}
            unknown = stranger.post("/generations", json=edit | {"source": {"generation_id": str(uuid.uuid4())}})
            foreign = stranger.post("/generations", json=edit)
            _judged(
                *clients.sibling_chains(sibling.post("/generations", json=edit).status_code, "the sibling's edit"),
                *clients.other_client_cannot_chain(
                    foreign.status_code,
                    parse_json(foreign.content),
                    parse_json(unknown.content),
                    "another client's edit of it",
                ),
            )


def test_a_start_or_end_frame_extends_a_prior_video(frozen: Frozen) -> None:
    """``video.start_frame`` and ``video.end_frame`` by ``generation_id`` extend a completed video of the caller's:
    taken when it names a video, refused as generation_wrong_kind (its x-rules detail) when it names an image."""
    rule = FACTS.rule("generation_wrong_kind")
    with frozen.client(new_api_key()) as client:
        video = _created(client, {"prompt": PROMPT, "type": "video", "model": VIDEO_MODEL})
        image = _created(client, {"prompt": PROMPT})
        frozen.settle()
        for frame in ("start_frame", "end_frame"):
            extension = {"prompt": PROMPT, "type": "video", "model": VIDEO_MODEL}
            _created(client, extension | {"video": {frame: {"generation_id": video["id"]}}})
            refused = client.post("/generations", json=extension | {"video": {frame: {"generation_id": image["id"]}}})
            detail = rule.detail.format(path=f"video.{frame}", id=image["id"], kind="video")
            STATS.case(PART)
            ok = (refused.status_code, parse_json(refused.content)) == (rule.status, {"detail": detail})
            STATS.check("server_promises", ok)
            assert ok, f"video.{frame} naming an image: {refused.status_code} {refused.text}, not {detail!r}"


def _remaining(response: httpx.Response) -> int:
    assert response.status_code == 201, response.text
    return int(response.headers["X-RateLimit-Remaining"])


def test_the_rate_limit_is_the_clients(frozen: Frozen) -> None:
    """Three POSTs in one minute (the clock stands still): a key's, its sibling's, another client's first."""
    key = new_api_key()
    with (
        frozen.client(key) as first,
        frozen.client(_sibling(key, "ci")) as sibling,
        frozen.client(new_api_key()) as other,
    ):
        body = {"prompt": PROMPT}
        remaining = tuple(_remaining(c.post("/generations", json=body)) for c in (first, sibling, other))
    _judged(*clients.limits_shared((remaining[0], remaining[1], remaining[2]), "one window"))


def _post_as(app: Any, keys: list[str]) -> list[tuple[int, dict[str, str]]]:
    """One POST per key straight to the ASGI app (no HTTP client: thousands of them must stay cheap); the status and
    headers of each answer."""
    body = json.dumps({"prompt": PROMPT}).encode()
    answers: list[tuple[int, dict[str, str]]] = []

    async def post(key: str) -> None:
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        headers = [(b"authorization", f"Bearer {key}".encode()), (b"content-type", b"application/json")]
        scope = {
            "type": "http",
            "method": "POST",
            "scheme": "http",
            "server": ("mock.in-process", 80),
            "root_path": "",
            "path": "/v1/generations",
            "query_string": b"",
            "headers": headers,
        }
        await app(scope, receive, send)
        start = sent[0]
        answers.append((start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}))

    async def post_all() -> None:
        for key in keys:
            await post(key)

    asyncio.run(post_all())
    return answers


def test_a_clients_limits_outlive_any_number_of_other_clients() -> None:
    """A client that spent its per-minute budget, and one at its concurrent-jobs limit, stay refused, however many
    other clients create generations meanwhile: enough of them that the mock's housekeeping (it forgets idle keys
    every SWEEP_EVERY creations) runs once in between. Limits: 2 a minute, 1 job at a time; the clock stands still
    but for one step past the first job's end."""
    control, app = mock_app(
        time_scale=0, rpm=2, max_concurrent=1, queued_seconds=0, processing_seconds=1, max_generations=2 * SWEEP_EVERY
    )
    spender, runner = new_api_key(), new_api_key()
    first = _post_as(app, [spender])
    control.advance(2)  # the spender's job is over, its minute is not
    others = [new_api_key() for _ in range(SWEEP_EVERY)]
    answers = first + _post_as(app, [spender, runner, *others])
    assert all(status == 201 for status, _ in answers), "a POST within the client's limits was refused"
    [(spent, spent_headers), (busy, busy_headers)] = _post_as(app, [spender, runner])
    STATS.case(PART)
    refused = (spent, spent_headers.get("x-ratelimit-remaining"), busy) == (429, "0", 429)
    STATS.check("server_promises", refused)
    assert refused, (
        f"within the minute, the spender's third POST (limit 2) answered {spent} {spent_headers}; "
        f"with its job running, the runner's second (1 job at a time) answered {busy} {busy_headers}"
    )
    assert "x-ratelimit-remaining" not in busy_headers, f"the runner was refused for its minute: {busy_headers}"


# --- Every type's served files, decoded ---------------------------------------------------------------------------


def _png(width: int, height: int) -> JSON:
    """An ImageRef carrying a PNG of that shape as data (the output of the types that keep it must have it)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(buffer, "PNG")
    return {"data": base64.b64encode(buffer.getvalue()).decode(), "media_type": "image/png"}


VIDEO_MODEL = next(model for model, types in FACTS.model_types.items() if "video" in types)


@dataclass(frozen=True)
class Request:
    label: str
    body: JSON
    source_ratio: tuple[int, int] | None = None
    chain_video: str | None = None  # a video duration: chain off a video created with it


def _requests() -> list[Request]:
    """A request per type and per value of what shapes a file (each output_format, each duration), plus a source
    of a shape no ratio default would give."""
    found = [
        Request(f"image {fmt} 16:9", {"prompt": PROMPT, "aspect_ratio": "16:9", "output_format": fmt})
        for fmt in FACTS.output_formats
    ]
    found.append(Request("image default format 9:16", {"prompt": PROMPT, "aspect_ratio": "9:16"}))
    found.append(
        Request(
            "image_edit of a 3:2 source", {"prompt": PROMPT, "type": "image_edit", "source": _png(300, 200)}, (3, 2)
        )
    )
    found += [
        Request(
            f"video {duration}",
            {
                "prompt": PROMPT,
                "type": "video",
                "model": VIDEO_MODEL,
                "aspect_ratio": "9:16",
                "video": {"duration": duration},
            },
        )
        for duration in FACTS.video_durations
    ]
    found.append(
        Request(
            "video_edit of a 10s video",
            {"prompt": PROMPT, "type": "video_edit", "model": VIDEO_MODEL},
            chain_video=FACTS.video_durations[-1],
        )
    )
    found.append(
        Request(
            "video_reframe of a 10s video to 9:16",
            {"prompt": PROMPT, "type": "video_reframe", "model": VIDEO_MODEL, "aspect_ratio": "9:16"},
            chain_video=FACTS.video_durations[-1],
        )
    )
    found.append(
        Request("layering of a 2:3 source", {"prompt": "", "type": "layering", "source": _png(200, 300)}, (2, 3))
    )
    return found


REQUESTS = _requests()


@pytest.mark.parametrize("request_", REQUESTS, ids=[r.label for r in REQUESTS])
def test_served_files_are_what_the_generation_promised(frozen: Frozen, request_: Request) -> None:
    """Each output file decoded: an image's format and ratio, a video's container, duration and frame ratio, each
    layer's PNG mode, size, order and transparency as its ``layer`` says."""
    body, source_ratio, source_seconds = dict(request_.body), request_.source_ratio, None
    with frozen.client(new_api_key()) as client:
        if request_.chain_video is not None:
            video = {"prompt": PROMPT, "type": "video", "model": VIDEO_MODEL, "aspect_ratio": "16:9"}
            source = _created(client, video | {"video": {"duration": request_.chain_video}})
            frozen.settle()
            body["source"] = {"generation_id": source["id"]}
            source_ratio, source_seconds = (16, 9), float(request_.chain_video.removesuffix("s"))
        generation = _created(client, body)
        frozen.settle()
        outputs = _fetched(client, generation["id"])["output"]
        served = []
        for output in outputs:
            answer = http_clients.request("GET", output["url"], timeout=30)
            assert answer.status_code == 200, f"{output['url']}: {answer.status_code}"
            served.append(decode(answer.headers.get("content-type", ""), answer.content))
    expected = expected_for(FACTS, body, source_ratio, source_seconds)
    findings = [
        f
        for out, file in zip(outputs, served, strict=True)
        for f in files.check_file(out, file, expected, request_.label)
    ]
    if FACTS.of_type(str(body.get("type", FACTS.default_type))).output == "layers":
        findings += files.check_layers(outputs, served, request_.label)
    _judged(*findings)


def _layer_sizes(frozen: Frozen, layering: JSON | None) -> set[tuple[int, int]]:
    """The decoded sizes of the layers of a split of one 2:3 source, ``layering`` sent as given (None: left out)."""
    body = {"prompt": "", "type": "layering", "source": _png(200, 300)}
    with frozen.client(new_api_key()) as client:
        generation = _created(client, body if layering is None else body | {"layering": layering})
        frozen.settle()
        outputs = _fetched(client, generation["id"])["output"]
    answers = [http_clients.request("GET", output["url"], timeout=30) for output in outputs]
    served = [decode(answer.headers.get("content-type", ""), answer.content) for answer in answers]
    return {(file.width, file.height) for file in served}


def test_layers_come_at_the_resolution_asked_for(frozen: Frozen) -> None:
    """``layering.resolution`` is every layer's output resolution (LayeringResolution: a higher tier is larger), and
    left out it is its x-server-default."""
    by_tier = {tier: _layer_sizes(frozen, {"resolution": tier}) for tier in FACTS.layering_resolutions}
    tiers = sorted(by_tier, key=lambda tier: int(tier.lower().removesuffix("k")))
    long_sides = [max(max(size) for size in by_tier[tier]) for tier in tiers]
    left_out = _layer_sizes(frozen, None)
    STATS.case(PART)
    ok = long_sides == sorted(set(long_sides)) and left_out == by_tier[FACTS.default_layering_resolution]
    STATS.check("server_promises", ok)
    assert ok, f"layer sizes by resolution {by_tier}, left out {left_out} (default {FACTS.default_layering_resolution})"


# --- Every media type the spec accepts, taken as data ---------------------------------------------------------------


def _image_data(media_type: str) -> JSON:
    return {"data": base64.b64encode(image_bytes(media_type)).decode(), "media_type": media_type}


def _video_data(media_type: str) -> JSON:
    return {"data": base64.b64encode(video_bytes(media_type)).decode(), "media_type": media_type}


def _media_cases() -> list[tuple[str, JSON]]:
    """A request per accepted media type (ImageRef's x-accepted-media-types and x-accepted-video-media-types), its
    file sent as data where the spec takes one: an image edit's source, a video edit's source."""
    images = [(t, {"prompt": PROMPT, "type": "image_edit", "source": t}) for t in sorted(FACTS.media_types)]
    videos = [
        (t, {"prompt": PROMPT, "type": "video_edit", "model": VIDEO_MODEL, "source": t})
        for t in sorted(FACTS.video_media_types)
    ]
    return images + videos


@pytest.mark.parametrize(("media_type", "body"), _media_cases(), ids=[t for t, _ in _media_cases()])
def test_every_accepted_media_type_is_taken(frozen: Frozen, media_type: str, body: JSON) -> None:
    """A source in each media type the spec lists as accepted is taken (201), not refused as the wrong kind."""
    known = IMAGE_FORMATS.keys() | VIDEO_CONTAINERS.keys()
    assert media_type in known, f"the spec accepts {media_type}: teach this test to make one"
    source = _video_data(media_type) if media_type.startswith("video/") else _image_data(media_type)
    with frozen.client(new_api_key()) as client:
        _created(client, body | {"source": source})


def _documented_422(name: str) -> str:
    """The detail of POST /generations' documented 422 example ``name`` (UnprocessableEntity's examples)."""
    assert CREATE is not None
    response = SPEC.response(CREATE, 422)
    assert response is not None, "POST /generations documents no 422"
    detail: str = response.examples()[name]["detail"]
    return detail


def _refused_as(frozen: Frozen, body: JSON, example: str, label: str, fact: str) -> None:
    """POST ``body``: refused with 422 and the detail of the documented example ``example``, saying so with
    X-Mock-Choice (naming ``fact``, a spec location) exactly when ``fact`` rests on a choice (its x-source): the
    mock's promise (the spec's introduction), so that a client tells the API's refusals from this contract's."""
    with frozen.client(new_api_key()) as client:
        response = client.post("/generations", json=body)
    source = source_at(SPEC_DOCUMENT, fact)
    assert source is not None, f"{fact}: no such fact in openapi.yaml"
    choice = short(fact) if source.is_choice else None
    STATS.case(PART)
    refused = response.status_code == 422 and response.json().get("detail") == _documented_422(example)
    said = response.headers.get(CHOICE_HEADER) == choice
    STATS.check("server_promises", refused and said)
    assert refused, f"{label}: {response.status_code} {response.text}"
    assert said, f"{label}: {CHOICE_HEADER} {response.headers.get(CHOICE_HEADER)!r}, not {choice!r} ({source.kind})"


def _png_bytes_with_padding_and_symbols() -> bytes:
    """A PNG whose standard base64 has padding and both of ``+`` and ``/`` (trailing bytes chosen for that; what
    follows a PNG's IEND chunk is ignored by decoders)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (40, 90, 160)).save(buffer, "PNG")
    png = buffer.getvalue()
    tail = b"\xfb\xff\xbf"  # base64 "+/+/" at a 3-byte boundary
    padded = png + b"\x00" * (-len(png) % 3) + tail + b"\x00"  # one byte over a boundary: "==" at the end
    encoded = base64.b64encode(padded).decode()
    assert "+" in encoded and "/" in encoded and encoded.endswith("=="), encoded[-12:]
    return padded


def _non_standard_base64() -> list[tuple[str, str]]:
    standard = base64.b64encode(_png_bytes_with_padding_and_symbols()).decode()
    return [("unpadded", standard.rstrip("=")), ("url-safe", standard.translate(str.maketrans("+/", "-_")))]


@pytest.mark.parametrize(("label", "data"), _non_standard_base64(), ids=[label for label, _ in _non_standard_base64()])
def test_base64_is_the_standard_padded_alphabet(frozen: Frozen, label: str, data: str) -> None:
    """ImageRef.data is RFC 4648 base64, standard alphabet and padded: unpadded or URL-safe text is refused as
    invalid base64 (422, the documented detail), though it decodes to a valid image."""
    body = {"prompt": PROMPT, "type": "image_edit", "source": {"data": data, "media_type": "image/png"}}
    _refused_as(frozen, body, "invalid_base64", f"{label} base64", f"{IMAGE_REF}.properties.data.contentEncoding")


@pytest.mark.parametrize("url", ["https://localhost/photo.png", "https://cdn.localhost/photo.png"])
def test_urls_on_local_hosts_are_not_fetched(frozen: Frozen, url: str) -> None:
    """Input URLs are fetched from public hosts only: a ``localhost`` name (and any name under it, RFC 6761) is
    refused as unfetchable (422, the documented detail)."""
    fact = "components.responses.UnprocessableEntity.examples.fetch_failed"
    _refused_as(frozen, {"prompt": PROMPT, "image_ref": [{"url": url}]}, "fetch_failed", url, fact)


NOT_MEDIA = base64.b64encode(b"<html>no picture, no film</html>").decode()


@pytest.mark.parametrize("kind", ["image", "video"])
def test_content_of_another_kind_is_refused(frozen: Frozen, kind: str) -> None:
    """An edit's source whose bytes are not of the kind its type takes is refused (422, the documented detail):
    for an image on Luma's word (x-accepted-media-types), for a video on a choice of this contract, which the mock
    says (x-accepted-video-media-types)."""
    if kind == "image":
        body = {"prompt": PROMPT, "type": "image_edit", "source": {"data": NOT_MEDIA, "media_type": "image/png"}}
    else:
        media_type = sorted(FACTS.video_media_types)[0]
        source = {"data": NOT_MEDIA, "media_type": media_type}
        body = {"prompt": PROMPT, "type": "video_edit", "model": VIDEO_MODEL, "source": source}
    fact = f"{IMAGE_REF}.x-accepted-{'media' if kind == 'image' else 'video-media'}-types"
    _refused_as(frozen, body, "not_an_image" if kind == "image" else "not_a_video", f"{kind} source", fact)
