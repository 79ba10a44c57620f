"""Contains shared errors types that can be raised from API functions"""


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


class MalformedResponse(UnexpectedStatus):
    """Raised when a documented status arrives with a body that does not parse as documented
    (a proxy's HTML error page, truncated JSON, a payload of the wrong shape).

    Always raised, whatever ``raise_on_unexpected_status`` says: the status and raw body are kept here.
    """

    def __init__(self, status_code: int, content: bytes, reason: str):
        self.reason = reason
        super().__init__(status_code, content)
        self.args = (f"Malformed response body for status {status_code}: {reason}",)


__all__ = ["MalformedResponse", "UnexpectedStatus"]
