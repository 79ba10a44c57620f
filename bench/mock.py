"""``python -m bench.mock``: our stateful mock against Stoplight Prism and the ceiling of its stack, in the same run.

The ceiling (``bench.ceiling``) is a no-op ASGI app on the mock's own stack (uvicorn + httptools + uvloop) that
answers every request with the mock's GET answer as fixed bytes: the mock's req/s as a fraction of the ceiling's
says how much of what its stack can do the mock's own work leaves. Prism is the peer.

All three servers are pinned to CPU 0 (ours and Prism serve the same openapi.yaml); wrk (one thread) and this
script run on CPU 1; load goes only to 127.0.0.1 and every run is bounded in time. Measured: start-up (spawn to
first 201, best of ``--repeat`` interleaved starts), GET and POST throughput with p50/p99 at 16 and 64 connections
(median of ``--repeat`` interleaved runs), requests per CPU-second of the server (what throughput would be with the
core to itself: on a shared machine wall-clock req/s also measures the neighbours), and peak RSS. Idle CPUs are kept
polling while the runs last (``--cpu-idle``; bench/cpu_idle.py says why), and each run says how often wrk's CPU
halted.
Targets (issue 3): req/s >= 2x Prism, p99 no worse, start-up <= 1/4 of Prism's, peak RSS <= 1/2; (issue 20) req/CPU-s
>= 60% of the ceiling for GET and >= 50% for POST, POST req/s >= 3x Prism. The load average is printed beside the
table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from bench import cpu_idle, servers, wrk
from luma_uni_mock.config import REPO_SPEC_PATH

SERVER_CPU, LOAD_CPU = 0, 1
RESULTS = Path(__file__).resolve().parent / "results"
KEY = "luma-api-bench"
POST_BODY = json.dumps(
    {"prompt": "A lighthouse on a cliff at dusk, oil painting", "aspect_ratio": "16:9", "output_format": "png"}
)
JSON_HEADERS = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
# Ours runs 1000x fast so generations finish within the run and the bounded store evicts finished ones, as it
# would over a long day; everything else is the default `make mock` configuration, minus the access log.
OUR_TIME_SCALE = "1000"
PRISM_GET_ID = "d290f1ee-6c54-4b01-90e6-d701748f0851"  # Prism is stateless: any id answers its example
# What the ceiling answers: a completed generation as our mock served it (written by capture_get_body).
CEILING_BODY = RESULTS / "ceiling-body.json"
SERVERS = ("ours", "prism", "ceiling")


def _created(probe: httpx.Client, url: str) -> bool:
    return probe.post(url, content=POST_BODY, headers=JSON_HEADERS).status_code == 201


def start_ours(log_dir: Path) -> servers.Server:
    port = servers.free_port()
    command = [sys.executable, "-m", "luma_uni_mock", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--time-scale", OUR_TIME_SCALE, "--log-level", "warning", "--no-access-log"]
    api = f"http://127.0.0.1:{port}/v1"
    ready = lambda probe: _created(probe, f"{api}/generations")  # noqa: E731
    return servers.start("ours", command, api_url=api, ready=ready, cpu=SERVER_CPU, log=log_dir / "ours.log")


def start_prism(log_dir: Path) -> servers.Server:
    port = servers.free_port()
    command = [str(servers.ensure_prism()), "mock", "-h", "127.0.0.1", "-p", str(port), "-v", "silent"]
    api = f"http://127.0.0.1:{port}"  # Prism serves the spec's paths at its root
    ready = lambda probe: _created(probe, f"{api}/generations")  # noqa: E731
    return servers.start(
        "prism", [*command, str(REPO_SPEC_PATH)], api_url=api, ready=ready, cpu=SERVER_CPU, log=log_dir / "prism.log"
    )


def start_ceiling(log_dir: Path) -> servers.Server:
    port = servers.free_port()
    command = [sys.executable, "-m", "bench.ceiling", "--body", str(CEILING_BODY), "--port", str(port)]
    api = f"http://127.0.0.1:{port}/v1"
    ready = lambda probe: _created(probe, f"{api}/generations")  # noqa: E731
    return servers.start("ceiling", command, api_url=api, ready=ready, cpu=SERVER_CPU, log=log_dir / "ceiling.log")


STARTERS: dict[str, Callable[[Path], servers.Server]] = {
    "ours": start_ours,
    "prism": start_prism,
    "ceiling": start_ceiling,
}


def interleaved(attempt: int) -> tuple[str, ...]:
    """The servers in turn, reversed every other attempt (against drift)."""
    return SERVERS if attempt % 2 == 0 else SERVERS[::-1]


@dataclass(frozen=True)
class Run:
    load: wrk.LoadResult
    cpu_seconds: float  # the server's CPU time during the run
    load_cpu_halts: int | None  # how often wrk's CPU halted during the run (bench/cpu_idle.py), if the OS says

    @property
    def halts_per_request(self) -> float | None:
        """How often wrk's CPU halted a request: each halt cost the server a wake-up (None: unknown)."""
        if self.load_cpu_halts is None or not self.load.requests:
            return None
        return self.load_cpu_halts / self.load.requests

    @property
    def requests_per_cpu_second(self) -> float:
        return self.load.requests / self.cpu_seconds if self.cpu_seconds > 0 else float("nan")


