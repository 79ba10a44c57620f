"""The order `make mutation` runs one mutant's tests in: quickest first (a pytest plugin for the mutation copy only).

mutmut runs each mutant's tests with ``-x`` and stops at the first failure, so a mutant that a quick test kills
should never wait for a slow one. mutmut hands pytest the tests as an unordered set; this hook sorts them by the
durations mutmut measured in its stats run (mutants/mutmut-stats.json, the working directory of its runs), tests it
never timed last. scripts/mutation.py installs this file as the copy's root conftest.py; the checkout never loads it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

STATS = Path("mutmut-stats.json")


def _durations() -> dict[str, float]:
    try:
        stats = json.loads(STATS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # the stats run itself: nothing measured yet
    durations = stats.get("duration_by_test", {}) if isinstance(stats, dict) else {}
    return {str(name): float(seconds) for name, seconds in durations.items()}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Only a mutant's run: mutmut's stats run must see the suite in its own order (its timing of schemathesis'
    # sub-tests relies on it), and mutmut names the run it is in by this variable.
    if "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", ""):
        return
    durations = _durations()
    if durations:
        items.sort(key=lambda item: durations.get(item.nodeid, float("inf")))
