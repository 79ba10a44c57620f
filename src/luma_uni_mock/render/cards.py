"""What every mock output shows: the request it answers, written on a colour derived from the prompt.

A person opening a mock file sees the prompt's start, the model, the generation type, the shape asked for (the
ratio, or the source's size for an edit) and the generation id, so any file can be traced back to its request. The
background hue is a hash of the prompt and the frame's hue a hash of the type, so two prompts, or a generation and
its edit, look different at a glance. Pure functions of their arguments; Pillow is imported on first use.
"""

from __future__ import annotations

import colorsys
import functools
import hashlib
import io
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

RGB = tuple[int, int, int]
PROMPT_SHOWN = 90  # characters of the prompt written on the file, at most (then "…")
PROMPT_LINES = 3


class Shape(NamedTuple):
    """The proportions of an output (any scale: a ratio's terms or a source's pixels) and how the file names them. A
    NamedTuple: it keys the memoised planners on every POST, and a tuple hashes in C where a frozen dataclass calls
    its Python ``__hash__``."""

    width: int
    height: int
    label: str  # e.g. "16:9", "1:1 (model's pick)", "edit of 300x100", "edit of a source of unknown size"

    def fit(self, long_side: int, *, even: bool = False) -> tuple[int, int]:
        """These proportions scaled so the longer side is ``long_side``; ``even`` rounds both sides to even numbers
        (what H.264's 4:2:0 chroma needs)."""
        scale = long_side / max(self.width, self.height)
        width, height = self.width * scale, self.height * scale
        if even:
            return max(2, 2 * round(width / 2)), max(2, 2 * round(height / 2))
        return max(1, round(width)), max(1, round(height))


class Card(NamedTuple):
    """The request facts an output shows (a NamedTuple: one is made per POST, see outputs.PlannedFile)."""

    generation_id: str
    generation_type: str
    model: str
    prompt: str

    @property
    def background(self) -> RGB:
        return _hue_colour(self.prompt, saturation=0.55, value=0.85)

    @property
    def accent(self) -> RGB:
        return _hue_colour(self.generation_type, saturation=0.9, value=0.45)


@functools.lru_cache(maxsize=64)  # a few ratios, asked for again and again
def shape_of_ratio(ratio: str | None) -> Shape:
    """The shape of ``"W:H"``; square when the ratio is unset (the model picks) or unreadable."""
    width, _, height = (ratio or "").partition(":")
    if width.isdigit() and height.isdigit() and int(width) > 0 and int(height) > 0:
        return Shape(int(width), int(height), f"{int(width)}:{int(height)}")
    return Shape(1, 1, "1:1 (model's pick)")


def shape_of_source(data: bytes | None) -> Shape:
    """The shape of a source image sent as data; square when it was a URL or cannot be read."""
    if data is not None:
        from PIL import Image

        try:
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                width, height = image.size
        except Exception:  # any unreadable or hostile image: fall back to square
            width = height = 0
        if width > 0 and height > 0:
            return Shape(width, height, f"source {width}x{height}")
    return Shape(1, 1, "source of unknown size (1:1)")


def _hue_colour(text: str, *, saturation: float, value: float) -> RGB:
    """A colour whose hue is a hash of ``text``: stable across runs and machines (unlike ``hash()``)."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    hue = int.from_bytes(digest[:2], "big") / 65536
    red, green, blue = colorsys.hsv_to_rgb(hue, saturation, value)
    return round(red * 255), round(green * 255), round(blue * 255)


def text_colour(background: RGB) -> RGB:
    """Black or white, whichever reads better on ``background``."""
    red, green, blue = background
    return (0, 0, 0) if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else (255, 255, 255)


def font_size(width: int, height: int) -> int:
    """A font size that fits the card's six-odd lines on the shape, never below 8 px."""
    return max(8, min(width // 18, height // 8))


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def lines_of(card: Card, shape_label: str) -> list[tuple[str, int]]:
    """The card's text, one entry per paragraph with the most lines it may wrap to."""
    prompt = "".join(char if char.isprintable() else " " for char in card.prompt).strip()
    if len(prompt) > PROMPT_SHOWN:
        prompt = prompt[:PROMPT_SHOWN].rstrip() + "…"
    return [
        (f"“{prompt}”" if prompt else "(no prompt)", PROMPT_LINES),
        (f"{card.model} · {card.generation_type}", 2),
        (shape_label, 2),
        (card.generation_id, 2),
    ]


def draw_card(image: Image.Image, card: Card, shape_label: str) -> None:
    """Paint the card onto ``image``, in place: the prompt's colour, a frame in the type's colour, the text."""
    from PIL import ImageDraw

    width, height = image.size
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width - 1, height - 1), fill=card.background)
    border = max(2, min(width, height) // 40)
    draw.rectangle((0, 0, width - 1, height - 1), outline=card.accent, width=border)
    size = font_size(width, height)
    face = font(size)
    ink = text_colour(card.background)
    margin = border + max(2, size // 3)
    y = margin
    for text, max_lines in lines_of(card, shape_label):
        for line in wrap(draw, text, face, width - 2 * margin)[:max_lines]:
            draw.text((margin, y), line, fill=ink, font=face)
            y += round(size * 1.2)
        y += size // 3


def wrap(
    draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont | ImageFont.ImageFont, max_width: int
) -> list[str]:
    """``text`` in lines no wider than ``max_width``: broken at spaces, or inside a word longer than a line."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if draw.textlength(candidate, font=face) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:  # a word wider than the line (an id, a long token) is cut where it overflows
            if line and draw.textlength(line + char, font=face) > max_width:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


def encode(image: Image.Image, fmt: str) -> bytes:
    """``image`` encoded as ``fmt``, a format Pillow writes (``images.servable`` chose it)."""
    buffer = io.BytesIO()
    if fmt == "jpeg":
        image.convert("RGB").save(buffer, format="JPEG", quality=85)
    else:
        image.save(buffer, format=fmt.upper())
    return buffer.getvalue()
