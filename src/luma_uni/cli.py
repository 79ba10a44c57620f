"""``luma-uni``: generate and edit images, make and edit videos, split an image into layers, and get, wait for and
download generations from the command line.

Where a command takes an input (an image, a video), it may be a local file, an https URL, or the id of an earlier
generation of yours (its output is the input: ``generation_id``).

Exit codes: 0 ok, 1 anything else, 2 usage error (bad arguments, bad input, no API key), 3 API error (an error
status, a connection failure, a malformed response), 4 the generation failed, 5 the wait timed out, 130 Ctrl-C.
With ``--json`` stdout carries exactly one JSON document: ``{"generation": ..., "files": [...]}`` on success,
``{"error": {...}}`` on failure; nothing else is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn

from luma_agents_client import contract
from luma_agents_client.models import (
    AspectRatio,
    Generation,
    GenerationType,
    ImageRef,
    LayeringResolution,
    Model,
    OutputFormat,
    Style,
    VideoDuration,
    VideoEditStrength,
    VideoResolution,
)

from ._client import Luma
from ._config import ENV_API_KEY, ENV_BASE_URL
from ._downloads import outputs_of
from ._inputs import image
from ._polling import DEFAULT_WAIT_TIMEOUT
from ._progress import Progress, progress_for
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    ConfigurationError,
    GenerationFailedError,
    InputError,
    LumaError,
    MalformedResponseError,
    WaitTimeoutError,
)

EXIT_OK, EXIT_OTHER, EXIT_USAGE, EXIT_API, EXIT_FAILED, EXIT_TIMEOUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 5, 130


class _UsageError(Exception):
    """argparse refused the command line (its message is already printed)."""

    def __init__(self, code: int) -> None:
        self.code = code


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that reports instead of exiting, so ``main`` can return the exit code."""

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._print_message(message, sys.stderr)
        raise _UsageError(status)


