from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TrajectoryControl")


@_attrs_define
class TrajectoryControl:
    """Motion-trajectory conditioning control.

    Attributes:
        enabled (bool | None | Unset): Enable or disable trajectory conditioning. Omit to use the model default.
        sparsity (float | None | Unset): Point-trajectory sparsity from 0 to 1. Higher values use fewer motion anchors.
    """

    enabled: bool | None | Unset = UNSET
    sparsity: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        sparsity: float | None | Unset
        if isinstance(self.sparsity, Unset):
            sparsity = UNSET
        else:
            sparsity = self.sparsity

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if sparsity is not UNSET:
            field_dict["sparsity"] = sparsity

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

        def _parse_sparsity(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        sparsity = _parse_sparsity(d.pop("sparsity", UNSET))

        trajectory_control = cls(
            enabled=enabled,
            sparsity=sparsity,
        )

        return trajectory_control
