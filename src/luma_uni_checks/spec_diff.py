"""What a spec edit changes for code that uses the client, each change classed *breaking*, *review* or *additive*:
the language of ``make generate``'s change report (scripts/change_report.py), which the proxy's drift report speaks
too (a proposed edit is classed by diffing the spec with the edit applied).

Classed after oasdiff's breaking-change rules: removing an enum value, field or status, making a request field
required, tightening a request limit, a new request rule are breaking; additions are additive. A value added to a
*response* enum is additive for this client, whose enums keep values they do not know. An ``x-`` extension describes
behaviour whose meaning only its reader knows, so a changed or removed one is *review* (check it) unless a rule below
knows better; a new one is additive.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]
ADDITIVE, REVIEW, BREAKING = "additive", "review", "breaking"
# The report's groups, in order, with what each class means for code that uses the client.
CLASSES = {
    BREAKING: "code or requests that work today may fail",
    REVIEW: "behaviour described by an extension or a rule changed: check it",
    ADDITIVE: "nothing that works today stops working",
}
LIMITS_UPPER = ("maxLength", "maxItems", "maximum", "x-max-decoded-bytes")  # lowering one tightens the request
LIMITS_LOWER = ("minLength", "minItems", "minimum")  # raising one tightens the request
SOURCE = "x-source"  # where a fact comes from (luma_uni_mock.sources), not a fact itself


@dataclass(frozen=True, order=True)
class Change:
    kind: str  # BREAKING, REVIEW or ADDITIVE
    where: str
    what: str

    def line(self) -> str:
        return f"- **{self.kind}** `{self.where}`: {self.what}"


# --- the spec ---------------------------------------------------------------------------------------------------


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/components/schemas/"):
            yield node["$ref"].rsplit("/", 1)[1]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _reachable(spec: JSON, roots: set[str]) -> set[str]:
    schemas = spec.get("components", {}).get("schemas", {})
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        todo.extend(_refs(schemas[name]))
    return seen


def request_schemas(spec: JSON) -> set[str]:
    """The component schemas a request body uses (the rest are read from responses)."""
    roots = {
        ref
        for item in spec.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict)
        for ref in _refs(operation.get("requestBody", {}))
    }
    return _reachable(spec, roots)


def _nullable(prop: JSON) -> bool:
    kinds = prop.get("type")
    if isinstance(kinds, list) and "null" in kinds:
        return True
    return any(isinstance(option, dict) and option.get("type") == "null" for option in prop.get("anyOf", []))


def _compare_enum(name: str, old: JSON, new: JSON, in_request: bool) -> Iterator[Change]:
    old_values, new_values = old.get("enum", []), new.get("enum", [])
    for value in new_values:
        if value not in old_values:
            why = "" if in_request else " (a response value: the client keeps values it does not know)"
            yield Change(ADDITIVE, name, f"new value {value!r}{why}")
    for value in old_values:
        if value not in new_values:
            yield Change(BREAKING, name, f"value {value!r} removed")


def _limit_change(where: str, key: str, before: Any, after: Any, in_request: bool) -> Change:
    tighter = after is not None and (before is None or (after < before if key in LIMITS_UPPER else after > before))
    return Change(BREAKING if tighter and in_request else ADDITIVE, where, f"{key} {before} → {after}")


def _compare_limits(where: str, old: JSON, new: JSON, in_request: bool) -> Iterator[Change]:
    for key in (*LIMITS_UPPER, *LIMITS_LOWER):
        if not key.startswith("x-") and old.get(key) != new.get(key):  # x- limits: _extension_changes
            yield _limit_change(where, key, old.get(key), new.get(key), in_request)


def _compare_object(name: str, old: JSON, new: JSON, in_request: bool) -> Iterator[Change]:
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    for field in new_props.keys() - old_props.keys():
        required = field in new_required
        kind = BREAKING if required and in_request else ADDITIVE
        yield Change(kind, f"{name}.{field}", f"new {'required' if required else 'optional'} field")
    for field in old_props.keys() - new_props.keys():
        yield Change(BREAKING, f"{name}.{field}", "field removed")
    for field in sorted(old_props.keys() & new_props.keys()):
        where, before, after = f"{name}.{field}", old_props[field], new_props[field]
        if field not in old_required and field in new_required:
            yield Change(BREAKING if in_request else ADDITIVE, where, "now required")
        if field in old_required and field not in new_required:
            yield Change(ADDITIVE if in_request else BREAKING, where, "no longer required")
        if _nullable(before) != _nullable(after):
            loosened = _nullable(after) if in_request else not _nullable(after)
            yield Change(
                ADDITIVE if loosened else BREAKING, where, "now nullable" if _nullable(after) else "no longer nullable"
            )
        yield from _compare_limits(where, before, after, in_request)
        for key in ("format", "type"):
            if before.get(key) != after.get(key):
                yield Change(BREAKING, where, f"{key} {before.get(key)!r} → {after.get(key)!r}")


def _compare_rules(old_rules: list[JSON], new_rules: list[JSON]) -> Iterator[Change]:
    before = {rule["id"]: rule for rule in old_rules}
    after = {rule["id"]: rule for rule in new_rules}
    added = sorted(after.keys() - before.keys())
    for rule_id in added:
        yield Change(BREAKING, f"x-rules.{rule_id}", f"new request rule ({after[rule_id]['description']})")
    for rule_id in sorted(before.keys() - after.keys()):
        if added:  # rules merged or reworded: what the old one refused may be refused by a new one
            names = ", ".join(added)
            rules = f"new rule {names} may" if len(added) == 1 else f"new rules {names} may"
            yield Change(REVIEW, f"x-rules.{rule_id}", f"rule removed; {rules} refuse what it refused")
        else:
            yield Change(ADDITIVE, f"x-rules.{rule_id}", "rule removed: the server accepts what it refused")
    for rule_id in sorted(before.keys() & after.keys()):
        for key in ("status", "detail"):
            if before[rule_id][key] != after[rule_id][key]:
                kind = BREAKING if key == "status" else ADDITIVE
                yield Change(kind, f"x-rules.{rule_id}", f"{key} {before[rule_id][key]!r} → {after[rule_id][key]!r}")


# --- x- extensions ----------------------------------------------------------------------------------------------


def _extensions(node: Any, owner: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str, Any]]:
    """Every ``x-`` key under ``node``: (the path of the object that holds it, the key, its value)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("x-"):
                yield owner, key, value
            else:
                yield from _extensions(value, (*owner, str(key)))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _extensions(item, (*owner, str(index)))


