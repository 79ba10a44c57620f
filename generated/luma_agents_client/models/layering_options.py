from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.layering_resolution import LayeringResolution
from ..types import UNSET, Unset

T = TypeVar("T", bound="LayeringOptions")


@_attrs_define
class LayeringOptions:
    """Layer-extraction options for `type: layering` (model `uni-1`). The image to split is `source`; `prompt`
    optionally guides the split (at most 500 characters, may be empty). The server plans the layers itself.

        Attributes:
            resolution (LayeringResolution | Unset): Output resolution of every extracted layer. `1k` is faster and cheaper;
                `2k` re-renders each layer at
                higher quality (priced higher, per layer).
    """

    resolution: LayeringResolution | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        resolution: str | Unset = UNSET
        if not isinstance(self.resolution, Unset):
            resolution = self.resolution.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if resolution is not UNSET:
            field_dict["resolution"] = resolution

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _resolution = d.pop("resolution", UNSET)
        resolution: LayeringResolution | Unset
        if isinstance(_resolution, Unset):
            resolution = UNSET
        else:
            resolution = LayeringResolution(_resolution)

        layering_options = cls(
            resolution=resolution,
        )

        return layering_options
