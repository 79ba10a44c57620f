"""openapi.yaml read and its schemas compiled: the generic JSON Schema work the mock's validation rests on.

`read_spec` parses the YAML; `compile_schema` inlines every ``$ref`` and compiles the result with jsonschema_rs, which
also checks it against the 2020-12 meta-schema. The pure-Python jsonschema, whose errors word the 400 details, is
imported and built on the first refused request: with its dependencies it costs about 90 ms to import, a third of
the mock's start-up. Anything unreadable or uncompilable raises `ContractError`, and the mock does not start: it
must never validate silently nothing. (spec_facts.py reads the facts the mock needs from the parsed document.)
"""

from __future__ import annotations

import functools
import pickle
import re
import threading
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import jsonschema_rs
import yaml

from .schema_errors import PartVerdicts, skipping_accepted_parts

if TYPE_CHECKING:
    import jsonschema

JSON = dict[str, Any]


class ContractError(RuntimeError):
    """openapi.yaml is missing, unreadable, or lacks (or breaks) a schema the mock validates with."""


class CompiledSchema:
    """A schema compiled with jsonschema_rs, which answers every request (a yes or no in microseconds), and, built
    on the first refusal, jsonschema's validator, the authority whose best error becomes the detail (a no is
    re-checked by it; tests/mock check that the two agree). jsonschema walks only the parts jsonschema_rs refuses
    (schema_errors.py)."""

    def __init__(self, schema: JSON | bool, fast_is_valid: Callable[[Any], bool]) -> None:
        self.schema = schema  # $refs inlined
        self.fast_is_valid = fast_is_valid
        self._validator: jsonschema.protocols.Validator | None = None
        self._lock = threading.Lock()  # large bodies are validated on worker threads

    def accepts_fast(self, instance: Any) -> bool:
        try:
            return self.fast_is_valid(instance)
        except Exception:  # e.g. an integer too large for Rust: let jsonschema decide
            return False

    def accepts(self, instance: Any) -> bool:
        """The verdict alone: jsonschema_rs's yes, or jsonschema's (which stops at its first error) on a no."""
        return self.accepts_fast(instance) or self._python_validator().is_valid(instance)

    def errors(self, instance: Any) -> list[jsonschema.ValidationError]:
        """Every error jsonschema finds, in its order (the schema's)."""
        return list(self._python_validator().iter_errors(instance))

    def first_error(self, instance: Any) -> jsonschema.ValidationError | None:
        """The most relevant error (jsonschema's ``best_match``), or None when the instance is valid."""
        return self.best_error(self.errors(instance))

    @staticmethod
    def best_error(errors: list[jsonschema.ValidationError]) -> jsonschema.ValidationError | None:
        """The most relevant of ``errors`` (jsonschema's ``best_match``), or None when there is none."""
        from jsonschema.exceptions import best_match  # here, not at the top: see the module's doc

        return cast("jsonschema.ValidationError | None", best_match(errors))

    def _python_validator(self) -> jsonschema.protocols.Validator:
        with self._lock:
            if self._validator is None:
                import jsonschema  # here, not at the top: see the module's doc

                own = jsonschema.Draft202012Validator
                extend: Callable[..., type[Any]] = jsonschema.validators.extend  # untyped in jsonschema
                validator_class = extend(own, skipping_accepted_parts(PartVerdicts().is_valid))
                validator = validator_class(self.schema, format_checker=own.FORMAT_CHECKER)
                self._validator = cast("jsonschema.protocols.Validator", validator)
            return self._validator


def read_spec(spec_path: Path) -> JSON:
    """The OpenAPI document at ``spec_path``, parsed: a fresh copy for each call (callers may change it). The YAML
    is parsed once per distinct text and path; a copy costs a tenth of a parse."""
    return spec_of_text(read_spec_text(spec_path), spec_path)


def read_spec_text(spec_path: Path) -> str:
    try:
        return spec_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContractError(f"cannot read the spec {spec_path}: {exc.strerror or exc}") from None


def spec_of_text(text: str, spec_path: Path) -> JSON:
    """The OpenAPI document ``text`` (read from ``spec_path``), parsed: a fresh copy, as `read_spec` gives."""
    return cast(JSON, pickle.loads(_parsed(text, spec_path)))


def _parse(text: str, spec_path: Path) -> bytes:
    try:
        spec = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ContractError(f"{spec_path} is not valid YAML: {exc}") from None
    if not isinstance(spec, dict):
        raise ContractError(f"{spec_path} is not an OpenAPI document (top level is not a mapping)")
    return pickle.dumps(spec)


# Every mock a test suite builds reads the same spec: parsing its YAML was most of the ~20 ms a mock takes to build.
_parsed = functools.lru_cache(maxsize=8)(_parse)


# Keywords that never change a validation result: a $ref's siblings made only of these are dropped when inlining.
_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "default", "deprecated", "readOnly", "writeOnly", "$comment"}
)


