"""The cross-field rules of POST /generations that a JSON schema cannot express, with the API's exact wording.

Each is a 400 (see luma-api.md section 1 and the choices in openapi.yaml's info.description). They run after the
schema check, so every value here already has its schema type. `schema_only` mode skips this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from conformance.mock.contract import Contract
from conformance.mock.errors import bad_request

EDIT_TYPE = "image_edit"
MANGA_STYLE = "manga"

SOURCE_NOT_ALLOWED = "source is only valid for type 'image_edit'"
SOURCE_REQUIRED = "source is required for type 'image_edit'"


def check_defaults(contract: Contract) -> None:
    """Refuse to start when the spec no longer lists a value these rules rely on."""
    for value, allowed, name in (
        (EDIT_TYPE, contract.types, "GenerationType"),
        (MANGA_STYLE, contract.styles, "Style"),
    ):
        if value not in allowed:
            raise ValueError(f"the spec's {name} enum lacks {value!r}, which the mock's cross-field rules use")


def ratio_sort_key(ratio: str) -> list[str]:
    """The order the API lists ratios in: by their terms as text, so ``1:3`` comes before ``16:9``."""
    return ratio.split(":")


def portrait_ratios(contract: Contract) -> list[str]:
    """The spec's aspect ratios taller than wide, sorted as the API lists them (``1:2, 1:3, 2:3, 9:16``)."""
    portrait = []
    for ratio in contract.aspect_ratios:
        # Equivalent mutant (make mutation): a ratio has one colon, so rpartition splits it the same way.
        width, _, height = ratio.partition(":")  # pragma: no mutate
        if width.isdigit() and height.isdigit() and int(width) < int(height):
            portrait.append(ratio)
    # Equivalent mutant: for the spec's portrait ratios, plain text order is the order of their terms.
    return sorted(portrait, key=ratio_sort_key)  # pragma: no mutate


def manga_detail(contract: Contract) -> str:
    return f"style 'manga' requires a portrait aspect_ratio ({', '.join(portrait_ratios(contract))}) or none"


def too_many_refs_detail(contract: Contract, generation_type: Any) -> str:
    if generation_type == EDIT_TYPE:
        return f"image_edit supports up to {contract.max_image_refs - 1} reference images (source occupies one slot)"
    return f"image supports up to {contract.max_image_refs} reference images"


def image_refs(body: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every ImageRef of a schema-valid body with the path the API names it by: ``source``, ``image_ref[i]``."""
    source = body.get("source")
    if isinstance(source, dict):
        yield "source", source
    for index, ref in enumerate(body.get("image_ref") or ()):
        yield f"image_ref[{index}]", ref


def check(contract: Contract, body: dict[str, Any]) -> None:
    """400 for the first cross-field rule the (schema-valid) body breaks."""
    generation_type = body.get("type", contract.default_type)
    source = body.get("source")
    if generation_type == EDIT_TYPE and source is None:
        raise bad_request(SOURCE_REQUIRED)
    if generation_type != EDIT_TYPE and source is not None:
        raise bad_request(SOURCE_NOT_ALLOWED)

    ref_limit = contract.max_image_refs - 1 if generation_type == EDIT_TYPE else contract.max_image_refs
    if len(body.get("image_ref") or ()) > ref_limit:
        raise bad_request(too_many_refs_detail(contract, generation_type))

    for path, ref in image_refs(body):
        has_url, has_data = ref.get("url") is not None, ref.get("data") is not None
        if has_url and has_data:
            raise bad_request(f"{path}: provide either 'url' or 'data', not both")
        if not has_url and not has_data:
            raise bad_request(f"{path}: provide either 'url' or 'data', not neither")
        if has_data and ref.get("media_type") is None:
            raise bad_request(f"{path}: 'media_type' is required with 'data'")

    # aspect_ratio is ignored for edits (the output keeps the source's shape), so manga edits take any ratio.
    ratio = body.get("aspect_ratio")
    if (
        generation_type != EDIT_TYPE
        and body.get("style", contract.default_style) == MANGA_STYLE
        and ratio is not None
        and ratio not in portrait_ratios(contract)
    ):
        raise bad_request(manga_detail(contract))
