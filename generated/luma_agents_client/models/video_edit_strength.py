from enum import StrEnum
from typing import Any


class VideoEditStrength(StrEnum):
    ADHERE_1 = "adhere_1"
    ADHERE_2 = "adhere_2"
    ADHERE_3 = "adhere_3"
    FLEX_1 = "flex_1"
    FLEX_2 = "flex_2"
    FLEX_3 = "flex_3"
    REIMAGINE_1 = "reimagine_1"
    REIMAGINE_2 = "reimagine_2"
    REIMAGINE_3 = "reimagine_3"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def is_known(self) -> bool:
        """False for a value the server sent that this client's spec does not list."""
        return self._name_ in type(self).__members__

    @classmethod
    def _missing_(cls, value: Any) -> "VideoEditStrength | None":
        # A value from a newer server: keep it as a pseudo-member (not added to the class) so nothing is lost.
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member
