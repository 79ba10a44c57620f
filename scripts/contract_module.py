"""The ``contract`` module of the generated package: the facts of openapi.yaml the handwritten client needs at run
time (limits, the base URL, server defaults, the retryable failure codes), written as Python constants so that
importing the client parses no YAML and ships no spec file."""

from __future__ import annotations

from typing import Any

from scripts.enum_names import member_name

JSON = dict[str, Any]
MODULE_NAME = "contract.py"


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


def render(spec: JSON) -> str:
    """The module's source (ruff formats it afterwards)."""
    schemas = _dig(spec, "components", "schemas")
    request = _dig(schemas, "CreateGenerationRequest", "properties")
    failure_codes = _dig(schemas, "FailureCode", "enum")
    retryable = _dig(schemas, "FailureCode", "x-retryable")
    unknown = sorted(set(retryable) - set(failure_codes))
    if unknown:
        raise ContractModuleError(f"FailureCode.x-retryable lists {unknown}, which FailureCode.enum does not")
    defaults = {name: prop["x-server-default"] for name, prop in request.items() if "x-server-default" in prop}
    retryable_members = ", ".join(f"FailureCode.{member_name(code)}" for code in failure_codes if code in retryable)
    media_types = sorted(_dig(schemas, "ImageRef", "x-accepted-media-types"))
    video_media_types = sorted(_dig(schemas, "ImageRef", "x-accepted-video-media-types"))
    model_types = {name: entry["types"] for name, entry in _dig(schemas, "Model", "x-models").items()}
    lines = [
        '"""Facts of openapi.yaml the handwritten client needs at run time.',
        "",
        "Written by scripts/generate.py from the spec; do not edit (edit openapi.yaml and run `make generate`).",
        '"""',
        "",
        "from collections.abc import Mapping",
        "from types import MappingProxyType",
        "from typing import Final",
        "",
        "from .models.failure_code import FailureCode",
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
        '"""Model\'s x-models: the generation types each model makes (a model not listed makes every type)."""',
        "SERVER_DEFAULTS: Final[Mapping[str, object]] = MappingProxyType(",
        "    {" + "".join(f"{name!r}: {_as_python(value)}, " for name, value in defaults.items()) + "}",
        ")",
        '"""Each CreateGenerationRequest field\'s x-server-default: what the server decides when it is left out."""',
        f"RETRYABLE_FAILURE_CODES: Final[frozenset[FailureCode]] = frozenset(({retryable_members},))"
        if retryable_members
        else "RETRYABLE_FAILURE_CODES: Final[frozenset[FailureCode]] = frozenset()",
        '"""FailureCode\'s x-retryable: the failure codes worth retrying with the same request."""',
        "",
    ]
    return "\n".join(lines)
