"""openapi.yaml loaded and compiled at start-up: the validators and the enums every rule reads.

If anything the mock validates with cannot be found or compiled, `load_contract` raises `ContractError` with a
clear message and the mock does not start: it must never validate silently nothing.

Start-up compiles each schema with jsonschema_rs, which also checks it against the 2020-12 meta-schema. The
pure-Python jsonschema, whose errors word the 400 details, is imported and built on the first refused request:
with its dependencies it costs about 90 ms to import, a third of the mock's start-up.
"""

from __future__ import annotations

import re
import threading
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

import jsonschema_rs
import yaml

if TYPE_CHECKING:
    import jsonschema

JSON = dict[str, Any]


class ContractError(RuntimeError):
    """openapi.yaml is missing, unreadable, or lacks (or breaks) a schema the mock validates with."""


class CompiledSchema:
    """A schema compiled with jsonschema_rs, which answers every request (a yes or no in microseconds), and, built
    on the first refusal, jsonschema's validator, the authority whose best error becomes the detail (a no is
    re-checked by it; tests/mock check that the two agree)."""

    def __init__(self, schema: JSON | bool, fast_is_valid: Callable[[Any], bool]) -> None:
        self.schema = schema  # $refs inlined
        self.fast_is_valid = fast_is_valid
        self._validator: jsonschema.protocols.Validator | None = None
        self._lock = threading.Lock()  # large bodies are validated on worker threads

    def accepts_fast(self, instance: Any) -> bool:
        try:
            return self.fast_is_valid(instance)
        except Exception:  # e.g. an integer too large for Rust: let jsonschema decide
            return False

    def first_error(self, instance: Any) -> jsonschema.ValidationError | None:
        """The most relevant error (jsonschema's ``best_match``), or None when the instance is valid."""
        from jsonschema.exceptions import best_match  # here, not at the top: see the module's doc

        return cast("jsonschema.ValidationError | None", best_match(self._python_validator().iter_errors(instance)))

    def _python_validator(self) -> jsonschema.protocols.Validator:
        with self._lock:
            if self._validator is None:
                import jsonschema  # here, not at the top: see the module's doc

                validator_class = jsonschema.Draft202012Validator
                validator = validator_class(self.schema, format_checker=validator_class.FORMAT_CHECKER)
                self._validator = cast("jsonschema.protocols.Validator", validator)
            return self._validator


@dataclass(frozen=True)
class Rule:
    """One entry of CreateGenerationRequest's x-rules: the refusal's status and detail template."""

    id: str
    status: int
    detail: str
    description: str


@dataclass(frozen=True)
class TypeFacts:
    """One GenerationType's entry of ``x-types``: what it takes and what it makes."""

    source: str | None  # the media `source` must hold ("image" or "video"); None: source is refused
    keeps_source_shape: bool  # the output keeps the source's shape, aspect_ratio is ignored
    output: str  # what a completed generation serves: "image", "video" or "layers"


OUTPUT_KINDS = frozenset({"image", "video", "layers"})
SOURCE_KINDS = frozenset({"image", "video"})


@dataclass(frozen=True)
class Contract:
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
    default_type: str  # x-server-default of the request's type, model, style and output_format
    default_model: str
    default_style: str
    default_output_format: str
    # Permissive mode (MockConfig.permissive): the request schema cut down to what an SDK's types check, and the
    # getGeneration 200 examples it answers unknown ids with.
    loose_request_schema: CompiledSchema
    generation_examples: tuple[JSON, ...]

    def rule(self, rule_id: str) -> Rule:
        return next(rule for rule in self.rules if rule.id == rule_id)

    def facts(self, generation_type: str) -> TypeFacts:
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


def load_contract(spec_path: Path) -> Contract:
    try:
        text = spec_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContractError(f"cannot read the spec {spec_path}: {exc.strerror or exc}") from None
    try:
        spec = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ContractError(f"{spec_path} is not valid YAML: {exc}") from None
    if not isinstance(spec, dict):
        raise ContractError(f"{spec_path} is not an OpenAPI document (top level is not a mapping)")
    try:
        return _compile(spec)
    except ContractError as exc:
        raise ContractError(f"{spec_path}: {exc}") from None