def compile_schema(what: str, schema: Any, spec: JSON) -> CompiledSchema:
    """Inline every $ref (refusing unresolvable or recursive ones), then compile the result with jsonschema_rs,
    which refuses a schema that breaks the 2020-12 meta-schema. Inlining once at start-up halves jsonschema's
    validation time."""
    try:
        inlined = inline_refs(schema, spec)
    except ContractError as exc:
        raise ContractError(f"{what}: {exc}") from None
    if not isinstance(inlined, dict | bool):  # jsonschema_rs would read a string as JSON text
        raise ContractError(f"{what}: invalid schema: a schema is a mapping or a boolean, found {inlined!r}")
    try:
        fast = jsonschema_rs.Draft202012Validator(inlined, validate_formats=True)
    except jsonschema_rs.ValidationError as exc:
        raise ContractError(f"{what}: invalid schema at {list(exc.instance_path)}: {exc.message}") from None
    except Exception as exc:  # jsonschema_rs reports some problems (an unknown $ref target, ...) as other errors
        raise ContractError(f"{what}: invalid schema: {exc}") from None
    _check_python_patterns(what, inlined)
    return CompiledSchema(inlined, fast.is_valid)


# Keywords whose values are data, not schemas: a "pattern" inside them is not a regular expression.
_DATA_KEYWORDS = frozenset({"enum", "const", "default", "example", "examples"})


def _check_python_patterns(what: str, node: Any, path: tuple[str | int, ...] = ()) -> None:
    """Every regular expression must also compile with Python's ``re``, which jsonschema uses for the details:
    jsonschema_rs accepts some (``\\p{L}``) that ``re`` refuses, which would turn the first refusal into a 5xx."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            _check_python_patterns(what, item, (*path, index))
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in _DATA_KEYWORDS:
            continue
        patterns = [value] if key == "pattern" and isinstance(value, str) else []
        if key == "patternProperties" and isinstance(value, dict):
            patterns = list(value)
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                where = list((*path, key))
                raise ContractError(
                    f"{what}: invalid schema at {where}: {pattern!r} is not a Python regex ({exc})"
                ) from None
        _check_python_patterns(what, value, (*path, key))


def inline_refs(node: Any, spec: JSON, seen: tuple[str, ...] = ()) -> Any:
    """``node`` with every $ref into ``spec`` replaced by its target (``seen``: the $refs being inlined)."""
    if isinstance(node, list):
        return [inline_refs(item, spec, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if ref is None:
        return {key: inline_refs(value, spec, seen) for key, value in node.items()}
    if not isinstance(ref, str):
        raise ContractError(f"$ref must be a string, found {ref!r}")
    if ref in seen:
        raise ContractError(f"recursive $ref {ref!r} (through {' -> '.join(seen)}) is not supported")
    target = inline_refs(_resolve(spec, ref), spec, (*seen, ref))
    if not isinstance(target, dict | bool):
        raise ContractError(f"$ref {ref!r} does not point at a schema")
    siblings = {key: value for key, value in node.items() if key != "$ref" and key not in _ANNOTATIONS}
    if not siblings:
        return target
    return {"allOf": [target], **{key: inline_refs(value, spec, seen) for key, value in siblings.items()}}


# What a generated SDK's request types (TypedDicts, Literals) do not check: value limits, formats, enums (a newer
# server's values must pass), closed objects (a newer SDK's fields must pass) and rules between fields.
_NOT_IN_SDK_TYPES = frozenset(
    {
        "enum", "const", "additionalProperties", "unevaluatedProperties", "propertyNames", "minLength", "maxLength",
        "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems",
        "maxItems", "uniqueItems", "minProperties", "maxProperties", "if", "then", "else", "not",
        "dependentRequired", "dependentSchemas",
    }
)  # fmt: skip
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs"})  # name -> schema
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def loosened(schema: Any) -> Any:
    """An inlined schema checking only what an SDK's types check: JSON types, nesting and required fields.
    ``oneOf`` becomes ``anyOf`` (that only one branch matches is a rule between fields), and a node stating a request
    rule (``x-rule``) checks nothing."""
    if not isinstance(schema, dict):
        return schema
    if "x-rule" in schema:
        return {}
    loose: JSON = {}
    for key, value in schema.items():
        if key in _NOT_IN_SDK_TYPES:
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            loose[key] = {name: loosened(sub) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            loose["anyOf" if key == "oneOf" else key] = [loosened(sub) for sub in value]
        elif key in {"items", "contains"}:
            loose[key] = loosened(value)
        else:
            loose[key] = value
    return loose


def _resolve(spec: JSON, ref: str) -> Any:
    """What a $ref inside the document points at: ``#`` and a JSON pointer (RFC 6901), percent-encoded as a URI
    fragment. (The ``referencing`` library does this too, but with attrs it adds ~30 ms to start-up; an
    OpenAPI document's references are all pointers into itself.)"""
    if not ref.startswith("#"):
        raise ContractError(f"unresolvable $ref {ref!r} (only references inside the document are supported)")
    pointer = urllib.parse.unquote(ref[1:])
    if pointer and not pointer.startswith("/"):
        raise ContractError(f"unresolvable $ref {ref!r} (not a JSON pointer)")
    node: Any = spec
    for escaped in pointer.split("/")[1:]:
        token = escaped.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise ContractError(f"unresolvable $ref {ref!r} (nothing at {token!r})")
    return node
