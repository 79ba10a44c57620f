"""``luma-uni-proxy`` as a user runs it: ready line, findings as they happen, reports on SIGTERM; the caller's key and
presigned URL signatures never reach a line it writes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx

from luma_uni_mock.serve import serve_app
from tests.proxy.helpers import json_app

GID = "d290f1ee-6c54-4b01-90e6-d701748f0851"
KEY = "luma-api-cli-test.very-secret-key"
SIGNATURE = "5f2b0cfeedfacecafe"
# A completed generation that answers the same presigned URL to every GET, where each GET must mint a fresh one.
STALE = {
    "id": GID,
    "type": "image",
    "state": "completed",
    "model": "uni-1",
    "created_at": "2026-04-08T12:00:00Z",
    "output": [{"type": "image", "url": f"https://b.s3.amazonaws.com/{GID}/o.png?X-Amz-Signature={SIGNATURE}"}],
    "failure_reason": None,
    "failure_code": None,
}
HEADERS = [(b"content-type", b"application/json"), (b"x-request-id", b"r-1"), (b"x-api-version", b"2026-04-01")]


def test_the_command_checks_traffic_and_writes_its_reports_on_sigterm(tmp_path: Path) -> None:
    upstream = json_app(200, json.dumps(STALE).encode(), HEADERS)
    with serve_app(upstream) as port:
        command = ["--upstream", f"http://127.0.0.1:{port}/v1", "--port", "0", "--reports", str(tmp_path)]
        process = subprocess.Popen(
            [sys.executable, "-m", "luma_uni_proxy", *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            ready = process.stdout.readline()
            assert ready.startswith("Luma proxy ready: base URL http://127.0.0.1:"), ready
            base_url = ready.split()[5]
            assert base_url.endswith("/v1")
            auth = {"Authorization": f"Bearer {KEY}"}
            assert httpx.get(f"{base_url}/generations/{GID}", headers=auth).json() == STALE
            time.sleep(2.1)  # the next GET is far enough apart to need a fresh URL
            assert httpx.get(f"{base_url}/generations/{GID}", headers=auth).status_code == 200
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "output_urls_fresh at components.schemas.GenerationOutput.properties.url" in out
    assert "request r-1" in out
    reports = {path.name: path.read_text() for path in tmp_path.iterdir()}
    assert set(reports) == {"proxy-junit.xml", "proxy-report.json", "proxy-drift.md"}
    for text in [out, err, *reports.values()]:
        assert "very-secret-key" not in text and SIGNATURE not in text
    suite = ET.fromstring(reports["proxy-junit.xml"])
    failed = [case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None]
    assert failed == ["generation_lifecycle"]
    summary = json.loads(reports["proxy-report.json"])
    assert (summary["exchanges"], summary["findings"]) == (2, 1)
    assert "X-Amz-Signature=REDACTED" in reports["proxy-drift.md"]


def test_a_bad_upstream_or_spec_stops_it_with_a_clear_message(tmp_path: Path) -> None:
    for args, message in (
        (["--upstream", "ftp://x"], "the upstream must be an http(s) URL"),
        (["--upstream", "http://127.0.0.1:1/v1", "--spec", str(tmp_path / "none.yaml")], "cannot read the spec"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "luma_uni_proxy", *args], capture_output=True, text=True, timeout=60, check=False
        )
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
