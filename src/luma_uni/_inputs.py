"""Building the create request from friendly arguments.

The client judges only what it alone can: it reads local image files (base64-encoded, their type sniffed from
their first bytes, refused when over the API's size limit, which is not worth uploading), turns ``data:`` URIs
into ``data`` + ``media_type``, and keeps Python-level mistakes (a lone surrogate, a string for a list) from
ending as a deep traceback. Everything the API decides (enum values, lengths, counts, cross-field rules, URL
schemes) is the server's: an enum value this client does not know is sent as is, and the server's 400 comes back
as :class:`~luma_uni.errors.BadRequestError` with its detail.

Inputs (``source`` and each ``image_ref``) may be a local image or video file, an ``http(s)://`` URL (passed
through; the API fetches it), a ``data:image/...;base64,`` URI, a generated ``ImageRef``, a mapping like the official
SDK's ``{"url": ...}`` / ``{"generation_id": ...}``, or an earlier :class:`Generation` (chained by its id). The
``video`` and ``layering`` options take the generated ``VideoOptions`` / ``LayeringOptions`` or a mapping of their
wire fields, read by the generated ``from_dict``; a key it does not know is refused rather than dropped.
"""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Mapping, Sequence
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, TypeVar, Unpack

import attrs

from luma_agents_client import contract
from luma_agents_client.contract import CreateRequestFields, WireModel
from luma_agents_client.models import CreateGenerationRequest, Generation, ImageRef

from .errors import InputError

ImageInput = str | os.PathLike[str] | ImageRef | Generation | Mapping[str, object]
"""One input: a local image or video path, a URL, a data: URI, an ImageRef, an earlier Generation (chained by its
id), or an official-SDK style mapping (``{"url": ...}``, ``{"generation_id": ...}``, ``{"file_id": ...}``)."""

E = TypeVar("E", bound=StrEnum)


M = TypeVar("M", bound=WireModel)

# The image formats the API accepts (JPEG, PNG, WebP, still GIF), by their first bytes.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"WEBP", 8, "image/webp"),  # after "RIFF" and a 4-byte size
)
_FORMAT_NAMES = "JPEG, PNG, WebP or GIF image, nor an MP4, QuickTime or WebM video"
_SNIFF_BYTES = 64  # enough for every signature above and a WebM's EBML DocType
_EBML_MAGIC = b"\x1a\x45\xdf\xa3"  # Matroska and WebM; the EBML header's DocType says which
_QUICKTIME_BRAND = b"qt  "  # the ISO base media ``ftyp`` brand of a QuickTime .mov
# ``ftyp`` brands of still-image formats in the same container (HEIF, AVIF): not videos, and not accepted images.
_IMAGE_BRANDS = frozenset((b"heic", b"heix", b"mif1", b"msf1", b"avif", b"avis"))
# The wire names of an ImageRef, from the generated model (one list for mappings, UTF-8 checks and messages).
_IMAGE_REF_FIELDS = tuple(field.name for field in attrs.fields(ImageRef))


def sniff_media_type(head: bytes) -> str | None:
    """The media type of an accepted image or video format from its first 64 bytes, else None."""
    for magic, offset, media_type in _MAGIC:
        if head[offset : offset + len(magic)] == magic and (offset == 0 or head.startswith(b"RIFF")):
            return media_type
    return _sniff_video(head)


def _sniff_video(head: bytes) -> str | None:
    """MP4 and QuickTime start with an ISO base media ``ftyp`` box (4-byte size, ``ftyp``, the major brand); WebM
    with the EBML magic and a ``webm`` DocType."""
    if head[4:8] == b"ftyp" and head[8:12] not in _IMAGE_BRANDS:
        return "video/quicktime" if head[8:12] == _QUICKTIME_BRAND else "video/mp4"
    if head.startswith(_EBML_MAGIC) and b"webm" in head[:_SNIFF_BYTES]:
        return "video/webm"
    return None


class CreateOptions(CreateRequestFields, total=False):
    """The create options besides ``prompt``: one list for build_request and every create method. Every optional
    field of the spec's request is one (``CreateRequestFields``, generated), and the images are the client's own:
    ``source`` and ``image_ref`` take paths, URLs, ``data:`` URIs, ImageRefs and Generations (see
    :data:`ImageInput`). None (or leaving one out) leaves the field out of the request, so the server decides."""

    image_ref: Sequence[ImageInput] | None
    source: ImageInput | None


