"""Every fact of openapi.yaml that luma-agents' types do not state, with its ``x-source`` (see
``luma_uni_mock.sources``): the inventory the tests check (each one names its source), the docs site lists and
the conformance summary groups failures by.

A fact is what makes a server refuse a request or fail a check, or what the API decides or says that the SDK's
types leave open:

- in a schema, each keyword a Python SDK's types cannot state (``maxLength``, ``format``, ``maximum``,
  ``additionalProperties: false``, ...; enums, JSON types and required fields are the SDK's own), each request rule
  the schema states (a node marked ``x-rule``: one fact, the keywords inside it are its parts) and each other
  ``if``/``then`` invariant (of the responses);
- each ``x-`` extension but the generator's naming hint and the rule marks; each entry of ``x-types`` on its own,
  and each x-rule as three facts: what it refuses (``description``), its ``status`` and its ``detail``;
- each documented response (its status), each error example (its wording; an x-rule's example is worded by the
  rule), each required response header, the security scheme.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from luma_uni_mock.sources import KEY, OWN, RULE_MARK, SCHEMA_FACTS, Source, check_names, is_source, source_for

NOT_FACTS = frozenset({KEY, "x-enum-varname-prefix", RULE_MARK})
RULES = "x-rules"
RULE_FACTS = ("status", "detail")  # and OWN: what the rule refuses
ENTRIES = frozenset({"x-types"})  # extensions holding one object per entry
# Keys whose values are data or prose, never schemas holding facts.
DATA = frozenset({"description", "summary", "example", "examples", "enum", "const", "default", "title", KEY})
RULE_EXAMPLES = "components.responses.BadRequest"  # its examples named by an x-rules id are worded by the rule


@dataclass(frozen=True)
class Fact:
    """One fact: the object holding it (a dotted spec location), its name there (None: what the object itself
    states, e.g. a response's status) and where it comes from (None: the spec does not say)."""

    location: str
    name: str | None
    source: Source | None

    @property
    def where(self) -> str:
        return f"{self.location}.{self.name}" if self.name else self.location


def _refuses_nothing(key: str, value: Any) -> bool:
    """``minLength: 0``, ``minItems: 0``, or ``additionalProperties`` that is not ``false``."""
    if key in {"minLength", "minItems"}:
        return bool(value == 0)
    return key == "additionalProperties" and value is not False


def _names(node: Mapping[str, Any], *, schema: bool) -> list[str]:
    """The facts ``node`` holds by key."""
    found = []
    for key, value in node.items():
        extension = key.startswith("x-") and key not in NOT_FACTS | ENTRIES | {RULES}
        if extension or (schema and key in SCHEMA_FACTS and not _refuses_nothing(key, value)):
            found.append(key)
    return found


def _held(node: Mapping[str, Any], location: str, names: list[str], inherited: Source | None) -> Iterator[Fact]:
    """The facts ``names`` of ``node``, and those its per-fact x-source names besides (a choice that loosens, such
    as a nullable ``type``)."""
    check_names(node, location)
    keyed = node.get(KEY, {})
    extra = [name for name in keyed if name not in names and name != OWN] if not is_source(keyed) else []
    for name in [*names, *extra]:
        yield Fact(location, name, source_for(node, name, location) or inherited)


def _schema_facts(node: Any, location: str, inherited: Source | None = None) -> Iterator[Fact]:
    """The facts of a schema and its subschemas. ``inherited``: the source of the header or parameter a schema
    belongs to, which speaks for it."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _schema_facts(item, f"{location}[{index}]", inherited)
        return
    if not isinstance(node, Mapping):
        return
    if RULE_MARK in node:  # a rule the schema states: one fact; only the rules nested in it are facts of their own
        check_names(node, location)
        yield Fact(location, None, source_for(node, None, location) or inherited)
        yield from _marks_inside(node, location)
        return
    if "if" in node and not any(True for _ in _marks_inside(node, location)):  # an invariant (a response's)
        check_names(node, location)
        yield Fact(location, None, source_for(node, None, location) or inherited)
        return
    yield from _held(node, location, _names(node, schema=True), inherited)
    for index, rule in enumerate(node.get(RULES, [])):
        where = f"{location}.{RULES}.{rule.get('id', index)}"
        yield Fact(where, None, source_for(rule, None, where))
        yield from _held(rule, where, list(RULE_FACTS), None)
    for key in ENTRIES & node.keys():
        for name, entry in node[key].items():
            where = f"{location}.{key}.{name}"
            yield from _held(entry, where, [k for k in entry if k != KEY], None)
    for key, value in node.items():
        if key not in DATA and not key.startswith("x-"):
            yield from _schema_facts(value, f"{location}.{key}", inherited)


def _marks_inside(node: Mapping[str, Any], location: str) -> Iterator[Fact]:
    """The rule nodes below ``node`` (not ``node`` itself), each with the rules nested in it."""
    for key, value in node.items():
        if key in DATA or key.startswith("x-"):
            continue
        for index, child in enumerate(value if isinstance(value, list) else [value]):
            where = f"{location}.{key}[{index}]" if isinstance(value, list) else f"{location}.{key}"
            if isinstance(child, Mapping):
                if RULE_MARK in child:
                    yield from _schema_facts(child, where)
                else:
                    yield from _marks_inside(child, where)


def _response_facts(response: Any, location: str, rule_ids: set[str], *, examples: bool) -> Iterator[Fact]:
    if not isinstance(response, Mapping) or "$ref" in response:
        return
    yield from _held(response, location, _names(response, schema=False), None)
    yield Fact(location, None, source_for(response, None, location))
    for media in response.get("content", {}).values() if examples else ():
        for name, example in media.get("examples", {}).items():
            if not (location == RULE_EXAMPLES and name in rule_ids):
                where = f"{location}.examples.{name}"
                yield from _held(example, where, [], None)
                yield Fact(where, None, source_for(example, None, where))


def _described(kind: str, components: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for name, node in components.get(kind, {}).items():
        yield f"components.{kind}.{name}", node


def rule_ids(spec: Mapping[str, Any]) -> set[str]:
    return {rule["id"] for rule in spec["components"]["schemas"]["CreateGenerationRequest"].get(RULES, [])}


def facts(spec: Mapping[str, Any]) -> list[Fact]:
    """Every fact of ``spec`` (parsed openapi.yaml), each with its source or None; ``SourceError`` for a
    malformed ``x-source``."""
    found: list[Fact] = []
    components = spec["components"]
    ids = rule_ids(spec)
    for where, scheme in _described("securitySchemes", components):
        found += _held(scheme, where, _names(scheme, schema=False), None)
        found.append(Fact(where, None, source_for(scheme, None, where)))
    for where, item in [*_described("parameters", components), *_described("headers", components)]:
        own = source_for(item, None, where)
        names = _names(item, schema=False) + (["required"] if item.get("required") is True else [])
        found.append(Fact(where, None, own))
        found += _held(item, where, names, own)
        found += _schema_facts(item.get("schema"), f"{where}.schema", own)
    for where, response in _described("responses", components):
        found += _response_facts(response, where, ids, examples=True)
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            for index, parameter in enumerate(operation.get("parameters", [])):
                found += _schema_facts(parameter.get("schema"), f"paths.{path}.{method}.parameters[{index}].schema")
            for status, response in operation.get("responses", {}).items():
                # A success example only illustrates the Generation schema, whose facts are listed there.
                where = f"paths.{path}.{method}.responses.{status}"
                found += _response_facts(response, where, ids, examples=False)
    for where, schema in _described("schemas", components):
        found += _schema_facts(schema, where)
    return found


def source_at(spec: Mapping[str, Any], where: str) -> Source | None:
    """The source of the fact at ``where`` (a :attr:`Fact.where`), if the inventory lists it."""
    return next((fact.source for fact in facts(spec) if fact.where == where), None)


# The pages of Luma's docs a `docs` source may name (docs.agents.lumalabs.ai, the current site and an older full
# copy of it), and the record of them where it names no page (`luma-api.md §n`, kept beside this project).
DOC_PAGES = (
    "quickstart",
    "guides/image-generation",
    "guides/image-editing",
    "guides/model",
    "guides/pricing",
    "guides/error-handling",
    "guides/rate-limits",
    "guides/faq",
    "api/resources/generations/methods/create",
    "api/resources/generations/methods/get",
    "luma-api.md §",
)


def sdk_quote(source: Source) -> tuple[str, str]:
    """An ``sdk`` source's file (relative to the luma_agents package) and the sentence it quotes."""
    file, _, quote = source.text.partition(": ")
    return file, quote


def short(where: str) -> str:
    """A fact's location as the docs name it: ``ImageRef.data`` for ``components.schemas.ImageRef.properties.data``."""
    for prefix in ("components.schemas.", "components."):
        if where.startswith(prefix):
            where = where.removeprefix(prefix)
            break
    return where.replace(".properties.", ".")


KIND_TITLES = {
    "choice": "Choices of this contract",
    "sdk": "Stated by luma-agents 0.5.0",
    "docs": "Stated by Luma's docs",
}


def markdown_tables(found: list[Fact]) -> str:
    """The facts as Markdown: a count per kind, then one table per kind (choices first)."""
    by_kind: dict[str, list[Fact]] = {kind: [] for kind in KIND_TITLES}
    for fact in found:
        by_kind.setdefault("unsourced" if fact.source is None else fact.source.kind, []).append(fact)
    lines = ["| source | facts |", "|---|---|"]
    lines += [f"| {kind} | {len(facts_)} |" for kind, facts_ in by_kind.items()]
    for kind, title in KIND_TITLES.items():
        lines += ["", f"## {title}", "", "| fact | source |", "|---|---|"]
        for fact in by_kind[kind]:
            text = (fact.source.text if fact.source else "").replace("|", r"\|")  # a | would end the cell
            lines.append(f"| `{short(fact.where)}` | {text} |")
    return "\n".join(lines)


# How a failure names the fact it contradicts: "(openapi.yaml <where>)", in conformance/checks.py's RuleBrokenError
# and in the documented-error tests' messages; <where> is a Fact.where, its short form, or an object holding facts.
# (luma_uni_checks' findings may add "; source: ..." inside the parentheses; no braces: not an f-string of a
# traceback's source line)
NAMED = re.compile(r"\(openapi\.yaml ([^(){};\s]+)[;)]")


def named_facts(text: str) -> list[str]:
    """The spec locations a failure's text names, in order, each once."""
    return list(dict.fromkeys(NAMED.findall(text)))


def resolve(found: list[Fact], where: str) -> Fact | None:
    """The fact at ``where``: a fact's location with its name, or an object's (what it states itself, else its first
    fact), in the full or the short form."""
    wanted = short(where)
    exact = next((fact for fact in found if short(fact.where) == wanted), None)
    if exact is not None:
        return exact
    held = [fact for fact in found if short(fact.location) == wanted]
    return next((fact for fact in held if fact.name is None), held[0] if held else None)


SOURCED_GROUP = "contradicts Luma's SDK or docs"
CHOICE_GROUP = "contradicts a choice of this spec: review the spec"
UNNAMED_GROUP = "names no fact of the spec: read the failure"


@dataclass(frozen=True)
class Broken:
    """A fact (or, for a failure naming none, its first line) that failures contradicted, with its source."""

    where: str
    source: str


def group_failures(texts: list[str], spec: Mapping[str, Any]) -> dict[str, dict[Broken, int]]:
    """Failures by the source of the fact each one names: Luma's SDK or docs, a choice of this spec, or none."""
    found = facts(spec)
    groups: dict[str, dict[Broken, int]] = {SOURCED_GROUP: {}, CHOICE_GROUP: {}, UNNAMED_GROUP: {}}

    def count(group: str, broken: Broken) -> None:
        groups[group][broken] = groups[group].get(broken, 0) + 1

    for text in texts:
        named = named_facts(text)
        if not named:
            count(UNNAMED_GROUP, Broken("", (text.strip().splitlines() or [""])[0][:160]))
        for where in named:
            fact = resolve(found, where)
            if fact is None or fact.source is None:
                count(UNNAMED_GROUP, Broken(where, "openapi.yaml gives it no source"))
            else:
                group = CHOICE_GROUP if fact.source.is_choice else SOURCED_GROUP
                count(group, Broken(fact.where, f"{fact.source.kind}: {fact.source.text}"))
    return {group: broken for group, broken in groups.items() if broken}


_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def node_at(spec: Mapping[str, Any], location: str) -> Any:
    """The object at a fact's location (``components.schemas.X.allOf[2].else``); its names hold no dots but the
    paths' own (``paths./generations.post`` is not resolved)."""
    node: Any = spec
    for name, index in _STEP.findall("." + location):
        node = node[int(index)] if index else node[name]
    return node
