from enum import StrEnum
from typing import Any


class FailureCode(StrEnum):
    CONTENT_MODERATED = "content_moderated"
    GENERATION_FAILED = "generation_failed"
    BUDGET_EXHAUSTED = "budget_exhausted"
    OUTPUT_NOT_FOUND = "output_not_found"
    IMAGE_TOO_LARGE = "image_too_large"
    UNSUPPORTED_FORMAT = "unsupported_format"
    CORRUPT_INPUT = "corrupt_input"
    INVALID_REQUEST = "invalid_request"
    RATE_LIMITED = "rate_limited"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def is_known(self) -> bool:
        """False for a value the server sent that this client's spec does not list."""
        return self._name_ in type(self).__members__

    @classmethod
    def _missing_(cls, value: Any) -> "FailureCode | None":
        # A value from a newer server: keep it as a pseudo-member (not added to the class) so nothing is lost.
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member
