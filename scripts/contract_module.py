"""The ``contract`` module of the generated package: the facts of openapi.yaml the handwritten client needs at run
time (limits, the base URL, server defaults, the retryable failure codes), written as Python constants so that
importing the client parses no YAML and ships no spec file.

It also writes the optional fields of ``CreateGenerationRequest`` as the handwritten layer takes them: a TypedDict
(the keyword arguments of ``create``, typed for mypy) and a table of how each is passed to the generated model. So a
new optional request field is a keyword of ``create`` with no edit to the client. The fields that carry an
``ImageRef`` (or a list of them) are left to the client, which reads files, URLs and ``data:`` URIs into one."""

from __future__ import annotations

import keyword
from typing import Any, NamedTuple

from openapi_python_client.strings import ClassName, PythonIdentifier

from luma_uni_mock.sources import source_for
from scripts.enum_names import member_name

JSON = dict[str, Any]
MODULE_NAME = "contract.py"
IMAGE_COMPONENT = "ImageRef"  # the handwritten layer reads paths, URLs and data: URIs into it
_PRIMITIVES = {"string": "str", "boolean": "bool", "integer": "int", "number": "float"}


class ContractModuleError(ValueError):
    """openapi.yaml lacks a fact the contract module holds; the message names where it belongs."""


def _dig(spec: JSON, *keys: str) -> Any:
    node: Any = spec
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            raise ContractModuleError(f"openapi.yaml has no {'.'.join(keys)}, which the client needs at run time")
        node = node[key]
    return node


def _as_python(value: Any) -> str:
    """A literal for a JSON value; lists become tuples, so no constant can be changed in place."""
    if isinstance(value, list):
        return "(" + "".join(f"{_as_python(item)}, " for item in value) + ")"
    if isinstance(value, str | bool | int | float) or value is None:
        return repr(value)
    raise ContractModuleError(f"x-server-default {value!r}: only strings, numbers, booleans and lists are supported")


def _marked(node: Any, rule_id: str) -> list[JSON]:
    """The schema nodes marked ``x-rule: <rule_id>`` under ``node``, in document order."""
    if isinstance(node, list):
        return [found for item in node for found in _marked(item, rule_id)]
    if not isinstance(node, dict):
        return []
    own = [node] if node.get("x-rule") == rule_id else []
    return own + [
        found for key, value in node.items() if key not in {"enum", "const"} for found in _marked(value, rule_id)
    ]


def _model_types(request: JSON) -> dict[str, list[str]]:
    """What each model makes, as the request schema states it: ``if`` the model is M ``then`` the type is one of."""
    found = {}
    for node in _marked(request, "unsupported_type"):
        try:
            found[str(node["if"]["properties"]["model"]["const"])] = list(node["then"]["properties"]["type"]["enum"])
        except (KeyError, TypeError):
            raise ContractModuleError(
                "CreateGenerationRequest: an item marked `x-rule: unsupported_type` must be "
                "`if: {properties: {model: {const: M}}}, then: {properties: {type: {enum: [...]}}}`"
            ) from None
    return found


class _Field(NamedTuple):
    """One optional request field the client passes on generically."""

    wire_name: str
    python_name: str
    annotation: str  # its value type in the TypedDict
    enum: str | None  # the class of its enum component
    model: str | None  # the class of its object component


def _component(schema: JSON) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _non_null(schema: JSON) -> JSON:
    """The schema without its null alternative: ``anyOf: [X, {type: null}]`` is X, ``type: [T, "null"]`` is T."""
    alternatives = schema.get("anyOf")
    if isinstance(alternatives, list):
        rest = [alternative for alternative in alternatives if alternative != {"type": "null"}]
        return rest[0] if len(rest) == 1 else schema
    types = schema.get("type")
    if isinstance(types, list) and "null" in types and len(types) == 2:
        return {**schema, "type": next(kind for kind in types if kind != "null")}
    return schema


