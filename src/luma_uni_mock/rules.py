"""The request rules of ``CreateGenerationRequest.x-rules`` in openapi.yaml: what code each rule id needs.

The spec is the rules' one home for what the docs show: each rule's id, status, description and exact ``detail``
template, and, for every rule JSON Schema can state, the condition itself (a schema node marked ``x-rule: <id>``,
see stated_rules.py). This module holds the rest. Kinds:

- *stated rules*: the schema says when the rule is broken; the code here only names its ``{placeholders}``;
- *schema wordings*: a plain schema error (a field's own keyword) the API words its own way (an unknown model, a
  prompt too long): they see the error and return the placeholders when the error is theirs;
- *body rules* judge a schema-valid body for what a schema cannot state; *chain rules* are body rules that also
  look up the caller's earlier generations (``generation_id``).

Which refusal answers a body that breaks several rules: the first stated rule broken (in x-rules order), else the
most relevant plain schema error (jsonschema's ``best_match``), else the first body or chain rule broken (in
x-rules order). The mock refuses to start when the spec's ids and the ids implemented here or marked in the schema
differ (:func:`check_registry`). How a refusal is worded from the placeholders is rule_wording.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from .http_errors import HttpError
from .lifecycle import COMPLETED
from .rule_wording import (
    EDIT_TYPE,
    LAYERING_TYPE,
    MANGA_STYLE,
    Values,
    detail,
    format_path,
    portrait_ratios,
    show,
    types_phrase,
    valid_ratios,
)
from .spec_facts import Rule, SpecFacts
from .stated_rules import Broken, broken_rule, condition_values, with_alternatives

if TYPE_CHECKING:
    import jsonschema

IMAGE, VIDEO = "image", "video"  # the kinds of media an ImageRef position takes (x-types source and output)

SchemaCheck = Callable[[SpecFacts, Any, "jsonschema.ValidationError"], Values | None]
StatedValues = Callable[[SpecFacts, Any, Broken], Values]  # a stated rule's placeholders
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
    stated_values: StatedValues | None = None
    schema_check: SchemaCheck | None = None
    body_check: BodyCheck | None = None
    chain_check: ChainCheck | None = None
    unknown_value_of: str | None = None  # the enum whose value {value} is not (checked in the spec's examples)
    # A body or chain rule's fields: a body with none of them cannot break it, so it is not run (None: always run).
    reads: frozenset[str] | None = None


NOT_IMPLEMENTED = Implementation()
REGISTRY: dict[str, Implementation] = {}


def _register(rule_id: str, **fields: Any) -> None:
    current = REGISTRY.get(rule_id, NOT_IMPLEMENTED)
    REGISTRY[rule_id] = Implementation(**{**current.__dict__, **fields})


def schema_rule(rule_id: str, unknown_value_of: str | None = None) -> Callable[[SchemaCheck], SchemaCheck]:
    def register(check: SchemaCheck) -> SchemaCheck:
        _register(rule_id, schema_check=check, unknown_value_of=unknown_value_of)
        return check

    return register


def stated_rule(rule_id: str) -> Callable[[StatedValues], StatedValues]:
    def register(values: StatedValues) -> StatedValues:
        _register(rule_id, stated_values=values)
        return values

    return register


def body_rule(rule_id: str, reads: frozenset[str] | None = None) -> Callable[[BodyCheck], BodyCheck]:
    def register(check: BodyCheck) -> BodyCheck:
        _register(rule_id, body_check=check, reads=reads)
        return check

    return register


def chain_rule(rule_id: str, reads: frozenset[str] | None = None) -> Callable[[ChainCheck], ChainCheck]:
    def register(check: ChainCheck) -> ChainCheck:
        _register(rule_id, chain_check=check, reads=reads)
        return check

    return register


def refusal(facts: SpecFacts, rule: Rule, values: Values) -> HttpError:
    return HttpError(rule.status, detail(facts, rule, values), fact=rule.id)


# --- Stated rules: the schema states the condition (an ``x-rule`` mark), the code names the placeholders -----------


def _field_value(body: Any, name: str) -> object:
    return body.get(name) if isinstance(body, dict) else None


def _type_of(facts: SpecFacts, body: Any) -> object:
    return _field_value(body, "type") if isinstance(body, dict) and "type" in body else facts.default_type


def _model_of(facts: SpecFacts, body: Any) -> str:
    """The request's model for a detail: the default when left out or not a known model."""
    model = _field_value(body, "model")
    return model if isinstance(model, str) and model in facts.models else facts.default_model