def _holds(components: JSON, owner: tuple[str, ...]) -> bool:
    node: Any = components
    for part in owner:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False
    return isinstance(node, dict)


def _where(owner: tuple[str, ...], key: str) -> str:
    """``schemas.ImageRef.properties.url`` + key → ``ImageRef.url.key`` (the names the other lines use)."""
    parts = [part for part in owner[1:] if part != "properties"] if owner[:1] == ("schemas",) else list(owner)
    return ".".join([*parts, key])


def _key(key: Any) -> str:
    return f".{key}" if re.fullmatch(r"[\w-]+", str(key)) else f"[{str(key)!r}]"


def _short(value: Any, width: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def _diff_value(where: str, before: Any, after: Any, fresh: set[Any]) -> Iterator[Change]:
    """The review lines of an extension whose value changed, one per entry that differs. ``fresh``: enum values
    new in this change; an entry for one of them describes the new value only, so it is additive."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in after:
            if key not in before:
                kind, why = (ADDITIVE, " (for a new enum value)") if key in fresh else (REVIEW, "")
                yield Change(kind, where + _key(key), f"new entry{why}: {_short(after[key])}")
            elif before[key] != after[key]:
                yield from _diff_value(where + _key(key), before[key], after[key], set())
        for key in before:
            if key not in after:
                yield Change(REVIEW, where + _key(key), f"entry removed (was {_short(before[key])})")
    elif isinstance(before, list) and isinstance(after, list):
        gained = [item for item in after if item not in before]
        lost = [item for item in before if item not in after]
        parts = [f"gained {_short(gained)}"] * bool(gained) + [f"lost {_short(lost)}"] * bool(lost)
        kind = ADDITIVE if gained and not lost and all(item in fresh for item in gained) else REVIEW
        yield Change(kind, where, "; ".join(parts) or "order changed")
    else:
        yield Change(REVIEW, where, f"{_short(before)} → {_short(after)}")


def _extension_change(
    where: str, key: str, before: Any, after: Any, *, in_request: bool, fresh: set[Any]
) -> Iterator[Change]:
    if key == "x-rules":
        yield from _compare_rules(before or [], after or [])
    elif key in LIMITS_UPPER or key in LIMITS_LOWER:
        yield _limit_change(where, key, before, after, in_request)
    elif after is None:
        yield Change(REVIEW, where, f"extension removed (was {_short(before)})")
    elif before is None:
        yield Change(ADDITIVE, where, f"new extension: {_short(after)}")
    elif key == "x-server-default":
        # No request becomes invalid and the Python API is the same, but a request that leaves the field out gets
        # another result (another model, format, ...): a user relying on the default must check it.
        yield Change(REVIEW, where, f"server default {before!r} → {after!r}: requests that leave it out change")
    else:
        yield from _diff_value(where, before, after, fresh)


def _extension_changes(old: JSON, new: JSON, requests: set[str]) -> Iterator[Change]:
    """Every ``x-`` key under components that was added, removed or changed, where the object holding it is in both
    specs (a new or removed schema, field or response is reported as such)."""
    old_components, new_components = old.get("components", {}), new.get("components", {})
    before = {(owner, key): value for owner, key, value in _extensions(old_components)}
    after = {(owner, key): value for owner, key, value in _extensions(new_components)}
    for owner, key in sorted(before.keys() | after.keys()):
        old_value, new_value = before.get((owner, key)), after.get((owner, key))
        if old_value == new_value or not (_holds(old_components, owner) and _holds(new_components, owner)):
            continue
        in_request = owner[:1] == ("parameters",) or (owner[:1] == ("schemas",) and owner[1] in requests)
        fresh: set[Any] = set()
        if owner[:1] == ("schemas",) and len(owner) == 2:  # an extension of an enum schema: entries per value
            fresh = set(_dig(new_components, owner).get("enum", [])) - set(_dig(old_components, owner).get("enum", []))
        yield from _extension_change(_where(owner, key), key, old_value, new_value, in_request=in_request, fresh=fresh)


def _dig(node: JSON, path: tuple[str, ...]) -> JSON:
    for part in path:
        node = node[part]
    return node


# --- documentation ----------------------------------------------------------------------------------------------


def _operations(spec: JSON) -> dict[str, JSON]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in spec.get("paths", {}).items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "responses" in operation
    }


def _examples(spec: JSON) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, response in spec.get("components", {}).get("responses", {}).items():
        for content in response.get("content", {}).values():
            for key, example in content.get("examples", {}).items():
                found[f"responses.{name}.examples.{key}"] = example.get("value")
    for key, example in spec.get("components", {}).get("examples", {}).items():
        found[f"examples.{key}"] = example.get("value")
    for op, operation in _operations(spec).items():
        for content in operation.get("requestBody", {}).get("content", {}).values():
            for key, example in content.get("examples", {}).items():
                found[f"{op} requestBody.examples.{key}"] = example.get("value", example.get("$ref"))
    return found


def _header_descriptions(spec: JSON) -> dict[str, Any]:
    """Response headers and their descriptions (a referenced header: its ``$ref``, described once under headers)."""
    components = spec.get("components", {})
    found = {f"headers.{name}": header.get("description") for name, header in components.get("headers", {}).items()}
    responses = [(f"responses.{name}", response) for name, response in components.get("responses", {}).items()]
    responses += [
        (f"{op} {status}", response)
        for op, operation in _operations(spec).items()
        for status, response in operation["responses"].items()
    ]
    for where, response in responses:
        for name, header in response.get("headers", {}).items():
            found[f"{where}.headers.{name}"] = header.get("description", header.get("$ref"))
    return found


def _documentation_changes(old: JSON, new: JSON) -> Iterator[Change]:
    if old.get("info", {}).get("description") != new.get("info", {}).get("description"):
        yield Change(ADDITIVE, "info.description", "changed (documentation only)")
    old_examples, new_examples = _examples(old), _examples(new)
    for key in sorted(old_examples.keys() | new_examples.keys()):
        if old_examples.get(key) != new_examples.get(key):
            verb = "new" if key not in old_examples else "removed" if key not in new_examples else "changed"
            yield Change(ADDITIVE, key, f"example {verb} (documentation only)")
    old_headers, new_headers = _header_descriptions(old), _header_descriptions(new)
    for key in sorted(old_headers.keys() | new_headers.keys()):
        if key not in old_headers:
            yield Change(ADDITIVE, key, "header new")
        elif key not in new_headers:  # code that reads the header (a rate limit, a retry delay) gets nothing
            yield Change(REVIEW, key, "header removed")
        elif old_headers[key] != new_headers[key]:
            yield Change(ADDITIVE, key, "header description changed (documentation only)")


def _provenance(node: Any, path: str = "", found: dict[str, str] | None = None) -> dict[str, str]:
    """Every object under ``node`` by its path, mapped to its ``x-source`` as JSON ("" when it has none)."""
    found = {} if found is None else found
    if isinstance(node, dict):
        found[path] = json.dumps(node.get(SOURCE), sort_keys=True) if SOURCE in node else ""
        for key, value in node.items():
            if key != SOURCE:
                _provenance(value, f"{path}.{key}", found)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            name = item.get("id", index) if isinstance(item, dict) else index  # an x-rule by its id, not its place
            _provenance(item, f"{path}[{name}]", found)
    return found


def _without_provenance(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _without_provenance(value) for key, value in node.items() if key != SOURCE}
    if isinstance(node, list):
        return [_without_provenance(item) for item in node]
    return node


def spec_changes(old: JSON, new: JSON) -> list[Change]:
    # Where a fact comes from (x-source) changes no request or response: one line counts the objects, in both
    # specs, whose source changed (a new or removed object is reported as such).
    old_sources, new_sources = _provenance(old), _provenance(new)
    changed = [path for path in old_sources.keys() & new_sources.keys() if old_sources[path] != new_sources[path]]
    old, new = _without_provenance(old), _without_provenance(new)
    changes: list[Change] = []
    if changed:
        what = f"the source of facts changed at {len(changed)} place(s) (provenance only)"
        changes.append(Change(ADDITIVE, SOURCE, what))
    requests = request_schemas(new) | request_schemas(old)
    old_schemas, new_schemas = (
        old.get("components", {}).get("schemas", {}),
        new.get("components", {}).get("schemas", {}),
    )
    for name in sorted(new_schemas.keys() - old_schemas.keys()):
        changes.append(Change(ADDITIVE, name, "new schema"))
    for name in sorted(old_schemas.keys() - new_schemas.keys()):
        changes.append(Change(BREAKING, name, "schema removed"))
    for name in sorted(old_schemas.keys() & new_schemas.keys()):
        before, after, in_request = old_schemas[name], new_schemas[name], name in requests
        changes.extend(_compare_enum(name, before, after, in_request))
        changes.extend(_compare_object(name, before, after, in_request))
        changes.extend(_compare_limits(name, before, after, in_request))
    changes.extend(_extension_changes(old, new, requests))
    old_ops, new_ops = _operations(old), _operations(new)
    for op in sorted(new_ops.keys() - old_ops.keys()):
        changes.append(Change(ADDITIVE, op, "new operation"))
    for op in sorted(old_ops.keys() - new_ops.keys()):
        changes.append(Change(BREAKING, op, "operation removed"))
    for op in sorted(old_ops.keys() & new_ops.keys()):
        before, after = set(old_ops[op]["responses"]), set(new_ops[op]["responses"])
        changes.extend(Change(ADDITIVE, op, f"new status {status}") for status in sorted(after - before))
        changes.extend(Change(BREAKING, op, f"status {status} removed") for status in sorted(before - after))
    changes.extend(_documentation_changes(old, new))
    return changes
