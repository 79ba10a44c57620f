"""The errors a refusal is worded from are jsonschema's own, error for error (schema_errors.py hands jsonschema only the
parts of the request schema jsonschema_rs refuses): bodies drawn from the spec, valid and not, against jsonschema's
unextended validator. The two validators also agree on each body's verdict."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import hypothesis
import jsonschema
import jsonschema_rs
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis import GenerationMode

from luma_uni_mock.config import REPO_SPEC_PATH
from luma_uni_mock.schemas import read_spec
from luma_uni_mock.spec_facts import load_spec_facts

FACTS = load_spec_facts(REPO_SPEC_PATH)
OWN = jsonschema.Draft202012Validator
SCHEMAS = {"strict": FACTS.request_schema, "loose": FACTS.loose_request_schema}
PLAIN = {name: OWN(schema.schema, format_checker=OWN.FORMAT_CHECKER) for name, schema in SCHEMAS.items()}
CREATE = schemathesis.openapi.from_dict(read_spec(REPO_SPEC_PATH))["/generations"]["POST"]
BODIES = st.one_of(
    CREATE.as_strategy(GenerationMode.NEGATIVE).map(lambda case: case.body),
    CREATE.as_strategy(GenerationMode.POSITIVE).map(lambda case: case.body),
)


def signature(errors: Iterable[jsonschema.ValidationError]) -> list[Any]:
    """What the wording reads of each error (best_match reads the context too), nested errors included."""
    return [
        (
            error.message,
            list(error.absolute_path),
            list(error.relative_schema_path),
            error.validator,
            signature(error.context or ()),
        )
        for error in errors
    ]


@pytest.mark.parametrize("which", SCHEMAS)
@hypothesis.settings(
    max_examples=120,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(hypothesis.HealthCheck),
)
@hypothesis.given(body=BODIES)
def test_the_errors_are_jsonschemas_own(which: str, body: Any) -> None:
    schema = SCHEMAS[which]
    errors = schema.errors(body)
    assert signature(errors) == signature(PLAIN[which].iter_errors(body))
    try:
        fast = jsonschema_rs.validator_for(schema.schema, validate_formats=True).is_valid(body)
    except ValueError:  # a value Rust cannot take
        return
    assert fast == (not errors)


@pytest.mark.parametrize(
    "body",
    [
        {"prompt": "x", "image_ref": [{"url": "https://example.com/a.png"}] * 3 + [{"data": "!!", "media_type": 1}]},
        {"prompt": "x", "image_ref": [{"data": "!!"}, {"url": "https://example.com/a.png"}]},
        {"prompt": "x", "type": "image_edit", "source": {"url": "https://example.com/a.png"}, "image_ref": [{}] * 12},
        {"prompt": "", "model": "uni-9", "web_search": "yes", "aspect_ratio": "5:4"},
    ],
    ids=["last item", "first item", "past maxItems", "several fields"],
)
def test_arrays_and_several_fields_keep_every_error(body: Any) -> None:
    errors = FACTS.request_schema.errors(body)
    assert errors and signature(errors) == signature(PLAIN["strict"].iter_errors(body))
