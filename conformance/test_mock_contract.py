"""Part 2: the server against the spec, with schemathesis: every built-in check, positive and negative data, then
the stateful phase that follows the POST → GET link. Auth comes from the configuration (schemathesis.toml's
bearerAuth), never from per-call headers, so the checks that replay requests (created resource available,
ignored auth) see it too.

Targets (conftest.py): the mock in-process (ASGI, rules off, strict positive acceptance) and on a socket (as
`make mock` serves it), or the live server given by BASE_URL with at most CONFORMANCE_MAX_PAID_POSTS creations
(the stateful test comes first, so in live mode its link-following gets POSTs before random fuzzing does).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis import BaseSchema, Case, HookContext, Response
from schemathesis.generation.stateful.state_machine import StepInput, StepOutput

from conformance.options import Options
from conformance.schemathesis_setup import Mode, PaidPostBudget, instrument, load_contract, suite_config
from conformance.targets import Target

PART = "2 mock vs spec (schemathesis)"


def contract_for(target: Target, options: Options, *, mode: Mode, examples: int) -> BaseSchema:
    config = suite_config(
        api_key=target.api_key,
        examples=examples,
        mode=mode,
        seed=options.seed,
        shrink=options.shrink,
        base_url=None if target.app is not None else target.base_url,
        strict_positive_acceptance=target.strict_positive_acceptance,
    )
    return load_contract(config, app=target.app)


GET_GENERATION = "GET /generations/{generation_id}"
POST_GENERATIONS = "POST /generations"


def test_stateful_create_then_get(target: Target, options: Options, paid_posts: PaidPostBudget) -> None:
    """Scenarios of up to 6 steps that create generations and follow the link to GET them (the only way to reach
    the GET's 200 responses: random ids only ever get 404)."""
    schema = instrument(
        contract_for(target, options, mode="all", examples=options.stateful_examples), PART, budget=paid_posts
    )
    seen: Counter[tuple[str, int]] = Counter()

    def after_call(context: HookContext, case: Case[Any], response: Response) -> None:
        seen[(case.operation.label, response.status_code)] += 1

    schema.hooks.register_hook_with_name(after_call, "after_call")

    class CappedMachine(schema.as_state_machine()):  # type: ignore[misc]
        def step(self, input: StepInput) -> StepOutput | None:
            if not paid_posts.allows(input.case):
                return None  # live mode, cap reached: the transition is skipped without a request
            result: StepOutput = super().step(input)
            return result

    # Derive from the machine's own settings: a fresh settings() would reset the step count to 50.
    CappedMachine.run(
        settings=hypothesis.settings(CappedMachine.TestCase.settings, max_examples=options.stateful_examples)
    )
    # Whenever a generation was created (live mode: unless the cap was reached), the link must have been followed.
    followed = seen[(GET_GENERATION, 200)]
    assert followed or not seen[(POST_GENERATIONS, 201)], f"the link was never followed: {dict(seen)}"


@pytest.fixture(params=["positive", "negative"])
def contract(
    request: pytest.FixtureRequest, target: Target, options: Options, paid_posts: PaidPostBudget
) -> BaseSchema:
    schema = contract_for(target, options, mode=request.param, examples=options.examples)
    return instrument(schema, PART, budget=paid_posts)


lazy_contract = schemathesis.pytest.from_fixture("contract")


@lazy_contract.parametrize()
def test_server_conforms_to_the_spec(case: Case[Any], paid_posts: PaidPostBudget) -> None:
    if not paid_posts.allows(case):
        return  # live mode, cap reached: this POST is not sent
    case.call_and_validate()
