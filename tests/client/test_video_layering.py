"""Every generation type end to end against the mock: a video, a video edit chained by ``generation_id``, a layering
and a 21:9 image, each created, waited for, downloaded and opened by a real decoder (PyAV, Pillow)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from luma_agents_client import contract
from luma_agents_client.models import (
    AspectRatio,
    Generation,
    GenerationLayer,
    GenerationType,
    ImageRef,
    LayeringOptions,
    LayeringResolution,
    VideoDuration,
    VideoEditStrength,
    VideoOptions,
)
from luma_uni import BadRequestError, InputError
from luma_uni._inputs import sniff_media_type
from luma_uni_mock.rule_wording import rule_detail
from tests.client.helpers import AnyClient, RequestLog, check_layer_files, image_bytes, model_for, video_seconds

pytestmark = pytest.mark.anyio  # the async tests run once per client kind (conftest: mode)


def seconds(duration: VideoDuration) -> int:
    return int(duration.value.removesuffix("s"))


async def make_video(client: AnyClient, **options: Any) -> Generation:
    """A completed video made by the model the spec names for videos."""
    kind = GenerationType.VIDEO
    generation: Generation = await client.generations.create_and_wait(
        prompt="waves at dusk", type=kind, model=model_for(kind), **options
    )
    return generation


async def test_video_is_created_waited_for_and_saved_as_a_decodable_mp4(client: AnyClient, tmp_path: Path) -> None:
    duration = list(VideoDuration)[-1]
    video = await make_video(client, video=VideoOptions(duration=duration))
    [path] = await client.generations.download(video, tmp_path)
    assert path == tmp_path / f"{video.id}.mp4"
    assert video_seconds(path)[0] == pytest.approx(seconds(duration), abs=0.1)


async def test_video_edit_chained_by_generation_id(client: AnyClient, tmp_path: Path) -> None:
    duration = list(VideoDuration)[-1]
    # a mapping, as the official SDK's TypedDicts take it
    first = await make_video(client, aspect_ratio=AspectRatio.RATIO_21_9, video={"duration": duration})
    edited = await client.generations.create_and_wait(
        prompt="make it snow",
        type=GenerationType.VIDEO_EDIT,
        model=model_for(GenerationType.VIDEO_EDIT),
        source={"generation_id": str(first.id)},
        video={"edit": {"strength": next(iter(VideoEditStrength))}},
    )
    [first_path] = await client.generations.download(first, tmp_path)
    [edited_path] = await client.generations.download(edited.id, tmp_path)
    assert edited_path == tmp_path / f"{edited.id}.mp4"
    first_seconds, first_size = video_seconds(first_path)
    edited_seconds, edited_size = video_seconds(edited_path)
    assert edited_seconds == pytest.approx(first_seconds, abs=0.1)  # an edit keeps its source's duration
    assert edited_size == first_size  # and its shape
    assert first_size[0] > 2 * first_size[1]  # 21:9


async def test_a_generation_object_chains_like_its_id(client: AnyClient, request_log: RequestLog) -> None:
    first = await client.generations.create_and_wait(prompt="a lighthouse")
    edited = await client.generations.create_and_wait(prompt="at night", type="image_edit", source=first)
    assert edited.state == "completed"
    [post] = [r for r in request_log.requests if r.method == "POST"][-1:]
    assert f'"generation_id":"{first.id}"' in post.content.decode()


async def test_layering_saves_one_rgba_png_per_layer_named_by_order_and_label(
    client: AnyClient, tmp_path: Path
) -> None:
    source = tmp_path / "photo.png"
    source.write_bytes(image_bytes(size=(48, 32)))
    layered = await client.generations.create_and_wait(
        prompt="",
        type=GenerationType.LAYERING,
        model=model_for(GenerationType.LAYERING),
        source=source,
        layering=LayeringOptions(resolution=next(iter(LayeringResolution))),
    )
    paths = await client.generations.download(layered, tmp_path / "layers")
    outputs = layered.output
    assert isinstance(outputs, list) and len(outputs) >= 2 and len(paths) == len(outputs)
    for index, (path, output) in enumerate(zip(paths, outputs, strict=True)):
        assert isinstance(output.layer, GenerationLayer)
        assert output.layer.index == index
        assert path.name.startswith(f"{layered.id}-{index}-")
    check_layer_files(paths)


async def test_image_21_9_is_wide(client: AnyClient, tmp_path: Path) -> None:
    image = await client.generations.create_and_wait(prompt="a panorama", aspect_ratio=AspectRatio.RATIO_21_9)
    [path] = await client.generations.download(image, tmp_path)
    with Image.open(path) as picture:
        width, height = picture.size
    assert width / height == pytest.approx(21 / 9, rel=0.05)


async def test_local_video_file_is_sent_with_its_sniffed_media_type(
    client: AnyClient, tmp_path: Path, request_log: RequestLog
) -> None:
    [mp4] = await client.generations.download(await make_video(client), tmp_path)
    reframed = await client.generations.create_and_wait(
        prompt="wider", type=GenerationType.VIDEO_REFRAME, model=model_for(GenerationType.VIDEO_REFRAME), source=mp4
    )
    assert reframed.state == "completed"
    post = [r for r in request_log.requests if r.method == "POST"][-1]
    assert '"media_type":"video/mp4"' in post.content.decode()


async def test_unknown_values_pass_and_the_server_answers(client: AnyClient) -> None:
    with pytest.raises(BadRequestError) as caught:
        await client.generations.create(
            prompt="waves",
            type=GenerationType.VIDEO,
            model=model_for(GenerationType.VIDEO),
            video={"resolution": "16k"},  # not a VideoResolution: sent as is, refused by the server
        )
    assert "16k" in str(caught.value.detail)


async def test_unknown_option_keys_are_refused_not_dropped(client: AnyClient, request_log: RequestLog) -> None:
    with pytest.raises(InputError, match=r"video\.edit\.strenght"):
        await client.generations.create(prompt="waves", video={"edit": {"strenght": "flex_1"}})
    with pytest.raises(InputError, match=r"layering\.resolutoin"):
        await client.generations.create(prompt="", layering={"resolutoin": "1k"})
    with pytest.raises(InputError, match=r"source: unknown field 'generation'"):
        await client.generations.create(prompt="x", source={"generation": str(uuid.uuid4())})
    assert request_log.count("POST") == 0


async def test_file_id_is_sent_and_the_server_judges_it(client: AnyClient) -> None:
    with pytest.raises(BadRequestError) as caught:
        await client.generations.create(
            prompt="x", type=GenerationType.IMAGE_EDIT, source=ImageRef(file_id=uuid.uuid4())
        )
    assert caught.value.detail == rule_detail("file_not_found", path="source")  # the server's words, typed


def test_sniffed_video_types_are_the_spec_s() -> None:
    heads = (b"\0\0\0\x18ftypisom", b"\0\0\0\x14ftypqt  ", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01B\x82\x84webm")
    assert {sniff_media_type(head) for head in heads} == set(contract.ACCEPTED_VIDEO_MEDIA_TYPES)
    assert sniff_media_type(b"\0\0\0\x18ftypheic") is None  # a HEIF still image, not a video
