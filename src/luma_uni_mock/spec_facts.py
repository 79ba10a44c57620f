"""What the mock reads from openapi.yaml, checked at start-up: the compiled schemas it validates with and the facts
every rule, default and limit comes from (enums, x-types, x-rules, per-model items, limits, defaults, ...).

If a fact is missing or malformed, `load_spec_facts` raises `ContractError` with a clear message naming where it
belongs, and the mock does not start.

Each refusal a fact makes rests on its ``x-source`` (sources.py). ``SpecFacts.lenient`` is the same spec read with
every refusal that rests on a choice of this contract taken out (`MockConfig.lenient_choices`): a choice-sourced
schema keyword or rule node dropped (so what the nodes hold, a model's ratios or a field's types, widens with it),
a choice-sourced code rule skipped, a media or auth check relaxed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .schemas import (
    JSON,
    CompiledSchema,
    ContractError,
    compile_schema,
    inline_refs,
    loosened,
    read_spec_text,
    spec_of_text,
)
from .sources import KEY, SourceError, is_choice, without_choices
from .stated_rules import Mark, condition_values, fields_by_types, find_marks, marks_of, per_model


@dataclass(frozen=True)
class Rule:
    """One entry of CreateGenerationRequest's x-rules: the refusal's status and detail template."""

    id: str
    status: int
    detail: str
    description: str
    choice: bool = False  # what it refuses rests on a choice of this contract (its x-source's description)


@dataclass(frozen=True)
class TypeFacts:
    """One GenerationType's entry of ``x-types``: what it takes and what it makes."""

    source: str | None  # the media `source` must hold ("image" or "video"); None: source is refused
    keeps_source_shape: bool  # the output keeps the source's shape: the schema judges no aspect_ratio for it
    output: str  # what a completed generation serves: "image", "video" or "layers"


OUTPUT_KINDS = frozenset({"image", "video", "layers"})
SOURCE_KINDS = frozenset({"image", "video"})


