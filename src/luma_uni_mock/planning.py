"""What a new generation will serve, decided at POST: its output files, from its type (GenerationType's x-types
output), the request's options, the source it was given and, for a chained ``generation_id`` source, the earlier
generation's own files (an edit keeps its source's shape, a video edit its source's duration).

Values only a newer server knows (which permissive mode lets through) fall back to the server's defaults.
"""

from __future__ import annotations

from typing import Any

from .render import outputs
from .render.cards import Shape, shape_of_ratio, shape_of_source
from .render.outputs import PlannedFile
from .spec_facts import SpecFacts


def plan_files(
    facts: SpecFacts,
    body: dict[str, Any],
    source_bytes: bytes | None,
    chained_source: tuple[PlannedFile, ...] | None,
) -> tuple[PlannedFile, ...]:
    """The files of a generation of ``body``; ``chained_source`` is the files of the generation ``source`` names."""
    generation_type = body.get("type", facts.default_type)  # pragma: no mutate
    kind = facts.of_type(generation_type)
    source_file = chained_source[0] if chained_source else None
    shape = _shape(body, kind.keeps_source_shape, kind.source is not None, source_bytes, source_file)
    if kind.output == "video":
        return outputs.video_file(shape, _seconds(facts, body, kind.source is not None, source_file))
    if kind.output == "layers":
        resolution = (body.get("layering") or {}).get("resolution")
        if resolution not in facts.layering_resolutions:
            resolution = facts.default_layering_resolution
        return outputs.layer_files(shape, resolution)
    return outputs.image_file(shape, _output_format(facts, body.get("output_format")))


def types_planned_from_options(facts: SpecFacts) -> frozenset[str]:
    """The types whose files rest on the body's type, aspect_ratio and output_format alone: images made from the
    prompt (a type that takes no source ignores any source sent in permissive mode)."""
    return frozenset(name for name, kind in facts.type_facts.items() if kind.source is None and kind.output == "image")


def plan_from_options(
    facts: SpecFacts, generation_type: str, aspect_ratio: Any, output_format: Any
) -> tuple[PlannedFile, ...]:
    """`plan_files` of a body of one of the `types_planned_from_options` holding these options (None: left out)."""
    body = {"type": generation_type, "aspect_ratio": aspect_ratio, "output_format": output_format}
    return plan_files(facts, body, None, None)


def _shape(
    body: dict[str, Any], keeps_source_shape: bool, has_source: bool, data: bytes | None, chained: PlannedFile | None
) -> Shape:
    """The source's shape for the types that keep it (and for a reframe left without a target ratio), else the
    requested ratio's."""
    ratio = body.get("aspect_ratio")
    if keeps_source_shape or (has_source and ratio is None):
        return chained.shape if chained is not None else shape_of_source(data)
    return shape_of_ratio(ratio)


def _seconds(
    facts: SpecFacts, body: dict[str, Any], from_source: bool, chained: PlannedFile | None
) -> str | int | None:
    """A video's duration: its source's (a chained video's seconds; unknown for a URL or data) when it transforms
    one, else the requested one, else the server default."""
    if from_source:
        return chained.seconds if chained is not None and chained.seconds > 0 else None
    duration = (body.get("video") or {}).get("duration")
    return duration if duration in facts.video_durations else facts.default_duration


def _output_format(facts: SpecFacts, requested: Any) -> str:
    """The output's format: the one asked for, else (left open, or a value only a newer server knows, which
    permissive mode lets through) the spec's server default (``x-server-default``)."""
    return requested if requested in facts.output_formats else facts.default_output_format
