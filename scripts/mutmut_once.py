"""mutmut's command line without the whole-suite runs it repeats (scripts/mutation.py runs mutmut through this file).

``mutmut run`` runs the tests once to time them and see which functions each reaches (its stats run), then once more
unmutated (its clean run) and once with every mutated function failing (its forced-fail run), before any mutant.
On this suite each whole run takes minutes. The stats run already is a clean run of every selected test on the same
mutants/ tree, so a later clean run of some of those tests, minutes after, shows nothing new.

    MUTMUT_SKIP=clean             no clean run (a fresh run: its stats run has just passed)
    MUTMUT_SKIP=clean,forced      neither (generating mutants and stats only; the run that follows does the rest)
"""

from __future__ import annotations

import os

from mutmut.__main__ import cli
from mutmut.workers.isolation import MutantRunner


def _passed(self: MutantRunner, *args: object, **kwargs: object) -> int:
    return 0  # a clean run's success: mutmut goes on


def _failed(self: MutantRunner, *args: object, **kwargs: object) -> int:
    return 1  # a forced-fail run's expected failure: mutmut goes on


def main() -> None:
    skip = set(filter(None, os.environ.get("MUTMUT_SKIP", "").split(",")))
    for runner in MutantRunner.__subclasses__():
        if "clean" in skip:
            setattr(runner, "run_clean_tests", _passed)  # noqa: B010 - a method replaced on the class
        if "forced" in skip:
            setattr(runner, "run_forced_fail", _failed)  # noqa: B010
    cli()


if __name__ == "__main__":
    main()
