"""luma_uni: the layer users want on top of the generated Luma Agents client.

```python
from luma_uni import Luma

with Luma() as client:  # LUMA_AGENTS_API_KEY from the environment
    generation = client.generations.create_and_wait(prompt="A lighthouse on a cliff at dusk")
    paths = client.generations.download(generation, "out")
```
"""

from luma_agents_client.models import (
    AspectRatio,
    FailureCode,
    Generation,
    GenerationOutput,
    GenerationState,
    GenerationType,
    ImageRef,
    Model,
    OutputFormat,
    Style,
)

from . import errors
from ._client import AsyncLuma, Luma
from ._generations import AsyncGenerations, Generations
from ._polling import poll_delay
from ._raw import RawResponse
from ._version import __version__
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
    "GenerationOutput",
    "GenerationState",
    "GenerationType",
    "Generations",
    "ImageRef",
    "InputError",
    "InternalServerError",
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
    "WaitTimeoutError",
    "__version__",
    "errors",
    "poll_delay",
]
