"""``python -m luma_uni_mock`` in a clone (``make mock``), ``luma-uni-mock`` from the wheel: serve the stateful mock.
Settings: flags, else ``LUMA_MOCK_*``."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from typing import Any, NoReturn

from .app import create_app
from .config import ConfigError, MockConfig
from .schemas import ContractError
from .serve import RunningMock, serve_forever


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="luma-uni-mock",
        description=(
            "A stateful mock of the Luma Agents API's generations (images, videos, layer splits)."
            " Flags override LUMA_MOCK_* variables."
        ),
    )
    parser.add_argument("--host", default=os.environ.get("LUMA_MOCK_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LUMA_MOCK_PORT", "4010")), help="0 = any free")
    parser.add_argument(
        "--spec", dest="spec_path", help="the OpenAPI document (default: the one shipped with the mock)"
    )
    parser.add_argument(
        "--time-scale", type=float, help="mock seconds per real second (100: a generation in 0.3 s; 0: frozen)"
    )
    parser.add_argument("--queued-seconds", type=float, help="mock seconds a generation stays queued (2)")
    parser.add_argument("--processing-seconds", type=float, help="mock seconds a generation processes (28)")
    parser.add_argument(
        "--rate-limits", action="store_true", default=None, help="the documented limits: 30/min, 10 jobs"
    )
    parser.add_argument("--rpm", type=int, help="per-client requests per minute on POST")
    parser.add_argument("--max-concurrent", type=int, help="per-client running generations")
    parser.add_argument(
        "--schema-only", action="store_true", default=None, help="only the schema: no cross-field rules"
    )
    parser.add_argument(
        "--permissive",
        action="store_true",
        default=None,
        help="for SDK test suites: any bearer token, any id, only the schema's types checked",
    )
    parser.add_argument(
        "--lenient-choices",
        action="store_true",
        default=None,
        help="turn off the refusals that rest only on a choice of the spec (x-source: choice); keep the sourced ones",
    )
    parser.add_argument("--max-generations", type=int, help="stored generations before the oldest finished are evicted")
    parser.add_argument("--max-body-bytes", type=int, help="request body limit (413 beyond)")
    parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    parser.add_argument("--no-access-log", dest="access_log", action="store_false", help="do not log each request")
    return parser


def _exit_on_sigterm(signum: int, frame: Any) -> NoReturn:
    sys.exit(0)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    overrides = {
        name: getattr(args, name)
        for name in (
            "spec_path",
            "time_scale",
            "queued_seconds",
            "processing_seconds",
            "rate_limits",
            "rpm",
            "max_concurrent",
            "schema_only",
            "permissive",
            "lenient_choices",
            "max_generations",
            "max_body_bytes",
        )
        if getattr(args, name) is not None
    }
    try:
        config = MockConfig.from_env().replace(**overrides)
        app = create_app(config)
    except (ConfigError, ContractError) as exc:
        print(f"luma mock: cannot start: {exc}", file=sys.stderr)
        return 2

    def ready(running: RunningMock) -> None:
        print(f"Luma mock ready: base URL {running.base_url}  (control: {running.root_url}/_mock/health)", flush=True)

    # uvicorn shuts down gracefully on SIGTERM, then re-raises it: this handler turns that into exit status 0.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        serve_forever(
            app, host=args.host, port=args.port, on_ready=ready, log_level=args.log_level, access_log=args.access_log
        )
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"luma mock: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
