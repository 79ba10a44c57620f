"""The contract's checks over observed HTTP exchanges, in one home: the conformance suite and the validating proxy
both judge what they saw with these functions, and neither keeps a copy of a rule.

Everything here is passive: a check reads a request and its response (and, for the rules that only show across a
generation's life, the earlier observations of that generation) and returns what broke; it never sends a request.
What needs a request of its own (fetching an output file, moving the mock's clock) stays with the caller, which feeds
what it observed to the same functions.
"""
