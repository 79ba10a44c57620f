"""The package version (kept equal to pyproject.toml's by tests/client/test_config.py; no importlib.metadata cost)."""

__version__ = "0.2.0"
