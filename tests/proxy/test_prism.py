"""In front of Stoplight Prism serving openapi.yaml (a server we did not make conform: stateless, it answers the
spec's examples), the proxy names what Prism's answers break: each finding with its rule and where the spec states
it. Prism comes from npm at the version bench/prism pins (installed on first use, as `make bench` does)."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench import servers
from luma_uni_checks.spec import Spec
from luma_uni_mock.config import REPO_SPEC_PATH
from luma_uni_proxy.config import ProxyConfig
from luma_uni_proxy.serve import serve_in_thread

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("npm") is None, reason="Prism needs Node.js and npm"),
]
GID = "3f2504e0-4f89-41d3-9a0c-0305e82c3302"


@pytest.fixture(scope="module")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = servers.free_port()
    log = tmp_path_factory.mktemp("prism") / "prism.log"
    command = [str(servers.ensure_prism()), "mock", "-h", "127.0.0.1", "-p", str(port), str(REPO_SPEC_PATH)]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + servers.READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            try:
                httpx.get(f"{url}/generations/{GID}", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert process.poll() is None, Path(log).read_text()
        yield url
    finally:
        process.terminate()
        process.wait(10)


def test_the_proxy_names_what_prism_breaks(prism: str) -> None:
    proxy = serve_in_thread(ProxyConfig(upstream=prism), emit=lambda line: None)
    with proxy as running, httpx.Client(base_url=running.base_url, timeout=30) as client:
        auth = {"Authorization": "Bearer luma-api-prism", "X-Request-Id": "prism-1"}
        created = client.post("/generations", json={"prompt": "a lighthouse"}, headers=auth)
        assert created.status_code == 201, created.text
        client.get(f"/generations/{GID}", headers=auth)
        client.get("/generations/not-a-uuid", headers=auth)  # the spec says 404; Prism answers its own 422
        client.post("/generations", json={"prompt": "x", "web_search": "yes"}, headers=auth)
        client.post("/generations", json={"prompt": "x"})
    findings = [finding for tally in running.inspector.tallies.values() for finding in tally.kept]
    rules = {finding.rule for finding in findings}
    print("\n".join(finding.line() for finding in findings))
    # Stateless: a GET answers an example, not the generation asked for; no X-Request-Id is echoed; a path parameter
    # the spec does not validate gets Prism's own 422, a status the GET does not document.
    assert {"answers_the_id_asked_for", "request_id_echoed", "status_documented"} <= rules
    spec = Spec.load(REPO_SPEC_PATH)
    for finding in findings:  # each names a rule and a place the spec has
        assert finding.rule and finding.text and spec.at(finding.where) is not None, finding
