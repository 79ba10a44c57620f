"""openapi.yaml as data, for the mock's tests and the conformance suite (the client reads the generated
``luma_agents_client.contract`` instead and parses no YAML)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, cast

import yaml

JSON = dict[str, Any]
SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi.yaml"


class SpecSyntaxError(ValueError):
    """The spec is not valid YAML. The message names the file, line, column and problem (no parser traceback)."""


def parse_spec(text: str, source: str) -> Any:
    """``text`` parsed as YAML; ``source`` names it in the error (a path, or ``<commit>:openapi.yaml``)."""
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        raise SpecSyntaxError(_located(exc, text, source)) from None
    except yaml.YAMLError as exc:
        raise SpecSyntaxError(f"{source}: not valid YAML: {exc}") from None


def _located(exc: yaml.MarkedYAMLError, text: str, source: str) -> str:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "unreadable YAML"
    if mark is None:
        return f"{source}: not valid YAML: {problem}"
    lines = [f"{source}:{mark.line + 1}:{mark.column + 1}: not valid YAML: {problem}"]
    if exc.context and exc.context_mark is not None and exc.problem:
        lines[0] += f" ({exc.context} at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
    source_lines = text.splitlines()
    if mark.line < len(source_lines):
        lines += [f"    {source_lines[mark.line]}", "    " + " " * mark.column + "^"]
    if problem.startswith("mapping values are not allowed"):
        # The usual cause: "a: b" inside a plain (unquoted) value, e.g. a description that mentions `type: video`.
        lines.append("A ': ' inside an unquoted value starts a mapping: quote the value or write it as a block (|).")
    return "\n".join(lines)


@functools.cache
def load_spec() -> JSON:
    """The parsed openapi.yaml of this checkout; `SpecSyntaxError` if it is not valid YAML."""
    return cast(JSON, parse_spec(SPEC_PATH.read_text(encoding="utf-8"), str(SPEC_PATH)))


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
