from enum import StrEnum
from typing import Any


class AspectRatio(StrEnum):
    RATIO_3_1 = "3:1"
    RATIO_2_1 = "2:1"
    RATIO_21_9 = "21:9"
    RATIO_16_9 = "16:9"
    RATIO_4_3 = "4:3"
    RATIO_3_2 = "3:2"
    RATIO_1_1 = "1:1"
    RATIO_3_4 = "3:4"
    RATIO_2_3 = "2:3"
    RATIO_9_16 = "9:16"
    RATIO_1_2 = "1:2"
    RATIO_1_3 = "1:3"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def is_known(self) -> bool:
        """False for a value the server sent that this client's spec does not list."""
        return self._name_ in type(self).__members__

    @classmethod
    def _missing_(cls, value: Any) -> "AspectRatio | None":
        # A value from a newer server: keep it as a pseudo-member (not added to the class) so nothing is lost.
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        return member
