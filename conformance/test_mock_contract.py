"""Part 2: the server against the spec, with schemathesis: every built-in check, positive and negative data, then
the stateful phase that follows the POST → GET link. Auth comes from the configuration (schemathesis.toml's
bearerAuth), never from per-call headers, so the checks that replay requests (created resource available,
ignored auth) see it too.

Targets (conftest.py): the mock in-process with its rules off (asgi: strict positive acceptance) and on (rules: as
`make mock` serves it; the fuzzing sends each case drawn for asgi to rules too: asgi+rules), and that mock on a
socket, in a slice (see SOCKET_EXAMPLES); or the live server given by
BASE_URL with at most CONFORMANCE_MAX_PAID_POSTS creations (the stateful test comes first, so in live mode its
link-following gets POSTs before random fuzzing does).
"""

from __future__ import annotations

import copy
import datetime
import time
from collections import Counter
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis import BaseSchema, Case, HookContext, Response
from schemathesis.generation.stateful.state_machine import StepInput, StepOutput

from conformance import http_clients
from conformance.asgi import call_kwargs
from conformance.checks import regets, settle
from conformance.options import Options
from conformance.report import STATS
from conformance.schemathesis_setup import Mode, PaidPostBudget, instrument, load_contract, suite_config
from conformance.spec import enum_values
from conformance.targets import BOTH_IN_PROCESS, Target, in_process_target
from conformance.wait_budget import WaitBudget
from luma_uni_mock import rule_wording
from luma_uni_mock.config import REPO_SPEC_PATH
from luma_uni_mock.spec_facts import load_spec_facts

JSON = dict[str, Any]

PART = "2 mock vs spec (schemathesis)"
FACTS = load_spec_facts(REPO_SPEC_PATH)


# The socket target proves what only a real HTTP server shows: requests and answers through uvicorn (headers, output
# files streamed from their URLs, kept-alive connections, malformed bodies through its HTTP parser). What the mock
# answers is checked in process at full size, with its rules off (asgi) and on (rules: the mock the socket serves),
# so the socket runs a slice: the spec's examples, at most SOCKET_EXAMPLES fuzzed cases per operation and mode and as
# many stateful scenarios, and no coverage phase (its cases are the same on every target: the in-process runs have
# them). A quarter of `make conformance`'s size (all of `make test`'s): every operation and mode, and a few dozen
# generations created and followed to their files over HTTP, for about a second and a half of CPU.
SOCKET_EXAMPLES = 25


def sized(target: Target, examples: int) -> int:
    """The examples ``target`` runs: the run's size, or the socket's slice of it."""
    return min(examples, SOCKET_EXAMPLES) if target.name == "socket" else examples


def contract_for(target: Target, options: Options, *, mode: Mode, examples: int) -> BaseSchema:
    config = suite_config(
        api_key=target.api_key,
        examples=sized(target, examples),
        mode=mode,
        seed=options.seed,
        shrink=options.shrink,
        base_url=None if target.app is not None else target.base_url,
        strict_positive_acceptance=target.strict_positive_acceptance,
        coverage_phase=target.name != "socket",
    )
    return load_contract(config, app=target.app)


MODES = ["positive", "negative"]
GET_GENERATION = "GET /generations/{generation_id}"
POST_GENERATIONS = "POST /generations"


