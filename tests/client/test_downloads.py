"""Downloads: every output to a whole file named by id and content type; expired URLs refreshed; no partial files."""

from __future__ import annotations

from pathlib import Path

import pytest

from luma_agents_client.models import GenerationType
from luma_uni import APIConnectionError, InputError, MalformedResponseError, PermissionDeniedError
from luma_uni._downloads import PartialFile, extension_for, slug
from luma_uni_mock.serve import RunningMock
from tests.client.helpers import AnyClient, RequestLog, image_bytes, model_for

pytestmark = pytest.mark.anyio  # the async tests run once per client kind (conftest: mode)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


async def test_output_saved_with_the_extension_of_its_content_type(client: AnyClient, tmp_path: Path) -> None:
    png = await client.generations.create_and_wait(prompt="a lighthouse", output_format="png")
    jpeg = await client.generations.create_and_wait(prompt="a lighthouse", output_format="jpeg")
    [png_path] = await client.generations.download(png, tmp_path / "new" / "dir")
    [jpeg_path] = await client.generations.download(jpeg.id, tmp_path)
    assert png_path == tmp_path / "new" / "dir" / f"{png.id}.png"
    assert png_path.read_bytes().startswith(PNG_MAGIC)
    assert jpeg_path == tmp_path / f"{jpeg.id}.jpg"
    assert jpeg_path.read_bytes().startswith(JPEG_MAGIC)


async def test_expired_url_is_refreshed_once(
    client: AnyClient, frozen_mock: RunningMock, request_log: RequestLog, tmp_path: Path
) -> None:

    generation = await client.generations.create_and_wait(prompt="a lighthouse")
    frozen_mock.control.advance(2 * 3600)  # presigned URLs live one hour
    gets_before = request_log.count("GET")
    [path] = await client.generations.download(generation, tmp_path)  # the old Generation's URL is now refused
    assert path.read_bytes().startswith(PNG_MAGIC)
    assert request_log.count("GET") == gets_before + 1  # one fresh GET of the generation
    assert request_log.count("GET", "/_mock/files/") == 2  # the refused URL, then the fresh one


async def test_refused_again_after_refresh_raises_permission_denied(
    client: AnyClient, frozen_mock: RunningMock, tmp_path: Path
) -> None:
    generation = await client.generations.create_and_wait(prompt="a lighthouse")
    frozen_mock.control.add_fault(method="GET", path_contains="/_mock/files/", status=403, times=2)
    with pytest.raises(PermissionDeniedError):
        await client.generations.download(generation, tmp_path)
    assert list(tmp_path.iterdir()) == []


async def test_download_request_does_not_carry_the_api_key(
    client: AnyClient, frozen_mock: RunningMock, request_log: RequestLog, tmp_path: Path
) -> None:
    generation = await client.generations.create_and_wait(prompt="a lighthouse")
    await client.generations.download(generation, tmp_path)
    [file_request] = [r for r in request_log.requests if "/_mock/files/" in r.url.path]
    assert "authorization" not in file_request.headers
    assert frozen_mock.api_key not in str(file_request.headers)


async def test_dropped_download_leaves_no_partial_file(
    client: AnyClient, frozen_mock: RunningMock, request_log: RequestLog, tmp_path: Path
) -> None:
    generation = await client.generations.create_and_wait(prompt="a lighthouse")
    frozen_mock.control.add_fault(method="GET", path_contains="/_mock/files/", drop=True, times=3)
    with pytest.raises(APIConnectionError):
        await client.generations.download(generation, tmp_path)
    assert request_log.count("GET", "/_mock/files/") == 3  # a download is a GET: retried
    assert list(tmp_path.iterdir()) == []


async def test_interrupted_write_leaves_no_partial_file(
    client: AnyClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    generation = await client.generations.create_and_wait(prompt="a lighthouse")

    real_write = PartialFile.write

    def write_then_interrupt(self: PartialFile, chunk: bytes) -> None:
        real_write(self, chunk[:10])
        raise KeyboardInterrupt  # Ctrl-C in the middle of a download

    monkeypatch.setattr(PartialFile, "write", write_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        await client.generations.download(generation, tmp_path)
    assert list(tmp_path.iterdir()) == []


async def test_download_of_an_unfinished_generation_is_refused(client: AnyClient, tmp_path: Path) -> None:
    generation = await client.generations.create(prompt="a lighthouse")
    with pytest.raises(InputError, match="still queued"):
        await client.generations.download(generation, tmp_path)


async def test_every_layer_of_a_layering_gets_a_fresh_url_after_expiry(
    client: AnyClient, frozen_mock: RunningMock, tmp_path: Path
) -> None:
    source = tmp_path / "photo.png"
    source.write_bytes(image_bytes())
    kind = GenerationType.LAYERING
    generation = await client.generations.create_and_wait(prompt="", type=kind, model=model_for(kind), source=source)
    frozen_mock.control.advance(2 * 3600)  # presigned URLs live one hour
    paths = await client.generations.download(generation, tmp_path / "out")
    assert isinstance(generation.output, list) and len(paths) == len(generation.output) >= 2
    assert all(path.read_bytes().startswith(PNG_MAGIC) for path in paths)


@pytest.mark.parametrize(
    ("label", "expected"),
    [("Sky", "sky"), ("Sky / Clouds", "sky-clouds"), ("Façade", "facade"), ("../..", "layer"), ("天空", "layer")],
)
def test_layer_labels_become_safe_file_name_parts(label: str, expected: str) -> None:
    assert slug(label) == expected
    assert len(slug("x" * 500)) <= 40


@pytest.mark.parametrize(
    ("content_type", "url", "extension"),
    [
        ("video/mp4", "https://cdn/x", ".mp4"),
        ("image/png; charset=binary", "https://cdn/x", ".png"),
        ("application/octet-stream", "https://cdn/out/video.mp4?sig=1", ".mp4"),
        (None, "https://cdn/out/layer.png", ".png"),
    ],
)
def test_extension_from_content_type_else_url_path(content_type: str | None, url: str, extension: str) -> None:
    assert extension_for(content_type, url) == extension


def test_an_output_that_is_neither_image_nor_video_is_malformed() -> None:
    with pytest.raises(MalformedResponseError, match="not an image or a video"):
        extension_for("text/html", "https://cdn/out/page.mp4")