def _no_values(facts: SpecFacts, body: Any, broken: Broken) -> Values:
    return {}


for _rule_id in ("prompt_length", "layering_prompt_length", "source_not_allowed", "too_many_edit_refs"):
    stated_rule(_rule_id)(_no_values)
stated_rule("exr_requires_hdr")(_no_values)


def _type_values(facts: SpecFacts, body: Any) -> Values:
    model = _field_value(body, "model")
    return {"value": show(_type_of(facts, body)), "model": show(model if model is not None else facts.default_model)}


def _ratio_values(facts: SpecFacts, body: Any) -> Values:
    return {"value": show(_field_value(body, "aspect_ratio")), "valid": valid_ratios(facts, _model_of(facts, body))}


stated_rule("unsupported_type")(lambda facts, body, broken: _type_values(facts, body))
stated_rule("invalid_aspect_ratio")(lambda facts, body, broken: _ratio_values(facts, body))


@stated_rule("manga_landscape")
def _manga_landscape_values(facts: SpecFacts, body: Any, broken: Broken) -> Values:
    return {"valid": ", ".join(portrait_ratios(facts, _model_of(facts, body)))}


@stated_rule("source_required")
def _source_required_values(facts: SpecFacts, body: Any, broken: Broken) -> Values:
    return {"value": show(_type_of(facts, body))}


@stated_rule("not_for_type")
def _not_for_type_values(facts: SpecFacts, body: Any, broken: Broken) -> Values:
    types = condition_values(broken.mark.node, "type")
    return {"field": format_path(broken.error.absolute_path), "types": types_phrase(str(t) for t in types)}


@stated_rule("ref_exactly_one")
@stated_rule("media_type_required")
def _ref_values(facts: SpecFacts, body: Any, broken: Broken) -> Values:
    return {"path": format_path(broken.at)}


@stated_rule("url_media_type_required")
def _url_media_type_values(facts: SpecFacts, body: Any, broken: Broken) -> Values:
    return {"path": format_path(broken.at), "value": show(_type_of(facts, body))}


def _video_value(body: Any, name: str) -> object:
    return _field_value(_field_value(body, "video"), name)


@stated_rule("loop_conflict")
def _loop_conflict_values(facts: SpecFacts, body: Any, broken: Broken) -> Values:
    field = broken.error.absolute_path[-1]
    if field == "duration":
        return {"conflict": f"duration '{show(_video_value(body, 'duration'))}'"}
    return {"conflict": format_path(broken.error.absolute_path)}


@stated_rule("hdr_resolution")
def _hdr_resolution_values(facts: SpecFacts, body: Any, broken: Broken) -> Values:
    return {"value": show(_video_value(body, "resolution"))}


@stated_rule("frames_conflict")
def _frames_conflict_values(facts: SpecFacts, body: Any, broken: Broken) -> Values:
    field = next(name for name in ("start_frame", "end_frame") if isinstance(_video_value(body, name), dict))
    return {"field": field, **_loop_conflict_values(facts, body, broken)}


@stated_rule("keyframes_exclusive")
def _keyframes_exclusive_values(facts: SpecFacts, body: Any, broken: Broken) -> Values:
    """The keyframes of the node that refused (``video.keyframes`` or a video edit's ``video.edit.keyframes``)."""
    edit = "edit" in broken.mark.node["if"]["properties"]
    return {
        "keyframes": "video.edit.keyframes" if edit else "video.keyframes",
        "other": str(broken.error.absolute_path[-1]),
    }


@stated_rule("keyframe_index_range")
def _keyframe_index_range_values(facts: SpecFacts, body: Any, broken: Broken) -> Values:
    duration = _video_value(body, "duration") or facts.default_duration
    return {"index": broken.error.absolute_path[-1], "last": broken.error.validator_value, "duration": show(duration)}


# --- Schema wordings: the API's wording of a plain schema error (a field's own keyword, no mark) --------------------


def _top_field(error: jsonschema.ValidationError) -> str | None:
    path = list(error.absolute_path)
    return path[0] if len(path) == 1 and isinstance(path[0], str) else None


