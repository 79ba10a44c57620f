from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageRef")


@_attrs_define
class ImageRef:
    """One input image, given as exactly one of `url` (https, publicly reachable) or `data` (raw base64, not a
    `data:` URI, with `media_type`). At most 50 MB decoded; JPEG, PNG, WebP or a still GIF.
    Violations are refused with 400 (`<path>: provide either 'url' or 'data', not both|neither`,
    `<path>: 'media_type' is required with 'data'`), 413 or 422.

        Attributes:
            url (None | str | Unset): A publicly reachable https URL of the image. Example: https://example.com/photo.jpg.
            data (None | str | Unset): The image bytes, base64-encoded (standard alphabet, padded).
            media_type (None | str | Unset): MIME type of `data`, e.g. `image/png`. Required with `data`. Example:
                image/png.
    """

    url: None | str | Unset = UNSET
    data: None | str | Unset = UNSET
    media_type: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        data: None | str | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        else:
            data = self.data

        media_type: None | str | Unset
        if isinstance(self.media_type, Unset):
            media_type = UNSET
        else:
            media_type = self.media_type

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if data is not UNSET:
            field_dict["data"] = data
        if media_type is not UNSET:
            field_dict["media_type"] = media_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        def _parse_data(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        def _parse_media_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        media_type = _parse_media_type(d.pop("media_type", UNSET))

        image_ref = cls(
            url=url,
            data=data,
            media_type=media_type,
        )

        return image_ref