def _compile(spec: JSON) -> Contract:
    body_ref = _dig(spec, "paths", "/generations", "post", "requestBody", "content", "application/json", "schema")
    parameters = _dig(spec, "paths", "/generations/{generation_id}", "get", "parameters")
    id_schema = next(
        (p.get("schema") for p in parameters if isinstance(p, dict) and p.get("name") == "generation_id"), None
    )
    if not isinstance(id_schema, dict):
        raise ContractError("GET /generations/{generation_id} declares no generation_id path parameter schema")

    request_schema = _compile_one("the POST /generations request body", body_ref, spec)
    loose_request_schema = _compile_one("the loose request body", _loosened(request_schema.schema), spec)
    generation_examples = _example_values(
        _dig(spec, "paths", "/generations/{generation_id}", "get", "responses", "200", "content", "application/json"),
        spec,
    )
    generation_id_schema = _compile_one("the generation_id path parameter", id_schema, spec)

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
    model_types, model_ratios = _models(_dig(schemas, "Model"), models, types, ratios)
    video = _dig(schemas, "VideoOptions", "properties")
    valid_for = _valid_for_types(properties, video, types)
    durations, resolutions = enum("VideoDuration"), enum("VideoResolution")
    return Contract(
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
        type_facts=_type_facts(_dig(spec, "components", "schemas", "GenerationType"), types),
        model_types=model_types,
        model_ratios=model_ratios,
        valid_for_types=valid_for,
        keyframe_excludes=tuple(
            _subset(_dig(video, "keyframes", "x-excludes"), video, "VideoOptions.keyframes.x-excludes")
        ),
        frames_per_second=_positive(
            _dig(schemas, "VideoDuration", "x-frames-per-second"), "VideoDuration.x-frames-per-second"
        ),
        loopable_durations=frozenset(
            _subset(_dig(schemas, "VideoDuration", "x-loopable"), durations, "VideoDuration.x-loopable")
        ),
        sdr_only_resolutions=frozenset(
            _subset(_dig(schemas, "VideoResolution", "x-sdr-only"), resolutions, "VideoResolution.x-sdr-only")
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


def _models(
    schema: JSON, models: tuple[str, ...], types: tuple[str, ...], ratios: tuple[str, ...]
) -> tuple[Mapping[str, frozenset[str]], Mapping[str, tuple[str, ...]]]:
    """Model's x-models: each listed model's types and aspect ratios (both required in an entry)."""
    where = "components.schemas.Model.x-models"
    entries = schema.get("x-models", {})
    if not isinstance(entries, dict) or not set(entries) <= set(models):
        raise ContractError(f"{where} must map Model values to their types and aspect_ratios")
    model_types, model_ratios = {}, {}
    for name, entry in entries.items():
        if not isinstance(entry, dict) or set(entry) != {"types", "aspect_ratios"}:
            raise ContractError(f"{where}.{name} must have exactly types and aspect_ratios")
        model_types[name] = frozenset(_subset(entry["types"], types, f"{where}.{name}.types"))
        model_ratios[name] = tuple(_subset(entry["aspect_ratios"], ratios, f"{where}.{name}.aspect_ratios"))
    return MappingProxyType(model_types), MappingProxyType(model_ratios)


def _valid_for_types(request: JSON, video: JSON, types: tuple[str, ...]) -> Mapping[str, tuple[str, ...]]:
    """Every x-valid-for-types of the request's and VideoOptions' properties, by the field's path."""
    found = {}
    for prefix, properties in (("", request), ("video.", video)):
        for name, prop in properties.items():
            if isinstance(prop, dict) and "x-valid-for-types" in prop:
                where = f"{prefix}{name}.x-valid-for-types"
                found[prefix + name] = tuple(_subset(prop["x-valid-for-types"], types, where))
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


def _type_facts(schema: JSON, types: tuple[str, ...]) -> Mapping[str, TypeFacts]:
    where = "components.schemas.GenerationType.x-types"
    entries = schema.get("x-types", {})
    if not isinstance(entries, dict) or not set(entries) <= set(types):
        raise ContractError(f"{where} must map GenerationType values to their facts")
    facts = {}
    for name, entry in entries.items():
        known = {"source", "keeps_source_shape", "output"}
        if not isinstance(entry, dict) or not set(entry) <= known:
            raise ContractError(f"{where}.{name} must be a mapping of {sorted(known)}")
        fact = TypeFacts(
            source=entry.get("source"),
            keeps_source_shape=entry.get("keeps_source_shape", False) is True,
            output=entry.get("output", "image"),
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
        resolved = _inline(example, spec, ())
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
            Rule(id=entry["id"], status=entry["status"], detail=entry["detail"], description=entry["description"])
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


# Keywords that never change a validation result: a $ref's siblings made only of these are dropped when inlining.
_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "default", "deprecated", "readOnly", "writeOnly", "$comment"}
)


def _compile_one(what: str, schema: Any, spec: JSON) -> CompiledSchema:
    """Inline every $ref (refusing unresolvable or recursive ones), then compile the result with jsonschema_rs,
    which refuses a schema that breaks the 2020-12 meta-schema. Inlining once at start-up halves jsonschema's
    validation time."""
    try:
        inlined = _inline(schema, spec, ())
    except ContractError as exc:
        raise ContractError(f"{what}: {exc}") from None
    if not isinstance(inlined, dict | bool):  # jsonschema_rs would read a string as JSON text
        raise ContractError(f"{what}: invalid schema: a schema is a mapping or a boolean, found {inlined!r}")
    try:
        fast = jsonschema_rs.Draft202012Validator(inlined, validate_formats=True)
    except jsonschema_rs.ValidationError as exc:
        raise ContractError(f"{what}: invalid schema at {list(exc.instance_path)}: {exc.message}") from None
    except Exception as exc:  # jsonschema_rs reports some problems (an unknown $ref target, ...) as other errors
        raise ContractError(f"{what}: invalid schema: {exc}") from None
    _check_python_patterns(what, inlined)
    return CompiledSchema(inlined, fast.is_valid)


# Keywords whose values are data, not schemas: a "pattern" inside them is not a regular expression.
_DATA_KEYWORDS = frozenset({"enum", "const", "default", "example", "examples"})


def _check_python_patterns(what: str, node: Any, path: tuple[str | int, ...] = ()) -> None:
    """Every regular expression must also compile with Python's ``re``, which jsonschema uses for the details:
    jsonschema_rs accepts some (``\\p{L}``) that ``re`` refuses, which would turn the first refusal into a 5xx."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            _check_python_patterns(what, item, (*path, index))
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in _DATA_KEYWORDS:
            continue
        patterns = [value] if key == "pattern" and isinstance(value, str) else []
        if key == "patternProperties" and isinstance(value, dict):
            patterns = list(value)
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                where = list((*path, key))
                raise ContractError(
                    f"{what}: invalid schema at {where}: {pattern!r} is not a Python regex ({exc})"
                ) from None
        _check_python_patterns(what, value, (*path, key))


def _inline(node: Any, spec: JSON, seen: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_inline(item, spec, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if ref is None:
        return {key: _inline(value, spec, seen) for key, value in node.items()}
    if not isinstance(ref, str):
        raise ContractError(f"$ref must be a string, found {ref!r}")
    if ref in seen:
        raise ContractError(f"recursive $ref {ref!r} (through {' -> '.join(seen)}) is not supported")
    target = _inline(_resolve(spec, ref), spec, (*seen, ref))
    if not isinstance(target, dict | bool):
        raise ContractError(f"$ref {ref!r} does not point at a schema")
    siblings = {key: value for key, value in node.items() if key != "$ref" and key not in _ANNOTATIONS}
    if not siblings:
        return target
    return {"allOf": [target], **{key: _inline(value, spec, seen) for key, value in siblings.items()}}


# What a generated SDK's request types (TypedDicts, Literals) do not check: value limits, formats, enums (a newer
# server's values must pass), closed objects (a newer SDK's fields must pass) and rules between fields.
_NOT_IN_SDK_TYPES = frozenset(
    {
        "enum", "const", "additionalProperties", "unevaluatedProperties", "propertyNames", "minLength", "maxLength",
        "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems",
        "maxItems", "uniqueItems", "minProperties", "maxProperties", "if", "then", "else", "not",
        "dependentRequired", "dependentSchemas",
    }
)  # fmt: skip
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs"})  # name -> schema
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def _loosened(schema: Any) -> Any:
    """An inlined schema checking only what an SDK's types check: JSON types, nesting and required fields.
    ``oneOf`` becomes ``anyOf`` (that only one branch matches is a rule between fields)."""
    if not isinstance(schema, dict):
        return schema
    loose: JSON = {}
    for key, value in schema.items():
        if key in _NOT_IN_SDK_TYPES:
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            loose[key] = {name: _loosened(sub) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            loose["anyOf" if key == "oneOf" else key] = [_loosened(sub) for sub in value]
        elif key in {"items", "contains"}:
            loose[key] = _loosened(value)
        else:
            loose[key] = value
    return loose


def _resolve(spec: JSON, ref: str) -> Any:
    """What a $ref inside the document points at: ``#`` and a JSON pointer (RFC 6901), percent-encoded as a URI
    fragment. (The ``referencing`` library does this too, but with attrs it adds ~30 ms to start-up; an
    OpenAPI document's references are all pointers into itself.)"""
    if not ref.startswith("#"):
        raise ContractError(f"unresolvable $ref {ref!r} (only references inside the document are supported)")
    pointer = urllib.parse.unquote(ref[1:])
    if pointer and not pointer.startswith("/"):
        raise ContractError(f"unresolvable $ref {ref!r} (not a JSON pointer)")
    node: Any = spec
    for escaped in pointer.split("/")[1:]:
        token = escaped.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise ContractError(f"unresolvable $ref {ref!r} (nothing at {token!r})")
    return node
