"""The ASGI types, defined once (as uvicorn's ``_types.py``): the mock's handlers, and the suite's middleware and
servers, all use these. The suite may import the mock; the mock imports nothing of the suite."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]
"""Raw response headers as ASGI sends them."""
