"""The official luma-agents 0.5.0 SDK as a real client of the mock, for what 0.5.0 added (issue 9's "must be
shown"): a video on the video model, a video edit chained by ``generation_id`` off it, a layering chained off an
image, and an image at the widest ratio both models share (21:9 today). Each is created with the SDK, polled with
the SDK's ``get`` to ``completed``, downloaded with httpx from its output URL and opened by a real decoder: PyAV
for the MP4 (a video stream of the requested duration), Pillow for the images (layers RGBA, the last opaque).

Request values are read from the spec (enums, per-model schema items, x-types), never typed here."""

from __future__ import annotations

import typing
import warnings
from pathlib import Path
from typing import Any
from unittest import mock

import av
import httpx
import luma_agents
import pytest
from luma_agents import types
from luma_agents.types import Generation, generation_create_params
from PIL import Image

from conformance.spec import enum_values
from luma_uni_mock.serve import RunningMock
from tests.mock.test_video_rules import FACTS, IMAGE, IMAGE_MODEL, LAYERING, VIDEO, VIDEO_EDIT, VIDEO_MODEL

POLL_STEP = 5  # mock seconds between two polls (the clock is frozen: the test moves it, no race with real time)
MAX_POLLS = 60
DURATION = enum_values("VideoDuration")[0]
EDIT_STRENGTH = enum_values("VideoEditStrength")[0]
LAYERING_RESOLUTION = enum_values("LayeringResolution")[-1]
VIDEO_RATIOS = FACTS.ratios_of(VIDEO_MODEL)
# The widest ratio the image and the video model share: 21:9, new in 0.5.0 for images.
WIDE = max(
    (r for r in FACTS.ratios_of(IMAGE_MODEL) if r in VIDEO_RATIOS),
    key=lambda r: int(r.split(":")[0]) / int(r.split(":")[1]),
)


def _sdk(mock: RunningMock) -> luma_agents.Luma:
    return luma_agents.Luma(auth_token=mock.api_key, base_url=mock.base_url, max_retries=0)


def _create(sdk: luma_agents.Luma, **body: Any) -> Generation:
    """``sdk.generations.create`` with values read from the spec (typed ``str`` here, the SDK's Literals there)."""
    return sdk.generations.create(**body)


def _poll_to_completed(mock: RunningMock, sdk: luma_agents.Luma, created: Generation) -> Generation:
    """Poll with the SDK's ``get`` until the generation is terminal; the states seen never go backwards."""
    order = enum_values("GenerationState")  # queued → processing → completed | failed
    states = [created.state]
    current = created
    for _ in range(MAX_POLLS):
        if current.state in ("completed", "failed"):
            break
        mock.control.advance(POLL_STEP)
        current = sdk.generations.get(created.id)
        states.append(current.state)
    assert current.state == "completed", f"{created.type} ended {states}: {current.failure_reason}"
    assert [order.index(s) for s in states] == sorted(order.index(s) for s in states), states
    assert "processing" in states, f"{created.type} skipped processing: {states}"
    return current


def _download(url: str, path: Path, content_type: str) -> Path:
    response = httpx.get(url, timeout=30.0)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == content_type
    path.write_bytes(response.content)
    return path


def _ratio(ratio: str) -> float:
    width, height = (int(part) for part in ratio.split(":"))
    return width / height


def _video_facts(path: Path) -> tuple[float, int, int, int]:
    """(duration in seconds, width, height, frames decoded) as PyAV reads the file."""
    with av.open(str(path)) as container:
        assert container.streams.video, f"{path.name} has no video stream"
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        assert container.duration is not None
        return container.duration / av.time_base, stream.width, stream.height, frames


def _seconds(duration: str) -> int:
    return int(duration.removesuffix("s"))


def _decoded_image(path: Path) -> Image.Image:
    with Image.open(path) as image:
        image.verify()
    image = Image.open(path)
    image.load()
    return image


def test_sdk_video_then_an_edit_chained_by_generation_id(luma_mock_frozen: RunningMock, tmp_path: Path) -> None:
    ratio = VIDEO_RATIOS[0]
    with _sdk(luma_mock_frozen) as sdk:
        created = _create(
            sdk,
            prompt="waves rolling onto a beach at sunset",
            type=VIDEO,
            model=VIDEO_MODEL,
            aspect_ratio=ratio,
            video={"duration": DURATION},
        )
        assert (created.state, created.type, created.model) == ("queued", VIDEO, VIDEO_MODEL)
        video = _poll_to_completed(luma_mock_frozen, sdk, created)
        (output,) = video.output or []
        assert output.type == "video" and output.layer is None
        path = _download(output.url, tmp_path / f"{video.id}.mp4", "video/mp4")
        seconds, width, height, frames = _video_facts(path)
        assert abs(seconds - _seconds(DURATION)) < 0.5 and frames > 0
        assert abs(width / height - _ratio(ratio)) < 0.05

        edited = _create(
            sdk,
            prompt="make it winter",
            type=VIDEO_EDIT,
            model=VIDEO_MODEL,
            source={"generation_id": video.id},
            video={"edit": {"strength": EDIT_STRENGTH}},
        )
        edit = _poll_to_completed(luma_mock_frozen, sdk, edited)
        (edit_output,) = edit.output or []
        edit_path = _download(edit_output.url, tmp_path / f"{edit.id}.mp4", "video/mp4")
        edit_seconds, edit_width, edit_height, edit_frames = _video_facts(edit_path)
        # An edit keeps its source's duration and frame.
        assert abs(edit_seconds - seconds) < 0.5 and (edit_width, edit_height) == (width, height) and edit_frames > 0
    print(f"video {path.name}: {path.stat().st_size} B, {seconds:.2f} s, {width}x{height}, {frames} frames")
    print(f"video edit {edit_path.name}: {edit_path.stat().st_size} B, {edit_seconds:.2f} s, {edit_frames} frames")


