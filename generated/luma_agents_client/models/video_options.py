from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.video_duration import VideoDuration
from ..models.video_resolution import VideoResolution
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_ref import ImageRef
    from ..models.source_position import SourcePosition
    from ..models.video_edit_options import VideoEditOptions


T = TypeVar("T", bound="VideoOptions")


@_attrs_define
class VideoOptions:
    """Ray 3.2 video options, valid for `type` `video`, `video_edit` and `video_reframe`; video-to-video
    conditioning lives under `edit`.

        Attributes:
            duration (None | Unset | VideoDuration): Video duration. Server default `5s`; a `video_edit` keeps its source's
                duration.
            resolution (None | Unset | VideoResolution): Output resolution. Server default `720p` (our choice; the docs name
                none).
            hdr (bool | None | Unset): Generate HDR video (requires HDR access). Not supported for `video_reframe`. Server
                default `false`.
            exr_export (bool | None | Unset): Export EXR alongside the MP4. Requires `hdr`. Server default `false`.
            loop (bool | None | Unset): Generate a seamlessly looping video. Only for `type: video`; not with duration `10s`
                or `hdr`.
                Server default `false`.
            start_frame (ImageRef | None | Unset): The first frame (image-to-video), or a prior video to extend
                (`generation_id`), for `type: video`; the
                one anchor frame of a `video_edit` (its several-anchor form is `edit.keyframes`, exclusive with this).
                Part of the legacy two-frame surface: 5 s only, no `hdr`.
            end_frame (ImageRef | None | Unset): The last frame, or a prior video to extend backwards (`generation_id`).
                Only for `type: video`. Part of
                the legacy two-frame surface: 5 s only, no `hdr`.
            keyframes (list[ImageRef] | None | Unset): Image-to-video guide frames (`type: video` only), each pinned to an
                output frame by the parallel
                `keyframe_indexes`; 1 to 64 anchors. Supports any position, 10 s and HDR. Mutually exclusive with
                `start_frame`, `end_frame` and `loop`. For video-to-video keyframes use `edit.keyframes`.
            keyframe_indexes (list[int] | None | Unset): Non-negative, unique output-frame positions, one per `keyframes`
                item, on the duration × 24 fps grid
                (`5s` → 0..120, `10s` → 0..240).
            source_position (None | SourcePosition | Unset): Where the source sits inside the output canvas. Only for
                `video_reframe`.
            edit (None | Unset | VideoEditOptions): Video-to-video edit controls. Only for `type: video_edit`.
    """

    duration: None | Unset | VideoDuration = UNSET
    resolution: None | Unset | VideoResolution = UNSET
    hdr: bool | None | Unset = UNSET
    exr_export: bool | None | Unset = UNSET
    loop: bool | None | Unset = UNSET
    start_frame: ImageRef | None | Unset = UNSET
    end_frame: ImageRef | None | Unset = UNSET
    keyframes: list[ImageRef] | None | Unset = UNSET
    keyframe_indexes: list[int] | None | Unset = UNSET
    source_position: None | SourcePosition | Unset = UNSET
    edit: None | Unset | VideoEditOptions = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.image_ref import ImageRef  # noqa: PLC0415
        from ..models.source_position import SourcePosition  # noqa: PLC0415
        from ..models.video_edit_options import VideoEditOptions  # noqa: PLC0415

        duration: None | str | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        elif isinstance(self.duration, VideoDuration):
            duration = self.duration.value
        else:
            duration = self.duration

        resolution: None | str | Unset
        if isinstance(self.resolution, Unset):
            resolution = UNSET
        elif isinstance(self.resolution, VideoResolution):
            resolution = self.resolution.value
        else:
            resolution = self.resolution

        hdr: bool | None | Unset
        if isinstance(self.hdr, Unset):
            hdr = UNSET
        else:
            hdr = self.hdr

        exr_export: bool | None | Unset
        if isinstance(self.exr_export, Unset):
            exr_export = UNSET
        else:
            exr_export = self.exr_export

        loop: bool | None | Unset
        if isinstance(self.loop, Unset):
            loop = UNSET
        else:
            loop = self.loop

        start_frame: dict[str, Any] | None | Unset
        if isinstance(self.start_frame, Unset):
            start_frame = UNSET
        elif isinstance(self.start_frame, ImageRef):
            start_frame = self.start_frame.to_dict()
        else:
            start_frame = self.start_frame

        end_frame: dict[str, Any] | None | Unset
        if isinstance(self.end_frame, Unset):
            end_frame = UNSET
        elif isinstance(self.end_frame, ImageRef):
            end_frame = self.end_frame.to_dict()
        else:
            end_frame = self.end_frame

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

        source_position: dict[str, Any] | None | Unset
        if isinstance(self.source_position, Unset):
            source_position = UNSET
        elif isinstance(self.source_position, SourcePosition):
            source_position = self.source_position.to_dict()
        else:
            source_position = self.source_position

        edit: dict[str, Any] | None | Unset
        if isinstance(self.edit, Unset):
            edit = UNSET
        elif isinstance(self.edit, VideoEditOptions):
            edit = self.edit.to_dict()
        else:
            edit = self.edit

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if duration is not UNSET:
            field_dict["duration"] = duration
        if resolution is not UNSET:
            field_dict["resolution"] = resolution
        if hdr is not UNSET:
            field_dict["hdr"] = hdr
        if exr_export is not UNSET:
            field_dict["exr_export"] = exr_export
        if loop is not UNSET:
            field_dict["loop"] = loop
        if start_frame is not UNSET:
            field_dict["start_frame"] = start_frame
        if end_frame is not UNSET:
            field_dict["end_frame"] = end_frame
        if keyframes is not UNSET:
            field_dict["keyframes"] = keyframes
        if keyframe_indexes is not UNSET:
            field_dict["keyframe_indexes"] = keyframe_indexes
        if source_position is not UNSET:
            field_dict["source_position"] = source_position
        if edit is not UNSET:
            field_dict["edit"] = edit

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_ref import ImageRef  # noqa: PLC0415
        from ..models.source_position import SourcePosition  # noqa: PLC0415
        from ..models.video_edit_options import VideoEditOptions  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_duration(data: object) -> None | Unset | VideoDuration:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                duration_type_0 = VideoDuration(data)

                return duration_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VideoDuration, data)

        duration = _parse_duration(d.pop("duration", UNSET))

        def _parse_resolution(data: object) -> None | Unset | VideoResolution:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolution_type_0 = VideoResolution(data)

                return resolution_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VideoResolution, data)

        resolution = _parse_resolution(d.pop("resolution", UNSET))

        def _parse_hdr(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        hdr = _parse_hdr(d.pop("hdr", UNSET))

        def _parse_exr_export(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        exr_export = _parse_exr_export(d.pop("exr_export", UNSET))

        def _parse_loop(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        loop = _parse_loop(d.pop("loop", UNSET))

        def _parse_start_frame(data: object) -> ImageRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                start_frame_type_0 = ImageRef.from_dict(data)

                return start_frame_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageRef | None | Unset, data)

        start_frame = _parse_start_frame(d.pop("start_frame", UNSET))

        def _parse_end_frame(data: object) -> ImageRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                end_frame_type_0 = ImageRef.from_dict(data)

                return end_frame_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageRef | None | Unset, data)

        end_frame = _parse_end_frame(d.pop("end_frame", UNSET))

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

        def _parse_source_position(data: object) -> None | SourcePosition | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                source_position_type_0 = SourcePosition.from_dict(data)

                return source_position_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SourcePosition | Unset, data)

        source_position = _parse_source_position(d.pop("source_position", UNSET))

        def _parse_edit(data: object) -> None | Unset | VideoEditOptions:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                edit_type_0 = VideoEditOptions.from_dict(data)

                return edit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VideoEditOptions, data)

        edit = _parse_edit(d.pop("edit", UNSET))

        video_options = cls(
            duration=duration,
            resolution=resolution,
            hdr=hdr,
            exr_export=exr_export,
            loop=loop,
            start_frame=start_frame,
            end_frame=end_frame,
            keyframes=keyframes,
            keyframe_indexes=keyframe_indexes,
            source_position=source_position,
            edit=edit,
        )

        return video_options