@dataclass(frozen=True)
class SpecFacts:
    """The mock's compiled view of openapi.yaml (named apart from the contract itself, the YAML file)."""

    api_version: str
    request_schema: CompiledSchema  # POST /generations body
    generation_id_schema: CompiledSchema  # GET /generations/{generation_id} path parameter
    models: tuple[str, ...]
    types: tuple[str, ...]
    aspect_ratios: tuple[str, ...]
    styles: tuple[str, ...]
    output_formats: tuple[str, ...]
    failure_codes: tuple[str, ...]
    failure_reasons: Mapping[str, str]  # FailureCode's x-failure-reasons: the failure_reason sent with each code
    states: tuple[str, ...]
    max_image_refs: int
    # What the request schema's rule nodes (``x-rule`` marks, stated_rules.py) hold, read back for the details and
    # the tests: the rules themselves are the schema's.
    stated_marks: list[Mark]
    prompt_min_length: int  # the bounds of every type but those with their own (prompt_length's node)
    prompt_max_length: int
    prompt_lengths: Mapping[str, tuple[int, int]]  # (min, max) of the types with their own bounds
    type_facts: Mapping[str, TypeFacts]  # GenerationType's x-types, one entry per GenerationType value
    model_types: Mapping[str, frozenset[str]]  # the types of each model with an unsupported_type item
    model_ratios: Mapping[str, tuple[str, ...]]  # the aspect ratios of each model with an invalid_aspect_ratio item
    portrait_ratios: frozenset[str]  # the ratios manga_landscape's node lets `style: manga` have
    max_edit_refs: int  # too_many_edit_refs' bound on image_ref for image_edit
    # The types each request field is valid for (not_for_type's items), by path ("image_ref", "video.loop", ...)
    valid_for_types: Mapping[str, tuple[str, ...]]
    keyframe_excludes: tuple[str, ...]  # what keyframes_exclusive's node refuses with video.keyframes
    last_keyframe: Mapping[str, int]  # the last valid video.keyframe_indexes item, per duration
    loopable_durations: frozenset[str]  # the durations loop_conflict's node lets video.loop have
    frame_durations: frozenset[str]  # the durations frames_conflict's node lets video.start_frame/end_frame have
    sdr_only_resolutions: frozenset[str]  # the resolutions hdr_resolution's node refuses with video.hdr
    video_durations: tuple[str, ...]  # VideoDuration
    layering_resolutions: tuple[str, ...]  # LayeringResolution
    default_duration: str  # VideoOptions.duration's x-server-default
    default_layering_resolution: str  # LayeringOptions.resolution's x-server-default
    rules: tuple[Rule, ...]  # CreateGenerationRequest's x-rules, in the spec's order
    max_image_bytes: int  # ImageRef's x-max-decoded-bytes
    url_lifetime_seconds: int  # GenerationOutput.url's x-lifetime-seconds: how long a presigned URL works
    rate_limit_window_seconds: int  # X-RateLimit-Reset's x-window-seconds: the per-minute limit's sliding window
    media_types: frozenset[str]  # ImageRef's x-accepted-media-types
    video_media_types: frozenset[str]  # ImageRef's x-accepted-video-media-types
    default_type: str  # x-server-default of the request's type, model, style and output_format
    default_model: str
    default_style: str
    default_output_format: str
    # Permissive mode (MockConfig.permissive): the request schema cut down to what an SDK's types check, and the
    # getGeneration 200 examples it answers unknown ids with.
    loose_request_schema: CompiledSchema
    generation_examples: tuple[JSON, ...]
    # Generation's properties that carry an ``example``: one the mock does not fill itself (a field the API added,
    # typed into the spec) is answered with it, so a spec that runs ahead of the mock needs no mock edit.
    generation_field_examples: Mapping[str, Any]
    checks_video_media: bool = True  # a video's media type, container and size are checked (they rest on a choice)
    strict_base64: bool = True  # ImageRef.data is RFC 4648 base64, padded (its contentEncoding rests on a choice)
    one_token: bool = True  # bearerAuth's x-one-token: a key with a space inside is a missing or invalid key
    # The same spec without the refusals that rest on a choice (None in that view itself).
    lenient: SpecFacts | None = None

    def rule(self, rule_id: str) -> Rule:
        return next(rule for rule in self.rules if rule.id == rule_id)

    def of_type(self, generation_type: str) -> TypeFacts:
        """The x-types entry of a type (a type without one, e.g. a newer server's, takes no source, makes an image)."""
        return self.type_facts.get(generation_type, _PLAIN_TYPE)

    def types_of(self, model: str) -> frozenset[str]:
        """The types ``model`` makes (every type when no per-model schema item names it)."""
        return self.model_types.get(model, frozenset(self.types))

    def ratios_of(self, model: str) -> tuple[str, ...]:
        """The aspect ratios ``model`` takes (every ratio when no per-model schema item names it)."""
        return self.model_ratios.get(model, self.aspect_ratios)

    def prompt_bounds(self, generation_type: str) -> tuple[int, int]:
        return self.prompt_lengths.get(generation_type, (self.prompt_min_length, self.prompt_max_length))


_PLAIN_TYPE = TypeFacts(source=None, keeps_source_shape=False, output="image")


def load_spec_facts(spec_path: Path) -> SpecFacts:
    """The facts of the spec at ``spec_path``, compiled once per distinct text and path: they are immutable, so the
    mocks of one spec share them (compiling its schemas was most of the ~12 ms a mock took to build)."""
    return _compiled_facts(read_spec_text(spec_path), spec_path)


def _compile_facts(text: str, spec_path: Path) -> SpecFacts:
    spec = spec_of_text(text, spec_path)
    try:
        facts = _read_facts(spec)
        return replace(facts, lenient=_lenient_view(facts, spec))
    except (ContractError, SourceError) as exc:
        raise ContractError(f"{spec_path}: {exc}") from None


