"""Every error this client raises: one small hierarchy rooted at :class:`LumaError`.

```
LumaError
├── ConfigurationError          no API key, a malformed environment variable
├── InputError (ValueError)     refused before sending: limits, formats, cross-field rules
├── APIError
│   ├── APIStatusError          the API answered with an error status (.status_code, .detail, .request_id, .body)
│   │   ├── BadRequestError 400, AuthenticationError 401, PaymentRequiredError 402, PermissionDeniedError 403,
│   │   ├── NotFoundError 404, ConflictError 409, PayloadTooLargeError 413, UnsupportedMediaTypeError 415,
│   │   └── UnprocessableEntityError 422, RateLimitError 429 (.retry_after), InternalServerError >= 500
│   ├── APIConnectionError      no usable response (.request_sent: whether the request may have reached the server)
│   │   └── APITimeoutError
│   └── MalformedResponseError  a success status whose body is not what the contract documents
├── GenerationFailedError       the generation ended `failed` (.failure_code, .failure_reason, .retryable)
└── WaitTimeoutError            the generation was not finished by the deadline (.generation_id, .last_state)
```

No message, repr or attribute here ever holds the API key: errors keep the status, the body, the request id and the
method + URL, never the request headers.
"""

from __future__ import annotations

from http import HTTPStatus

import httpx

from luma_agents_client import contract
from luma_agents_client.models import FailureCode, Generation, GenerationState

__all__ = [
    "RETRYABLE_FAILURE_CODES",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "GenerationFailedError",
    "InputError",
    "InternalServerError",
    "LumaError",
    "MalformedResponseError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
    "UnsupportedMediaTypeError",
    "WaitTimeoutError",
    "status_error_class",
]

# The failure codes worth retrying with the same request (openapi.yaml's FailureCode x-retryable, generated).
# Every other code, and any code this client does not know yet, needs a change first: retrying it unchanged would
# only bill again.
RETRYABLE_FAILURE_CODES: frozenset[FailureCode] = contract.RETRYABLE_FAILURE_CODES


class LumaError(Exception):
    """The base of every error raised by luma_uni."""


class ConfigurationError(LumaError):
    """The client cannot be set up: a missing API key or a malformed environment variable."""


class InputError(LumaError, ValueError):
    """The request was refused before sending: a limit, a format or a cross-field rule of the API was broken."""


class APIError(LumaError):
    """A request to the API did not produce the documented success response."""


class APIStatusError(APIError):
    """The API answered with an error status.

    ``detail`` is the documented ``{"detail": ...}`` text (None when the body was not the documented shape, e.g. a
    proxy's HTML page); ``body`` is the parsed JSON body, or the text when it was not JSON; ``response`` is the
    ``httpx.Response``, as in the official SDK (None when the error was built without one).
    """

    status_code: int
    response: httpx.Response | None = None

    def __init__(
        self,
        status_code: int,
        detail: str | None,
        *,
        request_id: str | None = None,
        body: object = None,
        retry_after: float | None = None,
    ) -> None:
        self.status_code = status_code
        self.detail = detail
        self.request_id = request_id
        self.body = body
        self.retry_after = retry_after
        super().__init__(self._message())

    def _message(self) -> str:
        try:
            phrase = HTTPStatus(self.status_code).phrase
        except ValueError:
            phrase = "Error"
        text = self.detail if self.detail is not None else _snippet(self.body)
        message = f"{self.status_code} {phrase}: {text}"
        if self.request_id:
            message += f" (request id {self.request_id})"
        return message


class BadRequestError(APIStatusError):
    """400: invalid or conflicting parameters. Nothing was queued or charged."""


class AuthenticationError(APIStatusError):
    """401: missing, invalid, revoked or expired API key."""


class PaymentRequiredError(APIStatusError):
    """402: not enough balance. Nothing was queued or charged."""


class PermissionDeniedError(APIStatusError):
    """403: the API client is suspended or deactivated (or, for a download, the presigned URL is no longer valid)."""


class NotFoundError(APIStatusError):
    """404: unknown id, an id of another API key, or a non-UUID id."""


class ConflictError(APIStatusError):
    """409: undocumented by the API; kept for parity with the official SDK."""


class PayloadTooLargeError(APIStatusError):
    """413: an input image over 50 MB, or a request body too large."""


class UnsupportedMediaTypeError(APIStatusError):
    """415: the request body was not JSON."""


class UnprocessableEntityError(APIStatusError):
    """422: an input image could not be fetched, decoded or recognised."""


class RateLimitError(APIStatusError):
    """429: the per-minute or the concurrent-jobs limit. ``retry_after`` is the server's wait in seconds."""


class InternalServerError(APIStatusError):
    """>= 500: a server-side failure (502 upstream down, 503 URL ingestion unavailable, ...)."""


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The exception class for an error status (``APIStatusError`` itself for one without its own class)."""
    if status_code >= 500:
        return InternalServerError
    return _STATUS_ERRORS.get(status_code, APIStatusError)


class APIConnectionError(APIError):
    """No usable response arrived: the connection failed, dropped or timed out.

    ``request_sent`` is False only when the request surely never reached the server (the connection was never
    made); when True, a POST may have created (and billed) a generation, so it is never retried automatically.
    """

    def __init__(self, message: str, *, method: str, url: str, request_sent: bool) -> None:
        self.method = method
        self.url = url
        self.request_sent = request_sent
        super().__init__(message)


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, write, read or waiting for a pooled connection)."""


class MalformedResponseError(APIError):
    """The API answered with a body the contract does not describe (not JSON, or JSON of the wrong shape)."""

    def __init__(self, status_code: int, reason: str, *, body: object = None, request_id: str | None = None) -> None:
        self.status_code = status_code
        self.reason = reason
        self.body = body
        self.request_id = request_id
        message = f"Malformed response (status {status_code}): {reason}"
        if request_id:
            message += f" (request id {request_id})"
        super().__init__(message)


class GenerationFailedError(LumaError):
    """The generation ended in state ``failed``.

    ``retryable`` says whether sending the same request again is worth it (see :data:`RETRYABLE_FAILURE_CODES`).
    ``failure_code`` is a :class:`FailureCode` (possibly one this client does not know, with ``is_known`` False),
    or None when the server gave none.
    """

    def __init__(self, generation: Generation) -> None:
        self.generation = generation
        code = generation.failure_code
        self.failure_code: FailureCode | None = code if isinstance(code, FailureCode) else None
        reason = generation.failure_reason
        self.failure_reason: str | None = reason if isinstance(reason, str) else None
        self.retryable = self.failure_code in RETRYABLE_FAILURE_CODES
        advice = "worth retrying unchanged" if self.retryable else "not worth retrying without a change"
        super().__init__(
            f"Generation {generation.id} failed: {self.failure_code or 'no failure_code'}"
            f" ({self.failure_reason or 'no reason given'}); {advice}"
        )


class WaitTimeoutError(LumaError):
    """The generation did not finish before the wait deadline. It goes on server-side: wait again to pick it up."""

    def __init__(self, generation_id: str, last_state: GenerationState | None, timeout: float) -> None:
        self.generation_id = generation_id
        self.last_state = last_state
        self.timeout = timeout
        super().__init__(
            f"Generation {generation_id} not finished after {timeout:g} s (last state: {last_state or 'unknown'});"
            " it continues server-side, wait again to pick it up"
        )


def _snippet(body: object, limit: int = 200) -> str:
    if body is None or body == "":
        return "(empty body)"
    text = body if isinstance(body, str) else repr(body)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
