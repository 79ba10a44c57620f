"""generator-config.yaml: the generator silently ignores unknown keys, so a typo would do nothing."""

from __future__ import annotations

from pathlib import Path

import yaml
from openapi_python_client.config import ConfigFile

ROOT = Path(__file__).resolve().parent.parent


def test_every_config_key_is_known_to_the_generator() -> None:
    config = yaml.safe_load((ROOT / "generator-config.yaml").read_text())
    unknown = set(config) - set(ConfigFile.model_fields)
    assert not unknown, f"generator-config.yaml has keys openapi-python-client ignores: {sorted(unknown)}"


def test_every_template_override_says_why_at_its_top() -> None:
    for template in (ROOT / "templates").rglob("*.jinja"):
        first = template.read_text().splitlines()[0]
        assert first.startswith("{# Override:"), f"{template} should start with a one-line reason"
