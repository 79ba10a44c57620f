"""`python -m bench.client`: our client against raw httpx and the official SDK, measured in one run.

1. Per-call cost of create + get through ``httpx.MockTransport`` (no network, the same canned bodies for all three):
   the CPU time of this thread (time.thread_time: waiting for a core is not the code's cost), best of many short
   interleaved rounds.
2. Time to a usable client in fresh interpreters: CPU time, best of N, minus a bare interpreter's; with bytecode
   compiled, as after a pip install. The headline is import + the first client (``from luma_uni import Luma`` and
   ``Luma(...)``, what a program does before its first call), against raw httpx + its first client; then the same
   plus a first create + get (so nothing is only moved from the client to its first call); and, as details, the
   bare import (luma_uni imports its names on first use, so it says little) as installed here and without click.
3. The GETs ``wait()`` issues for a 30 s generation, on the mock's clock (moved by the client's injected sleep, so
   the run is instant and deterministic), and how long after completion it noticed.

Targets: per call <= 1.15x raw httpx (issue 20) and <= 0.5x the official SDK (issue 5); import + first client
<= 1.1x raw httpx + its first client (issue 20); bare ``import luma_uni`` <= 0.45x ``import luma_agents`` (issue
11); completion noticed within 2 s with <= 20 GETs. The load average is printed beside the table.
"""

from __future__ import annotations

