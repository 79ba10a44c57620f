"""Presigned outputs: a fresh URL per GET, a real image shaped by the request, 403 when expired or tampered."""

from __future__ import annotations

import io
import math
import urllib.parse
from typing import Any

import httpx
import pytest
from PIL import Image

from conformance.spec import enum_values
from luma_uni_mock import planning
from luma_uni_mock.render import cards, outputs
from luma_uni_mock.serve import RunningMock
from tests.mock.helpers import create, data_ref, detail, model_for, repo_facts

IMAGE_TYPE = enum_values("GenerationType")[0]


def _completed_url(mock: RunningMock, api: httpx.Client, **body: Any) -> str:
    generation_id = create(api, **body)["id"]
    mock.control.advance(60)
    generation = api.get(f"/generations/{generation_id}").json()
    assert generation["state"] == "completed"
    url: str = generation["output"][0]["url"]
    return url


def _open(raw: httpx.Client, url: str) -> Image.Image:
    response = raw.get(url)
    assert response.status_code == 200, response.text
    image = Image.open(io.BytesIO(response.content))
    image.load()  # decodes fully: a truncated or fake file fails here
    assert response.headers["content-type"] == f"image/{image.format.lower() if image.format else '?'}"
    return image


# The ratios some image model takes (the request schema's per-model items): 4:3 and 3:4 are video ratios only.
IMAGE_RATIOS = [
    ratio
    for ratio in enum_values("AspectRatio")
    if any(ratio in repo_facts().ratios_of(m) and IMAGE_TYPE in repo_facts().types_of(m) for m in enum_values("Model"))
]


def test_a_plan_from_options_alone_is_the_plan_of_the_body() -> None:
    """The POST's memo of plans (planning.plan_from_options, for the types whose plan rests on three options) gives
    what plan_files gives the whole body, every option set or left out, and whatever else the body holds."""
    facts = repo_facts()
    types = planning.types_planned_from_options(facts)
    assert IMAGE_TYPE in types
    for generation_type in types:
        for ratio in [*enum_values("AspectRatio"), None]:
            for output_format in [*facts.output_formats, None]:
                body = {"type": generation_type, "prompt": "p", "model": "m", "video": {"duration": "9s"}}
                body |= {"aspect_ratio": ratio} if ratio else {}
                body |= {"output_format": output_format} if output_format else {}
                expected = planning.plan_files(facts, body, None, None)
                assert planning.plan_from_options(facts, generation_type, ratio, output_format) == expected


@pytest.mark.parametrize("ratio", IMAGE_RATIOS)
def test_the_output_is_a_real_png_shaped_by_the_aspect_ratio(
    luma_mock_frozen: RunningMock, api: httpx.Client, raw: httpx.Client, ratio: str
) -> None:
    body = {"aspect_ratio": ratio, "output_format": "png", "model": model_for(ratio=ratio, kind=IMAGE_TYPE)}
    image = _open(raw, _completed_url(luma_mock_frozen, api, **body))
    assert image.format == "PNG"
    width, height = (int(term) for term in ratio.split(":"))
    assert abs(image.width / image.height - width / height) < 0.02
    assert max(image.size) <= 512  # small


def test_jpeg_when_asked_and_png_when_left_to_the_model(
    luma_mock_frozen: RunningMock, api: httpx.Client, raw: httpx.Client
) -> None:
    assert _open(raw, _completed_url(luma_mock_frozen, api, output_format="jpeg")).format == "JPEG"
    picked = _open(raw, _completed_url(luma_mock_frozen, api))
    assert picked.format == "PNG" and picked.width == picked.height


def test_an_edit_keeps_the_shape_of_its_source(
    luma_mock_frozen: RunningMock, api: httpx.Client, raw: httpx.Client
) -> None:
    url = _completed_url(
        luma_mock_frozen, api, type="image_edit", source=data_ref("PNG", (300, 100)), aspect_ratio="1:3"
    )
    image = _open(raw, url)
    assert abs(image.width / image.height - 3) < 0.05


def test_the_served_image_is_the_card_of_its_request(
    luma_mock_frozen: RunningMock, api: httpx.Client, raw: httpx.Client
) -> None:
    """The file shows the request it answers: its id, type, model, prompt and ratio (see render/cards.py)."""
    prompt = "a red fox in the snow, watercolour"
    url = _completed_url(luma_mock_frozen, api, prompt=prompt, aspect_ratio="3:2", output_format="jpeg")
    generation_id = urllib.parse.urlsplit(url).path.split("/")[3]
    generation = api.get(f"/generations/{generation_id}").json()
    card = cards.Card(generation_id, generation["type"], generation["model"], prompt)
    (file,) = outputs.image_file(cards.shape_of_ratio("3:2"), "jpeg")
    assert raw.get(url).content == outputs.render(file, card)[1]


