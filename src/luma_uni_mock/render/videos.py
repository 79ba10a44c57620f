"""Video outputs: a real, decodable H.264 MP4 of the requested duration, at 24 fps, at a reduced resolution.

Each frame is the request's card (see cards.py) with a disc crossing from left to right and a progress bar filling
over the clip, so a player shows it moving. The size is the requested shape fitted to a 256 px long side, both sides
even (H.264's 4:2:0 chroma needs it): 256x144 for 16:9, 144x256 for 9:16, 256x110 for 21:9. The frame rate is the
docs' 24 fps frame grid (``keyframe_indexes``: "5s -> 0..120, 10s -> 0..240"). Encoding a 10 s clip (240 frames) takes
~30 ms (``python -m bench.outputs``); clips are cached per distinct request.

PyAV is imported on first use: loading FFmpeg's shared libraries takes ~70 ms, a third of the mock's start-up.
"""

from __future__ import annotations

import functools
import io

from .cards import Card, Shape, draw_card, text_colour

LONG_SIDE = 256
FRAME_RATE = 24  # the docs' keyframe grid: duration x 24 fps
CONTENT_TYPE = "video/mp4"
# The API's duration is "<seconds>s". When a video_edit/video_reframe's source duration is unknown to the mock (a
# URL or data it never decodes), the output gets this many seconds: the shorter of the documented durations.
UNKNOWN_SOURCE_SECONDS = 5


def seconds_of(duration: str | None) -> int:
    """Whole seconds of an API duration such as ``"10s"``. UNKNOWN_SOURCE_SECONDS for None (the source's duration is
    not known) and for a value the mock cannot read: one a newer spec adds in another shape is schema-valid, so the
    mock serves a video of the unknown length instead of failing the request."""
    number = (duration or "").strip().removesuffix("s")  # pragma: no mutate
    if not number.isdigit() or int(number) == 0:  # pragma: no mutate
        return UNKNOWN_SOURCE_SECONDS
    return int(number)


@functools.lru_cache(maxsize=32)
def render(card: Card, shape: Shape, seconds: int) -> bytes:
    """An MP4 (H.264, yuv420p) of ``seconds`` at FRAME_RATE showing ``card`` at ``shape`` fitted to LONG_SIDE."""
    import av
    from PIL import Image, ImageDraw

    width, height = shape.fit(LONG_SIDE, even=True)
    still = Image.new("RGBA", (width, height))  # from_bytes takes rgba, not rgb24
    draw_card(still, card, f"{shape.label} · {seconds} s")
    frames = seconds * FRAME_RATE
    radius = max(4, min(width, height) // 10)
    bar = max(3, height // 40)
    bar_colour = text_colour(card.background)
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:
        # One encoder thread: frames this small gain nothing from x264's threads, which cost half the CPU of a clip.
        stream = container.add_stream("libx264", rate=FRAME_RATE, options={"preset": "ultrafast", "threads": "1"})
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for index in range(frames):
            progress = index / max(1, frames - 1)
            image = still.copy()
            draw = ImageDraw.Draw(image)
            x = round(radius + progress * (width - 2 * radius))
            y = height - 2 * radius - bar
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=card.accent, outline=(255, 255, 255))
            draw.rectangle((0, height - bar, round(progress * (width - 1)), height - 1), fill=bar_colour)
            frame = av.VideoFrame.from_bytes(image.tobytes(), width, height, format="rgba")
            frame.pts = index
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))  # flush the encoder's delayed frames
    return buffer.getvalue()
