"""The reports written when the proxy stops: JUnit XML (one test case per check), JSON, and a markdown drift report
(the findings by rule, and what the traffic showed that the spec lacks, as proposed edits of openapi.yaml).

Every line goes through `redact`: no presigned URL signature and no credential reaches a report.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict
from pathlib import Path
from typing import Any

from luma_uni_checks.drift import MAX_GAPS, Proposal
from luma_uni_checks.redact import redact

from .inspector import Inspector

JUNIT = "proxy-junit.xml"
JSON_REPORT = "proxy-report.json"
DRIFT = "proxy-drift.md"


def write_reports(inspector: Inspector, directory: Path, *, upstream: str, spec: Path) -> list[Path]:
    """Write the three reports into ``directory`` (created); their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    proposals = inspector.drift.proposals(inspector.spec)
    written = []
    for name, text in (
        (JUNIT, junit(inspector)),
        (JSON_REPORT, json.dumps(summary(inspector, proposals, upstream=upstream, spec=spec), indent=2) + "\n"),
        (DRIFT, markdown(inspector, proposals, upstream=upstream, spec=spec)),
    ):
        path = directory / name
        path.write_text(redact(text), encoding="utf-8")
        written.append(path)
    return written


def junit(inspector: Inspector) -> str:
    failures = sum(1 for tally in inspector.tallies.values() if tally.failed)
    suite = ET.Element(
        "testsuite", name="luma-uni-proxy", tests=str(len(inspector.tallies)), failures=str(failures), errors="0"
    )
    for check, tally in inspector.tallies.items():
        case = ET.SubElement(suite, "testcase", classname="luma_uni_proxy", name=check)
        case.set("runs", str(tally.runs))
        if tally.failed:
            first = tally.kept[0] if tally.kept else None
            failure = ET.SubElement(
                case, "failure", message=f"{tally.failed} finding(s): {first.message() if first else ''}"
            )
            failure.text = "\n".join(finding.line() for finding in tally.kept)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def summary(inspector: Inspector, proposals: list[Proposal], *, upstream: str, spec: Path) -> dict[str, Any]:
    return {
        "upstream": upstream,
        "spec": str(spec),
        "exchanges": inspector.exchanges,
        "findings": inspector.findings,
        "checks": {
            check: {"runs": tally.runs, "findings": tally.failed, "kept": [asdict(f) for f in tally.kept]}
            for check, tally in inspector.tallies.items()
        },
        "unchecked": dict(inspector.unchecked),
        "proposed_edits": [
            {
                "kind": proposal.kind,
                "gap": proposal.gap.kind,
                "where": proposal.gap.where,
                "name": proposal.gap.name,
                "edit": proposal.edit,
                "seen": proposal.sighting.count,
                "first_request_id": proposal.sighting.request_id,
                "yaml": proposal.snippet,
                "change_report": [change.line() for change in proposal.changes],
            }
            for proposal in proposals
        ],
    }


def markdown(inspector: Inspector, proposals: list[Proposal], *, upstream: str, spec: Path) -> str:
    lines = [
        "# Drift report: luma-uni-proxy",
        "",
        f"Traffic to `{upstream}` checked against `{spec}`: {inspector.exchanges} exchange(s), "
        f"{inspector.findings} finding(s).",
        "",
        "## Findings by rule",
        "",
    ]
    broken = {check: tally for check, tally in inspector.tallies.items() if tally.failed}
    if not broken:
        lines.append("None: every exchange kept every rule the checks know.")
    for check, tally in broken.items():
        lines += [f"### `{check}`: {tally.failed} finding(s)", ""]
        for finding in tally.kept:
            source = finding.source or "unsourced"
            lines.append(
                f"- {finding.text} (`{finding.where}`, source: {source}; request `{finding.request_id or '-'}`): "
                f"{finding.detail}"
            )
        if tally.failed > len(tally.kept):
            lines.append(f"- … and {tally.failed - len(tally.kept)} more")
        lines.append("")
    lines += ["", "## What the traffic showed that the spec lacks: proposed edits to openapi.yaml", ""]
    if not proposals:
        lines.append("None: the spec documents every value, field, header, status and wording the traffic showed.")
    else:
        lines += [
            "Each edit is classed as `make generate`'s change report classes it, so the everyday workflow applies: "
            "edit `openapi.yaml`, then `make generate`.",
            "",
        ]
    for number, proposal in enumerate(proposals, 1):
        gap, seen = proposal.gap, proposal.sighting
        lines += [
            f"{number}. **{proposal.kind}** `{gap.where}`: {proposal.edit} ({gap.kind} seen {seen.count} time(s); "
            f"first in request `{seen.request_id or '-'}`)",
            "",
            "   ```yaml",
            *(f"   {line}" for line in proposal.snippet.splitlines()),
            "   ```",
            "",
            "   `make generate` would report:",
            "",
            *(f"   {change.line()}" for change in proposal.changes),
            "",
        ]
    if inspector.drift.dropped:
        lines.append(f"(… and {inspector.drift.dropped} more gap sighting(s) past the first {MAX_GAPS} gaps.)")
    if inspector.unchecked:
        lines += ["", "## Not checked", ""]
        lines += [f"- {reason}: {count}" for reason, count in sorted(inspector.unchecked.items())]
    return "\n".join(lines).rstrip("\n") + "\n"
