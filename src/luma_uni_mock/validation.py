"""Request checks against the compiled spec: JSON syntax, the body schema, the generation_id parameter.

A schema violation answers 400. A failure inside a schema node that states an x-rule (``x-rule: <id>``) answers with
that rule's wording, the first in x-rules order; otherwise the detail is jsonschema's most relevant message prefixed
with the field's path (``web_search: 'yes' is not of type 'boolean'``), or the spec's wording where the API words that
error its own way (prompt length, unknown model, bad aspect_ratio or type, too many references; rules.py).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import orjson

from . import rules
from .http_errors import INVALID_JSON, HttpError, bad_request
from .rule_wording import format_path
from .spec_facts import SpecFacts

if TYPE_CHECKING:
    import jsonschema  # imported on the first refusal (see schemas.py)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# Built once: json.loads with any argument builds a decoder per call.
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def parse_json(body: bytes) -> Any:
    """The parsed body, or 400 for anything that is not strict JSON (NaN and Infinity included). Bytes are read as
    json.loads reads them: UTF-8, -16 or -32 by their first bytes, a UTF-8 BOM skipped."""
    try:
        return _DECODER.decode(body.decode(json.detect_encoding(body), "surrogatepass"))
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError and int-size errors are ValueErrors
        raise bad_request(INVALID_JSON) from None


def checked_body(facts: SpecFacts, raw: bytes, permissive: bool, *, worded: bool = True) -> Any:
    """The parsed body once it passes the request schema (:func:`check_body`); 400 for anything else.

    A body orjson reads and the compiled schema accepts is taken as orjson read it, at a quarter of the cost of the
    standard library's parser. Every other body is read again by :func:`parse_json`, the reference, so refusals and
    their details stay exactly as they were. The two readers differ where orjson refuses (a lone surrogate, a UTF-8
    BOM, UTF-16), which goes to the reference; on integers past 64 bits, which orjson reads as floats, and which a
    schema-valid body carries only in an unbounded field (a position's ``x_norm``) that the mock checks but never
    reads after the schema; and on nesting between Python's recursion limit and orjson's 1024 levels, which only
    the open objects of the permissive and lenient views let through (tests/mock/test_request_validation.py)."""
    schema = facts.loose_request_schema if permissive else facts.request_schema  # pragma: no mutate
    try:  # the compiled schema called as is, not through accepts_fast: one call fewer a POST
        body = orjson.loads(raw)  # pragma: no mutate
        if schema.fast_is_valid(body):  # pragma: no mutate
            return body
    except Exception:  # orjson refused it, or Rust could not take a value (an int past 64 bits): the reference decides
        pass
    body = parse_json(raw)
    check_body(facts, body, permissive=permissive, worded=worded)
    return body


# The detail of a refusal checked only for its verdict (``worded=False``): never sent, so never worded.
UNWORDED = "refused by the request schema"  # pragma: no mutate


def check_body(facts: SpecFacts, body: Any, *, permissive: bool, worded: bool = True) -> None:
    """400 with the API's wording when the body breaks the request schema (in permissive mode, its loose form).
    ``worded=False`` asks for the verdict only: a refusal detailed `UNWORDED`, found without listing every error."""
    schema = facts.loose_request_schema if permissive else facts.request_schema  # pragma: no mutate
    if schema.accepts_fast(body):  # pragma: no mutate
        return
    if not worded:
        if schema.accepts(body):
            return
        raise HttpError(400, UNWORDED)  # pragma: no mutate
    errors = schema.errors(body)
    stated = None if permissive else rules.stated_refusal(facts, body, errors)
    if stated is not None:
        raise stated
    error = schema.best_error(errors)
    if error is not None:
        raise rules.word_schema_error(facts, body, error) or HttpError(400, _detail(error), fact=_keyword(error))


def _keyword(error: jsonschema.ValidationError) -> str:
    """The field and the schema keyword that refused it: ``video.source_position.w_norm.exclusiveMinimum``."""
    path = list(error.absolute_path)
    return f"{format_path(path)}.{error.validator}" if path else str(error.validator)


def _detail(error: jsonschema.ValidationError) -> str:
    path = list(error.absolute_path)
    return f"{format_path(path)}: {error.message}" if path else error.message