# Wrapped, not decorated: mutation testing skips decorated functions. A spec that fails to compile is not kept.
_compiled_facts = functools.lru_cache(maxsize=8)(_compile_facts)


def _lenient_view(facts: SpecFacts, spec: JSON) -> SpecFacts:
    """``facts`` without the refusals that rest on a choice: the request schema without its choice-sourced keywords
    and rule nodes (so the lists the nodes hold widen: a model whose ratio node is gone takes every ratio), the
    code rules whose refusal is a choice, and the media and auth checks a choice relaxes."""
    schema = compile_schema("the lenient request body", without_choices(facts.request_schema.schema), spec)
    marks = find_marks(schema.schema)
    left = {mark.rule_id for mark in marks}

    def listed(rule_id: str, read: Any) -> Any:
        return MappingProxyType(read() if rule_id in left else {})

    image_ref = _dig(spec, "components", "schemas", "ImageRef")
    security = _dig(spec, "components", "securitySchemes", "bearerAuth")
    return replace(
        facts,
        request_schema=schema,
        stated_marks=marks,
        model_types=listed(
            "unsupported_type",
            lambda: {model: frozenset(types) for model, types in per_model(marks, "unsupported_type", "type").items()},
        ),
        model_ratios=listed("invalid_aspect_ratio", lambda: per_model(marks, "invalid_aspect_ratio", "aspect_ratio")),
        valid_for_types=listed("not_for_type", lambda: dict(fields_by_types(marks, "not_for_type"))),
        rules=tuple(rule for rule in facts.rules if not rule.choice),
        checks_video_media=not is_choice(image_ref, "x-accepted-video-media-types", "ImageRef"),
        strict_base64=not is_choice(_dig(image_ref, "properties", "data"), "contentEncoding", "ImageRef.data"),
        one_token=facts.one_token and not is_choice(security, "x-one-token", "bearerAuth"),
    )


