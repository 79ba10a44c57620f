"""Start-up: configuration (code and environment), refusing a spec it cannot compile, the CLI and clean shutdown."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from luma_uni_mock import ConfigError, ContractError, MockConfig, create_app
from luma_uni_mock.config import REPO_SPEC_PATH
from luma_uni_mock.schemas import read_spec

REPO = REPO_SPEC_PATH.parent


def test_from_env_reads_every_kind_of_setting() -> None:
    config = MockConfig.from_env(
        {
            "LUMA_MOCK_TIME_SCALE": "100",
            "LUMA_MOCK_RATE_LIMITS": "true",
            "LUMA_MOCK_RPM": "5",
            "LUMA_MOCK_MAX_CONCURRENT": "off",
            "LUMA_MOCK_SCHEMA_ONLY": "1",
            "LUMA_MOCK_MAX_GENERATIONS": "50",
            "LUMA_MOCK_SIGNING_SECRET": "s" * 32,
            "LUMA_MOCK_QUEUED_SECONDS": "",
        }
    )
    assert (config.time_scale, config.rate_limits, config.schema_only, config.max_generations) == (100, True, True, 50)
    assert (config.effective_rpm, config.effective_max_concurrent) == (5, 10)
    assert config.queued_seconds == 2.0
    assert config.signing_secret == b"s" * 32
    assert MockConfig.from_env({"LUMA_MOCK_TIME_SCALE": "0"}).time_scale == 0  # a frozen clock


@pytest.mark.parametrize(
    "environ",
    [
        {"LUMA_MOCK_TIME_SCALE": "fast"},
        {"LUMA_MOCK_TIME_SCALE": "-1"},
        {"LUMA_MOCK_TIME_SCALE": "nan"},
        {"LUMA_MOCK_RATE_LIMITS": "maybe"},
        {"LUMA_MOCK_RPM": "0"},
        {"LUMA_MOCK_PROCESSING_SECONDS": "-1"},
        {"LUMA_MOCK_MAX_BODY_BYTES": "10"},
        {"LUMA_MOCK_SIGNING_SECRET": "short"},
    ],
)
def test_unusable_settings_are_refused_with_a_clear_error(environ: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        MockConfig.from_env(environ)


def _spec_with(tmp_path: Path, change: str) -> Path:
    spec = yaml.safe_load(REPO_SPEC_PATH.read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    if change == "missing request schema":
        del spec["paths"]["/generations"]["post"]["requestBody"]
    elif change == "dangling $ref":
        schemas["CreateGenerationRequest"]["properties"]["model"] = {"$ref": "#/components/schemas/Nope"}
    elif change == "invalid schema":
        schemas["CreateGenerationRequest"]["properties"]["prompt"]["minLength"] = "one"
    elif change == "invalid regex":
        schemas["CreateGenerationRequest"]["properties"]["user_id"]["pattern"] = "(unclosed"
    elif change == "regex Python cannot compile":  # jsonschema_rs accepts it; jsonschema, which words details, not
        schemas["CreateGenerationRequest"]["properties"]["user_id"]["pattern"] = r"^\p{L}+$"
    elif change == "$ref outside the document":
        schemas["CreateGenerationRequest"]["properties"]["model"] = {"$ref": "models.yaml#/Model"}
    elif change == "recursive $ref":
        schemas["ImageRef"]["properties"]["url"] = {"$ref": "#/components/schemas/ImageRef"}
    elif change == "failure code without a reason":
        schemas["FailureCode"]["enum"].append("cosmic_rays")
    elif change == "no path parameter":
        spec["paths"]["/generations/{generation_id}"]["get"]["parameters"] = []
    elif change == "a state the lifecycle enters dropped":
        schemas["GenerationState"]["enum"].remove("processing")
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("missing request schema", "missing paths./generations.post.requestBody"),
        ("dangling $ref", "unresolvable $ref '#/components/schemas/Nope'"),
        ("invalid schema", r"invalid schema at \['properties', 'prompt', 'minLength'\]"),
        ("invalid regex", r"invalid schema at \['properties', 'user_id', 'pattern'\]"),
        ("regex Python cannot compile", "is not a Python regex"),
        ("$ref outside the document", "unresolvable $ref 'models.yaml#/Model'"),
        ("recursive $ref", "recursive $ref"),
        ("failure code without a reason", "cosmic_rays"),
        ("no path parameter", "generation_id"),
        ("a state the lifecycle enters dropped", r"GenerationState lacks \['processing'\]"),
    ],
)
def test_a_spec_that_cannot_be_compiled_stops_the_start(tmp_path: Path, change: str, message: str) -> None:
    with pytest.raises(ContractError, match=message.replace("$", r"\$")):
        create_app(MockConfig(spec_path=_spec_with(tmp_path, change)))


def test_a_ref_is_a_json_pointer_with_its_escapes(tmp_path: Path) -> None:
    spec = yaml.safe_load(REPO_SPEC_PATH.read_text(encoding="utf-8"))
    properties = spec["components"]["schemas"]["CreateGenerationRequest"]["properties"]
    spec["x-shared"] = {"a/b c~": {"type": "string", "maxLength": 3}}
    properties["user_id"] = {"$ref": "#/x-shared/a~1b%20c~0"}  # "/" as ~1, "~" as ~0, the space percent-encoded
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    request_schema = create_app(MockConfig(spec_path=path)).state.facts.request_schema
    assert request_schema.accepts_fast({"prompt": "x", "user_id": "abc"})
    assert not request_schema.accepts_fast({"prompt": "x", "user_id": "abcd"})


def test_start_up_does_not_import_jsonschema_until_a_body_is_refused() -> None:
    """jsonschema (~90 ms of imports) only words refusals: the start-up compile is jsonschema_rs's."""
    script = """
import asyncio, sys
import httpx
from luma_uni_mock import MockConfig, create_app
app = create_app(MockConfig())
assert "jsonschema" not in sys.modules, "imported at start-up"
async def post(body):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver/v1") as http:
        return await http.post("/generations", json=body, headers={"Authorization": "Bearer luma-api-x"})
assert asyncio.run(post({"prompt": "x"})).status_code == 201
assert "jsonschema" not in sys.modules, "imported for a valid body"
refused = asyncio.run(post({"prompt": "x", "web_search": "yes"}))
print(refused.status_code, refused.json()["detail"])
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "400 web_search: 'yes' is not of type 'boolean'"


def test_a_missing_or_broken_spec_file_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(ContractError, match="cannot read"):
        create_app(MockConfig(spec_path=tmp_path / "absent.yaml"))
    (tmp_path / "bad.yaml").write_text("paths: [unclosed", encoding="utf-8")
    with pytest.raises(ContractError, match="not valid YAML"):
        create_app(MockConfig(spec_path=tmp_path / "bad.yaml"))


def test_mocks_of_one_spec_parse_and_compile_it_once_each_getting_its_own_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(REPO_SPEC_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    parses: list[str] = []
    parse = yaml.load

    def counted(text: str, Loader: type) -> object:  # noqa: N803 - yaml's own keyword
        parses.append(text)
        return parse(text, Loader=Loader)

    monkeypatch.setattr(yaml, "load", counted)
    first = create_app(MockConfig(spec_path=spec))
    assert create_app(MockConfig(spec_path=spec)).state.facts is first.state.facts, "the same spec compiled twice"
    read_spec(spec)["info"]["title"] = "changed by a caller"
    assert read_spec(spec)["info"]["title"] != "changed by a caller", "callers share one parsed spec"
    assert len(parses) == 1
    limit = first.state.facts.max_image_bytes
    text = spec.read_text(encoding="utf-8")
    assert f"x-max-decoded-bytes: {limit}" in text, "the image size limit moved; update this test's edit"
    spec.write_text(text.replace(f"x-max-decoded-bytes: {limit}", f"x-max-decoded-bytes: {limit + 1}", 1))
    second = create_app(MockConfig(spec_path=spec))
    assert len(parses) == 2, "a changed spec file must be read anew"
    assert second.state.facts.max_image_bytes == limit + 1
    assert first.state.facts.max_image_bytes == limit, "a mock's facts changed under it"


def _start_cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "luma_uni_mock", "--port", "0", "--log-level", "warning", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "LUMA_MOCK_TIME_SCALE": "50"},
    )


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_cli_prints_its_base_url_serves_and_stops_cleanly(stop: signal.Signals) -> None:
    process = _start_cli("--rate-limits")
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Luma mock ready: base URL http://127.0.0.1:"), line
        base_url = line.split()[5]
        assert httpx.get(base_url.removesuffix("/v1") + "/_mock/health").status_code == 200
        created = httpx.post(
            f"{base_url}/generations", json={"prompt": "x"}, headers={"Authorization": "Bearer luma-api-cli"}
        )
        assert created.status_code == 201
        assert created.headers["x-ratelimit-limit"] == "30"  # --rate-limits took effect
        process.send_signal(stop)
        _, stderr = process.communicate(timeout=20)
        assert process.returncode == 0
        assert "Traceback" not in stderr
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


@pytest.mark.parametrize(("change", "message"), [(None, "cannot read"), ("invalid schema", "invalid schema at")])
def test_the_cli_refuses_a_bad_spec_with_a_message(tmp_path: Path, change: str | None, message: str) -> None:
    spec = tmp_path / "absent.yaml" if change is None else _spec_with(tmp_path, change)
    process = _start_cli("--spec", str(spec))
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 2
    assert stderr.startswith("luma mock: cannot start:") and message in stderr, stderr
    assert "Traceback" not in stderr
