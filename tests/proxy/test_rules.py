"""The rules of luma_uni_checks on exchanges made by hand: each holds for what the spec documents and fires, naming
itself and where the spec states it, for the slip a server would really make."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from typing import Any

import pytest

from conformance.spec import load_spec
from luma_uni_checks import lifecycle, rules
from luma_uni_checks.exchange import NO_BODY, Exchange
from luma_uni_checks.findings import Finding
from luma_uni_checks.redact import redact
from luma_uni_checks.spec import Spec

SPEC = Spec(load_spec())
POST = SPEC.match("POST", "/generations")
GID = "d290f1ee-6c54-4b01-90e6-d701748f0851"
GET = SPEC.match("GET", f"/generations/{GID}")
QUEUED: dict[str, Any] = load_spec()["components"]["examples"]["GenerationQueued"]["value"]
COMPLETED: dict[str, Any] = load_spec()["components"]["examples"]["GenerationCompleted"]["value"]
HEADERS = {"content-type": "application/json", "x-request-id": "r-1", "x-api-version": "2026-04-01"}


def exchange(
    status: int, body: Any, *, method: str = "GET", request: Any = NO_BODY, at: float = 0.0, **headers: str
) -> Exchange:
    encoded = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Exchange(
        method=method,
        path="/generations" if method == "POST" else f"/generations/{GID}",
        status=status,
        request_headers={"x-request-id": "r-1"},
        response_headers={**HEADERS, **{k.replace("_", "-").lower(): v for k, v in headers.items()}},
        request_json=request,
        response_body=encoded,
        response_json=body if not isinstance(body, bytes) else NO_BODY,
        bearer=True,
        caller="caller-1",
        at=at,
    )


def judged(rule: rules.Rule, ex: Exchange) -> list[str]:
    operation = POST if ex.method == "POST" else GET
    assert operation is not None
    return [f.rule for f in rule(SPEC, operation, ex)]


def everything(ex: Exchange) -> list[Finding]:
    operation = POST if ex.method == "POST" else GET
    assert operation is not None
    return [f for rule in rules.EXCHANGE_RULES for f in rule(SPEC, operation, ex)]


def test_the_spec_examples_break_no_rule() -> None:
    assert everything(exchange(200, COMPLETED)) == []
    assert everything(exchange(201, QUEUED, method="POST", request={"prompt": "x"})) == []
    assert everything(exchange(404, {"detail": "Generation not found"})) == []


def test_an_undocumented_status_is_named_with_the_documented_ones() -> None:
    [found] = [f for f in everything(exchange(418, {"detail": "teapot"})) if f.rule == "status_documented"]
    assert found.where == "paths./generations/{generation_id}.get.responses" and "418" in found.detail


def test_a_state_outside_the_enum_breaks_the_schema_at_its_path() -> None:
    [found] = [f for f in everything(exchange(200, QUEUED | {"state": "cancelled"})) if f.rule == "body_matches_schema"]
    assert found.detail.startswith("state: 'cancelled'")


def test_an_invariant_of_the_schema_is_checked() -> None:
    assert judged(rules.body_matches_schema, exchange(200, QUEUED | {"failure_reason": "x"})) == ["body_matches_schema"]


def test_a_body_that_is_not_json_is_named() -> None:
    assert judged(rules.body_matches_schema, exchange(200, b"<html>oops")) == ["body_matches_schema"]
    assert judged(rules.body_matches_schema, exchange(200, b'{"id": "trunc')) == ["body_matches_schema"]


def test_a_media_type_and_a_required_header_are_checked() -> None:
    assert judged(rules.media_type_documented, exchange(200, COMPLETED, content_type="text/html")) == [
        "media_type_documented"
    ]
    missing = exchange(200, COMPLETED)
    missing = replace(missing, response_headers={"content-type": "application/json"})
    assert judged(rules.headers_documented, missing) == ["headers_documented", "headers_documented"]
    bad = exchange(201, QUEUED, method="POST", x_ratelimit_limit="many")
    assert "headers_documented" in judged(rules.headers_documented, bad)


def test_a_refused_body_or_a_missing_key_served_is_named() -> None:
    accepted = exchange(201, QUEUED, method="POST", request={"prompt": "x", "web_search": "yes"})
    assert judged(rules.refused_request_accepted, accepted) == ["refused_request_accepted"]
    assert judged(rules.refused_request_accepted, exchange(201, QUEUED, method="POST", request={"prompt": "x"})) == []
    keyless = replace(exchange(200, COMPLETED), bearer=False)
    assert judged(rules.served_without_key, keyless) == ["served_without_key"]


@pytest.mark.parametrize(
    ("status", "detail", "documented"),
    [
        (404, "Generation not found", True),
        (404, "Error: Generation not found", False),
        (401, "Missing or invalid API key", True),
        (401, "Unauthorized", False),
    ],
)
def test_error_wordings_are_the_documented_ones(status: int, detail: str, documented: bool) -> None:
    found = judged(rules.error_wording_documented, exchange(status, {"detail": detail}))
    assert found == ([] if documented else ["error_wording_documented"])


def test_a_400_wording_matches_a_rule_template_or_comes_from_the_validator() -> None:
    def post(detail: str, body: Any) -> list[str]:
        return judged(rules.error_wording_documented, exchange(400, {"detail": detail}, method="POST", request=body))

    valid = {"prompt": "x", "model": "uni-1", "aspect_ratio": "1:1"}
    assert post("Unknown model: uni-9", valid) == []  # x-rules unknown_model's template
    assert post("source: image exceeds 50 MB limit", valid) == ["error_wording_documented"]  # a 413's, not a 400's
    assert post("Model uni-9 is unknown", valid) == ["error_wording_documented"]
    assert post("web_search: 'yes' is not of type 'boolean'", {"prompt": "x", "web_search": "yes"}) == []


def test_the_custom_rules_fire_as_before() -> None:
    assert judged(rules.request_id_echoed, exchange(200, COMPLETED, x_request_id="other")) == ["request_id_echoed"]
    assert judged(rules.retry_after_on_429, exchange(429, {"detail": "Rate limit exceeded"})) == ["retry_after_on_429"]
    jpeg = exchange(201, QUEUED | {"model": "uni-1-max"}, method="POST", request={"prompt": "x"})
    assert judged(rules.server_defaults_reported, jpeg) == ["server_defaults_reported"]
    assert judged(rules.answers_the_id_asked_for, exchange(200, COMPLETED | {"id": GID.replace("d", "e")})) == [
        "answers_the_id_asked_for"
    ]


def _completed_at(url_signature: str) -> dict[str, Any]:
    output = [{"type": "image", "url": f"https://s3.example/{GID}/output.png?X-Amz-Signature={url_signature}"}]
    return COMPLETED | {"output": output}


def _observe(generations: lifecycle.Generations, ex: Exchange) -> list[str]:
    operation = POST if ex.method == "POST" else GET
    assert operation is not None
    return [f.rule for f in generations.observe(SPEC, operation, ex)]


def test_a_generation_is_followed_by_its_id() -> None:
    seen = lifecycle.Generations()
    assert _observe(seen, exchange(201, QUEUED, method="POST", request={"prompt": "x"}, at=0)) == []
    assert _observe(seen, exchange(200, QUEUED | {"state": "processing"}, at=1)) == []
    assert _observe(seen, exchange(200, QUEUED, at=2)) == ["state_never_backwards"]
    assert _observe(seen, exchange(200, _completed_at("a"), at=3)) == []
    assert _observe(seen, exchange(200, _completed_at("a"), at=4)) == []  # a second apart: may be the same URL
    assert _observe(seen, exchange(200, _completed_at("a"), at=6)) == ["output_urls_fresh"]
    assert _observe(seen, exchange(200, _completed_at("b") | {"model": "uni-1-max"}, at=7)) == [
        "generation_immutable_fields"
    ]
    two_outputs = [*_completed_at("c")["output"], {"type": "image", "url": "https://x/y"}]
    frozen = _completed_at("c") | {"model": "uni-1-max", "output": two_outputs}
    assert _observe(seen, exchange(200, frozen, at=8)) == ["terminal_generation_frozen"]


def test_a_post_answers_queued_and_a_generation_settles_within_the_hour() -> None:
    seen = lifecycle.Generations()
    processing = QUEUED | {"state": "processing"}
    assert _observe(seen, exchange(201, processing, method="POST", at=0)) == ["created_in_first_state"]
    assert _observe(seen, exchange(200, processing, at=3599)) == []
    assert _observe(seen, exchange(200, processing, at=3601)) == ["settles_within"]


def test_a_created_generation_not_found_by_its_creator_is_named() -> None:
    seen = lifecycle.Generations()
    _observe(seen, exchange(201, QUEUED, method="POST", at=0))
    not_found = exchange(404, {"detail": "Generation not found"}, at=1)
    assert _observe(seen, not_found) == ["created_generation_found"]
    assert _observe(seen, replace(not_found, caller="another")) == []


def test_a_download_through_the_proxy_is_judged_as_its_output() -> None:
    seen = lifecycle.Generations()
    _observe(seen, exchange(201, QUEUED, method="POST", request={"prompt": "x"}, at=0))
    url = f"/_mock/files/{GID}/output.png?expires=1&signature=s"
    done = COMPLETED | {"output": [{"type": "image", "url": f"http://proxy{url}"}]}
    _observe(seen, exchange(200, done, at=1))

    def download(status: int, content_type: str, at: float, target: str = url) -> list[str] | None:
        got = Exchange("GET", target, status, {}, {"content-type": content_type}, at=at, target=target)
        found = seen.observe_download(SPEC, got)
        return None if found is None else [f.rule for f in found]

    assert download(200, "image/png", 2) == []
    assert download(200, "image/jpeg", 2) == ["output_format"]  # the png default
    assert download(403, "application/xml", 3602.5) == []
    assert download(200, "image/png", 3602.5) == ["expired_url_refused"]
    assert download(403, "application/xml", 3600.5) == download(200, "image/png", 3600.5) == []  # at the edge
    assert download(200, "image/png", 2, target=url.replace("signature=s", "signature=t")) is None  # not minted


def test_redaction_keeps_no_signature_and_no_key() -> None:
    line = redact(
        "GET https://b.s3.amazonaws.com/o.png?X-Amz-Credential=AKIA/x&X-Amz-Expires=3600&X-Amz-Signature=abc "
        "http://m/_mock/files/i/o.png?expires=9&signature=def Authorization: Bearer luma-api-secret.key"
    )
    assert "abc" not in line and "def" not in line and "AKIA" not in line and "secret" not in line
    assert "X-Amz-Expires=3600" in line


def test_a_rule_finds_its_source_once_the_spec_records_one() -> None:
    sourced = copy.deepcopy(load_spec())
    sourced["components"]["headers"]["X-RateLimit-Reset"]["x-source"] = {"docs": "Rate limits page"}
    spec = Spec(sourced)
    assert spec.source_at("components.headers.X-RateLimit-Reset") == "docs: Rate limits page"
    assert spec.source_at("components.headers.X-RateLimit-Reset.x-window-seconds") == "docs: Rate limits page"
    # The repository's spec records its sources (issue 17): the proxy files a finding under them.
    assert str(SPEC.source_at("components.headers.X-RateLimit-Reset")).startswith("docs: guides/rate-limits: ")
    # An x-source keyed by the facts of its object (issue 17's shape): the entry of the fact the rule rests on.
    generation = sourced["components"]["schemas"]["Generation"]
    generation["x-source"] = {"x-state-order": {"docs": "FAQ"}, "x-settles-within-seconds": {"choice": "an hour"}}
    assert spec.source_at("components.schemas.Generation.x-state-order") == "docs: FAQ"
    assert spec.source_at("components.schemas.Generation.x-settles-within-seconds") == "choice: an hour"
    assert spec.source_at("components.schemas.Generation") is None  # neither entry is the schema's own statement
    sourced["components"]["parameters"]["RequestId"]["x-source"] = {"description": {"docs": "rate limits"}}
    assert spec.source_at("components.parameters.RequestId") == "docs: rate limits"