@dataclass(frozen=True)
class Cell:
    """The median of a server's runs at one method and concurrency."""

    requests_per_second: float
    requests_per_cpu_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    load_cpu_halts_per_request: float | None  # None when the OS does not say

    @classmethod
    def of(cls, runs: list[Run]) -> Cell:
        return cls(
            requests_per_second=statistics.median(run.load.requests_per_second for run in runs),
            requests_per_cpu_second=statistics.median(run.requests_per_cpu_second for run in runs),
            p50_ms=statistics.median(run.load.p50_ms for run in runs),
            p99_ms=statistics.median(run.load.p99_ms for run in runs),
            errors=sum(run.load.errors for run in runs),
            load_cpu_halts_per_request=_median_known(run.halts_per_request for run in runs),
        )


def _median_known(values: Iterable[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


def _per_request(halts: float | None) -> str:
    return "unknown" if halts is None else f"{halts:.2f}"


def get_url(server: servers.Server) -> str:
    """A generation URL that answers 200; ours creates one and lets it complete, so each GET signs a fresh URL.

    Prism answers its example for any id; so does the ceiling (its fixed body).
    """
    with httpx.Client(timeout=10.0) as http:
        generation_id = PRISM_GET_ID
        if server.name == "ours":
            generation_id = http.post(f"{server.api_url}/generations", content=POST_BODY, headers=JSON_HEADERS).json()[
                "id"
            ]
            time.sleep(0.1)  # 100 mock seconds: completed
        url = f"{server.api_url}/generations/{generation_id}"
        answer = http.get(url, headers=JSON_HEADERS)
        if answer.status_code != 200 or (server.name == "ours" and answer.json()["state"] != "completed"):
            raise RuntimeError(f"{server.name}: GET {url} answered {answer.status_code} {answer.text[:200]}")
        return url


def capture_get_body(log_dir: Path) -> int:
    """Save the mock's answer to a GET of a completed generation as the ceiling's body; return its size in bytes."""
    ours = start_ours(log_dir)
    try:
        body = httpx.get(get_url(ours), headers=JSON_HEADERS, timeout=10.0).content
    finally:
        ours.stop()
    CEILING_BODY.write_bytes(body)
    return len(body)


def load(server: servers.Server, method: str, connections: int, seconds: float) -> Run:
    url, body = (get_url(server), None) if method == "GET" else (f"{server.api_url}/generations", POST_BODY)
    cpu_before, halts_before = server.cpu_seconds(), cpu_idle.halts(LOAD_CPU)
    result = wrk.run(
        url, method=method, connections=connections, seconds=seconds, headers=JSON_HEADERS, body=body, cpu=LOAD_CPU
    )
    cpu_after, halts_after = server.cpu_seconds(), cpu_idle.halts(LOAD_CPU)
    halted = None if halts_before is None or halts_after is None else halts_after - halts_before
    return Run(result, cpu_after - cpu_before, halted)


def measure_startups(repeat: int, log_dir: Path) -> dict[str, float]:
    """Best of ``repeat`` interleaved cold starts each (noise only ever adds time)."""
    best: dict[str, float] = {}
    for attempt in range(repeat):
        for name in interleaved(attempt):
            server = STARTERS[name](log_dir)
            server.stop()
            best[name] = min(best.get(name, float("inf")), server.startup_seconds)
    return best


@dataclass(frozen=True)
class Row:
    metric: str
    ours: float
    prism: float
    ceiling: float
    higher_is_better: bool
    target: float | None  # the advantage over Prism the issues ask for
    ceiling_target: float | None = None  # the fraction of the ceiling issue 20 asks for

    def _better(self, mine: float, theirs: float) -> float:
        """How many times better ``mine`` is than ``theirs`` (above 1: better)."""
        return mine / theirs if self.higher_is_better else theirs / mine

    @property
    def advantage(self) -> float:
        return self._better(self.ours, self.prism)

    @property
    def of_ceiling(self) -> float:
        """Ours as a fraction of the bare stack: 1.0 would be a mock that costs nothing on top of it."""
        return self._better(self.ours, self.ceiling)

    @property
    def met(self) -> bool | None:
        """Whether every target of the row is met; None when it has none."""
        checks = []
        if self.target is not None:
            checks.append(self.advantage >= self.target)
        if self.ceiling_target is not None:
            checks.append(self.of_ceiling >= self.ceiling_target)
        return all(checks) if checks else None

    def markdown(self) -> str:
        digits = 0 if "req/" in self.metric else 2
        targets = [f">= {self.target:g}x" if self.target is not None else ""]
        if self.ceiling_target is not None:
            targets.append(f">= {self.ceiling_target:.0%} of ceiling")
        target = ", ".join(t for t in targets if t) or "-"
        met = "-" if self.met is None else ("yes" if self.met else "**no**")
        values = [f"{value:,.{digits}f}" for value in (self.ours, self.prism, self.ceiling)]
        cells = [self.metric, *values, f"{self.advantage:.2f}x", f"{self.of_ceiling:.2f}"]
        return "| " + " | ".join([*cells, target, met]) + " |"


TABLE_HEADER = (
    "| metric | ours | Prism | ceiling | ours vs Prism | ours / ceiling | target | met |\n"
    "|---|---|---|---|---|---|---|---|"
)
# Issue 20: the mock's own work per request, as a share of its stack's ceiling per CPU-second, and POST against
# Prism in wall-clock req/s (issue 3 asked 2x of every req/s and req/CPU-s cell).
CEILING_TARGETS = {"GET": 0.6, "POST": 0.5}
PRISM_REQUESTS_TARGETS = {"GET": 2.0, "POST": 3.0}


def rows(startup: dict[str, float], rss: dict[str, float], cells: dict[str, dict[str, Cell]]) -> list[Row]:
    table = [
        Row("start-up (s)", startup["ours"], startup["prism"], startup["ceiling"], False, 4),
        Row("peak RSS (MiB)", rss["ours"], rss["prism"], rss["ceiling"], False, 2),
    ]
    for name, cell in cells.items():
        method = name.split()[0]
        ours, prism, ceiling = (cell[server] for server in SERVERS)
        table += [
            Row(
                f"{name} req/s",
                ours.requests_per_second,
                prism.requests_per_second,
                ceiling.requests_per_second,
                True,
                PRISM_REQUESTS_TARGETS[method],
            ),
            Row(
                f"{name} req/CPU-s",
                ours.requests_per_cpu_second,
                prism.requests_per_cpu_second,
                ceiling.requests_per_cpu_second,
                True,
                2,
                CEILING_TARGETS[method],
            ),
            Row(f"{name} p50 (ms)", ours.p50_ms, prism.p50_ms, ceiling.p50_ms, False, None),
            Row(f"{name} p99 (ms)", ours.p99_ms, prism.p99_ms, ceiling.p99_ms, False, 1),
        ]
    return table


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as uptime prints them: how busy the machine was around the run."""
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mock", description="Our mock vs Prism (see the module doc).")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each load run (default 3)")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved runs and starts per cell (default 5)")
    parser.add_argument("--connections", default="16,64", help="comma-separated concurrency levels")
    parser.add_argument(
        "--cpu-idle",
        choices=("poll", "os"),
        default="poll",
        help="poll: keep idle CPUs from halting during the run, so no server pays for waking wrk (needs root; "
        "bench/cpu_idle.py); os: as the OS has them (default poll)",
    )
    args = parser.parse_args(argv)
    idle_cpus = cpu_idle.polling() if args.cpu_idle == "poll" else contextlib.nullcontext(cpu_idle.AS_THE_OS_HAS_THEM)
    with idle_cpus as idle:
        return _run(args, idle)


def _run(args: argparse.Namespace, idle: str) -> int:
    connections = [int(c) for c in args.connections.split(",")]
    os.sched_setaffinity(0, {LOAD_CPU})  # this script's own work stays off the servers' core
    wrk.find_wrk()
    servers.ensure_prism()
    RESULTS.mkdir(exist_ok=True)
    log_dir = RESULTS / "logs"

    loaded = load_average()
    print(idle, flush=True)
    print(f"load average {loaded}; ceiling body: the mock's GET answer, {capture_get_body(log_dir)} bytes", flush=True)
    startup = measure_startups(args.repeat, log_dir)
    print(
        f"start-up (best of {args.repeat}): " + ", ".join(f"{name} {startup[name]:.2f} s" for name in SERVERS),
        flush=True,
    )
    started = {name: start(log_dir) for name, start in STARTERS.items()}
    runs: dict[str, dict[str, list[Run]]] = {}
    try:
        for method in ("GET", "POST"):
            for conns in connections:
                cell = runs.setdefault(f"{method} c{conns}", {name: [] for name in SERVERS})
                for server in started.values():  # warm-up (JIT, caches), not counted
                    load(server, method, conns, 1.0)
                for attempt in range(args.repeat):
                    for name in interleaved(attempt):
                        run = load(started[name], method, conns, args.seconds)
                        cell[name].append(run)
                        print(
                            f"{method} c{conns} {name:7}: {run.load.requests_per_second:7.0f} req/s "
                            f"{run.requests_per_cpu_second:7.0f} req/CPU-s  p50 {run.load.p50_ms:7.2f} ms  "
                            f"p99 {run.load.p99_ms:7.2f} ms  errors {run.load.errors}  "
                            f"wrk's CPU halted per request {_per_request(run.halts_per_request)}",
                            flush=True,
                        )
        rss = {name: server.peak_rss_mib() for name, server in started.items()}
    finally:
        for server in started.values():
            server.stop()

    cells = {
        name: {server: Cell.of(server_runs) for server, server_runs in cell.items()} for name, cell in runs.items()
    }
    table_rows = rows(startup, rss, cells)
    table = "\n".join([TABLE_HEADER, *(row.markdown() for row in table_rows)])
    print(f"\n{table}\n")
    # Both: when the ceiling's req/s is far below its req/CPU-s, wrk (or a neighbour on its core) was the limit,
    # not the ceiling, and only the req/CPU-s fraction says how much the mock's own work costs.
    for row in table_rows:
        if row.metric.endswith((" req/s", " req/CPU-s")):
            print(f"ours {row.metric}: {row.of_ceiling:.0%} of the ceiling ({row.ours:,.0f} of {row.ceiling:,.0f})")
    for name, by_server in cells.items():  # each halt was a wake-up the server paid for (bench/cpu_idle.py)
        halted = ", ".join(f"{server} {_per_request(c.load_cpu_halts_per_request)}" for server, c in by_server.items())
        print(f"{name}: wrk's CPU halted per request: {halted}")
    print(
        f"medians of {args.repeat} interleaved {args.seconds:g} s runs; "
        f"servers on CPU {SERVER_CPU}, wrk on CPU {LOAD_CPU}; {idle}; "
        f"load average {load_average()} (at the start: {loaded})"
    )
    errors = sum(cell.errors for by_server in cells.values() for cell in by_server.values())
    if errors:
        print(f"WARNING: {errors} non-2xx answers or socket errors during the runs (see the per-run lines)")
    loads = f"load average {load_average()} (at the start: {loaded})"
    summary = {
        "load_average": loads,
        "cpu_idle": idle,
        "startup_s": startup,
        "peak_rss_mib": rss,
        "load": {
            name: {server: asdict(cell) for server, cell in by_server.items()} for name, by_server in cells.items()
        },
    }
    (RESULTS / "mock.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    (RESULTS / "mock.md").write_text(f"{table}\n\n{loads}; {idle}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
