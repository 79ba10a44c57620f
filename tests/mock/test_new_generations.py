"""Video and layering generations on the mock: the lifecycle, real files (MP4 opened by PyAV, RGBA PNGs by
Pillow), generation_id chaining within the caller's API client, failures on demand, and per-client visibility."""

from __future__ import annotations

import io
import uuid
from typing import Any

import av
import httpx
import pytest
from PIL import Image

from conformance.spec import enum_values
from luma_uni_mock import MockConfig, faults, rule_wording
from luma_uni_mock.rule_wording import rule_detail
from luma_uni_mock.serve import RunningMock
from tests.mock.helpers import client, create, data_ref, detail, model_for
from tests.mock.test_video_rules import FACTS, IMAGE, LAYERING, REFRAME, VIDEO, VIDEO_EDIT, VIDEO_MODEL, video

DONE = 60  # mock seconds after which every generation of the default timing is over
EDIT = rule_wording.EDIT_TYPE


def _get(api: httpx.Client, generation_id: str) -> dict[str, Any]:
    response = api.get(f"/generations/{generation_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _completed(mock: RunningMock, api: httpx.Client, **body: Any) -> dict[str, Any]:
    generation_id = create(api, **body)["id"]
    mock.control.advance(DONE)
    done = _get(api, generation_id)
    assert done["state"] == "completed", done
    return done


def _fetch(raw: httpx.Client, url: str, content_type: str) -> bytes:
    response = raw.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == content_type
    return response.content


def _video_facts(data: bytes) -> tuple[float, int, int]:
    """Duration in seconds, width and height of an MP4, as a real decoder reads them."""
    with av.open(io.BytesIO(data), mode="r") as container:
        stream = container.streams.video[0]
        frames = len(list(container.decode(stream)))
        assert frames > 0
        assert container.duration is not None
        return container.duration / av.time_base, stream.width, stream.height


# Video ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("duration", enum_values("VideoDuration"))
def test_a_video_goes_through_the_lifecycle_and_serves_an_mp4_of_its_duration(
    luma_mock_frozen: RunningMock, api: httpx.Client, raw: httpx.Client, duration: str
) -> None:
    ratio = FACTS.ratios_of(VIDEO_MODEL)[0]
    created = create(api, **video(duration=duration), aspect_ratio=ratio)
    assert (created["state"], created["type"], created["model"]) == ("queued", VIDEO, VIDEO_MODEL)
    luma_mock_frozen.control.advance(3)
    assert _get(api, created["id"])["state"] == "processing"
    luma_mock_frozen.control.advance(DONE)
    done = _get(api, created["id"])
    assert done["state"] == "completed"
    (output,) = done["output"]
    assert output["type"] == "video" and "layer" not in output
    seconds, width, height = _video_facts(_fetch(raw, output["url"], "video/mp4"))
    assert abs(seconds - int(duration.removesuffix("s"))) < 0.5
    w, h = (int(term) for term in ratio.split(":"))
    assert abs(width / height - w / h) < 0.05


def test_a_video_edit_chained_by_generation_id_keeps_its_sources_duration_and_shape(
    luma_mock_frozen: RunningMock, api: httpx.Client, raw: httpx.Client
) -> None:
    long = enum_values("VideoDuration")[-1]
    ratio = FACTS.ratios_of(VIDEO_MODEL)[0]
    source = _completed(luma_mock_frozen, api, **video(duration=long), aspect_ratio=ratio)
    edit = _completed(
        luma_mock_frozen,
        api,
        **{**video(VIDEO_EDIT), "source": {"generation_id": source["id"]}},
        prompt="make it winter",
    )
    before = _video_facts(_fetch(raw, source["output"][0]["url"], "video/mp4"))
    after = _video_facts(_fetch(raw, edit["output"][0]["url"], "video/mp4"))
    assert abs(after[0] - before[0]) < 0.5
    assert after[1:] == before[1:]


def test_a_reframe_and_an_extension_chain_off_a_video(luma_mock_frozen: RunningMock, api: httpx.Client) -> None:
    source = _completed(luma_mock_frozen, api, **video())
    _completed(luma_mock_frozen, api, **{**video(REFRAME), "source": {"generation_id": source["id"]}})
    _completed(luma_mock_frozen, api, **video(start_frame={"generation_id": source["id"]}))


# Layering ---------------------------------------------------------------------------------------------------------


def test_a_layering_serves_rgba_pngs_front_to_back_the_last_opaque(
    luma_mock_frozen: RunningMock, api: httpx.Client, raw: httpx.Client
) -> None:
    done = _completed(
        luma_mock_frozen, api, type=LAYERING, prompt="", source=data_ref(size=(40, 20)), layering={"resolution": "2k"}
    )
    assert done["type"] == LAYERING and len(done["output"]) > 1
    layers = [output["layer"] for output in done["output"]]
    assert [layer["index"] for layer in layers] == list(range(len(layers)))
    assert all(output["type"] == "image" for output in done["output"])
    assert all(layer["label"] and layer["description"] and layer["alpha_hint"] for layer in layers)
    images = []
    for output in done["output"]:
        image = Image.open(io.BytesIO(_fetch(raw, output["url"], "image/png")))
        image.load()
        assert (image.format, image.mode) == ("PNG", "RGBA")
        assert abs(image.width / image.height - 2) < 0.05  # the source's shape
        images.append(image)
    *front, background = images
    assert background.getchannel("A").getextrema() == (255, 255)
    assert all(_min_alpha(image) < 255 for image in front)
    assert layers[-1]["alpha_hint"] == "none"


def test_a_layering_of_a_prior_image_keeps_its_shape(
    luma_mock_frozen: RunningMock, api: httpx.Client, raw: httpx.Client
) -> None:
    ratio = FACTS.ratios_of(FACTS.default_model)[0]
    image = _completed(luma_mock_frozen, api, aspect_ratio=ratio)
    done = _completed(luma_mock_frozen, api, type=LAYERING, prompt="", source={"generation_id": image["id"]})
    first = Image.open(io.BytesIO(_fetch(raw, done["output"][0]["url"], "image/png")))
    w, h = (int(term) for term in ratio.split(":"))
    assert abs(first.width / first.height - w / h) < 0.05


def _min_alpha(image: Image.Image) -> int:
    low, _high = image.getchannel("A").getextrema()
    assert isinstance(low, int)
    return low


# Chaining ---------------------------------------------------------------------------------------------------------


def test_an_image_edit_chains_off_the_clients_image_from_any_of_its_keys(
    luma_mock_frozen: RunningMock, api: httpx.Client
) -> None:
    image = _completed(luma_mock_frozen, api)
    with client(luma_mock_frozen, key=f"{luma_mock_frozen.api_key}.laptop") as sibling:
        assert _get(sibling, image["id"])["state"] == "completed"
        create(sibling, type=EDIT, source={"generation_id": image["id"].upper()})


def test_another_clients_generation_is_not_found(luma_mock_frozen: RunningMock, api: httpx.Client) -> None:
    image = _completed(luma_mock_frozen, api)
    with client(luma_mock_frozen, key=f"luma-api-{uuid.uuid4().hex}.{luma_mock_frozen.api_key}") as other:
        assert other.get(f"/generations/{image['id']}").status_code == 404
        response = other.post(
            "/generations", json={"prompt": "x", "type": EDIT, "source": {"generation_id": image["id"]}}
        )
        assert response.status_code == 400
        assert detail(response) == rule_detail("generation_not_found", path="source")


def test_a_generation_not_yet_completed_cannot_be_chained(luma_mock_frozen: RunningMock, api: httpx.Client) -> None:
    running = create(api)["id"]
    response = api.post("/generations", json={"prompt": "x", "type": EDIT, "source": {"generation_id": running}})
    assert response.status_code == 400
    assert detail(response) == rule_detail("generation_not_completed", path="source", id=running)
    failed = create(api, prompt="[mock:failure=generation_failed]")["id"]
    luma_mock_frozen.control.advance(DONE)
    response = api.post("/generations", json={"prompt": "x", "type": EDIT, "source": {"generation_id": failed}})
    assert detail(response) == rule_detail("generation_not_completed", path="source", id=failed)


WRONG_KINDS = [
    ({}, video(VIDEO_EDIT), "source", "video"),  # an image is no video to edit
    ({}, video(start_frame=None), "video.start_frame", "video"),  # nor one to extend
    (video(), {"type": EDIT}, "source", "image"),  # a video is no image
    ({"type": LAYERING, "source": data_ref()}, {"type": EDIT}, "source", "image"),  # nor are several layers
    (video(), {"image_ref": []}, "image_ref[0]", "image"),
]


@pytest.mark.parametrize("case", WRONG_KINDS)
def test_a_generation_of_the_wrong_kind_cannot_be_chained(
    luma_mock_frozen: RunningMock, api: httpx.Client, case: tuple[dict[str, Any], dict[str, Any], str, str]
) -> None:
    made, then, path, kind = case
    prior = _completed(luma_mock_frozen, api, **made)["id"]
    ref = {"generation_id": prior}
    body: dict[str, Any] = {"prompt": "x", **then}
    if path == "source":
        body["source"] = ref
    elif path == "video.start_frame":
        body["video"] = {"start_frame": ref}
    else:
        body["image_ref"] = [ref]
    response = api.post("/generations", json=body)
    assert response.status_code == 400, response.text
    assert detail(response) == rule_detail("generation_wrong_kind", path=path, id=prior, kind=kind)


# Failures on demand -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        video(),
        {"type": LAYERING, "prompt": "", "source": data_ref()},
        {**video(VIDEO_EDIT), "source": {"url": "https://v.example/a.mp4", "media_type": "video/mp4"}},
    ],
)
def test_failures_on_demand_work_for_videos_and_layerings(
    luma_mock_frozen: RunningMock, api: httpx.Client, body: dict[str, Any]
) -> None:
    code = enum_values("FailureCode")[0]
    body = {"prompt": "x", **body}
    generation_id = api.post("/generations", json=body, headers={"X-Mock-Failure": code}).json()["id"]
    marked = create(api, **{**body, "prompt": f"[mock:failure={code}]"})["id"]
    luma_mock_frozen.control.advance(DONE)
    for failed in (_get(api, generation_id), _get(api, marked)):
        assert (failed["state"], failed["failure_code"], failed["output"]) == ("failed", code, [])


