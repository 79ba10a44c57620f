"""The request rules of ``CreateGenerationRequest.x-rules`` in openapi.yaml, one predicate per rule id.

The spec is the rules' one home for what the docs show: each rule's id, status, description and exact ``detail``
template. This module holds only what needs code: when a rule is broken, and the values its ``{placeholders}``
take. Two kinds:

- *schema rules* word a JSON-schema violation the API words in its own way (an unknown model, a prompt too long);
  they see the first schema error and return the placeholders when the error is theirs;
- *body rules* judge a schema-valid body (cross-field rules), in the spec's order: the first broken one answers.

The mock refuses to start when the spec's ids and the ids implemented here differ (:func:`check_registry`).
Placeholders computed from the spec (``{valid}``, ``{limit}``, ``{min}``, ``{max}``) come from :func:`fixed_values`,
so no list or number is typed twice; the others (``{value}``, ``{path}``, ``{model}``) come from the request.
"""

from __future__ import annotations

import functools
import json
import re
import string
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .contract import Contract, Rule
from .http_errors import HttpError

if TYPE_CHECKING:
    import jsonschema

EDIT_TYPE = "image_edit"
LAYERING_TYPE = "layering"
MANGA_STYLE = "manga"
# The fields of an ImageRef of which exactly one must be given.
REF_INPUTS = ("url", "data", "generation_id", "file_id")

Values = Mapping[str, object]
SchemaCheck = Callable[[Contract, Any, "jsonschema.ValidationError"], Values | None]
BodyCheck = Callable[[Contract, dict[str, Any]], Values | None]


@dataclass(frozen=True)
class Implementation:
    schema_check: SchemaCheck | None = None
    body_check: BodyCheck | None = None
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


# --- What the spec fills in --------------------------------------------------------------------------------------


def ratio_sort_key(ratio: str) -> list[str]:
    """The order the API lists ratios in: by their terms as text, so ``1:3`` comes before ``16:9``."""
    return ratio.split(":")


def portrait_ratios(contract: Contract) -> list[str]:
    """The spec's aspect ratios taller than wide, sorted as the API lists them."""
    portrait = []
    for ratio in contract.aspect_ratios:
        width, _, height = ratio.partition(":")
        if width.isdigit() and height.isdigit() and int(width) < int(height):
            portrait.append(ratio)
    return sorted(portrait, key=ratio_sort_key)


def quoted_list(values: Iterable[str]) -> str:
    """``'a', 'b' and 'c'``: how the API words a list of values in a sentence."""
    quoted = [f"'{value}'" for value in values]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def source_types(contract: Contract) -> list[str]:
    """The types that take a ``source``, in the enum's order."""
    return [name for name in contract.types if contract.facts(name).source is not None]


def fixed_values(contract: Contract, rule_id: str) -> dict[str, object]:
    """The placeholders of a rule's detail that the spec determines (the same for every request)."""
    if rule_id == "prompt_length":
        return {"min": contract.prompt_min_length, "max": contract.prompt_max_length}
    if rule_id == "layering_prompt_length":
        return {"max": contract.prompt_bounds(LAYERING_TYPE)[1]}
    if rule_id == "source_not_allowed":
        return {"types": quoted_list(source_types(contract))}
    if rule_id == "invalid_aspect_ratio":
        return {"valid": ", ".join(sorted(contract.aspect_ratios, key=ratio_sort_key))}
    if rule_id == "too_many_refs":
        return {"limit": contract.max_image_refs}
    if rule_id == "too_many_edit_refs":
        return {"limit": contract.max_image_refs - 1}  # the source occupies one slot
    if rule_id == "manga_landscape":
        return {"valid": ", ".join(portrait_ratios(contract))}
    return {}


def detail(contract: Contract, rule: Rule, values: Values) -> str:
    return rule.detail.format_map({**fixed_values(contract, rule.id), **values})


def refusal(contract: Contract, rule: Rule, values: Values) -> HttpError:
    return HttpError(rule.status, detail(contract, rule, values))


