"""Auth: the documented 401/403/402 answers, on both endpoints, before anything else is looked at."""

from __future__ import annotations

import uuid

import httpx
import pytest

from luma_uni_mock.serve import RunningMock

VALID_BODY = {"prompt": "a cat"}
ANY_ID = str(uuid.uuid4())


def _both(raw: httpx.Client, headers: dict[str, str]) -> list[httpx.Response]:
    return [
        raw.post("/v1/generations", json=VALID_BODY, headers=headers),
        raw.get(f"/v1/generations/{ANY_ID}", headers=headers),
    ]


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer  luma-api-abc",  # two spaces
        "bearer luma-api-abc",  # the scheme is case-sensitive
        "Basic luma-api-abc",
        "Bearer sk-abc",
        "Bearer luma-api-",
        "Bearer luma-api-a b",
        "Token luma-api-abc",
    ],
)
def test_missing_or_malformed_credentials_get_401_missing_or_invalid(
    raw: httpx.Client, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    for response in _both(raw, headers):
        assert response.status_code == 401
        assert response.json() == {"detail": "Missing or invalid API key"}


@pytest.mark.parametrize(
    ("word", "status", "text"),
    [
        ("invalid", 401, "Invalid API key"),
        ("revoked", 401, "API key has been revoked"),
        ("expired", 401, "API key has expired"),
        ("suspended", 403, "API client is suspended"),
        ("deactivated", 403, "API client is deactivated"),
    ],
)
def test_special_keys_fail_as_documented_on_both_endpoints(
    raw: httpx.Client, word: str, status: int, text: str
) -> None:
    # Any key starting luma-api-<word>- is special, dashes after it included.
    for response in _both(raw, {"Authorization": f"Bearer luma-api-{word}-ci-0001"}):
        assert response.status_code == status
        assert response.json() == {"detail": text}


def test_auth_is_checked_before_the_body(raw: httpx.Client) -> None:
    response = raw.post("/v1/generations", content=b"not json", headers={"Content-Type": "text/plain"})
    assert response.status_code == 401


def test_a_broke_key_gets_402_on_post_only(luma_mock_frozen: RunningMock, raw: httpx.Client) -> None:
    headers = {"Authorization": "Bearer luma-api-broke-0001"}
    response = raw.post("/v1/generations", json=VALID_BODY, headers=headers)
    assert response.status_code == 402
    assert response.json() == {"detail": "Insufficient credits. Please add credits to continue."}
    # Polling costs nothing: GET answers as for any key (this key owns nothing, hence 404).
    assert raw.get(f"/v1/generations/{ANY_ID}", headers=headers).status_code == 404
    assert luma_mock_frozen.control.generation_count() == 0


def test_a_broke_key_still_gets_validation_errors_first(raw: httpx.Client) -> None:
    response = raw.post("/v1/generations", json={"prompt": ""}, headers={"Authorization": "Bearer luma-api-broke-1"})
    assert response.status_code == 400


def test_special_words_only_count_as_a_prefix_with_a_dash(api: httpx.Client, raw: httpx.Client) -> None:
    # "luma-api-invalidated" is an ordinary key, not the "invalid" special key.
    response = raw.post("/v1/generations", json=VALID_BODY, headers={"Authorization": "Bearer luma-api-invalidated"})
    assert response.status_code == 201
