"""Load from wrk (Debian package ``wrk``): a C load generator, so the client side is never the bottleneck."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_PERCENTILE = re.compile(r"^\s*(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx answers plus socket errors


def find_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("bench needs wrk, a C load generator: apt-get install wrk (Debian/Ubuntu) or brew install wrk")
    return path


def run(
    url: str,
    *,
    method: str,
    connections: int,
    seconds: float,
    headers: dict[str, str],
    body: str | None = None,
    cpu: int | None = None,
) -> LoadResult:
    """One bounded wrk run (one thread, pinned to ``cpu``) against ``url``."""
    script = f"wrk.method = {json.dumps(method)}\n"
    if body is not None:
        script += f"wrk.body = {json.dumps(body)}\n"
    for name, value in headers.items():
        script += f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}\n"
    with tempfile.TemporaryDirectory() as tmp:
        lua = Path(tmp) / "request.lua"
        lua.write_text(script, encoding="utf-8")
        command = [find_wrk(), "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", "-s", str(lua), url]
        if cpu is not None:
            command = ["taskset", "-c", str(cpu), *command]
        output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    return parse(output)


def parse(output: str) -> LoadResult:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    percentiles = {p: float(value) * _UNITS[unit] for p, value, unit in _PERCENTILE.findall(output)}
    if rps is None or total is None or set(percentiles) != {"50", "99"}:
        raise RuntimeError(f"cannot read wrk's output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(count) for count in socket_errors.groups())
    return LoadResult(float(rps.group(1)), percentiles["50"], percentiles["99"], int(total.group(1)), errors)
