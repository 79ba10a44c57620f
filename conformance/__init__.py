"""The conformance suite (schemathesis + pytest) and the stateful mock it checks."""
