"""The rules a served output file is held to: what the generation and its request promised it would be.

Pure functions of what was decoded: the caller (the conformance suite, which fetches the files) decodes each file
with Pillow or PyAV into a `ServedFile` and says what the spec makes of the request in an `Expected`; these judge.
Nothing here decodes, so the proxy and the suite share the rules without the media libraries.

What the spec states: GenerationOutput.url (an image in the requested ``output_format``, an MP4 for the video types,
a PNG with alpha per layer), VideoOptions.duration (a video edit keeps its source's), CreateGenerationRequest's
``aspect_ratio`` (ignored by the types that keep their source's shape), GenerationLayer (``index`` front to back,
the last the background; ``alpha_hint`` soft, hard or none, the opaque background).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .findings import Finding
from .rules import finding

URL_WHERE = "components.schemas.GenerationOutput.properties.url"
RATIO_WHERE = "components.schemas.CreateGenerationRequest.properties.aspect_ratio"
DURATION_WHERE = "components.schemas.VideoOptions.properties.duration"
LAYER_WHERE = "components.schemas.GenerationLayer.properties"
OPAQUE = 255
# A frame fitted to a size is rounded to whole (for video: even) pixels: its ratio may be off by that much.
SHAPE_SLACK_PIXELS = 2
# A video's duration is whole frames on its frame grid; container and encoder may round by a frame or two.
DURATION_SLACK_SECONDS = 0.1


@dataclass(frozen=True)
class ServedFile:
    """A fetched output file as decoded."""

    content_type: str
    container: str  # an image's format (``png``, ``jpeg``) or a video's container (``mp4``), lower case
    width: int
    height: int
    mode: str | None = None  # an image's pixel mode (``RGBA``, ``RGB``)
    seconds: float | None = None  # a video's duration
    alpha_min: int = OPAQUE  # the least alpha of any pixel (255: opaque everywhere)
    partial_alpha: bool = False  # whether some pixel is neither transparent nor opaque (soft edges)


@dataclass(frozen=True)
class Expected:
    """What the spec makes of the request for one generation's files (None: the spec promises nothing there)."""

    image_format: str | None  # an image output's format: output_format or its x-server-default
    ratio: tuple[int, int] | None  # width:height the frame must have (the request's, or the source's)
    seconds: float | None  # a video's duration: video.duration, its x-server-default, or the source's
    output_type: str | None = None  # output[].type its generation's type makes (x-types output: image or video)


def _shape_off(served: ServedFile, ratio: tuple[int, int]) -> bool:
    width, height = ratio
    return abs(served.height - served.width * height / width) > SHAPE_SLACK_PIXELS


def check_file(output: Any, served: ServedFile, expected: Expected, context: str) -> Iterator[Finding]:
    """One output file against what its generation promised: container or format, frame shape, duration."""
    kind = output.get("type") if isinstance(output, dict) else None
    if expected.output_type is not None and kind != expected.output_type:
        yield finding(
            "served_file",
            "an output is of the kind its generation's type makes (GenerationType's x-types output)",
            URL_WHERE,
            f"{context}: output type {kind!r}, expected {expected.output_type!r}",
        )
    if kind == "video" and served.container != "mp4":
        yield finding("served_file", "a video output is an MP4", URL_WHERE, f"{context}: {served.container!r}")
    if kind == "image" and expected.image_format is not None and served.container != expected.image_format:
        yield finding(
            "served_file",
            "an image output is in the requested output_format, or its x-server-default",
            URL_WHERE,
            f"{context}: expected {expected.image_format}, decoded {served.container}",
        )
    if expected.ratio is not None and _shape_off(served, expected.ratio):
        yield finding(
            "served_file_shape",
            "the output has the requested aspect_ratio, or its source's shape for the types that keep it",
            RATIO_WHERE,
            f"{context}: expected {expected.ratio[0]}:{expected.ratio[1]}, got {served.width}x{served.height}",
        )
    if kind == "video" and expected.seconds is not None:
        seconds = served.seconds
        if seconds is None or abs(seconds - expected.seconds) > DURATION_SLACK_SECONDS:
            yield finding(
                "served_file_duration",
                "a video lasts its video.duration (its x-server-default when left out; a video edit its source's)",
                DURATION_WHERE,
                f"{context}: expected {expected.seconds:g} s, decoded {seconds} s",
            )


def check_layers(outputs: Sequence[Any], served: Sequence[ServedFile], context: str) -> Iterator[Finding]:
    """A layering's files: PNGs with alpha, one size, listed front to back (``layer.index`` is the position), the
    last the opaque background, each layer's transparency as its ``alpha_hint`` says."""
    sizes = {(file.width, file.height) for file in served}
    if len(sizes) > 1:
        yield finding("served_layers", "every layer has the same size", URL_WHERE, f"{context}: sizes {sorted(sizes)}")
    for position, (output, file) in enumerate(zip(outputs, served, strict=True)):
        layer = output.get("layer") if isinstance(output, dict) else None
        if not isinstance(layer, dict):
            yield finding("served_layers", "each layering output names its layer", LAYER_WHERE, f"{context}: {output}")
            continue
        where = f"{context}, output {position} ({layer.get('label')!r})"
        if file.container != "png" or file.mode not in ("RGBA", "LA"):
            detail = f"{where}: {file.container} in mode {file.mode}"
            yield finding("served_layers", "each layer is a PNG with alpha", URL_WHERE, detail)
        if layer.get("index") != position:
            yield finding(
                "served_layers",
                "the layers come front to back: output i is layer index i",
                f"{LAYER_WHERE}.index",
                f"{where}: index {layer.get('index')!r}",
            )
        yield from _alpha_as_hinted(str(layer.get("alpha_hint")), file, where)
        if position == len(outputs) - 1 and (layer.get("alpha_hint") != "none" or file.alpha_min < OPAQUE):
            yield finding(
                "served_layers",
                "the last layer is the opaque background (alpha_hint none)",
                f"{LAYER_WHERE}.index",
                f"{where}: alpha_hint {layer.get('alpha_hint')!r}, least alpha {file.alpha_min}",
            )


def _alpha_as_hinted(hint: str, file: ServedFile, where: str) -> Iterator[Finding]:
    """``none``: opaque everywhere; ``soft`` and ``hard``: transparent somewhere; ``soft``: with partial alpha."""
    text = {
        "none": "a layer with alpha_hint none is opaque",
        "hard": "a layer with alpha_hint hard is transparent around its content",
        "soft": "a layer with alpha_hint soft has soft (partly transparent) edges",
    }.get(hint)
    if text is None:
        return  # a hint the spec does not describe: a free string, nothing promised
    opaque = file.alpha_min == OPAQUE
    broken = not opaque if hint == "none" else opaque or (hint == "soft" and not file.partial_alpha)
    if broken:
        detail = f"{where}: least alpha {file.alpha_min}, partial alpha {file.partial_alpha}"
        yield finding("served_layers", text, f"{LAYER_WHERE}.alpha_hint", detail)
