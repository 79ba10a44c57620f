"""openapi.yaml loaded and compiled at start-up: the validators and the enums every rule reads.

If anything the mock validates with cannot be found or compiled, `load_contract` raises `ContractError` with a
clear message and the mock does not start: it must never validate silently nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import jsonschema
import referencing
import referencing.exceptions
import yaml
from referencing.jsonschema import DRAFT202012

JSON = dict[str, Any]
_SPEC_URI = "urn:luma-mock:openapi"


class ContractError(RuntimeError):
    """openapi.yaml is missing, unreadable, or lacks (or breaks) a schema the mock validates with."""


@dataclass(frozen=True)
class Contract:
    api_version: str
    request_validator: jsonschema.protocols.Validator  # POST /generations body
    generation_id_validator: jsonschema.protocols.Validator  # GET /generations/{generation_id} path parameter
    models: tuple[str, ...]
    types: tuple[str, ...]
    aspect_ratios: tuple[str, ...]
    styles: tuple[str, ...]
    output_formats: tuple[str, ...]
    failure_codes: tuple[str, ...]
    max_image_refs: int


def load_contract(spec_path: Path) -> Contract:
    try:
        text = spec_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContractError(f"cannot read the spec {spec_path}: {exc.strerror or exc}") from None
    try:
        spec = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ContractError(f"{spec_path} is not valid YAML: {exc}") from None
    if not isinstance(spec, dict):
        raise ContractError(f"{spec_path} is not an OpenAPI document (top level is not a mapping)")
    try:
        return _compile(spec)
    except ContractError as exc:
        raise ContractError(f"{spec_path}: {exc}") from None


def _compile(spec: JSON) -> Contract:
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(
        _SPEC_URI, DRAFT202012.create_resource(spec)
    )
    body_ref = _dig(spec, "paths", "/generations", "post", "requestBody", "content", "application/json", "schema")
    parameters = _dig(spec, "paths", "/generations/{generation_id}", "get", "parameters")
    id_schema = next(
        (p.get("schema") for p in parameters if isinstance(p, dict) and p.get("name") == "generation_id"), None
    )
    if not isinstance(id_schema, dict):
        raise ContractError("GET /generations/{generation_id} declares no generation_id path parameter schema")

    request_schema = _anchor(body_ref)
    request_validator = _compile_one("the POST /generations request body", request_schema, registry)
    generation_id_validator = _compile_one("the generation_id path parameter", _anchor(id_schema), registry)

    def enum(name: str) -> tuple[str, ...]:
        values = _dig(spec, "components", "schemas", name, "enum")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values) or not values:
            raise ContractError(f"components.schemas.{name}.enum must be a non-empty list of strings")
        return tuple(values)

    max_refs = _dig(spec, "components", "schemas", "CreateGenerationRequest", "properties", "image_ref", "maxItems")
    if not isinstance(max_refs, int) or max_refs < 1:
        raise ContractError("CreateGenerationRequest.image_ref.maxItems must be a positive integer")
    version = _dig(spec, "info", "version")
    return Contract(
        api_version=str(version),
        request_validator=request_validator,
        generation_id_validator=generation_id_validator,
        models=enum("Model"),
        types=enum("GenerationType"),
        aspect_ratios=enum("AspectRatio"),
        styles=enum("Style"),
        output_formats=enum("OutputFormat"),
        failure_codes=enum("FailureCode"),
        max_image_refs=max_refs,
    )


def _dig(node: Any, *keys: str) -> Any:
    path = []
    for key in keys:
        path.append(key)
        if not isinstance(node, dict) or key not in node:
            raise ContractError(f"missing {'.'.join(path)}")
        node = node[key]
    return node


def _anchor(schema: Any) -> JSON:
    """A copy of ``schema`` whose local ``#/...`` references point into the whole spec document."""
    if not isinstance(schema, dict):
        raise ContractError(f"expected a schema object, found {type(schema).__name__}")
    return cast(JSON, _absolute_refs(schema))


def _absolute_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: _SPEC_URI + value
            if key == "$ref" and isinstance(value, str) and value.startswith("#")
            else _absolute_refs(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_absolute_refs(item) for item in node]
    return node


def _compile_one(what: str, schema: JSON, registry: referencing.Registry[Any]) -> jsonschema.protocols.Validator:
    """Check the schema and every schema it reaches against the 2020-12 meta-schema, and every $ref resolves."""
    validator_class = jsonschema.Draft202012Validator
    validator = validator_class(schema, registry=registry, format_checker=validator_class.FORMAT_CHECKER)
    resolver = registry.resolver(base_uri=_SPEC_URI)
    seen: set[str] = set()
    pending = [schema]
    while pending:
        node = pending.pop()
        try:
            validator_class.check_schema(node)
        except jsonschema.SchemaError as exc:
            raise ContractError(f"{what}: invalid schema: {exc.message}") from None
        for ref in _refs(node):
            uri = ref if ref.startswith(_SPEC_URI) else _SPEC_URI + ref
            if uri in seen:
                continue
            seen.add(uri)
            try:
                target = resolver.lookup(uri).contents
            except referencing.exceptions.Unresolvable as exc:
                raise ContractError(f"{what}: unresolvable $ref {ref!r} ({exc})") from None
            if not isinstance(target, dict):
                raise ContractError(f"{what}: $ref {ref!r} does not point at a schema object")
            pending.append(cast(JSON, target))
    return cast(jsonschema.protocols.Validator, validator)


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)
