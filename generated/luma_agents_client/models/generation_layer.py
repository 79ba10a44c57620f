from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GenerationLayer")


@_attrs_define
class GenerationLayer:
    """Per-layer semantics of a `layering` output.

    Attributes:
        index (int): The layer's position, front to back; the last layer is the background.
        label (str): A short (one or two word) name of the layer. Example: sky.
        description (str): A caption of the layer's content.
        alpha_hint (str): Edge treatment of the layer's transparency: `soft` (hair, fur, glass), `hard` (solid edges) or
            `none`
            (the opaque background). A free string, as the official SDK types it.
             Example: soft.
    """

    index: int
    label: str
    description: str
    alpha_hint: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        label = self.label

        description = self.description

        alpha_hint = self.alpha_hint

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "label": label,
                "description": description,
                "alpha_hint": alpha_hint,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        label = d.pop("label")

        description = d.pop("description")

        alpha_hint = d.pop("alpha_hint")

        generation_layer = cls(
            index=index,
            label=label,
            description=description,
            alpha_hint=alpha_hint,
        )

        generation_layer.additional_properties = d
        return generation_layer

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
