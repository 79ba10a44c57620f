"""openapi.yaml as the checks read it: its operations matched by method and path, each documented response with its
compiled body schema, its headers and its documented error wordings, and the ``x-`` facts the rules hold servers to.

Every location is a dotted path from the document's root (``components.headers.X-RateLimit-Reset``), the same one a
finding names, so a reader can open the spec there. Schemas compile as the mock compiles them (``$ref`` inlined,
jsonschema_rs, jsonschema for the wording of the first error), once per schema and only when first needed.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from luma_uni_mock import sources
from luma_uni_mock.schemas import CompiledSchema, ContractError, compile_schema, inline_refs, read_spec

JSON = dict[str, Any]
GENERATION = "Generation"
REQUEST = "CreateGenerationRequest"


class SpecError(ValueError):
    """The spec cannot be read, or lacks what the checks need; the message says which and where."""


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    template: str  # the spec's path, e.g. /generations/{generation_id}
    definition: JSON
    pattern: re.Pattern[str]

    @property
    def label(self) -> str:
        return f"{self.method} {self.template}"

    @property
    def where(self) -> str:
        return f"paths.{self.template}.{self.method.lower()}"

    def parameters(self, path: str) -> dict[str, str]:
        """The path parameters of ``path`` (which must match)."""
        match = self.pattern.fullmatch(path)
        return match.groupdict() if match else {}


@dataclass(frozen=True)
class Header:
    name: str
    where: str
    required: bool
    schema: JSON


@dataclass(frozen=True)
class ResponseSpec:
    """One documented response of an operation (a ``$ref`` resolved; ``where`` is the target's location)."""

    status_key: str  # as the spec writes it: "201", "5XX", "default"
    where: str
    definition: JSON

    @property
    def media_types(self) -> tuple[str, ...]:
        return tuple(self.definition.get("content", {}))

    def json_schema(self) -> Any:
        return self.definition.get("content", {}).get("application/json", {}).get("schema")

    def examples(self) -> dict[str, Any]:
        """The values of the JSON body's examples, by name."""
        examples = self.definition.get("content", {}).get("application/json", {}).get("examples", {})
        return {name: example.get("value") for name, example in examples.items() if isinstance(example, dict)}


class Spec:
    """A parsed OpenAPI document and what the checks read from it."""

    def __init__(self, raw: JSON) -> None:
        if not isinstance(raw, dict) or not isinstance(raw.get("paths"), dict):
            raise SpecError("not an OpenAPI document (no paths)")
        self.raw = raw
        self._schemas: dict[str, CompiledSchema] = {}
        self._lock = threading.Lock()
        # Read once, then from these (the document never changes once loaded).
        self._refs: dict[str, tuple[Any, str]] = {}
        self._responses: dict[tuple[str, int], ResponseSpec | None] = {}
        self._headers: dict[str, tuple[Header, ...]] = {}

    @classmethod
    def load(cls, path: Path) -> Spec:
        """The spec at ``path``, read as the mock reads it."""
        try:
            return cls(read_spec(path))
        except (ContractError, SpecError) as exc:
            raise SpecError(str(exc) if isinstance(exc, ContractError) else f"{path}: {exc}") from None

    # --- where things are -------------------------------------------------------------------------------------

    def at(self, where: str) -> Any:
        """The node at a dotted location (None when there is none)."""
        node: Any = self.raw
        for part in where.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def source_at(self, where: str) -> str | None:
        """The ``x-source`` of the fact at ``where``: on the node itself, else on the nearest object holding it (a
        schema, a header, a response). An ``x-source`` keyed by the facts of its object (``{x-lifetime-seconds: {sdk:
        ...}, ...}``) gives the entry of the fact ``where`` names, or of the object's description when ``where`` is
        the object itself. None while the spec records no source for it."""
        parts = where.split(".")
        fact: str | None = None
        while len(parts) > 2:  # never the document, a section (components) or a map of components (schemas)
            source = _source_of(self.at(".".join(parts)), fact, ".".join(parts))
            if source is not None:
                return f"{source.kind}: {source.text}"
            fact = parts.pop()
        return None

    def resolve(self, node: Any) -> tuple[Any, str | None]:
        """``node`` with its ``$ref`` followed (once per hop), and the dotted location it came from."""
        where = None
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 16:
            node, where = self._target(node["$ref"])
            seen += 1
        return node, where

    def _target(self, ref: str) -> tuple[Any, str]:
        found = self._refs.get(ref)
        if found is None:
            if not ref.startswith("#/"):
                raise SpecError(f"unresolvable $ref {ref!r} (only references inside the document are supported)")
            where = ".".join(part.replace("~1", "/").replace("~0", "~") for part in ref[2:].split("/"))
            found = self._refs[ref] = (self.at(where), where)
        return found

    def component(self, name: str) -> JSON:
        found = self.raw.get("components", {}).get("schemas", {}).get(name, {})
        return found if isinstance(found, dict) else {}

    # --- operations and responses ----------------------------------------------------------------------------

    @cached_property
    def operations(self) -> tuple[Operation, ...]:
        found = []
        for template, item in self.raw["paths"].items():
            if not isinstance(item, dict):
                continue
            for method, definition in item.items():
                if isinstance(definition, dict) and "responses" in definition:
                    found.append(Operation(method.upper(), template, definition, _path_pattern(template)))
        return tuple(found)

    def match(self, method: str, path: str) -> Operation | None:
        """The operation serving ``method`` at ``path`` (a path as the spec writes them: its server's base removed)."""
        method = method.upper()
        return next((op for op in self.operations if op.method == method and op.pattern.fullmatch(path)), None)

    def operation(self, method: str, template: str) -> Operation | None:
        """The operation the spec writes as ``method`` at ``template`` (``/generations/{generation_id}``)."""
        method = method.upper()
        return next((op for op in self.operations if op.method == method and op.template == template), None)

    def knows_path(self, path: str) -> bool:
        return any(op.pattern.fullmatch(path) for op in self.operations)

    def response(self, operation: Operation, status: int) -> ResponseSpec | None:
        """The documented response for ``status``: its own entry, else its range (``5XX``), else ``default``."""
        key = (operation.label, status)
        if key not in self._responses:
            self._responses[key] = self._find_response(operation, status)
        return self._responses[key]

    def _find_response(self, operation: Operation, status: int) -> ResponseSpec | None:
        responses = operation.definition.get("responses", {})
        for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
            if key in responses:
                definition, target = self.resolve(responses[key])
                where = target or f"{operation.where}.responses.{key}"
                return ResponseSpec(key, where, definition if isinstance(definition, dict) else {})
        return None

    def headers(self, response: ResponseSpec) -> tuple[Header, ...]:
        found = self._headers.get(response.where)
        if found is None:
            found = self._headers[response.where] = tuple(self._find_headers(response))
        return found

    def _find_headers(self, response: ResponseSpec) -> Iterator[Header]:
        for name, header in response.definition.get("headers", {}).items():
            definition, target = self.resolve(header)
            if isinstance(definition, dict):
                where = target or f"{response.where}.headers.{name}"
                yield Header(name, where, definition.get("required") is True, definition.get("schema", {}))

    def request_schema(self, operation: Operation) -> Any:
        return operation.definition.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")

    def compiled(self, where: str, schema: Any) -> CompiledSchema:
        """``schema`` compiled (cached under ``where``, the location that names it)."""
        with self._lock:
            found = self._schemas.get(where)
            if found is None:
                try:
                    found = compile_schema(where, schema, self.raw)
                except ContractError as exc:
                    raise SpecError(str(exc)) from None
                self._schemas[where] = found
            return found

    def closed(self, where: str, schema: Any) -> CompiledSchema:
        """``schema`` compiled with every object schema that declares properties closed to others: what accepts a
        body holding nothing the spec lacks (no unknown field; unknown values and nulls fail the schema itself)."""
        key = f"{where} (closed)"
        found = self._schemas.get(key)
        return found if found is not None else self.compiled(key, _closed(inline_refs(schema, self.raw)))

    def security_applies(self, operation: Operation) -> bool:
        """Whether the operation needs credentials (its own ``security``, else the document's; an empty requirement
        among them makes credentials optional)."""
        security = operation.definition.get("security", self.raw.get("security"))
        return isinstance(security, list) and bool(security) and all(requirement for requirement in security)

    # --- the facts the rules read ----------------------------------------------------------------------------

    @cached_property
    def state_order(self) -> list[str]:
        return list(self.component(GENERATION).get("x-state-order", []))

    @cached_property
    def terminal_states(self) -> set[str]:
        return set(self.component(GENERATION).get("x-terminal-states", []))

    @cached_property
    def settles_within_seconds(self) -> float | None:
        value = self.component(GENERATION).get("x-settles-within-seconds")
        return float(value) if isinstance(value, int | float) else None

    @cached_property
    def server_defaults(self) -> dict[str, Any]:
        properties = self.component(REQUEST).get("properties", {})
        return {name: prop["x-server-default"] for name, prop in properties.items() if "x-server-default" in prop}

    @cached_property
    def window_seconds(self) -> float | None:
        """X-RateLimit-Reset's ``x-window-seconds``: the per-minute limit's sliding window."""
        reset = self.raw.get("components", {}).get("headers", {}).get("X-RateLimit-Reset", {})
        value = reset.get("x-window-seconds") if isinstance(reset, dict) else None
        return float(value) if isinstance(value, int | float) else None

    @cached_property
    def echoed_request_id(self) -> str:
        """The pattern of an ``X-Request-Id`` the server echoes unchanged (RequestId's ``x-echoed-pattern``)."""
        parameter = self.raw.get("components", {}).get("parameters", {}).get("RequestId", {})
        return str(parameter.get("x-echoed-pattern", "^[!-~]{1,200}$"))

    @cached_property
    def output_url(self) -> JSON:
        url: JSON = self.component("GenerationOutput").get("properties", {}).get("url", {})
        return url

    @cached_property
    def type_outputs(self) -> Mapping[str, str]:
        """What each GenerationType makes (its ``x-types`` output; a type without an entry makes an image)."""
        kinds = self.component("GenerationType").get("x-types", {})
        return {name: str(facts.get("output", "image")) for name, facts in kinds.items() if isinstance(facts, dict)}


def _closed(node: Any) -> Any:
    if isinstance(node, list):
        return [_closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    closed = {
        key: value if key in ("enum", "const", "example", "examples", "default") else _closed(value)
        for key, value in node.items()
    }
    kinds = node.get("type")
    is_object = kinds == "object" or (isinstance(kinds, list) and "object" in kinds)
    if (
        is_object
        and isinstance(node.get("properties"), dict)
        and not {"additionalProperties", "unevaluatedProperties"} & set(node)
    ):
        closed["additionalProperties"] = False
    return closed


def _source_of(node: Any, fact: str | None, where: str) -> sources.Source | None:
    """The source ``node``'s ``x-source`` gives ``fact``, else the object's own (its description); None when it
    gives none, or is malformed (the spec's own tests name a malformed one; a finding is still reported)."""
    try:
        return sources.source_for(node, fact, where) or (sources.source_for(node, None, where) if fact else None)
    except sources.SourceError:
        return None


def _path_pattern(template: str) -> re.Pattern[str]:
    """``/generations/{generation_id}`` → a pattern whose group ``generation_id`` matches one path segment."""
    parts = re.split(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", template)
    pattern = "".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>[^/]+)" for index, part in enumerate(parts))
    return re.compile(pattern)


_CACHE: dict[int, Spec] = {}
_CACHE_LOCK = threading.Lock()


def spec_of(raw: JSON) -> Spec:
    """The `Spec` of a parsed document, made once per document object (a run's schemathesis schema keeps one)."""
    with _CACHE_LOCK:
        found = _CACHE.get(id(raw))
        if found is None or found.raw is not raw:
            found = _CACHE[id(raw)] = Spec(raw)
        return found
