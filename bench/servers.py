"""Servers under test: started pinned to one core, timed until their first good answer, measured for peak RSS."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

PRISM_DIR = Path(__file__).resolve().parent / "prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"
READY_TIMEOUT_SECONDS = 120.0


def ensure_prism() -> Path:
    """Prism from npm, installed into bench/prism/ on first use (exact version from package-lock.json)."""
    if PRISM_BIN.exists():
        return PRISM_BIN
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("bench needs npm (Node.js) to install @stoplight/prism-cli into bench/prism/")
    command = "ci" if (PRISM_DIR / "package-lock.json").exists() else "install"
    print(f"installing Prism: npm {command} in {PRISM_DIR} ...", flush=True)
    subprocess.run([npm, command, "--no-audit", "--no-fund", "--loglevel=error"], cwd=PRISM_DIR, check=True)
    return PRISM_BIN


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    api_url: str  # where the generations paths live (``.../v1`` for ours, the root for Prism)
    startup_seconds: float
    log: Path
    extra: dict[str, str] = field(default_factory=dict)

    def peak_rss_mib(self) -> float:
        """Peak resident memory (VmHWM) of the server and every process it started, in MiB."""
        total_kib = 0
        for pid in _process_tree(self.process.pid):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    total_kib += int(line.split()[1])
        return total_kib / 1024

    def cpu_seconds(self) -> float:
        """User + system CPU time used so far by the server and every process it started."""
        ticks = 0
        for pid in _process_tree(self.process.pid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(
    name: str,
    command: Sequence[str],
    *,
    api_url: str,
    ready: Callable[[httpx.Client], bool],
    cpu: int,
    log: Path,
    env: dict[str, str] | None = None,
) -> Server:
    """Spawn ``command`` pinned to ``cpu``; the start-up time runs until ``ready`` first returns True."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as sink, httpx.Client(timeout=2.0) as probe:
        started = time.perf_counter()
        process = subprocess.Popen(
            ["taskset", "-c", str(cpu), *command], stdout=sink, stderr=subprocess.STDOUT, env=env or os.environ.copy()
        )
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with status {process.returncode}; see {log}")
            try:
                if ready(probe):
                    break
            except httpx.TransportError:
                pass
            if time.perf_counter() - started > READY_TIMEOUT_SECONDS:
                process.kill()
                raise RuntimeError(f"{name} was not ready within {READY_TIMEOUT_SECONDS:g} s; see {log}")
            time.sleep(0.005)
        return Server(name, process, api_url, time.perf_counter() - started, log)


def _process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree
