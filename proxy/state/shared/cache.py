"""Objects that rarely change, kept by each process after their first read, and forgotten together when any
process changes or deletes one.

Making an object gives it a new id (nothing to forget); changing or deleting one bumps the `objects` counter,
which every process reads with the admin version (proxy.pipeline.sharing, at most every `SETTLE_SECONDS`),
and the change answers `SETTLE_SECONDS` later: by then every process has forgotten the old copy. So a stored
completion or a Responses turn is read from the backend once per process, not once per request.
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any

from dummy_openai_api.proxy.core.http import Reply
from dummy_openai_api.proxy.state.shared.backend import Backend

SETTLE_SECONDS = 0.05  # how long a process may go on with what it knew: admin state and cached objects
COUNTER_TABLE, COUNTER = "control", "objects"


class Generations:
    """The caches of one process, emptied when the shared `objects` counter moves."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.seen = 0
        self.caches: list[OrderedDict[str, Any]] = []

    def cache(self) -> "OrderedDict[str, Any]":
        made: OrderedDict[str, Any] = OrderedDict()
        self.caches.append(made)
        return made

    def observe(self, counter: int) -> None:
        if counter != self.seen:
            self.seen = counter
            for cache in self.caches:
                cache.clear()

    def changed(self) -> None:
        """After a change or deletion: every process forgets what it kept (this one at once)."""
        self.observe(self.backend.incr(COUNTER_TABLE, COUNTER))


def remember(cache: "OrderedDict[str, Any]", key: str, value: Any, limit: int) -> Any:
    cache[key] = value
    if len(cache) > limit:
        cache.popitem(last=False)
    return value


async def settled(reply: Reply) -> Reply:
    """The answer to a change, once every process has stopped using the old copy."""
    await asyncio.sleep(SETTLE_SECONDS)
    return reply
