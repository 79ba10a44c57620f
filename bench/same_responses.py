"""``python -m bench.same_responses [REV]``: the mock of this tree answers a few thousand varied requests byte for byte
as the mock of git revision REV (default ``main``) does, for work that must change speed and nothing else.

Both mocks run in their own process (``PYTHONPATH`` = the tree's ``src``, the tree's openapi.yaml) with the clock
frozen, a fixed signing secret and a fixed id prefix, and answer the same requests: POSTs of every type, options,
refusals (auth, content type, JSON, the schema, the rules, media, the failure switch, a fault, a body too large),
GETs of every state at several times, by their owner and by another client, a file URL, the control API; in the
default, permissive, schema-only, lenient and rate-limited configurations, and with a store that evicts. Every ASGI
message is compared (status, headers, body). Exit status 1 on the first difference.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import pathlib
import subprocess
import sys
import tempfile
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
KEY = b"Bearer luma-api-compare00000000000000000000000000"
OTHER_KEY = b"Bearer luma-api-other000000000000000000000000000000"
PNG = base64.b64encode(bytes.fromhex("89504e470d0a1a0a0000000d4948445200000003000000020802000000")).decode()
URL = "https://example.com/a.png"
BODIES: list[Any] = [
    {"prompt": "a cat"},
    {"prompt": "a cat", "model": "uni-1"},
    {"prompt": "x", "aspect_ratio": "16:9"},
    {"prompt": "x", "aspect_ratio": "1:3", "output_format": "jpeg"},
    {"prompt": "x", "output_format": "webp"},
    {"prompt": "v", "model": "ray-3.2", "type": "video"},
    {"prompt": "v", "model": "ray-3.2", "type": "video", "video": {"duration": "10s"}},
    {"prompt": "e", "type": "image_edit", "source": {"url": URL}},
    {"prompt": "e", "type": "image_edit", "source": {"data": PNG, "media_type": "image/png"}},
    {"type": "layering", "source": {"url": URL}, "layering": {"resolution": "2k"}},
    {"prompt": "r", "model": "ray-3.2", "type": "video_reframe", "source": {"url": URL}, "aspect_ratio": "9:16"},
    {"prompt": "ve", "model": "ray-3.2", "type": "video_edit", "source": {"url": URL}},
    {"prompt": "fail me [mock:failure=content_moderated]"},
    {"prompt": "bad [mock:failure=nope]"},
    {"prompt": ""},
    {"prompt": "x" * 7000},
    {"prompt": "x", "model": "nope"},
    {"prompt": "x", "aspect_ratio": "4:3"},
    {"prompt": "x", "type": "video"},
    {"prompt": "x", "style": "manga", "aspect_ratio": "16:9"},
    {"prompt": "x", "type": "image_edit"},
    {"prompt": "x", "source": {"url": URL}},
    {"prompt": "x", "web_search": "yes"},
    {"prompt": "x", "extra": 1},
    {"prompt": 5},
    [],
    {"prompt": "\ud800"},
    {"prompt": "x", "image_ref": [{"url": "ftp://bad"}]},
    {"prompt": "x", "image_ref": [{"data": "!!!", "media_type": "image/png"}]},
    {"prompt": "x", "image_ref": [{"url": URL}] * 20},
]
RAW_BODIES = [json.dumps(body).encode() for body in BODIES] + [
    b"{",
    b"NaN",
    b'\xef\xbb\xbf{"prompt": "bom"}',
    b"",
    b"1e999",
]
CONFIGS: list[dict[str, Any]] = [
    {},
    {"permissive": True},
    {"schema_only": True},
    {"lenient_choices": True},
    {"rpm": 3, "max_concurrent": 2},
    {"max_generations": 5},
]
Headers = list[tuple[bytes, bytes]]
DEFAULT_HEADERS: Headers = [
    (b"host", b"127.0.0.1:4010"),
    (b"authorization", KEY),
    (b"content-type", b"application/json"),
]


class _Client:
    """Drives one app in process and prints every message it sends, one request a line."""

    def __init__(self, app: Any, config: dict[str, Any]) -> None:
        self.app = app
        self.config = config

    async def __call__(
        self, method: str, path: str, body: bytes = b"", headers: Headers | None = None, query: bytes = b""
    ) -> list[dict[str, Any]]:
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return messages.pop() if messages else {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "http", "method": method, "path": path, "query_string": query, "scheme": "http",
                 "headers": DEFAULT_HEADERS if headers is None else headers, "server": ("127.0.0.1", 4010)}  # fmt: skip
        await self.app(scope, receive, send)
        print(json.dumps([self.config, method, path, [repr(message) for message in sent]]))
        return sent


async def _requests(client: _Client) -> None:  # pragma: no cover - runs in the child processes
    ids = []
    for index, raw in enumerate(RAW_BODIES):
        other = [(b"host", b"h:1"), (b"authorization", OTHER_KEY), (b"x-request-id", b"rid-%d" % index),
                 (b"content-type", b"application/json; charset=utf-8")]  # fmt: skip
        for headers in (None, other):
            sent = await client("POST", "/v1/generations" if index % 2 else "/generations", raw, headers)
            if sent and sent[0].get("status") == 201:
                ids.append(json.loads(sent[-1]["body"])["id"])
    for headers in (
        [(b"authorization", KEY), (b"content-type", b"text/plain")],
        [(b"content-type", b"application/json")],
        [(b"authorization", b"Bearer bad"), (b"content-type", b"application/json")],
        [(b"authorization", b"Bearer luma-api-broke-0001"), (b"content-type", b"application/json")],
        [(b"authorization", KEY), (b"content-type", b"application/json"), (b"x-mock-failure", b"content_moderated")],
        [(b"authorization", KEY), (b"content-type", b"application/json"), (b"x-mock-status", b"500")],
        [(b"authorization", KEY), (b"content-type", b"application/json"), (b"content-length", b"999999999999")],
    ):
        for raw in (RAW_BODIES[0], RAW_BODIES[-1]):
            await client("POST", "/v1/generations", raw, headers)
    for method, path in (("PUT", "/v1/generations"), ("DELETE", "/v1/generations/x"), ("GET", "/nope"),
                         ("GET", "/v1/generations/not-a-uuid"), ("GET", "/v1/generations/" + "0" * 36)):  # fmt: skip
        await client(method, path)
    for step in (0, 1, 3, 30, 3600):
        client.app.control.advance(step)
        for generation_id in ids:
            await client("GET", f"/v1/generations/{generation_id}")
            await client("GET", f"/generations/{generation_id.upper()}")
            await client("GET", f"/v1/generations/{generation_id}", headers=[(b"authorization", OTHER_KEY)])
    sent = await client("GET", f"/v1/generations/{ids[0]}")
    url = json.loads(sent[-1]["body"])["output"][0]["url"]
    path, _, query = url.partition("//")[2].partition("/")[2].partition("?")
    await client("GET", "/" + path, query=query.encode())
    await client("GET", "/" + path, query=b"signature=bad")
    await client("GET", "/_mock/health")


def _dump() -> None:  # pragma: no cover - runs in the child processes
    from luma_uni_mock import MockConfig, create_app, http_io

    for config in CONFIGS:
        http_io._ID_PREFIX = "12345678-1234-4123-8123-"
        http_io._ID_NUMBERS = itertools.count()
        app = create_app(MockConfig(time_scale=0, signing_secret=b"k" * 32, **config))
        app.state.clock._start_wall = 1_800_000_000.0
        asyncio.run(_requests(_Client(app, config)))


def _responses(tree: pathlib.Path) -> list[str]:
    run = subprocess.run(
        [sys.executable, "-c", "import bench.same_responses as s; s._dump()"],
        cwd=ROOT,
        env={"PYTHONPATH": f"{tree / 'src'}:{ROOT}", "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.splitlines()


def main() -> None:
    revision = sys.argv[1] if len(sys.argv) > 1 else "main"
    with tempfile.TemporaryDirectory() as directory:
        archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", directory], input=archive.stdout, check=True)
        old = _responses(pathlib.Path(directory))
    new = _responses(ROOT)
    for index, (before, after) in enumerate(itertools.zip_longest(old, new)):
        if before != after:
            print(f"response {index} differs:\n  {revision}: {before}\n  this tree: {after}")
            sys.exit(1)
    print(f"{len(new)} responses, byte for byte as {revision}'s")


if __name__ == "__main__":
    main()
