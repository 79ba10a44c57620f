"""A stateful mock of the Luma Agents API (uni-1 image generations), driven by openapi.yaml.

``create_app(MockConfig(...))`` gives an ASGI app; ``app.control`` steers it (clock, faults, reset). See
README.md ("The stateful mock server") for the switches, and ``python -m conformance.mock --help`` to serve it.
"""

from conformance.mock.app import MockApp, create_app
from conformance.mock.config import ConfigError, MockConfig
from conformance.mock.contract import ContractError
from conformance.mock.state import MockControl

__all__ = ["ConfigError", "ContractError", "MockApp", "MockConfig", "MockControl", "create_app"]
