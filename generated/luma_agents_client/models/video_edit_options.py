from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.video_edit_strength import VideoEditStrength
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.advanced_controls import AdvancedControls
    from ..models.image_ref import ImageRef


T = TypeVar("T", bound="VideoEditOptions")


@_attrs_define
class VideoEditOptions:
    """Ray 3.2 video-to-video edit controls. Only valid under `video.edit` when `type` is `video_edit`. The source
    video must be 18 seconds or shorter; the output's duration matches the source.

        Attributes:
            strength (None | Unset | VideoEditStrength): How much the edit preserves or reimagines the source.
            auto_controls (bool | None | Unset): When true, the model derives the control schedule from the source video.
                When omitted, supplying
                `strength` or `controls` implies manual mode.
            controls (AdvancedControls | None | Unset):
            keyframes (list[ImageRef] | None | Unset): Guide-frame images anchored at source-frame positions (parallel with
                `keyframe_indexes`), up to 64.
                Mutually exclusive with `video.start_frame`, the one-anchor form of a video edit.
            keyframe_indexes (list[int] | None | Unset): Non-negative, unique frame positions in the source video's frame
                grid, one per `keyframes` item.
    """

    strength: None | Unset | VideoEditStrength = UNSET
    auto_controls: bool | None | Unset = UNSET
    controls: AdvancedControls | None | Unset = UNSET
    keyframes: list[ImageRef] | None | Unset = UNSET
    keyframe_indexes: list[int] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.advanced_controls import AdvancedControls  # noqa: PLC0415

        strength: None | str | Unset
        if isinstance(self.strength, Unset):
            strength = UNSET
        elif isinstance(self.strength, VideoEditStrength):
            strength = self.strength.value
        else:
            strength = self.strength

        auto_controls: bool | None | Unset
        if isinstance(self.auto_controls, Unset):
            auto_controls = UNSET
        else:
            auto_controls = self.auto_controls

        controls: dict[str, Any] | None | Unset
        if isinstance(self.controls, Unset):
            controls = UNSET
        elif isinstance(self.controls, AdvancedControls):
            controls = self.controls.to_dict()
        else:
            controls = self.controls

        keyframes: list[dict[str, Any]] | None | Unset
        if isinstance(self.keyframes, Unset):
            keyframes = UNSET
        elif isinstance(self.keyframes, list):
            keyframes = []
            for keyframes_type_0_item_data in self.keyframes:
                keyframes_type_0_item = keyframes_type_0_item_data.to_dict()
                keyframes.append(keyframes_type_0_item)

        else:
            keyframes = self.keyframes

        keyframe_indexes: list[int] | None | Unset
        if isinstance(self.keyframe_indexes, Unset):
            keyframe_indexes = UNSET
        elif isinstance(self.keyframe_indexes, list):
            keyframe_indexes = self.keyframe_indexes

        else:
            keyframe_indexes = self.keyframe_indexes

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if strength is not UNSET:
            field_dict["strength"] = strength
        if auto_controls is not UNSET:
            field_dict["auto_controls"] = auto_controls
        if controls is not UNSET:
            field_dict["controls"] = controls
        if keyframes is not UNSET:
            field_dict["keyframes"] = keyframes
        if keyframe_indexes is not UNSET:
            field_dict["keyframe_indexes"] = keyframe_indexes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.advanced_controls import AdvancedControls  # noqa: PLC0415
        from ..models.image_ref import ImageRef  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_strength(data: object) -> None | Unset | VideoEditStrength:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                strength_type_0 = VideoEditStrength(data)

                return strength_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VideoEditStrength, data)

        strength = _parse_strength(d.pop("strength", UNSET))

        def _parse_auto_controls(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        auto_controls = _parse_auto_controls(d.pop("auto_controls", UNSET))

        def _parse_controls(data: object) -> AdvancedControls | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                controls_type_0 = AdvancedControls.from_dict(data)

                return controls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AdvancedControls | None | Unset, data)

        controls = _parse_controls(d.pop("controls", UNSET))

        def _parse_keyframes(data: object) -> list[ImageRef] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                keyframes_type_0 = []
                _keyframes_type_0 = data
                for keyframes_type_0_item_data in _keyframes_type_0:
                    keyframes_type_0_item = ImageRef.from_dict(keyframes_type_0_item_data)

                    keyframes_type_0.append(keyframes_type_0_item)

                return keyframes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ImageRef] | None | Unset, data)

        keyframes = _parse_keyframes(d.pop("keyframes", UNSET))

        def _parse_keyframe_indexes(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                keyframe_indexes_type_0 = cast(list[int], data)

                return keyframe_indexes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        keyframe_indexes = _parse_keyframe_indexes(d.pop("keyframe_indexes", UNSET))

        video_edit_options = cls(
            strength=strength,
            auto_controls=auto_controls,
            controls=controls,
            keyframes=keyframes,
            keyframe_indexes=keyframe_indexes,
        )

        return video_edit_options
