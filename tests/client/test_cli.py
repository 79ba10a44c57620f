"""The CLI: results, --json documents and exit codes (0 ok, 2 usage, 3 API error, 4 failed, 5 wait timeout)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from conformance.spec import value_not_in
from luma_agents_client.models import AspectRatio, Generation, GenerationType, VideoDuration
from luma_uni._downloads import slug
from luma_uni._progress import LiveProgress, NoProgress, PlainProgress, progress_for
from luma_uni.cli import _input, main
from luma_uni_mock.rule_wording import rule_detail
from luma_uni_mock.serve import RunningMock
from tests.client.helpers import check_layer_files, image_bytes, video_seconds


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("LUMA_BASE_URL", raising=False)
    monkeypatch.delenv("LUMA_CUSTOM_HEADERS", raising=False)
    monkeypatch.delenv("LUMA_LOG", raising=False)
    return monkeypatch


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["--json", *argv])
    captured = capsys.readouterr()
    assert captured.err == ""  # --json: one document on stdout, nothing else
    return code, json.loads(captured.out)


def test_generate_waits_downloads_and_prints_the_path(
    luma_mock: RunningMock, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    env.setenv("LUMA_AGENTS_API_KEY", luma_mock.api_key)
    code = main(
        ["generate", "a lighthouse", "--aspect-ratio", "9:16", "--out", str(tmp_path), "--base-url", luma_mock.base_url]
    )
    captured = capsys.readouterr()
    assert code == 0
    [saved] = list(tmp_path.iterdir())
    assert saved.suffix == ".png"
    assert str(saved) in captured.out
    assert "completed" in captured.err  # plain progress lines when stderr is not a terminal


def test_generate_json(
    luma_mock: RunningMock, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    env.setenv("LUMA_AGENTS_API_KEY", luma_mock.api_key)
    env.setenv("LUMA_BASE_URL", luma_mock.base_url)
    code, document = run_json(capsys, "generate", "a lighthouse", "--output-format", "jpeg", "--out", str(tmp_path))
    assert code == 0
    assert document["generation"]["state"] == "completed"
    [path] = document["files"]
    assert path.endswith(".jpg")
    assert Path(path).read_bytes().startswith(b"\xff\xd8\xff")


def test_edit_a_local_file_json_with_options_after_the_command(
    luma_mock: RunningMock, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "photo.png"
    source.write_bytes(image_bytes("PNG"))
    code = main(
        [
            "edit",
            str(source),
            "make it winter",
            "--json",
            "--out",
            str(tmp_path / "out"),
            "--api-key",
            luma_mock.api_key,
            "--base-url",
            luma_mock.base_url,
        ]
    )
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert document["generation"]["type"] == "image_edit"
    assert len(document["files"]) == 1


def test_no_wait_get_wait_and_download(
    frozen_mock: RunningMock, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    env.setenv("LUMA_AGENTS_API_KEY", frozen_mock.api_key)
    env.setenv("LUMA_BASE_URL", frozen_mock.base_url)
    code, created = run_json(capsys, "generate", "a lighthouse", "--no-wait")
    assert (code, created["generation"]["state"], created["files"]) == (0, "queued", [])
    generation_id = created["generation"]["id"]
    frozen_mock.control.advance(60)
    assert run_json(capsys, "get", generation_id)[1]["generation"]["state"] == "completed"
    assert run_json(capsys, "wait", generation_id)[1]["generation"]["state"] == "completed"
    code, downloaded = run_json(capsys, "download", generation_id, "--out", str(tmp_path))
    assert code == 0
    assert downloaded["files"] == [str(tmp_path / f"{generation_id}.png")]


@pytest.mark.parametrize(
    "argv",
    [
        ["generate"],  # missing prompt
        ["edit", "/no/such/file.png", "x"],
        ["get", "not-a-uuid"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(
    frozen_mock: RunningMock, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    env.setenv("LUMA_AGENTS_API_KEY", frozen_mock.api_key)
    assert main([*argv, "--base-url", frozen_mock.base_url] if len(argv) > 1 else argv) == 2
    assert capsys.readouterr().err


def test_an_unknown_enum_value_is_sent_and_the_servers_400_exits_3(
    frozen_mock: RunningMock, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI lists the known values in --help but does not enforce them: the API may know newer ones."""
    env.setenv("LUMA_BASE_URL", frozen_mock.base_url)
    env.setenv("LUMA_AGENTS_API_KEY", frozen_mock.api_key)
    ratio = value_not_in("AspectRatio")
    code, document = run_json(capsys, "generate", "x", "--aspect-ratio", ratio)
    assert code == 3
    assert document["error"]["type"] == "BadRequestError"
    assert document["error"]["detail"] == rule_detail("invalid_aspect_ratio", value=ratio)


