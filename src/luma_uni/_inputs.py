"""Building the create request from friendly arguments, refusing before sending what the API would refuse.

Images (``source`` and each ``image_ref``) may be a local file (read, base64-encoded, its type sniffed from its
first bytes), an ``https://`` URL (passed through; the API fetches it), a ``data:image/...;base64,`` URI, a
generated ``ImageRef``, or a mapping like the official SDK's ``{"url": ...}`` / ``{"data": ..., "media_type": ...}``.

Limits come from openapi.yaml (``luma_uni.spec``); the cross-field rules the schema cannot express use the API's
own ``detail`` wording (luma-api.md §1, and the choices in openapi.yaml's description).
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TypedDict, TypeVar, Unpack

from attrs import frozen

from luma_agents_client import contract
from luma_agents_client.models import (
    AspectRatio,
    CreateGenerationRequest,
    GenerationType,
    ImageRef,
    Model,
    OutputFormat,
    Style,
)
from luma_agents_client.types import UNSET, Unset

from .errors import InputError

ImageInput = str | os.PathLike[str] | ImageRef | Mapping[str, object]
"""One input image: a local path, an https URL, a data: URI, an ImageRef, or an official-SDK style mapping."""

E = TypeVar("E", bound=StrEnum)

# The image formats the API accepts (JPEG, PNG, WebP, still GIF), by their first bytes.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"WEBP", 8, "image/webp"),  # after "RIFF" and a 4-byte size
)
_FORMAT_NAMES = "JPEG, PNG, WebP or GIF"


@frozen
class Limits:
    """The request limits of openapi.yaml."""

    prompt_min: int
    prompt_max: int
    max_refs: int
    max_edit_refs: int
    user_id_max: int
    max_image_bytes: int
    media_types: frozenset[str]


@functools.cache
def limits() -> Limits:
    """The spec's limits, as generated into ``luma_agents_client.contract``."""
    return Limits(
        prompt_min=contract.PROMPT_MIN_LENGTH,
        prompt_max=contract.PROMPT_MAX_LENGTH,
        max_refs=contract.IMAGE_REF_MAX_ITEMS,
        max_edit_refs=contract.IMAGE_REF_MAX_ITEMS - 1,  # for image_edit, the source occupies one of the slots
        user_id_max=contract.USER_ID_MAX_LENGTH,
        max_image_bytes=contract.MAX_IMAGE_BYTES,
        media_types=contract.ACCEPTED_MEDIA_TYPES,
    )


def sniff_media_type(head: bytes) -> str | None:
    """The media type of an accepted image format from its first 12 bytes, else None."""
    for magic, offset, media_type in _MAGIC:
        if head[offset : offset + len(magic)] == magic and (offset == 0 or head.startswith(b"RIFF")):
            return media_type
    return None


class CreateOptions(TypedDict, total=False):
    """The create options besides ``prompt``: one list for build_request and every create method. None (or leaving
    one out) leaves the field out of the request, so the server decides."""

    type: GenerationType | str | None
    model: Model | str | None
    aspect_ratio: AspectRatio | str | None
    style: Style | str | None
    output_format: OutputFormat | str | None
    web_search: bool | None
    image_ref: Sequence[ImageInput] | None
    source: ImageInput | None
    user_id: str | None


