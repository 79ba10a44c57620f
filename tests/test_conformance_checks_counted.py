"""The suite's custom checks count as run exactly when they ran: schemathesis reads a truthy return as "skipped" and
leaves it out of the results the summary counts, so a check returns None once it ran and True where it does not
apply."""

from __future__ import annotations

from conformance.asgi import ServerErrorShield
from conformance.checks import regets
from conformance.report import Stats
from conformance.schemathesis_setup import instrument, load_contract, suite_config
from conformance.targets import mock_app
from luma_uni_mock.serve import new_api_key

RULE_CHECKS = {"request_id_echoed", "retry_after_on_429", "rate_limit_headers", "server_defaults_reported"}


def test_the_custom_checks_of_a_post_and_its_get_are_counted() -> None:
    key = new_api_key()
    _, app = mock_app(schema_only=True)
    config = suite_config(api_key=key, examples=1, mode="positive", strict_positive_acceptance=True)
    stats = Stats()
    schema = instrument(load_contract(config, app=ServerErrorShield(app)), "test", stats=stats)
    auth = {"Authorization": f"Bearer {key}"}

    case = schema["/generations"]["POST"].Case(body={"prompt": "a lighthouse"}, media_type="application/json")
    response = case.call_and_validate(headers={**auth, "X-Request-Id": "counted-1"})
    follow = regets(case, response, response.json())
    assert follow is not None
    follow.call_and_validate(headers=auth)

    # The rules apply to every response; GET's stability to the GET only, the lifecycle to the POST only.
    expected = {**dict.fromkeys(RULE_CHECKS, 2), "generation_get_is_stable": 1, "generation_lifecycle": 1}
    counted = {name: tally.passed + tally.failed for name, tally in stats.checks.items() if name in expected}
    assert counted == expected
