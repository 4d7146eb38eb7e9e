"""Which (cassette, key) pairs `record-all` has re-recorded in this run, known to every worker process.

The first recording of a key in a record-all run replaces that cassette's older recordings of the key; later
ones queue behind it. "First" must hold across workers: when each worker kept its own set, a worker's first
recording of a key deleted what another worker had recorded for it moments before, although that client had
its answer. So the set lives in an unlinked temporary file made before the workers fork (they share its
descriptor), appended to under the cassette directory's lock and read by each process from where it left off.
"""
from __future__ import annotations

import os
import tempfile
from collections import Counter
from typing import Protocol

import orjson


class Refreshes(Protocol):
    """What the persister asks of a refresh log (this one, or proxy.state.shared.refresh_log's on a backend)."""

    per_cassette: Counter[str]

    def read(self) -> None: ...
    def claim(self, cassette: str, key: str | None) -> bool: ...


class RefreshLog:
    """Append-only JSON lines `[cassette, key]`."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # unlinked already: nothing to clean up, gone with the processes
        self.offset = 0  # bytes of the file this process has read
        self.pairs: set[tuple[str, str]] = set()
        self.per_cassette: Counter[str] = Counter()  # refreshed keys per cassette: each one rewrote the file

    def read(self) -> None:
        """Take in what any process appended since this one last looked (whole lines only)."""
        fd = self.file.fileno()
        end = os.fstat(fd).st_size
        if end <= self.offset:
            return
        data = os.pread(fd, end - self.offset, self.offset)
        complete = data.rfind(b"\n") + 1
        self.offset += complete
        for line in data[:complete].splitlines():
            self._note(*orjson.loads(line))

    def claim(self, cassette: str, key: str | None) -> bool:
        """True, and noted for every process, if no process re-recorded `key` in `cassette` yet in this run.
        Call under the cassette directory's lock."""
        self.read()
        pair = (cassette, key or "")
        if pair in self.pairs:
            return False
        line = orjson.dumps(pair) + b"\n"
        fd = self.file.fileno()
        os.pwrite(fd, line, os.fstat(fd).st_size)
        self.offset += len(line)
        self._note(*pair)
        return True

    def _note(self, cassette: str, key: str) -> None:
        self.pairs.add((cassette, key))
        self.per_cassette[cassette] += 1
