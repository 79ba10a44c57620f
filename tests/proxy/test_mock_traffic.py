"""In front of the mock, which keeps the contract: everything a client does passes every check, downloads included
when they come through the proxy."""

from __future__ import annotations

import httpx

from luma_uni_proxy.inspector import LIFECYCLE
from tests.proxy.helpers import api_client, mock, proxy_in_front_of, tour


def test_a_client_tour_of_the_mock_breaks_no_rule() -> None:
    with proxy_in_front_of(mock(), lifespan="on", preserve_host=True) as proxied:
        with api_client(proxied.base_url) as client:
            done = tour(client, download=httpx.get)
        base_url = proxied.base_url
    assert done["state"] == "completed" and done["output"][0]["url"].startswith(base_url.removesuffix("/v1"))
    assert proxied.findings() == [], proxied.lines
    inspector = proxied.proxy.inspector
    assert inspector.exchanges >= 7
    # The download was judged as one (not as a path the spec lacks).
    assert inspector.tallies[LIFECYCLE].runs >= 3
    assert not inspector.unchecked, inspector.unchecked
