"""Building the request: local files are read and sniffed (and refused over the size limit); everything the
server judges (enum values, counts, cross-field rules) is sent as given and answered by the server."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.spec import enum_values, value_not_in
from luma_agents_client import contract
from luma_uni import BadRequestError, ImageRef, InputError, Luma, _inputs
from luma_uni._inputs import build_request
from luma_uni_mock.rule_wording import rule_detail
from luma_uni_mock.serve import RunningMock
from tests.client.helpers import AnyClient, RequestLog, image_bytes

pytestmark = pytest.mark.anyio  # the async tests run once per client kind (conftest: mode)

URL = "https://example.com/photo.jpg"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_every_format_the_spec_accepts_can_be_sniffed() -> None:
    assert {media_type for _, _, media_type in _inputs._MAGIC} == contract.ACCEPTED_MEDIA_TYPES


@pytest.mark.parametrize(
    ("fmt", "media_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("GIF", "image/gif")]
)
def test_local_file_becomes_base64_with_its_sniffed_media_type(tmp_path: Path, fmt: str, media_type: str) -> None:
    data = image_bytes(fmt)
    path = write(tmp_path, "picture.bin", data)  # the extension is irrelevant: the bytes decide
    request = build_request(prompt="edit it", type="image_edit", source=path)
    assert request.to_dict()["source"] == {"data": base64.b64encode(data).decode(), "media_type": media_type}


@pytest.mark.parametrize("url", [URL, "http://example.com/a.png"])
def test_urls_pass_through(url: str) -> None:
    """Which schemes the API fetches is the server's rule: the client sends the URL and reports its answer."""
    assert build_request(prompt="x", image_ref=[url]).to_dict()["image_ref"] == [{"url": url}]


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
    "ref",
    [
        {"url": URL, "data": "AAAA", "media_type": "image/png"},
        {},
        {"data": "AAAA"},
        {"data": "not base64!", "media_type": "image/png"},
        {"data": "AAAA", "media_type": "application/pdf"},
    ],
)
def test_images_given_as_data_are_the_servers_to_judge(ref: dict[str, str]) -> None:
    """Both or neither of url and data, a missing media_type, bad base64, another format: all sent as given."""
    assert build_request(prompt="x", image_ref=[ref]).to_dict()["image_ref"] == [ref]
    assert build_request(prompt="x", image_ref=[ImageRef.from_dict(ref)]).to_dict()["image_ref"] == [ref]


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ({"url": URL, "colour": "red"}, "unknown field 'colour'"),
        (42, "expected a file path"),
        ("data:image/png,AAAA", "a data: URI must look like"),
    ],
)
def test_what_cannot_be_sent_as_an_image_is_refused(ref: object, message: str) -> None:
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


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    with path.open("wb") as handle:  # sparse: one byte over the limit without writing it
        handle.write(b"\x89PNG\r\n\x1a\n")
        handle.truncate(contract.MAX_IMAGE_BYTES + 1)
    limit, size = contract.MAX_IMAGE_BYTES, contract.MAX_IMAGE_BYTES + 1
    expected = rf"source: image exceeds {limit // 2**20} MB limit \({size:,} bytes\)"
    with pytest.raises(InputError, match=expected):
        build_request(prompt="x", type="image_edit", source=path)


def test_image_ref_must_be_a_list() -> None:
    with pytest.raises(InputError, match="must be a list"):
        build_request(prompt="x", image_ref=URL)


def test_rules_only_the_server_can_judge_are_sent() -> None:
    """Counts, source for the type, style against ratio, prompt length: the server's 400 answers them."""
    limit = contract.IMAGE_REF_MAX_ITEMS
    assert len(build_request(prompt="x", image_ref=[URL] * (limit + 1)).to_dict()["image_ref"]) == limit + 1
    assert build_request(prompt="x", source=URL).to_dict()["source"] == {"url": URL}
    assert "source" not in build_request(prompt="x", type=enum_values("GenerationType")[-1]).to_dict()
    assert build_request(prompt="").to_dict() == {"prompt": ""}
    assert build_request(prompt="x" * (contract.PROMPT_MAX_LENGTH + 1)).to_dict()["prompt"]