def _is_image(schema: JSON) -> bool:
    """An ImageRef or a list of them (either nullable): the handwritten layer's own inputs."""
    schema = _non_null(schema)
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        schema = _non_null(schema["items"])
    return _component(schema) == IMAGE_COMPONENT


def _plain_type(schema: JSON) -> str | None:
    """The Python type of a primitive (or a list of primitives) the generated model keeps as given, else None.
    Inline enums and formatted strings (dates, UUIDs) are not: the generated model wants its own type there."""
    if "enum" in schema or "$ref" in schema or schema.get("format") in {"date", "date-time", "uuid", "binary"}:
        return None
    kind = schema.get("type")
    if isinstance(kind, str) and kind in _PRIMITIVES:
        return _PRIMITIVES[kind]
    items = schema.get("items")
    item = _plain_type(items) if kind == "array" and isinstance(items, dict) else None
    return f"Sequence[{item}]" if item is not None and not item.startswith("Sequence") else None


def _request_field(name: str, prop: JSON, schemas: JSON, field_prefix: str) -> _Field:
    where = f"CreateGenerationRequest.{name}"
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ContractModuleError(f"{where}: not a Python identifier, so it cannot be a keyword argument of create")
    # The generator's own naming (attribute ``type`` is ``type_``; classes as it names them).
    python_name = str(PythonIdentifier(name, field_prefix))
    schema = _non_null(prop)
    component = _component(schema)
    if component is not None:
        target = _dig(schemas, component)
        class_name = str(ClassName(component, field_prefix))
        if "enum" in target:
            return _Field(name, python_name, f"{class_name} | str | None", class_name, None)
        if target.get("type") == "object":
            return _Field(name, python_name, f"{class_name} | Mapping[str, object] | None", None, class_name)
    plain = _plain_type(schema)
    if plain is None:
        raise ContractModuleError(
            f"{where}: the client cannot take this schema as a keyword argument of create yet; teach "
            "scripts/contract_module.py its Python type (enum and object components, primitives and lists of "
            "primitives are known)"
        )
    return _Field(name, python_name, f"{plain} | None", None, None)


def request_fields(schemas: JSON, field_prefix: str) -> list[_Field]:
    """CreateGenerationRequest's optional fields in spec order, but those carrying images."""
    request = _dig(schemas, "CreateGenerationRequest")
    required = set(request.get("required", ()))
    return [
        _request_field(name, prop, schemas, field_prefix)
        for name, prop in _dig(request, "properties").items()
        if name not in required and not _is_image(prop)
    ]


def _request_field_lines(fields: list[_Field]) -> list[str]:
    """The TypedDict of the fields and the table of how each reaches the generated model."""
    return [
        "",
        "",
        "class WireModel(Protocol):",
        '    """A generated model: built from and turned into its wire JSON."""',
        "",
        "    @classmethod",
        "    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...",
        "",
        "    def to_dict(self) -> dict[str, Any]: ...",
        "",
        "",
        "class RequestField(NamedTuple):",
        '    """One optional field of CreateGenerationRequest, as the client passes it to the generated model."""',
        "",
        "    wire_name: str",
        "    python_name: str",
        '    """The attribute of the generated ``CreateGenerationRequest`` (the generator renames ``type`` to',
        '    ``type_``)."""',
        "    enum: type[StrEnum] | None",
        '    """The enum its value is read as (a value this spec does not list is kept), for an enum field."""',
        "    model_name: str | None",
        '    """The model a mapping of its wire fields is read as, for an object field: its name, so that importing',
        '    this module imports no model only some requests use (the models package imports each on first use)."""',
        "",
        "    @property",
        "    def model(self) -> type[WireModel] | None:",
        '        """The model named by ``model_name``."""',
        "        if self.model_name is None:",
        "            return None",
        "        model: type[WireModel] = getattr(models, self.model_name)",
        "        return model",
        "",
        "",
        "class CreateRequestFields(TypedDict, total=False):",
        '    """The optional fields of CreateGenerationRequest in spec order, but those carrying an ImageRef (the',
        "    client reads paths, URLs and ``data:`` URIs into those). None leaves a field out, so the server decides.",
        "    An enum field takes the generated enum or any string (a value this spec does not list yet is sent as is);",
        '    an object field the generated model or a mapping of its wire fields."""',
        "",
        *(f"    {field.wire_name}: {field.annotation}" for field in fields),
        "",
        "",
        "REQUEST_FIELDS: Final[tuple[RequestField, ...]] = (",
        *(
            f"    RequestField({field.wire_name!r}, {field.python_name!r}, {field.enum}, {field.model!r}),"
            for field in fields
        ),
        ")",
        '"""The keys of CreateRequestFields: each one\'s generated attribute and whether it is an enum or a model."""',
    ]