def parse_detail(contract: Contract, rule: Rule, text: str, *, any_fixed: bool = False) -> dict[str, str] | None:
    """The request placeholders of ``text`` if it is this rule's detail: the spec-determined ones must match
    today's spec, unless ``any_fixed`` (then they are returned too, as written)."""
    fixed = {} if any_fixed else fixed_values(contract, rule.id)
    pattern = ""
    for literal, name, _, _ in string.Formatter().parse(rule.detail):
        pattern += re.escape(literal)
        if name is not None:
            pattern += re.escape(str(fixed[name])) if name in fixed else f"(?P<{name}>.+?)"
    match = re.fullmatch(pattern, text)
    return match.groupdict() if match else None


# --- Schema rules: the API's wording of some schema errors ---------------------------------------------------------


def _top_field(error: jsonschema.ValidationError) -> str | None:
    path = list(error.absolute_path)
    return path[0] if len(path) == 1 and isinstance(path[0], str) else None


def _field_value(body: Any, name: str) -> object:
    return body.get(name) if isinstance(body, dict) else None


def _prompt_too_long(body: Any, error: jsonschema.ValidationError) -> bool:
    return _top_field(error) == "prompt" and error.validator in {"minLength", "maxLength"}


@schema_rule("prompt_length")
def _prompt_length_schema(contract: Contract, body: Any, error: jsonschema.ValidationError) -> Values | None:
    return {} if _prompt_too_long(body, error) and _field_value(body, "type") != LAYERING_TYPE else None


@schema_rule("layering_prompt_length")
def _layering_prompt_length_schema(contract: Contract, body: Any, error: jsonschema.ValidationError) -> Values | None:
    return {} if _prompt_too_long(body, error) and _field_value(body, "type") == LAYERING_TYPE else None


@schema_rule("unknown_model", unknown_value_of="Model")
def _unknown_model(contract: Contract, body: Any, error: jsonschema.ValidationError) -> Values | None:
    return {"value": show(_field_value(body, "model"))} if _top_field(error) == "model" else None


@schema_rule("invalid_aspect_ratio", unknown_value_of="AspectRatio")
def _invalid_aspect_ratio(contract: Contract, body: Any, error: jsonschema.ValidationError) -> Values | None:
    return {"value": show(_field_value(body, "aspect_ratio"))} if _top_field(error) == "aspect_ratio" else None


@schema_rule("unsupported_type", unknown_value_of="GenerationType")
def _unsupported_type(contract: Contract, body: Any, error: jsonschema.ValidationError) -> Values | None:
    if _top_field(error) != "type":
        return None
    model = _field_value(body, "model")
    return {
        "value": show(_field_value(body, "type")),
        "model": show(model if model is not None else contract.default_model),
    }


@schema_rule("too_many_refs")
def _too_many_refs_schema(contract: Contract, body: Any, error: jsonschema.ValidationError) -> Values | None:
    too_many = _top_field(error) == "image_ref" and error.validator == "maxItems"
    return {} if too_many and _field_value(body, "type") != EDIT_TYPE else None


@schema_rule("too_many_edit_refs")
def _too_many_edit_refs_schema(contract: Contract, body: Any, error: jsonschema.ValidationError) -> Values | None:
    too_many = _top_field(error) == "image_ref" and error.validator == "maxItems"
    return {} if too_many and _field_value(body, "type") == EDIT_TYPE else None


def show(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value)


# --- Body rules: what a schema cannot state -----------------------------------------------------------------------


def _type(contract: Contract, body: dict[str, Any]) -> Any:
    return body.get("type", contract.default_type)


def _prompt_outside(contract: Contract, body: dict[str, Any]) -> bool:
    low, high = contract.prompt_bounds(_type(contract, body))
    return not low <= len(body["prompt"]) <= high


@body_rule("prompt_length")
def _prompt_length(contract: Contract, body: dict[str, Any]) -> Values | None:
    return {} if _type(contract, body) != LAYERING_TYPE and _prompt_outside(contract, body) else None


