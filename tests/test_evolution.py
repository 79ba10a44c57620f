"""The everyday workflow, proved on a copy of the repository: one edit to openapi.yaml, `make generate`, green.

Additive: a value added to every enum (with the failure reason a new failure code needs), a new optional request
field and a new optional response field. The two error examples whose "valid values" list grows are re-worded as
tests/mock/test_x_rules.py asks (in openapi.yaml too). Then the spec-driven tests run against the copy with no
other edit, and the change report lists exactly those changes, all additive. The new request field is a keyword of
``create`` with no edit to the client: it reaches the request body, and mypy --strict types it at the call site.

Breaking: removing an enum value and making a request field required are reported as breaking, and
`generate.py --check` (make check-generated) fails with that reason while the version is not bumped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from luma_uni_mock import rule_wording
from luma_uni_mock.spec_facts import load_spec_facts
from scripts.enum_names import member_name

ROOT = Path(__file__).resolve().parent.parent
NEW_REQUEST_FIELD, NEW_RESPONSE_FIELD = "seed", "credits_used"  # the request field is an integer
# The new request field as a keyword: in the body build_request makes, and typed for mypy at a create call.
SEND_NEW_FIELD = f"""
import json
from luma_uni._inputs import build_request
print(json.dumps(build_request(prompt="x", {NEW_REQUEST_FIELD}=7).to_dict()))
"""
CREATE_WITH_NEW_FIELD = f"""
from luma_uni import Luma


def create(client: Luma) -> None:
    client.generations.create(prompt="x", {NEW_REQUEST_FIELD}=7)
    client.generations.create(prompt="x", {NEW_REQUEST_FIELD}="7")
"""
# The fast tests that take enums, limits and wording from the spec (client, mock, contract, rules).
SPEC_DRIVEN_TESTS = [
    "tests/test_contract.py",
    "tests/test_enum_names.py",
    "tests/test_generated_contract.py",
    "tests/mock/test_x_rules.py",
    "tests/mock/test_request_validation.py",
    "tests/mock/test_rules.py",
    "tests/client/test_inputs.py",
    "tests/client/test_cli.py",
    # The spec may run ahead of the pinned SDK (a value Luma documents before an SDK ships it), every fact sourced.
    "tests/mock/test_sdk_new_types.py::test_the_spec_names_every_value_the_sdk_does",
    "tests/test_sources.py",
]


def _git(copy: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=evolution", "-c", "user.email=evolution@test", *args],
        cwd=copy,
        check=True,
        capture_output=True,
    )


def _run(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The copy's packages come first on the path, before the editable install of this checkout.
    path = os.pathsep.join(str(copy / part) for part in ("src", "generated", "."))
    env = {**os.environ, "PYTHONPATH": path, "BASE_URL": ""}
    return subprocess.run([sys.executable, *args], cwd=copy, env=env, capture_output=True, text=True, check=False)


def _new_value(values: list[str]) -> str:
    value = values[0] + "0"
    while value in values:
        value += "0"
    return value


def _additive_edit(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """Apply the additive edit; return the (where, what) the report must list."""
    schemas = spec["components"]["schemas"]
    expected = []
    for name, schema in schemas.items():
        if "enum" in schema:
            value = _new_value(schema["enum"])
            schema["enum"].append(value)
            expected.append((name, repr(value)))
            if "x-failure-reasons" in schema:  # an entry for the new value only: additive
                schema["x-failure-reasons"][value] = "A failure the API added later."
                expected.append((f"{name}.x-failure-reasons.{value}", "new entry (for a new enum value)"))
    schemas["CreateGenerationRequest"]["properties"][NEW_REQUEST_FIELD] = {"type": "integer", "description": "New."}
    schemas["Generation"]["properties"][NEW_RESPONSE_FIELD] = {"type": ["integer", "null"], "description": "New."}
    expected += [(f"CreateGenerationRequest.{NEW_REQUEST_FIELD}", "new optional field")]
    expected += [(f"Generation.{NEW_RESPONSE_FIELD}", "new optional field")]
    return expected


def _reword_list_examples(copy: Path, spec: dict[str, Any]) -> list[str]:
    """Re-word the examples whose spec-computed part changed, as test_x_rules.py's message says."""
    facts = load_spec_facts(copy / "openapi.yaml")
    examples = spec["components"]["responses"]["BadRequest"]["content"]["application/json"]["examples"]
    changed = []
    for rule in facts.rules:
        example = examples[rule.id]["value"]
        written = rule_wording.parse_detail(facts, rule, example["detail"], any_fixed=True)
        assert written is not None
        fixed = rule_wording.fixed_values(facts, rule.id)
        today = rule_wording.detail(facts, rule, {k: v for k, v in written.items() if k not in fixed})
        if today != example["detail"]:
            example["detail"] = today
            changed.append(f"responses.BadRequest.examples.{rule.id}")
    return changed


