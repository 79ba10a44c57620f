"""The contract, openapi.yaml, as data: the one place enums, limits and formats are read from."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any, cast

import yaml

JSON = dict[str, Any]


@functools.cache
def load_spec() -> JSON:
    """The parsed openapi.yaml that ships inside this package (a link to the repository's copy in a checkout)."""
    text = resources.files("luma_uni").joinpath("openapi.yaml").read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return cast(JSON, yaml.load(text, Loader=loader))  # a safe loader (CSafeLoader where built)


def schema(name: str) -> JSON:
    """One component schema, e.g. ``schema("CreateGenerationRequest")``."""
    return cast(JSON, load_spec()["components"]["schemas"][name])


def enum_values(name: str) -> list[str]:
    """The values of a named enum component, in the spec's order."""
    return list(schema(name)["enum"])


def max_image_bytes() -> int:
    """The size limit of one input image in decoded bytes (``ImageRef``'s ``x-max-decoded-bytes``: 50 MB)."""
    return int(schema("ImageRef")["x-max-decoded-bytes"])


def accepted_media_types() -> frozenset[str]:
    """The image formats the API takes (``ImageRef``'s ``x-accepted-media-types``)."""
    return frozenset(schema("ImageRef")["x-accepted-media-types"])
