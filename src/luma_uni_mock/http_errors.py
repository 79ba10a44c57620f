"""The one exception every rule raises to answer with a documented status and ``{"detail": ...}`` body, and the
fixed details. (Named apart from the client's ``luma_uni.errors`` and the generated ``errors``.)"""

from __future__ import annotations

from collections.abc import Sequence

# A detail quoting a huge request value stays readable: cut to this many characters, the cut marked. The spec sets
# no length (Error.detail is "a human-readable explanation"), so the numbers are the mock's, kept out of the code.
MAX_DETAIL_CHARS = 500
_CUT_MARK = "…"
_KEPT_CHARS = MAX_DETAIL_CHARS - len(_CUT_MARK)


class HttpError(Exception):
    """Stop handling the request and answer ``status`` with ``{"detail": detail}`` (plus extra headers). ``fact``
    names what refused the request (an x-rule's id, ``<field path>.<schema keyword>``, a fact of ImageRef or of the
    security scheme), for the ``X-Mock-Choice`` header when the refusal rests only on a choice of the spec."""

    def __init__(
        self, status: int, detail: str, headers: Sequence[tuple[str, str]] = (), *, fact: str | None = None
    ) -> None:
        if len(detail) > MAX_DETAIL_CHARS:  # pragma: no mutate
            detail = detail[:_KEPT_CHARS] + _CUT_MARK
        super().__init__(f"{status}: {detail}")  # pragma: no mutate
        self.status = status
        self.detail = detail
        self.headers = tuple(headers)
        self.fact = fact

    def resting_on_a_choice(self) -> HttpError:
        """The same refusal, saying it rests only on a choice of the spec (``X-Mock-Choice: <fact>``)."""
        header = (CHOICE_HEADER, self.fact or "choice")  # pragma: no mutate
        return HttpError(self.status, self.detail, (*self.headers, header))


def bad_request(detail: str) -> HttpError:
    return HttpError(400, detail)


# Sent by the mock only (never by the API, so not in openapi.yaml) on a refusal that rests only on a choice of the
# spec: the rule id or fact that refused. MockConfig.lenient_choices turns such refusals off.
CHOICE_HEADER = "X-Mock-Choice"
NOT_FOUND = "Not Found"  # an unknown route (not an unknown generation)
METHOD_NOT_ALLOWED = "Method Not Allowed"
GENERATION_NOT_FOUND = "Generation not found"
UNSUPPORTED_MEDIA_TYPE = "Content-Type must be application/json"
INVALID_JSON = "Request body is not valid JSON"
# An internal bug becomes this documented 5xx (never a 500 with a traceback); the traceback goes to the log.
INTERNAL_ERROR_STATUS = 502
INTERNAL_ERROR = "Upstream service unavailable"


def body_too_large(limit: int) -> HttpError:
    return HttpError(413, f"Request body exceeds the {limit}-byte limit")
