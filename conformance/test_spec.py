"""Part 1: the contract itself is valid OpenAPI 3.1, schemathesis can load every operation, and generated/ is in
sync with it (regenerated into a temporary directory by scripts/generate.py --check and diffed)."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import schemathesis
from openapi_spec_validator import validate
from schemathesis.core.result import Err, Ok

from conformance.probe import probe_config
from conformance.report import STATS
from conformance.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent


def test_spec_is_valid_openapi_31() -> None:
    spec = load_spec()
    assert spec["openapi"].startswith("3.1.")
    validate(copy.deepcopy(spec))
    STATS.check("spec_valid_openapi", True)


def test_schemathesis_loads_every_operation_and_the_link() -> None:
    schema = schemathesis.openapi.from_path(ROOT / "openapi.yaml", config=probe_config(1))
    results = list(schema.get_all_operations())
    errors = [result.err() for result in results if isinstance(result, Err)]
    assert not errors, f"schemathesis cannot load: {errors}"
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert sorted(op.label for op in operations) == ["GET /generations/{generation_id}", "POST /generations"]
    created = load_spec()["paths"]["/generations"]["post"]["responses"]["201"]
    (link,) = created["links"].values()
    # The stateful phase follows this link from a created generation to its GET.
    assert link["operationId"] == "getGeneration"
    assert link["parameters"] == {"generation_id": "$response.body#/id"}


def test_generated_client_is_in_sync_with_the_spec() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate.py"), "--check"],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    STATS.check("generated_in_sync", result.returncode == 0)
    assert result.returncode == 0, (
        f"generated/ is stale: run 'make generate'\n{result.stdout[-4000:]}{result.stderr[-2000:]}"
    )
