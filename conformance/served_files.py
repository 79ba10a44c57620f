"""Served output files decoded (Pillow for images, PyAV for videos) into what luma_uni_checks.files judges, and what
the spec makes of a request for them (read from the spec through the mock's SpecFacts, never a second copy)."""

from __future__ import annotations

import io
from typing import Any, cast

from luma_uni_checks.files import OPAQUE, Expected, ServedFile
from luma_uni_mock.spec_facts import SpecFacts

# An ISO base media file (MP4) starts with its ``ftyp`` box: the size (4 bytes), then the box type.
_FTYP = slice(4, 8)


def decode(content_type: str, body: bytes) -> ServedFile:
    """The file as decoded; an undecodable body raises (the caller reports it as the file it was meant to be)."""
    if content_type.startswith("video/"):
        return _decode_video(content_type, body)
    from PIL import Image

    with Image.open(io.BytesIO(body)) as image:
        image.load()
        alpha_min, partial = OPAQUE, False
        if "A" in image.getbands():
            alpha = image.getchannel("A")
            low, _ = alpha.getextrema()
            alpha_min = int(cast(float, low))
            partial = any(alpha.histogram()[1:OPAQUE])
        width, height = image.size
        return ServedFile(
            content_type,
            (image.format or "").lower(),
            width,
            height,
            mode=image.mode,
            alpha_min=alpha_min,
            partial_alpha=partial,
        )


def _decode_video(content_type: str, body: bytes) -> ServedFile:
    import av

    with av.open(io.BytesIO(body), mode="r") as container:
        stream = container.streams.video[0]
        if stream.duration is not None and stream.time_base is not None:
            seconds: float | None = float(stream.duration * stream.time_base)
        else:
            seconds = None if container.duration is None else container.duration / av.time_base
        demuxers = set(container.format.name.split(","))
        kind = "mp4" if body[_FTYP] == b"ftyp" and "mp4" in demuxers else container.format.name
        return ServedFile(content_type, kind, stream.codec_context.width, stream.codec_context.height, seconds=seconds)


def ratio_of(text: Any) -> tuple[int, int] | None:
    """``"W:H"`` as numbers; None for no ratio (the model picks)."""
    width, _, height = str(text or "").partition(":")
    return (int(width), int(height)) if width.isdigit() and height.isdigit() else None


def expected_for(
    facts: SpecFacts, body: dict[str, Any], source_ratio: tuple[int, int] | None, source_seconds: float | None
) -> Expected:
    """What the request promises its files are: their kind (x-types output), the image format (output_format, else
    its x-server-default), the frame's ratio (the request's; the source's for the types that keep it), a video's
    duration (video.duration, else its x-server-default; a type that transforms a video source keeps the source's)."""
    kind = facts.of_type(str(body.get("type", facts.default_type)))
    ratio = source_ratio if kind.keeps_source_shape else ratio_of(body.get("aspect_ratio")) or source_ratio
    seconds: float | None = None
    if kind.output == "video":
        if kind.source is not None:
            seconds = source_seconds
        else:
            duration = str((body.get("video") or {}).get("duration") or facts.default_duration)
            seconds = float(duration.removesuffix("s"))
    image_format = str(body.get("output_format") or facts.default_output_format) if kind.output == "image" else None
    # The spec names no output[].type for a layering's files (their layer objects are checked apart).
    output_type = kind.output if kind.output in {"image", "video"} else None
    return Expected(image_format=image_format, ratio=ratio, seconds=seconds, output_type=output_type)
