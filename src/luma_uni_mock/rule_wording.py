"""How the API words a refusal of the ``CreateGenerationRequest.x-rules`` in openapi.yaml: each rule's ``detail``
template filled in (:func:`detail`) and read back (:func:`parse_detail`), and the phrases its placeholders take.

Placeholders computed from the spec (``{valid}``, ``{limit}``, ``{min}``, ``{max}``) come from :func:`fixed_values`,
so no list or number is typed twice; the others (``{value}``, ``{path}``, ``{model}``) come from the request, as
rules.py finds them. The conformance suite and the tests word their expectations with the same functions.
"""

from __future__ import annotations

import functools
import json
import re
import string
from collections.abc import Iterable, Mapping

from .spec_facts import Rule, SpecFacts, load_spec_facts

# The spec values the rules and their details name (rules.check_registry refuses a spec that lost one).
EDIT_TYPE = "image_edit"
LAYERING_TYPE = "layering"
MANGA_STYLE = "manga"

Values = Mapping[str, object]  # a detail's placeholders


def ratio_sort_key(ratio: str) -> list[str]:
    """The order the API lists ratios in: by their terms as text, so ``1:3`` comes before ``16:9``."""
    return ratio.split(":")


def portrait_ratios(facts: SpecFacts, model: str | None = None) -> list[str]:
    """The ratios ``style: manga`` takes that ``model`` (else the default model) takes, as the API lists them."""
    portrait = [ratio for ratio in facts.ratios_of(model or facts.default_model) if ratio in facts.portrait_ratios]
    return sorted(portrait, key=ratio_sort_key)  # pragma: no mutate


def quoted_list(values: Iterable[str]) -> str:
    """``'a', 'b' and 'c'``: how the API words a list of values in a sentence."""
    quoted = [f"'{value}'" for value in values]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def valid_ratios(facts: SpecFacts, model: str) -> str:
    """The aspect ratios ``model`` takes, as the API lists them."""
    return ", ".join(sorted(facts.ratios_of(model), key=ratio_sort_key))


def types_phrase(types: Iterable[str]) -> str:
    """``type 'layering'`` or ``types 'video', 'video_edit' and 'video_reframe'``."""
    listed = list(types)
    return f"type{'s' if len(listed) > 1 else ''} {quoted_list(listed)}"


def source_types(facts: SpecFacts) -> list[str]:
    """The types that take a ``source``, in the enum's order."""
    return [name for name in facts.types if facts.of_type(name).source is not None]


def fixed_values(facts: SpecFacts, rule_id: str) -> dict[str, object]:
    """The placeholders of a rule's detail that the spec determines (the same for every request)."""
    if rule_id == "prompt_length":
        return {"min": facts.prompt_min_length, "max": facts.prompt_max_length}
    if rule_id == "layering_prompt_length":
        return {"max": facts.prompt_bounds(LAYERING_TYPE)[1]}
    if rule_id == "source_not_allowed":
        return {"types": quoted_list(source_types(facts))}
    # The default model's lists (a request names its own model's: rules.py's placeholders override these).
    if rule_id == "invalid_aspect_ratio":  # pragma: no mutate block
        return {"valid": valid_ratios(facts, facts.default_model)}
    if rule_id == "too_many_refs":
        return {"limit": facts.max_image_refs}
    if rule_id == "too_many_edit_refs":
        return {"limit": facts.max_edit_refs}
    if rule_id == "manga_landscape":  # pragma: no mutate block
        return {"valid": ", ".join(portrait_ratios(facts))}
    return {}


def detail(facts: SpecFacts, rule: Rule, values: Values) -> str:
    return rule.detail.format_map({**fixed_values(facts, rule.id), **values})


# pragma: no mutate start
def parse_detail(facts: SpecFacts, rule: Rule, text: str, *, any_fixed: bool = False) -> dict[str, str] | None:
    """The request placeholders of ``text`` if it is this rule's detail: the spec-determined ones must match
    today's spec, unless ``any_fixed`` (then they are returned too, as written)."""
    fixed = {} if any_fixed else fixed_values(facts, rule.id)
    pattern = ""
    for literal, name, _, _ in string.Formatter().parse(rule.detail):
        pattern += re.escape(literal)
        if name is not None:
            pattern += re.escape(str(fixed[name])) if name in fixed else f"(?P<{name}>.+?)"
    match = re.fullmatch(pattern, text)
    return match.groupdict() if match else None


# pragma: no mutate end


def format_path(path: Iterable[str | int]) -> str:
    """A field's place in the body as a detail names it: ``image_ref[0].url``, ``video.loop``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def show(value: object) -> str:
    """A request value as a detail names it: a string as it is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


@functools.cache
def _repo_facts() -> SpecFacts:
    from .config import REPO_SPEC_PATH

    return load_spec_facts(REPO_SPEC_PATH)


def rule_detail(rule_id: str, **values: object) -> str:  # pragma: no mutate block
    """The detail the mock sends for ``rule_id`` with these request values, for tests (read from the repo spec)."""
    facts = _repo_facts()
    return detail(facts, facts.rule(rule_id), values)
