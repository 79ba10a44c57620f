"""Strictness follows the source (issue 17): a refusal that rests only on a choice of the spec (``x-source:
choice``) is made by default and says so (``X-Mock-Choice``), and ``lenient_choices`` turns it off; a refusal that
rests on Luma's SDK or docs is made either way, without the header."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any, cast

import httpx
import pytest

from conformance.sources import Fact, facts, node_at
from conformance.spec import load_spec
from luma_uni_mock.__main__ import _parser
from luma_uni_mock.config import MockConfig
from luma_uni_mock.http_errors import CHOICE_HEADER
from luma_uni_mock.pytest_plugin import session_config
from luma_uni_mock.serve import RunningMock, serve_in_thread
from luma_uni_mock.sources import SCHEMA_FACTS
from tests.mock.helpers import client, data_ref, image_bytes, repo_facts
from tests.mock.test_video_rules import (
    IMAGE_MODEL,
    RATIO_ONLY_FOR_IMAGES,
    RATIO_ONLY_FOR_VIDEO,
    REFRAME,
    URL,
    VIDEO_EDIT,
    VIDEO_MODEL,
    VIDEO_URL,
    video,
)

FACTS = repo_facts()
SPEC = load_spec()
PROMPT = "a lighthouse at dusk"
POSITION = {"x_norm": 0, "y_norm": 0, "w_norm": 1, "h_norm": 1}
SECOND_IMAGE_MODEL = next(m for m in FACTS.models if m != IMAGE_MODEL and "image" in FACTS.types_of(m))


def _unpadded_png() -> dict[str, str]:
    data = base64.b64encode(image_bytes(size=(8, 7))).decode()
    assert data.endswith("="), "pick an image size whose base64 is padded"
    return {"data": data.rstrip("="), "media_type": "image/png"}


def _with(path: str, extra: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Put ``extra`` into the object at ``path`` (dots) of a body."""

    def change(body: dict[str, Any]) -> dict[str, Any]:
        node = body
        for part in path.split("."):
            node = node.setdefault(part, {})
        node.update(extra)
        return body

    return change


def _edit_controls(control: str) -> dict[str, Any]:
    return _with("video.edit.controls", {control: {"enabled": True, "unknown": 1}})(video(VIDEO_EDIT))


SCHEMAS = "components.schemas."


def _mark(rule_id: str, holds: Callable[[dict[str, Any]], bool]) -> str:
    """Where the request schema's node stating ``rule_id`` that ``holds`` is (its fact's location)."""
    for fact in facts(SPEC):
        schema = fact.name is None and fact.location.startswith(f"{SCHEMAS}CreateGenerationRequest.allOf")
        node = node_at(SPEC, fact.location) if schema else None
        if isinstance(node, dict) and node.get("x-rule") == rule_id and holds(node):
            return fact.location
    raise AssertionError(f"no node of openapi.yaml states {rule_id} so")


def _for_model(model: str) -> Callable[[dict[str, Any]], bool]:
    return lambda node: node["if"]["properties"].get("model", {}).get("const") == model


def _refusing(path: str) -> Callable[[dict[str, Any]], bool]:
    """A not_for_type node whose ``else`` refuses the field at ``path`` (``image_ref``, ``video.start_frame``)."""
    head, _, field = path.partition(".")
    return lambda node: (
        set(node["else"]["properties"].get(head, {}).get("properties", {}) if field else node["else"]["properties"])
        >= {field or head}
    )


