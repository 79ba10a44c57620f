"""The official luma-agents 0.5.0 SDK through the proxy in front of the mock: every GenerationType created (from the
spec's own request example; a chained one off a generation of its source's kind made first), polled with the SDK
until completed, and each output downloaded through the proxy: not one finding."""

from __future__ import annotations

import copy
import time
from typing import Any

import httpx
import luma_agents
from luma_agents.types import Generation

from conformance.spec import enum_values, load_spec
from luma_uni_mock.serve import new_api_key
from tests.proxy.helpers import mock, proxy_in_front_of

JSON = dict[str, Any]
SPEC = load_spec()
EXAMPLES: dict[str, JSON] = {
    example["value"].get("type", "image"): example["value"]
    for example in SPEC["paths"]["/generations"]["post"]["requestBody"]["content"]["application/json"][
        "examples"
    ].values()
}
MAKES = {
    name: facts.get("output", "image")
    for name, facts in SPEC["components"]["schemas"]["GenerationType"]["x-types"].items()
}
TAKES = {
    name: facts.get("source") for name, facts in SPEC["components"]["schemas"]["GenerationType"]["x-types"].items()
}


def _completed(sdk: luma_agents.Luma, created: Generation) -> Generation:
    deadline = time.monotonic() + 30  # a bound, not a timing assertion: the mock takes 0.3 s
    current = created
    while current.state not in ("completed", "failed") and time.monotonic() < deadline:
        time.sleep(0.05)
        current = sdk.generations.get(created.id)
    assert current.state == "completed", f"{created.type}: {current.state} {current.failure_reason}"
    return current


def test_the_sdk_makes_polls_and_downloads_every_type_through_the_proxy_without_a_finding() -> None:
    made: dict[str, Generation] = {}
    with proxy_in_front_of(mock(), lifespan="on", preserve_host=True) as proxied:
        sdk = luma_agents.Luma(auth_token=new_api_key(), base_url=proxied.base_url, max_retries=0)
        with sdk, httpx.Client(timeout=30) as files:
            # Types that chain off another come after a type that makes their source's kind.
            for kind in sorted(enum_values("GenerationType"), key=lambda name: bool(TAKES.get(name))):
                body = copy.deepcopy(EXAMPLES[kind])
                source = body.get("source") or {}
                if source.get("generation_id") is not None:
                    source["generation_id"] = next(g.id for name, g in made.items() if MAKES[name] == TAKES[kind])
                made[kind] = _completed(sdk, sdk.generations.create(**body))
                for output in made[kind].output or []:
                    downloaded = files.get(output.url)
                    assert downloaded.status_code == 200 and downloaded.content, output.url
    assert set(made) == set(enum_values("GenerationType"))
    # Not one finding: the downloads were judged as outputs too (a path the spec lacks would be a finding).
    assert proxied.findings() == [], proxied.lines
    assert not proxied.proxy.inspector.unchecked, proxied.proxy.inspector.unchecked