def _read_facts(spec: JSON) -> SpecFacts:
    body_ref = _dig(spec, "paths", "/generations", "post", "requestBody", "content", "application/json", "schema")
    parameters = _dig(spec, "paths", "/generations/{generation_id}", "get", "parameters")
    id_schema = next(
        (p.get("schema") for p in parameters if isinstance(p, dict) and p.get("name") == "generation_id"), None
    )
    if not isinstance(id_schema, dict):
        raise ContractError("GET /generations/{generation_id} declares no generation_id path parameter schema")

    request_schema = compile_schema("the POST /generations request body", body_ref, spec)
    loose_request_schema = compile_schema("the loose request body", loosened(request_schema.schema), spec)
    generation_examples = _example_values(
        _dig(spec, "paths", "/generations/{generation_id}", "get", "responses", "200", "content", "application/json"),
        spec,
    )
    generation_id_schema = compile_schema("the generation_id path parameter", id_schema, spec)

    def enum(name: str) -> tuple[str, ...]:
        values = _dig(spec, "components", "schemas", name, "enum")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values) or not values:
            raise ContractError(f"components.schemas.{name}.enum must be a non-empty list of strings")
        return tuple(values)

    max_refs = _dig(spec, "components", "schemas", "CreateGenerationRequest", "properties", "image_ref", "maxItems")
    if not isinstance(max_refs, int) or max_refs < 1:
        raise ContractError("CreateGenerationRequest.image_ref.maxItems must be a positive integer")
    version = _dig(spec, "info", "version")
    image_ref = _dig(spec, "components", "schemas", "ImageRef")
    max_image_bytes = _dig(image_ref, "x-max-decoded-bytes")
    if not isinstance(max_image_bytes, int) or max_image_bytes < 1:
        raise ContractError("components.schemas.ImageRef.x-max-decoded-bytes must be a positive integer")
    media_types = _dig(image_ref, "x-accepted-media-types")
    if not isinstance(media_types, list) or not media_types or not all(isinstance(t, str) for t in media_types):
        raise ContractError("components.schemas.ImageRef.x-accepted-media-types must be a non-empty list of strings")
    properties = _dig(spec, "components", "schemas", "CreateGenerationRequest", "properties")

    def server_default(name: str, allowed: tuple[str, ...]) -> str:
        value = _dig(properties, name, "x-server-default")
        if value not in allowed:
            raise ContractError(f"CreateGenerationRequest.{name}.x-server-default {value!r} is not one of {allowed}")
        return str(value)

    types, models, styles, formats = enum("GenerationType"), enum("Model"), enum("Style"), enum("OutputFormat")
    failure_codes = enum("FailureCode")
    reasons = _dig(spec, "components", "schemas", "FailureCode", "x-failure-reasons")
    if not isinstance(reasons, dict) or set(reasons) != set(failure_codes):
        have = sorted(reasons) if isinstance(reasons, dict) else []
        raise ContractError(
            "components.schemas.FailureCode.x-failure-reasons must give one failure_reason per FailureCode value: "
            f"missing {sorted(set(failure_codes) - set(have))}, "
            f"not in the enum {sorted(set(have) - set(failure_codes))}"
        )
    prompt = _dig(properties, "prompt")
    schemas = _dig(spec, "components", "schemas")
    video = _dig(schemas, "VideoOptions", "properties")
    durations, resolutions = enum("VideoDuration"), enum("VideoResolution")
    marks = find_marks(request_schema.schema)
    stated = _stated_facts(marks, prompt, durations, resolutions)
    lengths = stated.pop("lengths")
    keeps_shape = stated.pop("keeps_source_shape")
    return SpecFacts(
        api_version=str(version),
        request_schema=request_schema,
        generation_id_schema=generation_id_schema,
        models=models,
        types=types,
        aspect_ratios=enum("AspectRatio"),
        styles=styles,
        output_formats=formats,
        failure_codes=failure_codes,
        failure_reasons=MappingProxyType({code: str(reasons[code]) for code in failure_codes}),
        states=enum("GenerationState"),
        max_image_refs=max_refs,
        stated_marks=marks,
        prompt_min_length=lengths["default"][0],
        prompt_max_length=lengths["default"][1],
        prompt_lengths=MappingProxyType({name: bounds for name, bounds in lengths.items() if name != "default"}),
        type_facts=_type_facts(_dig(spec, "components", "schemas", "GenerationType"), types, keeps_shape, marks),
        **stated,
        video_durations=durations,
        layering_resolutions=enum("LayeringResolution"),
        default_duration=_one_of(
            _dig(video, "duration", "x-server-default"), durations, "VideoOptions.duration.x-server-default"
        ),
        default_layering_resolution=_one_of(
            _dig(schemas, "LayeringOptions", "properties", "resolution", "x-server-default"),
            enum("LayeringResolution"),
            "LayeringOptions.resolution.x-server-default",
        ),
        rules=_rules(_dig(spec, "components", "schemas", "CreateGenerationRequest", "x-rules")),
        max_image_bytes=max_image_bytes,
        url_lifetime_seconds=_positive(
            _dig(schemas, "GenerationOutput", "properties", "url", "x-lifetime-seconds"),
            "GenerationOutput.url.x-lifetime-seconds",
        ),
        rate_limit_window_seconds=_positive(
            _dig(spec, "components", "headers", "X-RateLimit-Reset", "x-window-seconds"),
            "components.headers.X-RateLimit-Reset.x-window-seconds",
        ),
        media_types=frozenset(media_types),
        video_media_types=frozenset(
            _strings(_dig(image_ref, "x-accepted-video-media-types"), "ImageRef.x-accepted-video-media-types")
        ),
        default_type=server_default("type", types),
        default_model=server_default("model", models),
        default_style=server_default("style", styles),
        loose_request_schema=loose_request_schema,
        generation_examples=generation_examples,
        default_output_format=server_default("output_format", formats),
        generation_field_examples=MappingProxyType(
            {
                name: prop["example"]
                for name, prop in _dig(schemas, "Generation", "properties").items()
                if isinstance(prop, dict) and "example" in prop
            }
        ),
        one_token=_dig(spec, "components", "securitySchemes", "bearerAuth").get("x-one-token") is True,
    )


