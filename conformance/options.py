"""The suite's knobs, read from the environment so example counts and targets change without editing tests.

CONFORMANCE_EXAMPLES         fuzzed examples per operation and generation mode (default 25, `make conformance`: 100)
CONFORMANCE_STATEFUL_EXAMPLES stateful scenarios per run (default: CONFORMANCE_EXAMPLES)
CONFORMANCE_PARSER_EXAMPLES  examples per component schema in the wide-format parser run (default: CONFORMANCE_EXAMPLES)
CONFORMANCE_SEED             a Hypothesis seed, to replay a run
CONFORMANCE_NO_SHRINK=1      report failures unshrunk (faster; the broken-variant runs use it)
BASE_URL                     live mode: run parts 2 and 4 against this server (e.g. https://agents.lumalabs.ai/v1)
LUMA_AGENTS_API_KEY          live mode: the API key sent to BASE_URL
CONFORMANCE_MAX_PAID_POSTS   live mode: most POSTs that may create (and bill) a generation (default 5)
CONFORMANCE_WAIT_BUDGET      seconds an end-to-end test waits for one generation to finish (default 150: the real
                             API takes 30-60 s); once one overran it, the remaining end-to-end tests fail at once
                             (live mode: also once it is unfinished x-settles-within-seconds after its created_at)
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_EXAMPLES = 25
DEFAULT_MAX_PAID_POSTS = 5
DEFAULT_WAIT_BUDGET = 150


class OptionsError(ValueError):
    """An environment variable holds a value the suite cannot use."""


def _int(name: str, default: int, *, minimum: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise OptionsError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise OptionsError(f"{name} must be at least {minimum}, got {value}")
    return value


@dataclass(frozen=True)
class Options:
    examples: int
    stateful_examples: int
    parser_examples: int
    seed: int | None
    shrink: bool
    base_url: str | None
    api_key: str | None
    max_paid_posts: int
    wait_budget: int  # seconds, on the client's clock (scaled like the mock's in mock mode)

    @property
    def live(self) -> bool:
        """True when parts 2 and 4 run against a server given by BASE_URL instead of the local mock."""
        return self.base_url is not None

    @classmethod
    def from_env(cls) -> Options:
        examples = _int("CONFORMANCE_EXAMPLES", DEFAULT_EXAMPLES, minimum=1)
        seed_raw = os.environ.get("CONFORMANCE_SEED", "").strip()
        base_url = os.environ.get("BASE_URL", "").strip().rstrip("/") or None
        api_key = os.environ.get("LUMA_AGENTS_API_KEY", "").strip() or None
        if base_url is not None:
            if not base_url.startswith(("http://", "https://")):
                raise OptionsError(f"BASE_URL must be an http(s) URL, got {base_url!r}")
            if api_key is None:
                raise OptionsError("BASE_URL is set (live mode), so LUMA_AGENTS_API_KEY must be set too")
        return cls(
            examples=examples,
            stateful_examples=_int("CONFORMANCE_STATEFUL_EXAMPLES", examples, minimum=1),
            parser_examples=_int("CONFORMANCE_PARSER_EXAMPLES", examples, minimum=1),
            seed=_int("CONFORMANCE_SEED", 0, minimum=0) if seed_raw else None,
            shrink=os.environ.get("CONFORMANCE_NO_SHRINK", "").strip() not in ("1", "true", "yes"),
            base_url=base_url,
            api_key=api_key,
            max_paid_posts=_int("CONFORMANCE_MAX_PAID_POSTS", DEFAULT_MAX_PAID_POSTS, minimum=0),
            wait_budget=_int("CONFORMANCE_WAIT_BUDGET", DEFAULT_WAIT_BUDGET, minimum=1),
        )