def _fact_sources(spec: JSON) -> dict[str, str]:
    """Where each constant's fact comes from (its x-source, as ``kind: text``), for the constants that have one."""
    schemas = _dig(spec, "components", "schemas")
    request = _dig(schemas, "CreateGenerationRequest", "properties")
    image_ref = _dig(schemas, "ImageRef")
    holders: dict[str, tuple[JSON, str | None]] = {
        "PROMPT_MAX_LENGTH": (request["prompt"], "maxLength"),
        "USER_ID_MAX_LENGTH": (request["user_id"], "maxLength"),
        "IMAGE_REF_MAX_ITEMS": (request["image_ref"], "maxItems"),
        "MAX_IMAGE_BYTES": (image_ref, "x-max-decoded-bytes"),
        "ACCEPTED_MEDIA_TYPES": (image_ref, "x-accepted-media-types"),
        "ACCEPTED_VIDEO_MEDIA_TYPES": (image_ref, "x-accepted-video-media-types"),
        "RETRYABLE_FAILURE_CODES": (schemas["FailureCode"], "x-retryable"),
        "RETRY_SERVER_STATUSES": (_dig(spec, "components", "responses", "ServerError"), "x-retry-statuses"),
        **{
            f"MODEL_TYPES[{node['if']['properties']['model']['const']!r}]": (node, None)
            for node in _marked(schemas["CreateGenerationRequest"], "unsupported_type")
        },
        **{f"SERVER_DEFAULTS[{name!r}]": (prop, "x-server-default") for name, prop in request.items()},
    }
    found = {}
    for constant, (node, fact) in holders.items():
        source = source_for(node, fact, constant) if fact is None or fact in node else None
        if source is not None:
            found[constant] = f"{source.kind}: {source.text}"
    return found