@body_rule("layering_prompt_length")
def _layering_prompt_length(contract: Contract, body: dict[str, Any]) -> Values | None:
    return {} if _type(contract, body) == LAYERING_TYPE and _prompt_outside(contract, body) else None


@body_rule("source_required")
def _source_required(contract: Contract, body: dict[str, Any]) -> Values | None:
    generation_type = _type(contract, body)
    needed = contract.facts(generation_type).source is not None
    return {"value": generation_type} if needed and body.get("source") is None else None


@body_rule("source_not_allowed")
def _source_not_allowed(contract: Contract, body: dict[str, Any]) -> Values | None:
    refused = contract.facts(_type(contract, body)).source is None
    return {} if refused and body.get("source") is not None else None


@body_rule("too_many_edit_refs")
def _too_many_edit_refs(contract: Contract, body: dict[str, Any]) -> Values | None:
    too_many = len(body.get("image_ref") or ()) > contract.max_image_refs - 1
    return {} if _type(contract, body) == EDIT_TYPE and too_many else None


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
def _ref_exactly_one(contract: Contract, body: dict[str, Any]) -> Values | None:
    return _first_ref(body, lambda ref: sum(ref.get(name) is not None for name in REF_INPUTS) != 1)


@body_rule("media_type_required")
def _media_type_required(contract: Contract, body: dict[str, Any]) -> Values | None:
    return _first_ref(body, lambda ref: ref.get("data") is not None and ref.get("media_type") is None)


@body_rule("manga_landscape")
def _manga_landscape(contract: Contract, body: dict[str, Any]) -> Values | None:
    # aspect_ratio is ignored where the output keeps the source's shape, so manga edits take any ratio.
    ratio = body.get("aspect_ratio")
    manga = body.get("style", contract.default_style) == MANGA_STYLE
    landscape = ratio is not None and ratio not in portrait_ratios(contract)
    return {} if not contract.facts(_type(contract, body)).keeps_source_shape and manga and landscape else None


# --- Running them ---------------------------------------------------------------------------------------------------


def check_registry(contract: Contract) -> None:
    """Refuse to start unless the spec's x-rules and the rules implemented here are the same ids, and the values
    the rules rely on are still in the spec's enums."""
    in_spec = {rule.id for rule in contract.rules}
    if in_spec != set(REGISTRY):
        raise ValueError(
            "CreateGenerationRequest.x-rules and conformance/mock/rules.py differ: "
            f"in the spec only {sorted(in_spec - set(REGISTRY))}, implemented only {sorted(set(REGISTRY) - in_spec)}"
        )
    for value, allowed, name in (
        (EDIT_TYPE, contract.types, "GenerationType"),
        (LAYERING_TYPE, contract.types, "GenerationType"),
        (MANGA_STYLE, contract.styles, "Style"),
    ):
        if value not in allowed:
            raise ValueError(f"the spec's {name} enum lacks {value!r}, which the mock's cross-field rules use")


def word_schema_error(contract: Contract, body: Any, error: jsonschema.ValidationError) -> HttpError | None:
    """The refusal of the first schema rule that words this schema error, if any does."""
    for rule in contract.rules:
        check = REGISTRY[rule.id].schema_check
        values = check(contract, body, error) if check else None
        if values is not None:
            return refusal(contract, rule, values)
    return None


def check(contract: Contract, body: dict[str, Any]) -> None:
    """Raise the refusal of the first body rule (in the spec's order) that the schema-valid body breaks."""
    for rule in contract.rules:
        body_check = REGISTRY[rule.id].body_check
        values = body_check(contract, body) if body_check else None
        if values is not None:
            raise refusal(contract, rule, values)


@functools.cache
def _repo_contract() -> Contract:
    from .config import REPO_SPEC_PATH
    from .contract import load_contract

    return load_contract(REPO_SPEC_PATH)


def rule_detail(rule_id: str, **values: object) -> str:
    """The detail the mock sends for ``rule_id`` with these request values, for tests (read from the repo spec)."""
    contract = _repo_contract()
    return detail(contract, contract.rule(rule_id), values)
