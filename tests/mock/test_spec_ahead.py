"""A spec that runs ahead of the mock's code (the API added a model and a Generation field) needs no mock edit: the
new model is accepted as any model without a per-model schema item, and the new field is answered with its example."""

from __future__ import annotations

from pathlib import Path

import httpx

from luma_uni_mock import MockConfig
from luma_uni_mock.serve import serve_in_thread
from tests.mock.helpers import AHEAD_FIELD, AHEAD_FIELD_EXAMPLE, AHEAD_MODEL, GENERATION_KEYS, spec_ahead


def test_a_spec_ahead_of_the_mock_is_served_as_written(tmp_path: Path) -> None:
    with serve_in_thread(MockConfig(spec_path=spec_ahead(tmp_path), time_scale=0)) as mock:
        headers = {"Authorization": f"Bearer {mock.api_key}"}
        created = httpx.post(
            f"{mock.base_url}/generations", json={"prompt": "x", "model": AHEAD_MODEL}, headers=headers
        )
        assert created.status_code == 201, created.text
        fetched = httpx.get(f"{mock.base_url}/generations/{created.json()['id']}", headers=headers).json()
    for body in (created.json(), fetched):
        assert set(body) == {*GENERATION_KEYS, AHEAD_FIELD}
        assert (body["model"], body[AHEAD_FIELD]) == (AHEAD_MODEL, AHEAD_FIELD_EXAMPLE)