def _strings(values: Any, where: str) -> list[str]:
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise ContractError(f"{where} must be a non-empty list of strings")
    return values


def _subset(values: Any, allowed: Any, where: str) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) and v in allowed for v in values):
        raise ContractError(f"{where} must be a list of values among {sorted(allowed)}")
    return values


def _one_of(value: Any, allowed: tuple[str, ...], where: str) -> str:
    if value not in allowed:
        raise ContractError(f"{where} {value!r} is not one of {allowed}")
    return str(value)


def _positive(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ContractError(f"{where} must be a positive integer")
    return value


def _type_facts(
    schema: JSON, types: tuple[str, ...], keeps_shape: frozenset[str], marks: list[Mark]
) -> Mapping[str, TypeFacts]:
    """x-types (the media a type's source holds, what it makes) with, from the schema, whether its output keeps the
    source's shape (no aspect_ratio judged). The types x-types gives a source must be those the schema requires one
    for (source_required's condition): the schema states the rule, x-types what the source holds."""
    where = "components.schemas.GenerationType.x-types"
    entries = schema.get("x-types", {})
    if not isinstance(entries, dict) or not set(entries) <= set(types):
        raise ContractError(f"{where} must map GenerationType values to their facts")
    facts = {}
    for name, entry in entries.items():
        known = {"source", "output", KEY}
        if not isinstance(entry, dict) or not set(entry) <= known:
            raise ContractError(f"{where}.{name} must be a mapping of {sorted(known)}")
        fact = TypeFacts(
            source=entry.get("source"),
            keeps_source_shape=name in keeps_shape,
            output=entry.get("output", "image"),
        )
        if fact.source not in {None, *SOURCE_KINDS} or fact.output not in OUTPUT_KINDS:
            raise ContractError(
                f"{where}.{name}: source must be one of {sorted(SOURCE_KINDS)}, output one of {sorted(OUTPUT_KINDS)}"
            )
        facts[name] = fact
    with_source = {name for name, fact in facts.items() if fact.source is not None}
    required = {str(t) for mark in marks_of(marks, "source_required", where) for t in _types_above(mark)}
    if with_source != required:
        raise ContractError(
            f"{where} gives a source to {sorted(with_source)}, but the schema requires one (x-rule source_required) "
            f"for {sorted(required)}"
        )
    return MappingProxyType(facts)


def _types_above(mark: Mark) -> tuple[object, ...]:
    return condition_values(mark.conditional, "type")


def _stated_facts(
    marks: list[Mark], prompt: JSON, durations: tuple[str, ...], resolutions: tuple[str, ...]
) -> dict[str, Any]:
    """What the request schema's rule nodes hold (see SpecFacts); a node of another shape stops the mock."""
    where = "CreateGenerationRequest"
    try:
        default_max = int(prompt["maxLength"])
        [layering] = marks_of(marks, "layering_prompt_length", where)
        [prompt_length] = marks_of(marks, "prompt_length", where)
        lengths = {
            "default": (int(prompt_length.node["properties"]["prompt"]["minLength"]), default_max),
            **{
                str(t): (int(prompt.get("minLength", 0)), int(layering.node["properties"]["prompt"]["maxLength"]))
                for t in _types_above(layering)
            },
        }
        [edit_refs] = marks_of(marks, "too_many_edit_refs", where)
        [manga] = marks_of(marks, "manga_landscape", where)
        # keyframes_exclusive's node for video.keyframes (its other node is edit.keyframes' with start_frame)
        [exclusive] = [
            m for m in marks_of(marks, "keyframes_exclusive", where) if "keyframes" in m.node["if"]["properties"]
        ]
        [loop] = marks_of(marks, "loop_conflict", where)
        [frames] = marks_of(marks, "frames_conflict", where)
        [hdr] = marks_of(marks, "hdr_resolution", where)
        [keyframe_range] = marks_of(marks, "keyframe_index_range", where)
        long_durations = condition_values(keyframe_range.node, "duration")
        hdr_resolutions = hdr.node["then"]["properties"]["video"]["properties"]["resolution"]["enum"]

        def last(branch: str) -> int:
            return int(keyframe_range.node[branch]["properties"]["keyframe_indexes"]["items"]["maximum"])

        return {
            "lengths": lengths,
            "keeps_source_shape": frozenset(
                str(t) for mark in marks_of(marks, "invalid_aspect_ratio", where) for t in _types_above(mark)
            ),
            "model_types": MappingProxyType(
                {model: frozenset(types) for model, types in per_model(marks, "unsupported_type", "type").items()}
            ),
            "model_ratios": MappingProxyType(per_model(marks, "invalid_aspect_ratio", "aspect_ratio")),
            "portrait_ratios": frozenset(
                str(r) for r in manga.node["then"]["properties"]["aspect_ratio"]["enum"] if r is not None
            ),
            "max_edit_refs": int(edit_refs.node["then"]["properties"]["image_ref"]["maxItems"]),
            "valid_for_types": MappingProxyType(dict(fields_by_types(marks, "not_for_type"))),
            "keyframe_excludes": tuple(exclusive.node["then"]["properties"]),
            "last_keyframe": MappingProxyType(
                {d: last("then") if d in long_durations else last("else") for d in durations}
            ),
            "loopable_durations": frozenset(
                str(d) for d in loop.node["then"]["properties"]["duration"]["enum"] if d is not None
            ),
            "frame_durations": frozenset(
                str(d) for d in frames.node["then"]["properties"]["duration"]["enum"] if d is not None
            ),
            "sdr_only_resolutions": frozenset(r for r in resolutions if r not in hdr_resolutions),
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise ContractError(f"{where}: a rule node (x-rule) is not of the shape the mock reads: {exc!r}") from None


def _example_values(media: Any, spec: JSON) -> tuple[JSON, ...]:
    """The object values of a media type's ``examples`` ($refs resolved); none when it has no examples."""
    examples = media.get("examples") if isinstance(media, dict) else None
    values = []
    for example in (examples or {}).values() if isinstance(examples, dict) else ():
        resolved = inline_refs(example, spec)
        value = resolved.get("value") if isinstance(resolved, dict) else None
        if isinstance(value, dict):
            values.append(value)
    return tuple(values)


def _rules(entries: Any) -> tuple[Rule, ...]:
    where = "components.schemas.CreateGenerationRequest.x-rules"
    if not isinstance(entries, list):
        raise ContractError(f"{where} must be a list of rules")
    rules: list[Rule] = []
    for index, entry in enumerate(entries):
        fields = {"id": str, "status": int, "detail": str, "description": str}
        if not isinstance(entry, dict) or any(not isinstance(entry.get(k), t) for k, t in fields.items()):
            raise ContractError(f"{where}[{index}] must have id, status (an integer), detail and description")
        rules.append(
            Rule(
                id=entry["id"],
                status=entry["status"],
                detail=entry["detail"],
                description=entry["description"],
                choice=is_choice(entry, None, f"{where}.{entry['id']}"),
            )
        )
    ids = [rule.id for rule in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ContractError(f"{where} has duplicate ids: {duplicates}")
    return tuple(rules)


def _dig(node: Any, *keys: str) -> Any:
    path = []
    for key in keys:
        path.append(key)
        if not isinstance(node, dict) or key not in node:
            raise ContractError(f"missing {'.'.join(path)}")
        node = node[key]
    return node
