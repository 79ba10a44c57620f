"""Contains all the data models used in inputs/outputs"""

from .aspect_ratio import AspectRatio
from .create_generation_request import CreateGenerationRequest
from .error import Error
from .failure_code import FailureCode
from .generation import Generation
from .generation_output import GenerationOutput
from .generation_state import GenerationState
from .generation_type import GenerationType
from .image_ref import ImageRef
from .model import Model
from .output_format import OutputFormat
from .style import Style

__all__ = (
    "AspectRatio",
    "CreateGenerationRequest",
    "Error",
    "FailureCode",
    "Generation",
    "GenerationOutput",
    "GenerationState",
    "GenerationType",
    "ImageRef",
    "Model",
    "OutputFormat",
    "Style",
)
