"""openapi.yaml loaded and compiled at start-up: the validators and the enums every rule reads.

If anything the mock validates with cannot be found or compiled, `load_contract` raises `ContractError` with a
clear message and the mock does not start: it must never validate silently nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import jsonschema
import referencing
import referencing.exceptions
import yaml
from jsonschema.exceptions import best_match
from referencing.jsonschema import DRAFT202012

JSON = dict[str, Any]
_SPEC_URI = "urn:luma-mock:openapi"


class ContractError(RuntimeError):
    """openapi.yaml is missing, unreadable, or lacks (or breaks) a schema the mock validates with."""


@dataclass(frozen=True)
class CompiledSchema:
    """A schema compiled with jsonschema, the authority whose errors become the details, plus, when the optional
    jsonschema_rs is installed, its compiled twin: a fast yes for valid input (a no is re-checked by jsonschema,
    and tests/mock check that the two agree)."""

    validator: jsonschema.protocols.Validator
    fast_is_valid: Callable[[Any], bool] | None = None

    def accepts_fast(self, instance: Any) -> bool:
        if self.fast_is_valid is None:
            return bool(self.validator.is_valid(instance))
        try:
            return self.fast_is_valid(instance)
        except Exception:  # e.g. an integer too large for Rust: let jsonschema decide
            return False

    def first_error(self, instance: Any) -> jsonschema.ValidationError | None:
        """The most relevant error (jsonschema's ``best_match``), or None when the instance is valid."""
        return cast(jsonschema.ValidationError | None, best_match(self.validator.iter_errors(instance)))


@dataclass(frozen=True)
class Contract:
    api_version: str
    request_schema: CompiledSchema  # POST /generations body
    generation_id_schema: CompiledSchema  # GET /generations/{generation_id} path parameter
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

    request_schema = _compile_one("the POST /generations request body", body_ref, registry)
    generation_id_schema = _compile_one("the generation_id path parameter", id_schema, registry)

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
        request_schema=request_schema,
        generation_id_schema=generation_id_schema,
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


# Keywords that never change a validation result: a $ref's siblings made only of these are dropped when inlining.
_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "default", "deprecated", "readOnly", "writeOnly", "$comment"}
)


def _compile_one(what: str, schema: Any, registry: referencing.Registry[Any]) -> CompiledSchema:
    """Inline every $ref (refusing unresolvable or recursive ones), check the result against the 2020-12
    meta-schema and build its validator. Inlining once at start-up halves the per-request validation time."""
    try:
        inlined = _inline(schema, registry, ())
    except ContractError as exc:
        raise ContractError(f"{what}: {exc}") from None
    validator_class = jsonschema.Draft202012Validator
    try:
        validator_class.check_schema(inlined)
    except jsonschema.SchemaError as exc:
        raise ContractError(f"{what}: invalid schema at {list(exc.path)}: {exc.message}") from None
    validator = validator_class(inlined, format_checker=validator_class.FORMAT_CHECKER)
    return CompiledSchema(cast(jsonschema.protocols.Validator, validator), _fast_validator(what, inlined))


def _fast_validator(what: str, schema: JSON) -> Callable[[Any], bool] | None:
    try:
        import jsonschema_rs
    except ImportError:  # optional: jsonschema alone gives the same answers, about 50 times slower
        return None
    try:
        return jsonschema_rs.Draft202012Validator(schema, validate_formats=True).is_valid
    except Exception as exc:  # jsonschema accepted the schema: a disagreement is a bug worth refusing to start
        raise ContractError(f"{what}: jsonschema_rs cannot compile the schema jsonschema accepted: {exc}") from None


def _inline(node: Any, registry: referencing.Registry[Any], seen: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_inline(item, registry, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if ref is None:
        return {key: _inline(value, registry, seen) for key, value in node.items()}
    if not isinstance(ref, str):
        raise ContractError(f"$ref must be a string, found {ref!r}")
    if ref in seen:
        raise ContractError(f"recursive $ref {ref!r} (through {' -> '.join(seen)}) is not supported")
    try:
        resolved = registry.resolver(base_uri=_SPEC_URI).lookup(ref if ref.startswith(_SPEC_URI) else _SPEC_URI + ref)
    except referencing.exceptions.Unresolvable as exc:
        raise ContractError(f"unresolvable $ref {ref!r} ({exc})") from None
    target = _inline(resolved.contents, registry, (*seen, ref))
    if not isinstance(target, dict | bool):
        raise ContractError(f"$ref {ref!r} does not point at a schema")
    siblings = {key: value for key, value in node.items() if key != "$ref" and key not in _ANNOTATIONS}
    if not siblings:
        return target
    return {"allOf": [target], **{key: _inline(value, registry, seen) for key, value in siblings.items()}}
