"""``python -m bench.ceiling --body FILE``: the ceiling of the mock's server stack, for ``bench.mock``.

A no-op ASGI app on the mock's stack (uvicorn + httptools + uvloop, the mock's listening socket with Nagle off, no
access log): every request is read to its end and answered with the same fixed JSON body (``bench.mock`` gives it
a completed generation exactly as the mock's GET served it, so the bytes on the wire match) and the two headers
every mock response carries. Whatever the mock does per request (routing, auth, validation, the store, signing)
is missing here, so its req/s is the most the mock could reach on this machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import uvicorn

from luma_uni_mock.serve import bind

_FIXED_HEADERS = [(b"x-request-id", b"bench-ceiling"), (b"x-api-version", b"ceiling")]


class NoOpApp:
    """Answers every HTTP request with ``body``: 201 to a POST (as the mock's create), 200 otherwise."""

    def __init__(self, body: bytes) -> None:
        self._headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *_FIXED_HEADERS,
        ]
        self._body = body

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":  # lifespan: nothing to set up or tear down
            return
        message = await receive()
        while message.get("more_body", False):  # a server must at least read the request
            message = await receive()
        status = 201 if scope["method"] == "POST" else 200
        await send({"type": "http.response.start", "status": status, "headers": self._headers})
        await send({"type": "http.response.body", "body": self._body, "more_body": False})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.ceiling", description="A no-op ASGI app on the mock's stack."
    )
    parser.add_argument("--body", type=Path, required=True, help="file holding the JSON body every answer carries")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    sock = bind(args.host, args.port)
    # httptools and uvloop named, not "auto": a ceiling measured on h11 and asyncio would be a different stack.
    config = uvicorn.Config(
        NoOpApp(args.body.read_bytes()),
        http="httptools",
        loop="uvloop",
        lifespan="off",
        log_level="warning",
        access_log=False,
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
