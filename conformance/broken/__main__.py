"""`python -m conformance.broken <variant> [--port 4011]`: serve the mock inside one broken variant, so the plain
schemathesis CLI can be shown to catch it:

    python -m conformance.broken jpeg-by-default --port 4011 &
    LUMA_AGENTS_API_KEY=luma-api-local schemathesis run openapi.yaml --url http://127.0.0.1:4011/v1
"""

from __future__ import annotations

import argparse
import sys

import uvicorn

from conformance.broken.variants import MOCK_VARIANTS
from luma_uni_mock import MockConfig, create_app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance.broken", description=__doc__)
    parser.add_argument("variant", choices=sorted(MOCK_VARIANTS))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4011)
    args = parser.parse_args(argv)
    app = MOCK_VARIANTS[args.variant](create_app(MockConfig()))
    print(f"broken variant {args.variant!r} of the mock on http://{args.host}:{args.port}/v1", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
