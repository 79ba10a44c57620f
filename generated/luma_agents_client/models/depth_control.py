from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DepthControl")


@_attrs_define
class DepthControl:
    """Depth / scene-geometry conditioning control.

    Attributes:
        enabled (bool | None | Unset): Enable or disable depth conditioning. Omit to use the model default.
        blur (float | None | Unset): Depth-map blur amount from 0 to 1. Higher values allow more geometric freedom.
    """

    enabled: bool | None | Unset = UNSET
    blur: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        blur: float | None | Unset
        if isinstance(self.blur, Unset):
            blur = UNSET
        else:
            blur = self.blur

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if blur is not UNSET:
            field_dict["blur"] = blur

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

        def _parse_blur(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        blur = _parse_blur(d.pop("blur", UNSET))

        depth_control = cls(
            enabled=enabled,
            blur=blur,
        )

        return depth_control
