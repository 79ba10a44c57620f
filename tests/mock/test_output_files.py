"""The mock's output files as pure functions: image cards, MP4 videos and layer PNGs, opened by real decoders."""

from __future__ import annotations

import io
from fractions import Fraction

import av
import pytest
from PIL import Image

from conformance.spec import enum_values, value_not_in
from luma_uni_mock.render import cards, images, layers, outputs, videos
from luma_uni_mock.render.cards import Card, Shape
from tests.mock.helpers import image_bytes

ID = "0b0e2f3c-6c47-4e59-9a51-1f5b8a1f0d11"
OTHER_ID = "7d1c2b9e-1111-4a2b-8c3d-4e5f6a7b8c9d"
CARD = Card(ID, "image", "uni-1", "A lighthouse on a cliff at dusk")
# The API's video durations ("<seconds>s") and layering resolutions ("<n>k"): not in openapi.yaml until the 0.5.0
# spec lands (issue 9); switch these to enum_values("VideoDuration") / the layering schema's enum then.
DURATIONS = ["5s", "10s"]
RESOLUTIONS = ["1k", "2k"]


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()  # decodes fully: a truncated or fake file fails here
    return image


def _render(card: Card = CARD, shape: Shape | None = None, fmt: str = "png") -> Image.Image:
    (file,) = outputs.image_file(shape or cards.shape_of_ratio("16:9"), fmt)
    content_type, body = outputs.render(file, card)
    image = _image(body)
    assert content_type == f"image/{(image.format or '?').lower()}"
    return image


@pytest.mark.parametrize("fmt", ["webp", "gif"])
def test_a_format_the_spec_adds_is_served_as_asked_where_pillow_writes_it(fmt: str) -> None:
    image = _render(fmt=fmt)
    assert (image.format or "").lower() == fmt


def test_a_format_the_mock_cannot_encode_is_served_as_png_the_models_pick() -> None:
    unknown = value_not_in("OutputFormat")
    (file,) = outputs.image_file(cards.shape_of_ratio("1:1"), unknown)
    content_type, body = outputs.render(file, CARD)
    assert (content_type, file.name, _image(body).format) == ("image/png", "output.png", "PNG")


def _alphas(image: Image.Image) -> set[int]:
    """The alpha values present in an RGBA image."""
    return {alpha for alpha, count in enumerate(image.getchannel("A").histogram()) if count}


def _background(image: Image.Image) -> tuple[int, ...]:
    """The most frequent colour: the card's background."""
    colours = image.convert("RGB").getcolors(maxcolors=image.width * image.height)
    assert colours is not None
    _count, colour = max(colours, key=lambda item: item[0])
    assert isinstance(colour, tuple)
    return colour


# Images -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ratio", enum_values("AspectRatio"))
def test_an_image_has_the_ratio_asked_for_on_a_288_px_long_side(ratio: str) -> None:
    image = _render(shape=cards.shape_of_ratio(ratio))
    width, height = (int(term) for term in ratio.split(":"))
    assert max(image.size) == images.LONG_SIDE
    assert abs(image.width / image.height - width / height) < 0.02


def test_jpeg_and_png_as_asked() -> None:
    assert _render(fmt="jpeg").format == "JPEG"
    assert _render(fmt="png").format == "PNG"


def test_the_background_colour_follows_the_prompt() -> None:
    first = _render(Card(ID, "image", "uni-1", "a red fox in the snow"))
    second = _render(Card(ID, "image", "uni-1", "a blue whale in the deep"))
    assert _background(first) != _background(second)
    again = _render(Card(OTHER_ID, "image_edit", "uni-1-max", "a red fox in the snow"))
    assert _background(again) == _background(first)  # deterministic: the same prompt, the same colour


@pytest.mark.parametrize(
    "changed",
    [
        Card(OTHER_ID, CARD.generation_type, CARD.model, CARD.prompt),
        Card(CARD.generation_id, CARD.generation_type, "uni-1-max", CARD.prompt),
        Card(CARD.generation_id, "image_edit", CARD.model, CARD.prompt),
    ],
    ids=["generation id", "model", "type"],
)
def test_every_request_fact_is_drawn(changed: Card) -> None:
    """Changing only one fact changes the pixels: it is written on the image (or, for the type, in the frame)."""
    assert _render(changed).tobytes() != _render(CARD).tobytes()


def test_the_shape_label_is_drawn() -> None:
    assert _render(shape=Shape(16, 9, "16:9")).tobytes() != _render(shape=Shape(16, 9, "source 1600x900")).tobytes()


def test_a_generation_and_its_edit_differ_in_the_frame_colour() -> None:
    generation = _render(CARD)
    edit = _render(Card(OTHER_ID, "image_edit", CARD.model, CARD.prompt), cards.shape_of_source(None))
    assert generation.getpixel((0, 0)) != edit.getpixel((0, 0))


def test_an_edit_shows_and_keeps_its_sources_size() -> None:
    shape = cards.shape_of_source(image_bytes("PNG", (300, 100)))
    assert shape.label == "source 300x100"
    assert _render(shape=shape).size == (288, 96)
    for unknown in (None, b"not an image"):
        assert cards.shape_of_source(unknown).fit(images.LONG_SIDE) == (288, 288)


def test_an_unset_or_unreadable_ratio_is_square() -> None:
    for ratio in (None, "", "wide", "0:1", "16:"):
        assert cards.shape_of_ratio(ratio).fit(images.LONG_SIDE) == (288, 288)


