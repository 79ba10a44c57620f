"""The 0.5.0 request rules (video, layering, per-model types and ratios, media kinds, file_id): each answers its
documented 400, with values read from the spec and wording from rule_detail()."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import httpx
import pytest

from conformance.spec import load_spec
from luma_uni_mock import rule_wording
from luma_uni_mock.render import videos
from luma_uni_mock.render.cards import Card, Shape
from luma_uni_mock.rule_wording import rule_detail, types_phrase, valid_ratios
from tests.mock.helpers import create, data_ref, detail, image_bytes, model_for, repo_facts

FACTS = repo_facts()
URL = "https://img.example/cat.png"
VIDEO_URL = {"url": "https://img.example/clip.mp4", "media_type": "video/mp4"}


def _type(*, output: str, source: str | None, keeps_shape: bool | None = None) -> str:
    return next(
        name
        for name in FACTS.types
        if FACTS.of_type(name).output == output
        and FACTS.of_type(name).source == source
        and (keeps_shape is None or FACTS.of_type(name).keeps_source_shape == keeps_shape)
    )


IMAGE = _type(output="image", source=None)
VIDEO = _type(output="video", source=None)
VIDEO_EDIT = _type(output="video", source="video", keeps_shape=True)
REFRAME = _type(output="video", source="video", keeps_shape=False)
LAYERING = rule_wording.LAYERING_TYPE
VIDEO_MODEL, IMAGE_MODEL = model_for(kind=VIDEO), model_for(kind=IMAGE)
NOT_LOOPABLE = next(d for d in FACTS.video_durations if d not in FACTS.loopable_durations)
NOT_FRAMED = next(d for d in FACTS.video_durations if d not in FACTS.frame_durations)
SDR_ONLY = sorted(FACTS.sdr_only_resolutions)[0]
LAYERING_MAX = FACTS.prompt_bounds(LAYERING)[1]
RATIO_ONLY_FOR_VIDEO = next(r for r in FACTS.aspect_ratios if r not in FACTS.ratios_of(IMAGE_MODEL))
RATIO_ONLY_FOR_IMAGES = next(r for r in FACTS.aspect_ratios if r not in FACTS.ratios_of(VIDEO_MODEL))


def video(kind: str = VIDEO, /, **options: object) -> dict[str, Any]:
    """A video request of ``kind`` (with a video source when the type takes one) and these video options."""
    body: dict[str, Any] = {"type": kind, "model": VIDEO_MODEL, "video": options}
    if FACTS.of_type(kind).source is not None:
        body["source"] = VIDEO_URL
    return body


def _frames(count: int) -> list[dict[str, str]]:
    return [{"url": URL}] * count


EXCLUDED_WITH_KEYFRAMES: list[tuple[str, object]] = [
    ("start_frame", {"url": URL}),
    ("end_frame", {"url": URL}),
    ("loop", True),
]

CASES: list[tuple[dict[str, Any], str, dict[str, Any]]] = [
    ({"type": VIDEO}, "unsupported_type", {"value": VIDEO, "model": FACTS.default_model}),
    ({"type": IMAGE, "model": VIDEO_MODEL}, "unsupported_type", {"value": IMAGE, "model": VIDEO_MODEL}),
    (
        {"aspect_ratio": RATIO_ONLY_FOR_VIDEO},
        "invalid_aspect_ratio",
        {"value": RATIO_ONLY_FOR_VIDEO, "valid": valid_ratios(FACTS, FACTS.default_model)},
    ),
    (
        {**video(), "aspect_ratio": RATIO_ONLY_FOR_IMAGES},
        "invalid_aspect_ratio",
        {"value": RATIO_ONLY_FOR_IMAGES, "valid": valid_ratios(FACTS, VIDEO_MODEL)},
    ),
    ({"type": LAYERING, "prompt": "x" * (LAYERING_MAX + 1), "source": {"url": URL}}, "layering_prompt_length", {}),
    ({"type": VIDEO_EDIT, "model": VIDEO_MODEL}, "source_required", {"value": VIDEO_EDIT}),
    ({"type": LAYERING}, "source_required", {"value": LAYERING}),
    ({**video(), "source": VIDEO_URL}, "source_not_allowed", {}),
    (
        {"video": {"duration": NOT_LOOPABLE}},
        "not_for_type",
        {"field": "video", "types": types_phrase(FACTS.valid_for_types["video"])},
    ),
    (
        {"layering": {"resolution": FACTS.default_layering_resolution}},
        "not_for_type",
        {"field": "layering", "types": types_phrase(FACTS.valid_for_types["layering"])},
    ),
    (
        {**video(), "image_ref": [{"url": URL}]},
        "not_for_type",
        {"field": "image_ref", "types": types_phrase(FACTS.valid_for_types["image_ref"])},
    ),
    *(
        (
            video(REFRAME, **{field.removeprefix("video."): value}),
            "not_for_type",
            {"field": field, "types": types_phrase(FACTS.valid_for_types[field])},
        )
        for field, value in (
            ("video.loop", True),
            ("video.hdr", True),
            ("video.start_frame", {"url": URL}),
            ("video.keyframes", _frames(1)),
            ("video.edit", {"auto_controls": True}),
        )
    ),
    (
        video(VIDEO, source_position={"x_norm": 0, "y_norm": 0, "w_norm": 1, "h_norm": 1}),
        "not_for_type",
        {
            "field": "video.source_position",
            "types": types_phrase(FACTS.valid_for_types["video.source_position"]),
        },
    ),
    (
        video(VIDEO_EDIT) | {"source": {"url": VIDEO_URL["url"]}},
        "url_media_type_required",
        {
            "path": "source",
            "value": VIDEO_EDIT,
        },
    ),
    (
        {"image_ref": [{"url": URL, "media_type": "video/mp4"}]},
        "media_type_not_accepted",
        {"path": "image_ref[0]", "value": "video/mp4"},
    ),
    (
        video(VIDEO_EDIT) | {"source": {"url": URL, "media_type": "image/png"}},
        "media_type_not_accepted",
        {"path": "source", "value": "image/png"},
    ),
    (video(exr_export=True), "exr_requires_hdr", {}),
    (video(loop=True, duration=NOT_LOOPABLE), "loop_conflict", {"conflict": f"duration '{NOT_LOOPABLE}'"}),
    (video(loop=True, hdr=True), "loop_conflict", {"conflict": "video.hdr"}),
    (video(hdr=True, resolution=SDR_ONLY), "hdr_resolution", {"value": SDR_ONLY}),
    *(
        (
            video(keyframes=_frames(1), keyframe_indexes=[0], **{other: value}),
            "keyframes_exclusive",
            {"keyframes": "video.keyframes", "other": other},
        )
        for other, value in EXCLUDED_WITH_KEYFRAMES
        if other in FACTS.keyframe_excludes
    ),
    # A video edit's one anchor frame (start_frame) or several (edit.keyframes), never both.
    (
        video(VIDEO_EDIT, start_frame={"url": URL}, edit={"keyframes": _frames(1), "keyframe_indexes": [0]}),
        "keyframes_exclusive",
        {"keyframes": "video.edit.keyframes", "other": "start_frame"},
    ),
    # The legacy two-frame surface takes neither the longer duration nor HDR (keyframes do).
    (
        video(start_frame={"url": URL}, duration=NOT_FRAMED),
        "frames_conflict",
        {"field": "start_frame", "conflict": f"duration '{NOT_FRAMED}'"},
    ),
    (video(end_frame={"url": URL}, hdr=True), "frames_conflict", {"field": "end_frame", "conflict": "video.hdr"}),
    (
        video(VIDEO_EDIT, start_frame={"url": URL}, hdr=True),
        "frames_conflict",
        {"field": "start_frame", "conflict": "video.hdr"},
    ),
    (
        video(keyframes=_frames(2), keyframe_indexes=[0]),
        "keyframe_indexes_match",
        {
            "indexes": "video.keyframe_indexes",
            "keyframes": "video.keyframes",
        },
    ),
    (
        video(VIDEO_EDIT, edit={"keyframe_indexes": [3]}),
        "keyframe_indexes_match",
        {
            "indexes": "video.edit.keyframe_indexes",
            "keyframes": "video.edit.keyframes",
        },
    ),
    (
        video(keyframes=_frames(2), keyframe_indexes=[0, FACTS.last_keyframe[FACTS.default_duration] + 1]),
        "keyframe_index_range",
        {"index": 1, "last": FACTS.last_keyframe[FACTS.default_duration], "duration": FACTS.default_duration},
    ),
    ({"type": rule_wording.EDIT_TYPE, "source": {"file_id": str(uuid.uuid4())}}, "file_not_found", {"path": "source"}),
    ({"image_ref": [{"url": URL}, {"file_id": str(uuid.uuid4())}]}, "file_not_found", {"path": "image_ref[1]"}),
    (
        {"type": rule_wording.EDIT_TYPE, "source": {"generation_id": str(uuid.uuid4())}},
        "generation_not_found",
        {"path": "source"},
    ),
]


@pytest.mark.parametrize(("body", "rule_id", "values"), CASES)
def test_each_new_rule_answers_its_documented_400(
    api: httpx.Client, body: dict[str, Any], rule_id: str, values: dict[str, object]
) -> None:
    response = api.post("/generations", json={"prompt": "x", **body})
    assert response.status_code == FACTS.rule(rule_id).status, response.text
    assert detail(response) == rule_detail(rule_id, **values)


def test_the_default_duration_grid_accepts_its_last_frame(api: httpx.Client) -> None:
    last = FACTS.last_keyframe[FACTS.default_duration]
    create(api, **video(keyframes=_frames(2), keyframe_indexes=[0, last]))


@pytest.mark.parametrize(
    "body",
    [
        video(),
        video(duration=NOT_LOOPABLE, hdr=True, exr_export=True),
        video(loop=True),
        video(start_frame={"url": URL}, end_frame=data_ref()),
        video(keyframes=_frames(3), keyframe_indexes=[0, 10, 20]),
        # keyframes take what the two-frame surface does not: the longer duration and HDR
        video(keyframes=_frames(1), keyframe_indexes=[0], duration=NOT_FRAMED, hdr=True),
        # start_frame is a video edit's one anchor frame
        video(VIDEO_EDIT, start_frame={"url": URL}, edit={"strength": "flex_2"}),
        video(VIDEO_EDIT, edit={"strength": "flex_2", "controls": {"pose": {"enabled": True, "strength": None}}}),
        video(REFRAME, source_position={"x_norm": -0.5, "y_norm": 0, "w_norm": 2, "h_norm": 1}),
        {**video(REFRAME), "aspect_ratio": FACTS.ratios_of(VIDEO_MODEL)[0]},
        {"type": LAYERING, "prompt": "", "source": data_ref()},
        {"type": LAYERING, "prompt": "x" * LAYERING_MAX, "source": {"url": URL}, "layering": {"resolution": "2k"}},
        # the types that keep the source's shape ignore aspect_ratio, so any value passes
        {"type": rule_wording.EDIT_TYPE, "source": {"url": URL}, "aspect_ratio": RATIO_ONLY_FOR_VIDEO},
        {"video": None, "layering": None, "image_ref": []},
    ],
)
def test_valid_new_shapes_are_accepted(api: httpx.Client, body: dict[str, Any]) -> None:
    body.setdefault("prompt", "x")
    create(api, **body)


def _example(component: str, name: str) -> str:
    value: str = load_spec()["components"]["responses"][component]["content"]["application/json"]["examples"][name][
        "value"
    ]["detail"]
    return value


def _video_source(data: bytes, media_type: str = "video/mp4") -> dict[str, Any]:
    return {**video(VIDEO_EDIT), "source": {"data": base64.b64encode(data).decode(), "media_type": media_type}}


def test_a_real_video_as_data_is_accepted_and_other_bytes_are_not_a_video(api: httpx.Client) -> None:
    mp4 = videos.render(Card("id", VIDEO, VIDEO_MODEL, "clip"), Shape(16, 9, "16:9"), 1)
    create(api, **_video_source(mp4))
    refused = api.post("/generations", json={"prompt": "x", **_video_source(image_bytes())})
    assert (refused.status_code, detail(refused)) == (422, _example("UnprocessableEntity", "not_a_video"))


def test_a_video_over_the_limit_gets_the_documented_413(api: httpx.Client) -> None:
    oversized = "A" * (4 * -(-(FACTS.max_image_bytes + 1) // 3) + 4)
    body = {**video(VIDEO_EDIT), "source": {"data": oversized, "media_type": "video/mp4"}}
    refused = api.post("/generations", json={"prompt": "x", **body})
    assert (refused.status_code, detail(refused)) == (413, _example("PayloadTooLarge", "video_too_large"))
