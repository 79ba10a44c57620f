"""The mock's settings: one frozen dataclass, built in code or from ``LUMA_MOCK_*`` environment variables."""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# A clone has the spec at the repository root; the wheel (package luma_uni_mock) carries a copy beside this file.
REPO_SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi.yaml"
PACKAGED_SPEC_PATH = Path(__file__).resolve().parent / "openapi.yaml"
DEFAULT_SPEC_PATH = PACKAGED_SPEC_PATH if PACKAGED_SPEC_PATH.is_file() else REPO_SPEC_PATH

# The documented defaults that `rate_limits=True` turns on (old docs: 30 requests per minute, 10 concurrent jobs).
DEFAULT_RPM = 30
DEFAULT_MAX_CONCURRENT = 10


ENV_PREFIX = "LUMA_MOCK_"


class ConfigError(ValueError):
    """A setting that cannot work (a negative duration, a non-number in the environment, ...)."""


@dataclass(frozen=True, slots=True)
class MockConfig:
    """How the mock behaves. Every field has a default that suits a test suite (fast enough, never throttled)."""

    spec_path: Path = DEFAULT_SPEC_PATH
    time_scale: float = 1.0  # mock seconds per real second; 100: a 30 s generation in 0.3 s; 0: moves by advance() only
    queued_seconds: float = 2.0
    processing_seconds: float = 28.0
    rate_limits: bool = False  # True turns on the documented defaults (30 per minute, 10 concurrent)
    rpm: int | None = None  # explicit per-minute limit; None = the default when rate_limits, else off
    max_concurrent: int | None = None  # explicit concurrent-jobs limit; None = as for rpm
    schema_only: bool = False  # the rules left to code and the media checks off: only the JSON schema is enforced
    # For an SDK's generated tests (what Prism serves them): any bearer token is a key, an unknown id answers a
    # generation from the spec's examples, and a request is checked no more strictly than the SDK's types do (JSON
    # types and required fields only: unknown fields and enum values pass; schema_only's rules are off too).
    permissive: bool = False
    # Refusals that rest only on a choice of the spec (an x-source `choice`: a closed object, a model's ratios, ...)
    # are off; every refusal resting on Luma's SDK or docs stays. Off by default: the mock enforces the choices
    # too, and says so on each such refusal (the X-Mock-Choice header).
    lenient_choices: bool = False
    max_generations: int = 10_000  # stored generations; the oldest finished ones are evicted past it
    max_body_bytes: int | None = None  # 413 beyond; None: one maximal image in base64 + 1 MiB (see state.py)
    signing_secret: bytes | None = field(default=None, repr=False)  # random per app when None

    def __post_init__(self) -> None:
        if not isinstance(self.spec_path, Path):
            object.__setattr__(self, "spec_path", Path(self.spec_path))
        if not (math.isfinite(self.time_scale) and self.time_scale >= 0):
            raise ConfigError(f"time_scale must be >= 0 (0 freezes the clock), got {self.time_scale!r}")
        for name in ("queued_seconds", "processing_seconds"):
            value = getattr(self, name)
            if not 0 <= value <= 3600:
                raise ConfigError(f"{name} must be between 0 and 3600 (jobs end within an hour), got {value!r}")
        for name in ("rpm", "max_concurrent"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ConfigError(f"{name} must be at least 1 (or unset), got {value!r}")
        if self.max_generations < 1:
            raise ConfigError(f"max_generations must be at least 1, got {self.max_generations!r}")
        if self.max_body_bytes is not None and self.max_body_bytes < 1024:
            raise ConfigError(f"max_body_bytes must be at least 1024, got {self.max_body_bytes!r}")
        if self.signing_secret is not None and len(self.signing_secret) < 16:
            raise ConfigError("signing_secret must be at least 16 bytes")

    @property
    def effective_rpm(self) -> int | None:
        """The per-minute limit in force, or None when it is off."""
        if self.rpm is not None:
            return self.rpm
        return DEFAULT_RPM if self.rate_limits else None

    @property
    def effective_max_concurrent(self) -> int | None:
        """The concurrent-jobs limit in force, or None when it is off."""
        if self.max_concurrent is not None:
            return self.max_concurrent
        return DEFAULT_MAX_CONCURRENT if self.rate_limits else None

    def replace(self, **changes: Any) -> MockConfig:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MockConfig:
        """Read ``LUMA_MOCK_<FIELD>`` variables (e.g. ``LUMA_MOCK_TIME_SCALE=100``); unset ones keep their default."""
        env = os.environ if environ is None else environ
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is None or raw.strip() == "":
                continue
            try:
                changes[f.name] = _PARSERS[f.name](raw.strip())
            except ValueError as exc:
                raise ConfigError(f"{ENV_PREFIX}{f.name.upper()}={raw!r}: {exc}") from None
        return cls(**changes)


def _parse_bool(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected one of 1/0, true/false, yes/no, on/off")


def _parse_optional_int(raw: str) -> int | None:
    return None if raw.lower() in {"none", "off"} else int(raw)


_PARSERS: dict[str, Callable[[str], Any]] = {
    "spec_path": Path,
    "time_scale": float,
    "queued_seconds": float,
    "processing_seconds": float,
    "rate_limits": _parse_bool,
    "rpm": _parse_optional_int,
    "max_concurrent": _parse_optional_int,
    "schema_only": _parse_bool,
    "permissive": _parse_bool,
    "lenient_choices": _parse_bool,
    "max_generations": int,
    "max_body_bytes": int,
    "signing_secret": str.encode,
}
