"""The request rules of ``CreateGenerationRequest.x-rules`` in openapi.yaml, one predicate per rule id.

The spec is the rules' one home for what the docs show: each rule's id, status, description and exact ``detail``
template. This module holds only what needs code: when a rule is broken, and the values its ``{placeholders}``
take. Two kinds:

- *schema rules* word a JSON-schema violation the API words in its own way (an unknown model, a prompt too long);
  they see the first schema error and return the placeholders when the error is theirs;
- *body rules* judge a schema-valid body (cross-field rules), in the spec's order: the first broken one answers;
  *chain rules* are body rules that also look up the caller's earlier generations (``generation_id``).

The mock refuses to start when the spec's ids and the ids implemented here differ (:func:`check_registry`).
How a refusal is worded from the placeholders (and read back by the tests) is rule_wording.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .http_errors import HttpError
from .lifecycle import COMPLETED
from .render.videos import seconds_of
from .rule_wording import (
    EDIT_TYPE,
    LAYERING_TYPE,
    MANGA_STYLE,
    VIDEO_TYPE,
    Values,
    detail,
    portrait_ratios,
    show,
    types_phrase,
    valid_ratios,
)
from .spec_facts import Rule, SpecFacts

if TYPE_CHECKING:
    import jsonschema

IMAGE, VIDEO = "image", "video"  # the kinds of media an ImageRef position takes (x-types source and output)
# The fields of an ImageRef of which exactly one must be given.
REF_INPUTS = ("url", "data", "generation_id", "file_id")

SchemaCheck = Callable[[SpecFacts, Any, "jsonschema.ValidationError"], Values | None]
BodyCheck = Callable[[SpecFacts, dict[str, Any]], Values | None]


@dataclass(frozen=True)
class Prior:
    """An earlier generation of the caller's API client, as the chain rules see it."""

    state: str
    output: str  # its type's x-types output: "image", "video" or "layers"


Lookup = Callable[[str], Prior | None]  # a lower-case generation id -> the caller's client's generation, if any
ChainCheck = Callable[[SpecFacts, dict[str, Any], Lookup], Values | None]


@dataclass(frozen=True)
class Implementation:
    schema_check: SchemaCheck | None = None
    body_check: BodyCheck | None = None
    chain_check: ChainCheck | None = None
    unknown_value_of: str | None = None  # the enum whose value {value} is not (checked in the spec's examples)


REGISTRY: dict[str, Implementation] = {}


def _register(rule_id: str, **fields: Any) -> None:
    current = REGISTRY.get(rule_id, Implementation())
    REGISTRY[rule_id] = Implementation(**{**current.__dict__, **fields})


def schema_rule(rule_id: str, unknown_value_of: str | None = None) -> Callable[[SchemaCheck], SchemaCheck]:
    def register(check: SchemaCheck) -> SchemaCheck:
        _register(rule_id, schema_check=check, unknown_value_of=unknown_value_of)
        return check

    return register


def body_rule(rule_id: str) -> Callable[[BodyCheck], BodyCheck]:
    def register(check: BodyCheck) -> BodyCheck:
        _register(rule_id, body_check=check)
        return check

    return register


def chain_rule(rule_id: str) -> Callable[[ChainCheck], ChainCheck]:
    def register(check: ChainCheck) -> ChainCheck:
        _register(rule_id, chain_check=check)
        return check

    return register


def refusal(facts: SpecFacts, rule: Rule, values: Values) -> HttpError:
    return HttpError(rule.status, detail(facts, rule, values), fact=rule.id)


# --- Schema rules: the API's wording of some schema errors ---------------------------------------------------------


def _top_field(error: jsonschema.ValidationError) -> str | None:
    path = list(error.absolute_path)
    return path[0] if len(path) == 1 and isinstance(path[0], str) else None


def _field_value(body: Any, name: str) -> object:
    return body.get(name) if isinstance(body, dict) else None


def _prompt_too_long(body: Any, error: jsonschema.ValidationError) -> bool:
    return _top_field(error) == "prompt" and error.validator in {"minLength", "maxLength"}


@schema_rule("prompt_length")
def _prompt_length_schema(facts: SpecFacts, body: Any, error: jsonschema.ValidationError) -> Values | None:
    return {} if _prompt_too_long(body, error) and _field_value(body, "type") != LAYERING_TYPE else None


@schema_rule("layering_prompt_length")
def _layering_prompt_length_schema(facts: SpecFacts, body: Any, error: jsonschema.ValidationError) -> Values | None:
    return {} if _prompt_too_long(body, error) and _field_value(body, "type") == LAYERING_TYPE else None