# Each refusal resting on a choice: a request it refuses, and the X-Mock-Choice it names (None: any value).
CHOICE_REFUSALS: dict[str, tuple[dict[str, Any], str | None, dict[str, str]]] = {
    "components.securitySchemes.bearerAuth.x-one-token": ({}, "bearerAuth.x-one-token", {"key": "luma-api-a b"}),
    _mark("invalid_aspect_ratio", _for_model(IMAGE_MODEL)): (
        {"aspect_ratio": RATIO_ONLY_FOR_VIDEO, "model": IMAGE_MODEL},
        "invalid_aspect_ratio",
        {},
    ),
    _mark("invalid_aspect_ratio", _for_model(SECOND_IMAGE_MODEL)): (
        {"aspect_ratio": RATIO_ONLY_FOR_VIDEO, "model": SECOND_IMAGE_MODEL},
        "invalid_aspect_ratio",
        {},
    ),
    _mark("invalid_aspect_ratio", _for_model(VIDEO_MODEL)): (
        {**video(), "aspect_ratio": RATIO_ONLY_FOR_IMAGES},
        "invalid_aspect_ratio",
        {},
    ),
    _mark("source_not_allowed", lambda node: "then" in node): (
        {**video(), "source": {"url": URL}},
        "source_not_allowed",
        {},
    ),
    f"{SCHEMAS}ImageRef.additionalProperties": ({"image_ref": [{"url": URL, "unknown": 1}]}, None, {}),
    f"{SCHEMAS}SourcePosition.additionalProperties": (
        video(REFRAME, source_position={**POSITION, "unknown": 1}),
        None,
        {},
    ),
    **{
        f"{SCHEMAS}{name}Control.additionalProperties": (_edit_controls(name.lower()), None, {})
        for name in ("Depth", "Face", "Normals", "Pose", "Trajectory")
    },
    f"{SCHEMAS}AdvancedControls.additionalProperties": (
        video(VIDEO_EDIT, edit={"controls": {"unknown": {}}}),
        None,
        {},
    ),
    f"{SCHEMAS}VideoEditOptions.additionalProperties": (video(VIDEO_EDIT, edit={"unknown": 1}), None, {}),
    f"{SCHEMAS}VideoOptions.additionalProperties": (video(unknown=1), None, {}),
    f"{SCHEMAS}LayeringOptions.additionalProperties": (
        {"type": "layering", "source": {"url": URL}, "layering": {"unknown": 1}},
        None,
        {},
    ),
    f"{SCHEMAS}CreateGenerationRequest.additionalProperties": ({"unknown": 1}, None, {}),
    f"{SCHEMAS}ImageRef.x-accepted-video-media-types": (
        {**video(VIDEO_EDIT), "source": {**data_ref(), "media_type": VIDEO_URL["media_type"]}},
        "ImageRef.x-accepted-video-media-types",
        {},
    ),
    f"{SCHEMAS}ImageRef.properties.data.contentEncoding": (
        {"image_ref": [_unpadded_png()]},
        "ImageRef.data.contentEncoding",
        {},
    ),
    **{
        f"{SCHEMAS}SourcePosition.properties.{side}.exclusiveMinimum": (
            video(REFRAME, source_position={**POSITION, side: 0}),
            f"video.source_position.{side}.exclusiveMinimum",
            {},
        )
        for side in ("w_norm", "h_norm")
    },
    _mark("not_for_type", _refusing("video.start_frame")): (
        video(REFRAME, start_frame={"url": URL}),
        "not_for_type",
        {},
    ),
    _mark("not_for_type", _refusing("video.end_frame")): (
        video(VIDEO_EDIT, end_frame={"url": URL}),
        "not_for_type",
        {},
    ),
    _mark("not_for_type", _refusing("image_ref")): (
        {**video(), "image_ref": [{"url": URL}]},
        "not_for_type",
        {},
    ),
}
# What a request may be refused for (the rest of the facts decide what is made, answered or worded).
REFUSING = SCHEMA_FACTS | {
    "x-one-token",
    "x-accepted-media-types",
    "x-accepted-video-media-types",
    "x-max-decoded-bytes",
}
RESPONSE_SCHEMAS = ("Generation", "GenerationOutput", "GenerationLayer", "Error")


def _refuses_a_request(fact: Fact) -> bool:
    """A fact of the request (its schemas, the security scheme) that refuses: a keyword, a list a check reads, an
    x-rule or a node stating one."""
    if not fact.location.startswith((SCHEMAS, "components.securitySchemes.")):
        return False
    if fact.location.startswith(tuple(f"{SCHEMAS}{name}" for name in (*RESPONSE_SCHEMAS, "GenerationType"))):
        return False
    return fact.name is None or fact.name in REFUSING


