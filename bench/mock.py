"""``python -m bench.mock``: our stateful mock against Stoplight Prism, measured in the same run.

Both servers serve the same openapi.yaml pinned to CPU 0; wrk (one thread) and this script run on CPU 1; load goes
only to 127.0.0.1 and every run is bounded in time. Measured: start-up (spawn to first 201), GET and POST
throughput with p50/p99 at 16 and 64 connections (the median of ``--repeat`` interleaved runs), and peak RSS.
Targets (issue 3): requests/s >= 2x Prism, p99 no worse, start-up <= 1/4 of Prism's, peak RSS <= 1/2.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from bench import servers, wrk
from conformance.mock.config import REPO_SPEC_PATH

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


def _created(probe: httpx.Client, url: str) -> bool:
    return probe.post(url, content=POST_BODY, headers=JSON_HEADERS).status_code == 201


def start_ours(log_dir: Path) -> servers.Server:
    port = servers.free_port()
    command = [sys.executable, "-m", "conformance.mock", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--time-scale", OUR_TIME_SCALE, "--log-level", "warning", "--no-access-log"]
    api = f"http://127.0.0.1:{port}/v1"
    return servers.start(
        "ours",
        command,
        api_url=api,
        ready=lambda p: _created(p, f"{api}/generations"),
        cpu=SERVER_CPU,
        log=log_dir / "ours.log",
    )


def start_prism(log_dir: Path) -> servers.Server:
    prism = servers.ensure_prism()
    port = servers.free_port()
    command = [str(prism), "mock", "-h", "127.0.0.1", "-p", str(port), "-v", "silent", str(REPO_SPEC_PATH)]
    api = f"http://127.0.0.1:{port}"  # Prism serves the spec's paths at its root
    return servers.start(
        "prism",
        command,
        api_url=api,
        ready=lambda p: _created(p, f"{api}/generations"),
        cpu=SERVER_CPU,
        log=log_dir / "prism.log",
    )


def get_target(server: servers.Server) -> str:
    """A generation URL that answers 200: ours must have created it (and it completes, so GET signs a URL)."""
    with httpx.Client(timeout=10.0) as http:
        created = http.post(f"{server.api_url}/generations", content=POST_BODY, headers=JSON_HEADERS)
        generation_id = created.json()["id"] if server.name == "ours" else "d290f1ee-6c54-4b01-90e6-d701748f0851"
        time.sleep(0.1)  # 100 mock seconds for ours: completed
        url = f"{server.api_url}/generations/{generation_id}"
        answer = http.get(url, headers=JSON_HEADERS)
        assert answer.status_code == 200, answer.text
        return url


def load(server: servers.Server, method: str, connections: int, seconds: float) -> wrk.LoadResult:
    if method == "GET":
        url = get_target(server)
        return wrk.run(url, method="GET", connections=connections, seconds=seconds, headers=JSON_HEADERS, cpu=LOAD_CPU)
    return wrk.run(
        f"{server.api_url}/generations",
        method="POST",
        connections=connections,
        seconds=seconds,
        headers=JSON_HEADERS,
        body=POST_BODY,
        cpu=LOAD_CPU,
    )


def median_result(results: list[wrk.LoadResult]) -> wrk.LoadResult:
    ordered = sorted(results, key=lambda r: r.requests_per_second)
    middle = ordered[len(ordered) // 2]
    return wrk.LoadResult(
        requests_per_second=middle.requests_per_second,
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        requests=sum(r.requests for r in results),
        errors=sum(r.errors for r in results),
    )


@dataclass(frozen=True)
class Row:
    metric: str
    ours: float
    prism: float
    advantage: float  # how many times better ours is (higher is better)
    target: str
    met: bool

    def markdown(self) -> str:
        digits = 0 if "req/s" in self.metric else 2
        cells = [self.metric, f"{self.ours:,.{digits}f}", f"{self.prism:,.{digits}f}", f"{self.advantage:.2f}x"]
        return "| " + " | ".join([*cells, self.target, "yes" if self.met else "**no**"]) + " |"


def rows(startup: dict[str, float], rss: dict[str, float], cells: dict[str, dict[str, wrk.LoadResult]]) -> list[Row]:
    """The table: ours vs Prism, with each issue-3 target; ``advantage`` > 1 means ours is better."""
    table = [
        Row("start-up (s)", startup["ours"], startup["prism"], startup["prism"] / startup["ours"], ">= 4x", False),
        Row("peak RSS (MiB)", rss["ours"], rss["prism"], rss["prism"] / rss["ours"], ">= 2x", False),
    ]
    table = [dataclasses.replace(row, met=row.advantage >= (4 if "start" in row.metric else 2)) for row in table]
    for name, cell in cells.items():
        mine, theirs = cell["ours"], cell["prism"]
        rps = mine.requests_per_second / theirs.requests_per_second
        table += [
            Row(f"{name} req/s", mine.requests_per_second, theirs.requests_per_second, rps, ">= 2x", rps >= 2),
            Row(f"{name} p50 (ms)", mine.p50_ms, theirs.p50_ms, theirs.p50_ms / mine.p50_ms, "-", True),
            Row(
                f"{name} p99 (ms)",
                mine.p99_ms,
                theirs.p99_ms,
                theirs.p99_ms / mine.p99_ms,
                ">= 1x",
                mine.p99_ms <= theirs.p99_ms,
            ),
        ]
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.mock", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each load run (default 5)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved runs per cell; the median is reported")
    parser.add_argument("--connections", default="16,64", help="comma-separated concurrency levels")
    args = parser.parse_args(argv)
    connections = [int(c) for c in args.connections.split(",")]
    os.sched_setaffinity(0, {LOAD_CPU})  # this script's own work stays off the servers' core
    wrk.find_wrk()
    servers.ensure_prism()

    RESULTS.mkdir(exist_ok=True)
    log_dir = RESULTS / "logs"
    started: list[servers.Server] = []
    try:
        # Start-up first, one at a time, each alone on its core.
        ours = start_ours(log_dir)
        started.append(ours)
        prism = start_prism(log_dir)
        started.append(prism)
        print(f"start-up: ours {ours.startup_seconds:.2f} s, prism {prism.startup_seconds:.2f} s", flush=True)

        cells: dict[tuple[str, int], dict[str, list[wrk.LoadResult]]] = {}
        for method in ("GET", "POST"):
            for conns in connections:
                cell = cells.setdefault((method, conns), {"ours": [], "prism": []})
                for server in (ours, prism):  # warm-up (JIT, caches, connection pools), not counted
                    load(server, method, conns, 1.0)
                for run in range(args.repeat):
                    for server in (ours, prism) if run % 2 == 0 else (prism, ours):  # interleaved against drift
                        result = load(server, method, conns, args.seconds)
                        cell[server.name].append(result)
                        print(
                            f"{method} c{conns} {server.name:5}: {result.requests_per_second:8.0f} req/s  "
                            f"p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:6.2f} ms  errors {result.errors}",
                            flush=True,
                        )
        rss = {server.name: server.peak_rss_mib() for server in started}
    finally:
        for server in started:
            server.stop()

    startup = {server.name: server.startup_seconds for server in started}
    medians = {
        f"{method} c{conns}": {name: median_result(results) for name, results in cell.items()}
        for (method, conns), cell in cells.items()
    }
    header = "| metric | ours | Prism | ours vs Prism | target | met |\n|---|---|---|---|---|---|"
    table = "\n".join([header, *(row.markdown() for row in rows(startup, rss, medians))])
    print(f"\n{table}\n")
    print(
        f"median of {args.repeat} interleaved runs of {args.seconds:g} s per cell; "
        f"servers on CPU {SERVER_CPU}, wrk on CPU {LOAD_CPU}"
    )
    errors = sum(result.errors for cell in medians.values() for result in cell.values())
    if errors:
        print(f"WARNING: {errors} non-2xx or socket errors during the runs (see the per-run lines)")
    summary = {
        "startup_s": startup,
        "peak_rss_mib": rss,
        "load": {name: {server: asdict(result) for server, result in cell.items()} for name, cell in medians.items()},
    }
    (RESULTS / "mock.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    (RESULTS / "mock.md").write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