@pytest.mark.parametrize(
    "prompt",
    [
        "",
        "x" * 6000,
        "tab\tnew\nline\x00nul \u200b zero-width",
        "lone \ud800 surrogate",
        "雪の中の赤い狐 🦊",
        "a-very-long-" * 40,
    ],
)
def test_any_prompt_renders(prompt: str) -> None:
    assert _render(Card(ID, "image", "uni-1", prompt)).size == (288, 162)


def test_rendering_is_cached_per_request() -> None:
    (file,) = outputs.image_file(cards.shape_of_ratio("1:1"), "png")
    assert outputs.render(file, CARD)[1] is outputs.render(file, CARD)[1]


# Videos -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("duration", "ratio"), [(DURATIONS[0], "16:9"), (DURATIONS[-1], "9:16"), (None, "21:9")])
def test_a_video_is_a_real_mp4_of_the_duration_asked_for(duration: str | None, ratio: str) -> None:
    card = Card(ID, "video", "ray-3.2", "a cat surfing a wave")
    (file,) = outputs.video_file(cards.shape_of_ratio(ratio), duration)
    content_type, body = outputs.render(file, card)
    assert (content_type, file.output_type, file.name) == ("video/mp4", "video", "output.mp4")
    seconds = videos.seconds_of(duration)
    with av.open(io.BytesIO(body), mode="r") as container:
        assert container.format.name.split(",")[0] == "mov"  # the MP4 demuxer ("mov,mp4,m4a,...")
        (stream,) = container.streams.video
        assert stream.codec_context.name == "h264"
        assert stream.average_rate == videos.FRAME_RATE
        width, height = cards.shape_of_ratio(ratio).fit(videos.LONG_SIDE, even=True)
        assert (stream.width, stream.height) == (width, height)
        assert max(width, height) == videos.LONG_SIDE and width % 2 == 0 and height % 2 == 0
        assert stream.duration is not None and stream.time_base is not None
        assert abs(stream.duration * stream.time_base - seconds) <= Fraction(1, videos.FRAME_RATE)
        frames = list(container.decode(stream))  # every frame decodes
    assert abs(len(frames) - seconds * videos.FRAME_RATE) <= 1
    assert (frames[0].width, frames[0].height) == (width, height)
    assert bytes(frames[0].planes[0]) != bytes(frames[-1].planes[0])  # something moves (the luma plane changes)


def test_an_unknown_or_unreadable_duration_is_5_seconds_and_durations_are_read_from_the_api_value() -> None:
    assert videos.seconds_of(None) == videos.UNKNOWN_SOURCE_SECONDS == 5
    assert [videos.seconds_of(duration) for duration in DURATIONS] == [5, 10]
    for unreadable in ("", "s", "0s", "five", "-5s", "5s0"):  # e.g. a value a newer spec adds in another shape
        assert videos.seconds_of(unreadable) == videos.UNKNOWN_SOURCE_SECONDS


def test_a_chained_video_edit_keeps_its_sources_shape_and_duration_and_looks_different() -> None:
    source_card = Card(ID, "video", "ray-3.2", "a cat surfing")
    (source,) = outputs.video_file(Shape(9, 16, "9:16"), "10s")
    edit_card = Card(OTHER_ID, "video_edit", "ray-3.2", "make it night")
    (edit,) = outputs.video_file(source.shape, source.seconds)
    assert (edit.shape, edit.seconds) == (source.shape, 10)
    assert outputs.render(source, source_card)[1] != outputs.render(edit, edit_card)[1]
    with pytest.raises(ValueError, match="not a video duration"):
        outputs.video_file(source.shape, 0)


# Layers -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("resolution", RESOLUTIONS)
def test_layering_gives_one_rgba_png_per_layer_front_to_back(resolution: str) -> None:
    card = Card(ID, "layering", "uni-1", "")
    shape = cards.shape_of_source(image_bytes("PNG", (300, 200)))
    files = outputs.layer_files(shape, resolution)
    assert [file.layer for file in files] == list(layers.LAYERS)
    entries = [outputs.output_entry(file, f"https://files/{file.name}") for file in files]
    assert [entry["layer"] for entry in entries] == [
        {"index": index, "label": layer.label, "description": layer.description, "alpha_hint": layer.alpha_hint}
        for index, layer in enumerate(layers.LAYERS)
    ]
    assert {entry["type"] for entry in entries} == {"image"}
    assert len({file.name for file in files}) == len(files) >= 2
    long_side = layers.long_side_of(resolution)
    *foreground, background = [_image(outputs.render(file, card)[1]) for file in files]
    for image in [*foreground, background]:
        assert image.format == "PNG" and image.mode == "RGBA"
        assert image.size == shape.fit(long_side) and max(image.size) == long_side
    for image, file in zip(foreground, files, strict=False):
        alphas = _alphas(image)
        assert 0 in alphas and 255 in alphas, file.name  # transparent around something opaque
        assert file.layer is not None
        if file.layer.alpha_hint == "soft":
            assert any(0 < alpha < 255 for alpha in alphas), "soft edges have partial alpha"
        if file.layer.alpha_hint == "hard":
            assert alphas == {0, 255}
    assert _alphas(background) == {255}
    last = files[-1].layer
    assert last is not None and last.alpha_hint == "none" and last.index == len(files) - 1


def test_layer_labels_are_one_or_two_words() -> None:
    for layer in layers.LAYERS:
        assert 1 <= len(layer.label.split()) <= 2


def test_a_layering_resolution_is_read_from_the_api_value() -> None:
    assert [layers.long_side_of(resolution) for resolution in RESOLUTIONS] == [256, 512]
    for bad in ("", "k", "0k", "big"):
        with pytest.raises(ValueError, match="not a layering resolution"):
            layers.long_side_of(bad)
