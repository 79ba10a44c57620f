"""bench/cpu_idle.py: what `make bench` says about idle CPUs must be what the OS did."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import cpu_idle


def _state(root: Path, cpu: int, index: int, name: str, usage: int) -> None:
    state = root / f"cpu{cpu}" / "cpuidle" / f"state{index}"
    state.mkdir(parents=True)
    (state / "name").write_text(f"{name}\n")
    (state / "usage").write_text(f"{usage}\n")


def test_halts_count_every_idle_state_but_polling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _state(tmp_path, 1, 0, "POLL", 500)  # polling stops nothing: a waker pays no wake-up for it
    _state(tmp_path, 1, 1, "haltpoll", 30)
    _state(tmp_path, 1, 2, "C1E", 12)
    _state(tmp_path, 0, 0, "POLL", 7)
    monkeypatch.setattr(cpu_idle, "CPUIDLE", tmp_path)
    assert cpu_idle.halts(1) == 42
    assert cpu_idle.halts(0) == 0
    assert cpu_idle.halts(5) is None  # no cpuidle for that CPU: unknown, not zero


def test_polling_says_so_when_it_cannot_hold_the_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cpu_idle, "PM_QOS", tmp_path / "missing" / "cpu_dma_latency")
    with cpu_idle.polling() as idle:
        assert idle.startswith(cpu_idle.AS_THE_OS_HAS_THEM)
        assert "cannot hold" in idle


def test_polling_asks_for_zero_latency_while_the_block_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    request = tmp_path / "cpu_dma_latency"
    request.write_bytes(b"")
    monkeypatch.setattr(cpu_idle, "PM_QOS", request)
    with cpu_idle.polling() as idle:
        assert request.read_bytes() == (0).to_bytes(4, "little", signed=True)  # the kernel's binary s32
        assert idle.startswith("idle CPUs polling")
