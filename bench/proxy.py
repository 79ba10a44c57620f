"""``python -m bench.proxy``: what the validating proxy costs, measured through it against straight to the mock, in
the same run.

The mock (as ``bench.mock`` starts it, 1000x time scale) is pinned to CPU 0; the proxy (``luma-uni-proxy``, every
check on) to CPU 1, beside wrk (one thread), which loads either the mock or the proxy at 127.0.0.1, interleaved.
Added latency is the p50 difference at one connection (a request alone: the proxy's own time, not a queue); the
throughput share is the proxy's req/s over the direct req/s at 16 connections. Each cell is the median of
``--repeat`` interleaved runs after a warm-up. Goal (issue 19): at most 2 ms added at p50, at least 50% of the direct
req/s, for GET and POST.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from bench import servers, wrk
from bench.mock import JSON_HEADERS, LOAD_CPU, POST_BODY, RESULTS, get_url, start_ours

PROXY_CPU = LOAD_CPU  # the mock keeps CPU 0 to itself: direct and proxied runs give it the same core
LATENCY_CONNECTIONS, THROUGHPUT_CONNECTIONS = 1, 16
MAX_ADDED_P50_MS, MIN_SHARE = 2.0, 0.5


def start_proxy(upstream: str, log_dir: Path) -> servers.Server:
    port = servers.free_port()
    command = [sys.executable, "-m", "luma_uni_proxy", "--upstream", upstream, "--port", str(port)]
    command += ["--reports", str(log_dir / "proxy-reports")]
    api = f"http://127.0.0.1:{port}{httpx.URL(upstream).path.rstrip('/')}"

    def ready(probe: httpx.Client) -> bool:
        return probe.post(f"{api}/generations", content=POST_BODY, headers=JSON_HEADERS).status_code == 201

    return servers.start("proxy", command, api_url=api, ready=ready, cpu=PROXY_CPU, log=log_dir / "proxy.log")


@dataclass(frozen=True)
class Cell:
    """Medians of one method at one concurrency, straight to the mock and through the proxy."""

    direct_rps: float
    proxied_rps: float
    direct_p50_ms: float
    proxied_p50_ms: float
    errors: int


def _measure(urls: dict[str, str], method: str, connections: int, seconds: float, repeat: int) -> Cell:
    body = POST_BODY if method == "POST" else None

    def run(target: str) -> wrk.LoadResult:
        return wrk.run(
            urls[target], method=method, connections=connections, seconds=seconds, headers=JSON_HEADERS, body=body,
            cpu=LOAD_CPU,
        )  # fmt: skip

    for target in urls:  # warm-up, not counted
        run(target)
    results: dict[str, list[wrk.LoadResult]] = {"direct": [], "proxied": []}
    for attempt in range(repeat):
        for target in ("direct", "proxied") if attempt % 2 == 0 else ("proxied", "direct"):
            result = run(target)
            results[target].append(result)
            print(
                f"{method} c{connections} {target:8}: {result.requests_per_second:7.0f} req/s  "
                f"p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:6.2f} ms  errors {result.errors}",
                flush=True,
            )

    def median(target: str, metric: Callable[[wrk.LoadResult], float]) -> float:
        return statistics.median(metric(result) for result in results[target])

    return Cell(
        direct_rps=median("direct", lambda r: r.requests_per_second),
        proxied_rps=median("proxied", lambda r: r.requests_per_second),
        direct_p50_ms=median("direct", lambda r: r.p50_ms),
        proxied_p50_ms=median("proxied", lambda r: r.p50_ms),
        errors=sum(r.errors for rs in results.values() for r in rs),
    )


def table(cells: dict[str, Cell]) -> str:
    lines = [
        "| method | direct p50 c1 (ms) | proxied p50 c1 (ms) | added p50 (ms) | goal | direct c16 req/s | "
        "proxied c16 req/s | share | goal |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for method in ("GET", "POST"):
        latency, throughput = cells[f"{method} c{LATENCY_CONNECTIONS}"], cells[f"{method} c{THROUGHPUT_CONNECTIONS}"]
        added = latency.proxied_p50_ms - latency.direct_p50_ms
        share = throughput.proxied_rps / throughput.direct_rps
        lines.append(
            f"| {method} | {latency.direct_p50_ms:.2f} | {latency.proxied_p50_ms:.2f} | {added:.2f} | "
            f"<= {MAX_ADDED_P50_MS:g}: {'yes' if added <= MAX_ADDED_P50_MS else '**no**'} | "
            f"{throughput.direct_rps:,.0f} | {throughput.proxied_rps:,.0f} | {share:.0%} | "
            f">= {MIN_SHARE:.0%}: {'yes' if share >= MIN_SHARE else '**no**'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.proxy", description="The proxy's cost (see the module doc).")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each load run (default 3)")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved runs per cell (default 5)")
    args = parser.parse_args(argv)
    os.sched_setaffinity(0, {LOAD_CPU})
    wrk.find_wrk()
    RESULTS.mkdir(exist_ok=True)
    log_dir = RESULTS / "logs"
    mock = start_ours(log_dir)
    try:
        proxy = start_proxy(mock.api_url, log_dir)
        try:
            direct_get = get_url(mock)
            # A generation id is the same through the proxy: GET it there (each GET signs a fresh URL either way).
            urls = {
                "GET": {"direct": direct_get, "proxied": direct_get.replace(mock.api_url, proxy.api_url)},
                "POST": {"direct": f"{mock.api_url}/generations", "proxied": f"{proxy.api_url}/generations"},
            }
            cells = {
                f"{method} c{connections}": _measure(urls[method], method, connections, args.seconds, args.repeat)
                for method in ("GET", "POST")
                for connections in (LATENCY_CONNECTIONS, THROUGHPUT_CONNECTIONS)
            }
        finally:
            proxy.stop()
    finally:
        mock.stop()
    text = table(cells)
    print(f"\n{text}\n")
    print(
        f"medians of {args.repeat} interleaved {args.seconds:g} s runs; mock on CPU 0, proxy and wrk on CPU {LOAD_CPU}"
    )
    reports = log_dir / "proxy-reports" / "proxy-report.json"
    if reports.exists():
        summary = json.loads(reports.read_text(encoding="utf-8"))
        print(f"the proxy judged {summary['exchanges']:,} exchanges: {summary['findings']} finding(s)")
    if any(cell.errors for cell in cells.values()):
        print("WARNING: non-2xx answers or socket errors during the runs (see the per-run lines)")
    (RESULTS / "proxy.json").write_text(json.dumps({k: asdict(v) for k, v in cells.items()}, indent=2), "utf-8")
    (RESULTS / "proxy.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
