from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.generation_layer import GenerationLayer


T = TypeVar("T", bound="GenerationOutput")


@_attrs_define
class GenerationOutput:
    """One generated output.

    Attributes:
        type_ (str): Media type of the output, e.g. `image` or `video` (a free string, as the official SDK types it).
            Example: image.
        url (str): A presigned URL, valid for one hour (`x-lifetime-seconds`); once expired, or with any part of it
            altered, it answers 403. Every GET of the generation mints a fresh one. It answers with the file: an image in
            the requested `output_format` (`image/png` or `image/jpeg`, or the server default when the request left it out),
            an MP4 (`video/mp4`) for the video types, a PNG with alpha per layer for `layering`.
        layer (GenerationLayer | None | Unset): The layer this output is, on a `layering` generation's outputs
            (otherwise absent or null).
    """

    type_: str
    url: str
    layer: GenerationLayer | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.generation_layer import GenerationLayer  # noqa: PLC0415

        type_ = self.type_

        url = self.url

        layer: dict[str, Any] | None | Unset
        if isinstance(self.layer, Unset):
            layer = UNSET
        elif isinstance(self.layer, GenerationLayer):
            layer = self.layer.to_dict()
        else:
            layer = self.layer

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "url": url,
            }
        )
        if layer is not UNSET:
            field_dict["layer"] = layer

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.generation_layer import GenerationLayer  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        url = d.pop("url")

        def _parse_layer(data: object) -> GenerationLayer | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                layer_type_0 = GenerationLayer.from_dict(data)

                return layer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GenerationLayer | None | Unset, data)

        layer = _parse_layer(d.pop("layer", UNSET))

        generation_output = cls(
            type_=type_,
            url=url,
            layer=layer,
        )

        generation_output.additional_properties = d
        return generation_output

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
