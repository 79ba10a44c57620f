"""A "probe" copy of the contract: one synthetic operation per component schema.

Each probe operation takes that schema as its JSON request body and answers 200 with it. So schemathesis generates
valid payloads for any component (nulls, enums, uuid/date-time/uri included) as the operation's request bodies, and
the operation's response validation checks anything the client emits against the very same schema: the spec is
the oracle, nothing is restated here.
"""

from __future__ import annotations

import copy
import datetime
import functools
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import requests
import schemathesis
from schemathesis import APIOperation, BaseSchema
from schemathesis.config import SchemathesisConfig

from conformance.spec import load_spec

JSON = dict[str, Any]
PROBE_PREFIX = "/probe/"
Operation = APIOperation[Any, Any, Any, Any]


def component_names(spec: JSON | None = None) -> list[str]:
    """Every component schema of the contract, in the spec's order."""
    return list((spec or load_spec())["components"]["schemas"])


def probe_path(name: str) -> str:
    return f"{PROBE_PREFIX}{name}"


BRANCH_MARK = "/when/"


def _probe_operation(name: str, condition: JSON | None = None, index: int = 0) -> JSON:
    """The probe of component ``name``; with ``condition`` (an invariant's ``if``), one that only generates payloads
    meeting it, so each branch of an ``if``/``then`` invariant is exercised as often as the component itself."""
    ref = {"$ref": f"#/components/schemas/{name}"}
    body = ref if condition is None else {"allOf": [ref, condition]}
    return {
        "operationId": f"probe{name}" if condition is None else f"probe{name}When{index}",
        "security": [],
        "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
        "responses": {
            "200": {
                "description": f"The {name} payload, as the client re-encodes it.",
                "content": {"application/json": {"schema": ref}},
            }
        },
    }


