"""Client construction reads the environment like the official SDK, and says clearly what is missing."""

from __future__ import annotations

import inspect
import time

import httpx
import pytest

from conformance.spec import load_spec
from luma_uni import AsyncLuma, ConfigurationError, Luma
from luma_uni._config import DEFAULT_BASE_URL, resolve_config
from luma_uni.testing import set_time

KEY = "luma-api-0123456789abcdef0123456789abcdef"


def config(env: dict[str, str], **overrides: object) -> object:
    arguments: dict[str, object] = {
        "api_key": None,
        "base_url": None,
        "timeout": None,
        "max_retries": 2,
        "default_headers": None,
    }
    arguments.update(overrides)
    return resolve_config(env=env, **arguments)  # type: ignore[arg-type]


def test_missing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LUMA_AGENTS_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="LUMA_AGENTS_API_KEY"):
        Luma()


def test_blank_key_counts_as_missing() -> None:
    with pytest.raises(ConfigurationError, match="LUMA_AGENTS_API_KEY"):
        config({"LUMA_AGENTS_API_KEY": "  "})


def test_key_and_base_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LUMA_AGENTS_API_KEY", KEY)
    monkeypatch.setenv("LUMA_BASE_URL", "http://127.0.0.1:4010/v1/")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404, json={"detail": "Generation not found"})

    with (
        httpx.Client(transport=httpx.MockTransport(handler)) as http,
        Luma(http_client=http) as client,
        pytest.raises(Exception, match="Generation not found"),
    ):
        client.generations.get("d290f1ee-6c54-4b01-90e6-d701748f0851")
    assert str(seen[0].url) == "http://127.0.0.1:4010/v1/generations/d290f1ee-6c54-4b01-90e6-d701748f0851"
    assert seen[0].headers["authorization"] == f"Bearer {KEY}"


def test_explicit_arguments_win_over_the_environment() -> None:
    env = {"LUMA_AGENTS_API_KEY": "luma-api-from-env", "LUMA_BASE_URL": "https://env.example/v1"}
    resolved = resolve_config(
        api_key=KEY, base_url="https://arg.example/v1", timeout=None, max_retries=2, default_headers=None, env=env
    )
    assert (resolved.api_key, resolved.base_url) == (KEY, "https://arg.example/v1")


def test_default_base_url_is_the_spec_production_server() -> None:
    assert load_spec()["servers"][0]["url"] == DEFAULT_BASE_URL
    assert config({"LUMA_AGENTS_API_KEY": KEY}).base_url == DEFAULT_BASE_URL  # type: ignore[attr-defined]


def test_default_timeout_is_60_s_with_5_s_to_connect() -> None:
    timeout = config({"LUMA_AGENTS_API_KEY": KEY}).timeout  # type: ignore[attr-defined]
    assert (timeout.read, timeout.write, timeout.pool, timeout.connect) == (60.0, 60.0, 60.0, 5.0)
    short = config({"LUMA_AGENTS_API_KEY": KEY}, timeout=2).timeout  # type: ignore[attr-defined]
    assert (short.read, short.connect) == (2.0, 2.0)


def test_custom_headers_from_the_environment_and_explicit_ones_win() -> None:
    env = {"LUMA_AGENTS_API_KEY": KEY, "LUMA_CUSTOM_HEADERS": "X-Team: imaging\n\nX-Trace:  abc \n"}
    headers = config(env, default_headers={"X-Trace": "explicit"}).headers  # type: ignore[attr-defined]
    assert headers["X-Team"] == "imaging"
    assert headers["X-Trace"] == "explicit"


def test_malformed_custom_header_line_names_the_variable_not_the_value() -> None:
    env = {"LUMA_AGENTS_API_KEY": KEY, "LUMA_CUSTOM_HEADERS": "X-Ok: 1\nsecret-proxy-token-without-colon"}
    with pytest.raises(ConfigurationError, match="LUMA_CUSTOM_HEADERS line 2") as caught:
        config(env)
    assert "secret-proxy-token" not in str(caught.value)


@pytest.mark.parametrize("url", ["ftp://example.com/v1", "not a url", "https://"])
def test_bad_base_url_is_a_configuration_error(url: str) -> None:
    with pytest.raises(ConfigurationError, match="LUMA_BASE_URL"):
        config({"LUMA_AGENTS_API_KEY": KEY, "LUMA_BASE_URL": url})


def test_key_with_whitespace_inside_is_refused_without_echoing_it() -> None:
    with pytest.raises(ConfigurationError) as caught:
        config({"LUMA_AGENTS_API_KEY": "luma-api-abc def-secretpart"})
    assert "secretpart" not in str(caught.value)


@pytest.mark.parametrize("value", [-1, 1.5, True])
def test_max_retries_must_be_a_non_negative_integer(value: object) -> None:
    with pytest.raises(ConfigurationError, match="max_retries"):
        config({"LUMA_AGENTS_API_KEY": KEY}, max_retries=value)


def test_luma_log_refuses_unknown_levels() -> None:
    with pytest.raises(ConfigurationError, match="LUMA_LOG"):
        config({"LUMA_AGENTS_API_KEY": KEY, "LUMA_LOG": "chatty"})


def test_a_passed_http_client_keeps_its_timeout_and_is_not_closed() -> None:
    http = httpx.Client(timeout=7.0)
    with Luma(api_key=KEY, http_client=http):
        pass
    assert http.timeout.read == 7.0
    assert not http.is_closed
    http.close()


def test_auth_token_is_accepted_as_in_the_official_sdk() -> None:
    assert "…cdef" in repr(Luma(auth_token=KEY))
    with pytest.raises(ConfigurationError, match="same setting"):
        Luma(api_key=KEY, auth_token="luma-api-other")


@pytest.mark.parametrize("client_class", [Luma, AsyncLuma])
def test_the_constructors_name_every_setting_and_no_test_hook(client_class: type[Luma | AsyncLuma]) -> None:
    parameters = inspect.signature(client_class).parameters
    named = ["api_key", "auth_token", "base_url", "timeout", "max_retries", "default_headers", "http_client"]
    assert list(parameters) == named
    assert {parameter.kind for parameter in parameters.values()} == {inspect.Parameter.KEYWORD_ONLY}


async def _async_sleep(seconds: float) -> None:
    pass


def test_set_time_refuses_a_sleep_of_the_other_kind() -> None:
    with pytest.raises(TypeError, match="Luma's sleep must be a plain"):
        set_time(Luma(api_key=KEY), sleep=_async_sleep)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="AsyncLuma's sleep must be an async function"):
        set_time(AsyncLuma(api_key=KEY), sleep=time.sleep)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes a Luma or an AsyncLuma, not Client"):
        set_time(httpx.Client(), sleep=time.sleep)  # type: ignore[call-overload]
