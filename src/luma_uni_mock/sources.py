"""``x-source`` in openapi.yaml: where a fact that luma-agents' types do not state comes from.

A *source* is a mapping with one key: ``sdk`` (a file of the luma-agents package and the sentence of it that states
the fact), ``docs`` (the page of Luma's docs that states it) or ``choice`` (why this contract chose it, one line).
An object's ``x-source`` is either one source, for every fact the object holds, or a mapping from the name of each
fact it holds (a keyword such as ``maxLength``, an ``x-`` key, an x-rule's ``status`` and ``detail``) to that fact's
source; there the fact the object itself states (what an x-rule refuses, what a response means) is ``description``.

The mock reads sources to know which of its refusals rest on a choice of this spec (``MockConfig.lenient_choices``
turns those off); the conformance suite, to say whose fact a failure contradicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SDK, DOCS, CHOICE = "sdk", "docs", "choice"
KINDS = (SDK, DOCS, CHOICE)
KEY = "x-source"
OWN = "description"  # in a per-fact x-source: the fact the object itself states
# The schema keywords that state a fact a Python SDK's types cannot (enums, JSON types and required fields are the
# SDK's own): each needs a source, and one resting on a choice is dropped by `without_choices`.
SCHEMA_FACTS = frozenset(
    {
        "minLength", "maxLength", "pattern", "format", "contentEncoding", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems", "additionalProperties",
    }
)  # fmt: skip


class SourceError(ValueError):
    """An ``x-source`` that is not a source nor a mapping of fact names to sources."""


@dataclass(frozen=True)
class Source:
    """Where one fact comes from: its kind (``sdk``, ``docs``, ``choice``) and the file and sentence, the page, or
    the reason."""

    kind: str
    text: str

    @property
    def is_choice(self) -> bool:
        """The fact is this contract's own choice: no Luma source states it."""
        return self.kind == CHOICE


def is_source(value: Any) -> bool:
    """Whether ``value`` has the shape of one source (rather than a mapping of fact names to sources)."""
    return isinstance(value, Mapping) and len(value) == 1 and next(iter(value)) in KINDS


def parse(value: Any, where: str) -> Source:
    """One source; ``SourceError`` naming ``where`` when ``value`` is not one."""
    if not is_source(value):
        raise SourceError(f"{where} must be one of {{sdk: ...}}, {{docs: ...}}, {{choice: ...}}, found {value!r}")
    kind, text = next(iter(value.items()))
    if not isinstance(text, str) or not text.strip():
        raise SourceError(f"{where}.{kind} must be a non-empty string (the file and sentence, the page, the reason)")
    return Source(kind, " ".join(text.split()))


def source_for(node: Any, fact: str | None, where: str) -> Source | None:
    """The source ``node``'s ``x-source`` gives the fact ``fact`` (a key of ``node``; None: what the object itself
    states), or None when it gives none."""
    value = node.get(KEY) if isinstance(node, Mapping) else None
    if value is None:
        return None
    if is_source(value):
        return parse(value, f"{where}.{KEY}")
    if not isinstance(value, Mapping):
        raise SourceError(f"{where}.{KEY} must be a source or a mapping of fact names to sources")
    name = OWN if fact is None else fact
    return parse(value[name], f"{where}.{KEY}.{name}") if name in value else None


def check_names(node: Mapping[str, Any], where: str) -> None:
    """A per-fact ``x-source`` names only keys of ``node`` (or ``description``), each with a well-formed source."""
    value = node.get(KEY)
    if value is None or is_source(value):
        source_for(node, None, where)
        return
    if not isinstance(value, Mapping):
        raise SourceError(f"{where}.{KEY} must be a source or a mapping of fact names to sources")
    for name, source in value.items():
        if name != OWN and name not in node:
            raise SourceError(f"{where}.{KEY} names {name!r}, which is not a key of the object")
        parse(source, f"{where}.{KEY}.{name}")


def is_choice(node: Any, fact: str | None, where: str) -> bool:
    """Whether ``node``'s x-source says its fact ``fact`` is this contract's own choice."""
    source = source_for(node, fact, where)
    return source is not None and source.is_choice


RULE_MARK = "x-rule"  # a schema node stating a request rule (stated_rules.py)


def without_choices(schema: Any, where: str = "schema") -> Any:
    """A copy of an (inlined) schema without the keywords and rule nodes whose source is a choice (a rule node
    becomes ``{}``, which takes everything): what it refuses, it refuses on Luma's word only."""
    if isinstance(schema, list):
        return [without_choices(item, f"{where}[{index}]") for index, item in enumerate(schema)]
    if not isinstance(schema, Mapping):
        return schema
    if RULE_MARK in schema and is_choice(schema, None, where):
        return {}
    return {
        key: without_choices(value, f"{where}.{key}")
        for key, value in schema.items()
        if not (key in SCHEMA_FACTS and is_choice(schema, key, where))
    }