def test_missing_key_exits_2_naming_the_variable(env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    env.delenv("LUMA_AGENTS_API_KEY", raising=False)
    assert main(["get", "d290f1ee-6c54-4b01-90e6-d701748f0851"]) == 2
    assert "LUMA_AGENTS_API_KEY" in capsys.readouterr().err


def test_api_errors_exit_3_with_a_json_error_document(
    frozen_mock: RunningMock, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("LUMA_BASE_URL", frozen_mock.base_url)
    env.setenv("LUMA_AGENTS_API_KEY", frozen_mock.api_key)
    code, document = run_json(capsys, "get", "d290f1ee-6c54-4b01-90e6-d701748f0851")
    assert code == 3
    assert document["error"]["type"] == "NotFoundError"
    assert (document["error"]["status_code"], document["error"]["detail"]) == (404, "Generation not found")
    env.setenv("LUMA_AGENTS_API_KEY", "luma-api-revoked-0123456789")
    code, document = run_json(capsys, "generate", "x")
    assert (code, document["error"]["status_code"]) == (3, 401)


def test_failed_generation_exits_4(
    luma_mock: RunningMock, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    env.setenv("LUMA_AGENTS_API_KEY", luma_mock.api_key)
    env.setenv("LUMA_BASE_URL", luma_mock.base_url)
    code, document = run_json(capsys, "generate", "x [mock:failure=content_moderated]", "--out", str(tmp_path))
    assert code == 4
    error = document["error"]
    assert (error["type"], error["failure_code"], error["retryable"]) == (
        "GenerationFailedError",
        "content_moderated",
        False,
    )
    assert list(tmp_path.iterdir()) == []


def test_wait_timeout_exits_5(
    frozen_mock: RunningMock, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("LUMA_AGENTS_API_KEY", frozen_mock.api_key)
    env.setenv("LUMA_BASE_URL", frozen_mock.base_url)
    code, document = run_json(capsys, "generate", "x", "--timeout", "0.2")  # the frozen mock never finishes it
    assert code == 5
    assert document["error"]["type"] == "WaitTimeoutError"
    assert document["error"]["last_state"] == "queued"


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "generate" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert "luma-uni" in capsys.readouterr().out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_display_fits_the_output() -> None:
    generation = Generation.from_dict(
        {
            "id": "d290f1ee-6c54-4b01-90e6-d701748f0851",
            "type": "image",
            "state": "processing",
            "model": "uni-1",
            "created_at": "2026-04-08T12:00:00Z",
        }
    )
    assert isinstance(progress_for(json_output=True, stream=_Terminal()), NoProgress)
    plain = io.StringIO()
    display = progress_for(json_output=False, stream=plain)
    assert isinstance(display, PlainProgress)
    display.update(generation)
    display.update(generation)  # same state: no second line
    assert plain.getvalue().count("processing") == 1
    terminal = _Terminal()
    live = progress_for(json_output=False, stream=terminal)
    assert isinstance(live, LiveProgress)
    live.update(generation)
    live.close()
    assert "processing" in terminal.getvalue()


def test_ctrl_c_exits_130_and_names_the_generation(
    frozen_mock: RunningMock, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class InterruptedOnFirstPoll(NoProgress):
        updates = 0

        def update(self, generation: Generation) -> None:
            self.updates += 1
            if self.updates == 2:  # the first update is the created generation, the second the first poll
                raise KeyboardInterrupt

    env.setenv("LUMA_AGENTS_API_KEY", frozen_mock.api_key)
    env.setattr("luma_uni.cli.progress_for", lambda json_output: InterruptedOnFirstPoll())
    code = main(["generate", "x", "--base-url", frozen_mock.base_url])
    assert code == 130
    assert "continues server-side" in capsys.readouterr().err


def test_video_edit_layers_and_a_21_9_image_through_the_cli(
    luma_mock: RunningMock, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Each made, waited for and downloaded by the CLI, then opened by a real decoder (PyAV, Pillow)."""
    env.setenv("LUMA_AGENTS_API_KEY", luma_mock.api_key)
    env.setenv("LUMA_BASE_URL", luma_mock.base_url)
    out = str(tmp_path / "out")
    # the first listed duration: a value a spec edit appends (tests/test_evolution.py) is not one the mock can render
    duration, wide = next(iter(VideoDuration)), AspectRatio.RATIO_21_9
    code, video = run_json(capsys, "video", "waves", "--duration", duration, "--aspect-ratio", wide, "--out", out)
    assert code == 0
    [video_file] = video["files"]
    assert video_file == str(Path(out) / f"{video['generation']['id']}.mp4")
    seconds, (width, height) = video_seconds(Path(video_file))
    assert seconds == pytest.approx(int(duration.removesuffix("s")), abs=0.1)
    assert width > 2 * height

    code, edited = run_json(capsys, "video", "make it snow", "--edit", video["generation"]["id"], "--out", out)
    assert (code, edited["generation"]["type"]) == (0, GenerationType.VIDEO_EDIT)
    [edited_file] = edited["files"]
    assert video_seconds(Path(edited_file)) == video_seconds(Path(video_file))  # an edit keeps duration and shape

    source = tmp_path / "photo.png"
    source.write_bytes(image_bytes(size=(48, 32)))
    code, layered = run_json(capsys, "layers", str(source), "--out", out)
    assert (code, layered["generation"]["type"]) == (0, GenerationType.LAYERING)
    layer_files = [Path(name) for name in layered["files"]]
    labels = [output["layer"]["label"] for output in layered["generation"]["output"]]
    assert [path.name for path in layer_files] == [
        f"{layered['generation']['id']}-{index}-{slug(label)}.png" for index, label in enumerate(labels)
    ]
    check_layer_files(layer_files)

    code, image = run_json(capsys, "generate", "a panorama", "--aspect-ratio", wide, "--out", out)
    [image_file] = image["files"]
    with Image.open(image_file) as picture:
        assert picture.width / picture.height == pytest.approx(21 / 9, rel=0.05)


def test_video_options_reach_the_server_which_judges_them(
    frozen_mock: RunningMock, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--exr-export without --hdr is refused by the server (exit 3 with its detail), not by the CLI."""
    env.setenv("LUMA_AGENTS_API_KEY", frozen_mock.api_key)
    env.setenv("LUMA_BASE_URL", frozen_mock.base_url)
    code, document = run_json(capsys, "video", "waves", "--exr-export", "--no-wait")
    assert code == 3
    assert document["error"]["detail"] == rule_detail("exr_requires_hdr")


def test_an_input_argument_is_a_generation_id_unless_a_file_has_that_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generation_id = "d290f1ee-6c54-4b01-90e6-d701748f0851"
    assert _input(generation_id) == {"generation_id": generation_id}
    assert _input("photo.png") == "photo.png"
    monkeypatch.chdir(tmp_path)
    (tmp_path / generation_id).write_bytes(image_bytes())
    assert _input(generation_id) == generation_id  # a local file wins