def _rename_formats(node: Any, renames: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            key: (
                renames.get(value, value)
                if key == "format" and isinstance(value, str)
                else _rename_formats(value, renames)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rename_formats(item, renames) for item in node]
    return node


def probe_spec(
    spec: JSON | None = None, *, format_renames: Mapping[str, str] | None = None, only: str | None = None
) -> JSON:
    """The contract with its paths replaced by one probe operation per component schema (``only``: that
    component's probe and its invariants' branches, the other components staying for its references).

    ``format_renames`` (e.g. ``{"date-time": "luma-wide-date-time"}``) points formats at other registered
    generators; a probe built that way is for generating only: validate against a probe without renames.
    """
    probe = copy.deepcopy(spec or load_spec())
    paths: JSON = {}
    for name in component_names(probe) if only is None else [only]:
        paths[probe_path(name)] = {"post": _probe_operation(name)}
        invariants = probe["components"]["schemas"][name].get("allOf", [])
        for index, invariant in enumerate(invariants):
            if isinstance(invariant, dict) and "if" in invariant:
                condition = _probe_operation(name, invariant["if"], index)
                paths[f"{probe_path(name)}{BRANCH_MARK}{index}"] = {"post": condition}
    probe["paths"] = paths
    probe.pop("security", None)
    if format_renames:
        probe["components"]["schemas"] = _rename_formats(probe["components"]["schemas"], format_renames)
    return probe


def formats_reached(name: str, spec: JSON | None = None) -> set[str]:
    """Every ``format`` in component ``name``'s schema and in the components it refers to, however deep."""
    schemas = (spec or load_spec())["components"]["schemas"]
    found: set[str] = set()
    seen = {name}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "format" and isinstance(value, str):
                    found.add(value)
                elif key == "$ref" and isinstance(value, str):
                    target = value.rsplit("/", 1)[-1]
                    if target not in seen:
                        seen.add(target)
                        visit(schemas[target])
                else:
                    visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(schemas[name])
    return found


def probe_config(
    max_examples: int, *, seed: int | None = None, shrink: bool = True, fuzzing_only: bool = False
) -> SchemathesisConfig:
    """Positive data only: the probe feeds the client what a conforming server may send. ``fuzzing_only`` leaves out
    the examples and coverage phases (the spec's examples and the boundary values of each keyword)."""
    data: JSON = {"generation": {"mode": "positive", "max-examples": max_examples, "no-shrink": not shrink}}
    if fuzzing_only:
        data["phases"] = {"examples": {"enabled": False}, "coverage": {"enabled": False}}
    if seed is not None:
        data["seed"] = seed
    # An explicit config: auto-discovery would read the repository's schemathesis.toml (meant for the mock run).
    return SchemathesisConfig.from_dict(data)


def load_probe(
    max_examples: int,
    *,
    seed: int | None = None,
    shrink: bool = True,
    format_renames: Mapping[str, str] | None = None,
    only: str | None = None,
) -> BaseSchema:
    # A probe with renamed formats is there for the spellings its fuzzing draws. Its examples and coverage phases
    # would repeat the plain probe's cases (the same examples and boundaries, one spelling drawn per format) at
    # about half the cost of the whole run for the largest components.
    return schemathesis.openapi.from_dict(
        probe_spec(format_renames=format_renames, only=only),
        config=probe_config(max_examples, seed=seed, shrink=shrink, fuzzing_only=bool(format_renames)),
    )


def probe_operation(schema: BaseSchema, name: str) -> Operation:
    return schema[probe_path(name)]["POST"]


def component_of(operation: Operation) -> str:
    """The component schema a probe operation stands for."""
    assert operation.path.startswith(PROBE_PREFIX), operation.path
    return operation.path.removeprefix(PROBE_PREFIX).partition(BRANCH_MARK)[0]


def validate_payload(schema: BaseSchema, name: str, payload: Any) -> None:
    """Raise (a schemathesis FailureGroup, an AssertionError) unless ``payload`` is valid for component ``name``."""
    # ensure_ascii keeps lone surrogates (which Hypothesis generates and json round-trips) encodable.
    content = json.dumps(payload).encode()
    response = schemathesis.Response(
        status_code=200,
        headers={"content-type": ["application/json"]},
        content=content,
        request=_probe_request(name),
        elapsed=0.0,
        verify=True,
        message="OK",
    )
    probe_operation(schema, name).validate_response(response)


@functools.cache
def _probe_request(name: str) -> requests.PreparedRequest:
    """The request a probe's payload answers, built once per component: given an httpx response, schemathesis
    rebuilt it as a ``requests`` request every time (~150 us of the ~170 a payload's validation cost)."""
    return requests.Request("POST", f"http://probe.invalid{probe_path(name)}").prepare()


# --- Walking a payload along its schema -------------------------------------------------------------------------


@dataclass(frozen=True)
class Resolver:
    """Follows local ``$ref``s of the contract."""

    spec: JSON = field(default_factory=load_spec)

    def resolve(self, node: JSON) -> JSON:
        while "$ref" in node:
            ref = node["$ref"]
            assert ref.startswith("#/"), f"only local references are supported: {ref}"
            target: Any = self.spec
            for part in ref[2:].split("/"):
                target = target[part]
            node = cast(JSON, target)
        return node

    def branches(self, node: JSON) -> list[JSON]:
        """The non-null alternatives of ``node`` (the contract uses ``anyOf`` only for "X or null")."""
        node = self.resolve(node)
        if "anyOf" not in node:
            return [node]
        others = [self.resolve(b) for b in node["anyOf"] if self.resolve(b).get("type") != "null"]
        assert len(others) == 1, f"anyOf with more than one non-null branch is not supported: {node}"
        return self.branches(others[0])


def _types(node: JSON) -> set[str]:
    declared = node.get("type", [])
    return {declared} if isinstance(declared, str) else set(declared)


def nullable(resolver: Resolver, node: JSON) -> bool:
    node = resolver.resolve(node)
    if "null" in _types(node):
        return True
    return any(resolver.resolve(b).get("type") == "null" for b in node.get("anyOf", []))


@dataclass(frozen=True)
class Feature:
    """Something the suite must exercise at a place of a component: an enum value, a null, a format."""

    location: str
    kind: str  # "enum" | "null" | "format" | "set" (a nullable object field holding an object, not only null)
    value: str

    def __str__(self) -> str:
        return f"{self.location}: {self.kind} {self.value}"


ANY_VALUE = "any value of its component"


def _refers(node: JSON) -> bool:
    """Whether a property's schema is a component reference (or "that component or null")."""
    return "$ref" in node or any("$ref" in branch for branch in node.get("anyOf", []))


def _enum_feature(location: str, node: JSON, value: Any) -> Feature:
    """Each value of an enum the component declares itself; for a referenced enum component (probed on its own,
    value by value) any one value, so that an invariant narrowing when a field is set cannot make a run miss one."""
    return Feature(location, "enum", ANY_VALUE if "." in location and _refers(node) else str(value))


def expected_features(resolver: Resolver, name: str) -> set[Feature]:
    """Every enum value, null and format the component ``name`` declares itself, and an object in each nullable
    object field (nested object components are probed on their own, so they are not descended into)."""
    found: set[Feature] = set()
    root = resolver.spec["components"]["schemas"][name]

    def visit(node: JSON, location: str, depth: int) -> None:
        if nullable(resolver, node):
            found.add(Feature(location, "null", "null"))
        for branch in resolver.branches(node):
            if nullable(resolver, node) and "properties" in branch:
                found.add(Feature(location, "set", "object"))  # e.g. output[].layer: a layer, not just null
            for value in branch.get("enum", []):
                found.add(_enum_feature(location, node, value))
            if "format" in branch:
                found.add(Feature(location, "format", branch["format"]))
            if "properties" in branch and depth == 0:
                for prop, sub in branch["properties"].items():
                    visit(sub, f"{location}.{prop}", depth + 1)
            if "items" in branch:
                visit(branch["items"], f"{location}[]", depth + 1)

    visit(root, name, 0)
    return found


def observed_features(resolver: Resolver, name: str, payload: Any) -> Iterator[Feature]:
    """The features of :func:`expected_features` that ``payload`` exercises."""

    def visit(node: JSON, value: Any, location: str) -> Iterator[Feature]:
        if value is None:
            yield Feature(location, "null", "null")
            return
        for branch in resolver.branches(node):
            if isinstance(value, dict) and "properties" in branch and nullable(resolver, node):
                yield Feature(location, "set", "object")
            if "enum" in branch:
                yield _enum_feature(location, node, value)
            if "format" in branch:
                yield Feature(location, "format", branch["format"])
            if isinstance(value, dict):
                for prop, sub in branch.get("properties", {}).items():
                    if prop in value:
                        yield from visit(sub, value[prop], f"{location}.{prop}")
            if isinstance(value, list) and "items" in branch:
                for item in value:
                    yield from visit(branch["items"], item, f"{location}[]")

    yield from visit(resolver.spec["components"]["schemas"][name], payload, name)


def parse_date_time(value: str) -> datetime.datetime:
    """RFC 3339 date-time → aware datetime (the oracle's reading, to compare instants rather than spellings)."""
    return datetime.datetime.fromisoformat(value.upper())


FORMAT_NORMALISERS: dict[str, Callable[[str], Any]] = {
    "date-time": parse_date_time,
    "uuid": str.lower,  # RFC 9562: hex digits are case-insensitive on input
}


def normalise(resolver: Resolver, name: str, payload: Any) -> Any:
    """``payload`` with every formatted string replaced by its meaning, so spellings compare equal by value."""

    def visit(node: JSON, value: Any) -> Any:
        if value is None:
            return None
        for branch in resolver.branches(node):
            fmt = branch.get("format")
            if isinstance(value, str) and fmt in FORMAT_NORMALISERS:
                return FORMAT_NORMALISERS[fmt](value)
            if isinstance(value, dict):
                props = branch.get("properties", {})
                return {k: visit(props[k], v) if k in props else v for k, v in value.items()}
            if isinstance(value, list) and "items" in branch:
                return [visit(branch["items"], item) for item in value]
        return value

    return visit(resolver.spec["components"]["schemas"][name], payload)


def formatted_strings(resolver: Resolver, name: str, payload: Any) -> Iterator[tuple[str, str]]:
    """Every (format, value) pair in ``payload``, e.g. ``("date-time", "2026-04-08t12:00:00z")``."""

    def visit(node: JSON, value: Any) -> Iterator[tuple[str, str]]:
        if value is None:
            return
        for branch in resolver.branches(node):
            if isinstance(value, str) and "format" in branch:
                yield branch["format"], value
            if isinstance(value, dict):
                for prop, sub in branch.get("properties", {}).items():
                    if prop in value:
                        yield from visit(sub, value[prop])
            if isinstance(value, list) and "items" in branch:
                for item in value:
                    yield from visit(branch["items"], item)

    yield from visit(resolver.spec["components"]["schemas"][name], payload)
