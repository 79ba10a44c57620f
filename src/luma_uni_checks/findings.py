"""A rule the server broke: which, where the spec states it, what was seen, on which request, from which source."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .redact import redact


@dataclass(frozen=True)
class Finding:
    rule: str  # the check's name, e.g. ``request_id_echoed``
    text: str  # the rule in words
    where: str  # the dotted location in openapi.yaml that states it
    detail: str  # what was observed
    request_id: str | None = None
    source: str | None = None  # the spec's ``x-source`` for the rule, once the spec records sources

    def message(self) -> str:
        """The conformance suite's failure message."""
        source = f"; source: {self.source}" if self.source else ""
        return redact(f"Documented rule broken: {self.text} (openapi.yaml {self.where}{source}). {self.detail}")

    def line(self) -> str:
        """One line of the proxy's log: rule, location, source, request id, then the rule and what was seen."""
        return redact(
            f"{self.rule} at {self.where} [source: {self.source or 'unsourced'}] request {self.request_id or '-'}: "
            f"{self.text}. {self.detail}"
        )

    def filed(self, request_id: str | None, source: str | None) -> Finding:
        return dataclasses.replace(self, request_id=request_id, source=source)


class RuleBrokenError(AssertionError):
    """A documented rule of the spec that the server broke (the message says which and where it is stated)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message())
        self.finding = finding


def raise_first(*findings: Finding | None) -> bool:
    """Raise `RuleBrokenError` for the first finding given; True when there is none (a check that passed)."""
    for finding in findings:
        if finding is not None:
            raise RuleBrokenError(finding)
    return True
