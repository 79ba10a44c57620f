"""Issue 17: every fact of openapi.yaml that luma-agents' types do not state names its source (``x-source``), and
each source can be checked: an ``sdk`` one quotes the pinned SDK's file, a ``docs`` one names a page of Luma's docs."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import luma_agents
import pytest
from rich.console import Console

from conformance.error_cases import DocumentedError, contradicted, documented_errors
from conformance.report import Outcome, _print_by_source
from conformance.sources import (
    CHOICE_GROUP,
    DOC_PAGES,
    SOURCED_GROUP,
    UNNAMED_GROUP,
    Fact,
    facts,
    group_failures,
    resolve,
    sdk_quote,
)
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


def _ratio_node(spec: dict[str, Any], model: str) -> dict[str, Any]:
    """The request schema's node stating ``model``'s aspect ratios (x-rule invalid_aspect_ratio)."""
    nodes = _schemas(spec)["CreateGenerationRequest"]["allOf"][2]["else"]["allOf"]
    node: dict[str, Any] = next(n for n in nodes if n["if"]["properties"].get("model", {}).get("const") == model)
    assert node["x-rule"] == "invalid_aspect_ratio"
    return node


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
    "a model's ratios (a rule the schema states)": (
        lambda s: _ratio_node(s, "ray-3.2").pop("x-source"),
        "components.schemas.CreateGenerationRequest.allOf[2].else.allOf[2]",
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


# --- Live runs say whose fact broke (conformance/report.py groups failures by these) ---------------------------


def test_a_failure_is_grouped_by_the_source_of_the_fact_it_names() -> None:
    texts = [
        "AssertionError: too_many_edit_refs answered 201 (openapi.yaml "
        "components.schemas.CreateGenerationRequest.x-rules.too_many_edit_refs)",
        "Documented rule broken: ... (openapi.yaml components.schemas.GenerationOutput.url.x-expired-status). 200",
        "Documented rule broken: ... (openapi.yaml CreateGenerationRequest.output_format.x-server-default). x",
        "Response violates schema",
    ]
    groups = group_failures(texts, SPEC)
    assert {group: sorted(b.where for b in broken) for group, broken in groups.items()} == {
        SOURCED_GROUP: ["components.schemas.CreateGenerationRequest.x-rules.too_many_edit_refs"],
        CHOICE_GROUP: [
            "components.schemas.CreateGenerationRequest.properties.output_format.x-server-default",
            "components.schemas.GenerationOutput.properties.url.x-expired-status",
        ],
        UNNAMED_GROUP: [""],
    }


def _answers(documented: DocumentedError) -> list[int]:
    """A server's answers that contradict ``documented``: it took the request, answered another status, or the
    same status with another wording."""
    return [201, 599 if documented.status != 599 else 598, documented.status]


@pytest.mark.parametrize("documented", documented_errors().values(), ids=lambda d: d.key)
def test_every_way_a_documented_error_can_break_names_a_sourced_fact(documented: DocumentedError) -> None:
    for status in _answers(documented):
        where = contradicted(documented, status)
        fact = resolve(FACTS, where)
        assert fact is not None and fact.source is not None, f"{documented.key} answered {status}: {where}"


def test_the_summary_prints_each_group_with_the_facts_and_their_sources() -> None:
    sourced = "components.schemas.CreateGenerationRequest.x-rules.source_not_allowed"
    chosen = "components.responses.UnsupportedMediaType.examples.not_json"
    failed = [
        Outcome("test_client_e2e", "a", "failed", "AssertionError: took it", f"took it (openapi.yaml {sourced})"),
        Outcome("test_client_e2e", "b", "failed", "AssertionError: 400", f"400, not 415 (openapi.yaml {chosen})"),
    ]
    console = Console(record=True, width=200)
    _print_by_source(console, failed)
    text = console.export_text()
    assert f"{SOURCED_GROUP}: 1" in text and f"{CHOICE_GROUP}: 1" in text
    assert "CreateGenerationRequest.x-rules.source_not_allowed  [docs: guides/image-generation" in text
    assert "responses.UnsupportedMediaType.examples.not_json  [choice: 415" in text
