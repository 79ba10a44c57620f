"""The proxy on a socket in a background thread (the CLI, tests, scripts): its base URL and the inspector holding
what the traffic showed. Leaving the ``with`` block stops it after the requests in flight, so every exchange is
judged before the caller reads the findings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from luma_uni_checks.spec import Spec
from luma_uni_mock.serve import root_url, serve_app

from .app import ProxyApp
from .config import ProxyConfig
from .inspector import Inspector


@dataclass(frozen=True)
class RunningProxy:
    config: ProxyConfig
    host: str
    port: int
    inspector: Inspector

    @property
    def base_url(self) -> str:
        """What a client takes instead of upstream's base URL (the same path under the proxy's origin)."""
        return f"{root_url(self.host, self.port)}{self.config.base_path}"


@contextmanager
def serve_in_thread(
    config: ProxyConfig,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    spec: Spec | None = None,
    emit: Callable[[str], None] = print,
) -> Iterator[RunningProxy]:
    """Serve the proxy for the duration of the ``with`` block (port 0 picks a free one); ``spec`` defaults to the
    one ``config`` names, ``emit`` gets one line per finding."""
    inspector = Inspector(spec or Spec.load(config.spec_path), emit=emit)
    with serve_app(ProxyApp(config, inspector), host, port, lifespan="on") as bound:
        yield RunningProxy(config, host, bound, inspector)
