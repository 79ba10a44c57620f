"""Layering outputs: one RGBA PNG per layer, front to back, the last being the opaque background.

The mock splits every image into the same three layers, each with the ``layer`` object the API returns:

0. ``subject``: a disc with soft (blurred) edges in front, transparent around it; alpha_hint ``soft``.
1. ``midground``: a band with hard edges across the lower middle, transparent above and below; alpha_hint ``hard``.
2. ``background``: the request's card (cards.py), fully opaque; alpha_hint ``none``.

Each layer has the source's shape (square when the source was a URL) fitted to 256 px per "k" of
``layering.resolution`` on its long side: 256 px for 1k, 512 px for 2k. Rendered when fetched, cached per layer.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .cards import Card, Shape, draw_card, encode, font, font_size, text_colour

CONTENT_TYPE = "image/png"
PIXELS_PER_K = 256  # "1k" -> 256 px on the long side, "2k" -> 512 px: small, and 2k still visibly larger


@dataclass(frozen=True, slots=True)
class Layer:
    """The API's ``output[].layer`` object."""

    index: int  # front to back; the last is the background
    label: str  # 1-2 words
    description: str
    alpha_hint: str  # soft (hair, fur, glass) | hard (solid edges) | none (the opaque background)

    def as_json(self) -> dict[str, object]:
        return {
            "index": self.index,
            "label": self.label,
            "description": self.description,
            "alpha_hint": self.alpha_hint,
        }


# The layer objects of every layering generation, front to back.
LAYERS = (
    Layer(0, "subject", "A disc with soft edges, the front-most element", "soft"),
    Layer(1, "midground", "A solid band with hard edges across the lower middle", "hard"),
    Layer(2, "background", "The opaque backdrop in the prompt's colour, with the request written on it", "none"),
)


def long_side_of(resolution: str) -> int:
    """The long side in pixels for ``layering.resolution`` (``"<n>k"``)."""
    number = resolution.strip().lower().removesuffix("k")
    if not number.isdigit() or int(number) == 0:  # pragma: no mutate
        raise ValueError(f"not a layering resolution: {resolution!r}")  # pragma: no mutate
    return int(number) * PIXELS_PER_K


@functools.lru_cache(maxsize=64)
def render(card: Card, shape: Shape, long_side: int, index: int) -> bytes:
    """Layer ``index`` (see LAYERS) as an RGBA PNG of ``shape`` fitted to ``long_side``."""
    from PIL import Image, ImageDraw, ImageFilter

    layer = LAYERS[index]
    width, height = shape.fit(long_side)
    if layer.alpha_hint == "none":  # the background: the card, opaque everywhere
        image = Image.new("RGBA", (width, height))
        draw_card(image, card, f"{shape.label} · layer {index}: {layer.label}")
        return encode(image, "png")
    colour = _complement(card.background) if index == 0 else card.accent
    alpha = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(alpha)
    short = min(width, height)
    if index == 0:
        centre_x, centre_y, radius = width // 2, height // 2, short // 4
        draw.ellipse((centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius), fill=255)
        alpha = alpha.filter(ImageFilter.GaussianBlur(max(1, short // 40)))  # soft edges: partial alpha
        text_at = (centre_x - radius // 2, centre_y - font_size(width, height) // 2)
    else:
        top, bottom = height * 11 // 20, height * 15 // 20
        draw.rectangle((0, top, width - 1, bottom), fill=255)
        text_at = (max(2, short // 20), top + max(1, (bottom - top - font_size(width, height)) // 2))
    image = Image.new("RGBA", (width, height), (*colour, 255))
    ImageDraw.Draw(image).text(
        text_at, f"{index}: {layer.label}", fill=text_colour(colour), font=font(font_size(width, height))
    )
    image.putalpha(alpha)
    return encode(image, "png")


def _complement(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    red, green, blue = colour
    return 255 - red, 255 - green, 255 - blue  # pragma: no mutate