import compileall
import json
import os
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
# Many short rounds: on a loaded machine the best round is the one no neighbour disturbed (CPU time still counts the
# caches they thrash), and a short round is more likely to be one.
ROUNDS, CALLS_PER_ROUND, WARMUP = 40, 100, 20
CALL_TARGET = 1.15  # x raw httpx + json, per create + get (issue 20)
# A fresh interpreter costs ~0.25 s of CPU and its best of 20 still moved by ~2.5%: 100 interleaved launches of the
# headline pair read 1.061x by their best and 1.076x by their medians, while runs of 20 read 1.04x to 1.11x, around a
# 1.1x goal. Best of 40 halves the launches' share of noise in the verdict, for ~1 minute more.
IMPORT_RUNS = 40
READY_TARGET = 1.1  # x raw httpx + its first client (issue 20)
IMPORTS = {
    "raw httpx + json": "import httpx, json",
    "luma_uni": "import luma_uni",
    "luma-agents 0.2.0": "import luma_agents",
}
IMPORT_TARGET = 0.45  # x the official SDK's import
# httpx 0.28 imports its optional CLI (click, rich, pygments: ~50 ms) whenever click is installed, as it is in this
# dev venv (typer, for openapi-python-client). A plain `pip install luma-uni` has no click: hiding it shows that case.
WITHOUT_CLICK = "import sys; sys.modules['click'] = None; "
# Time to a usable client: what a program does before its first call (the official SDK also imports its resources
# and types on first use). The headline row.
READY = {
    "raw httpx + json": "import httpx, json; httpx.Client()",
    "luma_uni": "from luma_uni import Luma; Luma(api_key='luma-api-x').generations",
    "luma-agents 0.2.0": "from luma_agents import Luma; Luma(auth_token='luma-api-x').generations",
}
# The same and a first create + get through httpx.MockTransport, so that work moved from the client to its first
# call shows: luma_uni imports some modules on first use.
_TRANSPORT = (
    "import httpx, json\n"
    f"BODY = {BODY!r}\n"
    "def answer(request):\n"
    "    return httpx.Response(201 if request.method == 'POST' else 200, content=BODY,"
    " headers={'content-type': 'application/json'})\n"
    # Mounted, so the client still builds its default transport (the SSL context: most of a first client's cost)
    "http = httpx.Client(mounts={'all://': httpx.MockTransport(answer)})\n"
)
FIRST_CALL = {
    "raw httpx + json": _TRANSPORT + f"created = http.post('{BASE_URL}/generations', json={{'prompt': 'a lighthouse'}},"
    f" headers={{'Authorization': 'Bearer {KEY}'}}).json()\n"
    f"http.get('{BASE_URL}/generations/' + created['id'], headers={{'Authorization': 'Bearer {KEY}'}}).json()",
    "luma_uni": _TRANSPORT + "from luma_uni import Luma\n"
    f"client = Luma(api_key='{KEY}', base_url='{BASE_URL}', http_client=http)\n"
    "client.generations.get(client.generations.create(prompt='a lighthouse').id)",
    "luma-agents 0.2.0": _TRANSPORT + "from luma_agents import Luma\n"
    f"client = Luma(auth_token='{KEY}', base_url='{BASE_URL}', http_client=http)\n"
    "client.generations.get(client.generations.create(prompt='a lighthouse').id)",
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
    """CPU seconds of this thread per create + get, best of ROUNDS interleaved rounds."""
    runs = {"raw httpx + json": raw_httpx(), "luma_uni": ours(), "luma-agents 0.2.0": official()}
    best = dict.fromkeys(runs, float("inf"))
    for attempt in range(ROUNDS):  # interleaved, in turn reversed, so a noisy neighbour hurts all three alike
        for name, run in runs.items() if attempt % 2 == 0 else reversed(runs.items()):
            for _ in range(WARMUP):
                run()
            started = time.thread_time()
            for _ in range(CALLS_PER_ROUND):
                run()
            best[name] = min(best[name], (time.thread_time() - started) / CALLS_PER_ROUND)
    return best


def _start_seconds(statement: str) -> float:
    """CPU seconds (user + system) of one fresh interpreter running ``statement``.

    CPU time rather than wall time: on a shared machine, waiting for a core is not the code's cost.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", statement], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _compile_bytecode() -> None:
    """Write the .pyc files a pip install writes. The editable checkout has none, and PYTHONDONTWRITEBYTECODE
    (set on this machine) would make every fresh interpreter compile our sources again."""
    import luma_agents_client
    import luma_uni

    for package in (luma_uni, luma_agents_client):
        compileall.compile_dir(Path(str(package.__file__)).parent, quiet=1)


def import_seconds() -> dict[str, dict[str, float]]:
    """CPU seconds above a bare interpreter, per variant: to a ready client (the headline), to the end of a first
    create + get, and the bare import as installed here and without click. Best of IMPORT_RUNS rounds, each
    running every statement once, so that a busy spell of the machine falls on all of them alike."""
    _compile_bytecode()
    variants = {
        "import + client": READY,
        "import + client + first call": FIRST_CALL,
        "import": IMPORTS,
        "import, no click": {name: WITHOUT_CLICK + statement for name, statement in IMPORTS.items()},
    }
    statements = {"bare": "pass"} | {
        f"{variant}\0{name}": statement for variant, named in variants.items() for name, statement in named.items()
    }
    best = dict.fromkeys(statements, float("inf"))
    for _ in range(IMPORT_RUNS):
        for key, statement in statements.items():
            best[key] = min(best[key], _start_seconds(statement))
    return {
        variant: {name: best[f"{variant}\0{name}"] - best["bare"] for name in named}
        for variant, named in variants.items()
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
    return f"| {name:<46} | {value:>12} | {ratios:<34} | {verdict:<6} |"


def main() -> int:
    calls = per_call_seconds()
    imports = import_seconds()
    waited = wait_requests()
    raw, mine, theirs = calls["raw httpx + json"], calls["luma_uni"], calls["luma-agents 0.2.0"]
    print(_row("measure", "value", "ratios", "target"))
    print(_row("-" * 46, "-" * 12, "-" * 34, "-" * 6))
    for variant, seconds in imports.items():
        imp_raw, imp_mine, imp_theirs = seconds["raw httpx + json"], seconds["luma_uni"], seconds["luma-agents 0.2.0"]
        if variant == "import + client":
            verdict = _ok(imp_mine <= READY_TARGET * imp_raw)
        elif variant.startswith("import,") or variant == "import":
            verdict = _ok(imp_mine <= IMPORT_TARGET * imp_theirs)
        else:
            verdict = ""
        print(_row(f"{variant}, raw httpx + json", f"{imp_raw * 1e3:.0f} ms", "", ""))
        print(_row(f"{variant}, luma_uni", f"{imp_mine * 1e3:.0f} ms", _ratios(imp_mine, imp_raw, imp_theirs), verdict))
        print(_row(f"{variant}, luma-agents 0.2.0", f"{imp_theirs * 1e3:.0f} ms", "", ""))
    print(_row("create+get, raw httpx + json", f"{raw * 1e6:.0f} µs", "1.00x", ""))
    ok_call = mine <= CALL_TARGET * raw and mine <= 0.5 * theirs
    print(_row("create+get, luma_uni", f"{mine * 1e6:.0f} µs", _ratios(mine, raw, theirs), _ok(ok_call)))
    print(_row("create+get, luma-agents 0.2.0", f"{theirs * 1e6:.0f} µs", f"{theirs / raw:.2f}x raw", ""))
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
        f"\n(create+get: CPU time of this thread, best of {ROUNDS} interleaved rounds x {CALLS_PER_ROUND} calls;"
        f" start-up rows: CPU time, best of {IMPORT_RUNS} fresh interpreters minus a bare one; Python"
        f" {sys.version.split()[0]}, httpx {httpx.__version__}; load average {_load_average()})"
    )
    return 0


def _load_average() -> str:
    """The 1, 5 and 15 minute load averages, as uptime prints them: how busy the machine was around the run."""
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


def _ratios(value: float, raw: float, official: float) -> str:
    return f"{value / raw:.2f}x raw, {value / official:.2f}x official"


def _ok(passed: bool) -> str:
    return "met" if passed else "MISSED"


if __name__ == "__main__":
    sys.exit(main())
