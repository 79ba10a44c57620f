"""Secrets out of every line a check or the proxy writes: the signature parts of presigned URLs (S3, CloudFront,
GCS, Azure, the mock's) and, should one ever reach a message, a bearer token or an API key."""

from __future__ import annotations

import re

REDACTED = "REDACTED"
# Query parameters that make a presigned URL usable by whoever reads it (the rest, e.g. X-Amz-Expires, stay: they
# say when the URL was minted and for how long, which findings about fresh URLs need).
_SIGNED_PARAMETERS = re.compile(
    r"(?i)([?&](?:x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential"
    r"|signature|sig|key-pair-id|policy|token|access_token)=)[^&#\s\"'<>\\]*"
)
_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',;]+")
_API_KEY = re.compile(r"luma-api-[A-Za-z0-9._~+/=-]+")


def redact(text: str) -> str:
    text = _SIGNED_PARAMETERS.sub(rf"\g<1>{REDACTED}", text)
    text = _BEARER.sub(rf"\g<1>{REDACTED}", text)
    return _API_KEY.sub(f"luma-api-{REDACTED}", text)
