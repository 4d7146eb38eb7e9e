"""A table of JSON values on a backend: what a store keeps in a dict in memory, it keeps in a `Table` when shared.

Porting a store is replacing `self.things[id] = obj` by `table.put(id, obj)`, `self.things.get(id)` by
`table.get(id)`, and an in-place change by `table.update(id, change)` (atomic across processes).
"""
from __future__ import annotations

from typing import Any, Callable

import orjson

from dummy_openai_api.proxy.state.shared.backend import Backend


class Table:
    def __init__(self, backend: Backend, name: str, limit: int = 0) -> None:
        self.backend, self.name, self.limit = backend, name, limit

    def get(self, key: str) -> Any:
        raw = self.backend.get(self.name, key)
        return None if raw is None else orjson.loads(raw)

    def put(self, key: str, value: Any) -> None:
        self.backend.put(self.name, key, orjson.dumps(value, default=str), self.limit)

    def put_many(self, values: dict[str, Any]) -> None:
        self.backend.put_many(self.name, {k: orjson.dumps(v, default=str) for k, v in values.items()}, self.limit)

    def update(self, key: str, change: Callable[[Any], Any]) -> Any:
        """`change(old or None)` -> the new value (None: nothing written), atomically; returns the new value."""
        def raw_change(raw: bytes | None) -> bytes | None:
            new = change(None if raw is None else orjson.loads(raw))
            return None if new is None else orjson.dumps(new, default=str)
        raw = self.backend.update(self.name, key, raw_change)
        return None if raw is None else orjson.loads(raw)

    def delete(self, key: str) -> bool:
        return self.backend.delete(self.name, key)

    def values(self) -> list[Any]:
        return [orjson.loads(raw) for raw in self.backend.values(self.name)]

    def clear(self) -> None:
        self.backend.clear(self.name)


class TableMapping:
    """A `Table` where a store keeps a dict of JSON objects: lookups, writes, `pop`, membership, values in
    insertion order. An object changed in place must be written back (`mapping[key] = changed`)."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def get(self, key: str, default: Any = None) -> Any:
        found = self.table.get(key)
        return default if found is None else found

    def __setitem__(self, key: str, value: Any) -> None:
        self.table.put(key, value)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.table.get(key) is not None

    def pop(self, key: str, default: Any = None) -> Any:
        found = self.table.get(key)
        if found is None:
            return default
        self.table.delete(key)
        return found

    def values(self) -> list[Any]:
        return self.table.values()

    def clear(self) -> None:
        self.table.clear()


def open_backend(url: str) -> Backend | None:
    """The backend a `--state` URL names; None for memory (each process keeps its own state, nothing shared)."""
    if url in ("", "memory"):
        return None
    if url.startswith("sqlite:///"):
        from dummy_openai_api.proxy.state.shared.sqlite import SQLiteBackend
        return SQLiteBackend(url[len("sqlite:///"):])
    from dummy_openai_api.proxy.state.shared.redis_backend import RedisBackend  # only when asked for
    return RedisBackend(url)
