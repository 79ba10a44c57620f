"""The rules of luma_uni_checks.files and .clients on observations made by hand: each holds for what the spec
promises and fires for the one-case slip a server would really make."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from luma_uni_checks import clients, files
from luma_uni_checks.files import Expected, ServedFile

PNG_16_9 = ServedFile("image/png", "png", 256, 144, mode="RGB")
IMAGE = {"type": "image", "url": "u"}
VIDEO = {"type": "video", "url": "u"}
MP4_10S = ServedFile("video/mp4", "mp4", 144, 256, seconds=10.0)


def rules_of(findings: Any) -> list[str]:
    return [finding.rule for finding in findings]


def test_an_image_in_its_format_and_ratio_passes_and_each_slip_is_named() -> None:
    expected = Expected(image_format="png", ratio=(16, 9), seconds=None)
    assert rules_of(files.check_file(IMAGE, PNG_16_9, expected, "t")) == []
    jpeg = replace(PNG_16_9, container="jpeg", content_type="image/jpeg")
    assert rules_of(files.check_file(IMAGE, jpeg, expected, "t")) == ["served_file"]
    square = replace(PNG_16_9, height=256)
    assert rules_of(files.check_file(IMAGE, square, expected, "t")) == ["served_file_shape"]


def test_a_video_is_an_mp4_of_its_duration_and_ratio() -> None:
    expected = Expected(image_format=None, ratio=(9, 16), seconds=10.0)
    assert rules_of(files.check_file(VIDEO, MP4_10S, expected, "t")) == []
    assert rules_of(files.check_file(VIDEO, replace(MP4_10S, seconds=1.0), expected, "t")) == ["served_file_duration"]
    assert rules_of(files.check_file(VIDEO, replace(MP4_10S, container="webm"), expected, "t")) == ["served_file"]
    landscape = replace(MP4_10S, width=256, height=144)
    assert rules_of(files.check_file(VIDEO, landscape, expected, "t")) == ["served_file_shape"]


def _layer(index: int, hint: str) -> dict[str, Any]:
    return {
        "type": "image",
        "url": "u",
        "layer": {"index": index, "label": "l", "description": "d", "alpha_hint": hint},
    }


LAYERS = [_layer(0, "soft"), _layer(1, "hard"), _layer(2, "none")]
SOFT = ServedFile("image/png", "png", 200, 300, mode="RGBA", alpha_min=0, partial_alpha=True)
HARD = replace(SOFT, partial_alpha=False)
OPAQUE = replace(SOFT, alpha_min=255, partial_alpha=False)


def test_layers_front_to_back_with_their_alpha_pass() -> None:
    assert rules_of(files.check_layers(LAYERS, [SOFT, HARD, OPAQUE], "t")) == []


def test_layers_served_back_to_front_are_named() -> None:
    found = rules_of(files.check_layers(LAYERS, [OPAQUE, HARD, SOFT], "t"))
    assert found and set(found) == {"served_layers"}


def test_a_layer_without_alpha_or_of_another_size_is_named() -> None:
    assert rules_of(files.check_layers(LAYERS, [replace(SOFT, mode="RGB"), HARD, OPAQUE], "t")) == ["served_layers"]
    assert rules_of(files.check_layers(LAYERS, [SOFT, replace(HARD, width=199), OPAQUE], "t")) == ["served_layers"]


def test_the_client_rules() -> None:
    assert rules_of(clients.sibling_sees(200, "t")) == []
    assert rules_of(clients.sibling_sees(404, "t")) == ["client_visibility"]
    assert rules_of(clients.other_client_does_not_see(404, "t")) == []
    assert rules_of(clients.other_client_does_not_see(200, "t")) == ["client_visibility"]
    assert rules_of(clients.sibling_chains(201, "t")) == []
    assert rules_of(clients.sibling_chains(400, "t")) == ["client_chaining"]
    unknown = {"detail": "source: generation not found"}
    assert rules_of(clients.other_client_cannot_chain(400, unknown, unknown, "t")) == []
    assert rules_of(clients.other_client_cannot_chain(201, {"id": "x"}, unknown, "t")) == ["client_chaining"]
    assert rules_of(clients.limits_shared((29, 28, 29), "t")) == []
    assert rules_of(clients.limits_shared((29, 29, 29), "t")) == ["client_rate_limit"]
    assert rules_of(clients.limits_shared((29, 28, 27), "t")) == ["client_rate_limit"]
