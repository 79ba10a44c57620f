"""The output files: small, real, decodable PNG or JPEG images shaped like the requested aspect ratio.

The long side is 288 px (divisible by every ratio term: 288x96 for 3:1, 288x162 for 16:9, 162x288 for 9:16). An
edit keeps the shape of its source when the source was sent as decodable data; otherwise the model's pick is 1:1.
"""

from __future__ import annotations

import functools
import io

# Pillow is imported on first use: it is a tenth of the mock's start-up time, and most requests never need it.

LONG_SIDE = 288
CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg"}


def size_for_ratio(ratio: str | None) -> tuple[int, int]:
    """Pixel size for ``"W:H"``; square when the ratio is unset (the model picks) or unreadable."""
    width, _, height = (ratio or "1:1").partition(":")
    if not (width.isdigit() and height.isdigit()) or int(width) == 0 or int(height) == 0:
        return LONG_SIDE, LONG_SIDE
    return _fit(int(width), int(height))


def size_of_source(data: bytes | None) -> tuple[int, int]:
    """The source image's shape scaled to fit LONG_SIDE; square when it cannot be read."""
    if data is None:
        return LONG_SIDE, LONG_SIDE
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            width, height = image.size
    except Exception:  # any unreadable or hostile image: fall back to square
        return LONG_SIDE, LONG_SIDE
    return _fit(width, height) if width > 0 and height > 0 else (LONG_SIDE, LONG_SIDE)


def _fit(width: int, height: int) -> tuple[int, int]:
    scale = LONG_SIDE / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


@functools.lru_cache(maxsize=64)
def render(width: int, height: int, fmt: str) -> bytes:
    """A gradient with a frame and a diagonal, encoded as ``fmt`` (png or jpeg); cached per shape and format."""
    from PIL import Image, ImageDraw

    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width - 1, height - 1), outline=(255, 120, 0), width=4)
    draw.line((0, 0, width - 1, height - 1), fill=(0, 120, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG" if fmt == "png" else "JPEG", quality=85)
    return buffer.getvalue()
