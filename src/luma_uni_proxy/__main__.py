"""``luma-uni-proxy --upstream URL`` (``make proxy UPSTREAM=URL``): a validating proxy in front of the Luma API (or
any server of the spec). It prints its base URL when ready, one line per finding as traffic passes, and on SIGINT or
SIGTERM writes JUnit XML, JSON and a markdown drift report."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from luma_uni_checks.spec import Spec, SpecError
from luma_uni_mock.config import DEFAULT_SPEC_PATH

from . import config as settings
from .config import ProxyConfig, ProxyConfigError
from .reports import write_reports
from .serve import serve_in_thread


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="luma-uni-proxy",
        description="Forward every request to UPSTREAM unchanged and check each exchange against openapi.yaml.",
    )
    parser.add_argument("--upstream", required=True, help="the API's base URL, e.g. https://agents.lumalabs.ai/v1")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4011, help="0 = any free")
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC_PATH, help="the OpenAPI document")
    parser.add_argument(
        "--errors", action="store_true", help="answer a response that breaks a rule with a 502 naming it"
    )
    parser.add_argument("--timeout", type=float, default=settings.DEFAULT_TIMEOUT_SECONDS, help="seconds (504 after)")
    parser.add_argument(
        "--max-checked-bytes",
        type=int,
        default=settings.DEFAULT_MAX_CHECKED_BYTES,
        help="a body larger than this is forwarded unchecked (memory stays bounded)",
    )
    parser.add_argument("--reports", type=Path, default=settings.DEFAULT_REPORTS, help="where the reports go on exit")
    parser.add_argument(
        "--preserve-host",
        action="store_true",
        help="forward the client's Host (an upstream that mints output URLs from it, like the mock, then has "
        "downloads come through the proxy and checked)",
    )
    return parser


def _print(line: str) -> None:
    print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = ProxyConfig(
            upstream=args.upstream,
            spec_path=args.spec,
            errors=args.errors,
            timeout_seconds=args.timeout,
            max_checked_bytes=args.max_checked_bytes,
            reports=args.reports,
            preserve_host=args.preserve_host,
        )
        spec = Spec.load(config.spec_path)
    except (ProxyConfigError, SpecError) as exc:
        print(f"luma proxy: cannot start: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        with serve_in_thread(config, args.host, args.port, spec=spec, emit=_print) as running:
            print(f"Luma proxy ready: base URL {running.base_url}  (upstream {config.upstream})", flush=True)
            stop.wait()
    except OSError as exc:
        print(f"luma proxy: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    inspector = running.inspector
    written = write_reports(inspector, config.reports, upstream=config.upstream, spec=config.spec_path)
    print(f"luma proxy: {inspector.exchanges} exchange(s), {inspector.findings} finding(s); reports:", flush=True)
    for path in written:
        print(f"  {path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
