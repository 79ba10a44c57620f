"""What traffic showed that the spec lacks, as proposed edits of openapi.yaml, each classed as ``make generate``'s
change report would class it (the edit is applied to a copy of the spec and the two are diffed with `spec_diff`).

A gap is an enum value outside its enum, a field an object schema does not declare, a value ``null`` where the schema
allows none (in a response, or in a request the API accepted), a response header the documented response does not
list, a status the operation does not document, an error wording none of the response's examples or rule templates
match. Standard HTTP and infrastructure headers (``Date``, ``Server``, a CDN's ``CF-Ray``, ...) are not gaps.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from .exchange import NO_BODY, Exchange
from .findings import Finding
from .spec import Operation, Spec
from .spec_diff import ADDITIVE, BREAKING, REVIEW, Change, spec_changes

JSON = dict[str, Any]
ENUM_VALUE, FIELD, NULLABLE, HEADER, STATUS, WORDING = (
    "enum value",
    "field",
    "null value",
    "header",
    "status",
    "error wording",
)
# Headers of HTTP itself and of the infrastructure in front of an API: never a fact of this contract.
STANDARD_HEADERS = frozenset(
    {
        "accept-ranges", "age", "alt-svc", "cache-control", "connection", "content-encoding", "content-language",
        "content-length", "content-security-policy", "content-type", "date", "etag", "expires", "keep-alive",
        "last-modified", "nel", "permissions-policy", "pragma", "referrer-policy", "report-to", "server",
        "server-timing", "set-cookie", "strict-transport-security", "timing-allow-origin", "trailer",
        "transfer-encoding", "vary", "via", "x-content-type-options", "x-frame-options", "x-powered-by",
        "x-xss-protection",
    }
)  # fmt: skip
STANDARD_PREFIXES = ("access-control-", "cf-", "cross-origin-", "x-amz-", "x-cache", "x-envoy-", "x-served-", "x-timer")
MAX_GAPS = 1000  # distinct gaps remembered; beyond, new ones are only counted
SEVERITY = {ADDITIVE: 0, REVIEW: 1, BREAKING: 2}
SEEN = "Seen in traffic by luma-uni-proxy: describe it."


@dataclass(frozen=True, order=True)
class Gap:
    kind: str
    where: str  # the location the edit goes to
    name: str  # the value, field, header, status or wording, as text


@dataclass
class Sighting:
    count: int = 0
    request_id: str | None = None  # the first
    values: list[Any] = field(default_factory=list)  # the first few values seen (an enum value, a field's values)


@dataclass(frozen=True)
class Proposal:
    gap: Gap
    sighting: Sighting
    edit: str  # the edit in words
    snippet: str  # the new YAML at the location
    changes: tuple[Change, ...]  # what make generate's change report says of it

    @property
    def kind(self) -> str:
        return max((c.kind for c in self.changes), key=SEVERITY.__getitem__, default=ADDITIVE)


class Drift:
    """Gaps collected from exchanges (thread-safe), turned into proposals at the end."""

    def __init__(self) -> None:
        self.gaps: dict[Gap, Sighting] = {}
        self.dropped = 0
        self._lock = threading.Lock()

    def observe(self, spec: Spec, operation: Operation, exchange: Exchange, findings: Iterable[Finding]) -> None:
        for gap, value in _gaps(spec, operation, exchange, findings):
            with self._lock:
                sighting = self.gaps.get(gap)
                if sighting is None:
                    if len(self.gaps) >= MAX_GAPS:
                        self.dropped += 1
                        continue
                    sighting = self.gaps[gap] = Sighting(request_id=exchange.request_id)
                sighting.count += 1
                if len(sighting.values) < 8 and value not in sighting.values:
                    sighting.values.append(value)

    def proposals(self, spec: Spec) -> list[Proposal]:
        with self._lock:
            gaps = sorted(self.gaps.items())
        found = [_proposal(spec, gap, sighting) for gap, sighting in gaps]
        return sorted(found, key=lambda p: (-SEVERITY[p.kind], p.gap))


# --- Finding gaps ------------------------------------------------------------------------------------------------


def _gaps(
    spec: Spec, operation: Operation, exchange: Exchange, findings: Iterable[Finding]
) -> Iterator[tuple[Gap, Any]]:
    response = spec.response(operation, exchange.status)
    if response is None:
        yield Gap(STATUS, f"{operation.where}.responses", str(exchange.status)), exchange.status
        return
    bodies = [(response.json_schema(), exchange.response_json, f"{response.where}.content.application/json.schema")]
    if 200 <= exchange.status < 300:  # what the API accepted
        where = f"{operation.where}.requestBody.content.application/json.schema"
        bodies.append((spec.request_schema(operation), exchange.request_json, where))
    for schema, body, at in bodies:
        # Most bodies hold nothing the spec lacks: the closed schema says so in microseconds, without a walk.
        if schema is not None and body is not NO_BODY and not spec.closed(at, schema).accepts_fast(body):
            yield from _schema_gaps(spec, schema, body, at)
    documented = {header.name.lower() for header in spec.headers(response)}
    for name in exchange.response_headers:
        if name not in documented and name not in STANDARD_HEADERS and not name.startswith(STANDARD_PREFIXES):
            yield Gap(HEADER, response.where, _header_name(name)), name
    for finding in findings:
        if finding.rule == "error_wording_documented" and isinstance(exchange.response_json, dict):
            detail = exchange.response_json.get("detail")
            yield Gap(WORDING, response.where, str(detail)), detail


def _header_name(name: str) -> str:
    """``x-ratelimit-policy`` → ``X-Ratelimit-Policy``: how the spec writes header names."""
    return "-".join(part[:1].upper() + part[1:] for part in name.split("-"))


_JSON_TYPES = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _json_type(value: Any) -> str:
    return next(
        name
        for name in ("null", "boolean", "integer", "number", "string", "array", "object")
        if _JSON_TYPES[name](value)
    )


def _accepts_type(node: Any, value: Any) -> bool:
    kinds = node.get("type") if isinstance(node, dict) else None
    if kinds is None:
        return True
    return any(_JSON_TYPES.get(kind, lambda v: False)(value) for kind in ([kinds] if isinstance(kinds, str) else kinds))


def _schema_gaps(spec: Spec, node: Any, value: Any, where: str, depth: int = 0) -> Iterator[tuple[Gap, Any]]:
    """Walk ``value`` along the (unresolved) schema ``node`` found at ``where``: what it holds that the schema lacks."""
    resolved, target = spec.resolve(node)
    where = target or where
    if not isinstance(resolved, dict) or depth > 32:
        return
    branches = [*resolved.get("anyOf", []), *resolved.get("oneOf", [])]
    if branches:
        for index, branch in enumerate(branches):
            if _accepts_type(spec.resolve(branch)[0], value):
                yield from _schema_gaps(spec, branch, value, f"{where}.anyOf.{index}", depth + 1)
                return
        if value is None:
            yield Gap(NULLABLE, where, "null"), None
        return
    if value is None and "type" in resolved and not _accepts_type(resolved, None):
        yield Gap(NULLABLE, where, "null"), None
        return
    enum = resolved.get("enum")
    if isinstance(enum, list) and value not in enum and not isinstance(value, dict | list):
        yield Gap(ENUM_VALUE, where, str(value)), value
    if isinstance(value, dict):
        properties = _properties(spec, resolved)
        if properties is None:
            return
        extra = resolved.get("additionalProperties")
        for name, item in value.items():
            declared = properties.get(name)
            if item is None and isinstance(declared, dict) and "$ref" in declared:
                if not _accepts_type(spec.resolve(declared)[0], None):  # null where a component is referenced
                    yield Gap(NULLABLE, f"{where}.properties.{name}", "null"), None
            elif name in properties:
                yield from _schema_gaps(spec, declared, item, f"{where}.properties.{name}", depth + 1)
            elif not isinstance(extra, dict):
                yield Gap(FIELD, where, name), item
    elif isinstance(value, list) and isinstance(resolved.get("items"), dict):
        for item in value:
            yield from _schema_gaps(spec, resolved["items"], item, f"{where}.items", depth + 1)


def _properties(spec: Spec, node: JSON) -> JSON | None:
    """The properties an object schema declares, its ``allOf`` parts' included; None for a schema that declares
    none (it says nothing about fields)."""
    found = dict(node.get("properties", {})) if isinstance(node.get("properties"), dict) else None
    for part in node.get("allOf", []):
        resolved = spec.resolve(part)[0]
        if isinstance(resolved, dict) and isinstance(resolved.get("properties"), dict) and "if" not in resolved:
            found = {**(found or {}), **resolved["properties"]}
    return found


# --- Proposing edits -------------------------------------------------------------------------------------------


def _inferred_schema(values: list[Any]) -> JSON:
    kinds = sorted({_json_type(value) for value in values})
    return {"type": kinds[0] if len(kinds) == 1 else kinds}


def _proposal(spec: Spec, gap: Gap, sighting: Sighting) -> Proposal:
    edited = copy.deepcopy(spec.raw)
    node = Spec(edited).at(gap.where)
    value = sighting.values[0] if sighting.values else gap.name
    if gap.kind == ENUM_VALUE:
        node["enum"] = [*node["enum"], value]
        edit, snippet = f"add {value!r} to the enum", {"enum": node["enum"]}
    elif gap.kind == FIELD:
        new = _inferred_schema(sighting.values)
        node.setdefault("properties", {})[gap.name] = new
        edit, snippet = f"add the optional field {gap.name!r}", {"properties": {gap.name: new}}
    elif gap.kind == NULLABLE:
        kinds = node.get("type")
        if "$ref" in node:  # a referenced component: the field becomes "that, or null"
            node["anyOf"] = [{"$ref": node.pop("$ref")}, {"type": "null"}]
            snippet = {"anyOf": node["anyOf"]}
        elif kinds is not None:
            node["type"] = [*(kinds if isinstance(kinds, list) else [kinds]), "null"]
            snippet = {"type": node["type"]}
        else:
            node["anyOf"] = [*node.get("anyOf", []), {"type": "null"}]
            snippet = {"anyOf": node["anyOf"]}
        edit = "allow null"
    elif gap.kind == HEADER:
        new = {"description": SEEN, "schema": {"type": "string"}}
        node.setdefault("headers", {})[gap.name] = new
        edit, snippet = f"document the header {gap.name}", {"headers": {gap.name: new}}
    elif gap.kind == STATUS:
        node[gap.name] = {"description": SEEN}
        edit, snippet = f"document the status {gap.name}", {gap.name: node[gap.name]}
    else:  # WORDING
        examples = node.setdefault("content", {}).setdefault("application/json", {}).setdefault("examples", {})
        name = f"seen_{len(examples) + 1}"
        examples[name] = {"value": {"detail": value}}
        edit, snippet = "add the wording as an example", {"examples": {name: examples[name]}}
    changes = tuple(spec_changes(spec.raw, edited))
    text = yaml.safe_dump({gap.where: snippet}, sort_keys=False, allow_unicode=True, default_flow_style=None, width=110)
    return Proposal(gap, sighting, edit, text.rstrip("\n"), changes)