def test_sdk_wide_image_then_a_layering_chained_off_it(luma_mock_frozen: RunningMock, tmp_path: Path) -> None:
    with _sdk(luma_mock_frozen) as sdk:
        created = _create(
            sdk,
            prompt="a lighthouse on a cliff at dusk",
            type=IMAGE,
            model=IMAGE_MODEL,
            aspect_ratio=WIDE,
        )
        image = _poll_to_completed(luma_mock_frozen, sdk, created)
        (output,) = image.output or []
        path = _download(output.url, tmp_path / f"{image.id}.png", "image/png")
        picture = _decoded_image(path)
        assert abs(picture.width / picture.height - _ratio(WIDE)) < 0.05

        layered = _create(
            sdk,
            prompt="",  # layering's prompt is optional guidance
            type=LAYERING,
            source={"generation_id": image.id},
            layering={"resolution": LAYERING_RESOLUTION},
        )
        layering = _poll_to_completed(luma_mock_frozen, sdk, layered)
    outputs = layering.output or []
    assert len(outputs) > 1
    layer_files = []
    for position, layer_output in enumerate(outputs):
        layer = layer_output.layer
        assert layer is not None and layer.index == position and layer.label and layer.alpha_hint
        layer_path = _download(layer_output.url, tmp_path / f"{layering.id}-{position}-{layer.label}.png", "image/png")
        decoded = _decoded_image(layer_path)
        assert decoded.mode == "RGBA", f"{layer_path.name} is {decoded.mode}"
        lowest_alpha, _ = decoded.getchannel("A").getextrema()
        background = position == len(outputs) - 1
        # Every layer but the last has transparent pixels; the last (the background) is opaque.
        assert (lowest_alpha == 255) == background, f"{layer_path.name}: lowest alpha {lowest_alpha}"
        # The layers keep the chained image's shape.
        assert abs(decoded.width / decoded.height - picture.width / picture.height) < 0.05
        layer_files.append(f"{layer_path.name} {layer_path.stat().st_size} B {decoded.size} min alpha {lowest_alpha}")
    print(f"image {path.name}: {path.stat().st_size} B, {picture.format} {picture.size} ({WIDE})")
    print("layers: " + "; ".join(layer_files))


def _sdk_enums() -> dict[str, object]:
    """Each enum of the spec and the SDK 0.5.0 type that lists the same values (a Literal, through Optional)."""
    request = typing.get_type_hints(generation_create_params.GenerationCreateParams)
    video = typing.get_type_hints(types.VideoOptionsParam)
    return {
        "GenerationType": request["type"],
        "AspectRatio": request["aspect_ratio"],
        "Model": request["model"],
        "Style": request["style"],
        "OutputFormat": request["output_format"],
        "LayeringResolution": typing.get_type_hints(generation_create_params.Layering)["resolution"],
        "VideoDuration": video["duration"],
        "VideoResolution": video["resolution"],
        "VideoEditStrength": typing.get_type_hints(types.VideoEditOptionsParam)["strength"],
        "PoseControlStrength": typing.get_type_hints(types.PoseControlParam)["strength"],
        "GenerationState": Generation.model_fields["state"].annotation,
        "FailureCode": Generation.model_fields["failure_code"].annotation,
    }


def spec_only_values() -> dict[str, list[object]]:
    """Per enum, the values the spec has and the pinned SDK does not (the spec may run ahead of the SDK: Luma
    documents a value before its SDK ships it). Raises AssertionError naming a value the SDK has and the spec lacks."""
    ahead: dict[str, list[object]] = {}
    for name, hint in _sdk_enums().items():
        sdk, spec = _literal_values(hint), enum_values(name)
        missing = [value for value in sdk if value not in spec]
        assert not missing, f"openapi.yaml's {name} lacks {missing}, which luma-agents 0.5.0 sends or receives"
        ahead[name] = [value for value in spec if value not in sdk]
    return {name: values for name, values in ahead.items() if values}


def test_the_spec_names_every_value_the_sdk_does() -> None:
    """Every value of the official SDK's Literals is in the spec's enum, so the values read from the spec above
    include all the SDK offers; the spec's own values (ahead of the pinned SDK) are listed, not failed."""
    ahead = spec_only_values()
    for name, values in ahead.items():
        warnings.warn(f"openapi.yaml's {name} runs ahead of luma-agents 0.5.0 with {values}", stacklevel=1)


def test_a_value_the_spec_lacks_is_named() -> None:
    """The check above can fail: a spec enum without one of the SDK's values is reported with the value."""
    dropped = enum_values("AspectRatio")[0]
    without = {name: [v for v in enum_values(name) if v != dropped] for name in _sdk_enums()}
    with (
        mock.patch(f"{__name__}.enum_values", without.__getitem__),
        pytest.raises(AssertionError, match=f"AspectRatio lacks \\['{dropped}'\\]"),
    ):
        spec_only_values()


def _literal_values(hint: object) -> list[object]:
    """The values of a Literal, looking through Optional and type aliases."""
    values: list[object] = []
    for arg in typing.get_args(hint):
        values.extend(_literal_values(arg) if typing.get_args(arg) else [arg] if arg is not type(None) else [])
    return values
