"""A validating proxy for the Luma API: every request goes upstream unchanged, every exchange is checked against
openapi.yaml with the conformance suite's own rules (``luma_uni_checks``), and the reports on exit say what broke and
what the spec lacks. ``luma-uni-proxy --help``, or ``make proxy UPSTREAM=URL`` in a clone."""
