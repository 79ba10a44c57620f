"""A stateful mock of the Luma Agents API's generations (images, videos, their edits, layer splits), driven by
openapi.yaml.

``create_app(MockConfig(...))`` gives an ASGI app; ``app.control`` steers it (clock, faults, reset). See
src/luma_uni_mock/README.md for the switches, and ``python -m luma_uni_mock --help`` to serve it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app import MockApp, create_app
    from .config import ConfigError, MockConfig
    from .control import MockControl
    from .schemas import ContractError

__all__ = ["ConfigError", "ContractError", "MockApp", "MockConfig", "MockControl", "create_app"]

# Imported on first use: the pytest plugin (a submodule, loaded in every project that installs luma-uni) must not
# pull in the server's dependencies, which only the ``mock`` extra installs.
_HOMES = {
    "MockApp": "app",
    "create_app": "app",
    "ConfigError": "config",
    "MockConfig": "config",
    "ContractError": "schemas",
    "MockControl": "control",
}


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
