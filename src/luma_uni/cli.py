"""``luma-uni``: generate, edit, get, wait for and download uni-1 images from the command line.

Exit codes: 0 ok, 1 anything else, 2 usage error (bad arguments, bad input, no API key), 3 API error (an error
status, a connection failure, a malformed response), 4 the generation failed, 5 the wait timed out, 130 Ctrl-C.
With ``--json`` stdout carries exactly one JSON document: ``{"generation": ..., "files": [...]}`` on success,
``{"error": {...}}`` on failure; nothing else is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from luma_agents_client.models import AspectRatio, Generation, Model, OutputFormat, Style

from ._client import Luma
from ._config import ENV_API_KEY, ENV_BASE_URL
from ._downloads import outputs_of
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


def _create_options(parser: argparse.ArgumentParser) -> None:
    # The known values are listed for help, not enforced: a value the API added later is sent as is, and the
    # server's 400 (exit 3, with its detail) answers a wrong one.
    for flag, enum, default in (
        ("--model", Model, "the server's"),
        ("--aspect-ratio", AspectRatio, "the model picks"),
        ("--style", Style, "the server's"),
        ("--output-format", OutputFormat, "the model picks"),
    ):
        parser.add_argument(flag, metavar="VALUE", help=f"{', '.join(m.value for m in enum)} (default: {default})")
    parser.add_argument("--web-search", action="store_true", default=None, help="let the agent search the web first")
    parser.add_argument(
        "--ref", action="append", metavar="IMAGE", help="a reference image (file or https URL); repeatable"
    )
    parser.add_argument("--user-id", help="an opaque id of your end user")
    parser.add_argument("--no-wait", action="store_true", help="print the queued generation and exit")
    parser.add_argument("--no-download", action="store_true", help="wait, but print the output URLs only")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="luma-uni",
        description="Generate and edit images with Luma's uni-1 models.",
        epilog="Exit codes: 0 ok, 2 usage, 3 API error, 4 generation failed, 5 wait timeout, 1 other.",
    )
    parser.add_argument("--version", action="version", version=f"luma-uni {__version__}")
    _common_options(parser, top_level=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    generate = commands.add_parser("generate", help="generate an image, wait for it and download it")
    generate.add_argument("prompt")
    _create_options(generate)
    edit = commands.add_parser("edit", help="edit an image (a file or an https URL), wait and download")
    edit.add_argument("source")
    edit.add_argument("prompt")
    _create_options(edit)
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
    return {
        "prompt": args.prompt,
        "type": "image_edit" if args.command == "edit" else None,
        "source": args.source if args.command == "edit" else None,
        "model": args.model,
        "aspect_ratio": args.aspect_ratio,
        "style": args.style,
        "output_format": args.output_format,
        "web_search": args.web_search,
        "image_ref": args.ref,
        "user_id": args.user_id,
    }


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