def _write(copy: Path, spec: dict[str, Any]) -> None:
    (copy / "openapi.yaml").write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=1000))


def _report_lines(output: str) -> list[str]:
    since_head = output.split("## What changed since the last commit", 1)[1].split("CHANGELOG.md", 1)[0]
    return [line for line in since_head.splitlines() if line.startswith("- **")]


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A committed copy of the repository's files (git ls-files: what a fresh clone has, generated/ included)."""
    target = tmp_path_factory.mktemp("evolution") / "repo"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-qm", "baseline")
    _git(target, "tag", "baseline")
    yield target


@pytest.mark.slow
def test_an_additive_spec_edit_needs_no_other_edit(copy: Path) -> None:
    spec = yaml.safe_load((copy / "openapi.yaml").read_text())
    expected = _additive_edit(spec)
    _write(copy, spec)
    reworded = _reword_list_examples(copy, spec)
    _write(copy, spec)

    generated = _run(copy, "scripts/generate.py")
    assert generated.returncode == 0, generated.stdout + generated.stderr
    lines = _report_lines(generated.stdout)
    assert all(line.startswith("- **additive**") for line in lines), "\n".join(lines)
    spec_lines = [line for line in lines if "`luma_agents_client." not in line]
    assert len(spec_lines) == len(expected) + len(reworded), "\n".join(spec_lines)
    for where, what in expected:
        assert any(f"`{where}`" in line and what in line for line in spec_lines), f"{where}: {what} not reported"
    for where in reworded:
        assert any(f"`{where}`" in line for line in spec_lines)

    tests = _run(copy, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *SPEC_DRIVEN_TESTS)
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]
    _the_new_request_field_is_a_keyword_of_create(copy)
    check = _run(copy, "scripts/generate.py", "--check")
    assert check.returncode == 0, check.stdout[-3000:]
    _git(copy, "commit", "-qam", "additive edit")  # the release baseline stays the first commit: no version bump


def _the_new_request_field_is_a_keyword_of_create(copy: Path) -> None:
    sent = _run(copy, "-c", SEND_NEW_FIELD)
    assert sent.returncode == 0, sent.stderr
    assert json.loads(sent.stdout) == {"prompt": "x", NEW_REQUEST_FIELD: 7}
    # mypy reads the copy's pyproject.toml (run in the copy): its mypy_path puts the copy's packages first.
    program = copy.parent / "create_with_new_field.py"
    program.write_text(CREATE_WITH_NEW_FIELD, encoding="utf-8")
    cache = str(copy.parent / "mypy-cache")
    typed = _run(copy, "-m", "mypy", "--strict", "--cache-dir", cache, "--no-error-summary", str(program))
    assert typed.stdout.splitlines() == [
        f'{program}:7: error: Argument "{NEW_REQUEST_FIELD}" to "create" of "Generations" has incompatible type '
        '"str"; expected "int | None"  [arg-type]'
    ], typed.stdout + typed.stderr


@pytest.mark.slow
def test_a_breaking_spec_edit_is_reported_and_fails_check_generated(copy: Path) -> None:
    _git(copy, "reset", "-q", "--hard", "baseline")
    spec = yaml.safe_load((copy / "openapi.yaml").read_text())
    model = spec["components"]["schemas"]["Model"]
    removed = model["enum"].pop()
    spec["components"]["schemas"]["CreateGenerationRequest"]["required"].append("model")
    _write(copy, spec)

    generated = _run(copy, "scripts/generate.py")
    assert generated.returncode == 0, generated.stdout + generated.stderr
    lines = _report_lines(generated.stdout)
    assert f"- **breaking** `Model`: value {removed!r} removed" in lines
    assert "- **breaking** `CreateGenerationRequest.model`: now required" in lines

    check = _run(copy, "scripts/generate.py", "--check")
    assert check.returncode == 1
    assert "bump the version in src/luma_uni/_version.py" in check.stdout
    assert f"luma_agents_client.models.model.Model.{member_name(removed)}`: " in check.stdout
    assert "CreateGenerationRequest.model`: model: default UNSET was removed (now required)" in check.stdout
