"""`make demo`: start the mock; with the `luma-uni` CLI, generate an image, an edit of it and its layers, a 21:9 video
and an edit of that video chained by its generation id, into ./out/; stop the mock.

The mock runs 10x faster than real time, so each 30 s generation takes about 3 s. No API key is needed: the mock
takes any `luma-api-...` key.
"""

from __future__ import annotations

import os
import queue
import shlex
import subprocess
import sys
import threading
import uuid
from pathlib import Path

TIME_SCALE = "10"
OUT = Path("out")
READY_TIMEOUT = 60.0
PROMPT = "A lighthouse on a cliff at dusk, oil painting"
EDIT_PROMPT = "Make it winter, snow on the rocks"
VIDEO_PROMPT = "Waves breaking below a lighthouse at dusk"
VIDEO_EDIT_PROMPT = "Make it snow"


def start_mock() -> tuple[subprocess.Popen[str], str]:
    """The mock on a free port; returns the process and its base URL once it says it is ready."""
    process = subprocess.Popen(
        [sys.executable, "-m", "luma_uni_mock", "--port", "0", "--time-scale", TIME_SCALE, "--no-access-log"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout

    def pump() -> None:  # a thread, so the wait for the ready line can time out
        for line in stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    while True:
        try:
            line = lines.get(timeout=READY_TIMEOUT)
        except queue.Empty:
            process.terminate()
            raise SystemExit(f"the mock did not start within {READY_TIMEOUT:g} s") from None
        if "base URL" in line:
            return process, line.split("base URL", 1)[1].split()[0]
        if process.poll() is not None:
            raise SystemExit(f"the mock exited: {line.strip()}")


def cli(*argv: str, env: dict[str, str]) -> list[str]:
    """Run `luma-uni` as a user would (progress shows on the terminal); return the lines it printed."""
    print(f"\n$ luma-uni {shlex.join(argv)}", flush=True)
    command = [sys.executable, "-m", "luma_uni", *argv]
    result = subprocess.run(command, check=False, env=env, stdout=subprocess.PIPE, text=True)
    print(result.stdout, end="", flush=True)
    if result.returncode != 0:
        raise SystemExit(f"luma-uni exited with {result.returncode}")
    return result.stdout.splitlines()


def main() -> int:
    process, base_url = start_mock()
    print(f"mock ready at {base_url} (time scale {TIME_SCALE}x)")
    env = {**os.environ, "LUMA_AGENTS_API_KEY": f"luma-api-demo-{uuid.uuid4().hex}", "LUMA_BASE_URL": base_url}
    try:
        generated = cli("generate", PROMPT, "--aspect-ratio", "16:9", "--out", str(OUT), env=env)
        image = generated[-1]
        edited = cli("edit", image, EDIT_PROMPT, "--out", str(OUT), env=env)
        layers = cli("layers", image, "--out", str(OUT), env=env)
        video = cli("video", VIDEO_PROMPT, "--aspect-ratio", "21:9", "--out", str(OUT), env=env)
        video_id = video[0].split()[0]  # the result line: "<id>  <state>  <type>  <model>"
        video_edit = cli("video", VIDEO_EDIT_PROMPT, "--edit", video_id, "--out", str(OUT), env=env)
        print(f"\nimages in {OUT}/: {Path(image).name} (generated), {Path(edited[-1]).name} (its edit)")
        print(f"layers: {', '.join(Path(line).name for line in layers[1:])}")
        print(f"videos: {Path(video[-1]).name}, {Path(video_edit[-1]).name} (its edit, chained by generation id)")
    finally:
        process.terminate()
        process.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
