"""Part 5: the suite can fail. Each deliberately broken variant (conformance/broken/) runs through the part of the
suite that must catch it, in a separate pytest process, and that run must fail for the expected reason.

A generated client made stale by a spec change is caught by part 1's sync check, run on a copy of the repository
inputs whose spec gained a value.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.openapi.checks import EnsureResourceAvailability, IgnoredAuth, JsonSchemaError

from conformance.broken import ENV_VAR
from conformance.forked_runs import run_pytest
from conformance.options import Options
from conformance.report import STATS

# Under xdist the whole module runs on one worker: its variant runs start together in one pool (variant_runs).
pytestmark = pytest.mark.xdist_group("broken-variants")

ROOT = Path(__file__).resolve().parent.parent
SUITE = Path(__file__).resolve().parent
PART = "5 broken variants are caught"
# Enough to reach every variant's fault (each breaks every request of its kind); more only adds time.
MAX_VARIANT_EXAMPLES = 10


@dataclass(frozen=True)
class Variant:
    name: str
    tests: tuple[str, ...]  # the part of the suite that must catch it (pytest arguments)
    expected: str  # text the failure report must contain: why it was caught
    why: str


VARIANTS = [
    Variant(
        "foreign-enum-value",
        ("test_mock_contract.py", "-k", "asgi and stateful"),
        f"{JsonSchemaError.code} Response violates schema",
        "GET answers a state outside GenerationState; only the stateful phase reaches a GET's 200",
    ),
    Variant(
        "accepts-invalid-body",
        ("test_mock_contract.py", "-k", "asgi and negative and conforms"),
        f"{AcceptedNegativeData.code} Schema-violating request accepted",
        "schema-violating bodies get 201",
    ),
    Variant(
        "ignores-auth",
        ("test_mock_contract.py", "-k", "asgi and positive and conforms"),
        f"{IgnoredAuth.code} API accepts requests without authentication",
        "requests without a key are served",
    ),
    Variant(
        "loses-created-generation",
        ("test_mock_contract.py", "-k", "asgi and stateful"),
        f"{EnsureResourceAvailability.code} Created resource not found",
        "POST answers an id that GET cannot find",
    ),
    Variant(
        "failure-reason-while-queued",
        ("test_mock_contract.py", "-k", "rules and positive and conforms"),
        f"{JsonSchemaError.code} Response violates schema",
        "a queued generation carries a failure_reason: the spec's if/then invariant on Generation",
    ),
    Variant(
        "jpeg-by-default",
        ("test_mock_contract.py", "-k", "rules and positive and conforms"),
        "Documented rule broken: the output is in the requested output_format, or in its x-server-default",
        "output_format left out gives JPEG where the spec's server default is png: the generation_lifecycle check",
    ),
    Variant(
        "urls-never-expire",
        ("test_mock_contract.py", "-k", "rules and positive and conforms"),
        "Documented rule broken: an output URL stops working after its lifetime",
        "output URLs still answer after their hour: the generation_lifecycle check moves the mock's clock",
    ),
    Variant(
        "reuses-output-urls",
        ("test_mock_contract.py", "-k", "socket and positive and conforms"),
        "Documented rule broken: every GET mints fresh presigned output URLs",
        "a later GET answers the first GET's output URLs: the generation_lifecycle check GETs again past their hour",
    ),
    Variant(
        "failure-fields-early-when-doomed",
        ("test_server_promises.py", "-k", "failure_fields"),
        "Documented rule broken: a 201 of POST /generations matches its documented schema",
        "only a generation that is going to fail shows its failure fields while queued: the switch thrown on purpose",
    ),
    Variant(
        "sibling-key-cannot-see",
        ("test_server_promises.py", "-k", "clients_not_its_keys"),
        "Documented rule broken: a generation is its API client's: every key of the client can GET it",
        "GET goes by the whole key: a sibling key of the creator's client gets 404",
    ),
    Variant(
        "chains-another-clients-generation",
        ("test_server_promises.py", "-k", "clients_not_its_keys"),
        "Documented rule broken: another client's generation_id is refused as an unknown one",
        "the chain lookup forgets the owner: another client's generation can be edited",
    ),
    Variant(
        "limits-per-key",
        ("test_server_promises.py", "-k", "rate_limit_is_the_clients"),
        "Documented rule broken: the per-minute limit is the client's",
        "the limit counts each key apart: only a client with two keys sees it",
    ),
    Variant(
        "jpeg-for-image-edits",
        ("test_server_promises.py", "-k", "served_files and image_edit"),
        "Documented rule broken: an image output is in the requested output_format, or its x-server-default",
        "only an image_edit without output_format is served as JPEG",
    ),
    Variant(
        "ten-second-video-cut-short",
        ("test_server_promises.py", "-k", "served_files and video"),
        "Documented rule broken: a video lasts its video.duration",
        "only a 10s video is wrong: one second long",
    ),
    Variant(
        "portrait-videos-landscape",
        ("test_server_promises.py", "-k", "served_files and video"),
        "Documented rule broken: the output has the requested aspect_ratio",
        "only a portrait video is wrong: its sides swapped",
    ),
    Variant(
        "layers-back-to-front",
        ("test_server_promises.py", "-k", "served_files and layering"),
        "Documented rule broken: a layer with alpha_hint soft has soft",
        "the layer files come back to front while output[].layer lists them front to back",
    ),
    Variant(
        "urls-expire-early",
        ("test_mock_contract.py", "-k", "socket and positive and conforms"),
        "Documented rule broken: an output URL answers with the file while valid",
        "URLs expire after half their hour: right at once, wrong only once the clock has moved",
    ),
    Variant(
        "rewords-errors",
        ("test_client_e2e.py", "-k", "documented_error and Unauthorized"),
        "{'detail': 'Error: ",
        "every 4xx keeps its status but not its documented detail",
    ),
    Variant(
        "client-get-drops-extra-query",
        ("test_client_e2e.py", "-k", "per_call_options"),
        "GET sent",
        "get() forgets its extra_query; create() keeps its own",
    ),
    Variant(
        "client-extra-headers-stick",
        ("test_client_e2e.py", "-k", "per_call_options"),
        "a call's extra_headers stuck to the client",
        "a call's extra_headers go on every later request too",
    ),
    Variant(
        "client-chains-a-generation-by-url",
        ("test_client_e2e.py", "-k", "generation_and_a_file"),
        "{'url': ",
        "a completed Generation as an input goes as its output's URL, not its generation_id",
    ),
    Variant(
        "client-drops-nulls",
        ("test_client_models.py", "-k", "every_date_time_spelling_parses"),
        "Generation changed in the round trip",
        "the generated Generation.to_dict leaves out null fields",
    ),
]


def _failure_texts(junit: Path) -> list[str]:
    texts: list[str] = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        for tag in ("failure", "error"):
            for element in case.iter(tag):
                texts.append(f"{case.get('name')}: {element.get('message', '')}\n{element.text or ''}")
    return texts


@dataclass(frozen=True)
class VariantRun:
    returncode: int | None  # None: it ran past the timeout
    output: str
    failures: list[str]


VARIANT_TIMEOUT_SECONDS = 600


def run_variant(variant: Variant, examples: int, directory: Path) -> VariantRun:
    """The variant's part of the suite, in its own pytest process (variants patch process-wide state), forked from
    a process that imported pytest and schemathesis once (forked_runs)."""
    junit, output = directory / f"{variant.name}.xml", directory / f"{variant.name}.out"
    env = {k: v for k, v in os.environ.items() if k not in ("BASE_URL", "CONFORMANCE_SEED")}
    env |= {
        ENV_VAR: variant.name,
        "CONFORMANCE_EXAMPLES": str(examples),
        "CONFORMANCE_STATEFUL_EXAMPLES": str(examples),
        "CONFORMANCE_NO_SHRINK": "1",
    }
    test_file, *selection = variant.tests
    args = [str(SUITE / test_file), *selection, "-x", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"]
    code = run_pytest(args, env=env, cwd=ROOT, output=output, timeout=VARIANT_TIMEOUT_SECONDS)
    failures = _failure_texts(junit) if junit.exists() else []
    printed = output.read_text(encoding="utf-8", errors="replace") if output.exists() else ""
    return VariantRun(code, printed[-5000:] if code is not None else f"timed out\n{printed[-5000:]}", failures)


@pytest.fixture(scope="module")
def variant_runs(options: Options, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Future[VariantRun]]]:
    """All variant runs, started together at once (each is mostly start-up and imports: they overlap well)."""
    directory = tmp_path_factory.mktemp("variants")
    examples = min(options.examples, MAX_VARIANT_EXAMPLES)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        yield {v.name: pool.submit(run_variant, v, examples, directory) for v in VARIANTS}


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_broken_variant_is_caught(variant: Variant, variant_runs: dict[str, Future[VariantRun]]) -> None:
    run = variant_runs[variant.name].result()
    STATS.case(PART)
    caught = run.returncode == 1 and any(variant.expected in text for text in run.failures)
    STATS.check("broken_variant_caught", caught)
    assert caught, (
        f"variant {variant.name!r} ({variant.why}) was not caught as expected ({variant.expected!r}); "
        f"exit {run.returncode}\n{run.output}"
    )


def test_stale_generated_client_is_caught(tmp_path: Path) -> None:
    """A spec change the generated client has not seen (a new failure code) fails part 1's sync check."""
    shutil.copy2(ROOT / "generator-config.yaml", tmp_path / "generator-config.yaml")
    for name in ("scripts", "conformance", "templates", "generated"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    spec = (ROOT / "openapi.yaml").read_text(encoding="utf-8")
    anchor = "        - rate_limited\n"
    assert spec.count(anchor) == 1, "the FailureCode enum moved; update this test's edit"
    (tmp_path / "openapi.yaml").write_text(spec.replace(anchor, anchor + "        - quota_exceeded\n"))

    result = subprocess.run(
        [sys.executable, str(tmp_path / "scripts" / "generate.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    STATS.case(PART)
    caught = result.returncode == 1 and "quota_exceeded" in result.stdout
    STATS.check("broken_variant_caught", caught)
    assert caught, f"the stale client was not caught: exit {result.returncode}\n{result.stdout[-3000:]}{result.stderr}"
