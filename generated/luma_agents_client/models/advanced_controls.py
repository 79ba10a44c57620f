from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.depth_control import DepthControl
    from ..models.face_control import FaceControl
    from ..models.normals_control import NormalsControl
    from ..models.pose_control import PoseControl
    from ..models.trajectory_control import TrajectoryControl


T = TypeVar("T", bound="AdvancedControls")


@_attrs_define
class AdvancedControls:
    """Per-signal manual conditioning controls for video edits.

    Attributes:
        depth (DepthControl | None | Unset):
        face (FaceControl | None | Unset):
        normals (None | NormalsControl | Unset):
        pose (None | PoseControl | Unset):
        trajectory (None | TrajectoryControl | Unset):
    """

    depth: DepthControl | None | Unset = UNSET
    face: FaceControl | None | Unset = UNSET
    normals: None | NormalsControl | Unset = UNSET
    pose: None | PoseControl | Unset = UNSET
    trajectory: None | TrajectoryControl | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.depth_control import DepthControl  # noqa: PLC0415
        from ..models.face_control import FaceControl  # noqa: PLC0415
        from ..models.normals_control import NormalsControl  # noqa: PLC0415
        from ..models.pose_control import PoseControl  # noqa: PLC0415
        from ..models.trajectory_control import TrajectoryControl  # noqa: PLC0415

        depth: dict[str, Any] | None | Unset
        if isinstance(self.depth, Unset):
            depth = UNSET
        elif isinstance(self.depth, DepthControl):
            depth = self.depth.to_dict()
        else:
            depth = self.depth

        face: dict[str, Any] | None | Unset
        if isinstance(self.face, Unset):
            face = UNSET
        elif isinstance(self.face, FaceControl):
            face = self.face.to_dict()
        else:
            face = self.face

        normals: dict[str, Any] | None | Unset
        if isinstance(self.normals, Unset):
            normals = UNSET
        elif isinstance(self.normals, NormalsControl):
            normals = self.normals.to_dict()
        else:
            normals = self.normals

        pose: dict[str, Any] | None | Unset
        if isinstance(self.pose, Unset):
            pose = UNSET
        elif isinstance(self.pose, PoseControl):
            pose = self.pose.to_dict()
        else:
            pose = self.pose

        trajectory: dict[str, Any] | None | Unset
        if isinstance(self.trajectory, Unset):
            trajectory = UNSET
        elif isinstance(self.trajectory, TrajectoryControl):
            trajectory = self.trajectory.to_dict()
        else:
            trajectory = self.trajectory

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if depth is not UNSET:
            field_dict["depth"] = depth
        if face is not UNSET:
            field_dict["face"] = face
        if normals is not UNSET:
            field_dict["normals"] = normals
        if pose is not UNSET:
            field_dict["pose"] = pose
        if trajectory is not UNSET:
            field_dict["trajectory"] = trajectory

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.depth_control import DepthControl  # noqa: PLC0415
        from ..models.face_control import FaceControl  # noqa: PLC0415
        from ..models.normals_control import NormalsControl  # noqa: PLC0415
        from ..models.pose_control import PoseControl  # noqa: PLC0415
        from ..models.trajectory_control import TrajectoryControl  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_depth(data: object) -> DepthControl | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                depth_type_0 = DepthControl.from_dict(data)

                return depth_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DepthControl | None | Unset, data)

        depth = _parse_depth(d.pop("depth", UNSET))

        def _parse_face(data: object) -> FaceControl | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                face_type_0 = FaceControl.from_dict(data)

                return face_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FaceControl | None | Unset, data)

        face = _parse_face(d.pop("face", UNSET))

        def _parse_normals(data: object) -> None | NormalsControl | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                normals_type_0 = NormalsControl.from_dict(data)

                return normals_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | NormalsControl | Unset, data)

        normals = _parse_normals(d.pop("normals", UNSET))

        def _parse_pose(data: object) -> None | PoseControl | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                pose_type_0 = PoseControl.from_dict(data)

                return pose_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PoseControl | Unset, data)

        pose = _parse_pose(d.pop("pose", UNSET))

        def _parse_trajectory(data: object) -> None | TrajectoryControl | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                trajectory_type_0 = TrajectoryControl.from_dict(data)

                return trajectory_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrajectoryControl | Unset, data)

        trajectory = _parse_trajectory(d.pop("trajectory", UNSET))

        advanced_controls = cls(
            depth=depth,
            face=face,
            normals=normals,
            pose=pose,
            trajectory=trajectory,
        )

        return advanced_controls