_OPTION_NAMES = frozenset(CreateOptions.__annotations__)
_REQUEST_FIELDS = {field.wire_name: field for field in contract.REQUEST_FIELDS}


def build_request(*, prompt: str, **options: Unpack[CreateOptions]) -> CreateGenerationRequest:
    """The request body; raise :class:`InputError` only for what cannot be sent (an unreadable file, say)."""
    unknown = options.keys() - _OPTION_NAMES
    if unknown:  # what an explicit signature would refuse, as Python words it
        raise TypeError(f"got an unexpected keyword argument {sorted(unknown)[0]!r}")
    _check_utf8(prompt, "prompt")
    fields: dict[str, Any] = {}  # the generated model's attributes, by its names
    for name, given in options.items():  # only the options given: most calls give few of them
        field = _REQUEST_FIELDS.get(name)
        if field is not None and (value := _field_value(field, given)) is not None:
            fields[field.python_name] = value
    image_ref, source = options.get("image_ref"), options.get("source")
    if image_ref is not None:
        fields["image_ref"] = [image(ref, f"image_ref[{i}]") for i, ref in enumerate(_ref_list(image_ref))]
    if source is not None:
        fields["source"] = image(source, "source")
    return CreateGenerationRequest(prompt=prompt, **fields)


def _field_value(field: contract.RequestField, value: object) -> object:
    """One field's value as the generated model takes it: an enum member, a model, or the value as given (its
    text checked to be sendable); None when it is left out."""
    if value is None:
        return None
    if field.enum is not None:
        return _enum(field.enum, value, field.wire_name)
    if field.model is not None:
        return wire_model(field.model, value, field.wire_name)
    for index, item in enumerate(value) if isinstance(value, list | tuple) else ():  # a list of primitives
        _check_utf8(item, f"{field.wire_name}[{index}]")
    _check_utf8(value, field.wire_name)
    return value


def reads_files(options: CreateOptions) -> bool:
    """Whether building the request reads local files (so async callers move it off the event loop): a path as
    ``source`` or an ``image_ref``, or a ``Path`` anywhere in the other options (the ``video`` frames, say)."""
    source, image_ref = options.get("source"), options.get("image_ref")
    items = [source, *(image_ref if isinstance(image_ref, Sequence) and not isinstance(image_ref, str) else [])]
    paths = any(isinstance(item, os.PathLike) or (isinstance(item, str) and _is_path(item)) for item in items)
    return paths or any(_has_path(value) for value in options.values())


