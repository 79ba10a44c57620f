"""Keeping idle CPUs from halting during a load run, and counting how often they halted.

On a virtual machine (this project's: KVM, the ``haltpoll`` cpuidle driver with polling off), an idle vCPU halts,
and waking it again costs the waker a VM exit for the interrupt. On loopback the waker is the server: its
``write()`` delivers the response to wrk's socket and wakes wrk's vCPU if wrk was waiting. The slower the server,
the more often wrk waits: measured on POST c64, wrk's CPU halted 0.82-0.88 times a request against the mock and
0.16 times against the ceiling, and the wake-ups cost the mock ~10 µs of its CPU a request in the kernel
(``perf record``: the time under ``sock_def_readable``), against ~3 µs for the ceiling. A server's req/CPU-s then
depends on how idle its load generator was, and a slower server is billed more for the same work.

Linux's PM QoS interface keeps every CPU out of idle states slower to leave than the latency asked for, for as long
as the file stays open (nothing outlives the run): asking for 0 keeps idle CPUs polling, so that no server pays for
halted peers. It needs write access to ``/dev/cpu_dma_latency`` (root); without it, the run goes on and says so.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PM_QOS = Path("/dev/cpu_dma_latency")
CPUIDLE = Path("/sys/devices/system/cpu")
AS_THE_OS_HAS_THEM = "idle CPUs as the OS has them"


@contextmanager
def polling() -> Iterator[str]:
    """Hold a PM QoS request for 0 µs of wake-up latency while the block runs; yield what was done, in words."""
    try:
        handle = PM_QOS.open("wb", buffering=0)
    except OSError as exc:
        yield f"{AS_THE_OS_HAS_THEM} (cannot hold {PM_QOS}: {exc.strerror or exc})"
        return
    with handle:
        handle.write(struct.pack("i", 0))  # the kernel reads a binary s32 and keeps it until the file is closed
        yield f"idle CPUs polling ({PM_QOS} held at 0 µs)"


def halts(cpu: int) -> int | None:
    """How many times ``cpu`` has entered an idle state that stops it (every state but POLL) since boot; None when
    the kernel does not say (no cpuidle in sysfs)."""
    states = sorted((CPUIDLE / f"cpu{cpu}" / "cpuidle").glob("state*"))
    if not states:
        return None
    try:
        return sum(
            int((state / "usage").read_text()) for state in states if (state / "name").read_text().strip() != "POLL"
        )
    except OSError:
        return None
