"""What the mock reads from openapi.yaml, checked at start-up: the compiled schemas it validates with and the facts
every rule, default and limit comes from (enums, x-types, x-models, x-rules, limits, server defaults, ...).

If a fact is missing or malformed, `load_spec_facts` raises `ContractError` with a clear message naming where it
belongs, and the mock does not start.

Each refusal a fact makes rests on its ``x-source`` (sources.py). ``SpecFacts.lenient`` is the same spec read with
every refusal that rests on a choice of this contract taken out (`MockConfig.lenient_choices`): a schema keyword
dropped, a rule skipped, a model's list, a field's types or a type's refusal of ``source`` widened, a media check
relaxed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypedDict

from .schemas import JSON, CompiledSchema, ContractError, compile_schema, inline_refs, loosened, read_spec
from .sources import KEY, SourceError, is_choice, without_choices


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
    keeps_source_shape: bool  # the output keeps the source's shape, aspect_ratio is ignored
    output: str  # what a completed generation serves: "image", "video" or "layers"
    refuses_source: bool = True  # with source None: a source is refused (False: the lenient view of a choice)


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
    prompt_min_length: int  # the bounds of every type without its own x-length-by-type entry
    prompt_max_length: int
    prompt_lengths: Mapping[str, tuple[int, int]]  # prompt.x-length-by-type: (min, max) of the types listed
    type_facts: Mapping[str, TypeFacts]  # GenerationType's x-types, one entry per GenerationType value
    model_types: Mapping[str, frozenset[str]]  # Model's x-models: the types of each model listed
    model_ratios: Mapping[str, tuple[str, ...]]  # Model's x-models: the aspect ratios of each model listed
    # x-valid-for-types of the request's fields, by path ("video", "image_ref", "video.loop", ...), in spec order
    valid_for_types: Mapping[str, tuple[str, ...]]
    keyframe_excludes: tuple[str, ...]  # VideoOptions.keyframes' x-excludes
    edit_keyframe_excludes: tuple[str, ...]  # VideoEditOptions.keyframes' x-excludes (fields of VideoOptions)
    frame_durations: frozenset[str]  # VideoDuration's x-frame-durations: those start_frame and end_frame take
    frames_per_second: int  # VideoDuration's x-frames-per-second
    loopable_durations: frozenset[str]  # VideoDuration's x-loopable
    sdr_only_resolutions: frozenset[str]  # VideoResolution's x-sdr-only
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
    checks_video_media: bool  # a video's media type, container and size are checked (they rest on a choice)
    strict_base64: bool  # ImageRef.data is RFC 4648 base64, padded (its contentEncoding rests on a choice)
    one_token: bool  # bearerAuth's x-one-token: a key with a space inside is a missing or invalid key
    default_type: str  # x-server-default of the request's type, model, style and output_format
    default_model: str
    default_style: str
    default_output_format: str
    # Permissive mode (MockConfig.permissive): the request schema cut down to what an SDK's types check, and the
    # getGeneration 200 examples it answers unknown ids with.
    loose_request_schema: CompiledSchema
    generation_examples: tuple[JSON, ...]
    # The same spec without the refusals that rest on a choice (None in that view itself).
    lenient: SpecFacts | None = None

    def rule(self, rule_id: str) -> Rule:
        return next(rule for rule in self.rules if rule.id == rule_id)

    def of_type(self, generation_type: str) -> TypeFacts:
        """The x-types entry of a type (a type without one, e.g. a newer server's, takes no source, makes an image)."""
        return self.type_facts.get(generation_type, _PLAIN_TYPE)

    def types_of(self, model: str) -> frozenset[str]:
        """The types ``model`` makes (every type when x-models has no entry for it)."""
        return self.model_types.get(model, frozenset(self.types))

    def ratios_of(self, model: str) -> tuple[str, ...]:
        """The aspect ratios ``model`` takes (every ratio when x-models has no entry for it)."""
        return self.model_ratios.get(model, self.aspect_ratios)

    def prompt_bounds(self, generation_type: str) -> tuple[int, int]:
        return self.prompt_lengths.get(generation_type, (self.prompt_min_length, self.prompt_max_length))


_PLAIN_TYPE = TypeFacts(source=None, keeps_source_shape=False, output="image")


def load_spec_facts(spec_path: Path) -> SpecFacts:
    spec = read_spec(spec_path)
    try:
        return replace(_read_facts(spec), lenient=_read_facts(spec, lenient=True))
    except ContractError as exc:
        raise ContractError(f"{spec_path}: {exc}") from None
    except SourceError as exc:
        raise ContractError(f"{spec_path}: {exc}") from None


def _read_facts(spec: JSON, *, lenient: bool = False) -> SpecFacts:
    """The facts of ``spec``; ``lenient``: without the refusals that rest on a choice."""

    def enforced(node: Any, fact: str | None, where: str) -> bool:
        """Whether the refusal ``node``'s fact makes is in force in this view."""
        return not (lenient and is_choice(node, fact, where))

    body_ref = _dig(spec, "paths", "/generations", "post", "requestBody", "content", "application/json", "schema")
    parameters = _dig(spec, "paths", "/generations/{generation_id}", "get", "parameters")
    id_schema = next(
        (p.get("schema") for p in parameters if isinstance(p, dict) and p.get("name") == "generation_id"), None
    )
    if not isinstance(id_schema, dict):
        raise ContractError("GET /generations/{generation_id} declares no generation_id path parameter schema")

    request_schema = compile_schema("the POST /generations request body", body_ref, spec)
    if lenient:
        request_schema = compile_schema("the lenient request body", without_choices(request_schema.schema), spec)
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
    lengths = _prompt_lengths(prompt, types)
    schemas = _dig(spec, "components", "schemas")
    ratios = enum("AspectRatio")
    model_types, model_ratios = _models(_dig(schemas, "Model"), models, types, ratios, enforced)
    video = _dig(schemas, "VideoOptions", "properties")
    valid_for = _valid_for_types(properties, video, types, enforced)
    durations = enum("VideoDuration")
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
        prompt_min_length=lengths["default"][0],
        prompt_max_length=lengths["default"][1],
        prompt_lengths=MappingProxyType({name: bounds for name, bounds in lengths.items() if name != "default"}),
        type_facts=_type_facts(_dig(spec, "components", "schemas", "GenerationType"), types, enforced),
        model_types=model_types,
        model_ratios=model_ratios,
        valid_for_types=valid_for,
        **_video_rule_facts(schemas, durations, enum("VideoResolution"), enforced),
        frames_per_second=_positive(
            _dig(schemas, "VideoDuration", "x-frames-per-second"), "VideoDuration.x-frames-per-second"
        ),
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
        rules=tuple(
            rule
            for rule in _rules(_dig(spec, "components", "schemas", "CreateGenerationRequest", "x-rules"))
            if not (lenient and rule.choice)
        ),
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
        **_relaxable_checks(spec, image_ref, enforced),
        default_type=server_default("type", types),
        default_model=server_default("model", models),
        default_style=server_default("style", styles),
        loose_request_schema=loose_request_schema,
        generation_examples=generation_examples,
        default_output_format=server_default("output_format", formats),
    )