@schema_rule("prompt_length")
def _prompt_length_schema(facts: SpecFacts, body: Any, error: jsonschema.ValidationError) -> Values | None:
    # A layering prompt past the overall bound breaks its own, tighter, stated rule first.
    return {} if _top_field(error) == "prompt" and error.validator in {"minLength", "maxLength"} else None


@schema_rule("unknown_model", unknown_value_of="Model")
def _unknown_model(facts: SpecFacts, body: Any, error: jsonschema.ValidationError) -> Values | None:
    return {"value": show(_field_value(body, "model"))} if _top_field(error) == "model" else None


@schema_rule("invalid_aspect_ratio")
def _invalid_aspect_ratio(facts: SpecFacts, body: Any, error: jsonschema.ValidationError) -> Values | None:
    return _ratio_values(facts, body) if _top_field(error) == "aspect_ratio" else None


@schema_rule("unsupported_type")
def _unsupported_type(facts: SpecFacts, body: Any, error: jsonschema.ValidationError) -> Values | None:
    return _type_values(facts, body) if _top_field(error) == "type" else None


@schema_rule("too_many_refs")
def _too_many_refs_schema(facts: SpecFacts, body: Any, error: jsonschema.ValidationError) -> Values | None:
    # image_edit's tighter bound is a stated rule, which answers first.
    return {} if _top_field(error) == "image_ref" and error.validator == "maxItems" else None


# --- Body rules: what a schema cannot state -----------------------------------------------------------------------


def _type(facts: SpecFacts, body: dict[str, Any]) -> Any:
    return body.get("type", facts.default_type)  # pragma: no mutate


def _video(body: dict[str, Any]) -> dict[str, Any]:
    return body.get("video") or {}


REF_FIELDS = frozenset({"source", "image_ref", "video"})  # where image_refs finds ImageRefs


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


