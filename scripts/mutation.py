"""`make mutation`: how much of the contract behaviour the conformance suite alone would notice breaking.

mutmut (config: pyproject.toml's [tool.mutmut]: the mock's and the client's modules that carry the spec's behaviour)
mutates those modules and runs, per mutant, the tests that reach the mutated function:

1. phase ``conformance`` (the measure): ``mutmut run`` with the conformance suite at CI size only (conformance/,
   CONFORMANCE_EXAMPLES=25), in a copy of the repository under reports/mutation/conformance/ (mutmut writes a
   mutants/ tree into its working directory), so the checkout stays clean. Each mutant runs only the tests that
   called its function in mutmut's stats run, quickest first (scripts/mutation_order.py), and stops at the first
   failure; the runs fork from a process that has already collected the suite. The broken-variant tests are left
   out (they check the suite: each passes when a sub-run against a planted bug fails). A run still going at 3 times
   its tests' clean time is a timeout, counted as detected;
2. phase ``own`` (default): each survivor's own unit tests (tests/mock/test_<module>*.py, tests/client/...), seconds
   per mutant, so the table says which gaps of the conformance suite the unit tests cover;
   or phase ``tests`` (``--phases conformance,tests``, opt-in, about 2 min per survivor): the whole test suite
   (tests/ and conformance/) per survivor, conformance first. mutmut re-runs tests by node id, and some ids of this
   suite cannot be selected that way (schemathesis-parametrized ones: "Failed to run clean test"), so both run a
   plain pytest per mutant in phase 1's mutants/ tree, choosing the mutant with mutmut's own switch (the
   MUTANT_UNDER_TEST environment variable its trampolines read). A clean run must pass and a run with every
   trampoline failing must fail before any mutant counts; the exit codes land in reports/mutation/tests.json.

Cost on the 2-core machine (docs/mutation.md has the measured runs): the set-up is mutant generation and mutmut's
stats run (one run of the selected suite, timing each test); mutmut would then run the suite twice more before any
mutant (a clean run and a forced-fail run, once when the mutants are generated and once for the sample), which
scripts/mutmut_once.py leaves out where a stats run of the same tree has just passed, so one forced-fail run is
left. Then each mutant's run (a killed one stops at its first failing test; a survivor runs every test that reaches
its function): about 5 s of wall time per mutant idle, two at a time, up to 11 s under load. ``--sample 20``
(``make mutation SAMPLE=20``) checks a fixed sample of 20 mutants per module, about 420: about 20 min idle (1 min
of set-up); everything takes hours.

At the end a table per module, then for the mock and the client, shows mutants, how many were checked (all, or the
sample), killed by conformance and then by the second phase (as shares of those checked), survived, and lists the
surviving mutants (``--diffs`` prints each diff). Equivalent mutants are not counted: their lines carry a bare
``# pragma: no mutate``, and docs/mutation.md gives the reason for each.

    python scripts/mutation.py --sample 20                            # a fixed sample of 20 per module
    python scripts/mutation.py                                        # everything: hours on 2 cores
    python scripts/mutation.py --only 'src/luma_uni_mock/signing.py'   # some modules (globs over only_mutate)
    python scripts/mutation.py --phases tests                         # the whole suite on the last run's survivors
    python scripts/mutation.py --report                               # the table of the last run, nothing run
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "reports" / "mutation"
SECOND_PHASE_RESULTS = WORK / "tests.json"
# Part 3's tests are parametrized by schemathesis itself, and their ids ("...[POST /probe/Model]") cannot be
# selected by node id, which is how mutmut runs the tests of one mutant: phase 1 leaves them out. Phase 2 runs
# whole directories, so it has them.
UNSELECTABLE = "--ignore=conformance/test_client_models.py"
# The broken-variant tests check the suite, not the mock: each passes when a sub-run of the suite against a planted
# bug fails, which a mutant of the mock can only make more certain. They are a third of the suite's time, so phase 1
# leaves them out; phase tests runs them.
SUITE_CHECKS = "--ignore=conformance/test_broken_variants.py"
PHASES = {
    # phase: the pytest selection whose failures kill a mutant
    "conformance": ["conformance", UNSELECTABLE, SUITE_CHECKS],
    # the mutated module's own test files (tests/mock/test_<module>*.py, tests/client/...): see _selection
    "own": [],
    # tests/test_evolution.py edits a git clone of the checkout (its spec-to-client pipeline, no mutated module):
    # the mutation copy is no git checkout.
    # tests/test_wheel.py builds the package, so it would package the mutated tree: packaging, no contract.
    "tests": ["tests", "conformance", "--ignore=tests/test_evolution.py", "--ignore=tests/test_wheel.py"],
}
CI_EXAMPLES = "25"
# mutmut's own codes (mutmut.stats.status_by_exit_code): its trampolines fail every mutated function under "fail",
# and a run over its limit is a timeout.
FORCED_FAIL = "fail"
TIMEOUT_CODE = 36
# A forked run out of which an exception escaped (a mutant breaking what the suite builds at import or start-up, say)
# exits -1, i.e. 255, which mutmut files as a timeout too; the table counts it apart: the suite crashed, at once.
CRASH_CODE = 255
# A run that does not pass within mutmut's time limit counts as detected, as most mutation tools count it (the
# table's footnote says how many): on these modules it is a mutant breaking a request so that a test waits on it.
DETECTED = ("killed", "timeout")
SECOND_CHANCE = ("survived", "no tests")  # the first phase's verdicts the whole suite is asked about
SAMPLE_SEED = 12


@dataclass
class ModuleResult:
    mutants: int = 0  # generated
    checked: int = 0  # run by phase 1 (all of them, or the sample)
    killed_by_conformance: int = 0
    killed_by_tests: int = 0
    found_late: int = 0  # of killed_by_conformance: by phase 2's whole conformance run, not phase 1's selection
    timeouts: int = 0  # of killed_by_conformance: phase 1 did not pass within its time limit
    crashes: int = 0  # of killed_by_conformance: phase 1's run raised instead of passing (CRASH_CODE)
    survived: list[str] = field(default_factory=list)
    other: dict[str, int] = field(default_factory=dict)  # timeout, no tests, ... (checked, neither killed nor survived)

    def add(self, other: ModuleResult) -> None:
        self.mutants += other.mutants
        self.checked += other.checked
        self.killed_by_conformance += other.killed_by_conformance
        self.killed_by_tests += other.killed_by_tests
        self.found_late += other.found_late
        self.timeouts += other.timeouts
        self.crashes += other.crashes
        self.survived += other.survived
        for status, count in other.other.items():
            self.other[status] = self.other.get(status, 0) + count


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def prepare(phase: str, only: list[str]) -> Path:
    """A copy of the repository's tracked and new files whose [tool.mutmut] selects the phase's tests."""
    directory = WORK / phase
    if directory.exists():
        shutil.rmtree(directory)
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for name in listed:
        source = ROOT / name
        if name.startswith("reports/") or not source.exists():
            continue
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    # Each mutant's tests run quickest first (see mutation_order.py), in the copy only.
    shutil.copy2(ROOT / "scripts" / "mutation_order.py", directory / "conftest.py")
    pyproject = directory / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    selection = f"pytest_add_cli_args_test_selection = {_toml_list(PHASES[phase])}"
    text = re.sub(r"(?m)^pytest_add_cli_args_test_selection = .*$", selection, text)
    if only:
        configured = tomllib.loads(text)["tool"]["mutmut"]["only_mutate"]
        chosen = [m for m in configured if any(fnmatch.fnmatch(m, pattern) for pattern in only)]
        if not chosen:
            raise SystemExit(f"--only {only} matches none of [tool.mutmut].only_mutate: {configured}")
        text = re.sub(r"(?ms)^only_mutate = \[.*?\]$", f"only_mutate = {_toml_list(chosen)}", text)
    pyproject.write_text(text, encoding="utf-8")
    return directory


def unchecked_sample(directory: Path, per_module: int | None) -> list[str]:
    """The mutants not checked yet, at most ``per_module`` of each module (a fixed pseudo-random choice)."""
    chosen: list[str] = []
    for codes in statuses(directory).values():
        waiting = sorted(name for name, code in codes.items() if code is None)
        if per_module is not None and len(waiting) > per_module:
            waiting = random.Random(SAMPLE_SEED).sample(waiting, per_module)
        chosen += waiting
    return chosen


def _test_env() -> dict[str, str]:
    """The CI-size, mock-mode environment both phases run the tests in."""
    env = {k: v for k, v in os.environ.items() if k not in ("BASE_URL", "CONFORMANCE_SEED", "LUMA_AGENTS_API_KEY")}
    return env | {"CONFORMANCE_EXAMPLES": CI_EXAMPLES, "CONFORMANCE_NO_SHRINK": "1"}


MUTMUT = [sys.executable, str(ROOT / "scripts" / "mutmut_once.py")]  # mutmut's CLI, skipping what it repeats


def run_mutmut(directory: Path, names: list[str], max_children: int, *, fresh_stats: bool) -> float:
    """``mutmut run`` on ``names`` (all: none named). After a stats run of this tree (``fresh_stats``), without the
    clean run: the stats run was one, of every test (scripts/mutmut_once.py)."""
    env = _test_env() | {"MUTMUT_SKIP": "clean" if fresh_stats else ""}
    started = time.perf_counter()
    command = [*MUTMUT, "run", "--max-children", str(max_children), *names]
    subprocess.run(command, cwd=directory, env=env, check=False)
    return time.perf_counter() - started


NO_SUCH_MUTANT = "no-mutant-is-named-this"


def generate(directory: Path) -> None:
    """Generate the mutants (and collect the tests' stats) without running any: mutmut 3 has no command for it, but a
    run filtered to a name no mutant has does both, saves them for the next run, and stops on its empty selection."""
    # Neither a clean nor a forced-fail run: the run that follows makes its own checks (scripts/mutmut_once.py).
    env = _test_env() | {"MUTMUT_SKIP": "clean,forced"}
    command = [*MUTMUT, "run", NO_SUCH_MUTANT]
    done = subprocess.run(command, cwd=directory, env=env, capture_output=True, text=True, check=False)
    if not statuses(directory):
        raise SystemExit(f"mutmut generated no mutants:\n{(done.stdout + done.stderr)[-2000:]}")
    widen_import_time_functions(directory / "mutants" / "mutmut-stats.json")


def widen_import_time_functions(stats_file: Path) -> None:
    """mutmut credits each function to the tests during which it ran, and what runs while the suite is imported
    (the rule registry's decorators, say) falls to the first test alone, so a mutant there would be shown to that
    one test. A function only the first test reached gets every test instead (quickest first, so a kill stays
    cheap)."""
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    tests_by_function: dict[str, list[str]] = stats["tests_by_mangled_function_name"]
    # The ids mutmut can select (its timings also name schemathesis' sub-tests, which pytest cannot select), in the
    # order the stats run ran them.
    selectable = {test for tests in tests_by_function.values() for test in tests}
    every_test = [test for test in stats["duration_by_test"] if test in selectable]
    if not every_test:
        return
    first = every_test[0]
    for function, tests in tests_by_function.items():
        if tests == [first]:
            tests_by_function[function] = every_test
    stats_file.write_text(json.dumps(stats), encoding="utf-8")


def _own_tests(mutant: str) -> list[str]:
    """The mutated module's own test files: tests/mock/test_*rate_limits*.py for luma_uni_mock.rate_limits."""
    module = mutant.partition(".x")[0]  # e.g. luma_uni_mock.rate_limits, luma_uni._retries
    stem = module.rsplit(".", 1)[-1].strip("_")
    package = "tests/mock" if module.startswith("luma_uni_mock.") else "tests/client"
    return sorted(str(path.relative_to(ROOT)) for path in (ROOT / package).glob(f"test_*{stem}*.py"))


def _selection(mutant: str, phase: str) -> list[str]:
    """The suite's paths in the order one mutant's run takes them; the run stops at the first failure (-x), which
    decides the credit. Phase ``own``: the module's own test files alone (seconds). Phase ``tests``: for a mutant of
    the mock the conformance suite first (phase 1 runs only the tests that called the mutated function, and the
    session's shared mock server is built during the first test alone, so it misses what later conformance tests
    would kill), then the module's own test files, its package's tests and the rest of the suite."""
    own = _own_tests(mutant)
    if phase == "own":
        return own
    mock = mutant.startswith("luma_uni_mock.")
    return [*(["conformance"] if mock else []), *own, "tests/mock" if mock else "tests/client", *PHASES["tests"]]


@dataclass
class SuiteRun:
    code: int  # mutmut's reading of exit codes
    seconds: float
    first_failure: str = ""  # the path of the first failing test ("conformance/...", "tests/...")
    tail: str = ""


def _run_suite(mutants: Path, mutant: str, selection: list[str], timeout: float | None) -> SuiteRun:
    """pytest over ``selection`` with one mutant switched on (none: ``""``; every one failing: FORCED_FAIL)."""
    # The mutated tree first on the path, before the checkout the editable install points at (as mutmut does).
    path = os.pathsep.join(str(mutants / p) for p in (".", "src", "generated"))
    env = _test_env() | {"MUTANT_UNDER_TEST": mutant, "PYTHONPATH": path}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-rfE", "-p", "no:cacheprovider", *selection]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=mutants, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return SuiteRun(TIMEOUT_CODE, time.perf_counter() - started)
    lines = (done.stdout + done.stderr).strip().splitlines()
    # pytest's summary lines ("FAILED path::test - ...", "ERROR path::test"), not logged errors ("ERROR logger:...").
    summary = (re.match(r"(?:FAILED|ERROR) (\S+?)::", line) for line in lines)
    failed = next((match.group(1) for match in summary if match), "")
    return SuiteRun(done.returncode, time.perf_counter() - started, failed, "\n".join(lines[-15:]))


def run_second_phase(directory: Path, phase: str, names: list[str], max_children: int) -> dict[str, SuiteRun]:
    """Phase 2 (``own`` or ``tests``): pytest once per mutant, in phase 1's mutants/ tree."""
    mutants = directory / "mutants"
    selections = {name: _selection(name, phase) for name in names}
    selections = {name: selection for name, selection in selections.items() if selection}  # own: some have none
    if not selections:
        return {}
    everything = sorted({path for selection in selections.values() for path in selection})
    if phase == "tests":
        everything = PHASES["tests"]
    clean = _run_suite(mutants, "", everything, None)
    if clean.code != 0:
        raise SystemExit(
            f"phase {phase}: the clean run fails (exit {clean.code}), no mutant can be judged:\n{clean.tail}"
        )
    forced = _run_suite(mutants, FORCED_FAIL, everything, None)
    if forced.code == 0:
        raise SystemExit(
            f"phase {phase}: a run with every mutated function failing passes: not the mutated tree\n{forced.tail}"
        )
    timeout = 3 * clean.seconds + 30  # the margin of mutmut's timeout_multiplier, for a shared machine
    print(f"phase {phase}: clean run {clean.seconds:.0f} s; {len(selections)} mutants, timeout {timeout:.0f} s each")
    found: dict[str, SuiteRun] = {}
    with ThreadPoolExecutor(max_workers=max_children) as pool:
        runs = {pool.submit(_run_suite, mutants, n, s, timeout): n for n, s in selections.items()}
        for future in as_completed(runs):
            name = runs[future]
            found[name] = run = future.result()
            save_second_phase(found)  # as it goes: an interrupted phase 2 keeps what it measured
            print(f"  {_status(run.code):9} {run.seconds:5.0f} s  {name}  {run.first_failure}", flush=True)
    return found


def save_second_phase(found: dict[str, SuiteRun]) -> None:
    results = {name: {"code": run.code, "first_failure": run.first_failure} for name, run in found.items()}
    SECOND_PHASE_RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")


def second_phase_statuses(first: Codes) -> tuple[Codes, set[str]]:
    """Phase 2's exit codes, per module as phase 1's, and the mutants whose first failure there was a conformance
    test (empty if phase 2 never ran)."""
    if not SECOND_PHASE_RESULTS.exists():
        return {}, set()
    runs: dict[str, dict[str, Any]] = json.loads(SECOND_PHASE_RESULTS.read_text(encoding="utf-8"))
    by_conformance = {n for n, run in runs.items() if str(run["first_failure"]).startswith("conformance/")}
    codes = {module: {n: runs[n]["code"] for n in names if n in runs} for module, names in first.items()}
    return codes, by_conformance


def statuses(directory: Path) -> Codes:
    """exit code per mutant, per mutated module (from mutmut's mutants/**/*.py.meta files)."""
    found: Codes = {}
    for meta in sorted((directory / "mutants").rglob("*.py.meta")):
        module = str(meta.relative_to(directory / "mutants")).removesuffix(".meta")
        found[module] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return found


def _status(code: int | None) -> str:
    """mutmut's own reading of a mutant's exit code (killed, survived, timeout, no tests, not checked, ...)."""
    from mutmut.stats import status_by_exit_code

    return str(status_by_exit_code[code])


Codes = dict[str, dict[str, int | None]]  # exit code per mutant, per module


def tabulate(first: Codes, second: Codes, by_conformance: set[str]) -> dict[str, ModuleResult]:
    results: dict[str, ModuleResult] = defaultdict(ModuleResult)
    for module, codes in first.items():
        result = results[module]
        for name, code in codes.items():
            result.mutants += 1
            status = _status(code)
            if code is None:
                continue  # not in this run's sample
            result.checked += 1
            if status in DETECTED:
                result.killed_by_conformance += 1
                result.crashes += code == CRASH_CODE
                result.timeouts += status == "timeout" and code != CRASH_CODE
                continue
            again = second.get(module, {}).get(name)
            later = _status(again) if again is not None else status  # not re-run by the whole suite: as before
            if later == "killed" and name in by_conformance:
                result.killed_by_conformance += 1  # phase 2's full conformance run (see _selection)
                result.found_late += 1
            elif later == "killed":
                result.killed_by_tests += 1
            elif later == "survived" or status == "survived":
                result.survived.append(name)
            else:
                result.other[later] = result.other.get(later, 0) + 1
    return dict(results)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def _row(name: str, r: ModuleResult) -> str:
    other = ", ".join(f"{k} {v}" for k, v in sorted(r.other.items()))
    whole = r.killed_by_conformance + r.killed_by_tests
    conformance = f"{r.killed_by_conformance:6} ({_percent(r.killed_by_conformance, r.checked)})"
    tests = f"{r.killed_by_tests:6} ({_percent(whole, r.checked)})"
    return f"{name:34} {r.mutants:7} {r.checked:7} {conformance} {tests} {len(r.survived):8}  {other}"


def render(results: dict[str, ModuleResult], directory: Path, diffs: bool) -> None:
    """One row per module, then the mock's and the client's totals; scores are of the mutants checked."""
    header = (
        f"{'module':34} {'mutants':>7} {'checked':>7} {'by conformance':>15} {'+ by tests (all)':>18}"
        f" {'survived':>8}  other"
    )
    print(header)
    print("-" * len(header))
    totals: dict[str, ModuleResult] = defaultdict(ModuleResult)
    for module, r in sorted(results.items()):
        print(_row(module, r))
        totals["mock (src/luma_uni_mock)" if module.startswith("src/luma_uni_mock/") else "client (src/luma_uni)"].add(
            r
        )
    print("-" * len(header))
    for name, r in sorted(totals.items()):
        print(_row(name, r))
    late = sum(r.found_late for r in results.values())
    if late:
        print(f"({late} of the conformance kills came from phase 2's whole conformance run: see _selection)")
    timeouts = sum(r.timeouts for r in results.values())
    if timeouts:
        print(f"({timeouts} of the conformance kills are timeouts: the suite did not pass in 3 times its clean time)")
    crashes = sum(r.crashes for r in results.values())
    if crashes:
        print(f"({crashes} of the conformance kills are crashes: an exception escaped the test run, exit {CRASH_CODE})")
    survivors = [name for r in results.values() for name in r.survived]
    if survivors:
        print("\nsurviving mutants (review: strengthen the spec or a check, or mark equivalent with a reason):")
        mutmut = Path(sys.executable).parent / "mutmut"
        for name in survivors:
            print(f"  {name}")
            if diffs:
                shown = subprocess.run(
                    [str(mutmut), "show", name], cwd=directory, capture_output=True, text=True, check=False
                )
                print("    " + shown.stdout.strip().replace("\n", "\n    "))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/mutation.py", description=__doc__)
    parser.add_argument("--only", nargs="*", default=[], help="globs over [tool.mutmut].only_mutate")
    parser.add_argument(
        "--phases",
        default="conformance,own",
        help="conformance (phase 1), then own (default) or tests (the whole suite: slow) on its survivors;"
        " a second phase alone reruns on the last run's mutants",
    )
    parser.add_argument("--max-children", type=int, default=2, help="parallel mutant runs (default 2: two cores)")
    parser.add_argument("--report", action="store_true", help="print the table of the last run only")
    parser.add_argument("--diffs", action="store_true", help="print each surviving mutant's diff")
    parser.add_argument(
        "--resume", action="store_true", help="keep reports/mutation/conformance and run only mutants not checked yet"
    )
    parser.add_argument(
        "--sample", type=int, help="at most this many mutants per module (a fixed pseudo-random choice), not all"
    )
    args = parser.parse_args(argv)
    phases = [p for p in args.phases.split(",") if p]
    if unknown := set(phases) - set(PHASES):
        raise SystemExit(f"unknown phase(s) {sorted(unknown)}; known: {sorted(PHASES)}")

    if not args.report:
        print(f"load average at the start: {os.getloadavg()[0]:.1f}", flush=True)
        first_dir = WORK / "conformance"
        if "conformance" not in phases:
            pass  # phase 2 alone, on the last run's mutants/ tree and verdicts
        elif args.resume:
            names = unchecked_sample(first_dir, args.sample)
            print(f"phase conformance: {len(names)} mutants not checked yet (sample of {args.sample} per module)")
            seconds = run_mutmut(first_dir, names, args.max_children, fresh_stats=False)
            print(f"phase conformance: {seconds:.0f} s")
        else:
            first_dir = prepare("conformance", args.only)
            names = []
            if args.sample is not None:
                started = time.perf_counter()
                generate(first_dir)
                print(f"set-up (mutants and mutmut's stats run): {time.perf_counter() - started:.0f} s", flush=True)
                names = unchecked_sample(first_dir, args.sample)
                print(f"phase conformance: a fixed sample of {len(names)} mutants (at most {args.sample} per module)")
            seconds = run_mutmut(first_dir, names, args.max_children, fresh_stats=True)
            print(f"phase conformance: {seconds:.0f} s")
        second_phase = "tests" if "tests" in phases else "own" if "own" in phases else None
        SECOND_PHASE_RESULTS.unlink(missing_ok=True)
        if second_phase:
            first = statuses(first_dir)
            # A mutant no conformance test reached ("no tests") may still be reached by tests/.
            alive = [n for codes in first.values() for n, c in codes.items() if _status(c) in SECOND_CHANCE]
            started = time.perf_counter()
            save_second_phase(run_second_phase(first_dir, second_phase, alive, args.max_children))
            print(f"phase {second_phase} ({len(alive)} mutants): {time.perf_counter() - started:.0f} s")
    first = statuses(WORK / "conformance")
    second, by_conformance = second_phase_statuses(first)
    if not first:
        raise SystemExit(f"no mutmut results under {WORK / 'conformance'}: run without --report first")
    render(tabulate(first, second, by_conformance), WORK / "conformance", args.diffs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
