"""The Responses API's store on a shared backend: responses by id, the response owning each item, and background
runs whose progress any process can tell from the clock.

A background run is queued for the first half of `--background-seconds`, in progress for the second, then
done: a process that did not start it shows the same status by the same clock, and a cancel is a write
every process sees.
"""
from __future__ import annotations

import asyncio
import time
from typing import Any, AsyncIterator

from dummy_openai_api.proxy.core.offload import round_trip
from dummy_openai_api.proxy.state.response_store import Record, ResponseStore, lifecycle_status
from dummy_openai_api.proxy.state.shared.backend import Backend
from dummy_openai_api.proxy.state.shared.cache import Generations, remember
from dummy_openai_api.proxy.state.shared.table import Table

POLL = 0.05  # seconds between looks at a followed background run made by another process
ITEMS_PER_RESPONSE = 64  # the item index is bounded at this many items per kept response


class TimedRun:
    """A background run as any process sees it: its events shown by the clock since it started."""

    def __init__(self, events: list[dict[str, Any]], started: float, seconds: float, cancelled: bool,
                 cancel: Any) -> None:
        self.events, self.started, self.seconds = events, started, seconds
        self.cancelled = cancelled
        self._cancel = cancel

    @property
    def shown(self) -> int:
        if len(self.events) <= 2:
            return len(self.events)
        elapsed = time.time() - self.started
        return 2 if elapsed < self.seconds / 2 else 3 if elapsed < self.seconds else len(self.events)

    @property
    def done(self) -> bool:
        return self.cancelled or self.shown >= len(self.events)

    @property
    def status(self) -> str:
        return lifecycle_status(self.events, self.shown, self.cancelled)

    def cancel(self) -> None:
        if not self.done:
            self.cancelled = True
            self._cancel()

    async def follow(self, starting_after: int | None = None) -> AsyncIterator[dict[str, Any]]:
        sent = 0 if starting_after is None else sum(1 for e in self.events if e["sequence_number"] <= starting_after)
        while True:
            shown = self.shown
            while sent < shown:
                yield self.events[sent]
                sent += 1
            if self.done:
                return
            await asyncio.sleep(POLL)


class SharedResponseStore(ResponseStore):
    """Responses in the `responses` table, and item id -> response id in `response_items`."""

    settles = True

    def __init__(self, backend: Backend, limit: int, background_seconds: float, generations: Generations) -> None:
        super().__init__(limit)
        self.generations = generations
        self.kept = generations.cache()  # id -> the table's row, as last read or written here
        self.table = Table(backend, "responses", limit)
        self.owners_table = Table(backend, "response_items", limit * ITEMS_PER_RESPONSE)
        self.background_seconds = background_seconds

    def reset(self) -> None:
        self.table.clear()
        self.owners_table.clear()
        self.generations.changed()

    def before_writing(self) -> None:
        if self.table.backend.remote:
            round_trip()  # on the loop: the response is made on a thread from the start, not made twice

    def add(self, record: Record) -> None:
        run = None
        if record.run is not None:
            run = {"started": time.time(), "seconds": self.background_seconds, "cancelled": False,
                   "events": record.run.events}
        row = {"final": record.final, "pending": record.pending, "model_id": record.model_id,
               "input_items": record.input_items, "parent": record.parent, "visible": record.visible,
               "obfuscate": record.obfuscate, "run": run}
        self.table.put(record.id, row)
        remember(self.kept, record.id, row, self.limit)
        turn = [*record.input_items, *record.final["output"]]
        self.owners_table.put_many({item["id"]: record.id for item in turn})

    def _row(self, response_id: str) -> dict[str, Any] | None:
        row = self.kept.get(response_id)
        if row is None:
            row = self.table.get(response_id)
            if row is not None:
                remember(self.kept, response_id, row, self.limit)
        return row

    def _record(self, response_id: str) -> Record | None:
        row = self._row(response_id)
        if row is None:
            return None
        found = dict(row)
        run, found["run"] = found["run"], None
        record = Record(**found)
        if run is not None:
            record.run = TimedRun(run["events"], run["started"], run["seconds"], run["cancelled"],  # type: ignore[assignment]
                                  lambda: self._cancelled(response_id))
        return record

    def _cancelled(self, response_id: str) -> None:
        def change(found: dict[str, Any] | None) -> dict[str, Any] | None:
            if found is not None and found["run"] is not None:
                found["run"]["cancelled"] = True
            return found
        self.table.update(response_id, change)
        self.generations.changed()

    def get(self, response_id: str) -> Record | None:
        record = self._record(response_id)
        return record if record is not None and record.visible else None

    def delete(self, response_id: str) -> bool:
        deleted = self.get(response_id) is not None and self.table.delete(response_id)
        if deleted:
            self.generations.changed()
        return deleted

    def history(self, response_id: str | None) -> list[dict[str, Any]]:
        turns: list[list[dict[str, Any]]] = []
        while response_id is not None and len(turns) < self.limit:
            row = self._row(response_id)
            if row is None:
                break
            turns.append([*row["input_items"], *row["final"]["output"]])
            response_id = row["parent"]
        return [item for turn in reversed(turns) for item in turn]

    def item(self, item_id: str) -> dict[str, Any] | None:
        owner = self.owners_table.get(item_id)
        found = self._row(owner) if owner else None
        if found is None:
            return None
        return next((i for i in [*found["input_items"], *found["final"]["output"]] if i["id"] == item_id), None)

