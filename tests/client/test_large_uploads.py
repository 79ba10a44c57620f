"""A large request body (a local file sent inline) leaves the blocking client in slices: httpcore's blocking writer
copies what is left of a body after every send(), so a whole 67 MB body costs quadratic copying (_requests.py)."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
from PIL import Image

from luma_uni import Luma
from luma_uni._requests import UPLOAD_SLICE_BYTES
from luma_uni_mock.serve import RunningMock


class NotedPieces(httpx.SyncByteStream):
    """A request body passed on as it is, the size of each piece noted."""

    def __init__(self, stream: httpx.SyncByteStream, pieces: list[int]) -> None:
        self._stream, self._pieces = stream, pieces

    def __iter__(self) -> Iterator[bytes]:
        for piece in self._stream:
            self._pieces.append(len(piece))
            yield piece


class SliceRecorder(httpx.HTTPTransport):
    """The real transport, noting the size of each piece of body it is handed and the body's headers."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[int] = []
        self.headers: list[httpx.Headers] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        self.headers.append(request.headers)
        request.stream = NotedPieces(request.stream, self.pieces)
        return super().handle_request(request)


def noisy_png(tmp_path: Path, side: int) -> Path:
    """A PNG of random pixels: it does not compress, so it is about 3 x side^2 bytes."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(3 * side * side)).save(buffer, format="PNG")
    path = tmp_path / "noise.png"
    path.write_bytes(buffer.getvalue())
    return path


def create_through(recorder: SliceRecorder, mock: RunningMock, source: Path) -> str:
    with (
        httpx.Client(transport=recorder) as http,
        Luma(api_key=mock.api_key, base_url=mock.base_url, http_client=http) as luma,
    ):
        return str(luma.generations.create(prompt="make it winter", type="image_edit", source=source).state)


def test_a_large_body_goes_in_slices_and_arrives_whole(frozen_mock: RunningMock, tmp_path: Path) -> None:
    recorder = SliceRecorder()
    source = noisy_png(tmp_path, 1024)
    # Created: the mock read the whole body as JSON, decoded the base64 and the PNG in it.
    assert create_through(recorder, frozen_mock, source) == "queued"
    (headers,) = recorder.headers
    expected = len(json.dumps({"data": "x" * (4 * -(-source.stat().st_size // 3))}))
    assert int(headers["Content-Length"]) > expected > 3 * UPLOAD_SLICE_BYTES
    assert "Transfer-Encoding" not in headers  # the same framing as a whole body
    assert sum(recorder.pieces) == int(headers["Content-Length"])
    assert max(recorder.pieces) == UPLOAD_SLICE_BYTES and len(recorder.pieces) > 3


def test_a_small_body_goes_whole(frozen_mock: RunningMock, tmp_path: Path) -> None:
    recorder = SliceRecorder()
    assert create_through(recorder, frozen_mock, noisy_png(tmp_path, 64)) == "queued"
    (headers,) = recorder.headers
    assert recorder.pieces == [int(headers["Content-Length"])]
