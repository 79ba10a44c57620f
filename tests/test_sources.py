"""Issue 17: every fact of openapi.yaml that luma-agents' types do not state names its source (``x-source``), and
each source can be checked: an ``sdk`` one quotes the pinned SDK's file, a ``docs`` one names a page of Luma's docs."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import luma_agents
import pytest

from conformance.sources import DOC_PAGES, Fact, facts, sdk_quote
from conformance.spec import load_spec
from luma_uni_mock.sources import DOCS, SDK, SourceError

SDK_ROOT = Path(luma_agents.__file__).parent
SPEC = load_spec()
FACTS = facts(SPEC)


def _missing(spec: dict[str, Any]) -> list[str]:
    return [fact.where for fact in facts(spec) if fact.source is None]


def test_every_fact_names_its_source() -> None:
    missing = _missing(SPEC)
    assert not missing, "openapi.yaml: give these facts an x-source (sdk, docs or choice): " + ", ".join(missing)


def _rules(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return list(spec["components"]["schemas"]["CreateGenerationRequest"]["x-rules"])


def _schemas(spec: dict[str, Any]) -> dict[str, Any]:
    return dict(spec["components"]["schemas"])


# One source removed from a copy of the spec, for each kind of fact: the check above must name that fact.
REMOVALS: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    "a rule": (
        lambda s: next(r for r in _rules(s) if r["id"] == "too_many_edit_refs").pop("x-source"),
        "components.schemas.CreateGenerationRequest.x-rules.too_many_edit_refs.status",
    ),
    "a rule's wording": (
        lambda s: next(r for r in _rules(s) if r["id"] == "manga_landscape")["x-source"].pop("detail"),
        "components.schemas.CreateGenerationRequest.x-rules.manga_landscape.detail",
    ),
    "a limit": (
        lambda s: _schemas(s)["CreateGenerationRequest"]["properties"]["user_id"].pop("x-source"),
        "components.schemas.CreateGenerationRequest.properties.user_id.maxLength",
    ),
    "one of two keywords": (
        lambda s: _schemas(s)["SourcePosition"]["properties"]["w_norm"]["x-source"].pop("exclusiveMinimum"),
        "components.schemas.SourcePosition.properties.w_norm.exclusiveMinimum",
    ),
    "a model's ratios": (
        lambda s: _schemas(s)["Model"]["x-models"]["ray-3.2"]["x-source"].pop("aspect_ratios"),
        "components.schemas.Model.x-models.ray-3.2.aspect_ratios",
    ),
    "an invariant": (
        lambda s: _schemas(s)["Generation"]["allOf"][0].pop("x-source"),
        "components.schemas.Generation.allOf[0]",
    ),
    "an error's wording": (
        lambda s: s["components"]["responses"]["UnsupportedMediaType"]["content"]["application/json"]["examples"][
            "not_json"
        ].pop("x-source"),
        "components.responses.UnsupportedMediaType.examples.not_json",
    ),
    "a status": (
        lambda s: s["components"]["responses"]["PaymentRequired"].pop("x-source"),
        "components.responses.PaymentRequired",
    ),
    "a required header": (
        lambda s: s["components"]["headers"]["X-API-Version"].pop("x-source"),
        "components.headers.X-API-Version.required",
    ),
    "a server default": (
        lambda s: _schemas(s)["LayeringOptions"]["properties"]["resolution"].pop("x-source"),
        "components.schemas.LayeringOptions.properties.resolution.x-server-default",
    ),
}


@pytest.mark.parametrize("kind", REMOVALS)
def test_a_fact_without_its_source_is_named(kind: str) -> None:
    remove, where = REMOVALS[kind]
    spec = copy.deepcopy(SPEC)
    remove(spec)
    assert where in _missing(spec)


def test_a_per_fact_source_names_only_keys_of_its_object() -> None:
    spec = copy.deepcopy(SPEC)
    _schemas(spec)["ImageRef"]["x-source"]["x-max-bytes"] = {"choice": "a typo of x-max-decoded-bytes"}
    with pytest.raises(SourceError, match=r"ImageRef\.x-source names 'x-max-bytes'"):
        facts(spec)


def test_a_source_has_one_kind() -> None:
    spec = copy.deepcopy(SPEC)
    _schemas(spec)["CreateGenerationRequest"]["properties"]["user_id"]["x-source"] = {"docs": "a", "choice": "b"}
    with pytest.raises(SourceError, match=r"user_id\.x-source"):
        facts(spec)


def _of_kind(kind: str) -> list[Fact]:
    seen: dict[str, Fact] = {}
    for fact in FACTS:
        if fact.source is not None and fact.source.kind == kind:
            seen.setdefault(fact.source.text, fact)
    return list(seen.values())


def _normal(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("fact", _of_kind(SDK), ids=lambda fact: fact.where)
def test_an_sdk_source_quotes_the_pinned_sdk(fact: Fact) -> None:
    assert fact.source is not None
    file, quote = sdk_quote(fact.source)
    path = SDK_ROOT / file
    assert path.is_file(), f"{fact.where}: luma-agents has no {file} (the form is '<file>: <sentence>')"
    assert _normal(quote) in _normal(path.read_text(encoding="utf-8")), f"{fact.where}: {file} does not say {quote!r}"


@pytest.mark.parametrize("fact", _of_kind(DOCS), ids=lambda fact: fact.where)
def test_a_docs_source_names_a_page(fact: Fact) -> None:
    assert fact.source is not None
    assert fact.source.text.startswith(DOC_PAGES), f"{fact.where}: {fact.source.text!r} names none of {DOC_PAGES}"
    assert ": " in fact.source.text, f"{fact.where}: the form is '<page>: <what it states>'"
