"""Replay positions shared by every process: the n-th request of a key recorded several times gets the n-th
recording, whichever process answers it (`CassetteStore.positions`)."""
from __future__ import annotations

from dummy_openai_api.proxy.state.shared.backend import Backend

TABLE = "replay_positions"


class SharedPositions:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def next(self, queue: str) -> int:
        return self.backend.incr(TABLE, queue)

    def clear(self) -> None:
        self.backend.clear(TABLE)
