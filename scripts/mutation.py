"""`make mutation`: how much of the contract behaviour the conformance suite alone would notice breaking.

mutmut (config: pyproject.toml's [tool.mutmut], the contract modules of the mock and the client) mutates those
modules and runs, per mutant, the tests that reach the mutated function:

1. phase ``conformance``: the conformance suite at CI size only (conformance/, CONFORMANCE_EXAMPLES=25);
2. phase ``tests``: the whole test suite (tests/ and conformance/), on the mutants phase 1 left alive.

Each phase runs in its own copy of the repository under reports/mutation/<phase>/ (mutmut writes a mutants/ tree
into its working directory), so the checkout stays clean. At the end a table per module shows mutants, killed by
conformance, killed by the tests, survived, and the surviving mutants are listed (``--diffs`` prints each diff).

    python scripts/mutation.py                                        # everything: slow (hours on 2 cores)
    python scripts/mutation.py --only 'conformance/mock/signing.py'   # some modules (globs over only_mutate)
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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "reports" / "mutation"
# Part 3's tests are parametrized by schemathesis itself, and their ids ("...[POST /probe/Model]") cannot be
# selected by node id, which is how mutmut runs the tests of one mutant: they are left out of both phases.
UNSELECTABLE = "--ignore=conformance/test_client_models.py"
PHASES = {
    # phase: the pytest selection whose failures kill a mutant
    "conformance": ["conformance", UNSELECTABLE],
    "tests": ["tests", "conformance", UNSELECTABLE],
}
CI_EXAMPLES = "25"
SAMPLE_SEED = 12


@dataclass
class ModuleResult:
    mutants: int = 0
    killed_by_conformance: int = 0
    killed_by_tests: int = 0
    survived: list[str] = field(default_factory=list)
    other: dict[str, int] = field(default_factory=dict)  # not checked, timeout, no tests, ...


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


def run_mutmut(directory: Path, names: list[str], max_children: int) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("BASE_URL", "CONFORMANCE_SEED", "LUMA_AGENTS_API_KEY")}
    env |= {"CONFORMANCE_EXAMPLES": CI_EXAMPLES, "CONFORMANCE_NO_SHRINK": "1"}
    mutmut = Path(sys.executable).parent / "mutmut"
    started = time.perf_counter()
    command = [str(mutmut), "run", "--max-children", str(max_children), *names]
    subprocess.run(command, cwd=directory, env=env, check=False)
    return time.perf_counter() - started


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


def tabulate(first: Codes, second: Codes) -> dict[str, ModuleResult]:
    results: dict[str, ModuleResult] = defaultdict(ModuleResult)
    for module, codes in first.items():
        result = results[module]
        for name, code in codes.items():
            result.mutants += 1
            status = _status(code)
            if status == "killed":
                result.killed_by_conformance += 1
                continue
            again = second.get(module, {}).get(name)
            later = _status(again) if again is not None else status  # not re-run by the whole suite: as before
            if later == "killed":
                result.killed_by_tests += 1
            elif later == "survived" or status == "survived":
                result.survived.append(name)
            else:
                result.other[later] = result.other.get(later, 0) + 1
    return dict(results)


def render(results: dict[str, ModuleResult], directory: Path, diffs: bool) -> None:
    header = f"{'module':44} {'mutants':>7} {'by conformance':>15} {'+ by tests':>10} {'survived':>8}  other"
    print(header)
    print("-" * len(header))
    total = ModuleResult()
    for module, r in sorted(results.items()):
        other = ", ".join(f"{k} {v}" for k, v in sorted(r.other.items()))
        score = f"{100 * r.killed_by_conformance / r.mutants:5.1f}%" if r.mutants else "    -"
        print(
            f"{module:44} {r.mutants:7} {r.killed_by_conformance:8} ({score}) {r.killed_by_tests:10} "
            f"{len(r.survived):8}  {other}"
        )
        total.mutants += r.mutants
        total.killed_by_conformance += r.killed_by_conformance
        total.killed_by_tests += r.killed_by_tests
        total.survived += r.survived
    if total.mutants:
        conformance = 100 * total.killed_by_conformance / total.mutants
        whole = 100 * (total.killed_by_conformance + total.killed_by_tests) / total.mutants
        print(
            f"{'total':44} {total.mutants:7} {total.killed_by_conformance:8} ({conformance:4.1f}%) "
            f"{total.killed_by_tests:10} {len(total.survived):8}  whole suite kills {whole:.1f}%"
        )
    if total.survived:
        print("\nsurviving mutants (review: strengthen the spec or a check, or mark equivalent with a reason):")
        mutmut = Path(sys.executable).parent / "mutmut"
        for name in total.survived:
            print(f"  {name}")
            if diffs:
                shown = subprocess.run(
                    [str(mutmut), "show", name], cwd=directory, capture_output=True, text=True, check=False
                )
                print("    " + shown.stdout.strip().replace("\n", "\n    "))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/mutation.py", description=__doc__)
    parser.add_argument("--only", nargs="*", default=[], help="globs over [tool.mutmut].only_mutate")
    parser.add_argument("--phases", default="conformance,tests", help="conformance, tests or both (default)")
    parser.add_argument("--max-children", type=int, default=2, help="parallel mutant runs (default 2: two cores)")
    parser.add_argument("--report", action="store_true", help="print the table of the last run only")
    parser.add_argument("--diffs", action="store_true", help="print each surviving mutant's diff")
    parser.add_argument(
        "--resume", action="store_true", help="keep reports/mutation/conformance and run only mutants not checked yet"
    )
    parser.add_argument("--sample", type=int, help="with --resume: at most this many mutants per module")
    args = parser.parse_args(argv)
    phases = [p for p in args.phases.split(",") if p]
    if unknown := set(phases) - set(PHASES):
        raise SystemExit(f"unknown phase(s) {sorted(unknown)}; known: {sorted(PHASES)}")

    if not args.report:
        if args.resume:
            first_dir = WORK / "conformance"
            names = unchecked_sample(first_dir, args.sample)
            print(f"phase conformance: {len(names)} mutants not checked yet (sample of {args.sample} per module)")
        else:
            first_dir, names = prepare("conformance", args.only), []
        seconds = run_mutmut(first_dir, names, args.max_children)
        print(f"phase conformance: {seconds:.0f} s")
        if "tests" in phases:
            first = statuses(first_dir)
            alive = [n for codes in first.values() for n, c in codes.items() if _status(c) != "killed"]
            second_dir = prepare("tests", args.only)
            if alive:
                seconds = run_mutmut(second_dir, alive, args.max_children)
                print(f"phase tests ({len(alive)} mutants): {seconds:.0f} s")
    first = statuses(WORK / "conformance")
    second = statuses(WORK / "tests") if (WORK / "tests" / "mutants").exists() else {}
    if not first:
        raise SystemExit(f"no mutmut results under {WORK / 'conformance'}: run without --report first")
    render(tabulate(first, second), WORK / "conformance", args.diffs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
