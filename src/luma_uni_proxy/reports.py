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

from luma_uni_checks.redact import redact

from .inspector import Inspector

JUNIT = "proxy-junit.xml"
JSON_REPORT = "proxy-report.json"
DRIFT = "proxy-drift.md"


def write_reports(inspector: Inspector, directory: Path, *, upstream: str, spec: Path) -> list[Path]:
    """Write the three reports into ``directory`` (created); their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (
        (JUNIT, junit(inspector)),
        (JSON_REPORT, json.dumps(summary(inspector, upstream=upstream, spec=spec), indent=2) + "\n"),
        (DRIFT, markdown(inspector, upstream=upstream, spec=spec)),
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


def summary(inspector: Inspector, *, upstream: str, spec: Path) -> dict[str, Any]:
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
    }


def markdown(inspector: Inspector, *, upstream: str, spec: Path) -> str:
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
    if inspector.unchecked:
        lines += ["", "## Not checked", ""]
        lines += [f"- {reason}: {count}" for reason, count in sorted(inspector.unchecked.items())]
    return "\n".join(lines).rstrip("\n") + "\n"
