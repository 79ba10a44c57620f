"""`python -m conformance` (`make conformance`): run the conformance suite and print a one-screen summary.

    python -m conformance                      # against the local mock: in-process and over a socket
    BASE_URL=https://agents.lumalabs.ai/v1 LUMA_AGENTS_API_KEY=luma-api-... python -m conformance   # live mode
    python -m conformance -- -k stateful       # anything after `--` goes to pytest

Sizes come from the environment (see conformance/options.py): CONFORMANCE_EXAMPLES=100 is `make conformance`.
Reports: reports/conformance-junit.xml (JUnit) and reports/conformance-summary.json. Exit status: pytest's
(0 when everything passed, non-zero otherwise).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from conformance.options import Options, OptionsError
from conformance.report import STATS, read_junit, render_summary, write_json
from conformance.spec import SpecSyntaxError, load_spec

SUITE = Path(__file__).resolve().parent
ROOT = SUITE.parent
# pytest-xdist: loadgroup keeps the tests marked xdist_group together (shared process state, and in live mode every
# test against the server: see conftest.py). One worker per core: while the worker that holds the broken variants
# waits for their forked runs, those runs do the work (a worker more than cores cost a run ~8 CPU-s of start-up and
# contention, and its wall time went up). Work units go out in collection order (no reordering by size), so the order
# below decides what starts first. A later ``-n`` after ``--`` overrides this one.
PARALLEL = ["-n", str(os.cpu_count() or 1), "--dist", "loadgroup", "--no-loadscope-reorder"]
# Part order. In live mode it is also the order paid POSTs are spent in: the client end to end first, then the
# stateful phase, then fuzzing (see CONFORMANCE_MAX_PAID_POSTS).
ORDER = ["test_spec", "test_client_models", "test_client_e2e", "test_mock_contract", "test_broken_variants"]
# Against the local mock nothing is paid: the longest work units go first, so the xdist workers run out of work
# together, the many short end-to-end tests filling the end. First the two that mostly wait (the broken variants'
# forked runs, which do their work beside everything else, and the proxy's tours, which wait out a URL lifetime), then
# the stateful phase and the fuzzing (the longest single tests), the probe runs (one test per component), the
# generator run of test_spec.
LOCAL_ORDER = [
    "test_broken_variants",
    "test_proxy_variants",
    "test_mock_contract",
    "test_client_models",
    "test_spec",
    "test_server_promises",
    "test_client_e2e",
]


def _describe(options: Options) -> str:
    if options.live:
        return str(options.base_url)
    return "the local mock (in-process ASGI and a uvicorn socket)"


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    parser = argparse.ArgumentParser(
        prog="python -m conformance", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=Path, default=ROOT / "reports", help="directory for the reports")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = parser.parse_args(argv)
    # Wide enough for the summary tables when the output is a file or a pipe (make, CI), where rich assumes 80.
    console = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 110)
    try:
        options = Options.from_env()
    except OptionsError as exc:
        console.print(f"[red]conformance: {exc}[/red]")
        return 2
    try:  # every test module reads the spec: a YAML error is one message here, not one traceback per module
        load_spec()
    except SpecSyntaxError as exc:
        console.print(f"conformance: {exc}", style="red", markup=False)
        return 2

    args.reports.mkdir(parents=True, exist_ok=True)
    junit = args.reports / "conformance-junit.xml"
    console.print(
        f"conformance: spec, generated client and {_describe(options)}; "
        f"{options.examples} examples per operation and mode"
    )
    if options.live:
        console.print(
            f"[yellow]live mode: at most {options.max_paid_posts} POST(s) that create a generation will be sent "
            f"(each may be billed; set CONFORMANCE_MAX_PAID_POSTS to change)[/yellow]"
        )
    found = sorted(SUITE.glob("test_*.py"))
    order = ORDER if options.live else LOCAL_ORDER
    ranked = sorted(found, key=lambda p: order.index(p.stem) if p.stem in order else len(order))
    tests = [str(path) for path in ranked]
    code = pytest.main(
        [
            *tests,
            *PARALLEL,
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={junit}",
            "-o",
            "junit_family=xunit2",
            *args.pytest_args,
        ]
    )
    wall = time.perf_counter() - started
    outcomes = read_junit(junit) if junit.exists() else []
    console.rule("conformance summary")
    render_summary(console, outcomes, STATS, wall_seconds=wall, target=_describe(options), examples=options.examples)
    write_json(args.reports / "conformance-summary.json", STATS, outcomes, wall)
    console.print(f"reports: {junit.relative_to(ROOT) if junit.is_relative_to(ROOT) else junit}")
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
