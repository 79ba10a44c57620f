from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.pose_control_strength import PoseControlStrength
from ..types import UNSET, Unset

T = TypeVar("T", bound="PoseControl")


@_attrs_define
class PoseControl:
    """Pose / skeleton conditioning control.

    Attributes:
        enabled (bool | None | Unset): Enable or disable pose conditioning. Omit to use the model default.
        strength (None | PoseControlStrength | Unset): Pose-conditioning strength.
    """

    enabled: bool | None | Unset = UNSET
    strength: None | PoseControlStrength | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        strength: None | str | Unset
        if isinstance(self.strength, Unset):
            strength = UNSET
        elif isinstance(self.strength, PoseControlStrength):
            strength = self.strength.value
        else:
            strength = self.strength

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if strength is not UNSET:
            field_dict["strength"] = strength

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        def _parse_strength(data: object) -> None | PoseControlStrength | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                strength_type_0 = PoseControlStrength(data)

                return strength_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PoseControlStrength | Unset, data)

        strength = _parse_strength(d.pop("strength", UNSET))

        pose_control = cls(
            enabled=enabled,
            strength=strength,
        )

        return pose_control
