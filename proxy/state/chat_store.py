"""Stored chat completions: in memory, bounded (the oldest go first), optionally kept in a JSON-lines file.

The file holds one `{"completion": ..., "messages": ..., "model": ...}` object per line, oldest first. It is
read at start-up and rewritten whole, to a temporary file that is then renamed over it, shortly after a change
(changes that come together are written together) and when the server stops: a reader never sees half a file.
"""
from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import orjson
from tornado.ioloop import IOLoop

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.atomic import atomic_write
from dummy_openai_api.proxy.state.store_budget import mib, weight

log = logging.getLogger("dummy_openai")
FLUSH_DELAY = 0.5  # seconds: changes within this window are written together


@dataclass(slots=True)
class Entry:
    completion: dict[str, Any]
    messages: list[dict[str, Any]]
    seq: int  # arrival order: breaks ties between completions created in the same second
    model: str  # as requested (the completion may name a dated snapshot): what `model=` filters on
    size: int = 0  # bytes of its JSON, against the store's budget

    def record(self) -> dict[str, Any]:
        return {"completion": self.completion, "messages": self.messages, "model": self.model}


def not_found(completion_id: str) -> APIError:
    return APIError(404, f"No chat completion found with id '{completion_id}'.")


class ChatStore:
    settles = False  # shared (proxy.state.shared): a change answers once every process has it

    def __init__(self, limit: int, path: str = "",
                 schedule: Callable[[float, Callable[[], None]], Any] | None = None, budget: int = mib(256)) -> None:
        self.limit = limit
        self.budget = budget  # bytes of JSON kept at most; the newest is kept even when it alone is larger
        self.size = 0
        self.path = Path(path) if path else None
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self._seq = 0
        self._schedule = schedule or _call_later
        self._pending = False

    def __len__(self) -> int:
        return len(self.entries)

    def reset(self) -> None:
        """Forget every stored completion (the admin API's reset, between tests)."""
        self.entries.clear()
        self.size = 0
        self._changed()

    def put(self, completion: dict[str, Any], messages: list[dict[str, Any]], model: str) -> None:
        """Store (or replace: synthetic ids repeat for a repeated request) a completion, evicting the oldest."""
        self._drop(completion["id"])
        self._add(completion, messages, model)
        self._changed()

    def _add(self, completion: dict[str, Any], messages: list[dict[str, Any]], model: str) -> None:
        self._seq += 1
        entry = Entry(completion, messages, self._seq, model, weight(completion, messages))
        self.entries[completion["id"]] = entry
        self.size += entry.size
        while len(self.entries) > self.limit or (self.size > self.budget and len(self.entries) > 1):
            self.size -= self.entries.popitem(last=False)[1].size

    def _drop(self, completion_id: str) -> None:
        entry = self.entries.pop(completion_id, None)
        if entry is not None:
            self.size -= entry.size

    def get(self, completion_id: str) -> Entry:
        entry = self.entries.get(completion_id)
        if entry is None:
            raise not_found(completion_id)
        return entry

    def delete(self, completion_id: str) -> None:
        self.get(completion_id)
        self._drop(completion_id)
        self._changed()

    def update(self, completion_id: str, metadata: dict[str, str]) -> dict[str, Any]:
        entry = self.get(completion_id)
        entry.completion["metadata"] = metadata
        self._changed()
        return entry.completion

    def page(self, args: dict[str, Any]) -> dict[str, Any]:
        """A page of stored completions, by creation time, filtered by `model` and `metadata`."""
        wanted = args["metadata"].items()
        model = args.get("model")
        matching = [e for e in self.entries.values()
                    if (not model or model in (e.model, e.completion.get("model")))
                    and all(e.completion.get("metadata", {}).get(k) == v for k, v in wanted)]
        matching.sort(key=lambda e: (e.completion.get("created") or 0, e.seq))
        return paged([e.completion for e in matching], args, not_found)

    # Persistence --------------------------------------------------------------------------------------------

    def load(self) -> None:
        if self.path is None or not self.path.exists():
            return
        with self.path.open("rb") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    record = orjson.loads(line)
                    self._add(record["completion"], record.get("messages") or [], record.get("model") or "")
                except (orjson.JSONDecodeError, KeyError, TypeError):
                    log.warning("%s:%d: not a stored completion, skipped", self.path, number)
        log.info("stored completions: %d loaded from %s", len(self.entries), self.path)

    def flush(self) -> None:
        """Write every stored completion to the file now (atomically); nothing to do without a file."""
        self._pending = False
        if self.path is None:
            return
        atomic_write(self.path, b"".join(orjson.dumps(e.record()) + b"\n" for e in self.entries.values()))

    def _changed(self) -> None:
        if self.path is not None and not self._pending:
            self._pending = True
            self._schedule(FLUSH_DELAY, self._flush_logged)

    def _flush_logged(self) -> None:
        try:
            self.flush()
        except OSError as error:
            log.error("could not write stored completions to %s: %s", self.path, error)


def _call_later(delay: float, callback: Callable[[], None]) -> None:
    IOLoop.current().call_later(delay, callback)


def paged(items: list[dict[str, Any]], args: dict[str, Any], missing: Callable[[str], APIError]) -> dict[str, Any]:
    """Cursor pagination as the API does it: `order`, then the items after `after`, `limit` of them."""
    if args.get("order") == "desc":
        items = items[::-1]
    after = args.get("after")
    if after:
        position = next((i for i, item in enumerate(items) if item.get("id") == after), None)
        if position is None:
            raise missing(after)
        items = items[position + 1:]
    page = items[:args["limit"]]
    return {"object": "list", "data": page, "first_id": page[0]["id"] if page else None,
            "last_id": page[-1]["id"] if page else None, "has_more": len(items) > len(page)}
