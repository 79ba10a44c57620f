"""The request rules the schema itself states: nodes of the request schema marked ``x-rule: <x-rules id>``.

A rule JSON Schema can state lives in openapi.yaml alone (an ``allOf`` item's ``if``/``then``/``else``, ImageRef's
``oneOf``): a body breaks it exactly when validation fails inside the marked node. This module finds the marks, maps
a jsonschema error to the nearest mark on its schema path (with the instance the marked node judged, for the
detail's ``{path}``), and reads back the facts the marked nodes hold (each model's types and ratios, which field
each type takes, the prompt bounds), so the details and the tests name the spec's values, never a copy.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .schemas import JSON, ContractError

if TYPE_CHECKING:
    import jsonschema

MARK = "x-rule"
REQUEST_SCHEMA = "CreateGenerationRequest"  # where the marks are, as a start-up error names it
# Keywords whose next schema-path token names the instance's child (a property name or an array index).
_NAMED_CHILD = frozenset({"properties", "patternProperties", "prefixItems"})
# Keywords that descend into the instance's children without a token of their own in the schema path.
_ANY_CHILD = frozenset({"items", "additionalProperties", "unevaluatedItems", "unevaluatedProperties"})


@dataclass(frozen=True)
class Mark:
    """One marked node: the rule it states, the node, and the conditional (the node with ``if``) it hangs under."""

    rule_id: str
    node: JSON
    conditional: JSON | None


@dataclass(frozen=True)
class Broken:
    """A stated rule a body breaks: the marked node, the instance path it judged, and the first error inside it."""

    mark: Mark
    at: tuple[str | int, ...]
    error: jsonschema.ValidationError


def find_marks(schema: Any) -> list[Mark]:
    """Every marked node of an inlined schema, in document order."""
    found: list[Mark] = []

    def walk(node: Any, conditional: JSON | None) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, conditional)
            return
        if not isinstance(node, dict):
            return
        if isinstance(node.get(MARK), str):
            found.append(Mark(node[MARK], node, conditional))
        inner = node if "if" in node else conditional
        for key, value in node.items():
            if key not in {"enum", "const", "examples", "example", "default"}:  # pragma: no mutate
                walk(value, inner)

    walk(schema, None)
    return found


def broken_rule(schema: JSON, error: jsonschema.ValidationError, marks: list[Mark]) -> Broken | None:
    """The nearest mark on ``error``'s schema path, if any, with the instance path its node judged."""
    tokens = list(error.absolute_schema_path)[:-1]  # the last token is the failing keyword itself
    node: Any = schema
    consumed = 0  # how many steps of the instance path the walk has gone down
    found: tuple[JSON, int] | None = None
    for position, token in enumerate(tokens):
        node = _child(node, token)
        if _descends(tokens, position):
            consumed += 1
        if isinstance(node, dict) and isinstance(node.get(MARK), str):
            found = (node, consumed)
    if found is None:
        return None
    mark = next(mark for mark in marks if mark.node is found[0])
    return Broken(mark, tuple(error.absolute_path)[: found[1]], error)


def _child(node: Any, token: str | int) -> Any:
    if isinstance(node, list) and isinstance(token, int) and 0 <= token < len(node):
        return node[token]
    return node.get(token) if isinstance(node, dict) else None


def _descends(tokens: list[str | int], position: int) -> bool:
    """Whether the step to ``tokens[position]`` goes down the instance too: a property name or prefixItems index
    after its keyword, or ``items`` and the like, which name no child in the schema path."""
    token = tokens[position]
    after_named = position > 0 and tokens[position - 1] in _NAMED_CHILD and _is_keyword(tokens, position - 1)
    return after_named or (token in _ANY_CHILD and _is_keyword(tokens, position))


def _is_keyword(tokens: list[str | int], position: int) -> bool:
    """A token is a keyword unless it names a property (it follows ``properties`` or the like, as a keyword)."""
    if position == 0:
        return True
    return not (tokens[position - 1] in _NAMED_CHILD and _is_keyword(tokens, position - 1))  # pragma: no mutate


def with_alternatives(errors: list[jsonschema.ValidationError]) -> Iterator[jsonschema.ValidationError]:
    """``errors`` and, depth first, the errors of the alternatives an ``anyOf``/``oneOf`` error sums up: a rule
    stated inside an alternative (VideoOptions' rules, inside ``video``'s ``anyOf`` with null) fails there."""
    for error in errors:
        yield error
        yield from with_alternatives(list(error.context or ()))


# --- Facts read back from the marked nodes ------------------------------------------------------------------------


def _at(node: Any, *keys: str) -> Any:
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None  # pragma: no mutate
    return node


def condition_values(conditional: JSON | None, field: str) -> tuple[Any, ...]:
    """The values of ``field`` a conditional's ``if`` names (``const`` or ``enum``)."""
    condition = _at(conditional, "if", "properties", field)
    if isinstance(condition, dict) and "const" in condition:
        return (condition["const"],)
    values = _at(condition, "enum")
    return tuple(values) if isinstance(values, list) else ()  # pragma: no mutate


def marks_of(marks: list[Mark], rule_id: str, where: str) -> list[Mark]:
    found = [mark for mark in marks if mark.rule_id == rule_id]
    if not found:  # pragma: no mutate block
        raise ContractError(f"{where}: no schema node is marked `x-rule: {rule_id}`")
    return found


def per_model(marks: list[Mark], rule_id: str, field: str) -> Mapping[str, tuple[str, ...]]:
    """What each model's marked item lets ``field`` be (``then.properties.<field>.enum``, null left out)."""
    found = {}
    for mark in marks_of(marks, rule_id, REQUEST_SCHEMA):
        models = condition_values(mark.node, "model")
        values = _at(mark.node, "then", "properties", field, "enum")
        if len(models) != 1 or not isinstance(values, list):  # pragma: no mutate block
            raise ContractError(
                f"an item marked `x-rule: {rule_id}` must be `if: {{properties: {{model: {{const: M}}}}}}, "
                f"then: {{properties: {{{field}: {{enum: [...]}}}}}}`"
            )
        found[str(models[0])] = tuple(str(value) for value in values if value is not None)
    return found


# pragma: no mutate start
def fields_by_types(marks: list[Mark], rule_id: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each field an item refuses outside the types of its ``if`` (``video.loop`` for a field of ``video``)."""
    for mark in marks_of(marks, rule_id, REQUEST_SCHEMA):
        types = tuple(str(value) for value in condition_values(mark.node, "type"))
        for name, refusal in (_at(mark.node, "else", "properties") or {}).items():
            nested = _at(refusal, "properties")
            if isinstance(nested, dict):
                for inner in nested:
                    yield f"{name}.{inner}", types
            else:
                yield name, types


# pragma: no mutate end
