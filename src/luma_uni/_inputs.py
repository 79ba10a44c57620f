"""Building the create request from friendly arguments.

The client judges only what it alone can: it reads local image files (base64-encoded, their type sniffed from
their first bytes, refused when over the API's size limit, which is not worth uploading), turns ``data:`` URIs
into ``data`` + ``media_type``, and keeps Python-level mistakes (a lone surrogate, a string for a list) from
ending as a deep traceback. Everything the API decides (enum values, lengths, counts, cross-field rules, URL
schemes) is the server's: an enum value this client does not know is sent as is, and the server's 400 comes back
as :class:`~luma_uni.errors.BadRequestError` with its detail.

Images (``source`` and each ``image_ref``) may be a local file, an ``http(s)://`` URL (passed through; the API
fetches it), a ``data:image/...;base64,`` URI, a generated ``ImageRef``, or a mapping like the official SDK's
``{"url": ...}`` / ``{"data": ..., "media_type": ...}``.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TypedDict, TypeVar, Unpack

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
from luma_agents_client.types import UNSET

from .errors import InputError

ImageInput = str | os.PathLike[str] | ImageRef | Mapping[str, object]
"""One input image: a local path, a URL, a data: URI, an ImageRef, or an official-SDK style mapping."""

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
_IMAGE_REF_FIELDS = ("url", "data", "media_type")


def sniff_media_type(head: bytes) -> str | None:
    """The media type of an accepted image format from its first 12 bytes, else None."""
    for magic, offset, media_type in _MAGIC:
        if head[offset : offset + len(magic)] == magic and (offset == 0 or head.startswith(b"RIFF")):
            return media_type
    return None


class CreateOptions(TypedDict, total=False):
    """The create options besides ``prompt``: one list for build_request and every create method. None (or leaving
    one out) leaves the field out of the request, so the server decides. Enum fields take the generated enum or
    any string, including values this client's spec does not list yet."""

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
    """The request body; raise :class:`InputError` only for what cannot be sent (an unreadable file, say)."""
    unknown = set(options) - set(CreateOptions.__annotations__)
    if unknown:  # what an explicit signature would refuse, as Python words it
        raise TypeError(f"got an unexpected keyword argument {sorted(unknown)[0]!r}")
    web_search, user_id = options.get("web_search"), options.get("user_id")
    image_ref, source = options.get("image_ref"), options.get("source")
    _check_utf8(prompt, "prompt")
    _check_utf8(user_id, "user_id")
    kind = _enum(GenerationType, options.get("type"), "type")
    model = _enum(Model, options.get("model"), "model")
    ratio = _enum(AspectRatio, options.get("aspect_ratio"), "aspect_ratio")
    style = _enum(Style, options.get("style"), "style")
    output = _enum(OutputFormat, options.get("output_format"), "output_format")
    refs = _ref_list(image_ref)
    return CreateGenerationRequest(
        prompt=prompt,
        type_=UNSET if kind is None else kind,
        model=UNSET if model is None else model,
        aspect_ratio=UNSET if ratio is None else ratio,
        style=UNSET if style is None else style,
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


def image(value: ImageInput, path: str) -> ImageRef:
    """One input image as an ImageRef; ``path`` (``source``, ``image_ref[2]``) names it in error messages."""
    if isinstance(value, ImageRef):
        _check_utf8_fields(value.to_dict(), path)
        return value
    if isinstance(value, Mapping):
        unknown = sorted(set(value) - set(_IMAGE_REF_FIELDS))
        if unknown:  # an ImageRef cannot carry it, and dropping it silently would send something else
            raise InputError(f"{path}: unknown field {unknown[0]!r} (an image takes 'url', or 'data' and 'media_type')")
        _check_utf8_fields(value, path)
        return ImageRef.from_dict(dict(value))
    if isinstance(value, str) and _is_url(value):
        _check_utf8(value, path)
        return ImageRef(url=value)
    if isinstance(value, str) and value[:5].lower() == "data:":
        return _data_uri(value, path)
    if isinstance(value, str | os.PathLike):
        return _local_file(Path(value).expanduser(), path)
    raise InputError(f"{path}: expected a file path, a URL or an ImageRef, not {type_name(value)}")


def _check_utf8(value: object, name: str) -> None:
    """Text with a lone surrogate (from os.fsdecode or surrogateescape) cannot be sent as JSON; say so here,
    instead of letting a bare UnicodeEncodeError escape from inside httpx."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(f"{name}: the text cannot be encoded as UTF-8 (character {exc.start})") from exc


def _check_utf8_fields(fields: Mapping[str, object], path: str) -> None:
    for field in _IMAGE_REF_FIELDS:
        _check_utf8(fields.get(field), f"{path}.{field}")


def _data_uri(uri: str, path: str) -> ImageRef:
    header, comma, data = uri.partition(",")
    media_type, _, encoding = header[5:].partition(";")
    if not comma or encoding.lower() != "base64":
        raise InputError(f"{path}: a data: URI must look like 'data:image/png;base64,...'")
    _check_utf8(data, path)
    return ImageRef(data=data, media_type=media_type.lower())


def _local_file(file: Path, path: str) -> ImageRef:
    try:
        size = file.stat().st_size
        if not file.is_file():
            raise InputError(f"{path}: {file} is not a file")
        if size > contract.MAX_IMAGE_BYTES:  # checked before reading: not worth reading, nor uploading
            _check_image_bytes(b"", size, path)
        raw = file.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file: {file}") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read {file}: {exc.strerror or exc}") from exc
    media_type = _check_image_bytes(raw, len(raw), path, name=str(file))
    return ImageRef(data=base64.b64encode(raw).decode("ascii"), media_type=media_type)


def _check_image_bytes(raw: bytes, size: int, path: str, name: str = "the file") -> str:
    """The sniffed media type of a local file; raise for one over the size limit or of a format we cannot name."""
    if size > contract.MAX_IMAGE_BYTES:
        raise InputError(f"{path}: image exceeds {contract.MAX_IMAGE_BYTES // 2**20} MB limit ({size:,} bytes)")
    if size == 0:
        raise InputError(f"{path}: {name} is empty")
    media_type = sniff_media_type(raw[:12])
    if media_type is None:
        raise InputError(f"{path}: {name} is not a {_FORMAT_NAMES} image")
    return media_type


def _enum(enum: type[E], value: E | str | None, field: str) -> E | None:
    """The generated enum member for ``value``; a value the spec does not list becomes an unknown member
    (``is_known`` False) and is sent as is."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{field} must be a string, not {type_name(value)}")
    _check_utf8(value, field)
    return enum(value)


def _ref_list(image_ref: Sequence[ImageInput] | None) -> Sequence[ImageInput]:
    if image_ref is None:
        return []
    if isinstance(image_ref, str | bytes | Mapping | ImageRef | os.PathLike) or not isinstance(image_ref, Sequence):
        raise InputError("image_ref must be a list of images (paths, URLs or ImageRefs)")
    return image_ref


def _is_url(value: str) -> bool:
    return value[:8].lower() == "https://" or value[:7].lower() == "http://"


def _is_path(value: str) -> bool:
    return not _is_url(value) and value[:5].lower() != "data:"


def type_name(value: object) -> str:
    return type(value).__name__
