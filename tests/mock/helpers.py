"""Shared helpers of the mock's tests: sample images, request shortcuts, the spec's documented examples."""

from __future__ import annotations

import base64
import copy
import io
from pathlib import Path
from typing import Any

import httpx
import yaml
from PIL import Image

from conformance.spec import load_spec
from luma_uni_mock.config import REPO_SPEC_PATH
from luma_uni_mock.serve import RunningMock
from luma_uni_mock.spec_facts import SpecFacts, load_spec_facts

GENERATION_KEYS = {"id", "type", "state", "model", "created_at", "output", "failure_reason", "failure_code"}


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 200, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def image_data(fmt: str = "PNG", size: tuple[int, int] = (8, 6)) -> str:
    return base64.b64encode(image_bytes(fmt, size)).decode()


def data_ref(fmt: str = "PNG", size: tuple[int, int] = (8, 6)) -> dict[str, str]:
    return {"data": image_data(fmt, size), "media_type": f"image/{fmt.lower()}"}


def model_for(*, ratio: str | None = None, kind: str | None = None) -> str:
    """The first model (in the spec's order) that takes this aspect ratio and makes this type."""
    facts = repo_facts()
    return next(
        model
        for model in facts.models
        if (ratio is None or ratio in facts.ratios_of(model)) and (kind is None or kind in facts.types_of(model))
    )


def repo_facts() -> SpecFacts:
    return load_spec_facts(REPO_SPEC_PATH)


def client(mock: RunningMock, key: str | None = None) -> httpx.Client:
    """A plain httpx client on the mock's base URL, authenticated with the test's (or the given) key."""
    return httpx.Client(
        base_url=mock.base_url, headers={"Authorization": f"Bearer {key or mock.api_key}"}, timeout=30.0
    )


def create(api: httpx.Client, **body: Any) -> dict[str, Any]:
    """POST a generation that must be accepted; the 201 body."""
    body.setdefault("prompt", "a lighthouse at dusk")
    response = api.post("/generations", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def detail(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"detail"}, body
    value: str = body["detail"]
    return value


def documented_details() -> set[str]:
    """Every ``detail`` of an error example in openapi.yaml."""
    details: set[str] = set()
    for response in load_spec()["components"]["responses"].values():
        for example in response.get("content", {}).get("application/json", {}).get("examples", {}).values():
            value = example.get("value", {})
            if isinstance(value, dict) and isinstance(value.get("detail"), str):
                details.add(value["detail"])
    return details


# The API moved ahead of the spec: a model value and a Generation field the repository's spec does not have (values
# derived from the spec, so a later real value never collides).
AHEAD_MODEL = load_spec()["components"]["schemas"]["Model"]["enum"][-1] + "-next"
AHEAD_FIELD, AHEAD_FIELD_EXAMPLE = "credits_charged", 4


def spec_ahead(directory: Path) -> Path:
    """A copy of openapi.yaml with one Model value and one Generation field (with its example) added: what the spec
    would say of an API that moved ahead of it."""
    spec = copy.deepcopy(load_spec())
    spec["components"]["schemas"]["Model"]["enum"].append(AHEAD_MODEL)
    properties = spec["components"]["schemas"]["Generation"]["properties"]
    properties[AHEAD_FIELD] = {"type": "integer", "minimum": 0, "example": AHEAD_FIELD_EXAMPLE}
    path = directory / "openapi-ahead.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
