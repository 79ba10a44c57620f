"""Facts of openapi.yaml the handwritten client needs at run time.

Written by scripts/generate.py from the spec; do not edit (edit openapi.yaml and run `make generate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, NamedTuple, Protocol, Self, TypedDict

from . import models
from .models import AspectRatio, GenerationType, Model, OutputFormat, Style
from .models.failure_code import FailureCode

if TYPE_CHECKING:
    from .models import LayeringOptions, VideoOptions

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
FACT_SOURCES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "PROMPT_MAX_LENGTH": "docs: guides/image-generation and guides/error-handling: 'Prompt must be between 1 and 6000 characters', for an empty prompt too (the API reference gives no bounds)",
        "USER_ID_MAX_LENGTH": "docs: api/resources/generations/methods/create: user_id maxLength 256",
        "IMAGE_REF_MAX_ITEMS": "sdk: types/generation_create_params.py: Up to 9 for type 'image', up to 8 for type 'image_edit'.",
        "MAX_IMAGE_BYTES": "docs: guides/faq (older copy): at most 50 MB per image (52,428,800 bytes), for source and each image_ref, by URL or base64 (counted decoded)",
        "ACCEPTED_MEDIA_TYPES": "docs: guides/faq (older copy): JPEG, PNG, WebP and GIF (a single still frame); other content gets 422 'content-type is not an image'",
        "ACCEPTED_VIDEO_MEDIA_TYPES": "choice: MP4, QuickTime and WebM, sniffed, with the image limit of 50 MB: the SDK says only 'video/* MIME' and no source gives a video's formats or size",
        "RETRYABLE_FAILURE_CODES": "choice: the docs' failure table says retry for generation_failed and output_not_found (guides/faq, older copy); rate_limited's 'retry with backoff' comes from a third-party summary of the docs",
        "RETRY_SERVER_STATUSES": "docs: guides/error-handling: 502 'Upstream service unavailable', retry after 5–10 s; 503 'Image URL ingestion unavailable', retry or send base64; guides/faq (older copy): errors at submit time are never charged",
        "MODEL_TYPES['uni-1']": "docs: guides/error-handling (older copy): 400 \"Type 'video' is not supported for model 'uni-1'\"",
        "MODEL_TYPES['uni-1-max']": "sdk: types/generation_create_params.py: Layer-extraction options for type=layering (model uni-1).",
        "MODEL_TYPES['ray-3.2']": "sdk: types/generation_create_params.py: `ray-3.2` is the public video model for text-to-video, image-to-video, and video-to-video editing.",
        "SERVER_DEFAULTS['type']": "docs: api/resources/generations/methods/create: type defaults to image, model to uni-1, style to auto, web_search to false; the model page (older copy) shows image_ref's default []",
        "SERVER_DEFAULTS['model']": "docs: api/resources/generations/methods/create: type defaults to image, model to uni-1, style to auto, web_search to false; the model page (older copy) shows image_ref's default []",
        "SERVER_DEFAULTS['style']": "docs: api/resources/generations/methods/create: type defaults to image, model to uni-1, style to auto, web_search to false; the model page (older copy) shows image_ref's default []",
        "SERVER_DEFAULTS['output_format']": "choice: every documented output is output.png and no JPEG default is ever shown, though the docs say 'unset: the model picks'",
        "SERVER_DEFAULTS['web_search']": "docs: api/resources/generations/methods/create: type defaults to image, model to uni-1, style to auto, web_search to false; the model page (older copy) shows image_ref's default []",
        "SERVER_DEFAULTS['image_ref']": "docs: api/resources/generations/methods/create: type defaults to image, model to uni-1, style to auto, web_search to false; the model page (older copy) shows image_ref's default []",
    }
)
"""Where each fact above comes from (its x-source in openapi.yaml): ``sdk: <file of luma-agents>:
<sentence>``, ``docs: <page>: <what it says>`` or ``choice: <why this contract chose it>``."""


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
    model_name: str | None
    """The model a mapping of its wire fields is read as, for an object field: its name, so that importing
    this module imports no model only some requests use (the models package imports each on first use)."""

    @property
    def model(self) -> type[WireModel] | None:
        """The model named by ``model_name``."""
        if self.model_name is None:
            return None
        model: type[WireModel] = getattr(models, self.model_name)
        return model


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
    RequestField("video", "video", None, "VideoOptions"),
    RequestField("layering", "layering", None, "LayeringOptions"),
    RequestField("user_id", "user_id", None, None),
)
"""The keys of CreateRequestFields: each one's generated attribute and whether it is an enum or a model."""