# Refused on Luma's word: the same with or without lenient choices, never with the header.
SOURCED_REFUSALS: list[tuple[dict[str, Any], dict[str, str]]] = [
    ({"source": {"url": URL}}, {}),  # source on type image (docs)
    ({"image_ref": [{"url": URL}] * (FACTS.max_image_refs + 1)}, {}),  # the SDK's count
    ({"style": "manga", "aspect_ratio": "16:9"}, {}),  # docs (its status is a choice, not the refusal)
    ({"image_ref": [{"url": URL, "data": "AAAA", "media_type": "image/png"}]}, {}),  # exactly one input (sdk)
    (video(exr_export=True), {}),
    (video(start_frame={"url": URL}, hdr=True), {}),
    (video(VIDEO_EDIT, start_frame={"url": URL}, edit={"keyframes": [{"url": URL}], "keyframe_indexes": [0]}), {}),
    ({"image_ref": [{"data": "!!not base64!!", "media_type": "image/png"}]}, {}),
    ({"image_ref": [{"url": "http://example.com/cat.png"}]}, {}),  # https only (docs)
    ({"model": "uni-0"}, {}),
    ({}, {"key": "My Auth Token"}),  # not a luma-api- key (docs)
]


@pytest.fixture(scope="module")
def lenient_mock() -> Iterator[RunningMock]:
    with serve_in_thread(MockConfig(time_scale=0, lenient_choices=True)) as running:
        yield running


def _post(mock: RunningMock, body: dict[str, Any], options: dict[str, str]) -> httpx.Response:
    with client(mock, options.get("key")) as http:
        return http.post("/generations", json={"prompt": PROMPT, **body})


def test_every_refusal_resting_on_a_choice_has_a_case_here() -> None:
    """A new choice that refuses requests needs a case below (and the lenient view must drop it)."""
    choices = [f.where for f in facts(SPEC) if f.source and f.source.is_choice and _refuses_a_request(f)]
    assert sorted(choices) == sorted(CHOICE_REFUSALS)


@pytest.mark.parametrize("fact", CHOICE_REFUSALS)
def test_a_choice_refuses_by_default_and_says_so(luma_mock_frozen: RunningMock, fact: str) -> None:
    body, named, options = CHOICE_REFUSALS[fact]
    response = _post(luma_mock_frozen, body, options)
    assert response.status_code in {400, 401, 413, 422}, response.text
    assert response.headers.get(CHOICE_HEADER), f"{fact}: no {CHOICE_HEADER} on {response.text}"
    if named is not None:
        assert response.headers[CHOICE_HEADER] == named


@pytest.mark.parametrize("fact", CHOICE_REFUSALS)
def test_lenient_choices_turn_a_choice_off(lenient_mock: RunningMock, fact: str) -> None:
    body, _, options = CHOICE_REFUSALS[fact]
    response = _post(lenient_mock, body, options)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(("body", "options"), SOURCED_REFUSALS)
def test_a_sourced_refusal_stays_and_is_not_called_a_choice(
    luma_mock_frozen: RunningMock, lenient_mock: RunningMock, body: dict[str, Any], options: dict[str, str]
) -> None:
    strict, lenient = _post(luma_mock_frozen, body, options), _post(lenient_mock, body, options)
    assert strict.status_code >= 400 and CHOICE_HEADER not in strict.headers, strict.text
    assert lenient.status_code == strict.status_code, lenient.text  # (a list in the detail may be the wider one)


def test_a_choice_with_a_sourced_refusal_besides_is_not_called_a_choice(luma_mock_frozen: RunningMock) -> None:
    """An unknown field (a choice) and a source on type image (the docs): the request would be refused anyway."""
    response = _post(luma_mock_frozen, {"unknown": 1, "source": {"url": URL}}, {})
    assert response.status_code == 400 and CHOICE_HEADER not in response.headers


def test_the_switch_is_a_setting_of_the_environment_too() -> None:
    assert MockConfig.from_env({"LUMA_MOCK_LENIENT_CHOICES": "1"}).lenient_choices is True
    assert MockConfig().lenient_choices is False


def test_the_switch_is_a_flag_of_the_command_line() -> None:
    assert _parser().parse_args(["--lenient-choices"]).lenient_choices is True
    assert _parser().parse_args([]).lenient_choices is None  # then LUMA_MOCK_LENIENT_CHOICES decides


@pytest.mark.parametrize(("flag", "ini", "lenient"), [(False, False, False), (True, False, True), (False, True, True)])
def test_the_switch_is_an_option_of_the_session_fixtures(flag: bool, ini: bool, lenient: bool) -> None:
    options = SimpleNamespace(getoption=lambda name: flag, getini=lambda name: ini)
    config = session_config(cast("pytest.Config", options), 100.0)
    assert (config.lenient_choices, config.time_scale) == (lenient, 100.0)