# The runs of one mode on the three targets draw from the same schemas: on one xdist worker they share schemathesis'
# compiled (canonical) forms instead of each worker compiling them again (541 canonicalizations in a run before, 340
# after). Live mode puts every target test on one worker instead (conftest.py).
@pytest.mark.xdist_group("contract-stateful")
def test_stateful_create_then_get(target: Target, options: Options, paid_posts: PaidPostBudget) -> None:
    """Scenarios of up to 6 steps that create generations and follow the link to GET them (the only way to reach
    the GET's 200 responses: random ids only ever get 404)."""
    schema = instrument(
        contract_for(target, options, mode="all", examples=options.stateful_examples), PART, budget=paid_posts
    )
    seen: Counter[tuple[str, int]] = Counter()

    def after_call(context: HookContext, case: Case[Any], response: Response) -> None:
        seen[(case.operation.label, response.status_code)] += 1
        if case.operation.label == GET_GENERATION and response.status_code == 200:
            STATS.followed[f"{target.name}: {response.json().get('type')}"] += 1

    schema.hooks.register_hook_with_name(after_call, "after_call")

    class CappedMachine(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Case[Any]) -> dict[str, Any]:
            return dict(call_kwargs(case))

        def step(self, input: StepInput) -> StepOutput | None:
            if not paid_posts.allows(input.case):
                return None  # live mode, cap reached: the transition is skipped without a request
            result: StepOutput = super().step(input)
            return result

    # Derive from the machine's own settings: a fresh settings() would reset the step count to 50.
    scenarios = sized(target, options.stateful_examples)
    CappedMachine.run(settings=hypothesis.settings(CappedMachine.TestCase.settings, max_examples=scenarios))
    # Whenever a generation was created (live mode: unless the cap was reached), the link must have been followed.
    followed = seen[(GET_GENERATION, 200)]
    assert followed or not seen[(POST_GENERATIONS, 201)], f"the link was never followed: {dict(seen)}"


@pytest.fixture(params=[pytest.param(mode, marks=pytest.mark.xdist_group(f"contract-{mode}")) for mode in MODES])
def mode(request: pytest.FixtureRequest) -> Mode:
    chosen: Mode = request.param
    return chosen


@pytest.fixture
def contract(mode: Mode, target: Target, options: Options, paid_posts: PaidPostBudget) -> BaseSchema:
    return instrument(contract_for(target, options, mode=mode, examples=options.examples), PART, budget=paid_posts)


@pytest.fixture
def rules_contract(request: pytest.FixtureRequest, mode: Mode, target: Target, options: Options) -> BaseSchema | None:
    """With the asgi+rules target: the contract against the mock with every rule on (the `rules` target, under the
    same key), which each case drawn for asgi is sent to as well; otherwise None."""
    if request.node.callspec.params.get("target") != BOTH_IN_PROCESS:
        return None
    rules = in_process_target("rules", target.api_key)
    return instrument(contract_for(rules, options, mode=mode, examples=options.examples), PART)


def sent_to(schema: BaseSchema, case: Case[Any]) -> Case[Any]:
    """``case`` as a case of ``schema``'s operation: the same request (auth included) to that schema's server, judged
    by that schema's checks, with the case's generation metadata (positive or negative, and where)."""
    operation = schema[case.operation.path][case.operation.method.upper()]
    return Case(
        operation,
        case.method,
        case.path,
        path_parameters=copy.deepcopy(case.path_parameters),
        headers=copy.deepcopy(case.headers),
        cookies=copy.deepcopy(case.cookies),
        query=copy.deepcopy(case.query),
        body=copy.deepcopy(case.body),
        media_type=case.media_type,
        multipart_content_types=case.multipart_content_types,
        meta=case.meta,
        _auth=case._auth,
        _has_explicit_auth=case._has_explicit_auth,
    )


lazy_contract = schemathesis.pytest.from_fixture("contract")


# One draw of cases for both in-process mocks: drawing is most of a run's CPU, and the runs of the two targets drew
# the same cases (the same seed). Each case goes to the mock with its rules off, judged with strict positive
# acceptance, then to the mock with every rule on, judged as `make mock`'s.
@pytest.mark.targets(BOTH_IN_PROCESS, "socket")
@lazy_contract.parametrize()
def test_server_conforms_to_the_spec(
    case: Case[Any], paid_posts: PaidPostBudget, rules_contract: BaseSchema | None
) -> None:
    if not paid_posts.allows(case):
        return  # live mode, cap reached: this POST is not sent
    case.call_and_validate(**call_kwargs(case))
    if rules_contract is not None:
        twin = sent_to(rules_contract, case)
        twin.call_and_validate(**call_kwargs(twin))  # the traceback's last line of this test says which half