def test_model_for_picks_a_model_of_the_type() -> None:
    assert IMAGE in FACTS.types_of(model_for(kind=IMAGE))


def test_permissive_mode_takes_a_file_id_and_values_a_newer_server_knows(luma_mock_factory: Any) -> None:
    """What the SDK's types allow passes in permissive mode, and is served as the server's defaults would be."""
    mock: RunningMock = luma_mock_factory(MockConfig(permissive=True, time_scale=0))
    with client(mock) as api:
        edit = create(
            api, **{**video(VIDEO_EDIT), "source": {"file_id": str(uuid.uuid4())}, "video": {"duration": "15s"}}
        )
        layering = create(api, type=LAYERING, source={"file_id": str(uuid.uuid4())}, layering={"resolution": "8k"})
        mock.control.advance(DONE)
        assert _get(api, edit["id"])["output"][0]["type"] == "video"
        assert len(_get(api, layering["id"])["output"]) > 1


def test_faults_and_rate_limits_apply_to_videos_and_layerings(luma_mock_factory: Any) -> None:
    mock: RunningMock = luma_mock_factory(MockConfig(rpm=2, time_scale=0))
    layering = {"prompt": "", "type": LAYERING, "source": data_ref()}
    with client(mock) as api:
        faulted = api.post("/generations", json={"prompt": "x", **video()}, headers={faults.HEADER_STATUS: "503"})
        assert faulted.status_code == 503  # and nothing was created or counted
        assert api.post("/generations", json={"prompt": "x", **video()}).headers["x-ratelimit-remaining"] == "1"
        assert api.post("/generations", json=layering).headers["x-ratelimit-remaining"] == "0"
        refused = api.post("/generations", json=layering)
        assert (refused.status_code, detail(refused)) == (429, "Rate limit exceeded")
