"""Connections within the open-files limit: a cap on open client connections, and an accept loop that survives
running out of file descriptors.

Every client connection holds a descriptor, and so does each upstream call, cassette write and log file. With
the common soft limit of 1024, about 1,100 idle connections exhaust an uncapped process: `accept()` fails
with EMFILE on every turn of the loop (the listening socket stays readable), logging a traceback each time,
and no client is answered. So start-up raises the soft limit to the hard one; past `max_connections` a new
connection first takes the place of the connection idle the longest (waiting for a request), and when every
connection is busy it is answered 503 and closed; an accept loop out of descriptors (a cap set above what the
limit allows) closes the longest idle connection too, or else pauses, logging once per burst.
"""
from __future__ import annotations

import errno
import logging
import resource
import socket
from typing import Any, Callable, Iterable

from tornado import iostream
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop

from dummy_openai_api.proxy.core.errors import APIError

log = logging.getLogger("dummy_openai")

# Descriptors kept back from client connections: listening sockets, logs, cassette files, the tokenizer's.
RESERVED_FILES = 32
# `accept()` errors that mean "no descriptor or memory for one more connection now": wait, then try again.
EXHAUSTED = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)
PAUSE_SECONDS = 0.1
BURST_SECONDS = 10.0  # accept failures closer together than this are one burst, logged once
ACCEPTS_PER_TURN = 128  # as Tornado's own accept loop: other callbacks run between batches


def raise_open_files_limit() -> int:
    """Raise the soft open-files limit to the hard one (what an unprivileged process may); returns the soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError) as error:  # macOS caps the soft limit below an "unlimited" hard one
            log.warning("could not raise the open-files limit from %d to %d: %s", soft, hard, error)
    return soft


def connection_cap(setting: int) -> int:
    """The setting, or (0) half the descriptors left after the reserve: a proxied request holds a second one."""
    if setting:
        return setting
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft == resource.RLIM_INFINITY:
        return 1 << 20
    return max(16, (soft - RESERVED_FILES) // 2)


class BurstLog:
    """A warning logged once per burst of the same event (events closer together than BURST_SECONDS), with the
    number of events since the last warning: a flood of connections repeats them thousands of times a second."""

    def __init__(self) -> None:
        self.count = 0
        self.warned = -BURST_SECONDS

    def event(self, message: str, *args: object) -> None:
        self.count += 1
        now = IOLoop.current().time()
        if now - self.warned >= BURST_SECONDS:
            log.warning(message + " (%d time(s) since the last warning)", *args, self.count)
            self.warned, self.count = now, 0


def overloaded_answer() -> bytes:
    """A whole HTTP answer, sent before reading the request: 503 in the API's envelope, then the close."""
    body = APIError(503, "The server is handling too many connections. Please retry your request shortly.",
                    type="server_error", code="too_many_connections").body()
    head = (f"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Retry-After: 1\r\nConnection: close\r\n\r\n")
    return head.encode() + body


class CappedHTTPServer(HTTPServer):
    """Tornado's HTTP server with at most `cap` open client connections and a descriptor-safe accept loop.

    Its delegate (`proxy.core.http.Server`) keeps `idle`: the streams of connections waiting for a request, oldest
    first. A connection counts as idle from its accept: it may not have been read yet when the next arrives.
    """

    cap = 1 << 20
    open = 0  # client connections holding a descriptor

    def initialize(self, *args: Any, **kwargs: Any) -> None:
        super().initialize(*args, **kwargs)
        self.evicted: set[iostream.IOStream] = set()  # closed for a newcomer, already subtracted from `open`
        self.refusals = BurstLog()

    def handle_stream(self, stream: iostream.IOStream, address: tuple) -> None:
        if self.open >= self.cap and not self._close_oldest_idle():
            self._refuse(stream)
            return
        self.open += 1
        self.request_callback.idle[stream] = None  # type: ignore[union-attr]
        super().handle_stream(stream, address)

    def on_close(self, server_conn: object) -> None:
        stream = server_conn.stream  # type: ignore[attr-defined]
        if stream in self.evicted:
            self.evicted.discard(stream)
        else:
            self.open -= 1
        self.request_callback.idle.pop(stream, None)  # type: ignore[union-attr]
        super().on_close(server_conn)

    def _close_oldest_idle(self) -> bool:
        idle: dict[iostream.IOStream, None] = self.request_callback.idle  # type: ignore[union-attr]
        if not idle:
            return False
        oldest = next(iter(idle))
        del idle[oldest]
        # Its descriptor is free once closed, by us now or already by the client's hang-up: on_close, which
        # would count it, follows later on the loop, possibly after this accept.
        oldest.close()
        self.open -= 1
        self.evicted.add(oldest)
        return True

    def _refuse(self, stream: iostream.IOStream) -> None:
        self.refusals.event("%d connections open (--max-connections), none idle: new ones answered 503", self.open)
        try:
            written = stream.write(overloaded_answer())
        except iostream.StreamClosedError:
            return
        written.add_done_callback(lambda done: _close(stream, done))

    def add_sockets(self, sockets: Iterable[socket.socket]) -> None:
        for sock in sockets:
            self._sockets[sock.fileno()] = sock
            self._handlers[sock.fileno()] = AcceptLoop(sock, self._handle_connection, self._close_oldest_idle).remove


def _close(stream: iostream.IOStream, written: Any) -> None:
    written.exception()  # a client already gone is no error worth logging
    stream.close()


class AcceptLoop:
    """Tornado's accept handler, except that running out of descriptors closes the connection idle the longest
    to make room, or pauses accepting when none is idle, instead of raising on every turn of the loop."""

    def __init__(self, sock: socket.socket, on_connection: Callable[[socket.socket, Any], None],
                 make_room: Callable[[], bool]) -> None:
        self.sock = sock
        self.on_connection = on_connection
        self.make_room = make_room
        self.loop = IOLoop.current()
        self.removed = False
        self.failures = BurstLog()
        self.loop.add_handler(sock, self.accept, IOLoop.READ)

    def accept(self, fd: Any, events: int) -> None:
        for _ in range(ACCEPTS_PER_TURN):
            if self.removed:
                return
            try:
                connection, address = self.sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:
                continue
            except OSError as error:
                if error.errno not in EXHAUSTED:
                    raise
                self.failures.event("cannot accept connections: %s (open-files limit %d); closing idle connections "
                                    "or pausing new ones", error.strerror,
                                    resource.getrlimit(resource.RLIMIT_NOFILE)[0])
                if self.make_room():
                    continue
                self._pause()
                return
            self.on_connection(connection, address)

    def _pause(self) -> None:
        """Stop watching the socket for a moment: it stays readable, so retrying at once only spins."""
        self.loop.remove_handler(self.sock)
        self.loop.call_later(PAUSE_SECONDS, self._resume)

    def _resume(self) -> None:
        if not self.removed:
            self.loop.add_handler(self.sock, self.accept, IOLoop.READ)

    def remove(self) -> None:
        if not self.removed:
            self.removed = True
            self.loop.remove_handler(self.sock)
