"""What a mock output file costs to render: the first fetch of each kind (cold) and a repeat (cached).

Run with ``python -m bench.outputs``. Each distinct request renders once; the mock bench's repeated GETs hit the
cache. The video row is the encode of the whole clip (H.264 at 24 fps) that the first fetch of its URL waits for.
"""

from __future__ import annotations

import statistics
import time
import uuid

from luma_uni_mock.render import cards, outputs
from luma_uni_mock.render.cards import Card

ROUNDS = 5


def _cold_and_cached(files: tuple[outputs.PlannedFile, ...], card: Card) -> tuple[float, float, int]:
    """Median seconds of rendering every file of ``files`` for a new request, then again (cached); total bytes."""
    cold, cached, size = [], [], 0
    for _ in range(ROUNDS):
        request = card._replace(generation_id=str(uuid.uuid4()))  # a new request: nothing cached yet
        started = time.perf_counter()
        size = sum(len(outputs.render(file, request)[1]) for file in files)
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        for file in files:
            outputs.render(file, request)
        cached.append(time.perf_counter() - started)
    return statistics.median(cold), statistics.median(cached), size


def main() -> None:
    prompt = "A lighthouse on a cliff at dusk, oil painting"
    wide = cards.shape_of_ratio("16:9")
    cases = {
        "image 16:9 png": (outputs.image_file(wide, "png"), Card("-", "image", "uni-1", prompt)),
        "image 16:9 jpeg": (outputs.image_file(wide, "jpeg"), Card("-", "image", "uni-1", prompt)),
        "video 16:9 5s": (outputs.video_file(wide, "5s"), Card("-", "video", "ray-3.2", prompt)),
        "video 16:9 10s": (outputs.video_file(wide, "10s"), Card("-", "video", "ray-3.2", prompt)),
        "layering 1k (3 PNGs)": (outputs.layer_files(wide, "1k"), Card("-", "layering", "uni-1", prompt)),
        "layering 2k (3 PNGs)": (outputs.layer_files(wide, "2k"), Card("-", "layering", "uni-1", prompt)),
    }
    print(f"{'output':<22} {'first fetch':>12} {'cached':>10} {'bytes':>8}   (median of {ROUNDS})")
    for name, (files, card) in cases.items():
        cold, cached, size = _cold_and_cached(files, card)
        print(f"{name:<22} {cold * 1000:>9.1f} ms {cached * 1e6:>7.1f} µs {size:>8}")


if __name__ == "__main__":
    main()
