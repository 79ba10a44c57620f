"""Every exchange through the checks of ``luma_uni_checks``, and the tally the reports are made from (with the drift:
what the traffic showed that the spec lacks).

Findings are printed as they happen (one line each: rule, where the spec states it, its source, the request id) and
kept for the reports, at most `KEPT_PER_CHECK` per check (a server that breaks a rule on every request fills no
memory: the rest are counted). A path or method the spec does not have is reported once.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from luma_uni_checks.drift import Drift
from luma_uni_checks.exchange import Exchange
from luma_uni_checks.findings import Finding
from luma_uni_checks.lifecycle import Generations
from luma_uni_checks.rules import EXCHANGE_RULES, finding
from luma_uni_checks.spec import Spec

KEPT_PER_CHECK = 50
MAX_UNKNOWN_PATHS = 1000  # distinct unknown paths remembered (to report each once); beyond, they are only counted
LIFECYCLE = "generation_lifecycle"
UNKNOWN_PATH = "path_documented"
UPSTREAM = "upstream_answers"


@dataclass
class Tally:
    """What one check saw: how many exchanges it judged, how many findings, the first ones."""

    runs: int = 0
    failed: int = 0
    kept: list[Finding] = field(default_factory=list)


class Inspector:
    def __init__(self, spec: Spec, emit: Callable[[str], None] = print) -> None:
        self.spec = spec
        self.emit = emit
        self.generations = Generations()
        self.drift = Drift()
        self.tallies: dict[str, Tally] = {rule.__name__: Tally() for rule in EXCHANGE_RULES}
        for name in (LIFECYCLE, UNKNOWN_PATH, UPSTREAM):
            self.tallies[name] = Tally()
        self.exchanges = 0
        self.unchecked: Counter[str] = Counter()  # why exchanges (or their bodies) went unjudged
        self._unknown: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    @property
    def findings(self) -> int:
        return sum(tally.failed for tally in self.tallies.values())

    def inspect(self, exchange: Exchange) -> list[Finding]:
        """Judge one exchange with every check; print and keep what broke; return it."""
        with self._lock:
            self.exchanges += 1
        if not exchange.request_body_kept:
            self.note_unchecked("request body larger than the checked limit: request-side checks skipped")
        operation = self.spec.match(exchange.method, exchange.path)
        if operation is None:
            download = self.generations.observe_download(self.spec, exchange)
            if download is not None:
                return self._record(LIFECYCLE, exchange, download)
            return self._record(UNKNOWN_PATH, exchange, self._unknown_path(exchange))
        results = [(rule.__name__, list(rule(self.spec, operation, exchange))) for rule in EXCHANGE_RULES]
        results.append((LIFECYCLE, self.generations.observe(self.spec, operation, exchange)))
        found = self._record_all(exchange, results)
        self.drift.observe(self.spec, operation, exchange, found)
        return found

    def upstream_failed(self, exchange: Exchange, detail: str) -> Finding:
        """Upstream could not be reached, was too slow, or broke off its answer."""
        broken = finding(UPSTREAM, "upstream answers every request in full", "servers", detail)
        [filed] = self._record(UPSTREAM, exchange, [broken])
        return filed

    def note_unchecked(self, reason: str) -> None:
        with self._lock:
            self.unchecked[reason] += 1

    def _unknown_path(self, exchange: Exchange) -> list[Finding]:
        known = self.spec.knows_path(exchange.path)
        key = (exchange.method if known else "*", exchange.path)
        with self._lock:
            if key in self._unknown or len(self._unknown) >= MAX_UNKNOWN_PATHS:
                self.unchecked["unknown path already reported"] += 1
                return []
            self._unknown.add(key)
        if known:
            text, detail = f"the spec documents every method the API answers at {exchange.path}", exchange.method
        else:
            text, detail = "the spec documents every path the API answers", f"{exchange.method} {exchange.path}"
        return [finding(UNKNOWN_PATH, text, "paths", f"{detail} (answered {exchange.status}; reported once)")]

    def _record(self, check: str, exchange: Exchange, found: Iterable[Finding]) -> list[Finding]:
        return self._record_all(exchange, [(check, list(found))])

    def _record_all(self, exchange: Exchange, results: list[tuple[str, list[Finding]]]) -> list[Finding]:
        """Count each check's run and keep its findings, filed under the request id and the rule's source."""
        every: list[Finding] = []
        with self._lock:
            for check, found in results:
                tally = self.tallies[check]
                tally.runs += 1
                if found:
                    filed = [f.filed(exchange.request_id, self.spec.source_at(f.where)) for f in found]
                    tally.failed += len(filed)
                    tally.kept += filed[: max(0, KEPT_PER_CHECK - len(tally.kept))]
                    every += filed
        for each in every:
            self.emit(each.line())
        return every