def _has_path(value: object) -> bool:
    if isinstance(value, Mapping):
        return any(_has_path(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_has_path(item) for item in value)
    return isinstance(value, os.PathLike)


def wire_model(model: type[M], value: object, path: str) -> M:
    """``value`` as the generated ``model``: as is, or a mapping of its wire fields read by the generated
    ``from_dict``. Inside the mapping an image may also be an ImageRef, a Path or a Generation (see :func:`image`).
    Values are the server's to judge (an unknown enum value is sent as is); a key the model does not know is
    refused here, since ``from_dict`` would drop it and send something else than asked."""
    if isinstance(value, model):
        _wire_json(value.to_dict(), path)  # only to check its text is sendable
        return value
    if not isinstance(value, Mapping):
        raise InputError(f"{path} must be a {model.__name__} or a mapping, not {type_name(value)}")
    given = {key: _wire_json(item, f"{path}.{key}") for key, item in value.items()}
    try:
        built = model.from_dict(given)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise InputError(f"{path}: cannot be read as {model.__name__}: {exc}") from exc
    lost = _lost_key(given, built.to_dict(), path)
    if lost is not None:
        raise InputError(f"{lost}: unknown field ({model.__name__} and the models in it have no such key)")
    return built


def _wire_json(value: object, path: str) -> object:
    """A copy of ``value`` in wire JSON terms: images given as objects become their ImageRef dict, enum members
    their value; text is checked to be sendable."""
    if isinstance(value, Mapping):
        return {key: _wire_json(item, f"{path}.{key}") for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_wire_json(item, f"{path}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, ImageRef | Generation | os.PathLike):
        return image(value, path).to_dict()
    if isinstance(value, Enum):
        return value.value
    _check_utf8(value, path)
    return value


def _lost_key(given: object, sent: object, path: str) -> str | None:
    """The path of the first key of ``given`` that ``sent`` no longer has, at any depth."""
    if isinstance(given, Mapping) and isinstance(sent, Mapping):
        for key, item in given.items():
            if key not in sent:
                return f"{path}.{key}"
            lost = _lost_key(item, sent[key], f"{path}.{key}")
            if lost is not None:
                return lost
    if isinstance(given, list) and isinstance(sent, list):
        for index, (item, sent_item) in enumerate(zip(given, sent, strict=False)):
            lost = _lost_key(item, sent_item, f"{path}[{index}]")
            if lost is not None:
                return lost
    return None


def image(value: ImageInput, path: str) -> ImageRef:
    """One input as an ImageRef; ``path`` (``source``, ``image_ref[2]``) names it in error messages."""
    if isinstance(value, ImageRef):
        _check_utf8_fields(value.to_dict(), path)
        return value
    if isinstance(value, Generation):  # chain off an earlier output: the server checks it is the caller's and done
        return ImageRef(generation_id=value.id)
    if isinstance(value, Mapping):
        unknown = sorted(set(value) - set(_IMAGE_REF_FIELDS))
        if unknown:  # an ImageRef cannot carry it, and dropping it silently would send something else
            names = ", ".join(repr(name) for name in _IMAGE_REF_FIELDS)
            raise InputError(f"{path}: unknown field {unknown[0]!r} (an ImageRef takes {names})")
        _check_utf8_fields(value, path)
        return ImageRef.from_dict({key: _uuid_text(item) for key, item in value.items()})
    if isinstance(value, str) and _is_url(value):
        _check_utf8(value, path)
        return ImageRef(url=value)
    if isinstance(value, str) and value[:5].lower() == "data:":
        return _data_uri(value, path)
    if isinstance(value, str | os.PathLike):
        return _local_file(Path(value).expanduser(), path)
    raise InputError(f"{path}: expected a file path, a URL, an ImageRef or a Generation, not {type_name(value)}")


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


def _uuid_text(value: object) -> object:
    """A ``uuid.UUID`` given for ``generation_id`` / ``file_id`` as the text the generated parser reads."""
    return str(value) if isinstance(value, uuid.UUID) else value


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
        if size > contract.MAX_IMAGE_BYTES:  # checked before reading it whole: not worth reading, nor uploading
            with file.open("rb") as handle:
                _check_media_bytes(handle.read(_SNIFF_BYTES), size, path)
        raw = file.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file: {file}") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read {file}: {exc.strerror or exc}") from exc
    media_type = _check_media_bytes(raw, len(raw), path, name=str(file))
    return ImageRef(data=base64.b64encode(raw).decode("ascii"), media_type=media_type)


def _check_media_bytes(raw: bytes, size: int, path: str, name: str = "the file") -> str:  # pragma: no mutate
    """The sniffed media type of a local file (``raw`` may be only its first bytes); raise for one over the size
    limit (images and videos share it; worded as the API words it) or of a format we cannot name. Whether a video
    is accepted at ``path`` is the server's rule."""
    media_type = sniff_media_type(raw[:_SNIFF_BYTES])
    if size > contract.MAX_IMAGE_BYTES:
        kind = "video" if media_type is not None and media_type.startswith("video/") else "image"
        raise InputError(f"{path}: {kind} exceeds {contract.MAX_IMAGE_BYTES // 2**20} MB limit ({size:,} bytes)")
    if size == 0:
        raise InputError(f"{path}: {name} is empty")
    if media_type is None:
        raise InputError(f"{path}: {name} is not a {_FORMAT_NAMES}")
    return media_type


def _enum(enum: type[E], value: object, field: str) -> E | None:
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
    if isinstance(image_ref, str | bytes | Mapping | ImageRef | Generation | os.PathLike) or not isinstance(
        image_ref, Sequence
    ):
        raise InputError("image_ref must be a list of images (paths, URLs or ImageRefs)")
    return image_ref


def _is_url(value: str) -> bool:
    return value[:8].lower() == "https://" or value[:7].lower() == "http://"


def _is_path(value: str) -> bool:
    return not _is_url(value) and value[:5].lower() != "data:"


def type_name(value: object) -> str:
    return type(value).__name__
