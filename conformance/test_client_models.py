"""Part 3: the client against the spec, with the spec as the oracle.

For every component schema, schemathesis generates valid payloads (the probe, see probe.py); each goes through the
generated model (`from_dict` → `to_dict`) and must come out equal (formatted strings compared by meaning) and
spec-valid. A second run feeds every legal spelling of the formats (strategies.py) to stress the parsers.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from enum import StrEnum
from typing import Any, cast

import httpx
import pytest
import schemathesis
from schemathesis import BaseSchema, Case

from conformance.asgi import ServerErrorShield, request_in_process
from conformance.options import Options
from conformance.probe import (
    Feature,
    Resolver,
    component_names,
    component_of,
    expected_features,
    formats_reached,
    formatted_strings,
    load_probe,
    normalise,
    observed_features,
    probe_path,
    validate_payload,
)
from conformance.report import STATS
from conformance.spec import load_spec, schema
from conformance.strategies import UNREPRESENTABLE_DATE_TIMES, WIDE_FORMATS, register_wide_formats
from luma_agents_client import models
from luma_uni import InputError, Luma
from luma_uni_mock import MockConfig, create_app
from luma_uni_mock.pytest_plugin import DEFAULT_TIME_SCALE

PART = "3 client vs spec (probe)"
REQUEST = "CreateGenerationRequest"
OPTIONS = Options.from_env()
RESOLVER = Resolver()
PROBE = load_probe(OPTIONS.examples, seed=OPTIONS.seed, shrink=OPTIONS.shrink)
register_wide_formats()


# The probes' tests are built when they run, not at collection (schemathesis' lazy fixtures): building one generates
# its examples and coverage cases, and every xdist worker collects every test.
@pytest.fixture(scope="module")
def probe() -> BaseSchema:
    return PROBE


# One test per component (its probe and its invariants' branches), not one for the whole spec: each probe run is
# many seconds of Hypothesis drawing, and xdist can only share out whole tests between the cores. The round trips of
# a component and the check of what they exercised (SEEN, filled in their process) go to one worker together.
COMPONENTS = [pytest.param(name, id=name, marks=pytest.mark.xdist_group(f"probe-{name}")) for name in component_names()]


@pytest.fixture(params=COMPONENTS)
def component_probe(request: pytest.FixtureRequest) -> BaseSchema:
    name: str = request.param
    PROBED.add(name)
    return load_probe(OPTIONS.examples, seed=OPTIONS.seed, shrink=OPTIONS.shrink, only=name)


# The wide run draws the spellings of the formats it renames: a component that reaches none of them (an enum, a
# control) would only repeat its plain probe's fuzzing, case for case from the same distribution.
WIDE_COMPONENTS = [name for name in component_names() if formats_reached(name) & set(WIDE_FORMATS)]


@pytest.fixture(params=WIDE_COMPONENTS, ids=str)
def component_wide_probe(request: pytest.FixtureRequest) -> BaseSchema:
    return load_probe(
        OPTIONS.parser_examples,
        seed=OPTIONS.seed,
        shrink=OPTIONS.shrink,
        format_renames=WIDE_FORMATS,
        only=request.param,
    )


SEEN: defaultdict[str, set[Feature]] = defaultdict(set)
PROBED: set[str] = set()  # the components whose round trips ran in this process


def round_trip(name: str, payload: Any) -> Any:
    """Parse ``payload`` with the generated model of component ``name`` and encode it again."""
    cls = getattr(models, name)
    if issubclass(cls, StrEnum):
        member = cls(payload)
        assert member.is_known, f"{payload!r} is in the spec's {name} enum but not a known member"
        return member.value
    parsed = cls.from_dict(payload)
    encoded = parsed.to_dict()
    assert cls.from_dict(encoded) == parsed, f"{name} changed in the round trip: to_dict parses back differently"
    return encoded


def check_round_trip(name: str, payload: Any) -> None:
    try:
        encoded = round_trip(name, payload)
        assert normalise(RESOLVER, name, encoded) == normalise(RESOLVER, name, payload), (
            f"{name} changed in the round trip:\n  in:  {payload!r}\n  out: {encoded!r}"
        )
    except Exception:
        STATS.check("client_round_trip_equal", False)
        raise
    STATS.check("client_round_trip_equal", True)
    try:
        validate_payload(PROBE, name, encoded)
    except Exception:
        STATS.check("client_output_spec_valid", False)
        raise
    STATS.check("client_output_spec_valid", True)


@schemathesis.pytest.from_fixture("component_probe").parametrize()
def test_generated_models_round_trip_spec_payloads(case: Case[Any]) -> None:
    name = component_of(case.operation)
    STATS.case(PART)
    check_round_trip(name, case.body)
    SEEN[name].update(observed_features(RESOLVER, name, case.body))


@pytest.mark.parametrize("component", COMPONENTS)
def test_every_enum_value_null_and_format_was_exercised(component: str) -> None:
    """The component's round trips above exercised each of its enum values, nullable fields' nulls and formats."""
    if component not in PROBED:
        pytest.skip(f"needs test_generated_models_round_trip_spec_payloads[{component}] in the same run")
    assert component in SEEN, f"{component} was never probed: its round trips generated no case"
    expected = expected_features(RESOLVER, component)
    reached, missed = expected & SEEN[component], expected - SEEN[component]
    STATS.coverage[component] = (sorted(map(str, reached)), sorted(map(str, missed)))
    assert not missed, f"not exercised in {component}: {json.dumps(sorted(map(str, missed)), indent=1)}"


@schemathesis.pytest.from_fixture("component_wide_probe").parametrize()
def test_generated_models_parse_every_legal_spelling(case: Case[Any]) -> None:
    name = component_of(case.operation)
    STATS.case(PART)
    validate_payload(PROBE, name, case.body)  # the wide strategies only produce spec-valid values
    check_round_trip(name, case.body)


def _queued() -> dict[str, Any]:
    return copy.deepcopy(load_spec()["components"]["examples"]["GenerationQueued"]["value"])


DATE_TIME_SPELLINGS = [
    "2026-04-08T12:00:00Z",
    "2026-04-08t12:00:00z",
    "2026-04-08T12:00:00z",
    "2026-04-08t12:00:00Z",
    "2026-04-08T12:00:00.5Z",
    "2026-04-08T12:00:00.123456789z",
    "2026-04-08T12:00:00+00:00",
    "2026-04-08T12:00:00-00:00",
    "2026-04-08T23:30:00+05:45",
    "2026-04-08T00:00:00-12:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999z",
]


@pytest.mark.parametrize("created_at", DATE_TIME_SPELLINGS)
def test_every_date_time_spelling_parses(created_at: str) -> None:
    body = _queued() | {"created_at": created_at}
    validate_payload(PROBE, "Generation", body)
    STATS.case(PART)
    check_round_trip("Generation", body)


@pytest.mark.parametrize(
    "generation_id",
    [
        "D290F1EE-6C54-4B01-90E6-D701748F0851",
        "00000000-0000-0000-0000-000000000000",
        "018f3c4e-7b1a-7cde-8f00-0123456789ab",
    ],
)
def test_every_uuid_spelling_parses(generation_id: str) -> None:
    body = _queued() | {"id": generation_id}
    validate_payload(PROBE, "Generation", body)
    STATS.case(PART)
    check_round_trip("Generation", body)
    assert dict(formatted_strings(RESOLVER, "Generation", body))["uuid"] == generation_id


@pytest.mark.xfail(
    strict=True,
    raises=ValueError,
    reason=(
        "known client limit, reported: RFC 3339 allows second 60 and year 0000, Python's datetime does not; "
        "models.Generation.from_dict({..., 'created_at': '2016-12-31T23:59:60Z'}) raises ValueError "
        "(MalformedResponse at the API level). No real server sends either for a creation time."
    ),
)
@pytest.mark.parametrize("created_at", list(UNREPRESENTABLE_DATE_TIMES.values()), ids=list(UNREPRESENTABLE_DATE_TIMES))
def test_unrepresentable_but_legal_date_times(created_at: str) -> None:
    body = _queued() | {"created_at": created_at}
    validate_payload(PROBE, "Generation", body)
    models.Generation.from_dict(body)


# --- Request bodies the handwritten client builds ----------------------------------------------------------------

# The mock with every rule on, in-process: the server's verdict on the same body (shield: a bug answers 500).
RULES_MOCK = ServerErrorShield(create_app(MockConfig(time_scale=DEFAULT_TIME_SCALE)))


def _enum_of(prop: dict[str, Any]) -> type[StrEnum] | None:
    """The generated enum a request property takes (from its `$ref`, directly or inside `anyOf`)."""
    for node in [prop, *prop.get("anyOf", [])]:
        ref = node.get("$ref", "")
        cls = getattr(models, ref.rsplit("/", 1)[-1], None) if ref else None
        if isinstance(cls, type) and issubclass(cls, StrEnum):
            return cls
    return None


def create_kwargs(payload: dict[str, Any], *, typed: bool) -> dict[str, Any]:
    """``payload`` as arguments of ``generations.create``: generated enums and ImageRefs when ``typed``, plain
    strings and mappings otherwise. None means "leave it out", as null does on the wire."""
    properties = schema(REQUEST)["properties"]
    kwargs: dict[str, Any] = {}
    for key, value in payload.items():
        enum = _enum_of(properties[key])
        if value is None or not typed:
            kwargs[key] = value
        elif enum is not None:
            kwargs[key] = enum(value)
        elif key == "source":
            kwargs[key] = models.ImageRef.from_dict(value)
        elif key == "image_ref":
            kwargs[key] = [models.ImageRef.from_dict(item) for item in value]
        else:
            kwargs[key] = value
    return kwargs


def body_sent(kwargs: dict[str, Any]) -> Any:
    """The JSON body ``generations.create(**kwargs)`` sends, or the InputError it raises before sending."""
    sent: list[httpx.Request] = []
    queued = load_spec()["components"]["examples"]["GenerationQueued"]["value"]

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(201, json=queued)

    with httpx.Client(transport=httpx.MockTransport(answer)) as http:
        luma = Luma(api_key="luma-api-probe", base_url="http://probe.invalid/v1", http_client=http, max_retries=0)
        try:
            luma.generations.create(**kwargs)
        except InputError as refused:
            assert not sent, "InputError after sending"
            return refused
    (request,) = sent
    return json.loads(request.content)


def meaning(body: dict[str, Any]) -> dict[str, Any]:
    """What a request asks for: null and an empty image_ref mean "the server's default"; an image is its url, or
    its data with media_type."""

    def image(ref: dict[str, Any]) -> dict[str, Any]:
        if ref.get("url") is not None:
            return {"url": ref["url"]}
        return {"data": ref.get("data"), "media_type": ref.get("media_type")}

    out = {k: v for k, v in body.items() if v is not None and not (k == "image_ref" and v == [])}
    if "source" in out:
        out["source"] = image(out["source"])
    if "image_ref" in out:
        out["image_ref"] = [image(ref) for ref in out["image_ref"]]
    return out


def mock_verdict(body: object) -> tuple[int, Any]:
    """The rules-enforcing mock's answer to a POST of ``body``: its status and, for an error, its JSON."""
    response = request_in_process(
        RULES_MOCK,
        "POST",
        "/v1/generations",
        content=json.dumps(body),
        headers={"Authorization": "Bearer luma-api-probe", "Content-Type": "application/json"},
    )
    return response.status_code, response.json() if response.status_code >= 400 else None


