"""`record-all`'s bookkeeping on a shared backend: which (cassette, key) pairs were re-recorded in this run,
known to every process, so that replicas recording into one cassette directory (a shared volume) never delete
what another one recorded and answered moments before (proxy.cassettes.refresh_log keeps it for the workers of
one parent only).

The run is the backend's: with `--workers` a new temporary SQLite file each time; on Redis it lasts as long as
the database's contents, so a later run on the same database appends to what it re-recorded instead of
replacing it again (flush the database, or use another one, to refresh every key anew).
"""
from __future__ import annotations

from collections import Counter

from dummy_openai_api.proxy.state.shared.backend import Backend

CLAIMS = "refreshed"  # cassette + SEPARATOR + key, claimed once
COUNTS = "refreshed_per_cassette"  # refreshes per cassette: each one rewrote the file
SEPARATOR = "\x1f"


class SharedRefreshLog:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.per_cassette: Counter[str] = Counter()

    def read(self) -> None:
        """Take in what every process re-recorded so far."""
        self.per_cassette = Counter(self.backend.counts(COUNTS))

    def claim(self, cassette: str, key: str | None) -> bool:
        """True, and counted for every process, if no process re-recorded `key` in `cassette` yet in this run."""
        if not self.backend.claim(CLAIMS, f"{cassette}{SEPARATOR}{key or ''}"):
            return False
        self.per_cassette[cassette] = self.backend.incr(COUNTS, cassette)
        return True