def test_two_prompts_and_an_edit_give_different_images(
    luma_mock_frozen: RunningMock, api: httpx.Client, raw: httpx.Client
) -> None:
    first = raw.get(_completed_url(luma_mock_frozen, api, prompt="a red fox")).content
    second = raw.get(_completed_url(luma_mock_frozen, api, prompt="a blue whale")).content
    edit_url = _completed_url(luma_mock_frozen, api, prompt="a red fox", type="image_edit", source=data_ref())
    edit = raw.get(edit_url).content
    assert len({first, second, edit}) == 3


def test_every_get_mints_a_fresh_url_valid_for_an_hour(
    luma_mock_frozen: RunningMock, api: httpx.Client, raw: httpx.Client
) -> None:
    # The frozen clock stands still between the GET and now(), so the expiry is exact.
    generation_id = create(api)["id"]
    luma_mock_frozen.control.advance(60)
    first = api.get(f"/generations/{generation_id}").json()["output"][0]["url"]
    luma_mock_frozen.control.advance(1800)
    second = api.get(f"/generations/{generation_id}").json()["output"][0]["url"]
    assert first != second
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(second).query))
    assert query["X-Amz-Expires"] == "3600"
    assert int(query["expires"]) == math.floor(luma_mock_frozen.control.now()) + 3600
    assert raw.get(first).status_code == 200
    luma_mock_frozen.control.advance(1799)  # the last second of first's hour
    assert raw.get(first).status_code == 200
    luma_mock_frozen.control.advance(2)  # first is now past its hour, second is not
    response = raw.get(first)
    assert response.status_code == 403
    assert detail(response) == "Request has expired"
    assert raw.get(second).status_code == 200
    # Re-polling after expiry works and mints a new, working URL.
    third = api.get(f"/generations/{generation_id}").json()["output"][0]["url"]
    assert raw.get(third).status_code == 200


def test_the_url_points_at_the_host_the_client_used(luma_mock_frozen: RunningMock, api: httpx.Client) -> None:
    url = _completed_url(luma_mock_frozen, api)
    assert url.startswith(f"{luma_mock_frozen.root_url}/_mock/files/")


def _tamper(url: str, what: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query))
    path = parts.path
    if what == "signature":
        query["signature"] = ("0" if query["signature"][0] != "0" else "1") + query["signature"][1:]
    elif what == "expires":
        query["expires"] = str(int(query["expires"]) + 86_400)
    elif what == "missing signature":
        del query["signature"]
    elif what == "garbage expires":
        query["expires"] = "soon"
    elif what == "format":
        path = path.replace("output.png", "output.jpeg")
    return urllib.parse.urlunsplit(parts._replace(path=path, query=urllib.parse.urlencode(query)))


@pytest.mark.parametrize("what", ["signature", "expires", "missing signature", "garbage expires", "format"])
def test_a_tampered_url_gets_403(
    luma_mock_frozen: RunningMock, api: httpx.Client, raw: httpx.Client, what: str
) -> None:
    url = _completed_url(luma_mock_frozen, api)
    response = raw.get(_tamper(url, what))
    assert response.status_code == 403
    assert detail(response) == "The request signature we calculated does not match the signature you provided"


def test_another_generations_id_in_a_signed_url_gets_403(
    luma_mock_frozen: RunningMock, api: httpx.Client, raw: httpx.Client
) -> None:
    first, second = _completed_url(luma_mock_frozen, api), _completed_url(luma_mock_frozen, api)
    first_id = urllib.parse.urlsplit(first).path.split("/")[3]
    second_id = urllib.parse.urlsplit(second).path.split("/")[3]
    assert raw.get(first.replace(first_id, second_id)).status_code == 403


def test_failed_and_unfinished_generations_have_no_outputs(luma_mock_frozen: RunningMock, api: httpx.Client) -> None:
    pending = create(api)["id"]
    assert api.get(f"/generations/{pending}").json()["output"] == []
    failed = api.post("/generations", json={"prompt": "x"}, headers={"X-Mock-Failure": "generation_failed"}).json()[
        "id"
    ]
    luma_mock_frozen.control.advance(60)
    assert api.get(f"/generations/{failed}").json()["output"] == []


def test_a_signed_url_of_a_forgotten_generation_gets_404(
    luma_mock_frozen: RunningMock, api: httpx.Client, raw: httpx.Client
) -> None:
    url = _completed_url(luma_mock_frozen, api)
    luma_mock_frozen.control.reset()
    assert raw.get(url).status_code == 404


def test_a_signed_url_for_a_file_the_generation_does_not_have_gets_404(
    luma_mock_frozen: RunningMock, api: httpx.Client, raw: httpx.Client
) -> None:
    url = _completed_url(luma_mock_frozen, api, output_format="png")
    generation_id = urllib.parse.urlsplit(url).path.split("/")[3]
    signer, now = luma_mock_frozen.app.state.signer, luma_mock_frozen.control.now()
    for name in ("output.jpeg", "output.mp4", "layer-0.png"):
        assert raw.get(signer.sign(luma_mock_frozen.root_url, generation_id, name, now)).status_code == 404
    assert raw.get(signer.sign(luma_mock_frozen.root_url, generation_id, "output.png", now)).status_code == 200
