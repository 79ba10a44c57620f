"""Facts of openapi.yaml the handwritten client needs at run time.

Written by scripts/generate.py from the spec; do not edit (edit openapi.yaml and run `make generate`).
"""

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final, NamedTuple, Protocol, Self, TypedDict

from .models import (
    AspectRatio,
    GenerationType,
    LayeringOptions,
    Model,
    OutputFormat,
    Style,
    VideoOptions,
)
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
"""The types each model makes (CreateGenerationRequest's unsupported_type items; unlisted: every type)."""
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
RETRY_SERVER_STATUSES: Final = frozenset(
    (
        502,
        503,
    )
)
"""ServerError's x-retry-statuses: the 5xx the docs say to retry (from the API itself: nothing created)."""


class WireModel(Protocol):
    """A generated model: built from and turned into its wire JSON."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...

    def to_dict(self) -> dict[str, Any]: ...


class RequestField(NamedTuple):
    """One optional field of CreateGenerationRequest, as the client passes it to the generated model."""

    wire_name: str
    python_name: str
    """The attribute of the generated ``CreateGenerationRequest`` (the generator renames ``type`` to
    ``type_``)."""
    enum: type[StrEnum] | None
    """The enum its value is read as (a value this spec does not list is kept), for an enum field."""
    model: type[WireModel] | None
    """The model a mapping of its wire fields is read as, for an object field."""


class CreateRequestFields(TypedDict, total=False):
    """The optional fields of CreateGenerationRequest in spec order, but those carrying an ImageRef (the
    client reads paths, URLs and ``data:`` URIs into those). None leaves a field out, so the server decides.
    An enum field takes the generated enum or any string (a value this spec does not list yet is sent as is);
    an object field the generated model or a mapping of its wire fields."""

    type: GenerationType | str | None
    model: Model | str | None
    aspect_ratio: AspectRatio | str | None
    style: Style | str | None
    output_format: OutputFormat | str | None
    web_search: bool | None
    video: VideoOptions | Mapping[str, object] | None
    layering: LayeringOptions | Mapping[str, object] | None
    user_id: str | None


REQUEST_FIELDS: Final[tuple[RequestField, ...]] = (
    RequestField("type", "type_", GenerationType, None),
    RequestField("model", "model", Model, None),
    RequestField("aspect_ratio", "aspect_ratio", AspectRatio, None),
    RequestField("style", "style", Style, None),
    RequestField("output_format", "output_format", OutputFormat, None),
    RequestField("web_search", "web_search", None, None),
    RequestField("video", "video", None, VideoOptions),
    RequestField("layering", "layering", None, LayeringOptions),
    RequestField("user_id", "user_id", None, None),
)
"""The keys of CreateRequestFields: each one's generated attribute and whether it is an enum or a model."""
