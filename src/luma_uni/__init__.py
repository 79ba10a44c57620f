"""luma_uni: the layer users want on top of the generated Luma Agents client.

```python
from luma_uni import Luma

with Luma() as client:  # LUMA_AGENTS_API_KEY from the environment
    generation = client.generations.create_and_wait(prompt="A lighthouse on a cliff at dusk")
    paths = client.generations.download(generation, "out")
```

Every public name is imported on first use (PEP 562 ``__getattr__``): ``import luma_uni`` loads neither httpx nor
the generated package, so a program (or a CLI's ``--help``) that only imports it pays nothing; the cost moves to the
first use of ``Luma`` and friends. The ``TYPE_CHECKING`` imports below show every name to type checkers and IDEs.
"""

import importlib
from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
    from luma_agents_client.models import (
        AspectRatio,
        FailureCode,
        Generation,
        GenerationLayer,
        GenerationOutput,
        GenerationState,
        GenerationType,
        ImageRef,
        LayeringOptions,
        LayeringResolution,
        Model,
        OutputFormat,
        Style,
        VideoDuration,
        VideoEditOptions,
        VideoEditStrength,
        VideoOptions,
        VideoResolution,
    )

    from . import errors
    from ._client import AsyncLuma, Luma
    from ._generations import AsyncGenerations, Generations
    from ._polling import poll_delay
    from ._raw import RawResponse
    from .errors import (
        APIConnectionError,
        APIError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConfigurationError,
        ConflictError,
        GenerationFailedError,
        InputError,
        InternalServerError,
        LumaError,
        MalformedResponseError,
        NotFoundError,
        PayloadTooLargeError,
        PaymentRequiredError,
        PermissionDeniedError,
        RateLimitError,
        UnprocessableEntityError,
        UnsupportedMediaTypeError,
        WaitTimeoutError,
    )

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AspectRatio",
    "AsyncGenerations",
    "AsyncLuma",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "FailureCode",
    "Generation",
    "GenerationFailedError",
    "GenerationLayer",
    "GenerationOutput",
    "GenerationState",
    "GenerationType",
    "Generations",
    "ImageRef",
    "InputError",
    "InternalServerError",
    "LayeringOptions",
    "LayeringResolution",
    "Luma",
    "LumaError",
    "MalformedResponseError",
    "Model",
    "NotFoundError",
    "OutputFormat",
    "PayloadTooLargeError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "Style",
    "UnprocessableEntityError",
    "UnsupportedMediaTypeError",
    "VideoDuration",
    "VideoEditOptions",
    "VideoEditStrength",
    "VideoOptions",
    "VideoResolution",
    "WaitTimeoutError",
    "__version__",
    "errors",
    "poll_delay",
]


# The generated models re-exported (the types luma_uni returns, and accepts besides plain strings and dicts).
_MODELS = (
    *("AspectRatio", "FailureCode", "Generation", "GenerationLayer", "GenerationOutput", "GenerationState"),
    *("GenerationType", "ImageRef", "LayeringOptions", "LayeringResolution", "Model", "OutputFormat", "Style"),
    *("VideoDuration", "VideoEditOptions", "VideoEditStrength", "VideoOptions", "VideoResolution"),
)

# Where each public name lives, for ``__getattr__`` (tests/client/test_lazy_import.py checks it against __all__ and
# the imports above): the errors by their suffix, the rest by name.
_HOMES: dict[str, str] = {
    **{name: "luma_uni.errors" for name in __all__ if name.endswith("Error")},
    **dict.fromkeys(_MODELS, "luma_agents_client.models"),
    "Luma": "luma_uni._client",
    "AsyncLuma": "luma_uni._client",
    "Generations": "luma_uni._generations",
    "AsyncGenerations": "luma_uni._generations",
    "RawResponse": "luma_uni._raw",
    "poll_delay": "luma_uni._polling",
}


if not TYPE_CHECKING:  # type checkers see the imports above; an unknown name stays an error for them

    def __getattr__(name: str) -> object:
        """Import a public name on first use and keep it, so later lookups are plain attribute reads."""
        if name == "errors":
            value: object = importlib.import_module("luma_uni.errors")
        elif name in _HOMES:
            value = getattr(importlib.import_module(_HOMES[name]), name)
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