def _common_options(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    # Accepted before and after the command. Below the command the defaults are SUPPRESS, so a value given
    # before the command is not overwritten by the subcommand's default.
    def default(value: object) -> object:
        return value if top_level else argparse.SUPPRESS

    group = parser.add_argument_group("connection and output")
    group.add_argument(
        "--base-url", default=default(None), help=f"API base URL (default: ${ENV_BASE_URL}, else production)"
    )
    group.add_argument(
        "--api-key", default=default(None), help=f"API key (default: ${ENV_API_KEY}; prefer the variable)"
    )
    group.add_argument("--json", action="store_true", default=default(False), help="print one JSON document")
    group.add_argument("--out", type=Path, default=default(Path(".")), help="directory for downloads (default: .)")
    group.add_argument(
        "--timeout",
        type=float,
        default=default(DEFAULT_WAIT_TIMEOUT),
        help=f"seconds to wait for a generation (default: {DEFAULT_WAIT_TIMEOUT:g})",
    )


def _choices(enum: type[StrEnum], default: str) -> str:
    """Help text listing an enum's known values. They are listed, not enforced: a value the API added later is sent
    as is, and the server's 400 (exit 3, with its detail) answers a wrong one."""
    return f"{', '.join(member.value for member in enum)} (default: {default})"


def _model_making(kind: GenerationType) -> str | None:
    """The first model that makes ``kind`` (per-model items), for the commands whose type the server's default
    model does not make; None when the spec names none (the server decides)."""
    return next((model for model, types in contract.MODEL_TYPES.items() if kind.value in types), None)


def _create_options(parser: argparse.ArgumentParser, kind: GenerationType | None) -> None:
    """The options of every command that creates a generation; ``--model`` defaults to one that makes ``kind``."""
    model = _model_making(kind) if kind is not None else None
    parser.add_argument("--model", metavar="VALUE", default=model, help=_choices(Model, model or "the server's"))
    parser.add_argument("--aspect-ratio", metavar="VALUE", help=_choices(AspectRatio, "the model picks"))
    parser.add_argument("--user-id", help="an opaque id of your end user")
    parser.add_argument("--no-wait", action="store_true", help="print the queued generation and exit")
    parser.add_argument("--no-download", action="store_true", help="wait, but print the output URLs only")


def _image_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--style", metavar="VALUE", help=_choices(Style, "the server's"))
    parser.add_argument("--output-format", metavar="VALUE", help=_choices(OutputFormat, "the model picks"))
    parser.add_argument("--web-search", action="store_true", default=None, help="let the agent search the web first")
    parser.add_argument(
        "--ref", action="append", metavar="IMAGE", help="a reference image (file or https URL); repeatable"
    )


def _video_options(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--edit", metavar="VIDEO", help="edit this video (file, https URL or generation id)")
    source.add_argument("--reframe", metavar="VIDEO", help="reframe this video to --aspect-ratio")
    parser.add_argument("--duration", metavar="VALUE", help=_choices(VideoDuration, "the server's"))
    parser.add_argument("--resolution", metavar="VALUE", help=_choices(VideoResolution, "the server's"))
    parser.add_argument(
        "--strength", metavar="VALUE", help="with --edit: " + _choices(VideoEditStrength, "the server's")
    )
    parser.add_argument("--start-frame", metavar="IMAGE", help="the first frame, or a video generation id to extend")
    parser.add_argument("--end-frame", metavar="IMAGE", help="the last frame, or a video generation id to extend")
    for flag, text in (("--hdr", "HDR video"), ("--exr-export", "EXR frames too (needs --hdr)"), ("--loop", "a loop")):
        parser.add_argument(flag, action="store_true", default=None, help=text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="luma-uni",
        description="Generate and edit images and videos, and split images into layers, with Luma's models.",
        epilog="Inputs (IMAGE, VIDEO) are a local file, an https URL or the id of an earlier generation. "
        "Exit codes: 0 ok, 2 usage, 3 API error, 4 generation failed, 5 wait timeout, 1 other.",
    )
    parser.add_argument("--version", action="version", version=f"luma-uni {__version__}")
    _common_options(parser, top_level=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    generate = commands.add_parser("generate", help="generate an image, wait for it and download it")
    generate.add_argument("prompt")
    _create_options(generate, None)
    _image_options(generate)
    edit = commands.add_parser("edit", help="edit an image (a file, an https URL or a generation id)")
    edit.add_argument("source")
    edit.add_argument("prompt")
    _create_options(edit, None)
    _image_options(edit)
    video = commands.add_parser("video", help="make a video (or edit or reframe one), wait and download the MP4")
    video.add_argument("prompt")
    _create_options(video, GenerationType.VIDEO)
    _video_options(video)
    layers = commands.add_parser("layers", help="split an image into RGBA layers, one PNG each")
    layers.add_argument("source", metavar="IMAGE")
    layers.add_argument("--prompt", default="", help="optional guidance on how to split the image")
    layers.add_argument("--resolution", metavar="VALUE", help=_choices(LayeringResolution, "the server's"))
    _create_options(layers, GenerationType.LAYERING)
    for name, text in (
        ("get", "show a generation"),
        ("wait", "wait for a generation to finish"),
        ("download", "download a completed generation's outputs"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("id", help="the generation id")
    for command in commands.choices.values():
        _common_options(command, top_level=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (the console script exits with it)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        return exc.code
    output = _Output(json_mode=args.json)
    generation_id: str | None = None

    def remember(generation: Generation) -> None:
        nonlocal generation_id
        generation_id = str(generation.id)

    try:
        with Luma(api_key=args.api_key, base_url=args.base_url) as client:
            return _run(client, args, output, remember)
    except KeyboardInterrupt:
        note = f"; generation {generation_id} continues server-side" if generation_id else ""
        output.error(None, f"interrupted{note}")
        return EXIT_INTERRUPTED
    except ConfigurationError as exc:
        output.error(exc, str(exc).replace("pass api_key=...", "pass --api-key"))
        return EXIT_USAGE
    except InputError as exc:
        output.error(exc, str(exc))
        return EXIT_USAGE
    except GenerationFailedError as exc:
        output.error(exc, str(exc))
        return EXIT_FAILED
    except WaitTimeoutError as exc:
        output.error(exc, str(exc))
        return EXIT_TIMEOUT
    except APIError as exc:
        output.error(exc, str(exc))
        return EXIT_API
    except (LumaError, OSError) as exc:
        output.error(exc, str(exc))
        return EXIT_OTHER


def _run(client: Luma, args: argparse.Namespace, output: _Output, remember: Callable[[Generation], None]) -> int:
    generations = client.generations
    if args.command in ("get", "download"):
        generation = generations.get(args.id)
        remember(generation)
        files = generations.download(generation, args.out) if args.command == "download" else []
        output.result(generation, files)
        return EXIT_OK
    if args.command == "wait" or not args.no_wait:
        progress: Progress = progress_for(args.json)

        def on_progress(generation: Generation) -> None:
            remember(generation)
            progress.update(generation)

        try:
            if args.command == "wait":
                generation = generations.wait(args.id, timeout=args.timeout, on_progress=on_progress)
            else:
                generation = generations.create_and_wait(
                    **_create_arguments(args), timeout=args.timeout, on_progress=on_progress
                )
        finally:
            progress.close()
        download = args.command != "wait" and not args.no_download
        output.result(generation, generations.download(generation, args.out) if download else [])
        return EXIT_OK
    generation = generations.create(**_create_arguments(args))
    output.result(generation, [])
    return EXIT_OK


def _create_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The create call's keyword arguments for the command; None leaves a field to the server."""
    common = {"prompt": args.prompt, "model": args.model, "aspect_ratio": args.aspect_ratio, "user_id": args.user_id}
    if args.command == "video":
        return {**common, **_video_arguments(args)}
    if args.command == "layers":
        layering = {"resolution": args.resolution} if args.resolution is not None else None
        return {**common, "type": GenerationType.LAYERING, "source": _input(args.source), "layering": layering}
    return {
        **common,
        "type": GenerationType.IMAGE_EDIT if args.command == "edit" else None,
        "source": _input(args.source) if args.command == "edit" else None,
        "style": args.style,
        "output_format": args.output_format,
        "web_search": args.web_search,
        "image_ref": args.ref,
    }


def _video_arguments(args: argparse.Namespace) -> dict[str, Any]:
    kind, source = GenerationType.VIDEO, None
    if args.edit is not None:
        kind, source = GenerationType.VIDEO_EDIT, _input(args.edit)
    elif args.reframe is not None:
        kind, source = GenerationType.VIDEO_REFRAME, _input(args.reframe)
    options = {
        "duration": args.duration,
        "resolution": args.resolution,
        "hdr": args.hdr,
        "exr_export": args.exr_export,
        "loop": args.loop,
        "start_frame": _frame(args.start_frame, "video.start_frame"),
        "end_frame": _frame(args.end_frame, "video.end_frame"),
        "edit": {"strength": args.strength} if args.strength is not None else None,
    }
    video = {name: value for name, value in options.items() if value is not None}
    return {"type": kind, "source": source, "video": video or None}


def _input(value: str) -> str | dict[str, str]:
    """An input argument as the client takes it: a generation id (a UUID that names no local file) chains off that
    generation's output; anything else is a file path or a URL."""
    try:
        uuid.UUID(value)
    except ValueError:
        return value
    return value if Path(value).exists() else {"generation_id": value}


def _frame(value: str | None, path: str) -> ImageRef | None:
    """A frame inside the video options: read here, since only ``source`` and ``image_ref`` take a path string."""
    return None if value is None else image(_input(value), path)


class _Output:
    """Results on stdout (plain or one JSON document), messages on stderr."""

    def __init__(self, json_mode: bool) -> None:
        self.json_mode = json_mode

    def result(self, generation: Generation, files: list[Path]) -> None:
        if self.json_mode:
            _print_json({"generation": generation.to_dict(), "files": [str(f) for f in files]})
            return
        print(f"{generation.id}  {generation.state}  {generation.type_}  {generation.model}")
        if isinstance(generation.failure_code, str) or isinstance(generation.failure_reason, str):
            print(f"failed: {generation.failure_code}: {generation.failure_reason}")
        for path in files:
            print(path)
        if not files:
            for item in outputs_of(generation):
                print(item.url)

    def error(self, exc: BaseException | None, message: str) -> None:
        if self.json_mode:
            _print_json({"error": _error_fields(exc, message)})
        else:
            print(f"luma-uni: error: {message}", file=sys.stderr)


def _error_fields(exc: BaseException | None, message: str) -> dict[str, Any]:
    fields: dict[str, Any] = {"type": type(exc).__name__ if exc else "KeyboardInterrupt", "message": message}
    if isinstance(exc, APIStatusError):
        fields.update(status_code=exc.status_code, detail=exc.detail, request_id=exc.request_id)
        if exc.retry_after is not None:
            fields["retry_after"] = exc.retry_after
    elif isinstance(exc, APIConnectionError):
        fields["request_sent"] = exc.request_sent
    elif isinstance(exc, MalformedResponseError):
        fields["status_code"] = exc.status_code
    elif isinstance(exc, GenerationFailedError):
        fields.update(
            generation=exc.generation.to_dict(),
            failure_code=exc.failure_code,
            failure_reason=exc.failure_reason,
            retryable=exc.retryable,
        )
    elif isinstance(exc, WaitTimeoutError):
        fields.update(generation_id=exc.generation_id, last_state=exc.last_state)
    return fields


def _print_json(document: dict[str, Any]) -> None:
    print(json.dumps(document, indent=2, default=str))


if __name__ == "__main__":
    sys.exit(main())
