"""Loading the contract into schemathesis for a run against a server: configuration, auth, the in-process app,
and the hooks that feed the summary and enforce the live-mode cap on paid POSTs.

The settings come from the repository's schemathesis.toml (the file the plain CLI reads), so the suite and
`schemathesis run openapi.yaml --url ...` agree; only the API key, the sizes and the target are filled in here.
"""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any, Literal

import schemathesis
from schemathesis import BaseSchema, Case, HookContext, Response
from schemathesis.checks import CheckResult
from schemathesis.config import SchemathesisConfig

from conformance.report import STATS, Stats
from conformance.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi.yaml"
TOML_PATH = ROOT / "schemathesis.toml"

Mode = Literal["positive", "negative", "all"]


def suite_config(
    *,
    api_key: str,
    examples: int,
    mode: Mode,
    seed: int | None = None,
    shrink: bool = True,
    base_url: str | None = None,
    strict_positive_acceptance: bool = False,
    coverage_phase: bool = True,
) -> SchemathesisConfig:
    """schemathesis.toml with this run's key, sizes and target.

    ``strict_positive_acceptance`` drops the toml's allowance for 400/422 on schema-valid bodies (cross-field and
    media rules the spec cannot express): use it against a mock whose rules are off, where every schema-valid
    body must be accepted.
    """
    data: dict[str, Any] = tomllib.loads(TOML_PATH.read_text(encoding="utf-8"))
    data.pop("reports", None)  # the suite writes its own reports
    # The key goes in as data, not as `${LUMA_AGENTS_API_KEY}`; `$${` is how the config escapes a literal `${`.
    data["auth"]["openapi"]["bearerAuth"]["bearer"] = api_key.replace("${", "$${")
    data["generation"] = {**data.get("generation", {}), "mode": mode, "max-examples": examples, "no-shrink": not shrink}
    if not coverage_phase:
        data.setdefault("phases", {}).setdefault("coverage", {})["enabled"] = False
    if strict_positive_acceptance:
        data.get("checks", {}).pop("positive_data_acceptance", None)
    if seed is not None:
        data["seed"] = seed
    if base_url is not None:
        data["base-url"] = base_url
    return SchemathesisConfig.from_dict(data)


def load_contract(config: SchemathesisConfig, *, app: Any = None) -> BaseSchema:
    """The contract, with the app to call in-process when given (set right after loading: operations are cached
    on first access and would keep calling over the network).

    Built from the spec parsed once per process (a copy each time: schemathesis keeps what it loads), not from the
    file: a run loads the contract some forty times, and parsing the YAML again cost 60 ms of CPU each time.
    """
    schema = schemathesis.openapi.from_dict(copy.deepcopy(load_spec()), config=config)
    schema.location = SPEC_PATH.as_uri()  # what from_path records: where the spec came from
    if app is not None:
        schema.app = app
    return schema


class PaidPostBudget:
    """Live mode: POSTs that created a generation (2xx) are counted; once ``cap`` is reached none is sent."""

    def __init__(self, cap: int | None, stats: Stats = STATS) -> None:
        self.cap = cap
        self.stats = stats

    def allows_post(self) -> bool:
        """Whether one more POST may be sent (counting the refusal for the summary when not)."""
        if self.cap is None or self.stats.paid_posts < self.cap:
            return True
        self.stats.posts_not_sent += 1
        return False

    def record_post(self, status_code: int) -> None:
        if self.cap is not None and 200 <= status_code < 300:
            self.stats.paid_posts += 1

    def allows(self, case: Case[Any]) -> bool:
        return case.method.upper() != "POST" or self.allows_post()

    def record(self, case: Case[Any], response: Response) -> None:
        if case.method.upper() == "POST":
            self.record_post(response.status_code)


UNLIMITED = PaidPostBudget(None)


def instrument(
    schema: BaseSchema,
    part: str,
    *,
    stats: Stats = STATS,
    budget: PaidPostBudget = UNLIMITED,
) -> BaseSchema:
    """Count cases and check results into ``stats`` (schema-scoped hooks: nothing leaks into other schemas)."""

    def after_call(context: HookContext, case: Case[Any], response: Response) -> None:
        stats.case(part)
        budget.record(case, response)

    def after_validate(context: HookContext, case: Case[Any], response: Response, results: list[CheckResult]) -> None:
        for result in results:
            failure = result.failure
            stats.check(result.name, failure is None, None if failure is None else failure.message or failure.title)

    schema.hooks.register_hook_with_name(after_call, "after_call")
    schema.hooks.register_hook_with_name(after_validate, "after_validate")
    return schema
