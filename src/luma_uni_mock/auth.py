"""API keys: ``Authorization: Bearer luma-api-…`` (scheme case-sensitive), with special keys that act out each
documented auth failure. Any other ``luma-api-…`` token is a valid key; in permissive mode, any bearer token at all
(an SDK's generated tests send ``Bearer My Auth Token``).

Generations, rate limits and concurrency belong to the API *client*, which may hold several keys: keys that share
the text before their first ``.`` are keys of one client (``luma-api-acme.ci`` and ``luma-api-acme.laptop``); a key
without a ``.`` is a client of its own (:func:`client_of`; openapi.yaml's securityScheme says the same).
"""

from __future__ import annotations

import re

from .http_errors import HttpError

KEY_PREFIX = "luma-api-"

MISSING_OR_INVALID = "Missing or invalid API key"
INSUFFICIENT_CREDITS = "Insufficient credits. Please add credits to continue."

# Keys starting with luma-api-<word>- fail as the real API does for such a key.
SPECIAL_KEYS: dict[str, tuple[int, str]] = {
    "invalid": (401, "Invalid API key"),
    "revoked": (401, "API key has been revoked"),
    "expired": (401, "API key has expired"),
    "suspended": (403, "API client is suspended"),
    "deactivated": (403, "API client is deactivated"),
}
CLIENT_SEPARATOR = "."  # luma-api-<client>.<name>: keys of one client
_SPACE = re.compile(r"\s")  # what str.isspace() is true for (both use Py_UNICODE_ISSPACE), in one C loop
BROKE = "broke"  # a valid key whose POSTs get 402 (not enough balance at submit)


ONE_TOKEN_FACT = "bearerAuth.x-one-token"


def authenticate(authorization: str | None, *, permissive: bool, one_token: bool, one_token_choice: bool) -> str:
    """The caller's API key, or the 401/403 its header earns. ``one_token``: a key with a space inside is refused
    (the security scheme's x-one-token), ``one_token_choice``: saying that this rests on a choice of the spec."""
    header = authorization or ""  # pragma: no mutate
    scheme, _, token = header.partition(" ")
    if scheme == "Bearer" and permissive and token.strip():  # pragma: no mutate
        pass
    elif scheme != "Bearer" or not token.startswith(KEY_PREFIX) or len(token) == len(KEY_PREFIX):
        raise HttpError(401, MISSING_OR_INVALID)
    elif one_token and _has_space(token):
        refused = HttpError(401, MISSING_OR_INVALID, fact=ONE_TOKEN_FACT)
        raise refused.resting_on_a_choice() if one_token_choice else refused  # pragma: no mutate
    word, dash, _ = token[len(KEY_PREFIX) :].partition("-")
    if dash and word in SPECIAL_KEYS:
        status, detail = SPECIAL_KEYS[word]
        raise HttpError(status, detail)
    return token


def client_of(key: str) -> str:
    """The API client a key belongs to: the key up to its first ``.`` (the whole key when it has none)."""
    return key.partition(CLIENT_SEPARATOR)[0]


def _has_space(token: str) -> bool:
    return _SPACE.search(token) is not None


_BROKE_KEYS = f"{KEY_PREFIX}{BROKE}-"


def can_pay(key: str) -> bool:
    """False for the ``luma-api-broke-…`` keys, which POST answers 402 (polling costs nothing)."""
    return not key.startswith(_BROKE_KEYS)
