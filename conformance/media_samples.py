"""Small real files in each media type the spec accepts as an input (ImageRef's x-accepted-media-types and
x-accepted-video-media-types), for the tests that send one: made with Pillow and PyAV, so a server that sniffs
content sees the real thing. A media type the spec adds that these tables lack fails those tests by name."""

from __future__ import annotations

import io

# Pillow's format for each accepted image type, and PyAV's container and a codec it has for each video type.
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
VIDEO_CONTAINERS = {
    "video/mp4": ("mp4", "mpeg4"),
    "video/quicktime": ("mov", "mpeg4"),
    "video/webm": ("webm", "libvpx"),
}
SIZE = (64, 48)


def image_bytes(media_type: str) -> bytes:
    """A 64x48 image encoded as ``media_type``."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", SIZE, (40, 90, 160)).save(buffer, IMAGE_FORMATS[media_type])
    return buffer.getvalue()


def video_bytes(media_type: str, frames: int = 12) -> bytes:
    """A 64x48 video of ``frames`` frames (one second) in the container ``media_type`` names."""
    import av
    from PIL import Image

    container_format, codec = VIDEO_CONTAINERS[media_type]
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container_format) as container:
        stream = container.add_stream(codec, rate=frames)
        assert isinstance(stream, av.VideoStream)  # what a video codec's name gives
        stream.width, stream.height, stream.pix_fmt = *SIZE, "yuv420p"
        for index in range(frames):
            image = Image.new("RGBA", SIZE, (20 * index % 256, 80, 160, 255))
            container.mux(stream.encode(av.VideoFrame.from_bytes(image.tobytes(), *SIZE, format="rgba")))
        container.mux(stream.encode(None))
    return buffer.getvalue()
