"""openapi.yaml as data, for the mock's tests and the conformance suite (the client reads the generated
``luma_agents_client.contract`` instead and parses no YAML)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, cast

import yaml

JSON = dict[str, Any]
SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi.yaml"


@functools.cache
def load_spec() -> JSON:
    """The parsed openapi.yaml of this checkout."""
    text = SPEC_PATH.read_text(encoding="utf-8")
    return cast(JSON, yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def schema(name: str) -> JSON:
    """One component schema, e.g. ``schema("CreateGenerationRequest")``."""
    return cast(JSON, load_spec()["components"]["schemas"][name])


def enum_values(name: str) -> list[str]:
    """The values of a named enum component, in the spec's order."""
    return list(schema(name)["enum"])


def max_image_bytes() -> int:
    """The size limit of one input image in decoded bytes (``ImageRef``'s ``x-max-decoded-bytes``)."""
    return int(schema("ImageRef")["x-max-decoded-bytes"])


def value_not_in(name: str) -> str:
    """A string that is not a value of the enum ``name``, shaped like its first value (``3:1`` → ``3:10``,
    ``uni-1`` → ``uni-10``). Tests that need an unknown value derive it here, so a value the spec adds later never
    turns an "unknown" test value into a valid one."""
    values = enum_values(name)
    candidate = values[0] + "0"
    while candidate in values:
        candidate += "0"
    return candidate
