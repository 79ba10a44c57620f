"""Contains all the data models used in inputs/outputs"""

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
