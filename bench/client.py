"""`python -m bench.client`: our client against raw httpx and the official SDK, measured in one run.

1. Per-call cost of create + get through ``httpx.MockTransport`` (no network, the same canned bodies for all three),
   best of several interleaved rounds.
2. Import time in fresh interpreters: CPU time, best of N, minus a bare interpreter's; with bytecode compiled, as
   after a pip install. Three variants: ``import`` as installed here, without click (a plain `pip install luma-uni`),
   and import + the first client. luma_uni imports its names on first use, so the last row is where its cost went:
   it is shown beside the bare import, not instead of it.
3. The GETs ``wait()`` issues for a 30 s generation, on the mock's clock (moved by the client's injected sleep, so
   the run is instant and deterministic), and how long after completion it noticed.

Targets: per call <= 1.3x raw httpx and <= 0.5x the official SDK (issue 5); ``import luma_uni`` <= 0.45x
``import luma_agents`` (issue 11); completion noticed within 2 s with <= 20 GETs.
"""

from __future__ import annotations

import compileall
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from luma_uni_mock.config import MockConfig
from luma_uni_mock.serve import serve_in_thread

BASE_URL = "https://api.example/v1"
KEY = "luma-api-bench0123456789abcdef"
GENERATION_ID = "d290f1ee-6c54-4b01-90e6-d701748f0851"
BODY = json.dumps(
    {
        "id": GENERATION_ID,
        "type": "image",
        "state": "queued",
        "model": "uni-1",
        "created_at": "2026-04-08T12:00:00Z",
        "output": [],
        "failure_reason": None,
        "failure_code": None,
    }
).encode()
ROUNDS, CALLS_PER_ROUND, WARMUP = 7, 300, 100
IMPORT_RUNS = 15
IMPORTS = {
    "raw httpx + json": "import httpx, json",
    "luma_uni": "import luma_uni",
    "luma-agents 0.2.0": "import luma_agents",
}
IMPORT_TARGET = 0.45  # x the official SDK's import
# httpx 0.28 imports its optional CLI (click, rich, pygments: ~50 ms) whenever click is installed, as it is in this
# dev venv (typer, for openapi-python-client). A plain `pip install luma-uni` has no click: hiding it shows that case.
WITHOUT_CLICK = "import sys; sys.modules['click'] = None; "
# Time to a usable client: the official SDK imports its resources and types on first use, so compare this too.
READY = {
    "raw httpx + json": "import httpx, json; httpx.Client()",
    "luma_uni": "from luma_uni import Luma; Luma(api_key='luma-api-x').generations",
    "luma-agents 0.2.0": "from luma_agents import Luma; Luma(auth_token='luma-api-x').generations",
}


def _handler(request: httpx.Request) -> httpx.Response:
    status = 201 if request.method == "POST" else 200
    return httpx.Response(status, content=BODY, headers={"content-type": "application/json"})


def _transport_client(**kwargs: object) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(_handler), **kwargs)  # type: ignore[arg-type]


def raw_httpx() -> Callable[[], None]:
    client = _transport_client(base_url=BASE_URL, headers={"Authorization": f"Bearer {KEY}"})

    def create_and_get() -> None:
        created = client.post("/generations", json={"prompt": "a lighthouse"}).json()
        client.get(f"/generations/{created['id']}").json()

    return create_and_get


def ours() -> Callable[[], None]:
    from luma_uni import Luma

    client = Luma(api_key=KEY, base_url=BASE_URL, http_client=_transport_client())

    def create_and_get() -> None:
        created = client.generations.create(prompt="a lighthouse")
        client.generations.get(created.id)

    return create_and_get


def official() -> Callable[[], None]:
    from luma_agents import Luma

    client = Luma(auth_token=KEY, base_url=BASE_URL, http_client=_transport_client())

    def create_and_get() -> None:
        created = client.generations.create(prompt="a lighthouse")
        client.generations.get(created.id)

    return create_and_get


def per_call_seconds() -> dict[str, float]:
    runs = {"raw httpx + json": raw_httpx(), "luma_uni": ours(), "luma-agents 0.2.0": official()}
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(ROUNDS):  # interleaved, so a noisy neighbour hurts all three alike
        for name, run in runs.items():
            for _ in range(WARMUP):
                run()
            started = time.perf_counter()
            for _ in range(CALLS_PER_ROUND):
                run()
            best[name] = min(best[name], (time.perf_counter() - started) / CALLS_PER_ROUND)
    return best


