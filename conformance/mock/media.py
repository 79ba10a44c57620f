"""Input media rules of POST /generations: base64 decoding, the 50 MB limit (413), image sniffing and URLs (422).

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

from conformance.mock.errors import ApiError
from conformance.mock.rules import image_refs

MAX_IMAGE_BYTES = 52_428_800  # 50 MB per image, decoded (documented; the spec states it in prose only)
_MAX_BASE64_CHARS = 4 * -(-MAX_IMAGE_BYTES // 3)

# Magic numbers of the accepted formats: JPEG, PNG, GIF (87a/89a) and WebP (RIFF....WEBP).
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")


def is_image(data: bytes) -> bool:
    return data.startswith(_SIGNATURES) or (len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def check(body: dict[str, Any]) -> bytes | None:
    """413/422 for the first unusable input image; returns the decoded ``source`` bytes, if it was sent as data."""
    source_bytes = None
    for path, ref in image_refs(body):
        data, url = ref.get("data"), ref.get("url")
        if data is not None:
            decoded = _decode(path, data, ref.get("media_type"))
            if path == "source":
                source_bytes = decoded
        elif url is not None:
            _check_url(path, url)
    return source_bytes


def _decode(path: str, data: str, media_type: Any) -> bytes:
    if len(data) > _MAX_BASE64_CHARS + 2:  # over the limit whatever the padding: refuse before decoding
        raise ApiError(413, f"{path}: image exceeds 50 MB limit")
    try:
        decoded = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):  # ValueError: non-ASCII characters
        raise ApiError(422, f"{path}: invalid base64 data") from None
    if len(decoded) > MAX_IMAGE_BYTES:
        raise ApiError(413, f"{path}: image exceeds 50 MB limit")
    declared = media_type.strip().lower() if isinstance(media_type, str) else ""
    if not declared.startswith("image/") or not is_image(decoded):
        raise ApiError(422, f"{path}: content-type is not an image")
    return decoded


def _check_url(path: str, url: str) -> None:
    failed = ApiError(422, f"{path}: failed to fetch URL")
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
