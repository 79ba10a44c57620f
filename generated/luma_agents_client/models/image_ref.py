from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageRef")


@_attrs_define
class ImageRef:
    """One input (an image; a video only as the `source` of `video_edit` and `video_reframe`), given as exactly
    one of `url` (https, publicly reachable), `data` (raw base64, not a `data:` URI, with `media_type`),
    `generation_id` (a prior generation of the same API client: chains `image_edit` off a prior image output,
    `video_edit`/`video_reframe` and `video.start_frame`/`end_frame` off a prior video output) or `file_id`
    (a file uploaded with `POST /files`, owned by the same client and `ready`; the files endpoints are not part
    of this contract). At most 50 MB decoded; JPEG, PNG, WebP or a still GIF for images
    (`x-accepted-media-types`), MP4, QuickTime or WebM for videos (`x-accepted-video-media-types`; a video
    edit's source is 18 s at most, which the mock does not check).
    Violations are refused with 400 (see `CreateGenerationRequest`'s `x-rules`), 413 or 422.

        Attributes:
            url (None | str | Unset): A publicly reachable https URL of the image, or of a video as the `source` of
                `video_edit` and
                `video_reframe` (then with a `video/*` `media_type`).
                 Example: https://example.com/photo.jpg.
            data (None | str | Unset): The image or video bytes, base64-encoded (standard alphabet, padded).
            media_type (None | str | Unset): MIME type, e.g. `image/png` or `video/mp4`. Required with `data`; required with
                `source.url` on
                `video_edit` and `video_reframe`; optional for image URLs.
                 Example: image/png.
            generation_id (None | Unset | UUID): The id of a prior, completed generation of the same API client whose output
                is the input: an image
                output for `image_edit`, a video output for `video_edit`, `video_reframe` and
                `video.start_frame`/`end_frame` (video extension).
                 Example: d290f1ee-6c54-4b01-90e6-d701748f0851.
            file_id (None | Unset | UUID): The id of a file uploaded with `POST /files` (owned by the same client, in state
                `ready`). The files
                endpoints are outside this contract.
    """

    url: None | str | Unset = UNSET
    data: None | str | Unset = UNSET
    media_type: None | str | Unset = UNSET
    generation_id: None | Unset | UUID = UNSET
    file_id: None | Unset | UUID = UNSET

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

        generation_id: None | str | Unset
        if isinstance(self.generation_id, Unset):
            generation_id = UNSET
        elif isinstance(self.generation_id, UUID):
            generation_id = str(self.generation_id)
        else:
            generation_id = self.generation_id

        file_id: None | str | Unset
        if isinstance(self.file_id, Unset):
            file_id = UNSET
        elif isinstance(self.file_id, UUID):
            file_id = str(self.file_id)
        else:
            file_id = self.file_id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if data is not UNSET:
            field_dict["data"] = data
        if media_type is not UNSET:
            field_dict["media_type"] = media_type
        if generation_id is not UNSET:
            field_dict["generation_id"] = generation_id
        if file_id is not UNSET:
            field_dict["file_id"] = file_id

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

        def _parse_generation_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                generation_id_type_0 = UUID(data)

                return generation_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        generation_id = _parse_generation_id(d.pop("generation_id", UNSET))

        def _parse_file_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                file_id_type_0 = UUID(data)

                return file_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        file_id = _parse_file_id(d.pop("file_id", UNSET))

        image_ref = cls(
            url=url,
            data=data,
            media_type=media_type,
            generation_id=generation_id,
            file_id=file_id,
        )

        return image_ref
