"""What the suite did, for the one-screen summary: cases generated per part, checks run and failed per check."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from conformance.sources import group_failures, short
from conformance.spec import load_spec

PARTS = {
    "test_spec": "1 spec: valid, generated/ in sync",
    "test_mock_contract": "2 mock vs spec (schemathesis)",
    "test_server_promises": "2 mock vs spec (promises reached on purpose)",
    "test_rule_details": "2 mock vs spec (promises reached on purpose)",
    "test_wire_format": "2 mock vs spec (on the wire)",
    "test_client_models": "3 client vs spec (probe)",
    "test_client_e2e": "4 client vs mock, over HTTP",
    "test_client_retries": "4 client vs mock, over HTTP",
    "test_client_waits": "4 client vs mock, over HTTP",
    "test_client_inputs": "4 client vs mock, over HTTP",
    "test_broken_variants": "5 broken variants are caught",
}


@dataclass
class Tally:
    passed: int = 0
    failed: int = 0


@dataclass
class Stats:
    """Filled by the tests while they run (in the runner's process)."""

    cases: Counter[str] = field(default_factory=Counter)
    checks: dict[str, Tally] = field(default_factory=dict)
    paid_posts: int = 0
    posts_not_sent: int = 0
    # Why checks failed: per check, each distinct first line of a failure message and how often it came.
    reasons: dict[str, Counter[str]] = field(default_factory=dict)
    # Why checks or parts of them did not run (a check that needs the mock's clock, a wait budget overrun, ...).
    skipped: Counter[str] = field(default_factory=Counter)
    # Part 3's probe: per component, the features (enum values, nulls, formats, objects set) reached and missed.
    coverage: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    # Part 2's stateful phase: GETs reached through the link, per target and generation type.
    followed: Counter[str] = field(default_factory=Counter)

    def case(self, part: str, count: int = 1) -> None:
        self.cases[part] += count

    def check(self, name: str, ok: bool, reason: str | None = None) -> None:
        tally = self.checks.setdefault(name, Tally())
        if ok:
            tally.passed += 1
        else:
            tally.failed += 1
            if reason:
                self.reasons.setdefault(name, Counter())[reason.strip().splitlines()[0][:200]] += 1

    def as_json(self) -> dict[str, Any]:
        return {
            "cases": dict(self.cases),
            "checks": {name: {"passed": t.passed, "failed": t.failed} for name, t in sorted(self.checks.items())},
            "paid_posts": self.paid_posts,
            "posts_not_sent": self.posts_not_sent,
            "failure_reasons": {name: dict(reasons) for name, reasons in sorted(self.reasons.items())},
            "skipped": dict(self.skipped),
            "stateful_links_followed": dict(self.followed),
            "probe_coverage": {name: {"reached": r, "missed": m} for name, (r, m) in self.coverage.items()},
        }

    def merge(self, data: dict[str, Any]) -> None:
        """Add the counts of another process (an xdist worker's `as_json`) to these."""
        self.cases.update(data["cases"])
        for name, counts in data["checks"].items():
            tally = self.checks.setdefault(name, Tally())
            tally.passed += counts["passed"]
            tally.failed += counts["failed"]
        self.paid_posts += data["paid_posts"]
        self.posts_not_sent += data["posts_not_sent"]
        for name, reasons in data["failure_reasons"].items():
            self.reasons.setdefault(name, Counter()).update(reasons)
        self.skipped.update(data["skipped"])
        self.followed.update(data["stateful_links_followed"])
        for name, features in data["probe_coverage"].items():
            self.coverage[name] = (features["reached"], features["missed"])


STATS = Stats()


@dataclass
class Outcome:
    """One JUnit <testcase>."""

    module: str
    name: str
    status: str  # passed | failed | error | skipped | xfailed
    message: str
    text: str = ""  # the whole failure text (where it names the facts of the spec it contradicts)


def read_junit(path: Path) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for case in ET.parse(path).getroot().iter("testcase"):
        module = case.get("classname", "").rsplit(".", 1)[-1]
        status, message, text = "passed", "", ""
        for tag in ("failure", "error", "skipped"):
            element = case.find(tag)
            if element is not None:
                status = {"failure": "failed"}.get(tag, tag)
                if tag == "skipped" and element.get("type") == "pytest.xfail":
                    status = "xfailed"  # a known issue, reported, marked xfail(strict=True)
                first = (element.get("message") or element.text or "").strip()
                message = first.splitlines()[0] if first else ""
                text = f"{element.get('message') or ''}\n{element.text or ''}"
                break
        # xdist's loadgroup appends "@<group>" to the names of grouped tests: the test's own name is shown.
        name = re.sub(r"@[\w-]+$", "", case.get("name", ""))
        outcomes.append(Outcome(module, name, status, message, text))
    return outcomes


def _part(module: str) -> str:
    for key, label in PARTS.items():
        if module == key or module.endswith(f".{key}") or module.startswith(key):
            return label
    return module


def render_summary(
    console: Console,
    outcomes: list[Outcome],
    stats: Stats,
    *,
    wall_seconds: float,
    target: str,
    examples: int,
) -> None:
    tests = Table(title=f"conformance against {target} ({examples} examples per operation and mode)", expand=False)
    for column in ("part", "passed", "failed", "known issues", "skipped", "cases"):
        tests.add_column(column, justify="left" if column == "part" else "right")
    by_part: dict[str, Counter[str]] = {}
    for outcome in outcomes:
        by_part.setdefault(_part(outcome.module), Counter())[outcome.status] += 1
    for label in sorted(by_part):
        counts = by_part[label]
        tests.add_row(
            label,
            str(counts["passed"]),
            str(counts["failed"] + counts["error"]),
            str(counts["xfailed"]),
            str(counts["skipped"]),
            str(stats.cases.get(label, "")),
        )
    console.print(tests)

    checks = Table(title="checks run", expand=False)
    for column in ("check", "passed", "failed"):
        checks.add_column(column, justify="left" if column == "check" else "right")
    for name, tally in sorted(stats.checks.items()):
        checks.add_row(name, str(tally.passed), f"[red]{tally.failed}[/red]" if tally.failed else "0")
    console.print(checks)
    if stats.reasons:
        why = Table(title="why checks failed (most frequent reasons first)", expand=False)
        for column in ("check", "times", "reason"):
            why.add_column(column, justify="right" if column == "times" else "left")
        for name, reasons in sorted(stats.reasons.items()):
            for reason, count in reasons.most_common(3):
                why.add_row(name, str(count), reason)
        console.print(why)
    if stats.coverage:
        console.print(_coverage_table(stats.coverage))
    if stats.followed:
        listed = ", ".join(f"{where} {count}" for where, count in sorted(stats.followed.items()))
        console.print(f"stateful phase, GETs through the link per target and type: {listed}")
    for reason, count in sorted(stats.skipped.items()):
        console.print(f"[yellow]not checked[/yellow] ({count}x): {reason}")

    failed = [o for o in outcomes if o.status in ("failed", "error")]
    if failed:
        _print_by_source(console, failed)
    for outcome in failed[:10]:
        console.print(f"[red]FAILED[/red] {outcome.module}::{outcome.name}: {outcome.message[:160]}")
    if len(failed) > 10:
        console.print(f"... and {len(failed) - 10} more (see the JUnit report)")
    total_cases = sum(stats.cases.values())
    total_checks = sum(t.passed + t.failed for t in stats.checks.values())
    verdict = "[red]FAILED[/red]" if failed else "[green]passed[/green]"
    console.print(
        f"{verdict}: {len(outcomes)} tests, {total_cases} cases generated, {total_checks} checks run, "
        f"{len(failed)} failed; wall time {wall_seconds:.1f} s"
    )
    if stats.paid_posts or stats.posts_not_sent:
        console.print(f"live: {stats.paid_posts} POSTs created a generation; {stats.posts_not_sent} not sent (cap)")


def _print_by_source(console: Console, failed: list[Outcome]) -> None:
    """The failures by the source of the fact each contradicts: per group, each fact's location in openapi.yaml
    (an x-rule's id in it), how often, and its x-source."""
    console.print("failures by the source of the fact they contradict:", markup=False)
    for group, broken in group_failures([o.text or o.message for o in failed], load_spec()).items():
        console.print(f"  {group}: {sum(broken.values())}", markup=False, style="bold")
        for fact, count in sorted(broken.items(), key=lambda item: (-item[1], item[0].where)):
            where = short(fact.where) or "-"
            console.print(f"    {count:>3}  {where}  [{fact.source[:90]}]", markup=False, highlight=False)


def _short(component: str, feature: str) -> str:
    """``"ImageRef.generation_id: format uuid"`` → ``"generation_id uuid"``; an enum component's value alone."""
    location, _, what = feature.partition(": ")
    kind, _, value = what.partition(" ")
    place = location.removeprefix(component).lstrip(".")
    if kind == "enum" and not place:
        return value
    return f"{place} {'(any)' if kind == 'enum' and value.startswith('any ') else value}"


def _coverage_table(coverage: dict[str, tuple[list[str], list[str]]]) -> Table:
    """Part 3's probe coverage, one row per component: enum values, formats and objects reached (nulls counted)."""
    table = Table(title="probe coverage: enum values, nulls, formats and objects reached per component", expand=False)
    for column in ("component", "reached", "missed", "enum values, formats, objects (nulls counted)"):
        table.add_column(
            column,
            justify="left" if column in ("component", "enum values, formats, objects (nulls counted)") else "right",
        )
    for name, (reached, missed) in coverage.items():
        nulls = [f for f in reached if f.endswith(": null null")]
        shown = [_short(name, f) for f in reached if f not in nulls]
        if nulls:
            shown.append(f"{len(nulls)} null(s)")
        table.add_row(name, str(len(reached)), f"[red]{len(missed)}[/red]" if missed else "0", ", ".join(shown))
    return table


def write_json(path: Path, stats: Stats, outcomes: list[Outcome], wall_seconds: float) -> None:
    failed = [o.text or o.message for o in outcomes if o.status in ("failed", "error")]
    by_source = group_failures(failed, load_spec()) if failed else {}
    data = {
        **stats.as_json(),
        "wall_seconds": round(wall_seconds, 2),
        "tests": Counter(o.status for o in outcomes),
        "failures_by_source": {
            group: [{"fact": b.where, "source": b.source, "failures": n} for b, n in broken.items()]
            for group, broken in by_source.items()
        },
    }
    path.write_text(json.dumps(data, indent=2) + "\n")
