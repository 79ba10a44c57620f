"""Input media: base64 (422), the 50 MB decoded limit (413), image sniffing (422) and URL rules (422)."""

from __future__ import annotations

import base64

import httpx
import pytest

from conformance.spec import max_image_bytes
from tests.mock.helpers import create, data_ref, detail, image_bytes

PNG_HEAD = image_bytes("PNG")
MAX_IMAGE_BYTES = max_image_bytes()  # the spec's x-max-decoded-bytes


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_each_accepted_format_passes_as_data(api: httpx.Client, fmt: str) -> None:
    create(api, image_ref=[data_ref(fmt)])
    create(api, type="image_edit", source=data_ref(fmt))


@pytest.mark.parametrize("data", ["not base64!", "aGk", "aGk=\n", "ä"])
def test_invalid_base64_gets_422(api: httpx.Client, data: str) -> None:
    response = api.post("/generations", json={"prompt": "x", "image_ref": [{"data": data, "media_type": "image/png"}]})
    assert response.status_code == 422
    assert detail(response) == "image_ref[0]: invalid base64 data"


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (b"%PDF-1.7 ...", "image/png"),
        (b"<html></html>", "image/png"),
        (b"", "image/png"),
        (PNG_HEAD, "application/pdf"),
        (PNG_HEAD, "text/html"),
    ],
)
def test_content_that_is_not_an_image_gets_422(api: httpx.Client, content: bytes, media_type: str) -> None:
    source = {"data": base64.b64encode(content).decode(), "media_type": media_type}
    response = api.post("/generations", json={"prompt": "x", "type": "image_edit", "source": source})
    assert response.status_code == 422
    assert detail(response) == "source: content-type is not an image"


@pytest.mark.parametrize(
    "url",
    [
        "http://img.example/cat.png",
        "ftp://img.example/cat.png",
        "https://",
        "https://localhost/cat.png",
        "https://127.0.0.1/cat.png",
        "https://10.1.2.3/cat.png",
        "https://192.168.0.1/cat.png",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/cat.png",
        "https://img.example:99999/cat.png",
        "https://[not-an-ip/cat.png",
        "cat.png",
        "",
    ],
)
def test_urls_the_ingestion_proxy_would_refuse_get_422(api: httpx.Client, url: str) -> None:
    response = api.post(
        "/generations", json={"prompt": "x", "image_ref": [{"url": "https://ok.example/a.png"}, {"url": url}]}
    )
    assert response.status_code == 422
    assert detail(response) == "image_ref[1]: failed to fetch URL"


def test_public_https_urls_are_taken_without_fetching(api: httpx.Client) -> None:
    create(api, image_ref=[{"url": "https://img.example/cat.png?sig=abc"}, {"url": "https://8.8.8.8/x.jpg"}])


def test_the_first_bad_image_is_named_source_before_refs(api: httpx.Client) -> None:
    bad = {"data": "!!", "media_type": "image/png"}
    response = api.post("/generations", json={"prompt": "x", "type": "image_edit", "source": bad, "image_ref": [bad]})
    assert detail(response) == "source: invalid base64 data"


def test_an_image_over_50_mb_decoded_gets_413(api: httpx.Client) -> None:
    # Valid base64 of 50 MB + 1 byte, starting like a PNG: within the body limit, over the per-image limit.
    oversized = base64.b64encode(PNG_HEAD + bytes(MAX_IMAGE_BYTES + 1 - len(PNG_HEAD))).decode()
    response = api.post(
        "/generations", json={"prompt": "x", "image_ref": [{"data": oversized, "media_type": "image/png"}]}
    )
    assert response.status_code == 413
    assert detail(response) == "image_ref[0]: image exceeds 50 MB limit"


def test_an_image_of_exactly_50_mb_is_accepted(api: httpx.Client) -> None:
    exact = base64.b64encode(PNG_HEAD + bytes(MAX_IMAGE_BYTES - len(PNG_HEAD))).decode()
    create(api, type="image_edit", source={"data": exact, "media_type": "image/png"})