@body_rule("media_type_not_accepted", reads=REF_FIELDS)
def _media_type_not_accepted(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    for path, ref in image_refs(body):
        kind = _media_kind(ref.get("media_type"))
        if kind is not None and kind != position_kind(facts, body, path):
            return {"path": path, "value": ref["media_type"]}
    return None


@body_rule("keyframe_indexes_match", reads=frozenset({"video"}))
def _keyframe_indexes_match(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    video = _video(body)
    for prefix, options in (("video.", video), ("video.edit.", video.get("edit") or {})):
        if len(options.get("keyframes") or ()) != len(options.get("keyframe_indexes") or ()):
            return {"indexes": f"{prefix}keyframe_indexes", "keyframes": f"{prefix}keyframes"}
    return None


@body_rule("file_not_found", reads=REF_FIELDS)
def _file_not_found(facts: SpecFacts, body: dict[str, Any]) -> Values | None:
    return _first_ref(body, lambda ref: ref.get("file_id") is not None)


def _chained_refs(body: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for path, ref in image_refs(body):
        generation_id = ref.get("generation_id")
        if generation_id is not None:
            yield path, str(generation_id)


@chain_rule("generation_not_found", reads=REF_FIELDS)
def _generation_not_found(facts: SpecFacts, body: dict[str, Any], lookup: Lookup) -> Values | None:
    return next(({"path": path} for path, gid in _chained_refs(body) if lookup(gid.lower()) is None), None)


@chain_rule("generation_not_completed", reads=REF_FIELDS)
def _generation_not_completed(facts: SpecFacts, body: dict[str, Any], lookup: Lookup) -> Values | None:
    for path, gid in _chained_refs(body):
        prior = lookup(gid.lower())
        if prior is not None and prior.state != COMPLETED:
            return {"path": path, "id": gid}
    return None


@chain_rule("generation_wrong_kind", reads=REF_FIELDS)
def _generation_wrong_kind(facts: SpecFacts, body: dict[str, Any], lookup: Lookup) -> Values | None:
    for path, gid in _chained_refs(body):
        prior, kind = lookup(gid.lower()), chained_kind(facts, body, path)
        if prior is not None and prior.output != kind:
            return {"path": path, "id": gid, "kind": kind}
    return None


# --- Running them ---------------------------------------------------------------------------------------------------


def check_registry(facts: SpecFacts) -> None:  # pragma: no mutate block
    """Refuse to start unless the spec's x-rules are exactly the rules stated in the schema (``x-rule`` marks, each
    with its placeholders here) and the rules implemented here, and the values the rules rely on are still in the
    spec's enums."""
    in_spec = {rule.id for rule in facts.rules}
    marked = {mark.rule_id for mark in facts.stated_marks}
    coded = {rule_id for rule_id, impl in REGISTRY.items() if impl.schema_check or impl.body_check or impl.chain_check}
    unmarked_values = {rule_id for rule_id, impl in REGISTRY.items() if impl.stated_values} - marked
    if in_spec != marked | coded or unmarked_values:
        raise ValueError(
            "CreateGenerationRequest.x-rules, the schema's x-rule marks and src/luma_uni_mock/rules.py differ: "
            f"in the spec only {sorted(in_spec - marked - coded)}, "
            f"marked or implemented only {sorted((marked | coded) - in_spec)}, "
            f"placeholders for no mark {sorted(unmarked_values)}"
        )
    missing = sorted(rule_id for rule_id in marked if not REGISTRY.get(rule_id, NOT_IMPLEMENTED).stated_values)
    if missing:
        raise ValueError(f"rules.py names no placeholders (@stated_rule) for the schema's x-rule marks {missing}")
    for value, allowed, name in (
        (EDIT_TYPE, facts.types, "GenerationType"),
        (LAYERING_TYPE, facts.types, "GenerationType"),
        (MANGA_STYLE, facts.styles, "Style"),
    ):
        if value not in allowed:
            raise ValueError(f"the spec's {name} enum lacks {value!r}, which the mock's cross-field rules use")


def stated_refusal(facts: SpecFacts, body: Any, errors: list[jsonschema.ValidationError]) -> HttpError | None:
    """The refusal of the first rule (in x-rules order) whose marked schema node ``errors`` fail inside, if any."""
    first: dict[str, Broken] = {}
    for error in with_alternatives(errors):
        broken = broken_rule(facts.request_schema.schema, error, facts.stated_marks)  # type: ignore[arg-type]
        if broken is not None:
            first.setdefault(broken.mark.rule_id, broken)
    for rule in facts.rules:
        if rule.id in first:
            stated_values = REGISTRY[rule.id].stated_values
            assert stated_values is not None  # check_registry saw to it
            return refusal(facts, rule, stated_values(facts, body, first[rule.id]))
    return None


def word_schema_error(facts: SpecFacts, body: Any, error: jsonschema.ValidationError) -> HttpError | None:
    """The refusal of the first schema wording that words this plain schema error, if any does."""
    for rule in facts.rules:
        check = REGISTRY.get(rule.id, NOT_IMPLEMENTED).schema_check
        values = check(facts, body, error) if check else None
        if values is not None:
            return refusal(facts, rule, values)
    return None


class BodyRules(NamedTuple):
    """The body and chain rules in the spec's order, with their code (:func:`body_rules`)."""

    in_order: tuple[tuple[Rule, Implementation], ...]
    reads: frozenset[str] | None  # every field they read (None: one of them may read any): a body without these
    # fields breaks none of them, and most bodies (a prompt and options, no images) have none


def body_rules(facts: SpecFacts) -> BodyRules:
    """The body and chain rules in the spec's order, with their code: what :func:`check` runs (worked out once per
    app: 6 of the 25 rules today, the others are stated in the schema or word its errors)."""
    in_order = tuple(
        (rule, implementation)
        for rule in facts.rules
        if (implementation := REGISTRY.get(rule.id, NOT_IMPLEMENTED)).body_check or implementation.chain_check
    )
    reads = [implementation.reads for _, implementation in in_order]
    known = [fields for fields in reads if fields is not None]
    return BodyRules(in_order, frozenset().union(*known) if len(known) == len(reads) else None)  # pragma: no mutate


def check(facts: SpecFacts, body_rules: BodyRules, body: dict[str, Any], lookup: Lookup) -> None:
    """Raise the refusal of the first of the ``body_rules`` (in the spec's order) that the schema-valid body
    breaks; ``lookup`` finds the caller's client's earlier generations."""
    if body_rules.reads is not None and body_rules.reads.isdisjoint(body):
        return
    for rule, implementation in body_rules.in_order:
        if implementation.reads is not None and implementation.reads.isdisjoint(body):  # pragma: no mutate
            continue  # e.g. a body without images cannot break a rule about them
        values = implementation.body_check(facts, body) if implementation.body_check else None
        if values is None and implementation.chain_check:
            values = implementation.chain_check(facts, body, lookup)
        if values is not None:
            raise refusal(facts, rule, values)
