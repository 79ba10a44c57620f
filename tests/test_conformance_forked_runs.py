"""A forked run whose exit status the forkserver lost is run once more, never judged on that status."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conformance import forked_runs


@pytest.mark.parametrize(("statuses", "judged", "runs"), [([1], 1, 1), ([255, 1], 1, 2), ([255, 255], 255, 2)])
def test_a_lost_status_is_run_again_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, statuses: list[int], judged: int, runs: int
) -> None:
    given = iter(statuses)
    calls: list[Any] = []

    def run_once(*args: Any, **kwargs: Any) -> int:
        calls.append(args)
        return next(given)

    monkeypatch.setattr(forked_runs, "_run_once", run_once)
    code = forked_runs.run_pytest(["-q"], env={}, cwd=tmp_path, output=tmp_path / "out", timeout=1)
    assert (code, len(calls)) == (judged, runs)


def test_a_run_reports_its_own_exit_status(tmp_path: Path) -> None:
    (tmp_path / "test_one.py").write_text("def test_fails():\n    assert False\n")
    code = forked_runs.run_pytest(
        [str(tmp_path / "test_one.py"), "-q", "-p", "no:cacheprovider"],
        env={"PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        output=tmp_path / "out",
        timeout=120,
    )
    assert code == 1, (tmp_path / "out").read_text()
