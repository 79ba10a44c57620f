"""Image outputs: small, real, decodable PNG or JPEG cards showing the request, shaped like what was asked.

The long side is 288 px (divisible by most ratio terms: 288x96 for 3:1, 288x162 for 16:9, 162x288 for 9:16). An
edit keeps the shape of its source when the source was sent as decodable data; otherwise the model's pick is 1:1.
Rendered when a file is fetched, cached per distinct request.
"""

from __future__ import annotations

import functools

from .cards import Card, Shape, draw_card, encode

LONG_SIDE = 288
CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg"}


@functools.lru_cache(maxsize=128)
def render(card: Card, shape: Shape, fmt: str) -> bytes:
    """The card of ``card`` at ``shape`` fitted to LONG_SIDE, encoded as ``fmt`` (png | jpeg)."""
    from PIL import Image

    image = Image.new("RGB", shape.fit(LONG_SIDE))
    draw_card(image, card, shape.label)
    return encode(image, fmt)
