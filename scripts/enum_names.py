"""Member names of the generated enums, derived from the values, so adding a value never renames a member.

openapi-python-client names a member after its value when the value starts with a letter (``uni-1`` → ``UNI_1``)
and otherwise by position (``VALUE_0`` …), which shifts when a value is added. We hand it ``x-enum-varnames``
computed here, never typed by hand: a value starting with a letter gets the name the generator would give it;
a value starting with a digit gets the enum's ``x-enum-varname-prefix`` in front (``RATIO_`` + ``16:9`` →
``RATIO_16_9``).
"""

from __future__ import annotations

import copy
import keyword
import re
from typing import Any

JSON = dict[str, Any]
PREFIX_KEY = "x-enum-varname-prefix"
NAMES_KEY = "x-enum-varnames"
_WORD = re.compile(r"[0-9A-Za-z]+")


class EnumNamingError(ValueError):
    """An enum of openapi.yaml whose member names cannot be derived; the message says which line to add."""


def _snake(name: str) -> str:
    """``VideoResolution`` → ``VIDEO_RESOLUTION`` (a suggested prefix; any prefix the enum reads well with will do)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


def member_name(value: str, prefix: str = "") -> str:
    """``uni-1`` → ``UNI_1``; ``16:9`` with prefix ``RATIO_`` → ``RATIO_16_9``."""
    return (prefix + "_".join(_WORD.findall(value))).upper()


def member_names(enum_name: str, schema: JSON) -> list[str]:
    """The member names of one string enum schema, in the order of its values."""
    values = schema["enum"]
    prefix = str(schema.get(PREFIX_KEY, ""))
    names: dict[str, str] = {}
    for value in values:
        if not isinstance(value, str):
            raise EnumNamingError(f"{enum_name}: only string enums are supported, found {value!r}")
        if not value[:1].isalpha() and not prefix:
            raise EnumNamingError(
                f"openapi.yaml: the enum {enum_name} has the value {value!r}, which does not start with a letter, so "
                f"its member name needs a prefix. Add this line to components.schemas.{enum_name}:\n"
                f'      {PREFIX_KEY}: "{_snake(enum_name)}_"'
            )
        name = member_name(value, prefix if not value[:1].isalpha() else "")
        if not name.isidentifier() or keyword.iskeyword(name):
            raise EnumNamingError(f"{enum_name}: the value {value!r} gives the member name {name!r}, not an identifier")
        if name in names:
            raise EnumNamingError(
                f"{enum_name}: the values {names[name]!r} and {value!r} both give the member name {name}; "
                "rename one value or give the enum another x-enum-varname-prefix"
            )
        names[name] = value
    return list(names)


def with_member_names(spec: JSON) -> JSON:
    """A copy of the spec in which every string enum component carries its derived ``x-enum-varnames``."""
    prepared = copy.deepcopy(spec)
    for enum_name, schema in prepared.get("components", {}).get("schemas", {}).items():
        if not isinstance(schema, dict) or "enum" not in schema:
            continue
        if NAMES_KEY in schema:
            raise EnumNamingError(
                f"openapi.yaml: remove {NAMES_KEY} from components.schemas.{enum_name}; member names are derived "
                f"from the values (a digit-leading value takes the enum's {PREFIX_KEY})"
            )
        schema[NAMES_KEY] = member_names(enum_name, schema)
    return prepared
