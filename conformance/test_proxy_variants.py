"""Part 5 for the proxy: the validating proxy (``luma-uni-proxy``) finds each broken variant's violation in ordinary
traffic, with the same rules the suite runs, and nothing in front of the mock itself.

Each variant of conformance/broken/ wraps a mock and is put behind the proxy in this process; one client tour (create,
poll, download through the proxy, download again past the URLs' lifetime, GET again, and the documented errors of a
refused body, a missing key, an unknown id) runs through it. The proxy never sends a request of its own, so the spec
both read gives output URLs a lifetime of 4 s (a copy of openapi.yaml with only that changed): the tour waits 5 s of
real time past a download, where the suite would move the mock's clock."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from conformance import http_clients
from conformance.broken import MOCK_VARIANTS
from conformance.report import STATS
from conformance.spec import enum_values, load_spec
from luma_uni_checks.findings import Finding
from luma_uni_checks.lifecycle import URL_CLOCK_SLACK_SECONDS
from luma_uni_mock import MockConfig, create_app
from luma_uni_mock.asgi_types import ASGIApp
from luma_uni_mock.failure_switch import FAILURE_HEADER
from luma_uni_mock.serve import new_api_key, serve_app
from luma_uni_proxy.config import ProxyConfig
from luma_uni_proxy.serve import serve_in_thread

# Under xdist the whole module runs on one worker: its tours run once, together, in one module fixture (runs).
pytestmark = pytest.mark.xdist_group("proxy-variants")

PART = "5 broken variants are caught"
LIFETIME_SECONDS = 4  # long enough for a download right after the GET, on a loaded machine, to be judged as valid
FAILURE_CODE = enum_values("FailureCode")[0]
# The states a generation moves on from (Generation's x-state-order without its x-terminal-states): any other ends the
# tour's polling, a state outside the enum too (the proxy has judged that answer; a variant giving one never ends).
_GENERATION = load_spec()["components"]["schemas"]["Generation"]
PENDING = [state for state in _GENERATION["x-state-order"] if state not in _GENERATION["x-terminal-states"]]
# The rule each variant breaks, as the proxy names it.
EXPECTED = {
    "failure-reason-while-queued": "body_matches_schema",
    "jpeg-by-default": "output_format",
    "urls-never-expire": "expired_url_refused",
    "foreign-enum-value": "body_matches_schema",
    "accepts-invalid-body": "refused_request_accepted",
    "ignores-auth": "served_without_key",
    "loses-created-generation": "created_generation_found",
    "rewords-errors": "error_wording_documented",
    "reuses-output-urls": "output_urls_fresh",
    "failure-fields-early-when-doomed": "body_matches_schema",
}
# The realistic variants an ordinary tour does not reach, and why: the suite reaches them on purpose (part 2's
# test_server_promises.py, test_mock_contract.py's clock), which a passive proxy cannot do.
NOT_IN_A_TOUR = {
    "sibling-key-cannot-see": "needs two keys of one client; the proxy sees callers, not their clients",
    "chains-another-clients-generation": "needs a second client chaining the first's generation",
    "limits-per-key": "needs two keys of one client",
    "jpeg-for-image-edits": "needs an image_edit left without output_format, which the tour does not send",
    "ten-second-video-cut-short": "needs a 10s video, decoded: the proxy does not decode files",
    "portrait-videos-landscape": "needs a portrait video, decoded: the proxy does not decode files",
    "layers-back-to-front": "needs a layering, decoded: the proxy does not decode files",
    "urls-expire-early": "needs a download late in the URL's lifetime, which a tour at real time does not wait for",
}


@pytest.fixture(scope="module")
def short_lived_urls(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = copy.deepcopy(load_spec())
    spec["components"]["schemas"]["GenerationOutput"]["properties"]["url"]["x-lifetime-seconds"] = LIFETIME_SECONDS
    path = tmp_path_factory.mktemp("spec") / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _tour(base_url: str) -> None:
    """What a client does, with the documented errors it meets; nothing is asserted of the answers (the proxy
    judges them), only that the tour got as far as each step needs."""
    with http_clients.client(
        base_url=base_url, headers={"Authorization": f"Bearer {new_api_key()}"}, timeout=30
    ) as client:
        created = client.post("/generations", json={"prompt": "a lighthouse at dusk"}).json()
        deadline = time.monotonic() + 30  # a bound: the mock finishes in 0.2 s
        generation = created
        while generation.get("state") in PENDING and time.monotonic() < deadline:
            time.sleep(0.05)
            generation = client.get(f"/generations/{created['id']}").json()
        urls = [output["url"] for output in generation.get("output") or []]
        for url in urls:
            http_clients.request("GET", url)
        time.sleep(LIFETIME_SECONDS + URL_CLOCK_SLACK_SECONDS + 0.1)  # past the URLs' lifetime, and fresh ones due
        for url in urls:
            http_clients.request("GET", url)
        client.get(f"/generations/{created['id']}")
        client.post("/generations", json={"prompt": "x", "web_search": "yes"})
        client.post("/generations", json={"prompt": "x"}, headers={"Authorization": ""})
        client.get("/generations/00000000-0000-4000-8000-000000000000")
        # A generation asked to fail (the mock's switch), as a test of a client's failure handling would.
        client.post("/generations", json={"prompt": "a lighthouse at dusk"}, headers={FAILURE_HEADER: FAILURE_CODE})


def _findings(variant: str | None, spec: Path) -> list[Finding]:
    config = MockConfig(spec_path=spec, time_scale=1, queued_seconds=0, processing_seconds=0.2)
    app: ASGIApp = create_app(config)
    if variant is not None:
        app = MOCK_VARIANTS[variant](app)
    lines: list[str] = []
    with serve_app(app, lifespan="on") as port:
        proxy = ProxyConfig(upstream=f"http://127.0.0.1:{port}/v1", spec_path=spec, preserve_host=True)
        with serve_in_thread(proxy, emit=lines.append) as running:
            _tour(running.base_url)
    return [finding for tally in running.inspector.tallies.values() for finding in tally.kept]


@pytest.fixture(scope="module")
def runs(short_lived_urls: Path) -> Iterator[dict[str | None, list[Finding]]]:
    """The tour in front of the mock and of each variant, all at once (each is mostly waiting)."""
    names: list[str | None] = [None, *EXPECTED]
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        yield dict(zip(names, pool.map(lambda name: _findings(name, short_lived_urls), names), strict=True))


def test_every_variant_has_its_expected_rule() -> None:
    assert set(EXPECTED) | set(NOT_IN_A_TOUR) == set(MOCK_VARIANTS)
    assert not set(EXPECTED) & set(NOT_IN_A_TOUR)


def test_the_mock_itself_breaks_no_rule(runs: dict[str | None, list[Finding]]) -> None:
    assert runs[None] == [], [finding.line() for finding in runs[None]]


@pytest.mark.parametrize("variant", sorted(EXPECTED))
def test_the_proxy_finds_the_variant_s_violation(variant: str, runs: dict[str | None, list[Finding]]) -> None:
    found = {finding.rule for finding in runs[variant]}
    STATS.case(PART)
    caught = EXPECTED[variant] in found
    STATS.check("proxy_finds_broken_variant", caught)
    assert caught, f"{variant}: expected {EXPECTED[variant]}, found {sorted(found)}"
