"""scripts/contract_module.py: how each optional request field of the spec becomes a keyword of ``create``."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from conformance.spec import load_spec
from scripts.contract_module import ContractModuleError, render, request_fields

PREFIX = "field_"


def _with_fields(**properties: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(load_spec())
    spec["components"]["schemas"]["CreateGenerationRequest"]["properties"].update(properties)
    return spec


def _annotation(spec: dict[str, Any], name: str) -> str | None:
    fields = request_fields(spec["components"]["schemas"], PREFIX)
    return next((field.annotation for field in fields if field.wire_name == name), None)


def test_each_schema_shape_gets_its_python_type() -> None:
    spec = _with_fields(
        tags={"type": "array", "items": {"type": "string"}},
        weights={"type": ["array", "null"], "items": {"type": "number"}},
        count={"type": "integer"},
        ratio={"$ref": "#/components/schemas/AspectRatio"},
        more_video={"anyOf": [{"$ref": "#/components/schemas/VideoOptions"}, {"type": "null"}]},
    )
    assert _annotation(spec, "tags") == "Sequence[str] | None"
    assert _annotation(spec, "weights") == "Sequence[float] | None"
    assert _annotation(spec, "count") == "int | None"
    assert _annotation(spec, "ratio") == "AspectRatio | str | None"
    assert _annotation(spec, "more_video") == "VideoOptions | Mapping[str, object] | None"
    assert "    tags: Sequence[str] | None" in render(spec, PREFIX)


def test_fields_carrying_images_are_left_to_the_client_by_their_schema() -> None:
    image = {"$ref": "#/components/schemas/ImageRef"}
    spec = _with_fields(mask=image, masks={"type": "array", "items": image})
    names = {field.wire_name for field in request_fields(spec["components"]["schemas"], PREFIX)}
    assert names.isdisjoint({"mask", "masks", "source", "image_ref"})


def test_the_attribute_name_is_the_generators() -> None:
    fields = request_fields(load_spec()["components"]["schemas"], PREFIX)
    assert {field.wire_name: field.python_name for field in fields}["type"] == "type_"


@pytest.mark.parametrize(
    "schema",
    [{"type": "string", "enum": ["a", "b"]}, {"type": "string", "format": "date-time"}, {"type": "object"}],
)
def test_a_shape_the_client_cannot_pass_stops_generation_naming_the_field(schema: dict[str, Any]) -> None:
    with pytest.raises(ContractModuleError, match=r"CreateGenerationRequest\.odd: the client cannot take"):
        render(_with_fields(odd=schema), PREFIX)
