from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="NormalsControl")


@_attrs_define
class NormalsControl:
    """Surface-normals conditioning control.

    Attributes:
        enabled (bool | None | Unset): Enable or disable normals conditioning. Omit to use the model default.
        augmentation (float | None | Unset): Surface-normals augmentation from 0 to 1. Higher values reinterpret surface
            geometry more.
    """

    enabled: bool | None | Unset = UNSET
    augmentation: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        augmentation: float | None | Unset
        if isinstance(self.augmentation, Unset):
            augmentation = UNSET
        else:
            augmentation = self.augmentation

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if augmentation is not UNSET:
            field_dict["augmentation"] = augmentation

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

        def _parse_augmentation(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        augmentation = _parse_augmentation(d.pop("augmentation", UNSET))

        normals_control = cls(
            enabled=enabled,
            augmentation=augmentation,
        )

        return normals_control