# --- Every type, created from the spec's own example and followed to its GET ----------------------------------------


def _request_examples(schema: BaseSchema) -> dict[str, JSON]:
    """The spec's request examples of POST /generations, by the type they ask for (the server default when left
    out, GenerationType's x-server-default of the request)."""
    raw: JSON = schema.raw_schema
    request = raw["components"]["schemas"]["CreateGenerationRequest"]["properties"]["type"]
    default = request.get("x-server-default")
    content = raw["paths"]["/generations"]["post"]["requestBody"]["content"]["application/json"]
    return {example["value"].get("type", default): example["value"] for example in content["examples"].values()}


def _makers(schema: BaseSchema) -> dict[str, str]:
    """What each type makes (GenerationType's x-types output)."""
    kinds: JSON = schema.raw_schema["components"]["schemas"]["GenerationType"]["x-types"]
    return {name: str(facts.get("output", "image")) for name, facts in kinds.items()}


def _source_kind(schema: BaseSchema, generation_type: str) -> str:
    """What a type's ``source`` must hold (GenerationType's x-types source)."""
    kinds: JSON = schema.raw_schema["components"]["schemas"]["GenerationType"]["x-types"]
    return str(kinds[generation_type]["source"])


def _created(
    schema: BaseSchema, body: JSON, paid_posts: PaidPostBudget, auth: dict[str, str]
) -> tuple[Case[Any], Response, JSON]:
    """POST ``body`` as schemathesis sends it, every check on (the generation_lifecycle check follows the generation
    to its end and fetches its files); the case, its 201 and the Generation."""
    case = schema[POST_GENERATIONS.partition(" ")[2]]["POST"].Case(body=body, media_type="application/json")
    if not paid_posts.allows(case):
        pytest.skip(f"live mode: the cap of {paid_posts.cap} paid POSTs is reached")
    response = case.call_and_validate(headers=auth, **call_kwargs(case))
    assert response.status_code == 201, f"{body.get('type')}: {response.status_code} {response.text}"
    generation: JSON = response.json()
    return case, response, generation


def _completed(case: Case[Any], response: Response, generation: JSON, auth: dict[str, str], budget: WaitBudget) -> str:
    """Wait (through the link) until ``generation`` is completed, as chaining off it requires; its id. The mock's
    clock is moved; a live server is polled in real time within the suite's wait budget."""
    follow = regets(case, response, generation)
    assert follow is not None, "the 201 documents no link to the GET"
    moved = settle(case)
    deadline = time.monotonic() + budget.seconds
    created_at = datetime.datetime.fromisoformat(generation["created_at"])
    while True:
        state = follow.call_and_validate(headers=auth, **call_kwargs(follow)).json()["state"]
        hopeless = budget.past_settling(str(generation["id"]), state, created_at)
        if state == "completed" or moved or hopeless or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert state == "completed", hopeless or f"the generation to chain off ended {state!r}"
    return str(generation["id"])


