"""How the CLI shows a generation while it waits: a live line on a terminal (rich), plain lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Protocol, TextIO

from luma_agents_client.models import Generation

if TYPE_CHECKING:  # rich is imported only when a terminal shows the live display
    import rich.progress


class Progress(Protocol):
    def update(self, generation: Generation) -> None: ...

    def close(self) -> None: ...


class NoProgress:
    """For ``--json``: nothing but the final document."""

    def update(self, generation: Generation) -> None:
        pass

    def close(self) -> None:
        pass


class PlainProgress:
    """One line per state change, with the elapsed time: readable in logs and CI output."""

    def __init__(self, stream: TextIO, started: float) -> None:
        self._stream = stream
        self._started = started
        self._last: tuple[str, str] | None = None

    def update(self, generation: Generation) -> None:
        key = (str(generation.id), str(generation.state))
        if key != self._last:
            self._last = key
            elapsed = time.monotonic() - self._started
            print(f"generation {key[0]}: {key[1]} ({elapsed:.1f} s)", file=self._stream, flush=True)

    def close(self) -> None:
        pass


class LiveProgress:
    """A spinner with the state and a running clock, redrawn in place on the terminal."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import Progress as RichProgress
        from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = RichProgress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=True,
        )
        self._task: rich.progress.TaskID | None = None
        self._progress.start()

    def update(self, generation: Generation) -> None:
        description = f"generation {generation.id}: [bold]{generation.state}[/bold]"
        if self._task is None:
            self._task = self._progress.add_task(description, total=None)
        else:
            self._progress.update(self._task, description=description)

    def close(self) -> None:
        self._progress.stop()


def progress_for(json_output: bool, stream: TextIO | None = None) -> Progress:
    """The display that fits: none for ``--json``, live on a terminal, plain lines otherwise."""
    stream = stream if stream is not None else sys.stderr
    if json_output:
        return NoProgress()
    if stream.isatty():
        return LiveProgress(stream)
    return PlainProgress(stream, time.monotonic())
