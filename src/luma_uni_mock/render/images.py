"""Image outputs: small, real, decodable PNG or JPEG cards showing the request, shaped like what was asked.

The long side is 288 px (divisible by most ratio terms: 288x96 for 3:1, 288x162 for 16:9, 162x288 for 9:16). An
edit keeps the shape of its source when the source was sent as decodable data; otherwise the model's pick is 1:1.
Rendered when a file is fetched, cached per distinct request.
"""

from __future__ import annotations

import functools

from .cards import Card, Shape, draw_card, encode

LONG_SIDE = 288
# The formats of the spec today, without importing Pillow when a generation is created (start-up time).
_KNOWN_CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg"}
FALLBACK_FORMAT = "png"


def servable(fmt: str) -> tuple[str, str]:  # pragma: no mutate block
    """The format the mock encodes for an ``output_format`` and its content type. A value the spec added that
    Pillow can write (``webp``, ``gif``) is served as asked; one it cannot is served as PNG, the model's pick, so a
    new enum value never breaks the mock."""
    if fmt in _KNOWN_CONTENT_TYPES:
        return fmt, _KNOWN_CONTENT_TYPES[fmt]
    from PIL import Image

    Image.init()
    name = fmt.upper()
    if name in Image.SAVE and name in Image.MIME:
        return fmt, Image.MIME[name]
    return FALLBACK_FORMAT, _KNOWN_CONTENT_TYPES[FALLBACK_FORMAT]


@functools.lru_cache(maxsize=128)
def render(card: Card, shape: Shape, fmt: str) -> bytes:
    """The card of ``card`` at ``shape`` fitted to LONG_SIDE, encoded as ``fmt`` (png | jpeg)."""
    from PIL import Image

    image = Image.new("RGB", shape.fit(LONG_SIDE))
    draw_card(image, card, shape.label)
    return encode(image, fmt)