def _start_seconds(statement: str) -> float:
    """CPU seconds (user + system) of a fresh interpreter running ``statement``, best of IMPORT_RUNS.

    CPU time rather than wall time: on a shared machine, waiting for a core is not the code's cost.
    """
    best = float("inf")
    for _ in range(IMPORT_RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", statement], check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best


def _compile_bytecode() -> None:
    """Write the .pyc files a pip install writes. The editable checkout has none, and PYTHONDONTWRITEBYTECODE
    (set on this machine) would make every fresh interpreter compile our sources again."""
    import luma_agents_client
    import luma_uni

    for package in (luma_uni, luma_agents_client):
        compileall.compile_dir(Path(str(package.__file__)).parent, quiet=1)


def import_seconds() -> dict[str, dict[str, float]]:
    """CPU seconds above a bare interpreter, per variant (as installed here, without click, to a ready client)."""
    _compile_bytecode()
    bare = _start_seconds("pass")
    variants = {
        "import": IMPORTS,
        "import, no click": {name: WITHOUT_CLICK + statement for name, statement in IMPORTS.items()},
        "import + client": READY,
    }
    return {
        variant: {name: _start_seconds(statement) - bare for name, statement in statements.items()}
        for variant, statements in variants.items()
    }


@dataclass
class WaitResult:
    gets: int
    noticed_after: float  # mock seconds between completion and the poll that saw it
    generation_seconds: float


def wait_requests() -> WaitResult:
    from luma_uni import Luma
    from luma_uni.testing import set_time

    config = MockConfig(time_scale=1e-9, queued_seconds=2.0, processing_seconds=28.0)  # the clock moves on sleep()
    gets = 0

    def count(request: httpx.Request) -> None:
        nonlocal gets
        gets += request.method == "GET"

    with serve_in_thread(config) as mock, httpx.Client(event_hooks={"request": [count]}) as http:
        now = 0.0

        def sleep(seconds: float) -> None:
            nonlocal now
            now += seconds
            mock.control.advance(seconds)

        client = Luma(api_key=mock.api_key, base_url=mock.base_url, http_client=http)
        with set_time(client, sleep=sleep, clock=lambda: now) as c:
            c.generations.create_and_wait(prompt="a lighthouse")
    total = config.queued_seconds + config.processing_seconds
    return WaitResult(gets=gets, noticed_after=now - total, generation_seconds=total)


def _row(name: str, value: str, ratios: str, verdict: str) -> str:
    return f"| {name:<38} | {value:>12} | {ratios:<34} | {verdict:<6} |"


def main() -> int:
    calls = per_call_seconds()
    imports = import_seconds()
    waited = wait_requests()
    raw, mine, theirs = calls["raw httpx + json"], calls["luma_uni"], calls["luma-agents 0.2.0"]
    print(_row("measure", "value", "ratios", "target"))
    print(_row("-" * 38, "-" * 12, "-" * 34, "-" * 6))
    print(_row("create+get, raw httpx + json", f"{raw * 1e6:.0f} µs", "1.00x", ""))
    ok_call = mine <= 1.3 * raw and mine <= 0.5 * theirs
    print(_row("create+get, luma_uni", f"{mine * 1e6:.0f} µs", _ratios(mine, raw, theirs), _ok(ok_call)))
    print(_row("create+get, luma-agents 0.2.0", f"{theirs * 1e6:.0f} µs", f"{theirs / raw:.2f}x raw", ""))
    for variant, seconds in imports.items():
        imp_raw, imp_mine, imp_theirs = seconds["raw httpx + json"], seconds["luma_uni"], seconds["luma-agents 0.2.0"]
        verdict = _ok(imp_mine <= IMPORT_TARGET * imp_theirs) if variant != "import + client" else ""
        print(_row(f"{variant}, raw httpx + json", f"{imp_raw * 1e3:.0f} ms", "", ""))
        print(_row(f"{variant}, luma_uni", f"{imp_mine * 1e3:.0f} ms", _ratios(imp_mine, imp_raw, imp_theirs), verdict))
        print(_row(f"{variant}, luma-agents 0.2.0", f"{imp_theirs * 1e3:.0f} ms", "", ""))
    ok_wait = waited.gets <= 20 and waited.noticed_after <= 2.0
    print(
        _row(
            f"wait() on a {waited.generation_seconds:g} s generation",
            f"{waited.gets} GETs",
            f"noticed {waited.noticed_after:.1f} s after completion",
            _ok(ok_wait),
        )
    )
    print(
        f"\n(best of {ROUNDS} rounds x {CALLS_PER_ROUND} calls; imports: CPU time, best of {IMPORT_RUNS} fresh"
        f" interpreters minus a bare one; Python {sys.version.split()[0]}, httpx {httpx.__version__})"
    )
    return 0


def _ratios(value: float, raw: float, official: float) -> str:
    return f"{value / raw:.2f}x raw, {value / official:.2f}x official"


def _ok(passed: bool) -> str:
    return "met" if passed else "MISSED"


if __name__ == "__main__":
    sys.exit(main())
