"""In front of a mock started from a spec that moved ahead of ours (one Model value and one Generation field added),
the drift report proposes exactly those two edits, each classed in make generate's language."""

from __future__ import annotations

from pathlib import Path

import httpx

from luma_uni_checks.spec_diff import ADDITIVE
from luma_uni_mock import MockConfig, create_app
from luma_uni_mock.pytest_plugin import DEFAULT_TIME_SCALE
from luma_uni_proxy.reports import DRIFT, write_reports
from tests.mock.helpers import AHEAD_FIELD, AHEAD_MODEL, spec_ahead
from tests.proxy.helpers import api_client, poll_until_terminal, proxy_in_front_of


def test_the_drift_report_proposes_exactly_what_the_api_added(tmp_path: Path) -> None:
    ahead = create_app(MockConfig(spec_path=spec_ahead(tmp_path), time_scale=DEFAULT_TIME_SCALE))
    with proxy_in_front_of(ahead, lifespan="on", preserve_host=True) as proxied, api_client(proxied.base_url) as client:
        for model in (AHEAD_MODEL, None):
            body = {"prompt": "a lighthouse"} | ({"model": model} if model else {})
            created = client.post("/generations", json=body)
            assert created.status_code == 201, created.text
            done = poll_until_terminal(client, created.json()["id"])
            assert httpx.get(done["output"][0]["url"]).status_code == 200
    inspector = proxied.proxy.inspector
    proposals = inspector.drift.proposals(inspector.spec)
    assert [(p.gap.kind, p.gap.where, p.gap.name) for p in proposals] == [
        ("enum value", "components.schemas.Model", AHEAD_MODEL),
        ("field", "components.schemas.Generation", AHEAD_FIELD),
    ]
    assert [p.kind for p in proposals] == [ADDITIVE, ADDITIVE]
    assert [c.line() for p in proposals for c in p.changes] == [
        f"- **additive** `Model`: new value {AHEAD_MODEL!r}",
        f"- **additive** `Generation.{AHEAD_FIELD}`: new optional field",
    ]
    # The findings say the same from the rules' side: a model value the spec refuses, accepted and answered.
    assert {"refused_request_accepted", "body_matches_schema"} <= proxied.rules()
    written = write_reports(inspector, tmp_path / "reports", upstream="ahead", spec=tmp_path)
    report = next(path for path in written if path.name == DRIFT).read_text()
    assert report.count("**additive**") == 4 and f"add the optional field '{AHEAD_FIELD}'" in report
    print(report)