def render(spec: JSON, field_prefix: str) -> str:
    """The module's source (ruff formats it afterwards); ``field_prefix`` is generator-config.yaml's (the
    generator names attributes and classes with it)."""
    schemas = _dig(spec, "components", "schemas")
    request = _dig(schemas, "CreateGenerationRequest", "properties")
    failure_codes = _dig(schemas, "FailureCode", "enum")
    retryable = _dig(schemas, "FailureCode", "x-retryable")
    unknown = sorted(set(retryable) - set(failure_codes))
    if unknown:
        raise ContractModuleError(f"FailureCode.x-retryable lists {unknown}, which FailureCode.enum does not")
    defaults = {name: prop["x-server-default"] for name, prop in request.items() if "x-server-default" in prop}
    retryable_members = ", ".join(f"FailureCode.{member_name(code)}" for code in failure_codes if code in retryable)
    server_error = _dig(spec, "components", "responses", "ServerError")
    retry_statuses = sorted(int(code) for code in _dig(server_error, "x-retry-statuses"))
    media_types = sorted(_dig(schemas, "ImageRef", "x-accepted-media-types"))
    video_media_types = sorted(_dig(schemas, "ImageRef", "x-accepted-video-media-types"))
    model_types = _model_types(_dig(schemas, "CreateGenerationRequest"))
    fields = request_fields(schemas, field_prefix)
    enums = sorted({field.enum for field in fields if field.enum is not None})
    models = sorted({field.model for field in fields if field.model is not None})
    lines = [
        '"""Facts of openapi.yaml the handwritten client needs at run time.',
        "",
        "Written by scripts/generate.py from the spec; do not edit (edit openapi.yaml and run `make generate`).",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Mapping, Sequence",
        "from enum import StrEnum",
        "from types import MappingProxyType",
        "from typing import TYPE_CHECKING, Any, Final, NamedTuple, Protocol, Self, TypedDict",
        "",
        "from . import models",
        *([f"from .models import {', '.join(enums)}"] if enums else []),
        "from .models.failure_code import FailureCode",
        *(["", "if TYPE_CHECKING:", f"    from .models import {', '.join(models)}"] if models else []),
        "",
        f"API_VERSION: Final = {_dig(spec, 'info', 'version')!r}",
        '"""info.version: the wire version the server answers with in ``X-API-Version``."""',
        f"PRODUCTION_BASE_URL: Final = {_dig(spec, 'servers')[0]['url']!r}",
        '"""The first of servers."""',
        f"PROMPT_MIN_LENGTH: Final = {int(_dig(request, 'prompt', 'minLength'))!r}",
        f"PROMPT_MAX_LENGTH: Final = {int(_dig(request, 'prompt', 'maxLength'))!r}",
        f"USER_ID_MAX_LENGTH: Final = {int(_dig(request, 'user_id', 'maxLength'))!r}",
        f"IMAGE_REF_MAX_ITEMS: Final = {int(_dig(request, 'image_ref', 'maxItems'))!r}",
        f"MAX_IMAGE_BYTES: Final = {int(_dig(schemas, 'ImageRef', 'x-max-decoded-bytes'))!r}",
        '"""ImageRef\'s x-max-decoded-bytes: the size limit of one input image, decoded."""',
        f"ACCEPTED_MEDIA_TYPES: Final = frozenset({_as_python(media_types)})",
        '"""ImageRef\'s x-accepted-media-types."""',
        f"ACCEPTED_VIDEO_MEDIA_TYPES: Final = frozenset({_as_python(video_media_types)})",
        '"""ImageRef\'s x-accepted-video-media-types (a video input: the source of a video edit or reframe)."""',
        "MODEL_TYPES: Final[Mapping[str, frozenset[str]]] = MappingProxyType(",
        "    {" + "".join(f"{name!r}: frozenset({_as_python(types)}), " for name, types in model_types.items()) + "}",
        ")",
        '"""The types each model makes (CreateGenerationRequest\'s unsupported_type items; unlisted: every type)."""',
        "SERVER_DEFAULTS: Final[Mapping[str, object]] = MappingProxyType(",
        "    {" + "".join(f"{name!r}: {_as_python(value)}, " for name, value in defaults.items()) + "}",
        ")",
        '"""Each CreateGenerationRequest field\'s x-server-default: what the server decides when it is left out."""',
        f"RETRYABLE_FAILURE_CODES: Final[frozenset[FailureCode]] = frozenset(({retryable_members},))"
        if retryable_members
        else "RETRYABLE_FAILURE_CODES: Final[frozenset[FailureCode]] = frozenset()",
        '"""FailureCode\'s x-retryable: the failure codes worth retrying with the same request."""',
        f"RETRY_SERVER_STATUSES: Final = frozenset({_as_python(retry_statuses)})",
        '"""ServerError\'s x-retry-statuses: the 5xx the docs say to retry (from the API itself: nothing created)."""',
        "FACT_SOURCES: Final[Mapping[str, str]] = MappingProxyType(",
        "    {" + "".join(f"{name!r}: {text!r}, " for name, text in _fact_sources(spec).items()) + "}",
        ")",
        '"""Where each fact above comes from (its x-source in openapi.yaml): ``sdk: <file of luma-agents>:',
        '<sentence>``, ``docs: <page>: <what it says>`` or ``choice: <why this contract chose it>``."""',
        *_request_field_lines(fields),
        "",
    ]
    return "\n".join(lines)