def build_request(*, prompt: str, **options: Unpack[CreateOptions]) -> CreateGenerationRequest:
    """The request body; raise :class:`InputError` for anything the API would refuse."""
    type, model, aspect_ratio = options.get("type"), options.get("model"), options.get("aspect_ratio")
    style, output_format, web_search = options.get("style"), options.get("output_format"), options.get("web_search")
    image_ref, source, user_id = options.get("image_ref"), options.get("source"), options.get("user_id")
    unknown = set(options) - set(CreateOptions.__annotations__)
    if unknown:  # what an explicit signature would refuse, as Python words it
        raise TypeError(f"got an unexpected keyword argument {sorted(unknown)[0]!r}")
    lim = limits()
    _check_utf8(prompt, "prompt")
    _check_utf8(user_id, "user_id")
    if not isinstance(prompt, str) or not lim.prompt_min <= len(prompt) <= lim.prompt_max:
        got = f"{len(prompt)} characters" if isinstance(prompt, str) else type_name(prompt)
        raise InputError(f"Prompt must be between {lim.prompt_min} and {lim.prompt_max} characters (got {got})")
    kind = _enum(GenerationType, type, "type")
    model_value = _enum(Model, model, "model")
    ratio = _enum(AspectRatio, aspect_ratio, "aspect_ratio")
    style_value = _enum(Style, style, "style")
    output = _enum(OutputFormat, output_format, "output_format")
    if web_search is not None and not isinstance(web_search, bool):
        raise InputError(f"web_search must be True or False, not {type_name(web_search)}")
    if user_id is not None and (not isinstance(user_id, str) or len(user_id) > lim.user_id_max):
        raise InputError(f"user_id must be a string of at most {lim.user_id_max} characters")
    refs = _ref_list(image_ref)
    is_edit = kind == GenerationType.IMAGE_EDIT
    if is_edit and source is None:
        raise InputError("source is required for type 'image_edit'")
    if not is_edit and source is not None:
        raise InputError("source is only valid for type 'image_edit'")
    if is_edit and len(refs) > lim.max_edit_refs:
        raise InputError(
            f"image_edit supports up to {lim.max_edit_refs} reference images (source occupies one slot)"
            f" (got {len(refs)})"
        )
    if len(refs) > lim.max_refs:
        raise InputError(f"image supports up to {lim.max_refs} reference images (got {len(refs)})")
    if style_value == Style.MANGA and ratio is not None and ratio not in portrait_ratios():
        raise InputError(
            f"style 'manga' requires a portrait aspect_ratio ({', '.join(sorted(portrait_ratios(), key=_api_order))})"
            " or none"
            f" (got {ratio.value!r})"
        )
    return CreateGenerationRequest(
        prompt=prompt,
        type_=UNSET if kind is None else kind,
        model=UNSET if model_value is None else model_value,
        aspect_ratio=UNSET if ratio is None else ratio,
        style=UNSET if style_value is None else style_value,
        output_format=UNSET if output is None else output,
        web_search=UNSET if web_search is None else web_search,
        image_ref=UNSET if image_ref is None else [image(ref, f"image_ref[{i}]") for i, ref in enumerate(refs)],
        source=UNSET if source is None else image(source, "source"),
        user_id=UNSET if user_id is None else user_id,
    )


def reads_files(source: ImageInput | None, image_ref: Sequence[ImageInput] | None) -> bool:
    """Whether building the request reads local files (so async callers move it off the event loop)."""
    items = [source, *(image_ref if isinstance(image_ref, Sequence) and not isinstance(image_ref, str) else [])]
    return any(isinstance(item, os.PathLike) or (isinstance(item, str) and _is_path(item)) for item in items)


@functools.cache
def portrait_ratios() -> frozenset[AspectRatio]:
    """The aspect ratios taller than wide (the only ones ``style: manga`` takes), derived from the enum itself."""
    portrait = set()
    for ratio in AspectRatio:
        width, height = (int(part) for part in ratio.value.split(":"))
        if width < height:
            portrait.add(ratio)
    return frozenset(portrait)


def image(value: ImageInput, path: str) -> ImageRef:
    """One input image as an ImageRef; ``path`` (``source``, ``image_ref[2]``) names it in error messages."""
    if isinstance(value, ImageRef):
        # Read exactly as the same fields in a mapping (and as the server reads them): only null/unset is absent.
        url, data, media_type = (_none_if_unset(v) for v in (value.url, value.data, value.media_type))
        return _checked_ref(url, data, media_type, path)
    if isinstance(value, Mapping):
        unknown = sorted(set(value) - {"url", "data", "media_type"})
        if unknown:
            raise InputError(f"{path}: unknown field {unknown[0]!r} (an image takes 'url', or 'data' and 'media_type')")
        return _checked_ref(value.get("url"), value.get("data"), value.get("media_type"), path)
    if isinstance(value, str) and value[:8].lower() == "https://":
        return _checked_ref(value, None, None, path)
    if isinstance(value, str) and value[:7].lower() == "http://":
        raise InputError(f"{path}: only https URLs are accepted (the API refuses plain http)")
    if isinstance(value, str) and value[:5].lower() == "data:":
        return _data_uri(value, path)
    if isinstance(value, str | os.PathLike):
        return _local_file(Path(value).expanduser(), path)
    raise InputError(f"{path}: expected a file path, an https URL or an ImageRef, not {type_name(value)}")


def _none_if_unset(value: str | Unset | None) -> str | None:
    return None if isinstance(value, Unset) else value


