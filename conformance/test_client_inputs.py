"""Part 4: what the client makes of its inputs on the wire (the module docstring of ``luma_uni._inputs``): local
videos as their bytes with the media type their container says, http(s) URLs and official-SDK mappings as given,
the ``video`` options as a mapping of their wire fields; what it refuses before sending; and in the asyncio form,
local files read off the event loop."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from conformance.client_under_test import recorded, spend_one_post
from conformance.error_cases import FACTS, PROMPT, URL, VIDEO_EDIT, VIDEO_MODEL, DocumentedError
from conformance.media_samples import VIDEO_CONTAINERS, video_bytes
from conformance.report import PARTS, STATS
from conformance.schemathesis_setup import PaidPostBudget
from conformance.spec import load_spec
from conformance.targets import Target
from conformance.test_client_e2e import DOCUMENTED
from luma_agents_client import contract
from luma_uni import AsyncLuma, InputError, errors

PART = PARTS["test_client_e2e"]


def _request_example(name: str) -> dict[str, Any]:
    examples = load_spec()["paths"]["/generations"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    value: dict[str, Any] = examples[name]["value"]
    return value


def _body(request: httpx.Request) -> Any:
    return json.loads(request.content)


def write_video(path: Path, media_type: str) -> Path:
    """A short, real video in the container ``media_type`` names."""
    path.write_bytes(video_bytes(media_type))
    return path


def test_every_accepted_video_container_has_a_writer() -> None:
    assert sorted(VIDEO_CONTAINERS) == sorted(FACTS.video_media_types)


@pytest.mark.parametrize("media_type", sorted(FACTS.video_media_types))
def test_a_local_video_goes_as_its_bytes_and_container_type(
    http_target: Target, media_type: str, tmp_path: Path, paid_posts: PaidPostBudget
) -> None:
    spend_one_post(paid_posts)
    video = write_video(tmp_path / f"clip.{VIDEO_CONTAINERS[media_type][0]}", media_type)
    with recorded(http_target) as (luma, _, sent):
        try:
            luma.generations.create(prompt=PROMPT, type=VIDEO_EDIT, model=VIDEO_MODEL, source=video)
        except errors.APIStatusError as error:  # said after what was sent: the wire shows why
            pytest.fail(f"{media_type}: {error} for {str(_body(sent[-1])['source'])[:80]}")
    STATS.case(PART)
    source = _body(sent[-1])["source"]
    assert source["media_type"] == media_type, f"a {media_type} file went as {source['media_type']}"
    assert base64.b64decode(source["data"]) == video.read_bytes()
    STATS.check("client_inputs", True)


def test_a_local_video_over_the_limit_is_refused_as_the_api_words_it(http_target: Target, tmp_path: Path) -> None:
    """Refused before sending, with the detail the spec documents for a video source over the limit."""
    documented: DocumentedError = DOCUMENTED["PayloadTooLarge.video_too_large"]
    video = write_video(tmp_path / "clip.mp4", "video/mp4")
    with video.open("r+b") as file:
        file.truncate(contract.MAX_IMAGE_BYTES + 1)  # sparse: no disk is written
    with recorded(http_target) as (luma, _, sent), pytest.raises(InputError) as caught:
        luma.generations.create(prompt=PROMPT, type=VIDEO_EDIT, model=VIDEO_MODEL, source=video)
    STATS.case(PART)
    assert sent == [] and documented.detail in str(caught.value), f"{caught.value} (documented: {documented.detail})"
    STATS.check("client_inputs", True)


@pytest.mark.parametrize("content", [b"", b"<html>not an image</html>"], ids=["empty", "html"])
def test_a_local_file_no_format_fits_is_refused_naming_it(http_target: Target, tmp_path: Path, content: bytes) -> None:
    """A local file that is empty or of no accepted format never leaves: an InputError naming the input and the
    file (the API's own refusal could name neither the file nor where it is)."""
    file = tmp_path / "notes.png"
    file.write_bytes(content)
    with recorded(http_target) as (luma, _, sent), pytest.raises(InputError) as caught:
        luma.generations.create(prompt=PROMPT, type="image_edit", source=file)
    STATS.case(PART)
    assert sent == [] and str(caught.value).startswith(f"source: {file} "), caught.value
    STATS.check("client_inputs", True)


def test_urls_and_mappings_go_as_given(http_target: Target, paid_posts: PaidPostBudget) -> None:
    """An http or https URL goes as ``url`` (the API fetches it, and judges its scheme); an official-SDK mapping as
    its fields."""
    spend_one_post(paid_posts)
    plain_http = "http" + URL.removeprefix("https")
    # The URLs are the server's to judge (their scheme, whether it can fetch them): the wire is the client's.
    with recorded(http_target) as (luma, _, sent), contextlib.suppress(errors.APIStatusError):
        luma.generations.create(prompt=PROMPT, image_ref=[plain_http, {"url": URL}, URL])
    STATS.case(PART)
    assert _body(sent[-1])["image_ref"] == [{"url": plain_http}, {"url": URL}, {"url": URL}]
    STATS.check("client_inputs", True)


def test_video_options_as_a_mapping_go_as_their_wire_fields(http_target: Target, paid_posts: PaidPostBudget) -> None:
    """The spec's own video example, its ``video`` given as a plain mapping, is sent as given; a key the options do
    not have is refused before sending, naming where it is."""
    spend_one_post(paid_posts)
    example = _request_example("video")
    with recorded(http_target) as (luma, _, sent):
        luma.generations.create(**example)
        sent_body = _body(sent[-1])
        with pytest.raises(InputError) as caught:
            luma.generations.create(**{**example, "video": {**example["video"], "frame_rate": 24}})
    STATS.case(PART)
    assert sent_body == example, sent_body
    assert len(sent) == 1 and "video.frame_rate" in str(caught.value), caught.value
    STATS.check("client_inputs", True)


def test_a_prompt_that_cannot_be_encoded_is_refused_naming_it(http_target: Target) -> None:
    with recorded(http_target) as (luma, _, sent), pytest.raises(InputError) as caught:
        luma.generations.create(prompt="A lighthouse \udcff at dusk")  # a lone surrogate, as os.fsdecode makes
    STATS.case(PART)
    assert sent == [] and str(caught.value).startswith("prompt:"), caught.value
    STATS.check("client_inputs", True)


class _Opens:
    """The threads that opened one file, seen through an audit hook (``sys.addaudithook``: no patching)."""

    watched: tuple[str, list[int]] | None = None

    @classmethod
    def hook(cls, event: str, args: tuple[Any, ...]) -> None:
        watched = cls.watched
        if event == "open" and watched is not None and args and str(args[0]) == watched[0]:
            watched[1].append(threading.get_ident())


sys.addaudithook(_Opens.hook)


def test_the_async_client_reads_a_local_file_off_the_event_loop(
    http_target: Target, tmp_path: Path, paid_posts: PaidPostBudget
) -> None:
    """AsyncLuma reads a local input (given as a plain path string) in a worker thread, so a large file never
    blocks the event loop, and sends its bytes."""
    spend_one_post(paid_posts)
    image = tmp_path / "image.png"
    Image.new("RGB", (96, 64), (200, 80, 40)).save(image, "PNG")
    sent: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request)

    async def create() -> int:
        async with httpx.AsyncClient(event_hooks={"request": [record]}) as http:
            luma = AsyncLuma(api_key=http_target.api_key, base_url=http_target.base_url, http_client=http)
            await luma.generations.create(prompt=PROMPT, type="image_edit", source=str(image))
        return threading.get_ident()

    openers: list[int] = []
    _Opens.watched = (str(image), openers)
    try:
        loop_thread = asyncio.run(create())
    finally:
        _Opens.watched = None
    STATS.case(PART)
    assert openers and loop_thread not in openers, "the file was read on the event loop's thread"
    assert base64.b64decode(_body(sent[-1])["source"]["data"]) == image.read_bytes()
    STATS.check("client_inputs", True)
