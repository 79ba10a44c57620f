"""The generations the mock holds, bounded: past ``max_generations`` the oldest finished ones are evicted.

Not thread-safe by itself: the app calls it under its state lock.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass

from .render.outputs import PlannedFile


@dataclass(slots=True)
class GenerationRecord:  # one per POST; slots, as http_io.Request's, for reads the interpreter specialises
    id: str  # lower-case uuid4
    owner: str  # the API client that created it (auth.client_of its key): only that client's keys can see it
    created_at: float  # mock clock, Unix seconds
    created_at_text: str  # the same, as the body's RFC 3339 created_at (formatted once, not on every GET)
    finishes_at: float  # mock clock: when it reaches its terminal state
    model: str
    type: str
    prompt: str  # what its files show of the request, with its id, type and model (render/cards.Card)
    files: tuple[PlannedFile, ...]  # what it serves once completed (rendered only when fetched)
    failure_code: str | None


class StoreFullError(Exception):
    """Every stored generation is still running: nothing can be evicted to make room."""


class GenerationStore:
    def __init__(self, max_generations: int) -> None:
        self._max = max_generations
        self._records: dict[str, GenerationRecord] = {}
        # Creation order, kept apart: every job lasts equally long, so the oldest finishes first. A deque finds it at
        # once; a plain dict whose first entries were deleted walks past their empty slots to it (~30k instructions a
        # POST once the store is full), and an OrderedDict finds it at once too but keeps a linked list on every
        # insert and delete, a third dearer than the deque (bench/README.md).
        self._order: collections.deque[GenerationRecord] = collections.deque()

    def __len__(self) -> int:
        return len(self._records)

    def get(self, generation_id: str, owner: str) -> GenerationRecord | None:
        """The generation, if it exists and belongs to the client ``owner`` (a foreign one is as unknown as a
        missing one)."""
        record = self._records.get(generation_id)
        return record if record is not None and record.owner == owner else None

    def get_any(self, generation_id: str) -> GenerationRecord | None:
        return self._records.get(generation_id)

    def make_room(self, now: float) -> None:
        """Evict the oldest finished generation when full; `StoreFullError` when all are still running."""
        if len(self._records) < self._max:  # pragma: no mutate
            return
        oldest = self._order[0]
        if oldest.finishes_at > now:  # pragma: no mutate
            raise StoreFullError
        self._order.popleft()
        del self._records[oldest.id]

    def add(self, record: GenerationRecord) -> None:
        """Store a new generation (its id is fresh: never one the store holds)."""
        self._records[record.id] = record
        self._order.append(record)

    def clear(self) -> None:
        self._records.clear()
        self._order.clear()