class _VideoRuleFacts(TypedDict):
    keyframe_excludes: tuple[str, ...]
    edit_keyframe_excludes: tuple[str, ...]
    frame_durations: frozenset[str]
    loopable_durations: frozenset[str]
    sdr_only_resolutions: frozenset[str]


class _RelaxableChecks(TypedDict):
    checks_video_media: bool
    strict_base64: bool
    one_token: bool


def _video_rule_facts(
    schemas: JSON, durations: tuple[str, ...], resolutions: tuple[str, ...], enforced: Enforced
) -> _VideoRuleFacts:
    """The lists the video rules read (x-excludes, x-frame-durations, x-loopable, x-sdr-only); one not in force
    refuses nothing: no field excluded, every duration taken, no resolution SDR-only."""
    video = _dig(schemas, "VideoOptions", "properties")

    def listed(schema: str, key: str, allowed: tuple[str, ...], wide: frozenset[str]) -> frozenset[str]:
        values = frozenset(_subset(_dig(schemas, schema).get(key), allowed, f"{schema}.{key}"))
        return values if enforced(_dig(schemas, schema), key, schema) else wide

    def excludes(options: str) -> tuple[str, ...]:
        keyframes = _dig(schemas, options, "properties", "keyframes")
        names = tuple(_subset(keyframes.get("x-excludes", []), video, f"{options}.keyframes.x-excludes"))
        return names if enforced(keyframes, "x-excludes", f"{options}.keyframes") else ()

    return {
        "keyframe_excludes": excludes("VideoOptions"),
        "edit_keyframe_excludes": excludes("VideoEditOptions"),
        "frame_durations": listed("VideoDuration", "x-frame-durations", durations, frozenset(durations)),
        "loopable_durations": listed("VideoDuration", "x-loopable", durations, frozenset(durations)),
        "sdr_only_resolutions": listed("VideoResolution", "x-sdr-only", resolutions, frozenset()),
    }


def _relaxable_checks(spec: JSON, image_ref: JSON, enforced: Enforced) -> _RelaxableChecks:
    """The media and auth checks a choice may rest on, each in force or not."""
    security = _dig(spec, "components", "securitySchemes", "bearerAuth")
    return {
        "checks_video_media": enforced(image_ref, "x-accepted-video-media-types", "ImageRef"),
        "strict_base64": enforced(_dig(image_ref, "properties", "data"), "contentEncoding", "ImageRef.data"),
        "one_token": security.get("x-one-token") is True and enforced(security, "x-one-token", "bearerAuth"),
    }


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


