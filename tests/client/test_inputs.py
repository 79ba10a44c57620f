"""Inputs are checked before sending: limits from the spec, formats by magic bytes, the cross-field rules."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from conformance.mock.serve import RunningMock
from conformance.spec import schema
from luma_uni import AspectRatio, ImageRef, InputError, Luma, Style, _inputs
from luma_uni._inputs import build_request, limits, portrait_ratios
from tests.client.helpers import RequestLog, image_bytes

URL = "https://example.com/photo.jpg"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_limits_are_the_spec_limits() -> None:
    properties = schema("CreateGenerationRequest")["properties"]
    lim = limits()
    assert (lim.prompt_min, lim.prompt_max) == (properties["prompt"]["minLength"], properties["prompt"]["maxLength"])
    assert lim.max_refs == properties["image_ref"]["maxItems"] == 9
    assert lim.max_edit_refs == 8
    assert lim.user_id_max == properties["user_id"]["maxLength"]
    assert lim.max_image_bytes == schema("ImageRef")["x-max-decoded-bytes"] == 52_428_800
    # Every format the spec accepts can be sniffed from its bytes, and nothing else.
    assert {media_type for _, _, media_type in _inputs._MAGIC} == lim.media_types


@pytest.mark.parametrize(
    ("fmt", "media_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("GIF", "image/gif")]
)
def test_local_file_becomes_base64_with_its_sniffed_media_type(tmp_path: Path, fmt: str, media_type: str) -> None:
    data = image_bytes(fmt)
    path = write(tmp_path, "picture.bin", data)  # the extension is irrelevant: the bytes decide
    request = build_request(prompt="edit it", type="image_edit", source=path)
    assert request.to_dict()["source"] == {"data": base64.b64encode(data).decode(), "media_type": media_type}


def test_https_url_passes_through_and_plain_http_is_refused() -> None:
    assert build_request(prompt="x", image_ref=[URL]).to_dict()["image_ref"] == [{"url": URL}]
    with pytest.raises(InputError, match=r"image_ref\[0\]: only https"):
        build_request(prompt="x", image_ref=["http://example.com/a.png"])


def test_data_uri_and_official_sdk_mappings_are_accepted() -> None:
    data = base64.b64encode(image_bytes("PNG")).decode()
    request = build_request(
        prompt="x",
        image_ref=[f"data:image/png;base64,{data}", {"url": URL}, {"data": data, "media_type": "image/png"}],
    )
    assert request.to_dict()["image_ref"] == [
        {"data": data, "media_type": "image/png"},
        {"url": URL},
        {"data": data, "media_type": "image/png"},
    ]


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        (ImageRef(url=URL, data="AAAA", media_type="image/png"), "provide either 'url' or 'data', not both"),
        (ImageRef(), "provide either 'url' or 'data', not neither"),
        ({"data": "AAAA"}, "'media_type' is required with 'data'"),
        ({"data": "not base64!", "media_type": "image/png"}, "invalid base64"),
        ({"data": base64.b64encode(b"%PDF-1.7").decode(), "media_type": "image/png"}, "not a JPEG, PNG, WebP or GIF"),
        ({"data": "AAAA", "media_type": "application/pdf"}, "media_type 'application/pdf'"),
        ({"url": URL, "colour": "red"}, "unknown field 'colour'"),
        (42, "expected a file path"),
    ],
)
def test_bad_image_refs_are_refused_with_the_api_wording(ref: object, message: str) -> None:
    with pytest.raises(InputError, match=r"image_ref\[0\]: ") as caught:
        build_request(prompt="x", image_ref=[ref])  # type: ignore[list-item]
    assert message in str(caught.value)


def test_non_image_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.png", b"%PDF-1.7 not an image at all")
    with pytest.raises(InputError, match=r"source: .*notes.png is not a JPEG, PNG, WebP or GIF image"):
        build_request(prompt="x", type="image_edit", source=path)


def test_missing_and_empty_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        build_request(prompt="x", type="image_edit", source=tmp_path / "nope.png")
    with pytest.raises(InputError, match="is empty"):
        build_request(prompt="x", type="image_edit", source=write(tmp_path, "empty.png", b""))
    with pytest.raises(InputError, match="is not a file"):
        build_request(prompt="x", type="image_edit", source=tmp_path)


def test_file_over_50_mb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    with path.open("wb") as handle:  # sparse: 50 MB + 1 byte without writing them
        handle.write(b"\x89PNG\r\n\x1a\n")
        handle.truncate(limits().max_image_bytes + 1)
    with pytest.raises(InputError, match=r"source: image exceeds 50 MB limit \(52,428,801 bytes\)"):
        build_request(prompt="x", type="image_edit", source=path)


def test_reference_counts() -> None:
    build_request(prompt="x", image_ref=[URL] * 9)
    with pytest.raises(InputError, match="image supports up to 9 reference images"):
        build_request(prompt="x", image_ref=[URL] * 10)
    build_request(prompt="x", type="image_edit", source=URL, image_ref=[URL] * 8)
    with pytest.raises(InputError, match=r"image_edit supports up to 8 reference images \(source occupies one slot\)"):
        build_request(prompt="x", type="image_edit", source=URL, image_ref=[URL] * 9)
    with pytest.raises(InputError, match="must be a list"):
        build_request(prompt="x", image_ref=URL)


def test_source_rules() -> None:
    with pytest.raises(InputError, match="source is only valid for type 'image_edit'"):
        build_request(prompt="x", source=URL)
    with pytest.raises(InputError, match="source is required for type 'image_edit'"):
        build_request(prompt="x", type="image_edit")


def test_manga_needs_a_portrait_ratio_or_none() -> None:
    assert {r.value for r in portrait_ratios()} == {"2:3", "9:16", "1:2", "1:3"}
    for ratio in AspectRatio:
        if ratio in portrait_ratios():
            build_request(prompt="x", style=Style.MANGA, aspect_ratio=ratio)
        else:
            with pytest.raises(InputError, match=r"requires a portrait aspect_ratio \(1:2, 1:3, 2:3, 9:16\) or none"):
                build_request(prompt="x", style="manga", aspect_ratio=ratio.value)
    build_request(prompt="x", style="manga")


def test_prompt_length_limits() -> None:
    build_request(prompt="x" * limits().prompt_max)
    for prompt in ("", "x" * (limits().prompt_max + 1)):
        with pytest.raises(InputError, match="Prompt must be between 1 and 6000 characters"):
            build_request(prompt=prompt)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("aspect_ratio", "4:3", "Invalid aspect_ratio '4:3'. Valid: 1:1, 1:2, 1:3, 16:9, 2:1, 2:3, 3:1, 3:2, 9:16"),
        ("model", "uni-2", "Unknown model: uni-2"),
        ("type", "video", "Invalid type 'video'"),
        ("style", "anime", "Invalid style 'anime'. Valid: auto, manga"),
        ("output_format", "gif", "Invalid output_format 'gif'. Valid: jpeg, png"),
        ("web_search", "yes", "web_search must be True or False"),
        ("user_id", "u" * 257, "user_id must be a string of at most 256 characters"),
    ],
)
def test_option_values_are_checked(field: str, value: object, message: str) -> None:
    with pytest.raises(InputError) as caught:
        build_request(prompt="x", **{field: value})  # type: ignore[arg-type]
    assert message in str(caught.value)


def test_unset_options_are_left_out() -> None:
    assert build_request(prompt="x").to_dict() == {"prompt": "x"}


def test_refused_input_sends_nothing(client: Luma, request_log: RequestLog) -> None:
    with pytest.raises(InputError):
        client.generations.create(prompt="x", style="manga", aspect_ratio="16:9")
    assert request_log.requests == []


def test_edit_of_a_local_file_is_accepted_by_the_mock(client: Luma, frozen_mock: RunningMock, tmp_path: Path) -> None:
    source = write(tmp_path, "photo.jpg", image_bytes("JPEG", (64, 32)))
    generation = client.generations.create_and_wait(
        prompt="make it winter",
        type="image_edit",
        source=source,
        image_ref=[write(tmp_path, "ref.webp", image_bytes("WEBP"))],
    )
    assert (generation.type_, generation.state) == ("image_edit", "completed")


def test_a_misspelt_option_is_refused_as_python_refuses_unknown_keywords() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'aspect'"):
        build_request(prompt="p", aspect="1:1")  # type: ignore[call-arg]
