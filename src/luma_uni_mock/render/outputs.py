"""The files a completed generation serves: planned when it is created (cheap), rendered when fetched (cached).

How the app uses it (all pure; nothing is rendered before a URL is fetched):

- at POST: ``files = image_file(...)``, ``video_file(...)`` or ``layer_files(...)`` (a tuple of `PlannedFile`),
  stored on the generation. A file holds nothing of one generation (its card, what it shows of the request, is the
  generation's), so generations planned alike share their files: the planners are memoised;
- at GET of a completed generation: for each file, ``output_entry(file, url)`` with ``url`` signed for
  ``file.name``, in order (layers front to back);
- at GET of a file URL: the `PlannedFile` whose ``name`` is in the path, then ``render(file, card)`` →
  ``(content_type, body)``. A video takes a few tenths of a second to encode the first time: call it in a thread
  (``asyncio.to_thread``) from async code.

The shape (`cards.Shape`) comes from ``cards.shape_of_ratio(aspect_ratio)`` for generations, from
``cards.shape_of_source(source bytes)`` for edits and layering, or from the source generation's own files' shape
for a chained ``generation_id`` (``file.shape``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Literal, NamedTuple

from . import images, layers, videos
from .cards import Card, Shape
from .layers import Layer

Kind = Literal["image", "video", "layer"]


class PlannedFile(NamedTuple):
    """One file of a generation, planned at POST: what ``output[]`` lists about it and everything needed to render it
    (named apart from the client's ``_downloads.OutputFile``, an output it saves), but the card it shows: shared by
    the generations planned alike. A NamedTuple: a frozen dataclass sets each field through object.__setattr__."""

    kind: Kind
    shape: Shape
    name: str  # the last segment of its URL path, unique within the generation, e.g. "output.png", "layer-0.png"
    output_type: str  # output[].type: "image" or "video"
    content_type: str
    output_format: str = "png"  # image: the format it is encoded in (images.servable)
    seconds: int = 0  # video: its duration
    long_side: int = 0  # layer: pixels of its long side
    layer: Layer | None = None  # layer: its output[].layer object


def _image_file(shape: Shape, output_format: str) -> tuple[PlannedFile, ...]:
    """The single image of ``type`` image or image_edit, in ``output_format`` where the mock can encode it."""
    fmt, content_type = images.servable(output_format)
    return (PlannedFile("image", shape, f"output.{fmt}", "image", content_type, output_format=fmt),)


def _video_file(shape: Shape, duration: str | int | None) -> tuple[PlannedFile, ...]:
    """The single MP4 of a video, video_edit or video_reframe. ``duration`` is the request's ``video.duration``
    (``"5s"``/``"10s"``), the source video's ``seconds`` for an edit chained by ``generation_id``, or None when the
    source's duration is unknown (a URL or data the mock does not decode): then 5 s."""
    seconds = duration if isinstance(duration, int) else videos.seconds_of(duration)
    if seconds <= 0:  # pragma: no mutate
        raise ValueError(f"not a video duration: {duration!r}")  # pragma: no mutate
    return (PlannedFile("video", shape, "output.mp4", "video", videos.CONTENT_TYPE, seconds=seconds),)


def _layer_files(shape: Shape, resolution: str) -> tuple[PlannedFile, ...]:
    """One PNG per layer of a layering generation, front to back; ``resolution`` is ``layering.resolution``."""
    long_side = layers.long_side_of(resolution)
    return tuple(
        PlannedFile(
            "layer",
            shape,
            f"layer-{layer.index}.png",
            "image",
            layers.CONTENT_TYPE,
            long_side=long_side,
            layer=layer,
        )
        for layer in layers.LAYERS
    )


# A few shapes and formats, asked for again and again: planned once (~8k instructions a POST). Wrapped, not
# decorated: mutation testing skips decorated functions.
image_file: Callable[[Shape, str], tuple[PlannedFile, ...]] = functools.lru_cache(maxsize=256)(_image_file)
video_file: Callable[[Shape, str | int | None], tuple[PlannedFile, ...]] = functools.lru_cache(maxsize=256)(_video_file)
layer_files: Callable[[Shape, str], tuple[PlannedFile, ...]] = functools.lru_cache(maxsize=256)(_layer_files)


def output_entry(file: PlannedFile, url: str) -> dict[str, object]:
    """The file's ``output[]`` item."""
    entry: dict[str, object] = {"type": file.output_type, "url": url}
    if file.layer is not None:
        entry["layer"] = file.layer.as_json()
    return entry


def render(file: PlannedFile, card: Card) -> tuple[str, bytes]:
    """The file's content type and bytes showing ``card`` (each module caches per distinct request)."""
    if file.kind == "video":
        return file.content_type, videos.render(card, file.shape, file.seconds)
    if file.kind == "layer":
        layer = file.layer
        assert layer is not None  # a layer file carries its output[].layer object (_layer_files)
        return file.content_type, layers.render(card, file.shape, file.long_side, layer.index)
    if file.kind == "image":
        return file.content_type, images.render(card, file.shape, file.output_format)
    raise ValueError(f"not a file the planners make: {file}")  # pragma: no mutate
