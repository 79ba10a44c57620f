"""Everything one mock app holds (`MockControl`, the handle tests steer it by, is control.py's)."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass

from . import lifecycle, rules
from .clock import MockClock
from .config import MockConfig
from .faults import FaultQueue
from .rate_limits import RateLimiter
from .schemas import ContractError
from .signing import UrlSigner
from .spec_facts import SpecFacts, load_spec_facts
from .store import GenerationStore

# A key for signing output URLs, drawn per app unless configured: any length HMAC takes will do.
SECRET_BYTES = 32
# What a request body may hold besides one maximal image (prompt, options, other refs): the mock's choice, as the
# spec says only "the request body is too large".
REST_OF_A_BODY = 1024 * 1024


@dataclass
class MockState:
    config: MockConfig
    facts: SpecFacts
    clock: MockClock
    timing: lifecycle.Timing
    store: GenerationStore
    limiter: RateLimiter
    faults: FaultQueue
    signer: UrlSigner
    body_rules: rules.BodyRules  # the rules run on a schema-valid body, in the spec's order
    # One lock for the store and the limiter: handlers run on the server's event loop while tests steer the mock
    # from their own thread; every critical section is short and never awaits.
    lock: threading.Lock
    max_body_bytes: int  # 413 beyond

    @classmethod
    def build(cls, config: MockConfig) -> MockState:
        """Load and compile the spec; `ContractError` (the mock must not start) when it is unusable."""
        facts = load_spec_facts(config.spec_path)
        try:
            rules.check_registry(facts)
            lifecycle.check_states(facts)
        except ValueError as exc:
            raise ContractError(f"{config.spec_path}: {exc}") from None  # pragma: no mutate
        # pragma: no mutate start
        if config.lenient_choices and facts.lenient is not None:  # check requests against the lenient view only
            facts = facts.lenient
        if config.permissive and not facts.generation_examples:
            raise ContractError(f"{config.spec_path}: permissive mode answers unknown ids from the examples of"
                                " getGeneration's 200 response, and it has none")  # fmt: skip
        # pragma: no mutate end
        return cls(
            config=config,
            facts=facts,
            clock=MockClock(config.time_scale),
            timing=lifecycle.Timing(config.queued_seconds, config.processing_seconds),
            store=GenerationStore(config.max_generations),
            limiter=RateLimiter(config.effective_rpm, config.effective_max_concurrent, facts.rate_limit_window_seconds),
            faults=FaultQueue(),
            signer=UrlSigner(config.signing_secret or _new_secret(), facts.url_lifetime_seconds),
            body_rules=rules.body_rules(facts),
            lock=threading.Lock(),
            max_body_bytes=config.max_body_bytes or default_max_body_bytes(facts),
        )


def _new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)  # pragma: no mutate


def default_max_body_bytes(facts: SpecFacts) -> int:
    """One maximal image in base64 plus 1 MiB for the rest: a larger body cannot be a request the API would take
    with one image, so it is refused with 413 before it is buffered (69,905,068 + 1 MiB for 50 MB)."""
    return 4 * -(-facts.max_image_bytes // 3) + REST_OF_A_BODY  # pragma: no mutate
