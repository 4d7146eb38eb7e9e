"""The Responses API's server-side state: stored responses, their items and background runs.

One `ResponseStore` per server, bounded: beyond `limit` responses the oldest is evicted with its items (and its
background run, if one is still going). A stored response keeps its own input items and output; a
`previous_response_id` chain is walked back through the store, so a long conversation costs each turn once.
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, AsyncIterator

from dummy_openai_api.generators.responses.events import stream_events
from dummy_openai_api.proxy.core.offload import soon
from dummy_openai_api.proxy.state.store_budget import mib, weight

LIFECYCLE = {"response.queued": "queued", "response.in_progress": "in_progress",
             "response.completed": "completed", "response.incomplete": "incomplete"}


def lifecycle_status(events: list[dict[str, Any]], shown: int, cancelled: bool) -> str:
    """A background run's status: the lifecycle event last shown of its `events`, or cancelled."""
    if cancelled:
        return "cancelled"
    reached = [LIFECYCLE[e["type"]] for e in events[:shown] if e["type"] in LIFECYCLE]
    return reached[-1] if reached else "queued"


class BackgroundRun:
    """A background response working through its events in simulated time: queued, in progress, done."""

    def __init__(self, events: list[dict[str, Any]], seconds: float) -> None:
        self.events = events
        self.shown = 2 if len(events) > 2 else len(events)  # response.created and response.queued
        self.cancelled = False
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        soon(lambda: self._start(seconds))  # a response may be made on a worker thread (proxy.core.offload)

    def _start(self, seconds: float) -> None:
        if not self.cancelled:
            self._task = asyncio.get_running_loop().create_task(self._work(seconds))

    async def _work(self, seconds: float) -> None:
        await asyncio.sleep(seconds / 2)
        self._show(self.shown + 1)  # response.in_progress
        await asyncio.sleep(seconds / 2)
        self._show(len(self.events))

    def _show(self, count: int) -> None:
        self.shown = count
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    @property
    def done(self) -> bool:
        return self.cancelled or self.shown >= len(self.events)

    @property
    def status(self) -> str:
        return lifecycle_status(self.events, self.shown, self.cancelled)

    def cancel(self) -> None:
        if not self.done:
            if self._task is not None:
                self._task.cancel()
            self.cancelled = True
            self._show(self.shown)

    async def follow(self, starting_after: int | None = None) -> AsyncIterator[dict[str, Any]]:
        """The events shown so far after `starting_after`, then each new one as it happens, until done."""
        sent = 0 if starting_after is None else sum(1 for e in self.events if e["sequence_number"] <= starting_after)
        while True:
            changed = self._changed
            while sent < self.shown:
                yield self.events[sent]
                sent += 1
            if self.done:
                return
            await changed.wait()


@dataclass
class Record:
    """One response: its final and pending (in progress) objects, its input items, and how to stream it."""

    final: dict[str, Any]
    pending: dict[str, Any]
    model_id: str
    input_items: list[dict[str, Any]]
    parent: str | None = None  # the response this one continues (previous_response_id)
    visible: bool = True  # store: false responses are not kept
    obfuscate: bool = True
    run: BackgroundRun | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return self.final["id"]

    def current(self) -> dict[str, Any]:
        """The response as it stands now: a background run shows its pending state until it is done."""
        if self.run is None or (self.run.done and not self.run.cancelled):
            return self.final
        return {**self.pending, "status": self.run.status}

    def events(self) -> list[dict[str, Any]]:
        if self.run is not None:
            return self.run.events
        return stream_events(self.final, self.pending, self.model_id, obfuscate=self.obfuscate)


class ResponseStore:
    """Responses by id (oldest evicted beyond `limit`) and which response owns each item."""

    settles = False  # shared (proxy.state.shared): a change answers once every process has it

    def __init__(self, limit: int = 1000, budget: int = mib(256)) -> None:
        self.limit = limit
        self.budget = budget  # bytes of JSON kept at most; the newest is kept even when it alone is larger
        self.size = 0
        self.sizes: dict[str, int] = {}  # response id -> bytes
        self.records: OrderedDict[str, Record] = OrderedDict()
        self.owners: dict[str, str] = {}  # item id -> response id

    def reset(self) -> None:
        """Forget every response, stopping the background runs (the admin API's reset, between tests)."""
        for record in self.records.values():
            if record.run is not None:
                record.run.cancel()
        self.records.clear()
        self.owners.clear()
        self.sizes.clear()
        self.size = 0

    def before_writing(self) -> None:
        """Called before a response that will be stored is made (a remote store moves it to a thread then)."""

    def add(self, record: Record) -> None:
        if record.id in self.records:
            self._forget(self.records.pop(record.id))
        self.records[record.id] = record
        self.sizes[record.id] = weight(record.final, record.input_items)
        self.size += self.sizes[record.id]
        for item in [*record.input_items, *record.final["output"]]:
            self.owners[item["id"]] = record.id
        while len(self.records) > self.limit or (self.size > self.budget and len(self.records) > 1):
            self._forget(self.records.popitem(last=False)[1])

    def _forget(self, record: Record) -> None:
        self.size -= self.sizes.pop(record.id, 0)
        for item in [*record.input_items, *record.final["output"]]:
            self.owners.pop(item["id"], None)
        if record.run is not None:
            record.run.cancel()

    def get(self, response_id: str) -> Record | None:
        """A stored (`store` true) response."""
        record = self.records.get(response_id)
        return record if record is not None and record.visible else None

    def delete(self, response_id: str) -> bool:
        record = self.get(response_id)
        if record is None:
            return False
        self._forget(self.records.pop(response_id))
        return True

    def history(self, response_id: str | None) -> list[dict[str, Any]]:
        """Every item of a chain of responses up to and including `response_id`, oldest first."""
        turns: list[list[dict[str, Any]]] = []
        while response_id is not None and len(turns) < self.limit:
            record = self.records.get(response_id)
            if record is None:
                break
            turns.append([*record.input_items, *record.final["output"]])
            response_id = record.parent
        return [item for turn in reversed(turns) for item in turn]

    def item(self, item_id: str) -> dict[str, Any] | None:
        owner = self.records.get(self.owners.get(item_id, ""))
        if owner is None:
            return None
        return next((i for i in [*owner.input_items, *owner.final["output"]] if i["id"] == item_id), None)
