"""One journal for every process: each process writes its finished requests to a shared log in batches (one
write per `FLUSH_SECONDS` at most, never one per request, made on the write-behind thread so that the event
loop never waits for it) and a reader sees every process's, in arrival order.

A request shows once it has been answered and its batch written: a reader first waits `FLUSH_SECONDS` (the
admin API does, see proxy.handlers.admin), so a request answered before the read began is in it. An entry's
id is the microsecond it arrived (made unique): batches are written out of arrival order, ids are not.
"""
from __future__ import annotations

import logging
import threading
from collections import deque
from typing import Any, Callable, Iterable

import orjson
from tornado.httputil import HTTPHeaders
from tornado.ioloop import IOLoop

from dummy_openai_api.proxy.core.errors import APIError
from dummy_openai_api.proxy.core.offload import behind
from dummy_openai_api.proxy.core.http import Request
from dummy_openai_api.proxy.state.answers import Answer
from dummy_openai_api.proxy.state.journal import ENTRY, Entry, Journal
from dummy_openai_api.proxy.state.shared.backend import Backend

log = logging.getLogger("dummy_openai")
FLUSH_SECONDS = 0.05
LOG = "journal"


class SharedJournal(Journal):
    def __init__(self, backend: Backend, size: int = 1000, body_limit: int = 65536,
                 secrets: Iterable[str] = ()) -> None:
        super().__init__(size, body_limit, secrets)
        self.backend = backend
        self.pending: deque[Entry] = deque(maxlen=size or 1)  # answered, not written yet
        self._scheduled = False
        self._writing = threading.Lock()
        self.on_flush: list[Callable[[], None]] = []  # other batched writes that go with the journal's

    def open(self, request: Request) -> None:
        if self.size:  # numbered by the shared log when written; kept on the request until then
            request.context[ENTRY] = Entry(0, request, self.body_limit)

    def close(self, request: Request, status: int, source: str) -> None:
        super().close(request, status, source)
        entry = request.context.get(ENTRY)
        if entry is not None:
            self.pending.append(entry)
            if not self._scheduled:
                self._scheduled = True
                IOLoop.current().call_later(FLUSH_SECONDS, self._write_behind, IOLoop.current())

    def flush(self) -> None:
        """Write this process's answered requests to the shared log (a failed write is tried again later)."""
        with self._writing:  # one batch at a time: the write-behind thread's, or a reader's on the loop
            self._scheduled = False
            for write in self.on_flush:
                write()
            pending = self.pending
            batch = [pending.popleft() for _ in range(len(pending))]  # what the loop adds meanwhile waits
            if batch:
                try:
                    self.backend.append(LOG, [_encode(e) for e in batch], self.size)
                except APIError:
                    pending.extendleft(reversed(batch))
                    raise

    def _write_behind(self, loop: IOLoop) -> None:
        """A remote backend's batch is encoded and written on the write-behind thread: the loop waits for no
        round trip. A local one's is written at once (a thread would only add its hops and the GIL's)."""
        if self.backend.remote:
            behind(lambda: self._flush_logged(loop))
        else:
            self._flush_logged(loop)

    def _flush_logged(self, loop: IOLoop) -> None:
        try:
            self.flush()
        except APIError as error:
            log.warning("journal: %s; will retry", error.message)
            self._scheduled = True
            loop.add_callback(loop.call_later, FLUSH_SECONDS * 20, self._write_behind, loop)

    def sync(self) -> None:
        """Read every process's entries (this one's written first), in arrival order."""
        self.flush()
        entries = [_decode(raw, self.body_limit) for _, raw in (self.backend.tail(LOG, self.size) if self.size else [])]
        entries.sort(key=lambda e: e.time)
        last = 0
        for entry in entries:  # ids in arrival order, stable across reads: `since=<id>` means "arrived later"
            entry.id = last = max(int(entry.time * 1e6), last + 1)
        self.entries = deque(entries, maxlen=self.size)

    def clear(self) -> None:
        self.pending.clear()
        self.entries.clear()
        self.backend.clear(LOG)

    reset = clear


def _text(data: bytes) -> str:
    return data.decode("latin-1")  # bytes as code points 0-255: JSON-safe and exact both ways


def _encode(entry: Entry) -> bytes:
    answer = entry._answer
    if isinstance(answer, tuple):
        kept: Any = [answer[0], answer[1], _text(answer[2]), False, False]
    elif answer is not None:
        kept = [answer.status, answer.head, _text(answer.body), answer.stream, answer.truncated]
    else:
        kept = None
    return orjson.dumps([entry.time, entry.method, entry.path, entry.query, list(entry.headers.get_all()),
                         _text(entry.body), entry.truncated, entry.request_id, entry.status, entry.source,
                         entry.duration_ms, entry.missed, kept, entry.cassette])


def _decode(raw: bytes, limit: int) -> Entry:
    (time_, method, path, query, headers, body, truncated, request_id, status, source, duration, missed,
     kept, cassette) = orjson.loads(raw)
    entry = Entry.__new__(Entry)
    entry.time, entry.method, entry.path, entry.query = time_, method, path, query
    entry.headers = HTTPHeaders()
    for name, value in headers:
        entry.headers.add(name, value)
    entry.body, entry.truncated, entry.request_id = body.encode("latin-1"), truncated, request_id
    entry.started, entry.status, entry.source, entry.duration_ms = 0.0, status, source, duration
    entry.missed, entry.cassette = missed, cassette
    entry._answer = None if kept is None else _answer(kept, limit)
    return entry


def _answer(kept: list[Any], limit: int) -> Answer:
    status, head, body, stream, truncated = kept
    answer = Answer.__new__(Answer)
    data = body.encode("latin-1")
    answer.status, answer.head, answer.stream, answer.truncated = status, head, stream, truncated
    answer.chunks, answer.size, answer.limit = [data], len(data), max(limit, len(data))
    return answer
