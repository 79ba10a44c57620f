"""Deliberately broken variants of the mock and the client, to prove the suite fails when they break the contract.

Each variant wraps or patches the real thing (an ASGI middleware around the real mock, a patch of one generated
method); nothing is copied. ``CONFORMANCE_BROKEN_VARIANT=<name>`` makes the suite's in-process target use one, so
`python -m conformance -- -k asgi` with it set shows the failure a user would see. test_broken_variants.py runs
each variant through the part of the suite that must catch it and asserts that it does.
"""

from conformance.broken.variants import CLIENT_VARIANTS, ENV_VAR, MOCK_VARIANTS, activate_client_variant, active_variant

__all__ = ["CLIENT_VARIANTS", "ENV_VAR", "MOCK_VARIANTS", "activate_client_variant", "active_variant"]