@pytest.mark.parametrize(
    ("field", "enum"),
    [
        ("type", "GenerationType"),
        ("model", "Model"),
        ("aspect_ratio", "AspectRatio"),
        ("style", "Style"),
        ("output_format", "OutputFormat"),
    ],
)
def test_enum_values_the_client_does_not_know_are_sent_as_given(field: str, enum: str) -> None:
    value = value_not_in(enum)
    sent = build_request(prompt="x", **{field: value})  # type: ignore[arg-type]
    assert sent.to_dict()[field] == value
    member = getattr(sent, "type_" if field == "type" else field)
    assert member.is_known is False


@pytest.mark.parametrize(("field", "value"), [("model", 42), ("aspect_ratio", 1.5)])
def test_an_enum_field_that_is_not_a_string_is_refused(field: str, value: object) -> None:
    with pytest.raises(InputError, match=f"{field} must be a string, not"):
        build_request(prompt="x", **{field: value})  # type: ignore[arg-type]


def test_unset_options_are_left_out() -> None:
    assert build_request(prompt="x").to_dict() == {"prompt": "x"}


async def test_refused_input_sends_nothing(client: AnyClient, request_log: RequestLog, tmp_path: Path) -> None:
    with pytest.raises(InputError):
        await client.generations.create(prompt="x", type="image_edit", source=tmp_path / "missing.png")
    assert request_log.requests == []


async def test_an_unknown_model_reaches_the_server_and_its_400_comes_back_typed(
    client: AnyClient, request_log: RequestLog
) -> None:
    model = value_not_in("Model")
    with pytest.raises(BadRequestError) as caught:
        await client.generations.create(prompt="x", model=model)
    assert len(request_log.requests) == 1
    assert caught.value.status_code == 400
    assert caught.value.detail == rule_detail("unknown_model", value=model)


async def test_edit_of_a_local_file_is_accepted_by_the_mock(
    client: AnyClient, frozen_mock: RunningMock, tmp_path: Path
) -> None:
    source = write(tmp_path, "photo.jpg", image_bytes("JPEG", (64, 32)))
    generation = await client.generations.create_and_wait(
        prompt="make it winter",
        type="image_edit",
        source=source,
        image_ref=[write(tmp_path, "ref.webp", image_bytes("WEBP"))],
    )
    assert (generation.type_, generation.state) == ("image_edit", "completed")


def test_a_misspelt_option_is_refused_as_python_refuses_unknown_keywords() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'aspect'"):
        build_request(prompt="p", aspect="1:1")  # type: ignore[call-arg]


def test_mypy_and_create_refuse_a_misspelt_option_and_a_wrong_type(unreachable_client: Luma) -> None:
    # The options are generated from the spec (contract.CreateRequestFields); mypy --strict still sees each
    # one: `make lint` fails on an unused ignore, so each of these lines is a type error at the call site.
    with pytest.raises(TypeError, match="unexpected keyword argument 'aspect'"):
        unreachable_client.generations.create(prompt="p", aspect="1:1")  # type: ignore[call-arg]
    with pytest.raises(InputError, match="model must be a string, not int"):
        unreachable_client.generations.create(prompt="p", model=3)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="video must be a VideoOptions or a mapping, not list"):
        unreachable_client.generations.create(prompt="p", video=[1])  # type: ignore[arg-type]


@pytest.fixture
def unreachable_client() -> Iterator[Luma]:
    """A client whose requests would fail: the tests using it must be refused before sending."""
    with Luma(api_key="luma-api-unreachable", base_url="http://127.0.0.1:9", max_retries=0) as client:
        yield client


def test_a_video_over_the_size_limit_is_named_a_video(tmp_path: Path) -> None:
    path = tmp_path / "huge.mp4"
    with path.open("wb") as handle:  # sparse, as above: an MP4 header, then one byte over the limit
        handle.write(b"\0\0\0\x18ftypisom")
        handle.truncate(contract.MAX_IMAGE_BYTES + 1)
    with pytest.raises(InputError, match=rf"source: video exceeds {contract.MAX_IMAGE_BYTES // 2**20} MB limit"):
        build_request(prompt="x", type="video_edit", source=path)
