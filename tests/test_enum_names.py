"""Generated enum member names are derived from the values: adding a value renames nothing, and a value that
cannot be named fails `make generate` with a message naming the enum and the line to add."""

from __future__ import annotations

import enum
from pathlib import Path

import pytest
import yaml
from openapi_python_client.strings import snake_case

from conformance.spec import value_not_in
from luma_agents_client import models
from scripts.enum_names import EnumNamingError, member_names, with_member_names

ROOT = Path(__file__).resolve().parent.parent
SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
ENUMS = {name: schema for name, schema in SPEC["components"]["schemas"].items() if "enum" in schema}


@pytest.mark.parametrize("enum_name", sorted(ENUMS))
def test_generated_members_are_the_derived_names(enum_name: str) -> None:
    generated = getattr(models, enum_name)
    assert issubclass(generated, enum.Enum)
    assert [m.name for m in generated] == member_names(enum_name, ENUMS[enum_name])
    assert [m.value for m in generated] == ENUMS[enum_name]["enum"]


@pytest.mark.parametrize("value", ["uni-1", "uni-1-max", "image_edit", "ray-3.2", "video_reframe", "content_moderated"])
def test_a_letter_leading_value_gets_the_generators_own_name(value: str) -> None:
    """What openapi-python-client names it without x-enum-varnames, so switching to derived names renamed nothing."""
    assert member_names("E", {"enum": [value]}) == [snake_case(value.upper()).upper()]


def test_adding_a_value_keeps_every_existing_name() -> None:
    schema = ENUMS["AspectRatio"]
    before = member_names("AspectRatio", schema)
    first, last = value_not_in("AspectRatio"), value_not_in("AspectRatio") + "1"
    after = member_names("AspectRatio", {**schema, "enum": [first, *schema["enum"], last]})
    assert after[1:-1] == before


def test_a_digit_leading_value_without_prefix_names_the_enum_and_the_line_to_add() -> None:
    with pytest.raises(EnumNamingError) as caught:
        member_names("VideoResolution", {"enum": ["360p", "720p"]})
    assert "VideoResolution" in str(caught.value)
    assert 'x-enum-varname-prefix: "VIDEO_RESOLUTION_"' in str(caught.value)


def test_two_values_with_one_name_are_refused() -> None:
    with pytest.raises(EnumNamingError, match="'a-b' and 'a_b' both give the member name A_B"):
        member_names("E", {"enum": ["a-b", "a_b"]})


def test_a_hand_kept_names_list_is_refused() -> None:
    spec = {"components": {"schemas": {"Model": {"type": "string", "enum": ["uni-1"], "x-enum-varnames": ["X"]}}}}
    with pytest.raises(EnumNamingError, match=r"remove x-enum-varnames from components\.schemas\.Model"):
        with_member_names(spec)
