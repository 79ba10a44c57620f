"""``python -m bench.cache_misses [REV]``: the cache lines a POST of the mock misses when its caches start cold, for
this tree and git revision REV (default ``main``), counted by callgrind's cache simulation: load-independent, and what a
POST costs in the server (bench/README.md, sixth round: there, uvicorn, uvloop and the kernel evict the app's code
and data between two requests, and a POST's cost follows its misses, not its instructions).

Each tree's mock runs in its own process (``PYTHONPATH`` = the tree's ``src``), driven in process as uvicorn calls
it: the store filled past its 10,000 generations (evicting, as at ``make bench``), ``gc.freeze()`` as the server
does, then before every POST a 2 MB copy (a core's L2) and a little unrelated Python disturb the caches; the mock
clock moves a second every 20 POSTs, as at ``make bench``'s 1000x. The simulated caches are this machine's L1s with
the 2 MB L2 as the last level. A run with the POSTs and one without (the same fill and disturbances) are subtracted.
Needs valgrind; about three minutes a tree.
"""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
from collections.abc import MutableMapping
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
POSTS = 600
FILL = 10_500  # past the store's default 10,000: every measured POST evicts the oldest generation
EVERY_SECOND = 20  # POSTs per mock second at make bench's 1000x clock (~20,000 POSTs a second)
L2_BYTES = 2 << 20
CACHES = ["--D1=49152,12,64", "--I1=65536,16,64", f"--LL={L2_BYTES},16,64"]
BODY = json.dumps(  # bench.mock's POST
    {"prompt": "A lighthouse on a cliff at dusk, oil painting", "aspect_ratio": "16:9", "output_format": "png"}
).encode()
HEADERS = [(b"host", b"127.0.0.1:4010"), (b"authorization", b"Bearer luma-api-bench")]
HEADERS += [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


def _drive(posts: int, measured: bool) -> None:  # pragma: no cover - runs under valgrind in the child processes
    import gc

    from luma_uni_mock import MockConfig, create_app

    app = create_app(MockConfig(time_scale=0))
    gc.freeze()
    message = {"type": "http.request", "body": BODY, "more_body": False}

    async def receive() -> dict[str, Any]:
        return message

    async def send(_: MutableMapping[str, Any]) -> None:
        pass

    def post() -> None:
        headers = [(bytes(name), bytes(value)) for name, value in HEADERS]  # new bytes, as a server gives them
        scope = {"type": "http", "method": "POST", "scheme": "http", "path": "/v1/generations", "query_string": b"",
                 "headers": headers, "server": ("127.0.0.1", 4010), "state": {}}  # fmt: skip
        coroutine = app(scope, receive, send)
        with contextlib.suppress(StopIteration):  # nothing in the app waits: one step runs it to the end
            coroutine.send(None)

    for _ in range(FILL):
        post()
    app.control.advance(3600)  # every stored generation finished: each POST evicts one
    evicting = bytearray(L2_BYTES)
    unrelated = [{f"k{i}": [i, str(i)]} for i in range(300)]
    for index in range(posts):
        if index % EVERY_SECOND == 0:
            app.control.advance(1)
        bytes(evicting)
        json.dumps(unrelated)
        if measured:
            post()


def _misses(tree: pathlib.Path, measured: bool) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as directory:
        out = pathlib.Path(directory) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", "--cache-sim=yes", *CACHES, f"--callgrind-out-file={out}"]
        code = f"import bench.cache_misses as c; c._drive({POSTS}, {measured})"
        env = {**os.environ, "PYTHONPATH": f"{tree / 'src'}:{ROOT}", "PYTHONHASHSEED": "0"}
        subprocess.run([*command, sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, check=True)
        text = out.read_text()
    names = re.search(r"^events: (.*)$", text, re.MULTILINE)
    totals = re.search(r"^(?:summary|totals): (.*)$", text, re.MULTILINE)
    assert names is not None and totals is not None
    return dict(zip(names.group(1).split(), map(int, totals.group(1).split()), strict=True))


def per_post(tree: pathlib.Path) -> dict[str, float]:
    """Instructions and last-level misses (code: ILmr, data: DLmr + DLmw) per POST."""
    without, with_posts = _misses(tree, measured=False), _misses(tree, measured=True)
    events = {name: (with_posts[name] - without[name]) / POSTS for name in ("Ir", "ILmr", "DLmr", "DLmw")}
    return {"instructions": events["Ir"], "code misses": events["ILmr"], "data misses": events["DLmr"] + events["DLmw"]}


def main() -> None:
    revision = sys.argv[1] if len(sys.argv) > 1 else "main"
    with tempfile.TemporaryDirectory() as directory:
        archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", directory], input=archive.stdout, check=True)
        for name, tree in ((revision, pathlib.Path(directory)), ("this tree", ROOT)):
            counts = per_post(tree)
            misses = counts["code misses"] + counts["data misses"]
            print(
                f"{name}: {misses:,.0f} cache lines missed a POST ("
                + ", ".join(f"{k} {v:,.0f}" for k, v in counts.items())
                + ")",
                flush=True,
            )


if __name__ == "__main__":
    main()
