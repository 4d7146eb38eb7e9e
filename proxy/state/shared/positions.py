"""Positions counted for every process: of replay (the n-th request of a key recorded several times gets the
n-th recording, whichever process answers it: `CassetteStore.positions`) and of chaos draws (`Chaos.shared`)."""
from __future__ import annotations

from dummy_openai_api.proxy.state.shared.backend import Backend


class SharedPositions:
    def __init__(self, backend: Backend, table: str) -> None:
        self.backend, self.table = backend, table

    def next(self, queue: str) -> int:
        return self.backend.incr(self.table, queue)

    def clear(self) -> None:
        self.backend.clear(self.table)
