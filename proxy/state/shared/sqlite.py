"""The embedded backend: one SQLite file in WAL mode, shared by the worker processes of one machine.

WAL lets readers go on while one process writes; each write is one short transaction (BEGIN IMMEDIATE takes
the write lock at once, so two read-modify-writes never interleave). `synchronous=NORMAL` keeps every
committed change across a killed process (only a power cut may lose the last ones). The temporary file that
`--workers N` makes on its own (proxy.launch.state) is gone when the run ends: there `synchronous=OFF` keeps
the same guarantee against a killed process and spares the checkpoints' disk flushes, which stalled the event
loop of the worker writing its journal batch for up to tens of milliseconds on a busy disk. Each process (and
thread) opens its own connection on first use: a connection must not cross a fork or be shared by threads.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from typing import Iterator

from dummy_openai_api.proxy.state.shared.backend import TEMPORARY_PREFIX, Change, guarded

TRIM_EVERY = 16  # log writes between two trims of the log to its last `keep` records

SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, key TEXT NOT NULL,
                               value BLOB NOT NULL, UNIQUE (tbl, key));
CREATE INDEX IF NOT EXISTS kv_order ON kv (tbl, seq);
CREATE TABLE IF NOT EXISTS counters (tbl TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL,
                                     PRIMARY KEY (tbl, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, value BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS log_order ON log (name, seq);
"""


def _reason(error: BaseException) -> str:
    return f"SQLite: {error}"


_SETUP = threading.Lock()


@guarded((sqlite3.Error,), _reason)
class SQLiteBackend:
    remote = False

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()  # a connection per thread (costly answers are made off the loop)
        self._ready = 0  # the process that made sure of the journal mode and the tables
        self._appends = 0
        temporary = os.path.basename(os.path.dirname(os.path.abspath(path))).startswith(TEMPORARY_PREFIX)
        self._synchronous = "OFF" if temporary else "NORMAL"

    @property
    def db(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", 0) != os.getpid():
            db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            db.execute(f"PRAGMA synchronous={self._synchronous}")
            with _SETUP:  # threads that start together would otherwise race to switch the journal mode
                if self._ready != os.getpid():
                    db.execute("PRAGMA journal_mode=WAL")  # kept in the file: once per process is enough
                    db.executescript(SCHEMA)
                    self._ready = os.getpid()
            local.db, local.pid = db, os.getpid()
        return local.db  # type: ignore[no-any-return]

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def get(self, table: str, key: str) -> bytes | None:
        row = self.db.execute("SELECT value FROM kv WHERE tbl = ? AND key = ?", (table, key)).fetchone()
        return None if row is None else row[0]

    def put(self, table: str, key: str, value: bytes, limit: int = 0) -> None:
        self.put_many(table, {key: value}, limit)

    def put_many(self, table: str, values: dict[str, bytes], limit: int = 0) -> None:
        with self._writing() as db:
            db.executemany("INSERT OR REPLACE INTO kv (tbl, key, value) VALUES (?, ?, ?)",
                           [(table, key, value) for key, value in values.items()])
            if limit:
                db.execute("DELETE FROM kv WHERE tbl = ? AND seq <= (SELECT seq FROM kv WHERE tbl = ? "
                           "ORDER BY seq DESC LIMIT 1 OFFSET ?)", (table, table, limit))

    def update(self, table: str, key: str, change: Change) -> bytes | None:
        with self._writing() as db:
            row = db.execute("SELECT value FROM kv WHERE tbl = ? AND key = ?", (table, key)).fetchone()
            new = change(None if row is None else row[0])
            if new is not None and row is None:
                db.execute("INSERT INTO kv (tbl, key, value) VALUES (?, ?, ?)", (table, key, new))
            elif new is not None:
                db.execute("UPDATE kv SET value = ? WHERE tbl = ? AND key = ?", (new, table, key))
            return new

    def delete(self, table: str, key: str) -> bool:
        return self.db.execute("DELETE FROM kv WHERE tbl = ? AND key = ?", (table, key)).rowcount > 0

    def values(self, table: str) -> list[bytes]:
        return [row[0] for row in self.db.execute("SELECT value FROM kv WHERE tbl = ? ORDER BY seq", (table,))]

    def clear(self, *tables: str) -> None:
        with self._writing() as db:
            for table in tables:
                db.execute("DELETE FROM kv WHERE tbl = ?", (table,))
                db.execute("DELETE FROM counters WHERE tbl = ?", (table,))
                db.execute("DELETE FROM log WHERE name = ?", (table,))

    def claim(self, table: str, key: str) -> bool:
        return self.db.execute("INSERT OR IGNORE INTO kv (tbl, key, value) VALUES (?, ?, x'')",
                               (table, key)).rowcount > 0

    def incr(self, table: str, key: str, by: int = 1) -> int:
        row = self.db.execute("INSERT INTO counters (tbl, key, n) VALUES (?, ?, ?) ON CONFLICT (tbl, key) "
                              "DO UPDATE SET n = n + excluded.n RETURNING n", (table, key, by)).fetchone()
        return int(row[0])

    def counts(self, table: str) -> dict[str, int]:
        return dict(self.db.execute("SELECT key, n FROM counters WHERE tbl = ?", (table,)).fetchall())

    async def counts_on_loop(self, table: str) -> dict[str, int]:
        """A local read of a few rows: quicker on the loop than a thread's hop."""
        return self.counts(table)

    def append(self, log: str, records: list[bytes], keep: int) -> None:
        with self._writing() as db:
            db.executemany("INSERT INTO log (name, value) VALUES (?, ?)", [(log, r) for r in records])
            self._appends += 1
            if self._appends % TRIM_EVERY == 0:  # `tail` reads the last `keep` only: trimming can wait
                db.execute("DELETE FROM log WHERE name = ? AND seq <= (SELECT seq FROM log WHERE name = ? "
                           "ORDER BY seq DESC LIMIT 1 OFFSET ?)", (log, log, keep))

    def tail(self, log: str, keep: int) -> list[tuple[int, bytes]]:
        newest = self.db.execute("SELECT seq, value FROM log WHERE name = ? ORDER BY seq DESC LIMIT ?",
                                 (log, keep)).fetchall()
        return newest[::-1]

    def close(self) -> None:
        """Close this thread's connection (a forked copy's is left to the process that made it)."""
        local = self._local
        if getattr(local, "pid", 0) == os.getpid():
            local.db.close()
        local.pid = 0