# Not on `rules`: the socket serves that same mock, and every type's example proves its route through uvicorn there.
@pytest.mark.targets("asgi", "socket")
@pytest.mark.parametrize("generation_type", enum_values("GenerationType"))
def test_each_type_is_created_and_fetched_through_the_link(
    generation_type: str, target: Target, options: Options, paid_posts: PaidPostBudget, wait_budget: WaitBudget
) -> None:
    """Random bodies rarely meet the cross-field rules of the video and layering types, so each type is also sent
    as the spec documents it: its requestBody example (a chained example gets a generation of its source's kind
    created first, from that kind's own example), then the 201's link is followed to the GET; schemathesis checks
    every response with every check."""
    schema = instrument(contract_for(target, options, mode="positive", examples=1), PART, budget=paid_posts)
    examples = _request_examples(schema)
    # A case called by hand gets no auth from the configuration (the runner applies that): the run's key, as sent.
    auth = {"Authorization": f"Bearer {target.api_key}"}
    assert generation_type in examples, f"openapi.yaml has no request example of type {generation_type!r}"
    body = copy.deepcopy(examples[generation_type])
    source = body.get("source") or {}
    if source.get("generation_id") is not None:
        # Chain off a generation of this run: the example's id is nobody's (the mock with its rules on says so).
        kind = _source_kind(schema, generation_type)
        maker = next(name for name, made in _makers(schema).items() if made == kind and name in examples)
        assert not (examples[maker].get("source") or {}).get("generation_id"), f"{maker}'s example chains too"
        source["generation_id"] = _completed(*_created(schema, examples[maker], paid_posts, auth), auth, wait_budget)
    case, response, created = _created(schema, body, paid_posts, auth)
    assert created["type"] == generation_type
    follow = regets(case, response, created)
    assert follow is not None, "the 201 documents no link to the GET"
    fetched = follow.call_and_validate(headers=auth, **call_kwargs(follow))
    assert fetched.status_code == 200 and fetched.json()["type"] == generation_type


# --- Generated request bodies are valid requests ---------------------------------------------------------------------

# The x-rules a body drawn from the schema may still break: those needing the server's state (the caller's earlier
# generations, its uploaded files) and the two JSON Schema cannot state (two arrays' lengths; a media type compared
# trimmed and case-insensitively). Every other rule is stated by the schema, so no drawn body can break it.
BEYOND_THE_SCHEMA = frozenset(
    {
        "file_not_found",
        "generation_not_found",
        "generation_not_completed",
        "generation_wrong_kind",
        "keyframe_indexes_match",
        "media_type_not_accepted",
    }
)
MEDIA_REFUSED = 422  # an input the server cannot fetch or decode: media, which no schema can judge


def _refused_by(detail: str) -> str:
    """The x-rules id whose wording ``detail`` is (``?`` for a detail no rule words)."""
    matching = (rule.id for rule in FACTS.rules if rule_wording.parse_detail(FACTS, rule, detail) is not None)
    return next(matching, f"? {detail}")


def test_positive_bodies_are_refused_only_for_what_the_schema_cannot_state(
    http_target: Target, options: Options
) -> None:
    """Bodies drawn from POST /generations' own positive strategy, each POSTed to the mock with every rule on: most
    are created, and a 400 is only ever for a rule beyond the schema (so schemathesis' positive and stateful phases
    reach the 201 path, and the plain CLI sees no schema mismatch)."""
    if not http_target.is_mock:
        pytest.skip("live mode: every accepted body would create, and bill, a generation")
    schema = contract_for(http_target, options, mode="positive", examples=1)
    bodies: list[Any] = []

    @hypothesis.settings(
        max_examples=options.examples * 4, derandomize=options.seed is None, database=None, deadline=None
    )
    @hypothesis.seed(options.seed or 0)
    @hypothesis.given(schema[POST_GENERATIONS.partition(" ")[2]]["POST"].as_strategy())
    def draw(case: Case[Any]) -> None:
        bodies.append(case.body)

    draw()
    statuses: Counter[int] = Counter()
    refused: Counter[str] = Counter()
    with http_clients.client(
        base_url=http_target.base_url, headers={"Authorization": f"Bearer {http_target.api_key}"}, timeout=30
    ) as client:
        for body in bodies:
            response = client.post("/generations", json=body)
            statuses[response.status_code] += 1
            if response.status_code == 400:
                refused[_refused_by(response.json()["detail"])] += 1
    summary = f"{len(bodies)} bodies: statuses {dict(statuses)}, 400s by rule {dict(refused)}"
    assert set(refused) <= BEYOND_THE_SCHEMA, f"a rule the schema could state refused a drawn body; {summary}"
    assert set(statuses) <= {201, 400, MEDIA_REFUSED}, summary
    assert statuses[201] > 0, summary
