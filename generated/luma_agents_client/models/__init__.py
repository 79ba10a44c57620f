"""Contains all the data models used in inputs/outputs.

Each model is imported on first use (PEP 562 ``__getattr__``): class creation is most of what importing a model costs,
and a program that makes images never needs the video options' models. The ``TYPE_CHECKING`` imports show every name
to type checkers and IDEs.
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .advanced_controls import AdvancedControls
    from .aspect_ratio import AspectRatio
    from .create_generation_request import CreateGenerationRequest
    from .depth_control import DepthControl
    from .error import Error
    from .face_control import FaceControl
    from .failure_code import FailureCode
    from .generation import Generation
    from .generation_layer import GenerationLayer
    from .generation_output import GenerationOutput
    from .generation_state import GenerationState
    from .generation_type import GenerationType
    from .image_ref import ImageRef
    from .layering_options import LayeringOptions
    from .layering_resolution import LayeringResolution
    from .model import Model
    from .normals_control import NormalsControl
    from .output_format import OutputFormat
    from .pose_control import PoseControl
    from .pose_control_strength import PoseControlStrength
    from .source_position import SourcePosition
    from .style import Style
    from .trajectory_control import TrajectoryControl
    from .video_duration import VideoDuration
    from .video_edit_options import VideoEditOptions
    from .video_edit_strength import VideoEditStrength
    from .video_options import VideoOptions
    from .video_resolution import VideoResolution

__all__ = (
    "AdvancedControls",
    "AspectRatio",
    "CreateGenerationRequest",
    "DepthControl",
    "Error",
    "FaceControl",
    "FailureCode",
    "Generation",
    "GenerationLayer",
    "GenerationOutput",
    "GenerationState",
    "GenerationType",
    "ImageRef",
    "LayeringOptions",
    "LayeringResolution",
    "Model",
    "NormalsControl",
    "OutputFormat",
    "PoseControl",
    "PoseControlStrength",
    "SourcePosition",
    "Style",
    "TrajectoryControl",
    "VideoDuration",
    "VideoEditOptions",
    "VideoEditStrength",
    "VideoOptions",
    "VideoResolution",
)

# The module of each model, for ``__getattr__``.
_MODULES: dict[str, str] = {
    "AdvancedControls": "advanced_controls",
    "AspectRatio": "aspect_ratio",
    "CreateGenerationRequest": "create_generation_request",
    "DepthControl": "depth_control",
    "Error": "error",
    "FaceControl": "face_control",
    "FailureCode": "failure_code",
    "Generation": "generation",
    "GenerationLayer": "generation_layer",
    "GenerationOutput": "generation_output",
    "GenerationState": "generation_state",
    "GenerationType": "generation_type",
    "ImageRef": "image_ref",
    "LayeringOptions": "layering_options",
    "LayeringResolution": "layering_resolution",
    "Model": "model",
    "NormalsControl": "normals_control",
    "OutputFormat": "output_format",
    "PoseControl": "pose_control",
    "PoseControlStrength": "pose_control_strength",
    "SourcePosition": "source_position",
    "Style": "style",
    "TrajectoryControl": "trajectory_control",
    "VideoDuration": "video_duration",
    "VideoEditOptions": "video_edit_options",
    "VideoEditStrength": "video_edit_strength",
    "VideoOptions": "video_options",
    "VideoResolution": "video_resolution",
}


if not TYPE_CHECKING:  # type checkers see the imports above; an unknown name stays an error for them

    def __getattr__(name: str) -> object:
        """Import a model on first use and keep it, so later lookups are plain attribute reads."""
        if name not in _MODULES:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
