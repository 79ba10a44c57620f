"""jsonschema's search for a refused body's errors, without walking the parts of the schema jsonschema_rs accepts.

Wording a refusal needs every error jsonschema finds (validation.py), and jsonschema walks the whole request schema
to find them: every property, every ``allOf`` rule, every array item, ~0.3-1.5 ms a body. A part jsonschema_rs
accepts yields no error (the two agree, tests/mock/test_schema_errors.py; and a body jsonschema_rs accepts as a
whole is taken without asking jsonschema at all), so the three keywords that hold most of the schema hand
jsonschema only the parts jsonschema_rs refuses: the same errors, in the same order, with the same paths, 5 to 20
times sooner. Each part is compiled by jsonschema_rs the first time it is met, and kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import jsonschema_rs

if TYPE_CHECKING:
    import jsonschema

PartIsValid = Callable[[Any, Any], bool]
Keyword = Callable[[Any, Any, Any, Mapping[str, Any]], Iterator["jsonschema.ValidationError"]]


class PartVerdicts:
    """jsonschema_rs's verdict on one part of a schema for one value, each part compiled once (by identity: the
    parts live as long as the schema that holds them)."""

    def __init__(self) -> None:
        self._compiled: dict[int, tuple[object, Callable[[Any], bool]]] = {}

    def is_valid(self, part: Any, instance: Any) -> bool:
        compiled = self._compiled.get(id(part))
        if compiled is None:
            try:
                check = jsonschema_rs.Draft202012Validator(part, validate_formats=True).is_valid
            except Exception:  # a part that cannot stand alone: jsonschema walks it
                check = _refuses
            compiled = (part, check)  # the part kept beside its check, so no other object can take its id
            self._compiled[id(part)] = compiled
        try:
            return compiled[1](instance)
        except Exception:  # a value Rust cannot take (an int past 64 bits): jsonschema walks the part
            return False


def _refuses(instance: Any) -> bool:
    return False


def skipping_accepted_parts(part_is_valid: PartIsValid) -> dict[str, Keyword]:
    """``properties``, ``allOf`` and ``items`` for ``jsonschema.validators.extend``: jsonschema's own (4.26), each
    descending only into the parts ``part_is_valid`` refuses."""
    import jsonschema

    own_properties = jsonschema.Draft202012Validator.VALIDATORS["properties"]

    def properties(
        validator: Any, properties: Mapping[str, Any], instance: Any, schema: Mapping[str, Any]
    ) -> Iterator[jsonschema.ValidationError]:
        if not validator.is_type(instance, "object"):
            return
        refused = {
            name: part
            for name, part in properties.items()
            if name in instance and not part_is_valid(part, instance[name])
        }
        yield from own_properties(validator, refused, instance, schema)

    def all_of(
        validator: Any, all_of: list[Any], instance: Any, schema: Mapping[str, Any]
    ) -> Iterator[jsonschema.ValidationError]:
        for index, part in enumerate(all_of):
            if not part_is_valid(part, instance):
                yield from validator.descend(instance, part, schema_path=index)

    def items(
        validator: Any, items: Any, instance: Any, schema: Mapping[str, Any]
    ) -> Iterator[jsonschema.ValidationError]:
        if not validator.is_type(instance, "array"):
            return
        prefix = len(schema.get("prefixItems", []))
        total = len(instance)
        extra = total - prefix
        if extra <= 0:
            return
        if items is False:
            rest = instance[prefix:] if extra != 1 else instance[prefix]
            item = "items" if prefix != 1 else "item"
            yield jsonschema.ValidationError(f"Expected at most {prefix} {item} but found {extra} extra: {rest!r}")
            return
        for index in range(prefix, total):
            if not part_is_valid(items, instance[index]):
                yield from validator.descend(instance=instance[index], schema=items, path=index)

    return {"properties": properties, "allOf": all_of, "items": items}