def _check_utf8(value: object, name: str) -> None:
    """Text with a lone surrogate (from os.fsdecode or surrogateescape) cannot be sent as JSON; say so here,
    instead of letting a bare UnicodeEncodeError escape from inside httpx."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(f"{name}: the text cannot be encoded as UTF-8 (character {exc.start})") from exc


def _checked_ref(url: object, data: object, media_type: object, path: str) -> ImageRef:
    for field, text in (("url", url), ("data", data), ("media_type", media_type)):
        _check_utf8(text, f"{path}.{field}")
    if url is not None and data is not None:
        raise InputError(f"{path}: provide either 'url' or 'data', not both")
    if url is None and data is None:
        raise InputError(f"{path}: provide either 'url' or 'data', not neither")
    if url is not None:
        if not isinstance(url, str) or url[:8].lower() != "https://" or len(url) <= 8:
            raise InputError(f"{path}: url must be an https URL")
        return ImageRef(url=url)
    if media_type is None:
        raise InputError(f"{path}: 'media_type' is required with 'data'")
    if not isinstance(data, str) or not isinstance(media_type, str):
        raise InputError(f"{path}: 'data' and 'media_type' must be strings")
    _check_base64(data, media_type, path)
    return ImageRef(data=data, media_type=media_type)


def _check_base64(data: str, media_type: str, path: str) -> None:
    accepted = limits().media_types
    if media_type not in accepted:
        raise InputError(f"{path}: media_type {media_type!r} is not one of {', '.join(sorted(accepted))}")
    try:
        raw = binascii.a2b_base64(data, strict_mode=True)
    except (binascii.Error, ValueError) as exc:
        raise InputError(f"{path}: invalid base64 data ({exc})") from exc
    _check_image_bytes(raw, len(raw), path)


def _data_uri(uri: str, path: str) -> ImageRef:
    header, comma, data = uri.partition(",")
    media_type, _, encoding = header[5:].partition(";")
    if not comma or encoding.lower() != "base64":
        raise InputError(f"{path}: a data: URI must look like 'data:image/png;base64,...'")
    return _checked_ref(None, data, media_type.lower(), path)


def _local_file(file: Path, path: str) -> ImageRef:
    try:
        size = file.stat().st_size
        if not file.is_file():
            raise InputError(f"{path}: {file} is not a file")
        if size > limits().max_image_bytes:
            _check_image_bytes(b"", size, path)
        raw = file.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file: {file}") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read {file}: {exc.strerror or exc}") from exc
    media_type = _check_image_bytes(raw, len(raw), path, name=str(file))
    return ImageRef(data=base64.b64encode(raw).decode("ascii"), media_type=media_type)


def _check_image_bytes(raw: bytes, size: int, path: str, name: str = "the data") -> str:
    """The sniffed media type; raise for an image over the size limit or of a format the API does not take."""
    max_bytes = limits().max_image_bytes
    if size > max_bytes:
        raise InputError(f"{path}: image exceeds {max_bytes // 2**20} MB limit ({size:,} bytes)")
    if size == 0:
        raise InputError(f"{path}: {name} is empty")
    media_type = sniff_media_type(raw[:12])
    if media_type is None:
        raise InputError(f"{path}: {name} is not a {_FORMAT_NAMES} image")
    return media_type


def _enum(enum: type[E], value: E | str | None, field: str) -> E | None:
    if value is None:
        return None
    member = enum(value) if isinstance(value, str) else None
    if member is None or not getattr(member, "is_known", True):
        valid = ", ".join(sorted((m.value for m in enum), key=_api_order))
        if field == "model":
            raise InputError(f"Unknown model: {value}. Valid: {valid}")
        raise InputError(f"Invalid {field} {str(value)!r}. Valid: {valid}")
    return member


def _ref_list(image_ref: Sequence[ImageInput] | None) -> Sequence[ImageInput]:
    if image_ref is None:
        return []
    if isinstance(image_ref, str | bytes | Mapping | ImageRef | os.PathLike) or not isinstance(image_ref, Sequence):
        raise InputError("image_ref must be a list of images (paths, https URLs or ImageRefs)")
    return image_ref


def _api_order(value: str) -> list[str]:
    """The order in which the API lists values: "1:1, 1:2, 1:3, 16:9, 2:1, ..." (by the parts around ':')."""
    return value.split(":")


def _is_path(value: str) -> bool:
    return value[:8].lower() != "https://" and value[:7].lower() != "http://" and value[:5].lower() != "data:"


def type_name(value: object) -> str:
    return type(value).__name__