@schemathesis.pytest.from_fixture("probe").include(path=probe_path(REQUEST)).parametrize()
def test_client_builds_spec_valid_request_bodies(case: Case[Any]) -> None:
    """For any schema-valid request: the client sends a spec-valid body that asks for the same thing (typed and
    plain arguments alike) and that the server judges exactly as the request itself: the client leaves the
    server's rules to the server. It refuses with InputError only what it cannot send (none of these)."""
    payload = cast(dict[str, Any], case.body)
    STATS.case(PART)
    typed, plain = body_sent(create_kwargs(payload, typed=True)), body_sent(create_kwargs(payload, typed=False))
    refused = [body for body in (typed, plain) if isinstance(body, InputError)]
    assert not refused, f"the client refused a request it can send: {refused}"
    assert typed == plain, "typed and plain arguments built different bodies"
    validate_payload(PROBE, REQUEST, typed)
    assert meaning(cast(dict[str, Any], typed)) == meaning(payload)
    assert mock_verdict(typed) == mock_verdict(payload), "the mock judges the client's body unlike the request's"
    STATS.check("client_request_body_spec_valid", True)


def test_empty_image_fields_are_read_alike() -> None:
    ref = {"url": "https://example.com/a.png", "data": "", "media_type": "image/png"}
    payload = {"prompt": "p", "image_ref": [ref]}
    typed = body_sent(create_kwargs(payload, typed=True))
    plain = body_sent(create_kwargs(payload, typed=False))
    assert type(typed) is type(plain) and str(typed) == str(plain), f"typed: {typed!r}, plain: {plain!r}"


def test_unencodable_text_is_refused_typed() -> None:
    try:
        outcome = body_sent({"prompt": "a\udc80b"})
    except UnicodeError as exc:
        raise AssertionError(f"untyped error from deep inside a library: {exc!r}") from exc
    assert isinstance(outcome, InputError)