@schema_rule("unknown_model", unknown_value_of="Model")
def _unknown_model(facts: SpecFacts, body: Any, error: jsonschema.ValidationError) -> Values | None:
    return {"value": show(_field_value(body, "model"))} if _top_field(error) == "model" else None


def _model_of(facts: SpecFacts, body: Any) -> str:
    """The request's model for a detail: the default when left out or not a known model."""
    model = _field_value(body, "model")
    return model if isinstance(model, str) and model in facts.models else facts.default_model


@schema_rule("invalid_aspect_ratio")
def _invalid_aspect_ratio(facts: SpecFacts, body: Any, error: jsonschema.ValidationError) -> Values | None:
    if _top_field(error) != "aspect_ratio":
        return None
    return {
        "value": show(_field_value(body, "aspect_ratio")),
        "valid": valid_ratios(facts, _model_of(facts, body)),
    }


@schema_rule("unsupported_type")
def _unsupported_type(facts: SpecFacts, body: Any, error: jsonschema.ValidationError) -> Values | None:
    if _top_field(error) != "type":
        return None
    model = _field_value(body, "model")
    return {
        "value": show(_field_value(body, "type")),
        "model": show(model if model is not None else facts.default_model),
    }


@schema_rule("too_many_refs")
def _too_many_refs_schema(facts: SpecFacts, body: Any, error: jsonschema.ValidationError) -> Values | None:
    too_many = _top_field(error) == "image_ref" and error.validator == "maxItems"
    return {} if too_many and _field_value(body, "type") != EDIT_TYPE else None


@schema_rule("too_many_edit_refs")
def _too_many_edit_refs_schema(facts: SpecFacts, body: Any, error: jsonschema.ValidationError) -> Values | None:
    too_many = _top_field(error) == "image_ref" and error.validator == "maxItems"
    return {} if too_many and _field_value(body, "type") == EDIT_TYPE else None


# --- Body rules: what a schema cannot state -----------------------------------------------------------------------


def _type(facts: SpecFacts, body: dict[str, Any]) -> Any:
    return body.get("type", facts.default_type)


def _model(facts: SpecFacts, body: dict[str, Any]) -> Any:
    return body.get("model", facts.default_model)


def _video(body: dict[str, Any]) -> dict[str, Any]:
    return body.get("video") or {}


def given(value: object) -> bool:
    """Whether a field asks for something: null, ``false`` and an empty list are the same as leaving it out."""
    return value is not None and value is not False and value != []


