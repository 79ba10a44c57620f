"""Presigned output URLs: a MAC (keyed BLAKE2b, 32 bytes) over the file path and its expiry, valid on the mock clock for
the spec's ``GenerationOutput.url.x-lifetime-seconds`` (one hour). Keyed BLAKE2b rather than S3's HMAC-SHA256: the
signature is opaque to clients, and an OpenSSL HMAC cost a sixth of serving a GET (bench/README.md).

A URL looks like ``http://127.0.0.1:4010/_mock/files/<id>/<name>?X-Amz-Expires=3600&expires=<unix>&signature=<hex>``
with ``<name>`` a file of the generation (``output.png``, ``output.mp4``, ``layer-0.png``; see render/outputs.py)
(``X-Amz-Expires`` mirrors the real S3 URLs). The signature covers the path and every other query parameter, as
S3's does, so an expired URL, or one whose path, parameters or signature was changed, gets 403.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import urllib.parse

from .http_errors import HttpError

FILES_PREFIX = "/_mock/files/"
FILE_PATH = re.compile(r"/_mock/files/([0-9a-f-]{36})/([a-z0-9-]{1,32}\.[a-z0-9]{1,8})")
_EXPIRES = re.compile(r"[0-9]{1,12}")
EXPIRED = "Request has expired"
BAD_SIGNATURE = "The request signature we calculated does not match the signature you provided"


class UrlSigner:
    def __init__(self, secret: bytes, lifetime_seconds: int) -> None:
        self._keyed = hashlib.blake2b(key=secret, digest_size=32)  # copied per URL: keyed once
        self._lifetime = lifetime_seconds  # the contract's, read from the spec
        self._expires_is = f"X-Amz-Expires={lifetime_seconds}&expires="  # the signed query, but its expiry

    def _signature(self, path: str, signed_query: str) -> str:
        mac = self._keyed.copy()
        mac.update(f"{path}\n{signed_query}".encode())
        return mac.hexdigest()

    def sign(self, origin: str, generation_id: str, name: str, now: float) -> str:
        path = f"{FILES_PREFIX}{generation_id}/{name}"
        signed_query = f"{self._expires_is}{math.floor(now) + self._lifetime}"
        return f"{origin}{path}?{signed_query}&signature={self._signature(path, signed_query)}"

    def verify(self, path: str, query: str, now: float) -> None:
        """403 unless ``path?query`` is a URL this signer minted and it has not expired."""
        params = urllib.parse.parse_qs(query, keep_blank_values=True)  # pragma: no mutate
        expires_values, signatures = params.get("expires", []), params.get("signature", [])
        if len(expires_values) != 1 or len(signatures) != 1 or not _EXPIRES.fullmatch(expires_values[0]):
            raise HttpError(403, BAD_SIGNATURE)
        expires = int(expires_values[0])
        # The signature comes last, as minted.
        signed_query, _, given = query.rpartition("&signature=")  # pragma: no mutate
        expected = self._signature(path, signed_query).encode()
        if not hmac.compare_digest(expected, given.encode("utf-8", "replace")):  # pragma: no mutate
            raise HttpError(403, BAD_SIGNATURE)
        if now > expires:  # pragma: no mutate
            raise HttpError(403, EXPIRED)
