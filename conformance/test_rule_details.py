"""Part 2, on purpose: request rules at the places random bodies seldom reach, each answer held against the status
and ``detail`` the spec documents (its error examples and its ``x-rules`` templates, never a copy).

Each test sends a handful of requests to the session's server (``http_target``: the mock on its socket, or a live
server); none creates a generation.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from conformance import http_clients
from conformance.error_cases import (
    EDIT,
    FACTS,
    PROMPT,
    REFRAME,
    UNFETCHABLE_URL,
    URL,
    VIDEO,
    VIDEO_EDIT,
    VIDEO_MEDIA_TYPE,
    VIDEO_MODEL,
    VIDEO_URL,
    documented_errors,
)
from conformance.report import PARTS, STATS
from conformance.targets import Target

JSON = dict[str, Any]
PART = PARTS["test_rule_details"]
DOCUMENTED = documented_errors()


def _posted(target: Target, body: JSON) -> httpx.Response:
    headers = {"Authorization": f"Bearer {target.api_key}"}
    with http_clients.client(base_url=target.base_url, headers=headers, timeout=30) as client:
        return client.post("/generations", json=body)


def _answered_as(response: httpx.Response, status: int, detail: str, label: str) -> None:
    STATS.case(PART)
    answered = (response.status_code, response.json() if response.status_code == status else response.text)
    ok = answered == (status, {"detail": detail})
    STATS.check("rule_details", ok, None if ok else f"{label}: {answered}")
    assert ok, f"{label}: documented {status} {detail!r}, got {answered}"


def _at(path: str, example: str) -> tuple[int, str]:
    """A documented error example's status and detail, its leading field path (``image_ref[0]: ...``) put at
    ``path``: the examples show one place, the API words every ImageRef's refusal alike."""
    documented = DOCUMENTED[example]
    _, separator, rest = documented.detail.partition(": ")
    assert separator, f"{example}: its detail names no field path: {documented.detail!r}"
    return documented.status, f"{path}: {rest}"


def _keyframed(path: str) -> JSON:
    """A video request whose keyframe at ``path`` is unfetchable, every other input fine."""
    unfetchable = {"url": UNFETCHABLE_URL}
    if path.startswith("video.edit."):
        source = {"url": VIDEO_URL, "media_type": VIDEO_MEDIA_TYPE}
        edit = {"keyframes": [unfetchable], "keyframe_indexes": [0]}
        return {"prompt": PROMPT, "type": VIDEO_EDIT, "model": VIDEO_MODEL, "source": source, "video": {"edit": edit}}
    video = {"keyframes": [{"url": URL}, unfetchable], "keyframe_indexes": [0, 24]}
    return {"prompt": PROMPT, "type": VIDEO, "model": VIDEO_MODEL, "video": video}


@pytest.mark.parametrize("path", ["video.keyframes[1]", "video.edit.keyframes[0]"])
def test_a_keyframe_is_an_input_like_any_other(http_target: Target, path: str) -> None:
    """A keyframe's image is fetched like ``source`` and ``image_ref``: an unfetchable one is refused (422) with the
    documented detail, at its own path."""
    status, detail = _at(path, "UnprocessableEntity.fetch_failed")
    _answered_as(_posted(http_target, _keyframed(path)), status, detail, path)


# Content that is none of the accepted formats though its first bytes come close to one: a WAV file (RIFF, but not
# WEBP) and bytes with WebP's ``WEBP`` tag but no RIFF container.
NEAR_MISSES = {
    "riff-wave": b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00" + bytes(24),
    "webp-tag-without-riff": b"\x00" * 8 + b"WEBPVP8 " + bytes(24),
}


@pytest.mark.parametrize("name", sorted(NEAR_MISSES))
def test_content_close_to_an_accepted_format_is_not_an_image(http_target: Target, name: str) -> None:
    """An edit's source declared ``image/webp`` whose bytes are no WebP (RIFF....WEBP) is refused (422) with the
    documented detail, as other content is."""
    data = base64.b64encode(NEAR_MISSES[name]).decode()
    body = {"prompt": PROMPT, "type": EDIT, "source": {"data": data, "media_type": "image/webp"}}
    status, detail = _at("source", "UnprocessableEntity.not_an_image")
    _answered_as(_posted(http_target, body), status, detail, name)


def _listed(values: list[str]) -> str:
    quoted = [f"'{value}'" for value in values]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _types_phrase(types: tuple[str, ...]) -> str:
    """How a detail names the types a field is valid for, as the documented examples word it: ``type 'video'``
    (not_for_type's), ``types 'image_edit', ... and 'layering'`` (source_not_allowed's)."""
    return f"type {_listed(list(types))}" if len(types) == 1 else f"types {_listed(list(types))}"


def test_the_types_phrase_is_the_documented_one() -> None:
    """The oracle above words the documented examples' lists as they are written."""
    with_source = [name for name in FACTS.types if FACTS.of_type(name).source is not None]
    source_rule = FACTS.rule("source_not_allowed")
    assert source_rule.detail.format(types=_listed(with_source)) == DOCUMENTED["BadRequest.source_not_allowed"].detail
    assert DOCUMENTED["BadRequest.not_for_type"].detail.endswith(_types_phrase((VIDEO,)))


def _stated_cases() -> list[tuple[str, JSON, dict[str, str]]]:
    """Rules whose detail names the request's values, each broken with values other than the server defaults that
    the documented examples show: (x-rule id, body, the placeholders the request gives)."""
    image_only = sorted(set(FACTS.types) - FACTS.types_of(VIDEO_MODEL))[0]
    video_source = {"url": VIDEO_URL}  # no media_type: a video source by URL needs one
    return [
        (
            "unsupported_type",
            {"prompt": PROMPT, "type": image_only, "model": VIDEO_MODEL},
            {"value": image_only, "model": VIDEO_MODEL},
        ),
        (
            "url_media_type_required",
            {"prompt": PROMPT, "type": REFRAME, "model": VIDEO_MODEL, "source": video_source},
            {"path": "source", "value": REFRAME},
        ),
        (
            "not_for_type",
            {"prompt": PROMPT, "type": VIDEO, "model": VIDEO_MODEL, "image_ref": [{"url": URL}]},
            {"field": "image_ref", "types": _types_phrase(FACTS.valid_for_types["image_ref"])},
        ),
    ]


@pytest.mark.parametrize(("rule_id", "body", "values"), _stated_cases(), ids=[case[0] for case in _stated_cases()])
def test_a_rule_names_the_values_the_request_gave(
    http_target: Target, rule_id: str, body: JSON, values: dict[str, str]
) -> None:
    """The detail is the rule's x-rules template filled with this request's values (its model, its type, ...), not
    the defaults' the examples happen to show."""
    rule = FACTS.rule(rule_id)
    _answered_as(_posted(http_target, body), rule.status, rule.detail.format_map(values), rule_id)
