"""What a call and a client cost, counted rather than timed (a timed assertion cannot hold on a shared machine;
``make bench`` times them against raw httpx). Each test guards work the client once did on every call or at every
start (issue 20, bench/README.md) and fails when it comes back.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import pytest

from conformance.spec import load_spec
from luma_agents_client import contract
from luma_agents_client.models import Generation
from luma_uni import Luma

CALLS = 20
KEY = "luma-api-work-counted"


def _answer(request: httpx.Request) -> httpx.Response:
    name = "GenerationQueued" if request.method == "POST" else "GenerationCompleted"
    return httpx.Response(
        201 if request.method == "POST" else 200, json=load_spec()["components"]["examples"][name]["value"]
    )


@pytest.fixture
def client() -> Iterator[Luma]:
    with httpx.Client(transport=httpx.MockTransport(_answer)) as http:
        luma = Luma(api_key=KEY, base_url="https://api.work.test/v1", http_client=http)
        luma.generations.get(luma.generations.create(prompt="warm-up").id)  # first calls may build what is kept
        yield luma


def _create_and_get(client: Luma) -> None:
    for _ in range(CALLS):
        client.generations.get(client.generations.create(prompt="a lighthouse").id)


def _counting(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, counts: bool = True) -> list[Any]:
    """Record the first argument of every call of ``owner.name`` (a method or a classmethod) that ``counts``."""
    calls: list[Any] = []
    original = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted if counts else original)
    return calls


def test_each_url_is_parsed_once(client: Luma, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing a URL string is most of what building a request costs httpx: the create URL, and a generation's
    URL polled again and again, are parsed once."""
    parsed = _counting(monkeypatch, httpx.URL, "__init__")
    _create_and_get(client)
    from_text = [args for args in parsed if len(args) > 1 and isinstance(args[1], str)]
    assert from_text == []


def test_the_clients_headers_are_built_once(client: Luma, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key and the default headers are normalised into httpx.Headers when the client is made, not per call."""
    built = _counting(monkeypatch, httpx.Headers, "__init__")
    _create_and_get(client)
    ours = [args for args in built if len(args) > 1 and _names_the_key(args[1])]
    assert ours == []


def _names_the_key(headers: object) -> bool:
    return (
        isinstance(headers, Mapping)
        and not isinstance(headers, httpx.Headers)
        and any(str(name).lower() == "authorization" for name in headers)
    )


def test_each_response_is_parsed_once(client: Luma, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    original = Generation.from_dict.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Generation], src_dict: Mapping[str, Any]) -> Generation:
        nonlocal calls
        calls += 1
        generation: Generation = original(cls, src_dict)
        return generation

    monkeypatch.setattr(Generation, "from_dict", classmethod(counted))
    _create_and_get(client)
    assert calls == 2 * CALLS


def test_a_client_imports_none_of_what_only_some_requests_use() -> None:
    """Class creation (attrs compiling each model's methods) is most of what importing the client costs: a client
    loads neither the models of the object options (video, layering: contract.REQUEST_FIELDS names them) nor the
    downloads, until a request needs them; and the models package alone loads no model."""
    probe = (
        "import sys, luma_agents_client.models as models\n"
        "print(sorted(name for name in sys.modules if name.startswith('luma_agents_client.models.')))\n"
        "from luma_uni import Luma\n"
        "from luma_agents_client import contract\n"
        "Luma(api_key='luma-api-x').generations\n"
        "options = {models._MODULES[field.model_name] for field in contract.REQUEST_FIELDS if field.model_name}\n"
        "print(sorted(name for name in sys.modules if name.rpartition('.')[2] in {'_downloads', *options}))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.splitlines()
    assert any(field.model_name for field in contract.REQUEST_FIELDS)  # else this test checks nothing
    assert out == ["[]", "[]"]