Enforced = Callable[[Any, str | None, str], bool]  # whether the refusal a node's fact makes is in force


def _models(
    schema: JSON, models: tuple[str, ...], types: tuple[str, ...], ratios: tuple[str, ...], enforced: Enforced
) -> tuple[Mapping[str, frozenset[str]], Mapping[str, tuple[str, ...]]]:
    """Model's x-models: each listed model's types and aspect ratios (both required in an entry; a list not in
    force, i.e. a choice in the lenient view, is left out: the model takes every value)."""
    where = "components.schemas.Model.x-models"
    entries = schema.get("x-models", {})
    if not isinstance(entries, dict) or not set(entries) <= set(models):
        raise ContractError(f"{where} must map Model values to their types and aspect_ratios")
    model_types, model_ratios = {}, {}
    for name, entry in entries.items():
        if not isinstance(entry, dict) or set(entry) - {KEY} != {"types", "aspect_ratios"}:
            raise ContractError(f"{where}.{name} must have exactly types and aspect_ratios (and their x-source)")
        listed_types = frozenset(_subset(entry["types"], types, f"{where}.{name}.types"))
        listed_ratios = tuple(_subset(entry["aspect_ratios"], ratios, f"{where}.{name}.aspect_ratios"))
        if enforced(entry, "types", f"{where}.{name}"):
            model_types[name] = listed_types
        if enforced(entry, "aspect_ratios", f"{where}.{name}"):
            model_ratios[name] = listed_ratios
    return MappingProxyType(model_types), MappingProxyType(model_ratios)


def _valid_for_types(
    request: JSON, video: JSON, types: tuple[str, ...], enforced: Enforced
) -> Mapping[str, tuple[str, ...]]:
    """Every x-valid-for-types of the request's and VideoOptions' properties in force, by the field's path."""
    found = {}
    for prefix, properties in (("", request), ("video.", video)):
        for name, prop in properties.items():
            if isinstance(prop, dict) and "x-valid-for-types" in prop:
                where = f"{prefix}{name}.x-valid-for-types"
                listed = tuple(_subset(prop["x-valid-for-types"], types, where))
                if enforced(prop, "x-valid-for-types", prefix + name):
                    found[prefix + name] = listed
    return MappingProxyType(found)


def _prompt_lengths(prompt: Any, types: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """prompt.x-length-by-type as (min, max) per entry: a bound an entry leaves out is the schema's."""
    where = "CreateGenerationRequest.prompt.x-length-by-type"
    schema_min, schema_max = _dig(prompt, "minLength"), _dig(prompt, "maxLength")
    by_type = prompt.get("x-length-by-type", {}) if isinstance(prompt, dict) else {}
    if not isinstance(by_type, dict) or not set(by_type) <= {"default", *types}:
        raise ContractError(f"{where} must map 'default' or GenerationType values to bounds")
    lengths: dict[str, tuple[int, int]] = {}
    for name in {"default", *by_type}:
        bounds = by_type.get(name, {})
        low, high = bounds.get("minLength", schema_min), bounds.get("maxLength", schema_max)
        if not (isinstance(low, int) and isinstance(high, int) and schema_min <= low <= high <= schema_max):
            raise ContractError(f"{where}.{name} must lie inside prompt's minLength..maxLength")
        lengths[name] = (low, high)
    return lengths


def _type_facts(schema: JSON, types: tuple[str, ...], enforced: Enforced) -> Mapping[str, TypeFacts]:
    where = "components.schemas.GenerationType.x-types"
    entries = schema.get("x-types", {})
    if not isinstance(entries, dict) or not set(entries) <= set(types):
        raise ContractError(f"{where} must map GenerationType values to their facts")
    facts = {}
    for name, entry in entries.items():
        known = {"source", "keeps_source_shape", "output", KEY}
        if not isinstance(entry, dict) or not set(entry) <= known:
            raise ContractError(f"{where}.{name} must be a mapping of {sorted(known)}")
        fact = TypeFacts(
            source=entry.get("source"),
            keeps_source_shape=entry.get("keeps_source_shape", False) is True,
            output=entry.get("output", "image"),
            refuses_source=enforced(entry, "source", f"{where}.{name}"),
        )
        if fact.source not in {None, *SOURCE_KINDS} or fact.output not in OUTPUT_KINDS:
            raise ContractError(
                f"{where}.{name}: source must be one of {sorted(SOURCE_KINDS)}, output one of {sorted(OUTPUT_KINDS)}"
            )
        facts[name] = fact
    return MappingProxyType(facts)


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