@body_rule("unsupported_type")
def _type_of_model(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    generation_type, model = _type(facts, body), _model(facts, body)
    return None if generation_type in facts.types_of(model) else {"value": generation_type, "model": model}


@body_rule("invalid_aspect_ratio")
def _ratio_of_model(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    ratio, model = body.get("aspect_ratio"), _model(facts, body)
    if ratio is None or facts.of_type(_type(facts, body)).keeps_source_shape or ratio in facts.ratios_of(model):
        return None
    return {"value": ratio, "valid": valid_ratios(facts, model)}


def _field(body: dict[str, Any], path: str) -> object:
    """A field by its x-valid-for-types path: ``image_ref`` or ``video.loop``."""
    head, _, rest = path.partition(".")
    return _video(body).get(rest) if rest else body.get(head)


@body_rule("not_for_type")
def _not_for_type(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    generation_type = _type(facts, body)
    for path, types in facts.valid_for_types.items():
        if generation_type not in types and given(_field(body, path)):
            return {"field": path, "types": types_phrase(types)}
    return None


def _prompt_outside(facts: SpecFacts, body: dict[str, Any]) -> bool:
    low, high = facts.prompt_bounds(_type(facts, body))
    return not low <= len(body["prompt"]) <= high


@body_rule("prompt_length")
def _prompt_length(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    return {} if _type(facts, body) != LAYERING_TYPE and _prompt_outside(facts, body) else None


@body_rule("layering_prompt_length")
def _layering_prompt_length(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    return {} if _type(facts, body) == LAYERING_TYPE and _prompt_outside(facts, body) else None


@body_rule("source_required")
def _source_required(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    generation_type = _type(facts, body)
    needed = facts.of_type(generation_type).source is not None
    return {"value": generation_type} if needed and body.get("source") is None else None


@body_rule("source_not_allowed")
def _source_not_allowed(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    taken = facts.of_type(_type(facts, body))
    refused = taken.source is None and taken.refuses_source
    return {} if refused and body.get("source") is not None else None


@body_rule("too_many_edit_refs")
def _too_many_edit_refs(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    too_many = len(body.get("image_ref") or ()) > facts.max_image_refs - 1
    return {} if _type(facts, body) == EDIT_TYPE and too_many else None


def image_refs(body: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every ImageRef of a schema-valid body with the path the API names it by: ``source``, ``image_ref[i]``,
    ``video.start_frame``, ``video.end_frame``, ``video.keyframes[i]``, ``video.edit.keyframes[i]``."""
    source = body.get("source")
    if isinstance(source, dict):
        yield "source", source
    for index, ref in enumerate(body.get("image_ref") or ()):
        yield f"image_ref[{index}]", ref
    video = body.get("video") or {}
    for name in ("start_frame", "end_frame"):
        if isinstance(video.get(name), dict):
            yield f"video.{name}", video[name]
    for index, ref in enumerate(video.get("keyframes") or ()):
        yield f"video.keyframes[{index}]", ref
    for index, ref in enumerate((video.get("edit") or {}).get("keyframes") or ()):
        yield f"video.edit.keyframes[{index}]", ref


def _first_ref(body: dict[str, Any], broken: Callable[[dict[str, Any]], bool]) -> Values | None:
    return next(({"path": path} for path, ref in image_refs(body) if broken(ref)), None)


@body_rule("ref_exactly_one")
def _ref_exactly_one(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    return _first_ref(body, lambda ref: sum(ref.get(name) is not None for name in REF_INPUTS) != 1)


@body_rule("media_type_required")
def _media_type_required(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    return _first_ref(body, lambda ref: ref.get("data") is not None and ref.get("media_type") is None)


def position_kind(facts: SpecFacts, body: dict[str, Any], path: str) -> str:
    """The media an ImageRef position takes by url or data: the type's source kind at ``source``, else an image."""
    if path == "source":
        return facts.of_type(_type(facts, body)).source or IMAGE
    return IMAGE


def chained_kind(facts: SpecFacts, body: dict[str, Any], path: str) -> str:
    """The output a ``generation_id`` at this position must have: start and end frames extend a prior video."""
    return VIDEO if path in {"video.start_frame", "video.end_frame"} else position_kind(facts, body, path)


def _media_kind(media_type: object) -> str | None:
    text = media_type.strip().lower() if isinstance(media_type, str) else ""
    return next((kind for kind in (IMAGE, VIDEO) if text.startswith(kind + "/")), None)


@body_rule("url_media_type_required")
def _url_media_type_required(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    source = body.get("source")
    if not isinstance(source, dict) or position_kind(facts, body, "source") != VIDEO:
        return None
    needed = source.get("url") is not None and source.get("media_type") is None
    return {"path": "source", "value": _type(facts, body)} if needed else None


@body_rule("media_type_not_accepted")
def _media_type_not_accepted(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    for path, ref in image_refs(body):
        kind = _media_kind(ref.get("media_type"))
        if kind is not None and kind != position_kind(facts, body, path):
            return {"path": path, "value": ref["media_type"]}
    return None


@body_rule("exr_requires_hdr")
def _exr_requires_hdr(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    video = _video(body)
    return {} if given(video.get("exr_export")) and not given(video.get("hdr")) else None


def _duration(facts: SpecFacts, body: dict[str, Any]) -> str:
    return _video(body).get("duration") or facts.default_duration


@body_rule("loop_conflict")
def _loop_conflict(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    video = _video(body)
    if not given(video.get("loop")):
        return None
    duration = _duration(facts, body)
    if duration not in facts.loopable_durations:
        return {"conflict": f"duration '{duration}'"}
    return {"conflict": "video.hdr"} if given(video.get("hdr")) else None


@body_rule("frames_conflict")
def _frames_conflict(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    """The legacy two-frame surface (start_frame, end_frame) takes the durations of x-frame-durations and no HDR."""
    video = _video(body)
    field = next((name for name in ("start_frame", "end_frame") if given(video.get(name))), None)
    if field is None:
        return None
    duration = _duration(facts, body)
    if duration not in facts.frame_durations:
        return {"field": field, "conflict": f"duration '{duration}'"}
    return {"field": field, "conflict": "video.hdr"} if given(video.get("hdr")) else None


@body_rule("hdr_resolution")
def _hdr_resolution(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    video = _video(body)
    resolution = video.get("resolution")
    sdr_only = resolution in facts.sdr_only_resolutions and _type(facts, body) == VIDEO_TYPE
    return {"value": resolution} if sdr_only and given(video.get("hdr")) else None


@body_rule("keyframes_exclusive")
def _keyframes_exclusive(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    """``video.keyframes`` or ``video.edit.keyframes`` with a field of ``video`` that its x-excludes names."""
    video = _video(body)
    for keyframes, options, excluded in (
        ("video.keyframes", video, facts.keyframe_excludes),
        ("video.edit.keyframes", video.get("edit") or {}, facts.edit_keyframe_excludes),
    ):
        if given(options.get("keyframes")):
            other = next((name for name in excluded if given(video.get(name))), None)
            if other:
                return {"keyframes": keyframes, "other": other}
    return None


@body_rule("keyframe_indexes_match")
def _keyframe_indexes_match(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    video = _video(body)
    for prefix, options in (("video.", video), ("video.edit.", video.get("edit") or {})):
        if len(options.get("keyframes") or ()) != len(options.get("keyframe_indexes") or ()):
            return {"indexes": f"{prefix}keyframe_indexes", "keyframes": f"{prefix}keyframes"}
    return None


@body_rule("keyframe_index_range")
def _keyframe_index_range(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    duration = _duration(facts, body)
    last = seconds_of(duration) * facts.frames_per_second
    for index, frame in enumerate(_video(body).get("keyframe_indexes") or ()):
        if frame > last:
            return {"index": index, "last": last, "duration": duration}
    return None


@body_rule("manga_landscape")
def _manga_landscape(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    # aspect_ratio is ignored where the output keeps the source's shape, so manga edits take any ratio.
    ratio, model = body.get("aspect_ratio"), _model(facts, body)
    manga = body.get("style", facts.default_style) == MANGA_STYLE
    portrait = portrait_ratios(facts, model)
    landscape = ratio is not None and ratio not in portrait
    judged = not facts.of_type(_type(facts, body)).keeps_source_shape
    return {"valid": ", ".join(portrait)} if judged and manga and landscape else None


@body_rule("file_not_found")
def _file_not_found(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    return _first_ref(body, lambda ref: ref.get("file_id") is not None)


def _chained_refs(body: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for path, ref in image_refs(body):
        generation_id = ref.get("generation_id")
        if generation_id is not None:
            yield path, str(generation_id)


@chain_rule("generation_not_found")
def _generation_not_found(facts: SpecFacts, body: dict[str, Any], lookup: Lookup) -> Values | None:
    return next(({"path": path} for path, gid in _chained_refs(body) if lookup(gid.lower()) is None), None)


@chain_rule("generation_not_completed")
def _generation_not_completed(facts: SpecFacts, body: dict[str, Any], lookup: Lookup) -> Values | None:
    for path, gid in _chained_refs(body):
        prior = lookup(gid.lower())
        if prior is not None and prior.state != COMPLETED:
            return {"path": path, "id": gid}
    return None


@chain_rule("generation_wrong_kind")
def _generation_wrong_kind(facts: SpecFacts, body: dict[str, Any], lookup: Lookup) -> Values | None:
    for path, gid in _chained_refs(body):
        prior, kind = lookup(gid.lower()), chained_kind(facts, body, path)
        if prior is not None and prior.output != kind:
            return {"path": path, "id": gid, "kind": kind}
    return None


# --- Running them ---------------------------------------------------------------------------------------------------


def check_registry(facts: SpecFacts) -> None:
    """Refuse to start unless the spec's x-rules and the rules implemented here are the same ids, and the values
    the rules rely on are still in the spec's enums."""
    in_spec = {rule.id for rule in facts.rules}
    if in_spec != set(REGISTRY):
        raise ValueError(
            "CreateGenerationRequest.x-rules and src/luma_uni_mock/rules.py differ: "
            f"in the spec only {sorted(in_spec - set(REGISTRY))}, implemented only {sorted(set(REGISTRY) - in_spec)}"
        )
    for value, allowed, name in (
        (EDIT_TYPE, facts.types, "GenerationType"),
        (LAYERING_TYPE, facts.types, "GenerationType"),
        (VIDEO_TYPE, facts.types, "GenerationType"),
        (MANGA_STYLE, facts.styles, "Style"),
    ):
        if value not in allowed:
            raise ValueError(f"the spec's {name} enum lacks {value!r}, which the mock's cross-field rules use")


def word_schema_error(facts: SpecFacts, body: Any, error: jsonschema.ValidationError) -> HttpError | None:
    """The refusal of the first schema rule that words this schema error, if any does."""
    for rule in facts.rules:
        check = REGISTRY[rule.id].schema_check
        values = check(facts, body, error) if check else None
        if values is not None:
            return refusal(facts, rule, values)
    return None


def check(facts: SpecFacts, body: dict[str, Any], lookup: Lookup) -> None:
    """Raise the refusal of the first body or chain rule (in the spec's order) that the schema-valid body breaks;
    ``lookup`` finds the caller's client's earlier generations."""
    for rule in facts.rules:
        implementation = REGISTRY[rule.id]
        values = implementation.body_check(facts, body) if implementation.body_check else None
        if values is None and implementation.chain_check:
            values = implementation.chain_check(facts, body, lookup)
        if values is not None:
            raise refusal(facts, rule, values)
