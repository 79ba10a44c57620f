"""Input media rules of POST /generations: base64 decoding, the 50 MB limit (413), image and video sniffing and
URLs (422). A video (the source of video_edit and video_reframe) is sniffed by its container (MP4/QuickTime
``ftyp``, WebM/Matroska EBML); its duration (18 s at most for a video edit's source) is not checked: that would mean
decoding it. The video checks and the base64 strictness rest on choices of the spec: the lenient view relaxes them.

The mock never fetches a URL (it runs offline): a URL passes when the real ingestion proxy would try it at all,
i.e. an ``https`` URL with a host that is not a literal loopback, private or link-local address (nor
``localhost``). Anything else gets 422 ``<path>: failed to fetch URL``.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import urllib.parse
from typing import Any

from .http_errors import HttpError
from .rules import REF_FIELDS, VIDEO, image_refs, position_kind
from .spec_facts import SpecFacts

# Magic numbers of image formats, for the spec's x-accepted-media-types (WebP is RIFF....WEBP).
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def sniff(data: bytes) -> str | None:
    """The media type of ``data`` from its first bytes, or None for a format this module does not know."""
    for signature, media_type in _SIGNATURES:
        if data.startswith(signature):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def sniff_video(data: bytes) -> str | None:
    """The media type of a video container from its first bytes, or None."""
    if data[4:8] == b"ftyp":
        return "video/quicktime" if data[8:10] == b"qt" else "video/mp4"  # pragma: no mutate
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    return None


def check(facts: SpecFacts, body: dict[str, Any]) -> bytes | None:
    """413/422 for the first unusable input; returns the decoded ``source`` bytes, if it was sent as data."""
    if REF_FIELDS.isdisjoint(body):  # no input media at all: most requests
        return None
    source_bytes = None  # pragma: no mutate
    for path, ref in image_refs(body):
        data, url = ref.get("data"), ref.get("url")
        if data is not None:
            video = position_kind(facts, body, path) == VIDEO
            decoded = _decode(facts, path, data, ref.get("media_type"), video=video)
            if path == "source":
                source_bytes = decoded
        elif url is not None:
            _check_url(path, url)
    return source_bytes


# What a refusal rests on (http_errors.HttpError.fact): ImageRef's facts.
BASE64_FACT = "ImageRef.data.contentEncoding"
VIDEO_FACT = "ImageRef.x-accepted-video-media-types"
IMAGE_FACT = "ImageRef.x-accepted-media-types"
SIZE_FACT = "ImageRef.x-max-decoded-bytes"
_URL_SAFE = str.maketrans("-_", "+/")


def _decode(facts: SpecFacts, path: str, data: str, media_type: Any, *, video: bool) -> bytes:
    kind = "video" if video else "image"
    # A video's limit rests on ImageRef's video facts (a choice): only the lenient view leaves it out.
    limited = facts.checks_video_media or not video  # pragma: no mutate
    size_fact = VIDEO_FACT if video else SIZE_FACT
    too_large = HttpError(413, f"{path}: {kind} exceeds {facts.max_image_bytes // 2**20} MB limit", fact=size_fact)
    if limited and len(data) > 4 * -(-facts.max_image_bytes // 3) + 2:  # over the limit whatever the padding
        raise too_large
    decoded = _base64(data, strict=facts.strict_base64)
    if decoded is None:
        raise HttpError(422, f"{path}: invalid base64 data", fact=BASE64_FACT)
    if limited and len(decoded) > facts.max_image_bytes:
        raise too_large
    declared = media_type.strip().lower() if isinstance(media_type, str) else ""  # pragma: no mutate
    if video:
        if facts.checks_video_media and (
            not declared.startswith("video/") or sniff_video(decoded) not in facts.video_media_types
        ):
            raise HttpError(422, f"{path}: content-type is not a video", fact=VIDEO_FACT)
    elif not declared.startswith("image/") or sniff(decoded) not in facts.media_types:
        raise HttpError(422, f"{path}: content-type is not an image", fact=IMAGE_FACT)
    return decoded


def _base64(data: str, *, strict: bool) -> bytes | None:
    """``data`` decoded: RFC 4648 base64, standard alphabet and padded; when not ``strict``, also unpadded, URL-safe
    or broken by white space. None when it is not base64 at all."""
    if not strict:
        data = "".join(data.split()).translate(_URL_SAFE)  # pragma: no mutate
        data += "=" * (-len(data) % 4)  # pragma: no mutate
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):  # ValueError: non-ASCII characters
        return None


def _check_url(path: str, url: str) -> None:
    failed = HttpError(422, f"{path}: failed to fetch URL", fact="UnprocessableEntity.fetch_failed")
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        raise failed from None
    if parts.scheme.lower() != "https" or not host:
        raise failed
    if host == "localhost" or host.endswith(".localhost"):
        raise failed
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return  # a host name: the real proxy resolves it through public DNS; the mock takes it
    if not address.is_global:
        raise failed
