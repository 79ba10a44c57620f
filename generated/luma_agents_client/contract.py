"""Facts of openapi.yaml the handwritten client needs at run time.

Written by scripts/generate.py from the spec; do not edit (edit openapi.yaml and run `make generate`).
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from .models.failure_code import FailureCode

API_VERSION: Final = "2026-04-01"
"""info.version: the wire version the server answers with in ``X-API-Version``."""
PRODUCTION_BASE_URL: Final = "https://agents.lumalabs.ai/v1"
"""The first of servers."""
PROMPT_MIN_LENGTH: Final = 0
PROMPT_MAX_LENGTH: Final = 6000
USER_ID_MAX_LENGTH: Final = 256
IMAGE_REF_MAX_ITEMS: Final = 9
MAX_IMAGE_BYTES: Final = 52428800
"""ImageRef's x-max-decoded-bytes: the size limit of one input image, decoded."""
ACCEPTED_MEDIA_TYPES: Final = frozenset(
    (
        "image/gif",
        "image/jpeg",
        "image/png",
        "image/webp",
    )
)
"""ImageRef's x-accepted-media-types."""
ACCEPTED_VIDEO_MEDIA_TYPES: Final = frozenset(
    (
        "video/mp4",
        "video/quicktime",
        "video/webm",
    )
)
"""ImageRef's x-accepted-video-media-types (a video input: the source of a video edit or reframe)."""
MODEL_TYPES: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "uni-1": frozenset(
            (
                "image",
                "image_edit",
                "layering",
            )
        ),
        "uni-1-max": frozenset(
            (
                "image",
                "image_edit",
            )
        ),
        "ray-3.2": frozenset(
            (
                "video",
                "video_edit",
                "video_reframe",
            )
        ),
    }
)
"""Model's x-models: the generation types each model makes (a model not listed makes every type)."""
SERVER_DEFAULTS: Final[Mapping[str, object]] = MappingProxyType(
    {
        "type": "image",
        "model": "uni-1",
        "style": "auto",
        "output_format": "png",
        "web_search": False,
        "image_ref": (),
    }
)
"""Each CreateGenerationRequest field's x-server-default: what the server decides when it is left out."""
RETRYABLE_FAILURE_CODES: Final[frozenset[FailureCode]] = frozenset(
    (
        FailureCode.GENERATION_FAILED,
        FailureCode.OUTPUT_NOT_FOUND,
        FailureCode.RATE_LIMITED,
    )
)
"""FailureCode's x-retryable: the failure codes worth retrying with the same request."""
