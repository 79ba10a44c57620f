from enum import StrEnum
from typing import Any


class LayeringResolution(StrEnum):
    RES_1K = "1k"
    RES_2K = "2k"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def is_known(self) -> bool:
        """False for a value the server sent that this client's spec does not list."""
        return self._name_ in type(self).__members__

    @classmethod
    def _missing_(cls, value: Any) -> "LayeringResolution | None":
        # A value from a newer server: keep it as a pseudo-member (not added to the class) so nothing is lost.
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member
